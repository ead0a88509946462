/**
 * Vector tiles under load (issue 16).
 *
 * Server mode: the synthetic city (BENCH_BUILDINGS, default 300,000 buildings), building tiles of
 * z15 and z16 picked at random over the city, 16 connections at once. In alternating rounds of
 * BENCH_SECONDS each:
 *   - `server`: our server (its own process, the tile cache off so every request builds its tile)
 *     under an HTTP load loop (a minimal keep-alive client on net sockets, as wrk is;
 *     autocannon is not among our packages, and node:http's client cost as much CPU as the server);
 *   - `server (before)`: the same, the server of another working tree (BENCH_BASE_TREE, e.g. a
 *     worktree at the commit before the tile work) against the same database;
 *   - `standard`: pgbench running a standard tile query — ST_AsMVTGeom + ST_AsMVT over the same
 *     buildings with the same properties, measured as the buildings layer measured them before
 *     (the captain join, the incidents within 25 m counted per building);
 *   - `standard (stored)`: the same with the properties read from building_facts (migration 00009).
 * Then repeat tiles with the cache on. Figures: requests per second, p50/p95 latency, and each
 * server's rate over each standard's — ratios of one run, as the machine's load weighs on each alike.
 *
 * Embedded mode: the demo, z15 building tiles, 30 connections, the cache off and on.
 *
 * Run: npm run bench tiles   (BENCH_BASE_TREE=/work/wt-tiles-base, BENCH_ROUNDS=3, BENCH_SECONDS=15)
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { loadSyntheticCity, syntheticCity } from '../../fixtures/synthetic-city.js'
import { connectUrl } from '../../server/src/db/connect.js'
import { ROOT_DIR } from '../../server/src/config.js'
import { createTestUsers, TEST_ADMIN, TEST_PASSWORD } from '../support/clients.js'
import { report, serverDatabase } from './support.js'

const BUILDINGS = Number(process.env.BENCH_BUILDINGS ?? 300_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15)
const CONNECTIONS = 16
const EMBEDDED_CONNECTIONS = 30
const BASE_TREE = process.env.BENCH_BASE_TREE
const PGBENCH = process.env.PGBENCH ?? '/usr/lib/postgresql/15/bin/pgbench'

interface Figures {
  requests: number
  rps: number
  p50: number
  p95: number
  errors: number
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN

function figures(latencies: number[], seconds: number, errors: number): Figures {
  const sorted = [...latencies].sort((a, b) => a - b)
  return { requests: sorted.length, rps: sorted.length / seconds, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), errors }
}

/** Tiles of zoom z whose whole extent lies within bbox (degrees), or (`touching`) that overlap it. */
function tilesWithin(bbox: [number, number, number, number], z: number, touching = false): { z: number; x: number; y: number }[] {
  const n = 2 ** z
  const tx = (lon: number) => ((lon + 180) / 360) * n
  const ty = (lat: number) => ((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * n
  const [x0, x1, y0, y1] = touching
    ? [Math.floor(tx(bbox[0])), Math.ceil(tx(bbox[2])), Math.floor(ty(bbox[3])), Math.ceil(ty(bbox[1]))]
    : [Math.ceil(tx(bbox[0])), Math.floor(tx(bbox[2])), Math.ceil(ty(bbox[3])), Math.floor(ty(bbox[1]))]
  const out = []
  for (let x = x0; x + 1 <= x1; x++) for (let y = y0; y + 1 <= y1; y++) out.push({ z, x, y })
  return out
}

/** Starts tile-server.ts of `tree` (its own process); resolves with its base URL and the process. */
async function startServer(env: Record<string, string>, tree = ROOT_DIR): Promise<{ base: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'test/bench/tile-server.ts')], {
    cwd: tree,
    env: { ...process.env, BENCH_TREE: tree, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /port (\d+)/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    child.once('exit', (code) => reject(new Error(`tile server (${tree}) exited with ${code}`)))
  })
  return { base: `http://127.0.0.1:${port}`, child }
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

async function login(base: string): Promise<string> {
  const res = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: TEST_ADMIN, password: TEST_PASSWORD }) })
  if (res.status !== 204) throw new Error(`login answered ${res.status}`)
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!
}

