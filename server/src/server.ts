/**
 * Starting and stopping the whole service: open the database (a new embedded one is created whole:
 * migrated and, when asked, seeded with the demo before it counts as there), migrate, make sure a
 * system administrator exists, listen. Used by main.ts and by tests that need a real server.
 */
import { serve, type ServerType } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { createDemoUsers, ensureFirstAdmin, writePrivateFile, type FirstAdmin } from './auth/accounts.js'
import type { Config } from './config.js'
import { openDatabase, type Database, type Sql } from './db/connect.js'
import { currentDemoSnapshot, type DemoSnapshot } from './db/demo-snapshot.js'
import { migrate } from './db/migrate.js'
import { seedDemo, type SeedResult } from './db/seed.js'
import { log } from './log.js'

export interface RunningServer {
  url: string
  db: Database
  /** seconds from start to listening */
  startupSeconds: number
  /** the demo seeded by this start (with the demo users' generated passwords), or null */
  seeded: SeedResult | null
  /** the first administrator, when this start created one */
  admin: FirstAdmin | null
  /** files written with generated passwords (embedded mode) */
  passwordFiles: string[]
  close(): Promise<void>
}

/** Opens the database, brings it up to date, seeds a new embedded one with the demo, ensures an administrator, and listens. */
export async function startServer(config: Config): Promise<RunningServer> {
  const t0 = performance.now()
  let seeded: SeedResult | null = null
  let snapshot: DemoSnapshot | null = null
  const opening = openDatabase(
    config,
    async (fresh, from) => {
      await migrate(fresh.sql)
      if (from.template && snapshot) {
        // a copy of the demo snapshot: the demo is there; its users are this database's own
        const users = await fresh.sql.begin((tx) => createDemoUsers(tx as unknown as Sql, snapshot!.community))
        seeded = { community: snapshot.community, inserted: { ...snapshot.inserted, users: users.length }, users }
      } else if (config.seedDemo) seeded = await seedDemo(fresh.sql)
    },
    {
      // only asked when DATA_DIR has no database yet
      template: async () => {
        if (!config.seedDemo || config.demoSnapshotDir === null) return null
        snapshot = await currentDemoSnapshot(config.demoSnapshotDir)
        return snapshot?.pgdata ?? null
      },
    },
  )
  // the app's modules (routes, schemas) load while PGlite compiles its WebAssembly on other threads
  const appModule = import('./app.js')
  appModule.catch(() => {}) // reported below, once the database is open (and then closed again)
  const db = await opening
  try {
    const { createApp } = await appModule
    const migration = await migrate(db.sql)
    if (migration.applied.length) log.info('migrations applied', { applied: migration.applied, schemaLevel: migration.level })
    if (seeded) log.info('demo community seeded', { community: (seeded as SeedResult).community, inserted: (seeded as SeedResult).inserted })
    const admin = await ensureFirstAdmin(db.sql, config.admin.username, config.admin.password)
    const passwordFiles: string[] = []
    if (db.mode === 'embedded') {
      if (admin?.generated)
        passwordFiles.push(await writePrivateFile(config.dataDir, 'admin-password.txt', `${admin.username}\n${admin.generated}\n`))
      const users = (seeded as SeedResult | null)?.users ?? []
      if (users.length > 0)
        passwordFiles.push(await writePrivateFile(config.dataDir, 'demo-users.txt', users.map((u) => `${u.username}\t${u.role}\t${u.password}`).join('\n') + '\n'))
    }
    const app = createApp({ sql: db.sql, analysisSql: db.analysisSql, mode: db.mode, webDir: config.webDir, analysisTimeoutMs: config.analysisTimeoutMs, auth: config.auth, tileCacheBytes: config.tileCacheBytes, importMaxBytes: config.importMaxBytes })
    const server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s))
    })
    const { port } = server.address() as AddressInfo
    return {
      url: `http://${config.host}:${port}`,
      db,
      seeded,
      admin,
      passwordFiles,
      startupSeconds: (performance.now() - t0) / 1000,
      async close() {
        await new Promise<void>((resolve) => server.close(() => resolve()))
        await db.close()
      },
    }
  } catch (e) {
    await db.close().catch(() => {})
    throw e
  }
}
