/**
 * Opens the database in one of two modes behind one SQL path (postgres.js):
 * - server: DATABASE_URL points at PostgreSQL with PostGIS;
 * - embedded: PGlite with PostGIS in this process, files under DATA_DIR, reached through an
 *   in-process wire-protocol link (db/embedded.ts): nothing listens on the network.
 */
import postgres from 'postgres'
import type { Config } from '../config.js'
import { startEmbedded, type EmbeddedDatabase } from './embedded.js'

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
    // JIT compiling the plans of the analysis and tile queries took up to a second, more than the
    // queries themselves (whose costs are estimated high because cells come from generate_series).
    connection: { application_name: 'safegrid', jit: 'off' },
  }
}

/** Connects postgres.js to a PostgreSQL server (server mode). */
export function connectUrl(url: string): Sql {
  return postgres(url, sqlOptions('server'))
}

/** Connects postgres.js to an embedded database, through its in-process link (one connection). */
export function connectEmbedded(embedded: Pick<EmbeddedDatabase, 'socket'>): Sql {
  // `socket` (a factory of net.Socket-like streams) is a postgres.js option its types leave out
  return postgres({ ...sqlOptions('embedded'), socket: embedded.socket } as postgres.Options<Types>)
}

/** Opens the database the configuration asks for. */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Database> {
  if (config.databaseUrl) {
    const sql = connectUrl(config.databaseUrl)
    return { sql, mode: 'server', close: () => sql.end({ timeout: 5 }) }
  }
  const embedded = await startEmbedded(config.dataDir)
  return embeddedDatabase(embedded)
}

/** A Database around a started embedded PGlite. */
export function embeddedDatabase(embedded: EmbeddedDatabase): Database {
  const sql = connectEmbedded(embedded)
  return {
    sql,
    mode: 'embedded',
    async close() {
      await sql.end({ timeout: 5 })
      await embedded.stop()
    },
  }
}
