import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig, ROOT_DIR } from '../../server/src/config.js'
import type { Sql } from '../../server/src/db/connect.js'
import { DEFAULT_INPUTS, demoSnapshotStamp, makeDemoSnapshot, usableDemoSnapshot } from '../../server/src/db/demo-snapshot.js'
import { migrate } from '../../server/src/db/migrate.js'
import { seedDemo } from '../../server/src/db/seed.js'
import { startServer } from '../../server/src/server.js'
import { openEmpty, testModes } from '../support/db.js'

/** Tables a seed writes and a new database's own start does not (users, roles, sessions and audit are its own). */
async function demoFingerprint(sql: Sql): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }[]>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'
      and table_name not in ('users', 'community_roles', 'sessions', 'audit_log', 'schema_migrations', 'spatial_ref_sys')
    order by 1`
  const out: Record<string, string> = {}
  for (const { name } of tables) {
    const [row] = await sql.unsafe<{ rows: number; md5: string | null }[]>(
      `select count(*)::int as rows, md5(string_agg((to_jsonb(t) - 'created_at' - 'updated_at')::text, '|' order by (to_jsonb(t) - 'created_at' - 'updated_at')::text)) as md5 from ${name} t`,
    )
    out[name] = `${row!.rows} ${row!.md5}`
  }
  const sequences = await sql<{ name: string; last: number | null }[]>`select sequencename as name, last_value as last from pg_sequences where schemaname = 'public' and sequencename not like 'users%' and sequencename not like 'audit%' order by 1`
  for (const s of sequences) out[`sequence ${s.name}`] = String(s.last)
  return out
}

const tmp = (label: string) => fs.mkdtempSync(path.join(os.tmpdir(), `safegrid-${label}-`))
const config = (dataDir: string, snapshotDir: string) => loadConfig({ DATA_DIR: dataDir, DEMO_SNAPSHOT_DIR: snapshotDir, PORT: '0', WEB_DIR: path.join(dataDir, 'no-web') })

describe.runIf(testModes().includes('embedded'))('the demo snapshot (new embedded databases begin as its copy)', () => {
  // one snapshot, made as `npm run build` makes it; every test only reads it
  let snapshotDir = ''
  beforeAll(async () => {
    snapshotDir = path.join(tmp('snapshot'), 'demo')
    await makeDemoSnapshot(snapshotDir)
  }, 300_000)
  afterAll(() => fs.rmSync(path.dirname(snapshotDir), { recursive: true, force: true }))

  it('gives a new DATA_DIR the demo a seed from scratch makes, with demo users and passwords of its own', { timeout: 180_000 }, async () => {
    const dataDir = tmp('from-snapshot')
    // seeded here rather than copied from the tests' demo dump: a dump of an open database comes back
    // with its sequences advanced past their last values, as after a crash
    const scratch = await openEmpty('embedded')
    try {
      await migrate(scratch.sql)
      await seedDemo(scratch.sql, undefined, { users: false })
      const server = await startServer(config(dataDir, snapshotDir))
      try {
        expect(server.seeded).toMatchObject({ community: 'sf-mission', inserted: { communities: 1, buildings: 1152, incidents: 814 + 100 + 651, users: 5 } })
        expect(server.seeded!.users.map((u) => u.username).sort()).toEqual(['demo-admin', 'demo-care', 'demo-mediator', 'demo-planner', 'demo-viewer'])
        expect(await demoFingerprint(server.db.sql)).toEqual(await demoFingerprint(scratch.sql))
        const planner = server.seeded!.users.find((u) => u.role === 'planner')!
        const login = (password: string) =>
          fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: planner.username, password }) })
        expect((await login(planner.password)).status).toBe(204)
        for (const f of ['admin-password.txt', 'demo-users.txt']) expect(fs.statSync(path.join(dataDir, f)).mode & 0o777).toBe(0o600)
        expect(fs.readFileSync(path.join(dataDir, 'demo-users.txt'), 'utf8')).toContain(planner.password)
      } finally {
        await server.close()
      }
      // the next start opens it as it is
      const again = await startServer(config(dataDir, snapshotDir))
      try {
        expect(again.seeded).toBeNull()
        const [row] = await again.db.sql<{ users: number }[]>`select count(*)::int as users from users`
        expect(row!.users).toBe(6)
      } finally {
        await again.close()
      }
    } finally {
      await scratch.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('is not used once a migration, a seed query or a demo file differs from what it was made from', async () => {
    expect(await usableDemoSnapshot(snapshotDir)).not.toBeNull()
    const work = tmp('inputs')
    try {
      const copy = (from: string, name: string) => {
        const to = path.join(work, name)
        fs.cpSync(from, to, { recursive: true })
        return to
      }
      const migrationsDir = copy(DEFAULT_INPUTS.migrationsDir, 'migrations')
      const seedQueriesDir = copy(DEFAULT_INPUTS.seedQueriesDir, 'seed')
      const demoDir = copy(DEFAULT_INPUTS.demoDir, 'demo')
      const copied = { ...DEFAULT_INPUTS, migrationsDir, seedQueriesDir, demoDir }
      // the same files elsewhere stamp alike
      expect(await usableDemoSnapshot(snapshotDir, copied)).not.toBeNull()
      const last = fs.readdirSync(migrationsDir).sort().at(-1)!
      fs.appendFileSync(path.join(migrationsDir, last), '\n-- edited\n')
      expect(await usableDemoSnapshot(snapshotDir, copied)).toBeNull()
      fs.copyFileSync(path.join(DEFAULT_INPUTS.migrationsDir, last), path.join(migrationsDir, last))
      fs.appendFileSync(path.join(seedQueriesDir, 'incidents.sql'), '\n')
      expect(await usableDemoSnapshot(snapshotDir, { ...copied, migrationsDir: DEFAULT_INPUTS.migrationsDir })).toBeNull()
      fs.appendFileSync(path.join(demoDir, 'sample', 'teams.json'), ' ')
      expect(await usableDemoSnapshot(snapshotDir, { ...DEFAULT_INPUTS, demoDir })).toBeNull()
      // a new migration file is a change too
      fs.copyFileSync(path.join(DEFAULT_INPUTS.migrationsDir, last), path.join(migrationsDir, last))
      fs.writeFileSync(path.join(migrationsDir, '99999_later.sql'), 'select 1;\n')
      expect(await usableDemoSnapshot(snapshotDir, { ...DEFAULT_INPUTS, migrationsDir })).toBeNull()
      expect(await demoSnapshotStamp()).toBe(JSON.parse(fs.readFileSync(path.join(snapshotDir, 'snapshot.json'), 'utf8')).stamp)
    } finally {
      fs.rmSync(work, { recursive: true, force: true })
    }
  })

  it('leaves no half-made database when the start is killed while it copies and opens the snapshot', { timeout: 180_000 }, async () => {
    const dataDir = tmp('killed-copy')
    try {
      const server = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
        cwd: ROOT_DIR,
        env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, DEMO_SNAPSHOT_DIR: snapshotDir, PORT: '0', WEB_DIR: path.join(dataDir, 'no-web') },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      const exited = new Promise<void>((r) => server.once('exit', () => r()))
      const partial = path.join(dataDir, 'pgdata.partial')
      for (let k = 0; k < 2400 && !fs.existsSync(partial); k++) await new Promise((r) => setTimeout(r, 25))
      expect(fs.existsSync(partial)).toBe(true)
      await new Promise((r) => setTimeout(r, 300)) // copying, opening or adding the demo users: part way
      server.kill('SIGKILL')
      await exited
      expect(fs.existsSync(path.join(dataDir, 'pgdata'))).toBe(false)
      const restarted = await startServer(config(dataDir, snapshotDir))
      try {
        expect(restarted.seeded?.users).toHaveLength(5)
        const [row] = await restarted.db.sql<{ buildings: number; users: number }[]>`select (select count(*) from buildings)::int as buildings, (select count(*) from users)::int as users`
        expect(row).toEqual({ buildings: 1152, users: 6 })
        expect(fs.existsSync(partial)).toBe(false)
      } finally {
        await restarted.close()
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
