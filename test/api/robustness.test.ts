import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { findPostgis, startCluster, type Cluster } from '../../scripts/pg-cluster.mjs'
import { createApp } from '../../server/src/app.js'
import { loadConfig, ROOT_DIR } from '../../server/src/config.js'
import { connectEmbedded, connectUrl } from '../../server/src/db/connect.js'
import { SecondConnectionError, startEmbedded } from '../../server/src/db/embedded.js'
import { migrate } from '../../server/src/db/migrate.js'
import { seedDemo } from '../../server/src/db/seed.js'
import { startServer } from '../../server/src/server.js'
import { adminClient } from '../support/clients.js'
import { openDemo, testModes } from '../support/db.js'
import { throwawayDatabase } from '../support/modes.js'

const tcpServers = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length
const ms = async <T>(f: () => Promise<T>) => {
  const t = performance.now()
  const value = await f()
  return { value, ms: performance.now() - t }
}

describe.runIf(testModes().includes('embedded'))('the embedded database', () => {
  it('listens on no socket: postgres.js reaches PGlite in-process', async () => {
    const before = tcpServers()
    const embedded = await startEmbedded('memory://')
    try {
      expect(tcpServers()).toBe(before)
      expect(Object.keys(embedded)).not.toContain('url')
      const sql = connectEmbedded(embedded)
      const [row] = await sql<{ v: string }[]>`select version() as v`
      expect(row!.v).toContain('PostgreSQL')
      await sql.end()
    } finally {
      await embedded.stop()
    }
  })

  it('refuses a second connection while one is open, so no client gets another’s answers', async () => {
    const embedded = await startEmbedded('memory://')
    try {
      const first = embedded.socket()
      expect(() => embedded.socket()).toThrow(SecondConnectionError)
      first.destroy()
      await new Promise((r) => setImmediate(r))
      // once the first is gone, the next may open
      embedded.socket().destroy()
      // a pool of two: the second connection fails, the first keeps answering
      const sql = connectEmbedded(embedded)
      const results = await Promise.allSettled([sql`select 1 as a`, sql`select 2 as b`, sql`select 3 as c`])
      expect(results.every((r) => r.status === 'fulfilled')).toBe(true)
      expect(embedded.linksOpened()).toBe(3)
      await sql.end()
    } finally {
      await embedded.stop()
    }
  })

  it('answers each query with its own result after a failed one, pipelined or not (PGlite sends ReadyForQuery early)', async () => {
    const embedded = await startEmbedded('memory://')
    try {
      const sql = connectEmbedded(embedded)
      await sql`create table t (n int check (n > 0))`
      const answer = (q: PromiseLike<unknown>) => Promise.resolve(q).then((rows) => ({ rows }), (e: Error) => ({ error: e.message }))
      // one after another: a failing prepared statement, then more of both kinds
      expect(await answer(sql`insert into t values (${-1})`)).toEqual({ error: expect.stringMatching(/check constraint/) })
      expect(await answer(sql`select 1 / ${0}::int as x`)).toEqual({ error: 'division by zero' })
      expect(await answer(sql`select ${2}::int as two`)).toEqual({ rows: [{ two: 2 }] })
      expect(await answer(sql`insert into t values (1) returning n`)).toEqual({ rows: [{ n: 1 }] })
      // pipelined: sent together, each gets its own answer
      const results = await Promise.all([
        answer(sql`select ${'a'}::text as v`),
        answer(sql`insert into t values (${-2})`),
        answer(sql`select ${'b'}::text as v`),
        answer(sql`select 1 / 0 as boom`),
        answer(sql`select ${'c'}::text as v`),
      ])
      expect(results).toEqual([
        { rows: [{ v: 'a' }] },
        { error: expect.stringMatching(/check constraint/) },
        { rows: [{ v: 'b' }] },
        { error: 'division by zero' },
        { rows: [{ v: 'c' }] },
      ])
      // a failed statement inside a transaction: the transaction is rolled back and the link goes on
      await expect(sql.begin(async (tx) => { await tx`insert into t values (5)`; await tx`insert into t values (${-5})` })).rejects.toThrow(/check constraint/)
      expect(await sql`select array_agg(n order by n) as ns from t`).toEqual([{ ns: [1] }])
      await sql.end()
    } finally {
      await embedded.stop()
    }
  })
})

