/** Fixed queries live in sql/queries/<feature>/<name>.sql and run through postgres.js `sql.file`. */
import path from 'node:path'
import type postgres from 'postgres'
import { ROOT_DIR } from '../config.js'
import type { Sql } from './connect.js'

export const QUERIES_DIR = path.join(ROOT_DIR, 'sql/queries')

/** Runs sql/queries/<name>.sql with positional parameters ($1, $2, …). */
export function runQuery<T extends readonly object[] = postgres.Row[]>(
  sql: Sql | postgres.TransactionSql<{ bigint: number }>,
  name: string,
  params: postgres.ParameterOrJSON<never>[] = [],
): postgres.PendingQuery<T extends readonly postgres.MaybeRow[] ? T : never> {
  return sql.file(path.join(QUERIES_DIR, `${name}.sql`), params as never[]) as never
}
