import fs from 'node:fs'
import path from 'node:path'
import type { FeatureCollection } from 'geojson'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../server/src/app.js'
import { ROOT_DIR } from '../../server/src/config.js'
import { migrate } from '../../server/src/db/migrate.js'
import { benjaminiHochberg, mannKendall } from '../../server/src/lib/stats.js'
import { cellCentre, createRectCommunity, placeIncidents } from '../support/analysis.js'
import { openEmpty, testModes } from '../support/db.js'

const GOLDEN = path.join(ROOT_DIR, 'fixtures/golden')

function readCsv(name: string): Record<string, string>[] {
  const [head, ...lines] = fs.readFileSync(path.join(GOLDEN, name), 'utf8').trim().split('\n')
  const cols = head!.split(',')
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, k) => [cols[k]!, v])))
}

// Expected values come from R (fixtures/golden/gistar.R with spdep::localG; mann-kendall.R with
// base R's Kendall correlation), committed with the inputs and the scripts that made them.
const CASES = [
  { name: 'square-dense-ring1', input: 'square-dense.csv', shape: 'square', query: 'shape=square' },
  { name: 'square-dense-band250', input: 'square-dense.csv', shape: 'square', query: 'shape=square&band=250' },
  { name: 'square-sparse-ring1', input: 'square-sparse.csv', shape: 'square', query: 'shape=square' },
  { name: 'hex-dense-ring1', input: 'hex-dense.csv', shape: 'hex', query: 'shape=hex' },
] as const

describe.each(testModes())('Gi* against R spdep in %s mode', (mode) => {
  it('matches localG to 1e-6 on every cell of every golden case', { timeout: 180_000 }, async () => {
    const db = await openEmpty(mode)
    try {
      await migrate(db.sql)
      const app = createApp({ sql: db.sql, mode })
      const expected = readCsv('gistar-expected.csv')
      for (const c of CASES) {
        const id = `golden-${c.name.replace(/[^a-z0-9]/g, '-')}`
        await createRectCommunity(db.sql, id)
        const cells = readCsv(c.input)
        const points = cells.flatMap((cell) => {
          const centre = cellCentre(c.shape, Number(cell.i), Number(cell.j))
          return Array.from({ length: Number(cell.count) }, () => centre)
        })
        await placeIncidents(db.sql, id, points)
        const res = await app.request(`/api/communities/${id}/hotspots?method=gistar&cell=100&${c.query}`)
        expect(res.status).toBe(200)
        const fc = (await res.json()) as FeatureCollection & { meta: { cells: number; incidents: number } }
        const want = expected.filter((e) => e.case === c.name)
        expect(fc.meta.cells).toBe(want.length)
        expect(fc.meta.incidents).toBe(points.length)
        const got = new Map(fc.features.map((f) => [`${f.properties!.i}_${f.properties!.j}`, f.properties!]))
        for (const e of want) {
          const cell = got.get(`${e.i}_${e.j}`)
          expect(cell, `${c.name} cell ${e.i},${e.j}`).toBeDefined()
          expect(cell!.count).toBe(Number(e.count))
          expect(Math.abs((cell!.z as number) - Number(e.z)), `${c.name} z of ${e.i},${e.j}`).toBeLessThan(1e-6)
        }
      }
    } finally {
      await db.close()
    }
  })
})

describe('statistics against R', () => {
  it('computes the Mann–Kendall z, p and tau of the golden series as R does', () => {
    for (const row of readCsv('mann-kendall-expected.csv')) {
      const mk = mannKendall(row.series!.split(' ').map(Number))
      expect(Math.abs(mk.z - Number(row.z)), row.name).toBeLessThan(1e-9)
      expect(Math.abs(mk.p - Number(row.p)), row.name).toBeLessThan(1e-9)
      expect(Math.abs(mk.tau - Number(row.tau)), row.name).toBeLessThan(1e-9)
    }
  })

  it('adjusts p-values by Benjamini–Hochberg as p.adjust does', () => {
    // p.adjust(c(0.01, 0.04, 0.03, 0.005, NA, 0.2), "BH") in R 4.2
    const adjusted = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, NaN, 0.2])
    const expected = [0.025, 0.05, 0.05, 0.025, NaN, 0.2]
    adjusted.forEach((a, k) => (Number.isNaN(expected[k]!) ? expect(a).toBeNaN() : expect(a).toBeCloseTo(expected[k]!, 12)))
  })
})
