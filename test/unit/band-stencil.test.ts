/**
 * The stencil of a Gi* distance band (db/hotspots.ts, `bandStencil`): the neighbour offsets of a
 * cell as one run of rows per column, exactly those whose centres are within the band — checked
 * against every offset tested one by one from absolute centres, for squares and both parities of
 * hexagon columns, bands at, just under and between multiples of the spacing.
 */
import { describe, expect, it } from 'vitest'
import { bandStencil } from '../../server/src/db/hotspots.js'
import { cellCentre } from '../support/analysis.js'

type Shape = 'square' | 'hex'

describe('the stencil of a distance band', () => {
  /** Every offset whose centre is within the band, from absolute centres as the SQL of the cells has them. */
  function bruteForce(size: number, shape: Shape, band: number, parity: 0 | 1): Set<string> {
    const i = 5514 + parity
    const j = 41804
    const a = cellCentre(shape, i, j, size)
    const out = new Set<string>()
    const reach = Math.ceil(band / size) + 2
    for (let di = -reach; di <= reach; di++)
      for (let dj = -reach; dj <= reach; dj++) {
        const b = cellCentre(shape, i + di, j + dj, size)
        if ((b.x - a.x) ** 2 + (b.y - a.y) ** 2 <= band * band * (1 + 1e-9)) out.add(`${di},${dj}`)
      }
    return out
  }

  it.each([
    ['square', 100, 100],
    ['square', 100, 99.99],
    ['square', 100, 250],
    ['square', 100, 1000],
    ['square', 30, 212.1320343559643], // 5·√2·30: the diagonal (5, 5) exactly
    ['square', 70, 333.3],
    ['hex', 100, 100],
    ['hex', 100, 173.20508075688772],
    ['hex', 60, 150],
    ['hex', 50, 1234.5],
  ] as const)('of %s cells of %d m and a %d m band holds exactly the offsets within the band, as runs', (shape, size, band) => {
    const stencil = bandStencil(size, shape, band)
    for (const parity of shape === 'square' ? ([0] as const) : ([0, 1] as const)) {
      const runs = stencil.runs.filter((r) => r.parity === parity)
      const got = new Set(runs.flatMap((r) => Array.from({ length: r.hi - r.lo + 1 }, (_, k) => `${r.di},${r.lo + k}`)))
      expect(got).toEqual(bruteForce(size, shape, band, parity))
      expect(new Set(runs.map((r) => r.di)).size, 'one run per column').toBe(runs.length)
      expect(got.has('0,0')).toBe(true)
    }
    expect(stencil.offsets).toBe(Math.max(...[0, 1].map((p) => stencil.runs.filter((r) => r.parity === p).reduce((a, r) => a + r.hi - r.lo + 1, 0))))
  })

  it('takes the ring-1 neighbours for a band of one cell (squares: the four edge neighbours; hexagons: all six)', () => {
    expect(bandStencil(100, 'square', 100).offsets).toBe(5)
    expect(bandStencil(100, 'square', 141.43).offsets).toBe(9)
    expect(bandStencil(100, 'hex', 100 * Math.sqrt(3)).offsets).toBe(7)
  })
})

