/** Turns zod validation failures into the one error shape (400, code from the issue or invalid_parameter). */
import type { Context } from 'hono'
import type { ZodError } from 'zod'
import { ApiError, ERRORS, type ErrorCode } from '../errors.js'

/** The ApiError for a failed validation of request `target` (query, param, json…). */
export function validationError(error: ZodError, target: string): ApiError {
  const issues = error.issues.map((i) => ({ path: [target, ...i.path.map(String)].join('.'), message: i.message }))
  const custom = error.issues
    .map((i) => (i.code === 'custom' ? (i.params as { code?: string } | undefined)?.code : undefined))
    .find((c): c is ErrorCode => c !== undefined && c in ERRORS)
  const first = issues[0]
  return new ApiError(custom ?? 'invalid_parameter', first ? `${first.path}: ${first.message}` : 'invalid request', { issues })
}

/** defaultHook for OpenAPIHono: reject invalid requests through app.onError. */
export function validationHook(result: { success: boolean; error?: ZodError; target?: string }, _c: Context): void {
  if (!result.success && result.error) throw validationError(result.error, result.target ?? 'request')
}
