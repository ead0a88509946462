/**
 * Query parameters of the shared incident filters (DESIGN.md) — the same names and meaning on every
 * endpoint: `from`, `to` (inclusive dates, or ISO timestamps), `categories`, `hours` (a time-of-day
 * window that may cross midnight, e.g. 22-02) and `weekdays` (ISO, 1 = Monday). `filterQuery(extra)`
 * is the query schema of an endpoint that filters incidents; `filterOf(query)` picks the filter out
 * of what it parsed.
 */
import { z } from '@hono/zod-openapi'
import { isRealInstant, parseHours, YEARS, type IncidentFilter } from '../contract.js'

const instant = (name: string) =>
  z
    .string()
    .optional()
    .refine((s) => s === undefined || isRealInstant(s), {
      message: `${name} must be a real date (2012-07-01) or an ISO timestamp with offset (2012-07-01T22:00:00-07:00), years ${YEARS.min}–${YEARS.max}`,
    })
    .transform((s) => s ?? null)
    .openapi({ param: { name, in: 'query' }, example: name === 'from' ? '2012-07-01' : '2012-12-31' })

/** The shared filters' parameters, one by one. */
export const incidentFilterShape = {
  from: instant('from'),
  to: instant('to'),
  categories: z
    .string()
    .optional()
    .transform((s) => (s ? [...new Set(s.split(',').map((c) => c.trim()).filter(Boolean))] : null))
    .refine((c) => c === null || (c.length <= 50 && c.every((x) => x.length <= 100)), { message: 'at most 50 categories of up to 100 characters' })
    .openapi({ param: { name: 'categories', in: 'query' }, example: 'ROBBERY,VANDALISM', description: 'comma-separated incident categories' }),
  hours: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === '') return null
      const w = parseHours(s)
      if (!w) {
        ctx.addIssue({ code: 'custom', message: 'hours must be a window like 22-02 or 08:30-17:00 (start ≠ end; it may cross midnight)' })
        return z.NEVER
      }
      return w
    })
    .openapi({ param: { name: 'hours', in: 'query' }, example: '22-02', description: 'local time-of-day window [start, end); may cross midnight' }),
  weekdays: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === '') return null
      const days = s.split(',').map((d) => Number(d.trim()))
      if (days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
        ctx.addIssue({ code: 'custom', message: 'weekdays must be ISO weekdays 1–7 (1 = Monday), comma-separated' })
        return z.NEVER
      }
      return [...new Set(days)].sort()
    })
    .openapi({ param: { name: 'weekdays', in: 'query' }, example: '1,2,3,4,5' }),
}

/**
 * The query schema of an endpoint that filters incidents: the shared filters, the endpoint's own
 * parameters, and what single parameters cannot check — the period runs forwards.
 */
export function filterQuery<T extends z.ZodRawShape>(extra: T) {
  return z.object({ ...incidentFilterShape, ...extra }).superRefine((q, ctx) => {
    const { from, to } = q as unknown as IncidentFilter
    if (from && to && from.slice(0, 10) > to.slice(0, 10)) ctx.addIssue({ code: 'custom', path: ['from'], message: `from (${from}) must not be after to (${to})` })
  })
}

/** The shared filter out of a parsed query. */
export function filterOf(q: IncidentFilter): IncidentFilter {
  return { from: q.from, to: q.to, categories: q.categories, hours: q.hours, weekdays: q.weekdays }
}
