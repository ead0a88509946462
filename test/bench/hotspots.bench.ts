/**
 * Gi* on 1,000,000 synthetic incidents over a city-wide 100 m grid (server mode), reported as the
 * API's time over the time of its own SQL run directly through postgres.js; and the same for a
 * community-sized set in embedded mode. Run: npm run bench hotspots
 */
import { createApp } from '../../server/src/app.js'
import { adminClient } from '../support/clients.js'
import type { Sql } from '../../server/src/db/connect.js'
import { collectionQuery, runCollection } from '../../server/src/db/hotspots.js'
import { embeddedDatabase, report, serverDatabase, syntheticCity, timeAlternating } from './support.js'

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
        cells = (await runCollection(sql, collectionQuery(sql, spec, 'gistar', { fdr: false }))).figures.cells
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
