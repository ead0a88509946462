/**
 * The real HTTP server for browser tests: the app on this test file's own copy of the seeded demo
 * (test/support/db.ts), serving the built web app (web/dist), on a free loopback port.
 */
import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { createApp } from '../../server/src/app.js'
import { ROOT_DIR } from '../../server/src/config.js'
import type { DbMode } from '../../server/src/db/connect.js'
import { openDemoDatabase } from './db.js'

export interface TestServer {
  url: string
  close(): Promise<void>
}

export async function startTestServer(mode: DbMode = 'embedded'): Promise<TestServer> {
  const db = await openDemoDatabase(mode)
  const app = createApp({ sql: db.sql, mode, webDir: path.join(ROOT_DIR, 'web/dist') })
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await db.close()
    },
  }
}
