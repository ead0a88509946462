/**
 * Patrols as they happen (issue 11):
 *
 * - `POST /{id}/patrols`: one patrol done (date, route, start, end, members present, notes) — the
 *   form a team fills in on a phone; `GET /{id}/patrols?from&to&routeId&teamId&limit&offset`: the
 *   log, newest first, paged; `DELETE /{id}/patrols/{patrolId}`. Every write audited.
 * - `GET /{id}/patrols/summary?from&to&hours&weekdays`: planned against logged per route and zone.
 * - `GET /{id}/teams/{teamId}/roster`: the team's week — each shift with who usually walks it.
 * - `POST /{id}/routes/snap`: a drawn line snapped to the community's streets.
 *
 * A CSV of the patrol log is imported by the importer of issue 10 (source/sourceId make a second
 * import add nothing); there is no importer here.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { describeWindow, windowOf } from '../analysis/coverage.js'
import {
  LIMITS,
  PatrolLogAnswerSchema,
  PatrolLogInputSchema,
  PatrolLogPageSchema,
  PatrolSummarySchema,
  RosterSchema,
  SnapAnswerSchema,
  SnapInputSchema,
  isDateOnly,
  isRealInstant,
  type PatrolSummary,
} from '../contract.js'
import type { Editor } from '../db/plans.js'
import { deletePatrol, listPatrols, logPatrol, patrolSummary, teamRoster } from '../db/patrols.js'
import { snapLine } from '../db/snap.js'
import { routeModule, type AppEnv } from '../env.js'
import { ApiError } from '../errors.js'
import { clientIp } from '../http/auth.js'
import { viewOf } from '../http/context.js'
import { incidentFilterShape } from '../http/filters.js'
import { jsonAnswer } from '../http/openapi.js'
import { communityIdParam, decimal, featureIdParam, langParam, limitParam } from '../http/params.js'

const editor = (c: Context<AppEnv>): Editor => ({ userId: c.var.user?.id ?? null, username: c.var.user?.username ?? null, ip: clientIp(c) })
const body = <S extends z.ZodType>(schema: S) => ({ body: { required: true, content: { 'application/json': { schema } } } })

/** A local date parameter (`from`, `to`): YYYY-MM-DD. */
const dateCheck = (name: string) => z.string({ message: `${name} is required: a local date, YYYY-MM-DD` }).refine((s) => isDateOnly(s) && isRealInstant(s), { message: `${name} must be a real local date, YYYY-MM-DD` })
const dateExample = (name: string) => ({ param: { name, in: 'query' as const }, example: name === 'from' ? '2018-12-01' : '2018-12-31' })
const requiredDate = (name: string) => dateCheck(name).openapi(dateExample(name))
const optionalDate = (name: string) =>
  dateCheck(name)
    .optional()
    .transform((s) => s ?? null)
    .openapi(dateExample(name))
const idQuery = (name: string) =>
  decimal(`${name} must be a number`, (n) => n.int(`${name} must be an integer`).min(1, `${name} must be at least 1`).max(Number.MAX_SAFE_INTEGER, `${name} is too large`))
    .optional()
    .transform((v) => v ?? null)
    .openapi({ param: { name, in: 'query' } })

/** Days from `from` to `to`, both counted. */
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1

/** 400 unless [from, to] runs forwards and spans at most LIMITS.patrols.periodDays. */
function checkPeriod(from: string | null, to: string | null, bounded: boolean): void {
  if (from && to && from > to) throw new ApiError('invalid_parameter', `from (${from}) must not be after to (${to})`, { parameter: 'from' })
  if (bounded && from && to && daysBetween(from, to) > LIMITS.patrols.periodDays)
    throw new ApiError('invalid_parameter', `the period may span at most ${LIMITS.patrols.periodDays} days`, { parameter: 'to', maxDays: LIMITS.patrols.periodDays })
}

const ListQuery = z.object({
  from: optionalDate('from'),
  to: optionalDate('to'),
  routeId: idQuery('routeId'),
  teamId: idQuery('teamId'),
  limit: limitParam(LIMITS.patrols.pageDefault, LIMITS.patrols.pageMax),
  offset: decimal('offset must be a number', (n) => n.int('offset must be an integer').min(0, 'offset must be at least 0').max(1_000_000, 'offset must be at most 1000000'))
    .default(0)
    .openapi({ param: { name: 'offset', in: 'query' } }),
  lang: langParam,
})

const SummaryQuery = z.object({
  from: requiredDate('from'),
  to: requiredDate('to'),
  hours: incidentFilterShape.hours,
  weekdays: incidentFilterShape.weekdays,
  lang: langParam,
})

