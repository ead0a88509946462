/**
 * Gaps of a synthetic city (100,000 buildings, 1,000 routes, 100 zones, 50,000 incidents) in server
 * mode: the API against the SQL it runs, against a naive client-side approach (turf: buffer every
 * route and union them in JavaScript), and the time to recompute after one route changes.
 * Run: npm run bench coverage
 */
import { buffer, featureCollection, union } from '@turf/turf'
import type { Feature, LineString, MultiPolygon, Polygon } from 'geojson'
import { createApp } from '../../server/src/app.js'
import { adminClient } from '../support/clients.js'
import { patrolCoverageRows } from '../../server/src/db/coverage.js'
import { areaGaps, buildingPatrolGaps, cellPatrols } from '../../server/src/db/gaps.js'
import { runGrid, testedQuery } from '../../server/src/db/hotspots.js'
import { patrolCity } from './patrol-city.js'
import { report, serverDatabase, time, timeAlternating } from './support.js'

const db = await serverDatabase('coverage')
try {
  const t0 = performance.now()
  await patrolCity(db.sql, 'city')
  report('server: load synthetic city', { seconds: (performance.now() - t0) / 1000 })
  const app = await adminClient(createApp({ sql: db.sql, mode: 'server' }), db.sql)
  const w = { weekdays: null, hours: null }
  const noFilter = { from: null, to: null, categories: null, hours: null, weekdays: null }
  const q = 'network=patrol'
  const get = async (path: string) => {
    const res = await app.request(`/api/communities/city/${path}`)
    if (res.status !== 200) throw new Error(await res.text())
    return res.arrayBuffer()
  }
  // The API against the SQL it runs, timed in alternation so load changes weigh on both alike.
  const gaps = await timeAlternating(
    {
      api: () => get(`gaps?${q}`),
      // the same queries one after the other, as the API runs them (priority gaps: Gi* cells, then
      // the incidents and shifts of the hot ones)
      async sql() {
        await areaGaps(db.sql, 'city', w)
        await buildingPatrolGaps(db.sql, 'city', w)
        const grid = await runGrid(db.sql, testedQuery(db.sql, { community: 'city', filter: noFilter, cell: 100, shape: 'square', band: null }, false))
        const hot = grid.rows.filter((r) => (r.bin ?? 0) >= 2).map(({ i, j }) => ({ i, j }))
        if (hot.length > 0) await cellPatrols(db.sql, 'city', hot, 100, noFilter)
      },
    },
    { runs: 3, warmup: 1 },
  )
  report('server: gaps (area, buildings, priority) API vs SQL', { apiMs: gaps.api.median, sqlMs: gaps.sql.median, ratio: gaps.api.median / gaps.sql.median })
  const cov = await timeAlternating({ api: () => get(`coverage?${q}`), sql: () => patrolCoverageRows(db.sql, 'city', w, noFilter, null) }, { runs: 3, warmup: 1 })
  report('server: coverage via API vs SQL', { apiMs: cov.api.median, sqlMs: cov.sql.median, ratio: cov.api.median / cov.sql.median })

  // Naive client-side: fetch the routes, buffer each with turf and union them all in JavaScript.
  const naive = await time(async () => {
    const res = await app.request('/api/communities/city/layers/routes?limit=50000')
    const routes = (await res.json()) as { features: Feature<LineString>[] }
    const buffers = routes.features.map((f) => buffer(f, 0.1, { units: 'kilometers', steps: 8 })!) as Feature<Polygon | MultiPolygon>[]
    union(featureCollection(buffers))
  }, { runs: 1, warmup: 0 })
  report('client: turf buffer + union of 1,000 routes', { ms: naive.median, overServerCoverage: naive.median / cov.api.median })

  // One route changes: the triggers of migration 00004 recompute that route's reach buffer and
  // buildings within reach as part of the edit; the next requests combine what is stored.
  const edit = await time(() => db.sql`update patrol_routes set geom = ST_Translate(geom, 0.001, 0) where community_id = 'city' and source_id = '1'`, { runs: 1, warmup: 0 })
  report('server: edit one route (reach kept by triggers)', { ms: edit.median })
  const after = await time(() => get(`coverage?${q}`), { runs: 3, warmup: 0 })
  const afterGaps = await time(() => get(`gaps?${q}`), { runs: 3, warmup: 0 })
  report('server: after one route changed', { coverageMs: after.median, gapsMs: afterGaps.median })
} finally {
  await db.close()
}
