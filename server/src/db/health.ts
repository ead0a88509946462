/** What the database is: versions and migration level, for GET /api/health. */
import type { Health } from '../contract.js'
import type { DbMode, Sql } from './connect.js'
import { runQuery } from './queries.js'

/** Reads versions and the migration level; throws when the database does not answer. */
export async function readHealth(sql: Sql, mode: DbMode): Promise<Health['db']> {
  const [row] = await runQuery<Omit<Health['db'], 'mode'>[]>(sql, 'health/read')
  return { mode, ...row! }
}
