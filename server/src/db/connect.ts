/**
 * Opens the database in one of two modes behind one SQL path (postgres.js):
 * - server: DATABASE_URL points at PostgreSQL with PostGIS;
 * - embedded: PGlite with PostGIS in this process, files under DATA_DIR, reached through
 *   pglite-socket's PostgreSQL wire-protocol server on a loopback port.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import postgres from 'postgres'
import type { Config } from '../config.js'

export type DbMode = 'embedded' | 'server'
const bigintAsNumber: postgres.PostgresType<number> = {
  to: 20,
  from: [20],
  serialize: (x: number) => String(x),
  parse: (x: string) => Number(x),
}
type Types = { bigint: typeof bigintAsNumber }
export type Sql = postgres.Sql<{ bigint: number }>

export interface Database {
  sql: Sql
  mode: DbMode
  /** connection URL (for embedded mode: the loopback socket server, password-less) */
  url: string
  close(): Promise<void>
}

/** postgres.js options shared by both modes: camelCase columns, int8 as number, quiet notices. */
export function sqlOptions(mode: DbMode): postgres.Options<Types> {
  return {
    // PGlite is a single connection; the socket server queues, so one client connection is right.
    max: mode === 'embedded' ? 1 : 10,
    transform: { ...postgres.camel, undefined: null },
    // ids and counts are int8; as numbers they are exact up to 2^53, far beyond any community.
    types: { bigint: bigintAsNumber },
    onnotice: () => {},
    // JIT compiling the plans of the analysis and tile queries took up to a second, more than the
    // queries themselves (whose costs are estimated high because cells come from generate_series).
    connection: { application_name: 'safegrid', jit: 'off' },
  }
}

/** Connects postgres.js to a URL (server mode, or an embedded socket started elsewhere). */
export function connectUrl(url: string, mode: DbMode): Sql {
  return postgres(url, sqlOptions(mode))
}

export interface EmbeddedServer {
  url: string
  stop(): Promise<void>
}

/**
 * Starts PGlite with PostGIS on `dataDir` ('memory://' for a throw-away database) and a
 * loopback wire-protocol server for it. The first start of a new directory takes ~10 s.
 */
export async function startEmbedded(dataDir: string): Promise<EmbeddedServer> {
  const [{ PGlite }, { postgis }, { PGLiteSocketServer }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-postgis'),
    import('@electric-sql/pglite-socket'),
  ])
  const unlock = dataDir.startsWith('memory://') ? async () => {} : await lockDataDir(dataDir)
  const db = await PGlite.create({ dataDir, extensions: { postgis } })
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 })
  await server.start()
  const address = (server as unknown as { server?: { address(): { port: number } | string | null } }).server?.address()
  if (!address || typeof address === 'string') throw new Error('embedded database: socket server did not report its port')
  return {
    url: `postgres://postgres@127.0.0.1:${address.port}/postgres`,
    async stop() {
      await server.stop()
      await db.close()
      await unlock()
    },
  }
}

/**
 * PGlite files must have one owner: a second server on the same DATA_DIR would corrupt them.
 * Takes DATA_DIR/safegrid.pid, replacing it only when the process that wrote it is gone.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await fs.mkdir(dataDir, { recursive: true })
  const file = path.join(dataDir, 'safegrid.pid')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(file, String(process.pid), { flag: 'wx' })
      return () => fs.rm(file, { force: true })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const pid = Number(await fs.readFile(file, 'utf8').catch(() => ''))
      if (pid && pid !== process.pid && isAlive(pid))
        throw new Error(`another safegrid server (pid ${pid}) is using the embedded database in ${dataDir}; stop it or set DATA_DIR`)
      await fs.rm(file, { force: true })
    }
  }
  throw new Error(`could not lock ${file}`)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Opens the database the configuration asks for. */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Database> {
  if (config.databaseUrl) {
    const sql = connectUrl(config.databaseUrl, 'server')
    return { sql, mode: 'server', url: config.databaseUrl, close: () => sql.end({ timeout: 5 }) }
  }
  const embedded = await startEmbedded(config.dataDir)
  const sql = connectUrl(embedded.url, 'embedded')
  return {
    sql,
    mode: 'embedded',
    url: embedded.url,
    async close() {
      await sql.end({ timeout: 5 })
      await embedded.stop()
    },
  }
}
