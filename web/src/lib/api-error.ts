/** Reading the server's error answers: `{ "error": { "code", "message", "details" } }`. */
import { ERROR_CODES, type ErrorCode } from '../../../server/src/contract'

/** A failed API request, carrying what the server said (when it said anything). */
export class ApiError extends Error {
  constructor(
    /** HTTP status, or 0 when no answer arrived (network down, server not running). */
    readonly status: number,
    /** The server's error code (e.g. "not_found"), or "network" / "unknown". */
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/**
 * Turns an error response into an `ApiError`. `body` is the parsed JSON (or text, or null) of the
 * answer; anything not in the documented shape becomes code "unknown" with what was there.
 */
export function parseApiError(status: number, body: unknown): ApiError {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const e = (body as { error: unknown }).error
    if (typeof e === 'object' && e !== null) {
      const { code, message, details } = e as { code?: unknown; message?: unknown; details?: unknown }
      return new ApiError(
        status,
        typeof code === 'string' && code !== '' ? code : 'unknown',
        typeof message === 'string' ? message : '',
        details,
      )
    }
  }
  const text = typeof body === 'string' ? body.slice(0, 200) : ''
  return new ApiError(status, 'unknown', text)
}

/** Server error codes, each with its own words in the UI. */
export const KNOWN_ERROR_CODES = ERROR_CODES
export type KnownErrorCode = ErrorCode

/** The message key describing an error code; codes without their own words fall back to "unknown". */
export function errorCodeKey(code: string): `error.code.${KnownErrorCode}` | 'error.code.unknown' {
  return (KNOWN_ERROR_CODES as readonly string[]).includes(code)
    ? (`error.code.${code}` as `error.code.${KnownErrorCode}`)
    : 'error.code.unknown'
}
