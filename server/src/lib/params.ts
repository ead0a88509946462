/** Parsers of query parameters shared by every endpoint (zod schemas with clear messages). */
import { z } from '@hono/zod-openapi'
import type { BBox } from '../db/layers.js'

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
  z.coerce
    .number({ message: 'limit must be a number' })
    .int('limit must be an integer')
    .min(1, 'limit must be at least 1')
    .max(max, `limit must be at most ${max}`)
    .default(fallback)
    .openapi({ param: { name: 'limit', in: 'query' }, example: 1000 })

/** A community id as used in URLs. */
export const communityId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'community id must be lower-case letters, digits and dashes')

/** The community id path parameter `{id}`. */
export const communityIdParam = communityId.openapi({ param: { name: 'id', in: 'path' }, example: 'sf-mission' })
