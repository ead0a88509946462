/**
 * Runs once per `vitest run`: prepares one seeded demo database per mode under test and hands
 * their URLs to the test files (inject('dbUrls')). Modes come from SAFEGRID_TEST_MODES, set by
 * scripts/test.mjs: "embedded" (PGlite, in memory) and "server" (a fresh database created on
 * SAFEGRID_TEST_SERVER_URL and dropped afterwards — the data there is never touched).
 */
import type { TestProject } from 'vitest/node'
import { connectUrl, startEmbedded, type DbMode } from '../../server/src/db/connect.js'
import { migrate } from '../../server/src/db/migrate.js'
import { seedDemo } from '../../server/src/db/seed.js'
import { testModesFromEnv, withDatabase } from './modes.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the seeded demo database of each mode under test */
    dbUrls: Partial<Record<DbMode, string>>
    /** URL of the PostgreSQL server (server mode) on which tests may create databases */
    serverAdminUrl: string
  }
}

async function seeded(url: string, mode: DbMode) {
  const sql = connectUrl(url, mode)
  try {
    await migrate(sql)
    await seedDemo(sql)
  } finally {
    await sql.end()
  }
}

export default async function setup(project: TestProject) {
  const modes = testModesFromEnv()
  const urls: Partial<Record<DbMode, string>> = {}
  const cleanups: (() => Promise<void>)[] = []
  if (modes.includes('embedded')) {
    const embedded = await startEmbedded('memory://')
    cleanups.push(embedded.stop)
    await seeded(embedded.url, 'embedded')
    urls.embedded = embedded.url
  }
  const adminUrl = process.env.SAFEGRID_TEST_SERVER_URL ?? ''
  if (modes.includes('server')) {
    if (!adminUrl) throw new Error('SAFEGRID_TEST_MODES includes server but SAFEGRID_TEST_SERVER_URL is empty')
    const db = await withDatabase(adminUrl, 'demo')
    cleanups.push(db.drop)
    await seeded(db.url, 'server')
    urls.server = db.url
  }
  project.provide('dbUrls', urls)
  project.provide('serverAdminUrl', adminUrl)
  return async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
  }
}
