/**
 * A safegrid server of its own process for the tile benchmark (tiles.bench.ts): the app of the
 * working tree at BENCH_TREE (this tree by default — the benchmark also runs an older tree's code
 * against the same database, for before/after figures in one run), on 127.0.0.1 at a free port,
 * printed as `port <n>` once it listens. Server mode: DATABASE_URL (migrated, with data, test users).
 * Embedded mode (no DATABASE_URL): a fresh in-memory PGlite with the demo and the test users.
 * TILE_CACHE_MB: room for tiles kept in the process (0: none; trees without the cache ignore it).
 */
import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const tree = path.resolve(process.env.BENCH_TREE ?? path.join(import.meta.dirname, '../..'))
const load = (file: string) => import(pathToFileURL(path.join(tree, file)).href)

const { createApp } = await load('server/src/app.ts')
const { connectUrl, embeddedDatabase } = await load('server/src/db/connect.ts')
const tileCacheBytes = Number(process.env.TILE_CACHE_MB ?? 64) * 1024 * 1024
let sql
let mode: 'server' | 'embedded'
if (process.env.DATABASE_URL) {
  // as many connections as the load: a tile request waits for its tile, not for a connection
  sql = connectUrl(process.env.DATABASE_URL, Number(process.env.BENCH_CONNECTIONS ?? 16))
  mode = 'server'
} else {
  const { startEmbedded } = await load('server/src/db/embedded.ts')
  const { migrate } = await load('server/src/db/migrate.ts')
  const { seedDemo } = await load('server/src/db/seed.ts')
  const { createTestUsers, TEST_PASSWORD } = await load('test/support/clients.ts')
  sql = embeddedDatabase(await startEmbedded('memory://')).sql
  await migrate(sql)
  await seedDemo(sql, undefined, { password: TEST_PASSWORD })
  await createTestUsers(sql)
  mode = 'embedded'
}
const app = createApp({ sql, mode, tileCacheBytes })
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
  console.log(`port ${(server.address() as AddressInfo).port}`)
})
process.on('SIGTERM', () => process.exit(0))
