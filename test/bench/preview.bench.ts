/**
 * Preview of one route change (issue 11) on the synthetic city of 100,000 buildings (patrol-city.ts),
 * server mode: `POST /plans/preview` — a night shift added to one route, for the window 22–02 —
 * against the same work run directly (the analysis functions the route calls before and after
 * applying the change, in a transaction that is rolled back: the same SQL without HTTP, JSON and
 * the differences). Target (issue 11): under 300 ms.
 * Run: npm run bench preview
 */
import { captainCoverage, patrolCoverage } from '../../server/src/analysis/coverage.js'
import { analyseGaps } from '../../server/src/analysis/gaps.js'
import { createApp } from '../../server/src/app.js'
import { DEFAULTS, parseHours, type Change } from '../../server/src/contract.js'
import type { Sql } from '../../server/src/db/connect.js'
import { applyChange } from '../../server/src/db/plans.js'
import { adminClient } from '../support/clients.js'
import { patrolCity } from './patrol-city.js'
import { report, serverDatabase, timeAlternating } from './support.js'

class Rollback extends Error {}

const db = await serverDatabase('preview')
try {
  const t0 = performance.now()
  await patrolCity(db.sql, 'city')
  report('server: load synthetic city', { seconds: (performance.now() - t0) / 1000 })
  const app = await adminClient(createApp({ sql: db.sql, mode: 'server' }), db.sql)
  // a day route: the draft adds a 22:00–02:00 shift every night
  const [route] = await db.sql<{ id: number; version: number }[]>`
    select r.id, r.version from patrol_routes as r where r.community_id = 'city' and r.source_id = '1'`
  const change: Change = {
    entity: 'route',
    id: Number(route!.id),
    version: route!.version,
    set: { shifts: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '08:00', end: '16:00' }, { days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '02:00' }] },
  }
  const filter = { from: null, to: null, categories: null, hours: parseHours('22-02'), weekdays: null }
  const who = { userId: null, username: 'bench', ip: null }
  const run = { mode: 'server' as const, timeoutMs: 0 }
  // what the preview computes: both sides of what a route change can move (patrol coverage and its
  // gaps), captain coverage and buildings without a captain once (routes/plans.ts, previewParts)
  const figures = async (tx: Sql, side: 'before' | 'after') => {
    await patrolCoverage(tx, 'city', filter, null, run)
    await analyseGaps(tx, 'city', { network: 'patrol', cell: DEFAULTS.gaps.cell, fdr: DEFAULTS.gaps.fdr, filter }, run)
    if (side === 'after') return
    await captainCoverage(tx, 'city', DEFAULTS.coverage.maxBuildings, filter, null, run)
    await analyseGaps(tx, 'city', { network: 'captain', cell: DEFAULTS.gaps.cell, fdr: DEFAULTS.gaps.fdr, filter }, run)
  }
  const t = await timeAlternating(
    {
      async api() {
        const res = await app.request('/api/communities/city/plans/preview?hours=22-02', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ changes: [change] }),
        })
        if (res.status !== 200) throw new Error(await res.text())
        await res.arrayBuffer()
      },
      async sql() {
        await db.sql
          .begin(async (raw) => {
            const tx = raw as unknown as Sql
            await figures(tx, 'before')
            await applyChange(tx, 'city', change, who, DEFAULTS.coverage.maxBuildings)
            await figures(tx, 'after')
            throw new Rollback()
          })
          .catch((e: unknown) => {
            if (!(e instanceof Rollback)) throw e
          })
      },
    },
    { runs: 5, warmup: 1 },
  )
  report('server: preview of one route change, API vs SQL', { apiMs: t.api.median, sqlMs: t.sql.median, ratio: t.api.median / t.sql.median, targetMs: 300 })
  // its parts, once each: where the time goes
  const parts = await timeAlternating(
    {
      coverage: () => patrolCoverage(db.sql, 'city', filter, null, run),
      gaps: () => analyseGaps(db.sql, 'city', { network: 'all', cell: DEFAULTS.gaps.cell, fdr: DEFAULTS.gaps.fdr, filter }, run),
      captains: () => captainCoverage(db.sql, 'city', DEFAULTS.coverage.maxBuildings, filter, null, run),
    },
    { runs: 3, warmup: 1 },
  )
  report('server: one side of it (22-02)', { coverageMs: parts.coverage.median, gapsMs: parts.gaps.median, captainsMs: parts.captains.median })
} finally {
  await db.close()
}
