/**
 * Starting and stopping the whole service: open the database, migrate, seed the demo when
 * asked, listen. Used by main.ts and by tests that need a real server (e2e).
 */
import { serve, type ServerType } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { createApp } from './app.js'
import type { Config } from './config.js'
import { listCommunities } from './db/communities.js'
import { openDatabase, type Database } from './db/connect.js'
import { migrate } from './db/migrate.js'
import { seedDemo } from './db/seed.js'
import { log } from './log.js'

export interface RunningServer {
  url: string
  db: Database
  /** seconds from start to listening */
  startupSeconds: number
  seeded: boolean
  close(): Promise<void>
}

/** Opens the database, brings it up to date, seeds the demo (embedded mode, empty database) and listens. */
export async function startServer(config: Config): Promise<RunningServer> {
  const t0 = performance.now()
  const db = await openDatabase(config)
  try {
    const migration = await migrate(db.sql)
    if (migration.applied.length) log.info('migrations applied', { applied: migration.applied, schemaLevel: migration.level })
    let seeded = false
    if (db.mode === 'embedded' && config.seedDemo && (await listCommunities(db.sql)).length === 0) {
      const result = await seedDemo(db.sql)
      log.info('demo community seeded', { ...result })
      seeded = true
    }
    const app = createApp({ sql: db.sql, mode: db.mode, webDir: config.webDir, analysisTimeoutMs: config.analysisTimeoutMs })
    const server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s))
    })
    const { port } = server.address() as AddressInfo
    return {
      url: `http://${config.host}:${port}`,
      db,
      seeded,
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
