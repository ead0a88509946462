/**
 * The one error model: every failure the API reports is an ApiError with a stable `code`, an HTTP
 * status from ERRORS (the contract's table of codes), a message for people and optional machine-readable `details`.
 * `app.onError` (app.ts) turns them into `{ "error": { "code", "message", "details" } }`.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ERRORS, type ErrorBody, type ErrorCode } from './contract.js'

export { ERRORS, type ErrorBody, type ErrorCode } from './contract.js'

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
    this.status = ERRORS[code] as ContentfulStatusCode
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } }
  }
}

/** Raised at start-up when applied migrations and the files in sql/migrations disagree. */
export class MigrationError extends Error {
  override name = 'MigrationError'
}
