/**
 * Test databases: each test file opens its own copy of the seeded demo (`openDemo`) or an empty
 * database (`openEmpty`), in the mode under test, and closes it in afterAll — nothing is shared
 * between files, so they run in parallel.
 */
import { inject } from 'vitest'
import { createApp } from '../../server/src/app.js'
import type { Role } from '../../server/src/contract.js'
import type { DbMode, Sql } from '../../server/src/db/connect.js'
import { anonymous, clientFor, DEMO_USER, TEST_ADMIN, TEST_OUTSIDER, type Client } from './clients.js'
import { throwawayDatabase, type ThrowawayDatabase } from './modes.js'

/** The modes under test in this run (those global-setup prepared). */
export function testModes(): DbMode[] {
  return [...inject('modes')].sort()
}

export interface DemoHandle {
  sql: Sql
  /** requests as the test system administrator */
  app: Client
  /** the app itself (requests without a session) */
  raw: ReturnType<typeof createApp>
  /** requests as the demo user of a role, the test system administrator, an outsider (no role) or nobody */
  as(who: Role | 'system-admin' | 'outsider' | 'anonymous'): Client
  /** server mode: the database's URL */
  url?: string
  close(): Promise<void>
}

/** A database of `mode` holding the seeded demo, this file's own. */
export function openDemoDatabase(mode: DbMode): Promise<ThrowawayDatabase> {
  const dumps = inject('embeddedDumps')
  return throwawayDatabase(mode, { adminUrl: inject('serverAdminUrl'), template: inject('serverTemplate'), dump: dumps?.demo, label: 'demo' })
}

/** The seeded demo of `mode`, the app on it, and clients logged in as its users. */
export async function openDemo(mode: DbMode): Promise<DemoHandle> {
  const db = await openDemoDatabase(mode)
  const raw = createApp({ sql: db.sql, mode })
  const clients = new Map<string, Client>()
  const as = (who: Role | 'outsider' | 'anonymous' | 'system-admin'): Client => {
    let client = clients.get(who)
    if (!client) {
      client = who === 'anonymous' ? anonymous(raw) : clientFor(raw, who === 'system-admin' ? TEST_ADMIN : who === 'outsider' ? TEST_OUTSIDER : DEMO_USER[who])
      clients.set(who, client)
    }
    return client
  }
  return { sql: db.sql, url: db.url, raw, app: as('system-admin'), as, close: db.close }
}

/** An empty database of `mode` (not migrated) for a test that writes; close() discards it. */
export function openEmpty(mode: DbMode): Promise<ThrowawayDatabase> {
  return throwawayDatabase(mode, { adminUrl: inject('serverAdminUrl'), dump: inject('embeddedDumps')?.empty, label: 'empty' })
}
