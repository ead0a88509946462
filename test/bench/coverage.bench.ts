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
import type { Sql } from '../../server/src/db/connect.js'
import { patrolCoverageRows } from '../../server/src/db/coverage.js'
import { areaGaps, buildingPatrolGaps, cellPatrols } from '../../server/src/db/gaps.js'
import { runGrid, testedQuery } from '../../server/src/db/hotspots.js'
import { report, serverDatabase, time, timeAlternating } from './support.js'

const X0 = 540000
const Y0 = 4170000
const KM = 10

/** A 10 × 10 km city on a 100 m street grid, deterministic (setseed). */
async function syntheticCity(sql: Sql, id: string): Promise<void> {
  const size = KM * 1000
  await sql`insert into communities (id, name, time_zone, metric_srid, boundary)
            values (${id}, ${id}, 'America/Los_Angeles', 32610, ST_Multi(ST_Transform(ST_MakeEnvelope(${X0}, ${Y0}, ${X0 + size}, ${Y0 + size}, 32610), 4326)))`
  await sql`select setseed(0.17)`
  const teams = await sql<{ id: number }[]>`
    insert into patrol_teams (community_id, name, kind) select ${id}, 'team ' || k, 'volunteer' from generate_series(1, 10) as k returning id`
  // 100 zones of 1 km².
  await sql`
    insert into grid_zones (community_id, code, name, geom, patrol_team_id)
    select ${id}, 'Z' || lpad((i * 10 + j)::text, 3, '0'), 'zone ' || i || '-' || j,
           ST_Multi(ST_Transform(ST_MakeEnvelope(${X0} + i * 1000, ${Y0} + j * 1000, ${X0} + (i + 1) * 1000, ${Y0} + (j + 1) * 1000, 32610), 4326)),
           ${teams[0]!.id}
    from generate_series(0, 9) as i, generate_series(0, 9) as j`
  // 100,000 buildings: 10 m × 12 m footprints scattered inside 100 m blocks.
  await sql`
    insert into buildings (community_id, households, geom, source, source_id)
    select ${id}, 1 + (random() * 20)::int,
           ST_Multi(ST_Transform(ST_MakeEnvelope(x, y, x + 10, y + 12, 32610), 4326)), 'synthetic', g::text
    from (select g, ${X0} + (g % 100) * 100 + 5 + random() * 80 as x, ${Y0} + ((g / 100) % 100) * 100 + 5 + random() * 80 as y
          from generate_series(0, 99999) as g) as p`
  // 1,000 routes: L-shaped walks of 300–800 m along the street grid, reach 100 m, day or night shifts.
  await sql`
    with r as (
      select k, ${X0} + (random() * 95)::int * 100 as x, ${Y0} + (random() * 95)::int * 100 as y,
             300 + (random() * 5)::int * 100 as a, 300 + (random() * 5)::int * 100 as b
      from generate_series(1, 1000) as k
    ), ins as (
      insert into patrol_routes (community_id, team_id, name, geom, reach_m, source, source_id)
      select ${id}, ${teams[0]!.id}, 'route ' || k,
             ST_Transform(ST_MakeLine(array[ST_SetSRID(ST_Point(x, y), 32610), ST_SetSRID(ST_Point(least(x + a, ${X0 + size}), y), 32610),
                                            ST_SetSRID(ST_Point(least(x + a, ${X0 + size}), least(y + b, ${Y0 + size})), 32610)]), 4326),
             100, 'synthetic', k::text
      from r
      returning id, source_id
    )
    insert into patrol_shifts (community_id, route_id, days, start_time, end_time)
    select ${id}, id, '{1,2,3,4,5,6,7}', case when source_id::int % 3 = 0 then '22:00'::time else '08:00'::time end,
           case when source_id::int % 3 = 0 then '06:00'::time else '16:00'::time end
    from ins`
  await sql`
    insert into incidents (community_id, category, occurred_at, time_known, geom, source, source_id)
    select ${id}, 'THEFT', timestamptz '2024-01-01 00:00-08' + g * interval '7 minutes', true,
           ST_Transform(ST_SetSRID(ST_Point(${X0} + random() * ${size}, ${Y0} + random() * ${size}), 32610), 4326), 'synthetic', g::text
    from generate_series(1, 50000) as g`
  await sql`analyze`
}

const db = await serverDatabase('coverage')
try {
  const t0 = performance.now()
  await syntheticCity(db.sql, 'city')
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
