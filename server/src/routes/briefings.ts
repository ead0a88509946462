/**
 * Filed briefings (issue 13, "Snapshots") under /api/communities/{id}:
 *
 * - `POST /briefings` {from, to[, compare][, day, evening, night][, against][, title]}: computes the
 *   meeting pack on the server — in Chinese and in English, from one snapshot of the data — and
 *   files it with who and when (admins and planners; audited `briefing_filed`); 201 with its meta
 *   and a Location header. A filed briefing never changes (a database trigger refuses it).
 * - `GET /briefings[?limit&offset]`: the community's briefings, newest first, with headline figures;
 * - `GET /briefings/{briefingId}[?lang]`: one, with its pack exactly as filed (Chinese by default);
 * - `GET /briefings/{briefingId}.csv?table=zones|scorecard[&lang]` and `.xlsx[?lang]`: its tables, as
 *   GET …/briefing.csv and .xlsx make them, from the stored pack.
 *
 * The pack holds aggregates only (access.ts, meetingAccess): every role of the community reads them.
 * The next meeting's pack compares with the latest briefing filed for its other period (analysis/meeting.ts).
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { meetingPack, meetingPackAndGrid, type MeetingParams } from '../analysis/meeting.js'
import { BRIEFING_LIMITS, BriefingListSchema, BriefingMetaSchema, BriefingSchema, MEETING_AGAINST, MEETING_COMPARE, MEETING_DEFAULTS, type Lang } from '../contract.js'
import { fileBriefing, listBriefings, readBriefing } from '../db/briefings.js'
import { communityExists } from '../db/communities.js'
import type { Sql } from '../db/connect.js'
import { routeModule, type AppEnv } from '../env.js'
import { ApiError } from '../errors.js'
import { MEETING_TABLES, meetingTable, scorecardTable, toCsv, zoneTable } from '../export/tables.js'
import { excelWriter } from '../export/xlsx.js'
import { runOptions, viewOf } from '../http/context.js'
import { errorResponses, jsonAnswer } from '../http/openapi.js'
import { communityIdParam, featureIdParam, langParam, limitParam, plainText } from '../http/params.js'
import { offsetParam } from '../http/people-params.js'
import { validationError } from '../http/validation.js'
import { checkPeriod, dayValue, windowValue, XLSX_TYPE } from './meeting.js'
import { editorOf } from './disputes.js'

/** What a filing asks for: the pack's query (without `lang`: both languages are filed) and a title. */
export const BriefingInputSchema = z
  .object({
    from: dayValue('from').openapi({ example: '2012-11-01' }),
    to: dayValue('to').openapi({ example: '2012-11-30' }),
    compare: z.enum(MEETING_COMPARE).default(MEETING_DEFAULTS.compare),
    day: windowValue('day').openapi({ example: MEETING_DEFAULTS.windows.day }),
    evening: windowValue('evening').openapi({ example: MEETING_DEFAULTS.windows.evening }),
    night: windowValue('night').openapi({ example: MEETING_DEFAULTS.windows.night }),
    against: z.enum(MEETING_AGAINST).default('filed').openapi({ description: 'as GET …/briefing: the other period as filed (default) or from the data' }),
    title: plainText('title', 1, BRIEFING_LIMITS.title)
      .refine((s) => s.trim() !== '', { message: 'title must not be blank' })
      .optional()
      .openapi({ description: `at most ${BRIEFING_LIMITS.title} characters; default: the period, "from – to"`, example: '2012年11月警情通报会' }),
  })
  .strict()
  .superRefine(checkPeriod)
  .openapi('BriefingInput')

const params = z.object({ id: communityIdParam })
const briefingParams = z.object({ id: communityIdParam, briefingId: featureIdParam('briefingId') })
/** `{briefingId}.csv` / `.xlsx` as one path segment: the id before the suffix. */
const fileParams = (suffix: string) =>
  z.object({
    id: communityIdParam,
    briefingId: z.preprocess((s) => (typeof s === 'string' && s.endsWith(suffix) ? s.slice(0, -suffix.length) : s), featureIdParam('briefingId')),
  })
const csvQuery = z.object({ table: z.enum(MEETING_TABLES).default('zones').openapi({ param: { name: 'table', in: 'query' }, description: 'zones (default) or scorecard' }), lang: langParam })
const xlsxQuery = z.object({ lang: langParam })

/** The language a filed briefing is read in: the one asked, Chinese by default. */
const langOf = (c: Context<AppEnv>): Lang => viewOf(c).lang ?? 'zh'

/** Validates what a plain Hono route received (the export routes, whose path a suffix ends). */
function valid<S extends z.ZodType>(schema: S, value: unknown, target: string): z.output<S> {
  const r = schema.safeParse(value)
  if (!r.success) throw validationError(r.error, target)
  return r.data
}