describe.runIf(testModes().includes('server'))('while a heavy analysis runs (server mode)', () => {
  it('health and tiles answer in well under a second', { timeout: 120_000 }, async () => {
    const demo = await openDemo('server')
    const analysisSql = connectUrl(demo.url!, 4)
    try {
      const app = await adminClient(createApp({ sql: demo.sql, analysisSql, mode: 'server' }), demo.sql)
      await app.request('/api/health')
      const heavy = app.request('/api/communities/sf-mission/hotspots?method=gistar&cell=10&shape=hex&fdr=true')
      // wait until it runs in the database
      for (let k = 0; k < 200; k++) {
        const [row] = await demo.sql<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = current_database() and state = 'active' and query like '%lattice as materialized%'`
        if (row!.n > 0) break
        await new Promise((r) => setTimeout(r, 10))
      }
      const health = await ms(() => app.request('/api/health'))
      const tile = await ms(async () => (await app.request('/tiles/buildings/16/10483/25332.mvt?community=sf-mission')).arrayBuffer())
      const [running] = await demo.sql<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = current_database() and state = 'active' and query like '%lattice as materialized%'`
      expect(health.value.status).toBe(200)
      expect(health.ms).toBeLessThan(1000)
      expect(tile.ms).toBeLessThan(1000)
      expect(running!.n).toBe(1) // the analysis was still running meanwhile
      expect((await heavy).status).toBe(200)
    } finally {
      await analysisSql.end()
      await demo.close()
    }
  })
})

describe.runIf(testModes().includes('embedded'))('while a heavy analysis runs (embedded mode)', () => {
  // PGlite runs a query in this process, one at a time: what keeps the server responsive is that
  // every analysis is bounded to a fraction of a second up front (LIMITS.work.embedded).
  it('refuses up front what would run long, and health still answers beside the heaviest analysis allowed', { timeout: 120_000 }, async () => {
    const demo = await openDemo('embedded')
    try {
      await demo.app.request('/api/health')
      // the heaviest analysis the mode allows, alone: how long a request may have to wait behind it
      const alone = await ms(() => demo.app.request('/api/communities/sf-mission/hotspots?method=gistar&cell=15'))
      expect(alone.value.status).toBe(200)
      const heavy = ms(() => demo.app.request('/api/communities/sf-mission/hotspots?method=gistar&cell=15'))
      await new Promise((r) => setTimeout(r, 20))
      const health = await ms(() => demo.app.request('/api/health'))
      expect(health.value.status).toBe(200)
      // health waits at most for the one analysis running (PGlite runs one query at a time, in this
      // process), never behind a queue or a stall; measured against the same analysis in this run
      expect(health.ms).toBeLessThan(alone.ms * 1.5 + 1000)
      const done = await heavy
      expect(done.value.status).toBe(200)
      for (const q of ['cell=10', 'method=kde&cell=10', 'method=kde&cell=25&bandwidth=1500', 'cell=25&band=2000', 'method=emerging&cell=25&slice=week&from=2012-07-01&to=2012-12-31']) {
        const res = await demo.app.request(`/api/communities/sf-mission/hotspots?${q}`)
        expect(res.status, q).toBe(400)
      }
    } finally {
      await demo.close()
    }
  })
})

describe.runIf(testModes().includes('server') && findPostgis() !== null)('a database outage (server mode)', () => {
  let cluster: Cluster
  beforeAll(async () => {
    cluster = await startCluster({ quiet: true })
  }, 120_000)
  afterAll(() => cluster?.stop())

  it('answers 503 database_unavailable quickly while PostgreSQL is down, and recovers by itself', { timeout: 120_000 }, async () => {
    const sql = connectUrl(cluster.url)
    try {
      await migrate(sql)
      await seedDemo(sql)
      const app = await adminClient(createApp({ sql, mode: 'server' }), sql)
      expect((await app.request('/api/communities/sf-mission/layers/zones')).status).toBe(200)
      cluster.pause()
      for (const p of ['/api/health', '/api/communities/sf-mission/layers/zones', '/tiles/buildings/16/10483/25332.mvt?community=sf-mission']) {
        const res = await ms(() => app.request(p))
        expect(res.value.status, p).toBe(503)
        expect(((await res.value.json()) as { error: { code: string } }).error.code).toBe('database_unavailable')
        expect(res.ms, p).toBeLessThan(6000)
      }
      cluster.resume()
      let back = 0
      for (let k = 0; k < 50 && back !== 200; k++) {
        back = (await app.request('/api/health')).status
        if (back !== 200) await new Promise((r) => setTimeout(r, 200))
      }
      expect(back).toBe(200)
      expect((await app.request('/api/communities/sf-mission/layers/zones')).status).toBe(200)
    } finally {
      await sql.end({ timeout: 1 })
    }
  })
})

/** Runs `tsx <script>` with `env`; resolves when it exits. */
function child(script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT_DIR, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
}
const exited = (p: ChildProcess) => new Promise<void>((r) => (p.exitCode !== null ? r() : p.once('exit', () => r())))

describe('seeding killed part way', () => {
  it.runIf(testModes().includes('server'))('leaves nothing in server mode, and the next seed numbers rows as a clean one does', { timeout: 180_000 }, async () => {
    const db = await throwawayDatabase('server', { adminUrl: inject('serverAdminUrl'), label: 'killed' })
    try {
      await migrate(db.sql)
      const seed = child('server/src/cli/seed.ts', { DATABASE_URL: db.url! })
      // kill it inside its transaction: once the seed has written rows nobody else can see yet
      let inside = false
      for (let k = 0; k < 600 && !inside; k++) {
        const [row] = await db.sql<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_xid is not null`
        inside = row!.n > 0
        if (!inside) await new Promise((r) => setTimeout(r, 20))
      }
      expect(inside).toBe(true)
      await new Promise((r) => setTimeout(r, 300))
      seed.kill('SIGKILL')
      await exited(seed)
      const counts = async () => (await db.sql<{ c: number; b: number; u: number }[]>`select (select count(*) from communities)::int as c, (select count(*) from buildings)::int as b, (select count(*) from users)::int as u`)[0]
      expect(await counts()).toEqual({ c: 0, b: 0, u: 0 })
      await seedDemo(db.sql)
      const [ids] = await db.sql<{ zones: number[]; building: number; incident: number }[]>`
        select (select array_agg(id order by id) from grid_zones) as zones, (select min(id) from buildings) as building, (select min(id) from incidents) as incident`
      expect(ids).toEqual({ zones: Array.from({ length: 13 }, (_, i) => i + 1), building: 1, incident: 1 })
    } finally {
      await db.close()
    }
  })

  // seeded from scratch (no demo snapshot: test/api/demo-snapshot.test.ts kills a copy of one)
  it.runIf(testModes().includes('embedded'))('leaves no half-made database in embedded mode: the next start builds it whole', { timeout: 300_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'safegrid-killed-'))
    try {
      const server = child('server/src/main.ts', { DATABASE_URL: '', DATA_DIR: dataDir, PORT: '0', SEED_DEMO: 'true', DEMO_SNAPSHOT_DIR: '', WEB_DIR: path.join(dataDir, 'no-web') })
      let output = ''
      server.stderr!.on('data', (d: Buffer) => (output += d.toString()))
      const partial = path.join(dataDir, 'pgdata.partial')
      for (let k = 0; k < 2400 && !fs.existsSync(partial); k++) await new Promise((r) => setTimeout(r, 50))
      expect(fs.existsSync(partial), output).toBe(true)
      await new Promise((r) => setTimeout(r, 4000)) // initdb, migrations or the seed: part way
      server.kill('SIGKILL')
      await exited(server)
      expect(fs.existsSync(path.join(dataDir, 'pgdata'))).toBe(false)
      const restarted = await startServer({ ...loadConfig({ DATA_DIR: dataDir, PORT: '0', DEMO_SNAPSHOT_DIR: '', WEB_DIR: path.join(dataDir, 'no-web') }) })
      try {
        expect(restarted.seeded).not.toBeNull()
        const [row] = await restarted.db.sql<{ zones: number[]; buildings: number; incidents: number; users: number }[]>`
          select (select array_agg(id order by id) from grid_zones) as zones, (select count(*) from buildings)::int as buildings,
                 (select count(*) from incidents)::int as incidents, (select count(*) from users)::int as users`
        expect(row).toEqual({ zones: Array.from({ length: 13 }, (_, i) => i + 1), buildings: 1152, incidents: row!.incidents, users: 6 })
        expect(row!.incidents).toBeGreaterThan(900)
        expect(fs.existsSync(partial)).toBe(false)
        // generated passwords: the administrator's and the demo users', readable by the owner only
        for (const f of ['admin-password.txt', 'demo-users.txt']) expect(fs.statSync(path.join(dataDir, f)).mode & 0o777).toBe(0o600)
      } finally {
        await restarted.close()
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
