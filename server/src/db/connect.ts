/**
 * Opens the database in one of two modes behind one SQL path (postgres.js):
 * - server: DATABASE_URL points at PostgreSQL with PostGIS;
 * - embedded: PGlite with PostGIS in this process, files under DATA_DIR, reached through an
 *   in-process wire-protocol link (db/embedded.ts): nothing listens on the network.
 */
import postgres from 'postgres'
import type { Config } from '../config.js'
import { openEmbeddedDataDir, type EmbeddedDatabase, type NewDatabaseOptions } from './embedded.js'

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
  /** server mode: a pool of its own for analyses, so tiles and health never wait behind one (embedded: `sql`) */
  analysisSql: Sql
  mode: DbMode
  close(): Promise<void>
}

/** postgres.js options shared by both modes: camelCase columns, int8 as number, quiet notices. */
export function sqlOptions(mode: DbMode): postgres.Options<Types> {
  return {
    // PGlite is a single session: one connection (the link refuses a second one).
    max: mode === 'embedded' ? 1 : 10,
    transform: { ...postgres.camel, undefined: null },
    // ids and counts are int8; as numbers they are exact up to 2^53, far beyond any community.
    types: { bigint: bigintAsNumber },
    onnotice: () => {},
    // a database that does not answer fails the request quickly (503), not after the default 30 s
    connect_timeout: 5,
    // JIT compiling the plans of the analysis and tile queries took up to a second, more than the
    // queries themselves (whose costs are estimated high because cells come from generate_series).
    connection: { application_name: 'safegrid', jit: 'off' },
  }
}

/** Connects postgres.js to a PostgreSQL server (server mode); `max` connections at most. */
export function connectUrl(url: string, max?: number): Sql {
  return postgres(url, { ...sqlOptions('server'), ...(max ? { max } : {}) })
}

/** How many connections analyses may hold at once in server mode. */
export const ANALYSIS_CONNECTIONS = 4

/**
 * Whether an error means the database cannot be reached or is going away (answered 503
 * database_unavailable): a refused or lost connection, or PostgreSQL's connection exceptions
 * (SQLSTATE class 08), shutting down (57P01–57P03), or too many connections (53300).
 */
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return false
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT'].includes(code) ||
    code.startsWith('08') ||
    ['57P01', '57P02', '57P03', '53300'].includes(code)
  )
}

/** Connects postgres.js to an embedded database, through its in-process link (one connection). */
export function connectEmbedded(embedded: Pick<EmbeddedDatabase, 'socket'>): Sql {
  // `socket` (a factory of net.Socket-like streams) is a postgres.js option its types leave out
  return postgres({ ...sqlOptions('embedded'), socket: embedded.socket } as postgres.Options<Types>)
}

/**
 * Opens the database the configuration asks for. Embedded mode: a new DATA_DIR is created whole —
 * initdb or a copy of `options.template`, then `initialize` (migrations, the demo) — or not at all
 * (openEmbeddedDataDir).
 */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  initialize: (db: Database, from: { template: boolean }) => Promise<void> = async () => {},
  options: NewDatabaseOptions = {},
): Promise<Database & { created?: boolean }> {
  if (config.databaseUrl) {
    const sql = connectUrl(config.databaseUrl)
    const analysisSql = connectUrl(config.databaseUrl, ANALYSIS_CONNECTIONS)
    return {
      sql,
      analysisSql,
      mode: 'server',
      async close() {
        await Promise.all([sql.end({ timeout: 5 }), analysisSql.end({ timeout: 5 })])
      },
    }
  }
  const embedded = await openEmbeddedDataDir(
    config.dataDir,
    async (fresh, from) => {
      const db = { ...embeddedDatabase(fresh), close: () => Promise.resolve() }
      try {
        await initialize(db, from)
      } finally {
        await db.sql.end({ timeout: 5 })
      }
    },
    options,
  )
  return { ...embeddedDatabase(embedded), created: embedded.created }
}

/** A Database around a started embedded PGlite. */
export function embeddedDatabase(embedded: EmbeddedDatabase): Database {
  const sql = connectEmbedded(embedded)
  return {
    sql,
    analysisSql: sql,
    mode: 'embedded',
    async close() {
      await sql.end({ timeout: 5 })
      await embedded.stop()
    },
  }
}