export const patrols = routeModule()
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/patrols',
      tags: ['patrols'],
      summary: 'Log one patrol done',
      description:
        'The route’s team unless `teamId` says otherwise; `memberIds` must be members of that team; `membersCount` defaults to the members named. The date is the local day the patrol started (no later than tomorrow); end ≤ start ran past midnight. With `sourceId` already recorded under the same `source`, nothing is added: 200 with the recorded entry and `created: false`. Audited (`patrol_logged`).',
      request: { params: z.object({ id: communityIdParam }), ...body(PatrolLogInputSchema) },
      responses: { ...jsonAnswer('already recorded', PatrolLogAnswerSchema), 201: { description: 'logged', content: { 'application/json': { schema: PatrolLogAnswerSchema } } } },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const answer = await logPatrol(c.var.sql, id, c.req.valid('json'), editor(c), viewOf(c))
      return c.json(answer, answer.created ? 201 : 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/patrols',
      tags: ['patrols'],
      summary: 'The patrol log, newest first (a page of it)',
      request: { params: z.object({ id: communityIdParam }), query: ListQuery },
      responses: jsonAnswer('a page of the log', PatrolLogPageSchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const q = c.req.valid('query')
      checkPeriod(q.from, q.to, false)
      const { patrols: list, total } = await listPatrols(c.var.sql, id, q, viewOf(c))
      return c.json({ patrols: list, total, next: q.offset + list.length < total ? q.offset + list.length : null }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/patrols/summary',
      tags: ['patrols'],
      summary: 'Planned against logged patrols per route and zone in a period (and a time window)',
      description:
        'planned: shift occurrences — each shift × each local date in [from, to] whose ISO weekday is one of its days (the plan as it is now); with `hours`/`weekdays`, only occurrences in service during that window. logged: patrols logged in the period overlapping the window. plannedDone: occurrences matched by a patrol logged on the route (overlapping by at least half the shorter of the two); unplanned: logged patrols matching no occurrence. A zone adds up the routes reaching it.',
      request: { params: z.object({ id: communityIdParam }), query: SummaryQuery },
      responses: jsonAnswer('the summary', PatrolSummarySchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const q = c.req.valid('query')
      checkPeriod(q.from, q.to, true)
      const w = windowOf({ from: null, to: null, categories: null, hours: q.hours, weekdays: q.weekdays })
      const figures = await patrolSummary(c.var.sql, id, q.from, q.to, w, viewOf(c).lang)
      return c.json({ from: q.from, to: q.to, days: daysBetween(q.from, q.to), window: describeWindow(w), ...figures } satisfies PatrolSummary, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{id}/patrols/{patrolId}',
      tags: ['patrols'],
      summary: 'Delete a logged patrol (audited)',
      request: { params: z.object({ id: communityIdParam, patrolId: featureIdParam('patrolId') }) },
      responses: { 204: { description: 'deleted' } },
    }),
    async (c) => {
      const { id, patrolId } = c.req.valid('param')
      if (!(await deletePatrol(c.var.sql, id, patrolId, editor(c), viewOf(c)))) throw new ApiError('not_found', `patrol ${patrolId} does not exist in community "${id}"`, { id: patrolId })
      return c.body(null, 204)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/teams/{teamId}/roster',
      tags: ['patrols'],
      summary: 'A team’s weekly roster: each shift of its routes with the members who usually walk it',
      description: 'Phone numbers only for roles that see them (the phones capability); names in `lang`.',
      request: { params: z.object({ id: communityIdParam, teamId: featureIdParam('teamId') }), query: z.object({ lang: langParam }) },
      responses: jsonAnswer('the roster', RosterSchema),
    }),
    async (c) => {
      const { id, teamId } = c.req.valid('param')
      const roster = await teamRoster(c.var.sql, id, teamId, viewOf(c))
      if (roster === null) throw new ApiError('not_found', `team ${teamId} does not exist in community "${id}"`, { id: teamId })
      return c.json(roster, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/routes/snap',
      tags: ['planning'],
      summary: 'Snap a drawn line (clicked points) to the community’s streets',
      description: `Each point moves to the nearest street within \`toleranceM\` (default ${LIMITS.snap.toleranceDefault} m, at most ${LIMITS.snap.toleranceMax}) or stays; with pgRouting (server mode, where installed) the line then follows the streets between consecutive snapped points. 2–${LIMITS.snap.points} points. Nothing is saved.`,
      request: { params: z.object({ id: communityIdParam }), ...body(SnapInputSchema) },
      responses: jsonAnswer('the snapped line', SnapAnswerSchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const input = c.req.valid('json')
      const coords = (input.geometry as { coordinates: unknown }).coordinates as unknown[]
      if (coords.length < 2 || coords.length > LIMITS.snap.points)
        throw new ApiError('invalid_geometry', `a line of 2 to ${LIMITS.snap.points} points`, { field: 'geometry', points: coords.length })
      for (const p of coords)
        if (!Array.isArray(p) || p.length < 2 || !p.every((x) => typeof x === 'number' && Number.isFinite(x)) || Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90)
          throw new ApiError('invalid_geometry', 'each point must be [longitude, latitude] in degrees', { field: 'geometry' })
      const line = { type: 'LineString' as const, coordinates: (coords as number[][]).map((p) => [p[0]!, p[1]!]) }
      return c.json(await snapLine(c.var.sql, id, line, input.toleranceM ?? LIMITS.snap.toleranceDefault, input.method ?? 'auto'), 200)
    },
  )
