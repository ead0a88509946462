/**
 * The real HTTP server for browser tests: the app on this test file's own copy of the seeded demo
 * (test/support/db.ts), serving the built web app (web/dist), on a free loopback port.
 */
import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { createApp } from '../../server/src/app.js'
import { ROOT_DIR } from '../../server/src/config.js'
import type { DbMode, Sql } from '../../server/src/db/connect.js'
import { TEST_ADMIN, TEST_PASSWORD } from './clients.js'
import { openDemoDatabase } from './db.js'

export interface TestServer {
  url: string
  /** the server's database */
  sql: Sql
  /** the session cookie ("name=value") of `username`, logged in over HTTP (cached per user) */
  login(username?: string): Promise<string>
  close(): Promise<void>
}

export async function startTestServer(mode: DbMode = 'embedded'): Promise<TestServer> {
  const db = await openDemoDatabase(mode)
  const app = createApp({ sql: db.sql, mode, webDir: path.join(ROOT_DIR, 'web/dist') })
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  const sessions = new Map<string, Promise<string>>()
  return {
    url,
    sql: db.sql,
    login(username = TEST_ADMIN) {
      let cookie = sessions.get(username)
      if (!cookie) {
        cookie = fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: TEST_PASSWORD }) }).then(async (res) => {
          if (res.status !== 204) throw new Error(`logging in as ${username}: ${res.status} ${await res.text()}`)
          return (res.headers.get('set-cookie') ?? '').split(';')[0]!
        })
        sessions.set(username, cookie)
      }
      return cookie
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await db.close()
    },
  }
}
