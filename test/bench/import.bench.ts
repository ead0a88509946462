/**
 * Imports of large files (issue 10): a city's buildings (BENCH_IMPORT_BUILDINGS, default 100,000
 * footprints as GeoJSON) and a year of incidents (BENCH_IMPORT_INCIDENTS, default 200,000 rows of
 * CSV — the most one file may hold) through the import API in server mode, and
 * BENCH_IMPORT_EMBEDDED_INCIDENTS (default 20,000) incidents in embedded mode. For each: the dry run
 * (read, check, compare with what is stored: nothing written), the import into an empty community
 * (all in one transaction), and the same file again (every row unchanged: nothing written) —
 * medians of BENCH_RUNS rounds (default 3), each import into a new community.
 *
 * Run: npm run bench import   (BENCH_RUNS=1 BENCH_IMPORT_BUILDINGS=20000 … for a quick look)
 */
import { createApp } from '../../server/src/app.js'
import type { DbMode, Sql } from '../../server/src/db/connect.js'
import { adminClient, type Client } from '../support/clients.js'
import { embeddedDatabase, report, serverDatabase } from './support.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const BUILDINGS = Number(process.env.BENCH_IMPORT_BUILDINGS ?? 100_000)
const INCIDENTS = Number(process.env.BENCH_IMPORT_INCIDENTS ?? 200_000)
const EMBEDDED_INCIDENTS = Number(process.env.BENCH_IMPORT_EMBEDDED_INCIDENTS ?? 20_000)

/** The synthetic city: a square of `km` km around a point of San Francisco (UTM 10N). */
const X = -122.44
const Y = 37.76
const degX = (m: number) => m / (111_320 * Math.cos((Y * Math.PI) / 180))
const degY = (m: number) => m / 110_540

function boundary(km: number) {
  const dx = degX((km * 1000) / 2)
  const dy = degY((km * 1000) / 2)
  return { type: 'Polygon', coordinates: [[[X - dx, Y - dy], [X + dx, Y - dy], [X + dx, Y + dy], [X - dx, Y + dy], [X - dx, Y - dy]]] }
}

/** n building footprints (12 m × 9 m, on a 25 m grid) inside a square of `km` km, as GeoJSON with the columns offices have. */
function buildingsFile(n: number, km: number): Uint8Array {
  const perRow = Math.floor((km * 1000) / 25)
  const x0 = X - degX((km * 1000) / 2)
  const y0 = Y - degY((km * 1000) / 2)
  const parts: string[] = []
  for (let i = 0; i < n; i++) {
    const x = x0 + degX(5 + (i % perRow) * 25)
    const y = y0 + degY(5 + Math.floor(i / perRow) * 25)
    const [w, h] = [degX(12), degY(9)]
    const ring = [[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]].map(([a, b]) => `[${a!.toFixed(7)},${b!.toFixed(7)}]`).join(',')
    parts.push(`{"type":"Feature","properties":{"id":"B-${i + 1}","address":"${100 + (i % 900)} Bench St","floors":${1 + (i % 12)},"households":${1 + (i % 40)}},"geometry":{"type":"Polygon","coordinates":[[${ring}]]}}`)
  }
  return new TextEncoder().encode(`{"type":"FeatureCollection","features":[${parts.join(',')}]}`)
}

/** n incidents over 2024 (local times, some dates without a time) inside a square of `km` km, as CSV. */
function incidentsFile(n: number, km: number): Uint8Array {
  const cats = ['ROBBERY', 'VANDALISM', 'DRUGS', 'VEHICLE_THEFT', 'LARCENY_THEFT', 'ASSAULT']
  const half = (km * 1000) / 2
  const lines = ['id,category,occurred_at,lon,lat']
  let seed = 42
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
  for (let i = 0; i < n; i++) {
    const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(rand() * 365) * 86_400_000).toISOString().slice(0, 10)
    // 03:00–23:59: clear of the hours daylight saving time skips or repeats (those rows are rejected, as they should be)
    const when = i % 10 === 0 ? day : `${day} ${String(3 + Math.floor(rand() * 21)).padStart(2, '0')}:${String(Math.floor(rand() * 60)).padStart(2, '0')}`
    lines.push(`I-${i + 1},${cats[i % cats.length]},${when},${(X + degX((rand() * 2 - 1) * half * 0.98)).toFixed(6)},${(Y + degY((rand() * 2 - 1) * half * 0.98)).toFixed(6)}`)
  }
  return new TextEncoder().encode(lines.join('\n') + '\n')
}

