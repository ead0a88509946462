/** Parsers of query parameters shared by every endpoint (zod schemas with clear messages). */
import { z } from '@hono/zod-openapi'
import { LANGUAGES, type BBox } from '../contract.js'

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/**
 * A number parameter written in decimal ("100", "12.5", "1e3"), checked by `check`; anything else —
 * hex, blanks, "1,2" — stays text and fails with the parameter's own message.
 */
export const decimal = (message: string, check: (n: z.ZodNumber) => z.ZodNumber = (n) => n) =>
  z.preprocess((v) => (typeof v === 'string' && DECIMAL.test(v) ? Number(v) : v), check(z.number({ message })))

/**
 * `bbox=west,south,east,north` in degrees (WGS 84). West may exceed east only across the
 * antimeridian, which we do not support: a clear error says so.
 */
export const bboxParam = z
  .string()
  .optional()
  .transform((raw, ctx): BBox | null => {
    if (raw === undefined || raw === '') return null
    const parts = raw.split(',')
    const nums = parts.map((p) => (p.trim() === '' ? NaN : Number(p)))
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message, params: { code: 'invalid_bbox' } })
      return z.NEVER
    }
    if (parts.length !== 4 || nums.some((n) => !Number.isFinite(n))) return fail('bbox must be four numbers: west,south,east,north')
    const [w, s, e, n] = nums as [number, number, number, number]
    if (w < -180 || e > 180 || s < -90 || n > 90) return fail('bbox must lie within longitude -180…180 and latitude -90…90')
    if (w > e || s > n) return fail('bbox must have west ≤ east and south ≤ north')
    return [w, s, e, n]
  })
  .openapi({ param: { name: 'bbox', in: 'query' }, example: '-122.42,37.76,-122.41,37.77', description: 'west,south,east,north in degrees (EPSG:4326)' })

/** `limit`: a positive integer up to `max`, `fallback` when absent. */
export const limitParam = (fallback: number, max: number) =>
  decimal('limit must be a number', (n) =>
      n
        .int('limit must be an integer')
        .min(1, 'limit must be at least 1')
        .max(max, `limit must be at most ${max}`),
  )
    .default(fallback)
    .openapi({ param: { name: 'limit', in: 'query' }, example: 1000 })

/** A community id as used in URLs. */
export const communityId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'community id must be lower-case letters, digits and dashes')

/** The community id path parameter `{id}`. */
export const communityIdParam = communityId.openapi({ param: { name: 'id', in: 'path' }, example: 'sf-mission' })

/** A feature id in the path (`{zoneId}`, `{buildingId}`): a positive integer. */
export const featureIdParam = (name: string) =>
  decimal(`${name} must be a number`, (n) =>
      n
        .int(`${name} must be an integer`)
        .min(1, `${name} must be at least 1`)
        .max(Number.MAX_SAFE_INTEGER, `${name} is too large`),
  )
    .openapi({ param: { name, in: 'path' }, example: 7 })

/** A number of metres between `min` and `max` (query parameter `name`). */
export const metresParam = (name: string, min: number, max: number, description: string) =>
  decimal(`${name} must be a number of metres`, (n) =>
      n
        .min(min, `${name} must be at least ${min} m`)
        .max(max, `${name} must be at most ${max} m`),
  )
    .openapi({ param: { name, in: 'query' }, description })

/** A true/false query parameter (also 1/0). */
export const booleanParam = (name: string, fallback: boolean, description?: string) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1')
    .openapi({ param: { name, in: 'query' }, ...(description ? { description } : {}) })

// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const CONTROL = /[\u0000-\u001f\u007f]/

/** Text of `min`–`max` characters without control characters (names, usernames, filters). */
export const plainText = (name: string, min: number, max: number) =>
  z
    .string({ message: `${name} must be text` })
    .min(min, `${name} must be at least ${min} character${min === 1 ? '' : 's'}`)
    .max(max, `${name} must be at most ${max} characters`)
    .refine((s) => !CONTROL.test(s), { message: `${name} must not contain control characters` })


/**
 * `lang=zh|en`: the language the answer names zones, teams, routes, captains and grid workers in
 * (each falls back to the name it was recorded with). Read for every request by the `language`
 * middleware (http/guard.ts); routes that name things declare it for their documentation.
 */
export const langParam = z
  .enum(LANGUAGES, { message: `lang must be one of ${LANGUAGES.join(', ')}` })
  .optional()
  .openapi({ param: { name: 'lang', in: 'query' }, example: 'zh', description: 'language of the names in the answer (falls back to the recorded name)' })
