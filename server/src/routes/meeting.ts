/**
 * The meeting pack (issue 13) under /api/communities/{id}:
 *
 * - `GET /briefing?from&to[&compare][&day&evening&night][&lang][&against]`: the pack's figures (analysis/meeting.ts);
 *   the other period as filed in a briefing (routes/briefings.ts) unless `against=data`;
 * - `GET /briefing.csv?from&to&table=zones|scorecard[&…]`: the per-zone table or the scorecard as CSV
 *   (UTF-8 with BOM; headers in `lang`, Chinese by default);
 * - `GET /targets/{year}`, `PUT /targets/{year}` (If-Match: the year's version, "0" for a year without
 *   targets): the scorecard's targets and the programme's stage.
 *
 * - `GET /briefing.xlsx?from&to[&…]`: both tables in one workbook (sheets "网格"/"Zones" and
 *   "指标"/"Scorecard").
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { meetingPack, daysOf, type MeetingParams } from '../analysis/meeting.js'
import {
  MEETING_AGAINST,
  MEETING_COMPARE,
  MEETING_DEFAULTS,
  MEETING_LIMITS,
  MEETING_WINDOWS,
  MeetingPackSchema,
  TargetsInputSchema,
  TargetsSchema,
  isDateOnly,
  isRealInstant,
  parseHours,
  type HoursWindow,
  type MeetingAgainst,
  type MeetingWindow,
} from '../contract.js'
import { communityExists } from '../db/communities.js'
import { readTargets, writeTargets } from '../db/meeting.js'
import { routeModule, type AppEnv } from '../env.js'
import { ApiError } from '../errors.js'
import { meetingTable, MEETING_TABLES, scorecardTable, toCsv, zoneTable } from '../export/tables.js'
import { excelWriter } from '../export/xlsx.js'
import { clientIp } from '../http/auth.js'
import { runOptions, viewOf } from '../http/context.js'
import { ifMatchVersion } from '../http/if-match.js'
import { errorResponses, jsonAnswer } from '../http/openapi.js'
import { communityIdParam, langParam } from '../http/params.js'

/** A local date (`from`, `to`): as a query parameter and, for filing (routes/briefings.ts), in a body. */
export const dayValue = (name: string) =>
  z
    .string({ message: `${name} is required: a local date, YYYY-MM-DD` })
    .refine((s) => isDateOnly(s) && isRealInstant(s), { message: `${name} must be a real local date, YYYY-MM-DD` })
const day = (name: string) => dayValue(name).openapi({ param: { name, in: 'query', required: true }, example: name === 'from' ? '2012-11-01' : '2012-11-30' })

