/**
 * Runs once per `vitest run`: prepares the seeded demo once per mode under test, as the source every
 * test file copies its own database from — in embedded mode a dump of a PGlite database (and one of
 * an empty cluster), in server mode a template database. Modes come from SAFEGRID_TEST_MODES, set by
 * scripts/test.mjs: "embedded" and "server" (on SAFEGRID_TEST_SERVER_URL, whose data is never
 * touched: the template is created and dropped here).
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { connectUrl, embeddedDatabase, type DbMode, type Sql } from '../../server/src/db/connect.js'
import { startEmbedded } from '../../server/src/db/embedded.js'
import { migrate } from '../../server/src/db/migrate.js'
import { seedDemo } from '../../server/src/db/seed.js'
import { createTestUsers, TEST_PASSWORD } from './clients.js'
import { testModesFromEnv, withDatabase } from './modes.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** the modes under test */
    modes: DbMode[]
    /** embedded mode: files of PGlite dumps — the seeded demo, and an empty cluster */
    embeddedDumps: { demo: string; empty: string } | null
    /** server mode: the PostgreSQL server tests create databases on, and the seeded demo template */
    serverAdminUrl: string
    serverTemplate: string
  }
}

/** The demo, its users (one per role) and the test users, all with TEST_PASSWORD. */
async function prepareDemo(sql: Sql) {
  await migrate(sql)
  await seedDemo(sql, undefined, { password: TEST_PASSWORD })
  await createTestUsers(sql)
}

export default async function setup(project: TestProject) {
  const modes = testModesFromEnv()
  const cleanups: (() => Promise<void>)[] = []
  let embeddedDumps: { demo: string; empty: string } | null = null
  if (modes.includes('embedded')) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'safegrid-test-'))
    cleanups.push(() => fs.rm(dir, { recursive: true, force: true }))
    const embedded = await startEmbedded('memory://')
    const empty = path.join(dir, 'empty.tar')
    await fs.writeFile(empty, Buffer.from(await (await embedded.db.dumpDataDir('none')).arrayBuffer()))
    const db = embeddedDatabase(embedded)
    await prepareDemo(db.sql)
    const demo = path.join(dir, 'demo.tar')
    await fs.writeFile(demo, Buffer.from(await (await embedded.db.dumpDataDir('none')).arrayBuffer()))
    await db.close()
    embeddedDumps = { demo, empty }
  }
  const adminUrl = process.env.SAFEGRID_TEST_SERVER_URL ?? ''
  let serverTemplate = ''
  if (modes.includes('server')) {
    if (!adminUrl) throw new Error('SAFEGRID_TEST_MODES includes server but SAFEGRID_TEST_SERVER_URL is empty')
    const template = await withDatabase(adminUrl, 'demo')
    cleanups.push(template.drop)
    const sql = connectUrl(template.url)
    try {
      await prepareDemo(sql)
    } finally {
      await sql.end()
    }
    serverTemplate = template.name
  }
  project.provide('modes', modes)
  project.provide('embeddedDumps', embeddedDumps)
  project.provide('serverAdminUrl', adminUrl)
  project.provide('serverTemplate', serverTemplate)
  return async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
  }
}
