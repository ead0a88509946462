/** What a handler needs from its request beyond the parameters: what the caller's role sees, how analyses run. */
import type { Context } from 'hono'
import { AGGREGATE_MIN_CELL, can } from '../access.js'
import { ApiError } from '../errors.js'
import type { RunOptions } from '../db/analysis.js'
import type { Lang } from '../contract.js'
import type { AppEnv } from '../env.js'

/**
 * How this request's analysis queries run: the configured time limit and, in server mode, cancelled
 * when the client goes away. (PGlite blocks the process while it runs a query: there is no moment to
 * cancel in, so embedded mode relies on refusing work estimated too large up front.)
 */
export function runOptions(c: Context<AppEnv>): RunOptions {
  return { mode: c.var.dbMode, timeoutMs: c.var.analysisTimeoutMs, signal: c.var.dbMode === 'server' ? c.req.raw.signal : undefined }
}

/** What the caller may see of records in the request's community (access.ts, CAPABILITIES). */
export interface View {
  /** incidents as exact points with address and description (else: counts per zone or cell) */
  exactIncidents: boolean
  /** phone numbers */
  phones: boolean
  /** dispute records (else: counts per zone) */
  disputeRecords: boolean
  /** the language names are shown in (null: as recorded) */
  lang: Lang | null
}

/** The view of the caller's role in the request's community. */
export function viewOf(c: Context<AppEnv>): View {
  const role = c.var.role ?? null
  return { exactIncidents: can(role, 'exactIncidents'), phones: can(role, 'phones'), disputeRecords: can(role, 'disputeRecords'), lang: c.var.lang ?? null }
}

/** Everything: what the server's own work (seeding, benchmarks) sees. */
export const FULL_VIEW: View = { exactIncidents: true, phones: true, disputeRecords: true, lang: null }

/**
 * 403 when a role that sees incidents only aggregated asks for hot spot cells smaller than
 * AGGREGATE_MIN_CELL metres (a 10 m cell would place each incident).
 */
export function checkCellForView(view: View, cell: number, source: 'incidents' | 'disputes' = 'incidents'): void {
  // disputes (issue 12): a role without dispute records sees them aggregated as incidents are
  const exact = source === 'disputes' ? view.disputeRecords : view.exactIncidents
  if (!exact && cell < AGGREGATE_MIN_CELL)
    throw new ApiError('forbidden', `your role sees ${source} in cells of at least ${AGGREGATE_MIN_CELL} m`, { cell, min: AGGREGATE_MIN_CELL })
}
