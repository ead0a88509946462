/**
 * Logged-in clients for app.request(): each logs in through POST /api/session on its first request
 * and sends its session cookie from then on — the same path a browser takes. No vitest here: the
 * benchmarks use it too.
 */
import type { createApp } from '../../server/src/app.js'
import { hashPassword } from '../../server/src/auth/passwords.js'
import type { Role } from '../../server/src/contract.js'
import type { Sql } from '../../server/src/db/connect.js'

type App = ReturnType<typeof createApp>

/** The password of every test user (and of the demo users in test databases). */
export const TEST_PASSWORD = 'test password, not for production'

/** A system administrator created in every test database. */
export const TEST_ADMIN = 'test-admin'
/** A user with no role anywhere. */
export const TEST_OUTSIDER = 'test-outsider'

/** The demo users of the seeded demo (server/src/auth/accounts.ts), by role. */
export const DEMO_USER: Record<Role, string> = {
  admin: 'demo-admin',
  planner: 'demo-planner',
  mediator: 'demo-mediator',
  care: 'demo-care',
  viewer: 'demo-viewer',
}

export interface Client {
  request(path: string, init?: RequestInit): Promise<Response>
  /** the session cookie (after the first request), e.g. for a browser */
  cookie(): Promise<string>
}

/** Logs in as `username` (on first use) and makes requests with the session. */
export function clientFor(app: App, username: string, password = TEST_PASSWORD): Client {
  let cookie: Promise<string> | null = null
  const login = () =>
    (cookie ??= Promise.resolve(app.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })).then(
      async (res) => {
        if (res.status !== 204) throw new Error(`logging in as ${username} answered ${res.status}: ${await res.text()}`)
        const set = res.headers.get('set-cookie') ?? ''
        return set.split(';')[0]!
      },
    ))
  return {
    async request(path, init = {}) {
      const headers = new Headers(init.headers)
      headers.set('cookie', await login())
      return app.request(path, { ...init, headers })
    },
    cookie: login,
  }
}

/** Requests without a session. */
export const anonymous = (app: App): Client => ({ request: async (path, init) => app.request(path, init), cookie: async () => '' })

let adminHash: Promise<string> | null = null

/**
 * Creates the test users in a database (idempotent): TEST_ADMIN (a system administrator) and
 * TEST_OUTSIDER (no role), both with TEST_PASSWORD.
 */
export async function createTestUsers(sql: Sql): Promise<void> {
  adminHash ??= hashPassword(TEST_PASSWORD)
  const hash = await adminHash
  await sql`
    insert into users (username, display_name, password_hash, admin)
    values (${TEST_ADMIN}, 'Test admin', ${hash}, true), (${TEST_OUTSIDER}, 'Test outsider', ${hash}, false)
    on conflict (username) do nothing`
}

/** A client logged in as the test system administrator of a database (created when missing). */
export async function adminClient(app: App, sql: Sql): Promise<Client> {
  await createTestUsers(sql)
  return clientFor(app, TEST_ADMIN)
}