const csvRoute = createRoute({
  method: 'get',
  path: '/{id}/briefings/{briefingId}.csv',
  tags: ['meeting'],
  summary: 'The per-zone table or the scorecard of a filed briefing as CSV (UTF-8 with BOM)',
  description: 'As GET …/briefing.csv makes it, from the pack as filed. Headers and names in `lang` (Chinese by default).',
  request: { params: z.object({ id: communityIdParam, briefingId: featureIdParam('briefingId') }), query: csvQuery },
  responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...errorResponses },
})
const xlsxRoute = createRoute({
  method: 'get',
  path: '/{id}/briefings/{briefingId}.xlsx',
  tags: ['meeting'],
  summary: 'The per-zone table and the scorecard of a filed briefing as one .xlsx workbook',
  description: 'As GET …/briefing.xlsx makes it, from the pack as filed. Sheet names, headers and names in `lang` (Chinese by default).',
  request: { params: z.object({ id: communityIdParam, briefingId: featureIdParam('briefingId') }), query: xlsxQuery },
  responses: { 200: { description: 'xlsx', content: { [XLSX_TYPE]: { schema: z.string().meta({ format: 'binary' }) } } }, ...errorResponses },
})

export const briefings = routeModule()

// The exports first: `{briefingId}.csv` is one path segment, which the reading route's `{briefingId}` matches too.
// (Hono cannot route a parameter followed by a suffix, so these are plain routes documented as the paths they serve.)
briefings.openAPIRegistry.registerPath(csvRoute)
briefings.openAPIRegistry.registerPath(xlsxRoute)
briefings.get('/:id/briefings/:briefingId{.+\\.csv}', async (c) => {
  const { id, briefingId } = valid(fileParams('.csv'), c.req.param(), 'param')
  const q = valid(csvQuery, c.req.query(), 'query')
  const lang = langOf(c)
  const b = await readBriefing(c.var.sql, id, briefingId, lang)
  const csv = toCsv(meetingTable(b.pack, q.table, lang), lang)
  const file = `briefing-${id}-${b.id}-${b.period.from}-${b.period.to}-${q.table}.csv`
  return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${file}"` })
})
briefings.get('/:id/briefings/:briefingId{.+\\.xlsx}', async (c) => {
  const { id, briefingId } = valid(fileParams('.xlsx'), c.req.param(), 'param')
  valid(xlsxQuery, c.req.query(), 'query')
  const lang = langOf(c)
  const b = await readBriefing(c.var.sql, id, briefingId, lang)
  const bytes = await excelWriter([zoneTable(b.pack, lang), scorecardTable(b.pack, lang)], lang)
  const file = `briefing-${id}-${b.id}-${b.period.from}-${b.period.to}.xlsx`
  return c.body(new Uint8Array(bytes), 200, { 'content-type': XLSX_TYPE, 'content-disposition': `attachment; filename="${file}"` })
})

briefings
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/briefings',
      tags: ['meeting'],
      summary: 'File the meeting pack of a period: stored as presented, in Chinese and English, with who and when; never changed afterwards (audited)',
      description:
        'Computes the pack as GET …/briefing would answer it (the same validation) in both languages from one snapshot of the data, and stores it. The next meeting’s pack compares with it when its other period is exactly this period with the same windows.',
      request: { params, body: { required: true, content: { 'application/json': { schema: BriefingInputSchema } } } },
      responses: { 201: { description: 'filed; Location: the briefing', content: { 'application/json': { schema: BriefingMetaSchema } } }, ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const b = c.req.valid('json')
      const base: Omit<MeetingParams, 'lang'> = { from: b.from, to: b.to, compare: b.compare, windows: { day: b.day, evening: b.evening, night: b.night }, against: b.against }
      const run = runOptions(c)
      const who = editorOf(c)
      // both languages from one snapshot of the data, filed in the same transaction
      const meta = await c.var.sql.begin('isolation level repeatable read', async (raw) => {
        const tx = raw as unknown as Sql
        const zh = await meetingPackAndGrid(tx, tx, id, { ...base, lang: 'zh' }, run)
        const en = await meetingPack(tx, tx, id, { ...base, lang: 'en' }, run)
        const { compare, windows } = zh.pack
        return fileBriefing(
          tx,
          { community: id, from: b.from, to: b.to, compare: b.compare, compareFrom: compare.from, compareTo: compare.to, windows, title: b.title ?? `${b.from} – ${b.to}`, packs: { zh: zh.pack, en }, grid: zh.grid },
          who,
        )
      })
      return c.json(meta, 201, { location: `/api/communities/${encodeURIComponent(id)}/briefings/${meta.id}` })
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/briefings',
      tags: ['meeting'],
      summary: 'The filed briefings of a community, newest first, with headline figures',
      request: { params, query: z.object({ limit: limitParam(BRIEFING_LIMITS.list.default, BRIEFING_LIMITS.list.max), offset: offsetParam }) },
      responses: jsonAnswer('briefings', BriefingListSchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { limit, offset } = c.req.valid('query')
      if (!(await communityExists(c.var.sql, id))) throw new ApiError('community_not_found', `community "${id}" does not exist`, { id })
      return c.json({ ...(await listBriefings(c.var.sql, id, limit, offset)), limit, offset }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/briefings/{briefingId}',
      tags: ['meeting'],
      summary: 'A filed briefing: its meta and its pack exactly as filed, in `lang` (Chinese by default)',
      request: { params: briefingParams, query: z.object({ lang: langParam }) },
      responses: jsonAnswer('the briefing', BriefingSchema),
    }),
    async (c) => {
      const { id, briefingId } = c.req.valid('param')
      return c.json(await readBriefing(c.var.sql, id, briefingId, langOf(c)), 200)
    },
  )
