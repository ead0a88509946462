import { describe, expect, it } from 'vitest'
import { encodeGeometry, ringArea, unhexBytea } from '../../server/src/db/tiles.js'

const identity = (p: number[]): [number, number] => [Math.round(p[0]!), Math.round(p[1]!)]
const plain = (rings: { x: number; y: number }[][]) => rings.map((r) => r.map((p) => [p.x, p.y]))

describe('tile geometry encoding', () => {
  it('makes exterior rings positive and holes negative whatever the input winding', () => {
    const ccwOuter = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    const cwHole = [[2, 2], [2, 4], [4, 4], [4, 2], [2, 2]]
    for (const outer of [ccwOuter, [...ccwOuter].reverse()])
      for (const hole of [cwHole, [...cwHole].reverse()]) {
        const g = encodeGeometry({ type: 'Polygon', coordinates: [outer, hole] }, identity)!
        expect(g.type).toBe(3)
        expect(ringArea(g.rings[0]!)).toBeGreaterThan(0)
        expect(ringArea(g.rings[1]!)).toBeLessThan(0)
      }
  })

  it('drops rings that collapse at this zoom, and their holes with them', () => {
    const tiny = [[0.1, 0.1], [0.2, 0.1], [0.2, 0.2], [0.1, 0.1]]
    const big = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    const hole = [[2, 2], [2, 4], [4, 4], [4, 2], [2, 2]]
    expect(encodeGeometry({ type: 'Polygon', coordinates: [tiny] }, identity)).toBeNull()
    const g = encodeGeometry({ type: 'MultiPolygon', coordinates: [[tiny, hole], [big]] }, identity)!
    expect(g.rings).toHaveLength(1)
    expect(ringArea(g.rings[0]!)).toBe(200)
  })

  it('removes repeated vertices after rounding and drops lines shorter than two points', () => {
    const g = encodeGeometry({ type: 'MultiLineString', coordinates: [[[0, 0], [0.2, 0.2], [5, 5]], [[1, 1], [1.2, 1.1]]] }, identity)!
    expect(g.type).toBe(2)
    expect(plain(g.rings)).toEqual([[[0, 0], [5, 5]]])
  })

  it('encodes points and keeps the highest dimension of a collection', () => {
    expect(plain(encodeGeometry({ type: 'Point', coordinates: [3.4, 7.6] }, identity)!.rings)).toEqual([[[3, 8]]])
    const g = encodeGeometry(
      { type: 'GeometryCollection', geometries: [{ type: 'LineString', coordinates: [[0, 0], [3, 3]] }, { type: 'Polygon', coordinates: [[[0, 0], [5, 0], [5, 5], [0, 0]]] }] },
      identity,
    )!
    expect(g.type).toBe(3)
    expect(g.rings).toHaveLength(1)
  })
})

describe('bytea hex text', () => {
  it('decodes to the same bytes as Buffer does', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37 + 11) % 256)
    const hex = new TextEncoder().encode('\\x' + Buffer.from(bytes).toString('hex'))
    expect(unhexBytea(hex)).toEqual(bytes)
    expect(unhexBytea(new TextEncoder().encode('\\xDEADbeef'))).toEqual(new Uint8Array([0xde, 0xad, 0xbe, 0xef]))
    expect(() => unhexBytea(new TextEncoder().encode('abc'))).toThrow(/hex format/)
  })
})