const median = (ts: number[]) => [...ts].sort((a, b) => a - b)[Math.floor(ts.length / 2)]!

async function upload(client: Client, community: string, layer: string, dryRun: boolean, body: Uint8Array) {
  const res = await client.request(`/api/communities/${community}/imports?layer=${layer}&source=bench&dryRun=${dryRun}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: body as unknown as BodyInit,
  })
  const answer = (await res.json()) as { counts?: { read: number; valid: number; rejected: number; new: number; unchanged: number }; error?: unknown }
  if (res.status !== 200 || answer.counts === undefined || answer.counts.rejected > 0) throw new Error(`${layer} dryRun=${dryRun}: ${res.status} ${JSON.stringify(answer).slice(0, 500)}`)
  return answer.counts
}

let next = 0
/** Times the dry run, the import into a new community and the same file again, RUNS times. */
async function bench(mode: DbMode, sql: Sql, layer: 'buildings' | 'incidents', file: Uint8Array, rows: number, km: number) {
  const app = createApp({ sql, mode, importMaxBytes: 1024 * 1024 * 1024 })
  const client = await adminClient(app, sql)
  const t = { dry: [] as number[], import: [] as number[], again: [] as number[] }
  // warm-up (untimed): the first request of a new app loads the importer's code and plans
  const warm = `bench-${layer}-warm-${++next}`
  await client.request('/api/communities', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: warm, name: warm, timeZone: 'America/Los_Angeles', boundary: boundary(km) }) })
  await upload(client, warm, layer, true, layer === 'buildings' ? buildingsFile(50, km) : incidentsFile(50, km))
  for (let r = 0; r < RUNS; r++) {
    const id = `bench-${layer}-${++next}`
    const created = await client.request('/api/communities', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, name: id, timeZone: 'America/Los_Angeles', boundary: boundary(km) }) })
    if (created.status !== 201) throw new Error(await created.text())
    let t0 = performance.now()
    const dry = await upload(client, id, layer, true, file)
    t.dry.push(performance.now() - t0)
    t0 = performance.now()
    const done = await upload(client, id, layer, false, file)
    t.import.push(performance.now() - t0)
    t0 = performance.now()
    const again = await upload(client, id, layer, false, file)
    t.again.push(performance.now() - t0)
    if (dry.valid !== rows || done.new !== rows || again.unchanged !== rows) throw new Error(`${layer}: ${JSON.stringify({ dry, done, again })}`)
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(1)}s`
  report(`${mode} ${layer} ${rows.toLocaleString('en')} (${(file.length / 1024 / 1024).toFixed(1)} MB)`, {
    dryRun: s(median(t.dry)),
    import: s(median(t.import)),
    again: s(median(t.again)),
    runs: RUNS,
  })
}

// a 10 km square holds 160,000 footprints on the 25 m grid
const km = Math.max(2, Math.ceil(Math.sqrt(BUILDINGS) * 25 / 1000) + 1)
console.log(`import: ${BUILDINGS} buildings and ${INCIDENTS} incidents (server), ${EMBEDDED_INCIDENTS} incidents (embedded), ${RUNS} runs, ${km} km square`)
const server = await serverDatabase('import')
try {
  if (BUILDINGS > 0) await bench('server', server.sql, 'buildings', buildingsFile(BUILDINGS, km), BUILDINGS, km)
  if (INCIDENTS > 0) await bench('server', server.sql, 'incidents', incidentsFile(INCIDENTS, km), INCIDENTS, km)
} finally {
  await server.close()
}
if (EMBEDDED_INCIDENTS > 0) {
  const embedded = await embeddedDatabase()
  try {
    await bench('embedded', embedded.sql, 'incidents', incidentsFile(EMBEDDED_INCIDENTS, km), EMBEDDED_INCIDENTS, km)
  } finally {
    await embedded.close()
  }
}
