import fs from 'node:fs'
import path from 'node:path'
import type { FeatureCollection } from 'geojson'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../server/src/app.js'
import { ROOT_DIR } from '../../server/src/config.js'
import { migrate } from '../../server/src/db/migrate.js'
import { bhAdjusted } from '../../server/src/db/hotspots.js'
import { mannKendall, twoSidedP } from '../../server/src/analysis/stats.js'
import { cellCentre, createRectCommunity, placeIncidents } from '../support/analysis.js'
import { adminClient } from '../support/clients.js'
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
      const app = await adminClient(createApp({ sql: db.sql, mode }), db.sql)
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

})

describe.each(testModes())('statistics in SQL in %s mode', (mode) => {
  it('computes two-sided p-values as the erfc checked against R (through Mann–Kendall) does', { timeout: 240_000 }, async () => {
    const db = await openEmpty(mode)
    try {
      await migrate(db.sql)
      // every branch of Cody's approximation (|z|/√2 < 0.5, < 4, ≥ 4), their edges, and the underflow
      const zs = [0, 1e-9, 0.3, 0.5 * Math.SQRT2, 1, 1.6448536269514722, 1.959963984540054, 2.5758293035489004, 4 * Math.SQRT2, 6, 10, 25, 37.9, 38.5, 60]
      const sweep = [...zs, ...zs.map((z) => -z), ...Array.from({ length: 400 }, (_, k) => -10 + k * 0.05)]
      const rows = await db.sql<{ z: number; p: number }[]>`select z, safegrid_two_sided_p(z) as p from unnest(${sweep}::float8[]) as z`
      expect(rows).toHaveLength(sweep.length)
      for (const r of rows) {
        const want = twoSidedP(r.z)
        expect(Math.abs(r.p - want), `p of z = ${r.z}`).toBeLessThanOrEqual(Math.max(want * 1e-14, 1e-300))
      }
      const [nul] = await db.sql<{ p: number | null }[]>`select safegrid_two_sided_p(null) as p`
      expect(nul!.p).toBeNull()
    } finally {
      await db.close()
    }
  })

  it('adjusts p-values by Benjamini–Hochberg as p.adjust does, ties and missing values included', async () => {
    const db = await openEmpty(mode)
    try {
      const adjust = async (ps: (number | null)[]) => {
        const rows = await db.sql<{ k: number; pAdjusted: number | null }[]>`
          ${bhAdjusted(db.sql, db.sql`select k::int, p from unnest(${ps}::float8[]) with ordinality as v (p, k)`)} order by k`
        return rows.map((r) => r.pAdjusted)
      }
      // p.adjust(c(0.01, 0.04, 0.03, 0.005, NA, 0.2), "BH") and p.adjust(c(0.01, 0.01, 0.03, 0.2), "BH") in R 4.2
      const cases = [
        { ps: [0.01, 0.04, 0.03, 0.005, null, 0.2], want: [0.025, 0.05, 0.05, 0.025, null, 0.2] },
        { ps: [0.01, 0.01, 0.03, 0.2], want: [0.02, 0.02, 0.04, 0.2] },
        { ps: [0.9, 0.95], want: [0.95, 0.95] },
      ]
      for (const c of cases) {
        const got = await adjust(c.ps)
        c.want.forEach((w, k) => (w === null ? expect(got[k]).toBeNull() : expect(got[k]).toBeCloseTo(w, 12)))
      }
    } finally {
      await db.close()
    }
  })
})
