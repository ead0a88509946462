/**
 * Test helpers around the real databases prepared by global-setup.ts. No shared state: each test
 * file opens its own connection with `openDemo(mode)` and closes it in afterAll.
 */
import { inject } from 'vitest'
import { createApp } from '../../server/src/app.js'
import { connectUrl, type DbMode, type Sql } from '../../server/src/db/connect.js'
import { throwawayDatabase } from './modes.js'

/** The modes under test in this run (those global-setup prepared). */
export function testModes(): DbMode[] {
  return (Object.keys(inject('dbUrls')) as DbMode[]).sort()
}

export interface DemoHandle {
  sql: Sql
  app: ReturnType<typeof createApp>
  close(): Promise<void>
}

/** Connects to the seeded demo database of `mode` and builds the app on it (read-only use). */
export function openDemo(mode: DbMode): DemoHandle {
  const url = inject('dbUrls')[mode]
  if (!url) throw new Error(`no demo database for mode ${mode}`)
  const sql = connectUrl(url, mode)
  return { sql, app: createApp({ sql, mode }), close: () => sql.end() }
}

/** An empty database of `mode` for a test that writes (migrations, imports); close() discards it. */
export function openEmpty(mode: DbMode): Promise<{ sql: Sql; url: string; close(): Promise<void> }> {
  return throwawayDatabase(mode, inject('serverAdminUrl'), 'empty')
}