/** A time window (`day`, `evening`, `night`), its default when absent or empty. */
export const windowValue = (name: MeetingWindow) =>
  z
    .string()
    .optional()
    .transform((s, ctx): HoursWindow => {
      const w = parseHours(s === undefined || s === '' ? MEETING_DEFAULTS.windows[name] : s)
      if (!w) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a window like ${MEETING_DEFAULTS.windows[name]} or 08:30-17:00 (start ≠ end; it may cross midnight)` })
        return z.NEVER
      }
      return w
    })
const windowParam = (name: MeetingWindow) =>
  windowValue(name).openapi({ param: { name, in: 'query' }, example: MEETING_DEFAULTS.windows[name], description: `the ${name} window of patrol coverage (default ${MEETING_DEFAULTS.windows[name]})` })

const packShape = {
  from: day('from'),
  to: day('to'),
  compare: z.enum(MEETING_COMPARE).default(MEETING_DEFAULTS.compare).openapi({ param: { name: 'compare', in: 'query' }, description: 'previous: the same number of days just before; year: the same dates a year earlier' }),
  day: windowParam('day'),
  evening: windowParam('evening'),
  night: windowParam('night'),
  lang: langParam,
  against: z
    .enum(MEETING_AGAINST)
    .default('filed')
    .openapi({ param: { name: 'against', in: 'query' }, description: 'filed (default): the other period’s figures from the latest briefing filed for exactly that period and these windows, when there is one (compare.filed); data: from the data as they are now' }),
}

/** The period runs forwards and is at most MEETING_LIMITS.periodDays long (the pack's query, and a filing's body). */
export function checkPeriod(q: unknown, ctx: z.RefinementCtx): void {
  const { from, to } = q as { from: string; to: string }
  if (!isDateOnly(from) || !isDateOnly(to) || !isRealInstant(from) || !isRealInstant(to)) return
  if (from > to) ctx.addIssue({ code: 'custom', path: ['from'], message: `from (${from}) must not be after to (${to})` })
  else if (daysOf(from, to) > MEETING_LIMITS.periodDays) ctx.addIssue({ code: 'custom', path: ['to'], message: `a meeting pack covers at most ${MEETING_LIMITS.periodDays} days` })
  else if (Number(from.slice(0, 4)) < 1001) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must leave room for the period before it (year 1001 or later)' })
}

/** The pack's query. */
const packQuery = <T extends z.ZodRawShape>(extra: T) => z.object({ ...packShape, ...extra }).superRefine(checkPeriod)

const params = z.object({ id: communityIdParam })
const yearParam = z
  .string()
  .regex(/^\d{4}$/, 'year must be four digits')
  .transform(Number)
  .refine((y) => y >= MEETING_LIMITS.years.min && y <= MEETING_LIMITS.years.max, { message: `year must be ${MEETING_LIMITS.years.min}–${MEETING_LIMITS.years.max}` })
  .openapi({ param: { name: 'year', in: 'path' }, example: '2012' })

const paramsOf = (c: Context<AppEnv>, q: { from: string; to: string; compare: 'previous' | 'year'; day: HoursWindow; evening: HoursWindow; night: HoursWindow; against: MeetingAgainst }): MeetingParams => ({
  from: q.from,
  to: q.to,
  compare: q.compare,
  windows: { day: q.day, evening: q.evening, night: q.night },
  lang: viewOf(c).lang,
  against: q.against,
})

/** The pack for a spreadsheet, and the language of its headers (Chinese unless asked). */
async function packFor(c: Context<AppEnv>, id: string, q: Parameters<typeof paramsOf>[1]) {
  const p = paramsOf(c, q)
  return { pack: await meetingPack(c.var.sql, c.var.analysisSql, id, p, runOptions(c)), lang: p.lang ?? 'zh' }
}

const etag = (version: number) => ({ etag: `"${version}"` })
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export const meeting = routeModule()
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/briefing',
      tags: ['meeting'],
      summary: 'The meeting pack: a period against the previous one (or a year earlier) per zone and overall, and the scorecard',
      description: `Incidents by category with the exact test of two Poisson counts (R poisson.test; "up"/"down" only when p < 0.05), hot spots new / persistent / gone (Gi* on ${MEETING_DEFAULTS.cell} m cells, 95 %+), patrol coverage in the day / evening / night windows and captain coverage, priority gaps with zone and nearest street, planned vs logged patrols, dispute figures, key problems open and overdue, and the scorecard against the year's targets. Periods of local days, at most ${MEETING_LIMITS.periodDays}. Aggregates only: the same for every role.`,
      request: { params, query: packQuery({}) },
      responses: jsonAnswer('the pack', MeetingPackSchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const q = c.req.valid('query')
      return c.json(await meetingPack(c.var.sql, c.var.analysisSql, id, paramsOf(c, q), runOptions(c)), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/briefing.csv',
      tags: ['meeting'],
      summary: 'The per-zone table or the scorecard of the meeting pack as CSV (UTF-8 with BOM)',
      description: 'The same numbers as GET …/briefing. Headers in `lang` (Chinese by default).',
      request: {
        params,
        query: packQuery({ table: z.enum(MEETING_TABLES).default('zones').openapi({ param: { name: 'table', in: 'query' }, description: 'zones (default) or scorecard' }) }),
      },
      responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const q = c.req.valid('query')
      const { pack, lang } = await packFor(c, id, q)
      const csv = toCsv(meetingTable(pack, q.table, lang), lang)
      const file = `briefing-${id}-${q.from}-${q.to}-${q.table}.csv`
      return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${file}"` }) as never
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/briefing.xlsx',
      tags: ['meeting'],
      summary: 'The per-zone table and the scorecard of the meeting pack as one .xlsx workbook',
      description: 'The same numbers as GET …/briefing and the CSV. Sheet names and headers in `lang` (Chinese by default).',
      request: { params, query: packQuery({}) },
      responses: { 200: { description: 'xlsx', content: { [XLSX_TYPE]: { schema: z.string().meta({ format: 'binary' }) } } }, ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const q = c.req.valid('query')
      const { pack, lang } = await packFor(c, id, q)
      const bytes = await excelWriter([zoneTable(pack, lang), scorecardTable(pack, lang)], lang)
      const file = `briefing-${id}-${q.from}-${q.to}.xlsx`
      return c.body(new Uint8Array(bytes), 200, { 'content-type': XLSX_TYPE, 'content-disposition': `attachment; filename="${file}"` }) as never
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/targets/{year}',
      tags: ['meeting'],
      summary: 'The targets of a year and the programme’s stage (version 0 when none are set)',
      request: { params: z.object({ id: communityIdParam, year: yearParam }) },
      responses: jsonAnswer('targets', TargetsSchema),
    }),
    async (c) => {
      const { id, year } = c.req.valid('param')
      if (!(await communityExists(c.var.sql, id))) throw new ApiError('community_not_found', `community "${id}" does not exist`, { id })
      const t = await readTargets(c.var.sql, id, year)
      return c.json(t, 200, etag(t.version))
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/{id}/targets/{year}',
      tags: ['meeting'],
      summary: 'Sets the stage and every target of a year (If-Match: the year’s version; "0" for a year without targets)',
      request: { params: z.object({ id: communityIdParam, year: yearParam }), body: { required: true, content: { 'application/json': { schema: TargetsInputSchema } } } },
      responses: jsonAnswer('the targets as saved', TargetsSchema),
    }),
    async (c) => {
      const { id, year } = c.req.valid('param')
      const input = c.req.valid('json')
      const version = ifMatchVersion(c.req.header('if-match'))
      if (!(await communityExists(c.var.sql, id))) throw new ApiError('community_not_found', `community "${id}" does not exist`, { id })
      const who = { userId: c.var.user?.id ?? null, username: c.var.user?.username ?? null, ip: clientIp(c) }
      const t = await writeTargets(c.var.sql, id, year, version, input, who)
      return c.json(t, 200, etag(t.version))
    },
  )
