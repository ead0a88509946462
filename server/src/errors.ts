/**
 * The one error model: every failure the API reports is an ApiError with a stable `code`, an HTTP
 * status from ERRORS, a message for people and optional machine-readable `details`.
 * `app.onError` (app.ts) turns them into `{ "error": { "code", "message", "details" } }`.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** Every error code the API can answer with, and its HTTP status. */
export const ERRORS = {
  bad_request: 400,
  invalid_parameter: 400,
  invalid_bbox: 400,
  invalid_tile: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  unknown_layer: 404,
  community_not_found: 404,
  method_not_allowed: 405,
  version_conflict: 409,
  precondition_required: 428,
  payload_too_large: 413,
  unprocessable: 422,
  internal: 500,
  database_unavailable: 503,
  analysis_timeout: 503,
} as const satisfies Record<string, ContentfulStatusCode>

export type ErrorCode = keyof typeof ERRORS

/** The JSON body of every 4xx/5xx answer. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown }
}

/** An error the API reports to its caller as is. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = ERRORS[code]
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } }
  }
}

/**
 * A database failure, wrapped with what we were doing (as martin does), so logs say
 * "loading layer buildings: relation … does not exist" without the query's parameters.
 */
export class DatabaseError extends Error {
  constructor(
    readonly doing: string,
    override readonly cause: unknown,
  ) {
    super(`${doing}: ${cause instanceof Error ? cause.message : String(cause)}`)
    this.name = 'DatabaseError'
  }
}

/** Raised at start-up when applied migrations and the files in sql/migrations disagree. */
export class MigrationError extends Error {
  override name = 'MigrationError'
}
