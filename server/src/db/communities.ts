/** Communities: the areas one office runs. */
import type { Community } from '../contract.js'
import type { Sql } from './connect.js'
import { runQuery } from './queries.js'

/** Every community, by id. */
export async function listCommunities(sql: Sql): Promise<Community[]> {
  return runQuery<Community[]>(sql, 'communities/list', [null])
}

/** One community; null when it does not exist. */
export async function getCommunity(sql: Sql, id: string): Promise<Community | null> {
  const [row] = await runQuery<Community[]>(sql, 'communities/list', [id])
  return row ?? null
}

/** True when the community exists (cheaper than getCommunity). */
export async function communityExists(sql: Sql, id: string): Promise<boolean> {
  const [row] = await sql<{ found: boolean }[]>`select exists (select 1 from communities where id = ${id}) as found`
  return row?.found ?? false
}
