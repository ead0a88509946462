/**
 * The kernel sums of a kernel density (db/hotspots.ts, `kernelSums`): every point's quartic term at
 * every cell centre within the bandwidth, and no other — checked against every (point, cell) pair of
 * the span tested one by one, for squares and hexagons (both parities of columns, negative indices),
 * bandwidths under one cell, between cells and wider than the span, points on the rim.
 */
import { describe, expect, it } from 'vitest'
import { kernelSums } from '../../server/src/db/hotspots.js'
import { cellCentre } from '../support/analysis.js'

/** A deterministic pseudo-random sequence (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('kernelSums', () => {
  const span = { imin: -6, imax: 9, jmin: -4, jmax: 7 }
  it.each([
    ['square', 100, 40],
    ['square', 100, 100],
    ['square', 70, 333.3],
    ['hex', 60, 50],
    ['hex', 60, 130],
    ['hex', 80, 421.5],
    ['square', 100, 5000],
    ['hex', 50, 5000],
  ] as const)('sums the quartic kernel at every %s cell centre (%d m cells, bandwidth %d m) as the definition does', (shape, size, h) => {
    const next = random(size * 1000 + h)
    const n = 400
    const xs = new Float64Array(n)
    const ys = new Float64Array(n)
    for (let p = 0; p < n; p++) {
      xs[p] = -800 + next() * 2000
      ys[p] = -600 + next() * 1400
    }
    // two points exactly on the rim of a centre (d = h adds nothing) and one exactly on a centre
    const c = cellCentre(shape, 1, 1, size)
    ;[xs[0], ys[0]] = [c.x + h, c.y]
    ;[xs[1], ys[1]] = [c.x, c.y - h]
    ;[xs[2], ys[2]] = [c.x, c.y]
    const got = kernelSums(xs, ys, h, size, shape, span)
    const byCell = new Map(got.i.map((i, k) => [`${i}_${got.j[k]}`, got.k[k]!]))
    expect(byCell.size).toBe(got.i.length)
    let cells = 0
    for (let i = span.imin; i <= span.imax; i++)
      for (let j = span.jmin; j <= span.jmax; j++) {
        const centre = cellCentre(shape, i, j, size)
        let want = 0
        for (let p = 0; p < n; p++) {
          const d2 = (xs[p]! - centre.x) ** 2 + (ys[p]! - centre.y) ** 2
          if (d2 < h * h) want += (1 - d2 / (h * h)) ** 2
        }
        const have = byCell.get(`${i}_${j}`) ?? 0
        expect(Math.abs(have - want), `cell ${i},${j}: ${have} vs ${want}`).toBeLessThanOrEqual(1e-12 * Math.max(want, 1))
        if (want > 0) cells++
      }
    // no cell outside the span, none without a term
    expect(got.i.every((i, k) => i >= span.imin && i <= span.imax && got.j[k]! >= span.jmin && got.j[k]! <= span.jmax && got.k[k]! > 0)).toBe(true)
    expect(got.i.length).toBe(cells)
  })

  it('answers nothing for no points', () => {
    expect(kernelSums(new Float64Array(), new Float64Array(), 100, 100, 'square', span)).toStrictEqual({ i: [], j: [], k: [] })
  })
})
