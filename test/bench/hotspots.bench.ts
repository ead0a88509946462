/**
 * Gi* on 1,000,000 synthetic incidents over a city-wide 100 m grid (server mode), reported as the
 * API's time over the time of its own SQL run directly through postgres.js; and the same for a
 * community-sized set in embedded mode. Run: npm run bench hotspots
 */
import { createApp } from '../../server/src/app.js'
import { adminClient } from '../support/clients.js'
import type { Sql } from '../../server/src/db/connect.js'
import { collectionQuery, runCollection } from '../../server/src/db/hotspots.js'
import { embeddedDatabase, report, serverDatabase, timeAlternating } from './support.js'

/**
 * A synthetic city: a `km` × `km` square of UTM 10N with `n` incidents — 70 % in 40 Gaussian
 * clusters, 30 % uniform — from a fixed seed, over one year with times of day.
 */
async function syntheticCity(sql: Sql, id: string, km: number, n: number): Promise<void> {
  const x0 = 540000
  const y0 = 4170000
  const size = km * 1000
  await sql`
    insert into communities (id, name, time_zone, metric_srid, boundary)
    values (${id}, ${id}, 'America/Los_Angeles', 32610, ST_Multi(ST_Transform(ST_MakeEnvelope(${x0}, ${y0}, ${x0 + size}, ${y0 + size}, 32610), 4326)))`
  await sql`select setseed(0.42)`
  await sql`
    with centres as (
      select k, ${x0}::float8 + random() * ${size}::float8 as cx, ${y0}::float8 + random() * ${size}::float8 as cy, 50 + random() * 400 as sd
      from generate_series(0, 39) as k
    ),
    pts as (
      select g,
             case when random() < 0.7 then 'cluster' else 'uniform' end as kind,
             random() as u1, random() as u2, (random() * 39)::int as k, random() as ux, random() as uy
      from generate_series(1, ${n}::int) as g
    )
    insert into incidents (community_id, category, occurred_at, time_known, geom, source, source_id)
    select ${id}, (array['THEFT', 'VANDALISM', 'ROBBERY', 'DRUGS'])[1 + g % 4],
           timestamptz '2024-01-01 00:00-08' + (g % 525600) * interval '1 minute', true,
           ST_Transform(ST_SetSRID(ST_Point(
             least(greatest(case when kind = 'cluster' then c.cx + c.sd * sqrt(-2 * ln(greatest(u1, 1e-12))) * cos(2 * pi() * u2) else ${x0}::float8 + ux * ${size}::float8 end, ${x0}::float8), ${x0 + size}::float8 - 0.01),
             least(greatest(case when kind = 'cluster' then c.cy + c.sd * sqrt(-2 * ln(greatest(u1, 1e-12))) * sin(2 * pi() * u2) else ${y0}::float8 + uy * ${size}::float8 end, ${y0}::float8), ${y0 + size}::float8 - 0.01)
           ), 32610), 4326), 'synthetic', g::text
    from pts join centres as c using (k)`
  await sql`analyze incidents`
}

async function measure(label: string, sql: Sql, mode: 'server' | 'embedded', id: string, query: string, runs: number) {
  const app = await adminClient(createApp({ sql, mode }), sql)
  const spec = { community: id, filter: { from: null, to: null, categories: null, hours: null, weekdays: null }, cell: 100, shape: 'square' as const, band: null }
  let bytes = 0
  let cells = 0
  const t = await timeAlternating(
    {
      // The API's time is the time to the whole response body; parsing it is the client's business.
      async api() {
        const res = await app.request(`/api/communities/${id}/hotspots?${query}`)
        if (res.status !== 200) throw new Error(`API answered ${res.status}: ${await res.text()}`)
        bytes = (await res.arrayBuffer()).byteLength
      },
      // The SQL the API runs, run directly: the whole answer built in the database, read as bytes.
      async sql() {
        cells = (await runCollection(sql, collectionQuery(sql, spec, 'gistar', { fdr: false, bandwidth: null }))).figures.cells
      },
    },
    { runs },
  )
  const api = t.api
  const raw = t.sql
  report(label, { cells, mb: bytes / 1e6, apiMs: api.median, sqlMs: raw.median, ratio: api.median / raw.median, overheadMs: api.median - raw.median, target: `≤ ${(raw.median * 1.1 + 5).toFixed(0)} ms` })
}

const server = await serverDatabase('hotspots')
try {
  const t0 = performance.now()
  await syntheticCity(server.sql, 'bench-city', 20, 1_000_000)
  report('server: load 1,000,000 synthetic incidents', { seconds: (performance.now() - t0) / 1000 })
  await measure('server: Gi* 1M incidents, 20 km city, 100 m cells', server.sql, 'server', 'bench-city', 'method=gistar&cell=100', 5)
} finally {
  await server.close()
}

const embedded = await embeddedDatabase()
try {
  await syntheticCity(embedded.sql, 'bench-community', 2, 10_000)
  await measure('embedded: Gi* 10k incidents, 2 km community, 100 m', embedded.sql, 'embedded', 'bench-community', 'method=gistar&cell=100', 7)
} finally {
  await embedded.close()
}