/**
 * `connections` keep-alive connections, each asking for a random path of `paths` until `seconds`
 * have passed. A minimal HTTP/1.1 client on net sockets (status line, Content-Length, body
 * skipped), like wrk: node:http's client spent as much CPU as the server on a 2-core machine.
 */
async function load(base: string, cookie: string, paths: string[], connections: number, seconds: number): Promise<Figures> {
  const url = new URL(base)
  const latencies: number[] = []
  let errors = 0
  const end = performance.now() + seconds * 1000
  const loop = () =>
    new Promise<void>((resolve) => {
      const socket = net.connect(Number(url.port), url.hostname)
      socket.setNoDelay(true)
      let buf: Buffer = Buffer.alloc(0)
      let need = -1 // body bytes still to come; -1 while reading headers
      let status = 0
      let t = 0
      const next = () => {
        if (performance.now() >= end) {
          socket.end()
          return resolve()
        }
        t = performance.now()
        socket.write(`GET ${paths[Math.floor(Math.random() * paths.length)]} HTTP/1.1\r\nhost: ${url.host}\r\ncookie: ${cookie}\r\n\r\n`)
      }
      const done = () => {
        if (status === 200 || status === 204) latencies.push(performance.now() - t)
        else errors++
        need = -1
        next()
      }
      socket.on('data', (chunk: Buffer) => {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk
        for (;;) {
          if (need < 0) {
            const i = buf.indexOf('\r\n\r\n')
            if (i < 0) return
            const head = buf.subarray(0, i).toString('latin1')
            status = Number(head.slice(9, 12))
            need = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0)
            buf = buf.subarray(i + 4)
          }
          if (buf.length < need) {
            need -= buf.length
            buf = Buffer.alloc(0)
            return
          }
          buf = buf.subarray(need)
          done()
          if (buf.length === 0) return
        }
      })
      socket.on('error', () => {
        errors++
        resolve()
      })
      socket.on('connect', next)
    })
  const t0 = performance.now()
  await Promise.all(Array.from({ length: connections }, loop))
  return figures(latencies, (performance.now() - t0) / 1000, errors)
}

/** The standard tile query for pgbench: tile :i of bench_tiles, properties measured (live) or stored. */
function standardQuery(community: string, stored: boolean): string {
  const captain = stored
    ? `left join captains as cap on cap.community_id = b.community_id and cap.id = bf.captain_id`
    : `left join lateral (
         select k.id, k.name from captain_buildings as cb
         join captains as k on k.community_id = cb.community_id and k.id = cb.captain_id and k.active
         where cb.community_id = b.community_id and cb.building_id = b.id order by k.id limit 1) as cap on true`
  const incidents = stored
    ? 'bf.incidents_near'
    : `(select count(*) from incidents as i where i.community_id = b.community_id and i.geom && safegrid_metre_box(b.geom, 25::float8)
          and ST_DWithin(ST_Transform(i.geom, c.metric_srid), ST_Transform(b.geom, c.metric_srid), 25::float8))`
  return `\\set i random(1, :n)
select ST_AsMVT(t, 'buildings', 4096, 'geom', 'id') from (
  select b.id, ST_AsMVTGeom(ST_Transform(b.geom, 3857), ST_TileEnvelope(bt.z, bt.x, bt.y), 4096, 64, true) as geom,
         jsonb_build_object('id', b.id, 'name', b.name, 'address', b.address, 'households', b.households,
           'residents', b.residents, 'floors', b.floors, 'captained', cap.id is not null, 'captainId', cap.id,
           'captainName', cap.name, 'zoneId', b.zone_id, 'zoneCode', bz.code, 'isSample', b.is_sample,
           'incidents', ${incidents}) as props
  from bench_tiles as bt
  join buildings as b on b.community_id = '${community}'
   and b.geom && ST_Transform(ST_TileEnvelope(bt.z, bt.x, bt.y, margin => 64.0 / 4096), 4326)
  join communities as c on c.id = b.community_id
  ${stored ? 'join building_facts as bf on bf.community_id = b.community_id and bf.building_id = b.id' : ''}
  left join grid_zones as bz on bz.community_id = b.community_id and bz.id = b.zone_id
  ${captain}
  where bt.i = :i
) as t where t.geom is not null;
`
}

