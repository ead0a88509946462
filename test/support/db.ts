/**
 * Test databases: each test file opens its own copy of the seeded demo (`openDemo`) or an empty
 * database (`openEmpty`), in the mode under test, and closes it in afterAll — nothing is shared
 * between files, so they run in parallel.
 */
import { inject } from 'vitest'
import { createApp } from '../../server/src/app.js'
import type { DbMode, Sql } from '../../server/src/db/connect.js'
import { throwawayDatabase, type ThrowawayDatabase } from './modes.js'

/** The modes under test in this run (those global-setup prepared). */
export function testModes(): DbMode[] {
  return [...inject('modes')].sort()
}

export interface DemoHandle {
  sql: Sql
  app: ReturnType<typeof createApp>
  /** server mode: the database's URL */
  url?: string
  close(): Promise<void>
}

/** A database of `mode` holding the seeded demo, this file's own. */
export function openDemoDatabase(mode: DbMode): Promise<ThrowawayDatabase> {
  const dumps = inject('embeddedDumps')
  return throwawayDatabase(mode, { adminUrl: inject('serverAdminUrl'), template: inject('serverTemplate'), dump: dumps?.demo, label: 'demo' })
}

/** The seeded demo of `mode` and the app on it. */
export async function openDemo(mode: DbMode): Promise<DemoHandle> {
  const db = await openDemoDatabase(mode)
  return { sql: db.sql, url: db.url, app: createApp({ sql: db.sql, mode }), close: db.close }
}

/** An empty database of `mode` (not migrated) for a test that writes; close() discards it. */
export function openEmpty(mode: DbMode): Promise<ThrowawayDatabase> {
  return throwawayDatabase(mode, { adminUrl: inject('serverAdminUrl'), dump: inject('embeddedDumps')?.empty, label: 'empty' })
}
