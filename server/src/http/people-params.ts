/** Query parameters of the people side (issue 12): ids, lists of enum values, offsets, a local date. */
import { z } from '@hono/zod-openapi'
import { isDateOnly, isRealInstant } from '../contract.js'
import { decimal } from './params.js'

/** An optional positive integer id in the query (`zoneId`, `buildingId`); null when absent. */
export const queryId = (name: string) =>
  decimal(`${name} must be a number`, (n) => n.int(`${name} must be an integer`).min(1, `${name} must be at least 1`).max(Number.MAX_SAFE_INTEGER, `${name} is too large`))
    .optional()
    .transform((v) => v ?? null)
    .openapi({ param: { name, in: 'query' }, example: 7 })

/** `offset`: records to skip, 0 … 1,000,000. */
export const offsetParam = decimal('offset must be a number', (n) => n.int('offset must be an integer').min(0, 'offset must be at least 0').max(1_000_000, 'offset must be at most 1000000'))
  .default(0)
  .openapi({ param: { name: 'offset', in: 'query' }, example: 0 })

/** A comma-separated list of `values` (null when absent). */
export const enumList = <T extends string>(name: string, values: readonly T[]) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === '') return null
      const list = [...new Set(s.split(',').map((x) => x.trim()))]
      const bad = list.find((x) => !(values as readonly string[]).includes(x))
      if (bad !== undefined) {
        ctx.addIssue({ code: 'custom', message: `${name} must be some of ${values.join(', ')} (comma-separated)` })
        return z.NEVER
      }
      return list as T[]
    })
    .openapi({ param: { name, in: 'query' }, example: values.slice(0, 2).join(','), description: `comma-separated: ${values.join(', ')}` })

/** A local date 'YYYY-MM-DD' in the query (null when absent: today in the community). */
export const localDateParam = (name: string, description: string) =>
  z
    .string()
    .optional()
    .refine((s) => s === undefined || (isDateOnly(s) && isRealInstant(s)), { message: `${name} must be a real date, YYYY-MM-DD` })
    .transform((s) => s ?? null)
    .openapi({ param: { name, in: 'query' }, example: '2012-12-31', description })