/** pgbench with `connections` clients for `seconds` on `script`; latencies from its transaction log. */
async function pgbench(url: string, script: string, tiles: number, connections: number, seconds: number): Promise<Figures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safegrid-pgbench-'))
  try {
    fs.writeFileSync(path.join(dir, 'tile.sql'), script)
    const args = ['-n', '-M', 'prepared', '-c', String(connections), '-j', '2', '-T', String(seconds), '-D', `n=${tiles}`, '-f', path.join(dir, 'tile.sql'), '-l', '--log-prefix', path.join(dir, 'log'), url]
    const child = spawn(PGBENCH, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    if (code !== 0) throw new Error(`pgbench exited with ${code}: ${out}`)
    const latencies: number[] = []
    for (const f of fs.readdirSync(dir).filter((f) => f.startsWith('log')))
      for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
        const us = Number(line.split(' ')[2])
        if (line && Number.isFinite(us)) latencies.push(us / 1000)
      }
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1] ?? NaN)
    const f = figures(latencies, seconds, Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0))
    return { ...f, rps: Number.isFinite(tps) ? tps : f.rps }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const show = (f: Figures) => ({ 'req/s': f.rps, p50ms: f.p50, p95ms: f.p95, requests: f.requests, errors: f.errors })
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

// ---- server mode -------------------------------------------------------------------------------
if (!fs.existsSync(PGBENCH)) throw new Error(`pgbench not found at ${PGBENCH} (set PGBENCH)`)
// BENCH_CITY_URL: a migrated database already holding the city (loading 300,000 buildings takes minutes)
const db = process.env.BENCH_CITY_URL
  ? { url: process.env.BENCH_CITY_URL, sql: connectUrl(process.env.BENCH_CITY_URL), async close() { await this.sql.end() } }
  : await serverDatabase('tiles')
