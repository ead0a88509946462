/** What the database is: versions and migration level, for GET /api/health. */
import type { DbMode, Sql } from './connect.js'

export interface DbHealth {
  mode: DbMode
  postgres: string
  postgis: string
  migration: number
}

/** Reads versions and the migration level; throws when the database does not answer. */
export async function readHealth(sql: Sql, mode: DbMode): Promise<DbHealth> {
  const [row] = await sql<{ postgres: string; postgis: string; migration: number | null }[]>`
    select current_setting('server_version') as postgres, postgis_lib_version() as postgis,
           (select max(version) from schema_migrations) as migration`
  return { mode, postgres: row!.postgres, postgis: row!.postgis, migration: row!.migration ?? 0 }
}
