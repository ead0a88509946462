/**
 * The real HTTP server for browser tests: the app on the seeded demo database of `mode`,
 * serving the built web app (web/dist), on a free loopback port.
 *
 * Embedded mode gets a database of its own for each server. PGlite is a single session: when
 * two clients (this server and the API tests running beside it) send extended-protocol messages
 * to the shared one at the same time, the messages interleave and both sides see errors such as
 * `portal "" does not exist` — browser tests then wait in vain for the map.
 */
import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { inject } from 'vitest'
import { createApp } from '../../server/src/app.js'
import { ROOT_DIR } from '../../server/src/config.js'
import { connectUrl, startEmbedded, type DbMode } from '../../server/src/db/connect.js'
import { migrate } from '../../server/src/db/migrate.js'
import { seedDemo } from '../../server/src/db/seed.js'

export interface TestServer {
  url: string
  close(): Promise<void>
}

export async function startTestServer(mode: DbMode = 'embedded'): Promise<TestServer> {
  const shared = inject('dbUrls')[mode]
  if (!shared) throw new Error(`no demo database for mode ${mode}`)
  const own = mode === 'embedded' ? await startEmbedded('memory://') : null
  const sql = connectUrl(own?.url ?? shared, mode)
  if (own !== null) {
    await migrate(sql)
    await seedDemo(sql)
  }
  const app = createApp({ sql, mode, webDir: path.join(ROOT_DIR, 'web/dist') })
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await sql.end()
      await own?.stop()
    },
  }
}