const servers: ChildProcess[] = []
try {
  const city = process.env.BENCH_CITY_URL ? await syntheticCity(db.sql) : await loadSyntheticCity(db.sql, { buildings: BUILDINGS })
  report(`synthetic city (${city.counts.buildings.toLocaleString('en')} buildings)`, { loadSeconds: city.seconds, ...city.counts })
  await createTestUsers(db.sql)
  await db.sql`drop table if exists bench_tiles`
  const tiles = [...tilesWithin(city.bbox, 15), ...tilesWithin(city.bbox, 16)]
  await db.sql`create table bench_tiles (i int primary key, z int, x int, y int)`
  await db.sql`insert into bench_tiles ${db.sql(tiles.map((t, i) => ({ i: i + 1, ...t })))}`
  report('tiles', { z15: tiles.filter((t) => t.z === 15).length, z16: tiles.filter((t) => t.z === 16).length, connections: CONNECTIONS, seconds: SECONDS, rounds: ROUNDS })
  const paths = tiles.map((t) => `/tiles/buildings/${t.z}/${t.x}/${t.y}.mvt?community=${city.id}`)

  const env = { DATABASE_URL: db.url, BENCH_CONNECTIONS: String(CONNECTIONS) }
  const ours = await startServer({ ...env, TILE_CACHE_MB: '0' })
  servers.push(ours.child)
  const before = BASE_TREE ? await startServer({ ...env, TILE_CACHE_MB: '0' }, path.resolve(BASE_TREE)) : null
  if (before) servers.push(before.child)
  const cookies = { ours: await login(ours.base), before: before ? await login(before.base) : '' }

  const runs: Record<string, () => Promise<Figures>> = {
    server: () => load(ours.base, cookies.ours, paths, CONNECTIONS, SECONDS),
    ...(before ? { 'server (before)': () => load(before.base, cookies.before, paths, CONNECTIONS, SECONDS) } : {}),
    standard: () => pgbench(db.url, standardQuery(city.id, false), tiles.length, CONNECTIONS, SECONDS),
    'standard (stored)': () => pgbench(db.url, standardQuery(city.id, true), tiles.length, CONNECTIONS, SECONDS),
  }
  // warm up: every tile once through each server (caches of PostgreSQL, plans, JIT of Node)
  for (const base of [ours, before]) if (base) await load(base.base, base === ours ? cookies.ours : cookies.before, paths, CONNECTIONS, Math.min(SECONDS, 5))
  const results: Record<string, Figures[]> = Object.fromEntries(Object.keys(runs).map((k) => [k, []]))
  for (let r = 0; r < ROUNDS; r++)
    for (const [name, run] of Object.entries(runs)) {
      const f = await run()
      results[name]!.push(f)
      report(`round ${r + 1} ${name}`, show(f))
    }
  for (const [name, fs_] of Object.entries(results)) report(`median ${name}`, { 'req/s': median(fs_.map((f) => f.rps)), p95ms: median(fs_.map((f) => f.p95)) })
  // ratios per round (the same round's figures), then their median
  const ratio = (a: string, b: string) => median(results[a]!.map((f, i) => f.rps / results[b]![i]!.rps))
  for (const a of ['server', ...(before ? ['server (before)'] : [])])
    for (const b of ['standard', 'standard (stored)']) report(`ratio ${a} / ${b}`, { median: ratio(a, b), rounds: results[a]!.map((f, i) => (f.rps / results[b]![i]!.rps).toFixed(2)).join(' ') })
  if (before) report('ratio server / server (before)', { median: ratio('server', 'server (before)') })

  // repeat tiles from the cache: a server with it on, every tile asked once, then the load
  await stopServer(ours.child)
  const cached = await startServer({ ...env, TILE_CACHE_MB: '256' })
  servers.push(cached.child)
  const cookie = await login(cached.base)
  for (let i = 0; i < paths.length; i += CONNECTIONS) await Promise.all(paths.slice(i, i + CONNECTIONS).map((p) => fetch(cached.base + p, { headers: { cookie } }).then((r) => r.arrayBuffer())))
  report('server, repeat tiles (cache on)', show(await load(cached.base, cookie, paths, CONNECTIONS, SECONDS)))
} finally {
  for (const child of servers) if (child.exitCode === null) await stopServer(child)
  await db.close()
}

// ---- embedded mode -----------------------------------------------------------------------------
{
  const demoTiles = tilesWithin([-122.4265, 37.7545, -122.4045, 37.7705], 15, true)
  const paths = demoTiles.map((t) => `/tiles/buildings/${t.z}/${t.x}/${t.y}.mvt?community=sf-mission`)
  report('embedded: demo z15 building tiles', { tiles: demoTiles.length, connections: EMBEDDED_CONNECTIONS, seconds: SECONDS })
  const trees: [string, string][] = [['ours', ROOT_DIR], ...(BASE_TREE ? [['before', path.resolve(BASE_TREE)] as [string, string]] : [])]
  for (const [name, tree] of trees)
    for (const cache of ['0', '64']) {
      if (name === 'before' && cache !== '0') continue
      const s = await startServer({ TILE_CACHE_MB: cache }, tree)
      try {
        const cookie = await login(s.base)
        await load(s.base, cookie, paths, 4, 3)
        report(`embedded ${name}, cache ${cache === '0' ? 'off' : 'on'}`, show(await load(s.base, cookie, paths, EMBEDDED_CONNECTIONS, SECONDS)))
      } finally {
        await stopServer(s.child)
      }
    }
}
