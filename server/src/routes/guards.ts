/** Checks shared by route modules. */
import { communityExists } from '../db/communities.js'
import type { Sql } from '../db/connect.js'
import { ApiError } from '../errors.js'

/** 404 community_not_found unless community `id` exists. */
export async function requireCommunity(sql: Sql, id: string): Promise<void> {
  if (!(await communityExists(sql, id))) throw new ApiError('community_not_found', `community "${id}" does not exist`, { id })
}
