/** What a handler needs from its request beyond the parameters: the community it names, how analyses run. */
import type { Context } from 'hono'
import { communityExists } from '../db/communities.js'
import type { RunOptions } from '../db/analysis.js'
import type { AppEnv } from '../env.js'
import { ApiError } from '../errors.js'

/**
 * How this request's analysis queries run: the configured time limit and, in server mode, cancelled
 * when the client goes away. (PGlite blocks the process while it runs a query: there is no moment to
 * cancel in, so embedded mode relies on refusing work estimated too large up front.)
 */
export function runOptions(c: Context<AppEnv>): RunOptions {
  return { timeoutMs: c.var.analysisTimeoutMs, signal: c.var.dbMode === 'server' ? c.req.raw.signal : undefined }
}

/** 404 community_not_found unless community `id` exists. */
export async function requireCommunity(c: Context<AppEnv>, id: string): Promise<void> {
  if (!(await communityExists(c.var.sql, id))) throw new ApiError('community_not_found', `community "${id}" does not exist`, { id })
}
