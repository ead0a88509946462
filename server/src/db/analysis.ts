/**
 * How analysis queries run: with a time limit, cancelled when their request is abandoned, and —
 * for the grid analyses — with planner settings that suit them.
 */
import type postgres from 'postgres'
import { ApiError } from '../errors.js'
import type { DbMode, Sql } from './connect.js'

type Fragment = postgres.PendingQuery<postgres.Row[]>

/** How an analysis runs: its time limit, the request it serves, and whether rows come raw. */
export interface RunOptions {
  /** the database mode (what work limits apply; default server) */
  mode?: DbMode
  /** stop a query after this many ms (0 or absent: no limit; PGlite ignores it) */
  timeoutMs?: number
  /** cancel the running query when this aborts — the request's signal, when its client goes away */
  signal?: AbortSignal
  /** (runAnalysis) answer rows of undecoded column bytes */
  raw?: boolean
  /** (inAnalysis) every statement sees the same data (repeatable read); inside a transaction, its own */
  snapshot?: boolean
}

/**
 * Runs `fn` in a transaction whose statements stop after `timeoutMs`, and whose running statement
 * is cancelled (pg_cancel_backend, from another pooled connection) when `signal` aborts. Either
 * raises ApiError analysis_timeout, so a runaway or abandoned analysis frees its connection.
 * `settings`: more `set local …;` statements for the transaction, sent with the time limit.
 * Called with a transaction (a plan preview runs its analyses on the draft it has not committed), it
 * runs in a savepoint of it instead; its settings then last to the end of that transaction.
 */
export async function inAnalysis<T>(sql: Sql, opts: RunOptions, fn: (tx: Sql) => Promise<T>, settings = ''): Promise<T> {
  const { signal, timeoutMs = 0 } = opts
  if (signal?.aborted) throw new ApiError('analysis_timeout', 'the request was abandoned before the analysis started')
  try {
    const inTransaction = typeof (sql as Partial<postgres.TransactionSql>).savepoint === 'function'
    const open = <R>(f: (tx: postgres.TransactionSql) => Promise<R>): Promise<unknown> =>
      inTransaction ? (sql as unknown as postgres.TransactionSql).savepoint(f) : opts.snapshot ? sql.begin('isolation level repeatable read', f) : sql.begin(f)
    return (await open(async (tx) => {
      await tx.unsafe(`set local statement_timeout = ${Math.max(0, Math.floor(timeoutMs))}; ${settings}`)
      // (in a transaction there is no second connection to cancel from: it runs to its time limit)
      if (!signal || inTransaction) return fn(tx as unknown as Sql)
      const [backend] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`
      const cancel = () => void sql`select pg_cancel_backend(${backend!.pid})`.catch(() => {})
      signal.addEventListener('abort', cancel, { once: true })
      try {
        return await fn(tx as unknown as Sql)
      } finally {
        signal.removeEventListener('abort', cancel)
      }
    })) as T
  } catch (err) {
    // 57014 query_canceled: the statement timeout, or our cancel of an abandoned request
    if ((err as { code?: string }).code === '57014')
      throw new ApiError(
        'analysis_timeout',
        signal?.aborted
          ? 'the analysis was cancelled: its request was abandoned'
          : `the analysis was stopped after ${timeoutMs / 1000} s; try a larger cell size, a shorter period or monthly slices`,
        { timeoutMs },
      )
    throw err
  }
}

/**
 * Runs a grid analysis query (hot spots) under inAnalysis, with settings that steer the planner: it
 * cannot estimate how many cells a grid makes or how many points fall in them, and without these
 * settings it may nest loops over tens of thousands of cells. Hash joins are right for every join
 * there; binning a million points hashes in memory rather than sorting, and the incident scan may use
 * parallel workers.
 */
export async function runAnalysis<T extends readonly object[]>(sql: Sql, query: Fragment, opts: RunOptions = {}): Promise<T> {
  return inAnalysis(sql, opts, async (tx) => (opts.raw ? await tx`${query}`.raw() : await tx`${query}`) as unknown as T, GRID_SETTINGS)
}

/** The planner settings of grid analyses (runAnalysis). */
export const GRID_SETTINGS =
  "set local enable_nestloop = off; set local enable_sort = off; set local work_mem = '64MB'; set local parallel_setup_cost = 10; set local parallel_tuple_cost = 0.001"

