/**
 * Kernel density and Gi* distance bands at city scale (issue 16). Server mode: KDE of 150,000
 * incidents on 500 m cells over a 30 km city (3,600 cells, the data's bandwidth, about 1 km), and
 * Gi* with bands of 1,000 m and 2,000 m on 100 m cells over 34,000 incidents in a 10 km square
 * (10,000 cells) — the API's time and the time of its own SQL run directly, alternating. Embedded
 * mode: the same kinds of analysis near its work limits.
 *
 * Before/after: with BENCH_BASELINE=/path/to/another/checkout (e.g. a worktree of an earlier commit,
 * with node_modules), that checkout's API and SQL are timed in the same alternation on the same
 * database, so the ratios come from one run. Its API may refuse what it cannot do (reported as
 * `refused`); its SQL is then still timed.
 *
 * Run: npm run bench bands    (BENCH_RUNS=n for more rounds; default 5, 3 with a baseline)
 */
import path from 'node:path'
import { createApp } from '../../server/src/app.js'
import type { Sql } from '../../server/src/db/connect.js'
import { collectCells, type CollectionMethod, type GridSpec } from '../../server/src/db/hotspots.js'
import { adminClient } from '../support/clients.js'
import { embeddedDatabase, report, serverDatabase, syntheticCity, timeAlternating } from './support.js'

type Mode = 'server' | 'embedded'
type Build = { createApp: typeof createApp; collectCells: typeof collectCells }

const current: Build = { createApp, collectCells }
/** A checkout's collectCells, or what it did before it had one (one collection query: the kernel summed in SQL). */
async function loadBaseline(dir: string): Promise<Build> {
  const db = (await import(path.resolve(dir, 'server/src/db/hotspots.ts'))) as Partial<Build> & {
    collectionQuery: (sql: Sql, spec: GridSpec, method: CollectionMethod, opts: { fdr: boolean; bandwidth: number | null }) => unknown
    runCollection: (sql: Sql, query: unknown) => ReturnType<typeof collectCells>
  }
  return {
    createApp: ((await import(path.resolve(dir, 'server/src/app.ts'))) as { createApp: typeof createApp }).createApp,
    collectCells: db.collectCells ?? ((sql, spec, method, opts) => db.runCollection(sql, db.collectionQuery(sql, spec, method, opts))),
  }
}
const baselineDir = process.env.BENCH_BASELINE
const baseline: Build | null = baselineDir ? await loadBaseline(baselineDir) : null
const runs = Number(process.env.BENCH_RUNS ?? (baseline ? 3 : 5))

/** The API's answer (status and body) and the collection SQL it runs, as timed functions. */
async function timers(build: Build, sql: Sql, mode: Mode, id: string, query: string) {
  const app = await adminClient(build.createApp({ sql, mode }), sql)
  const q = new URLSearchParams(query)
  const method = q.get('method') as 'gistar' | 'kde'
  const spec: GridSpec = {
    community: id,
    filter: { from: null, to: null, categories: null, hours: null, weekdays: null },
    cell: Number(q.get('cell')),
    shape: (q.get('shape') ?? 'square') as GridSpec['shape'],
    band: q.has('band') ? Number(q.get('band')) : null,
  }
  const opts = { fdr: false, bandwidth: q.has('bandwidth') ? Number(q.get('bandwidth')) : null }
  const state = { status: 0, cells: 0, refusal: '' }
  return {
    state,
    // The API's time is the time to the whole response body (or to its refusal).
    async api() {
      const res = await app.request(`/api/communities/${id}/hotspots?${query}`)
      state.status = res.status
      const body = await res.text()
      if (res.status === 400) state.refusal = (JSON.parse(body) as { error: { message: string } }).error.message
      else if (res.status !== 200) throw new Error(`API answered ${res.status}: ${body}`)
    },
    // What the API runs, run directly: the answer built in the database (for KDE from the points and
    // the kernel sums it then makes), read as bytes.
    async sql() {
      state.cells = (await build.collectCells(sql, spec, method, opts)).figures.cells
    },
  }
}

async function measure(label: string, sql: Sql, mode: Mode, id: string, query: string, withBaseline = true) {
  const now = await timers(current, sql, mode, id, query)
  const before = baseline && withBaseline ? await timers(baseline, sql, mode, id, query) : null
  const fns: Record<string, () => Promise<unknown>> = { api: now.api, sql: now.sql }
  if (before) Object.assign(fns, { baseApi: before.api, baseSql: before.sql })
  const t = await timeAlternating(fns, { runs, warmup: before ? 0 : 1 })
  if (now.state.status !== 200) throw new Error(`${label}: the API refused: ${now.state.refusal}`)
  const [api, raw] = [t.api!, t.sql!]
  const figures: Record<string, string | number> = { cells: now.state.cells, apiMs: api.median, sqlMs: raw.median, ratio: api.median / raw.median }
  if (before && t.baseApi && t.baseSql) {
    figures.beforeApiMs = before.state.status === 200 ? t.baseApi.median : `refused(${t.baseApi.median.toFixed(0)} ms)`
    figures.beforeSqlMs = t.baseSql.median
    if (before.state.status === 200) figures.apiSpeedup = t.baseApi.median / api.median
    figures.sqlSpeedup = t.baseSql.median / raw.median
  }
  figures.apiRange = `${api.min.toFixed(0)}–${api.max.toFixed(0)}`
  report(`${mode}: ${label}`, figures)
}

const server = await serverDatabase('bands')
try {
  let t0 = performance.now()
  await syntheticCity(server.sql, 'kde-city', 30, 150_000)
  report('server: load 150,000 incidents, 30 km', { seconds: (performance.now() - t0) / 1000 })
  await measure('KDE 150k incidents, 30 km, 500 m cells', server.sql, 'server', 'kde-city', 'method=kde&cell=500')
  t0 = performance.now()
  await syntheticCity(server.sql, 'band-city', 10, 34_000)
  report('server: load 34,000 incidents, 10 km', { seconds: (performance.now() - t0) / 1000 })
  await measure('Gi* band 1,000 m, 34k incidents, 100 m cells', server.sql, 'server', 'band-city', 'method=gistar&cell=100&band=1000')
  await measure('Gi* band 2,000 m, 34k incidents, 100 m cells', server.sql, 'server', 'band-city', 'method=gistar&cell=100&band=2000')
} finally {
  await server.close()
}

// Embedded mode near its limits (LIMITS.work.embedded): 10,000 cells × 21 columns of a 1,000 m
// band (of 300,000 cell columns), and KDEs of about 570,000 and 5.5 million kernel terms as estimated
// (of 6,000,000; 600,000 while the kernel was summed in SQL).
// Without the baseline: an earlier checkout may refuse these, and PGlite cannot stop a long query.
const embedded = await embeddedDatabase()
try {
  await syntheticCity(embedded.sql, 'band-community', 10, 34_000)
  await measure('Gi* band 1,000 m, 34k incidents, 100 m cells', embedded.sql, 'embedded', 'band-community', 'method=gistar&cell=100&band=1000', false)
  await syntheticCity(embedded.sql, 'kde-community', 3, 20_000)
  await measure('KDE 20k incidents, 3 km, 100 m cells, 200 m', embedded.sql, 'embedded', 'kde-community', 'method=kde&cell=100&bandwidth=200', false)
  await measure('KDE 20k incidents, 3 km, 100 m cells, 850 m', embedded.sql, 'embedded', 'kde-community', 'method=kde&cell=100&bandwidth=850', false)
} finally {
  await embedded.close()
}
