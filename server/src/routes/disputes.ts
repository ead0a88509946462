/**
 * Disputes and mediation (issue 12) under /api/communities/{id}/disputes:
 *
 * - `GET /`, `POST /`: the records (admins, planners, mediators read; admins and mediators write);
 * - `GET /figures`: screened, mediation rate, success rate, resolved within the community,
 *   escalations and petitions per zone and overall for a period — every role (counts only);
 * - `GET /warnings`: the early-warning list;
 * - `GET|POST /escalations`: escalations (越级) and petitions (上访);
 * - `GET|PUT /deadline`: the days a dispute may stay open before it is flagged (admins set it; If-Match);
 * - `GET|PATCH /{disputeId}` (If-Match: its version; a new `status` is a step of the lifecycle),
 *   `GET /{disputeId}/history`, `POST /{disputeId}/follow-ups`.
 *
 * Static paths are registered before `/{disputeId}`: the first handler matched answers.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { can } from '../access.js'
import { disputeFigures, disputeWarnings } from '../analysis/disputes.js'
import {
  AuditPageSchema,
  DISPUTE_KINDS,
  DISPUTE_STATUSES,
  DisputeCreateSchema,
  DisputeDeadlineInputSchema,
  DisputeDeadlineSchema,
  DisputeFiguresAnswerSchema,
  DisputeListSchema,
  DisputePatchSchema,
  DisputeSchema,
  DisputeWarningsSchema,
  ESCALATION_KINDS,
  EscalationCreateSchema,
  EscalationListSchema,
  EscalationSchema,
  FollowUpCreateSchema,
  FollowUpSchema,
  PEOPLE_LIMITS,
} from '../contract.js'
import { readAudit } from '../db/audit.js'
import { addFollowUp, changeDispute, createDispute, createEscalation, listDisputes, listEscalations, localToday, readDeadline, readDispute, writeDeadline } from '../db/disputes.js'
import type { Editor } from '../db/plans.js'
import { routeModule, type AppEnv } from '../env.js'
import { ApiError } from '../errors.js'
import { clientIp } from '../http/auth.js'
import { runOptions, viewOf } from '../http/context.js'
import { filterOf, filterQuery, incidentFilterShape } from '../http/filters.js'
import { ifMatchVersion } from '../http/if-match.js'
import { jsonAnswer } from '../http/openapi.js'
import { communityIdParam, decimal, featureIdParam, langParam, limitParam } from '../http/params.js'
import { enumList, localDateParam, offsetParam, queryId } from '../http/people-params.js'

const body = <S extends z.ZodType>(schema: S) => ({ body: { required: true, content: { 'application/json': { schema } } } })
const created = (schema: z.ZodType) => ({ ...jsonAnswer('created', schema), 201: { description: 'created', content: { 'application/json': { schema } } } })
const params = z.object({ id: communityIdParam })
const disputeParams = z.object({ id: communityIdParam, disputeId: featureIdParam('disputeId') })
/** A period of the shared filters: `from`, `to` (inclusive local dates or ISO timestamps), from ≤ to. */
const period = <T extends z.ZodRawShape>(extra: T) =>
  z.object({ from: incidentFilterShape.from, to: incidentFilterShape.to, ...extra }).superRefine((q, ctx) => {
    const { from, to } = q as unknown as { from: string | null; to: string | null }
    if (from && to && from.slice(0, 10) > to.slice(0, 10)) ctx.addIssue({ code: 'custom', path: ['from'], message: `from (${from}) must not be after to (${to})` })
  })
const list = { limit: limitParam(PEOPLE_LIMITS.list.default, PEOPLE_LIMITS.list.max), offset: offsetParam }

export const editorOf = (c: Context<AppEnv>): Editor => ({ userId: c.var.user?.id ?? null, username: c.var.user?.username ?? null, ip: clientIp(c) })
const withParties = (c: Context<AppEnv>) => can(c.var.role ?? null, 'disputeParties')
const etag = (version: number) => ({ etag: `"${version}"` })

export const disputes = routeModule()
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/disputes/figures',
      tags: ['disputes'],
      summary: 'Dispute figures per zone and overall for a period: screened, mediation rate, success rate, resolved within the community, escalations, petitions',
      description:
        'screened = reported in the period; mediationRate = of those, mediation started by the end of the period; successRate = of the disputes whose mediation ended in the period, agreed; resolvedInCommunity = of those ended, handled at building, grid or community level; escalations, petitions = records dated in the period. Each rate has its numerator and denominator; null when the denominator is 0.',
      request: { params, query: period({ lang: langParam }) },
      responses: jsonAnswer('figures', DisputeFiguresAnswerSchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const q = c.req.valid('query')
      return c.json(await disputeFigures(c.var.sql, id, { from: q.from, to: q.to }, viewOf(c).lang), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/disputes/warnings',
      tags: ['disputes'],
      summary: 'Early warnings: repeat disputes at a building or of a party, disputes open past their deadline, open disputes near an incident hot spot',
      description: `asOf: the local date (default today). deadlineDays: ${PEOPLE_LIMITS.deadlineDays.min}–${PEOPLE_LIMITS.deadlineDays.max} (default: the community’s setting, ${PEOPLE_LIMITS.deadlineDays.default} unless changed). The shared filters choose the incidents of the hot spot analysis (Gi*, default settings).`,
      request: {
        params,
        query: filterQuery({
          asOf: localDateParam('asOf', 'the local date the list is for (default: today in the community)'),
          deadlineDays: decimal('deadlineDays must be a number of days', (n) =>
            n.int('deadlineDays must be an integer').min(PEOPLE_LIMITS.deadlineDays.min, `deadlineDays must be at least ${PEOPLE_LIMITS.deadlineDays.min}`).max(PEOPLE_LIMITS.deadlineDays.max, `deadlineDays must be at most ${PEOPLE_LIMITS.deadlineDays.max}`),
          )
            .optional()
            .openapi({ param: { name: 'deadlineDays', in: 'query' }, example: 30 }),
        }),
      },
      responses: jsonAnswer('warnings', DisputeWarningsSchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const q = c.req.valid('query')
      const asOf = q.asOf ?? (await localToday(c.var.sql, id))
      if (asOf === null) throw new ApiError('community_not_found', `community "${id}" does not exist`, { id })
      const answer = await disputeWarnings(c.var.sql, c.var.analysisSql, id, { asOf, deadlineDays: q.deadlineDays ?? null, filter: filterOf(q), withParties: withParties(c) }, runOptions(c))
      return c.json(answer, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/disputes/escalations',
      tags: ['disputes'],
      summary: 'Escalations (越级) and petitions (上访) dated in the period, newest first',
      request: { params, query: period({ kind: z.enum(ESCALATION_KINDS).optional().openapi({ param: { name: 'kind', in: 'query' } }), zoneId: queryId('zoneId'), ...list }) },
      responses: jsonAnswer('escalations and petitions', EscalationListSchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const q = c.req.valid('query')
      const found = await listEscalations(c.var.sql, id, { from: q.from, to: q.to, kind: q.kind ?? null, zoneId: q.zoneId, limit: q.limit, offset: q.offset })
      return c.json({ ...found, limit: q.limit, offset: q.offset }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/disputes/escalations',
      tags: ['disputes'],
      summary: 'Record an escalation or a petition, linked to a dispute or naming a zone (audited)',
      request: { params, ...body(EscalationCreateSchema) },
      responses: created(EscalationSchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      return c.json(await createEscalation(c.var.sql, id, c.req.valid('json'), editorOf(c)), 201)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/disputes/deadline',
      tags: ['disputes'],
      summary: 'How many days a dispute may stay open before the early warnings flag it (the community’s setting); the ETag is its version',
      request: { params },
      responses: jsonAnswer('the deadline', DisputeDeadlineSchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const deadline = await readDeadline(c.var.sql, id)
      if (!deadline) throw new ApiError('community_not_found', `community "${id}" does not exist`, { id })
      return c.json(deadline, 200, etag(deadline.version))
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/{id}/disputes/deadline',
      tags: ['disputes'],
      summary: 'Sets the dispute deadline (administrators; If-Match: its version; audited)',
      description: `days: ${PEOPLE_LIMITS.deadlineDays.min}–${PEOPLE_LIMITS.deadlineDays.max}. 428 without If-Match, 409 version_conflict with \`details.current\` when it changed since it was read.`,
      request: { params, ...body(DisputeDeadlineInputSchema) },
      responses: jsonAnswer('the deadline as saved', DisputeDeadlineSchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const input = c.req.valid('json')
      const version = ifMatchVersion(c.req.header('if-match'))
      const deadline = await writeDeadline(c.var.sql, id, version, input, editorOf(c))
      return c.json(deadline, 200, etag(deadline.version))
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/disputes',
      tags: ['disputes'],
      summary: 'Disputes reported in the period, newest first (parties for admins and mediators only)',
      request: {
        params,
        query: period({ zoneId: queryId('zoneId'), buildingId: queryId('buildingId'), status: enumList('status', DISPUTE_STATUSES), kind: enumList('kind', DISPUTE_KINDS), ...list }),
      },
      responses: jsonAnswer('disputes', DisputeListSchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const q = c.req.valid('query')
      const found = await listDisputes(c.var.sql, id, { from: q.from, to: q.to, zoneId: q.zoneId, buildingId: q.buildingId, statuses: q.status, kinds: q.kind, limit: q.limit, offset: q.offset }, withParties(c))
      return c.json({ ...found, limit: q.limit, offset: q.offset }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/disputes',
      tags: ['disputes'],
      summary: 'Record a dispute (status reported; audited)',
      request: { params, ...body(DisputeCreateSchema) },
      responses: created(DisputeSchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const dispute = await createDispute(c.var.sql, id, c.req.valid('json'), editorOf(c))
      return c.json(dispute, 201, etag(dispute.version))
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/disputes/{disputeId}',
      tags: ['disputes'],
      summary: 'One dispute with its follow-up visits and escalations; the ETag is its version',
      request: { params: disputeParams },
      responses: jsonAnswer('the dispute', DisputeSchema),
    }),
    async (c) => {
      const { id, disputeId } = c.req.valid('param')
      const dispute = await readDispute(c.var.sql, id, disputeId, withParties(c))
      if (!dispute) throw new ApiError('not_found', `dispute ${disputeId} does not exist in community "${id}"`, { entity: 'dispute', id: disputeId })
      return c.json(dispute, 200, etag(dispute.version))
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/{id}/disputes/{disputeId}',
      tags: ['disputes'],
      summary: 'Change a dispute or move it along its lifecycle (If-Match: its version)',
      description:
        'reported → mediating → agreed | failed | referred (reported → referred too); `at` dates the step (default now); mediating, agreed and failed need the `level` handling it, referred a level beyond the community (street, judicial). 409 invalid_transition for another step, 409 version_conflict with `details.current` when the dispute changed since it was read. Audited with before and after.',
      request: { params: disputeParams, ...body(DisputePatchSchema) },
      responses: jsonAnswer('the dispute', DisputeSchema),
    }),
    async (c) => {
      const { id, disputeId } = c.req.valid('param')
      const version = ifMatchVersion(c.req.header('if-match'))
      const dispute = await changeDispute(c.var.sql, id, disputeId, version, c.req.valid('json'), editorOf(c))
      return c.json(dispute, 200, etag(dispute.version))
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/disputes/{disputeId}/history',
      tags: ['disputes'],
      summary: 'Who changed this dispute, when, from what to what (newest first)',
      request: { params: disputeParams },
      responses: jsonAnswer('the changes', AuditPageSchema),
    }),
    async (c) => {
      const { id, disputeId } = c.req.valid('param')
      const entries = await readAudit(c.var.sql, { communities: [id], username: null, entity: 'dispute', entityId: String(disputeId), from: null, to: null, limit: 200, before: null })
      return c.json({ entries, next: null }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/disputes/{disputeId}/follow-ups',
      tags: ['disputes'],
      summary: 'Record a follow-up visit after an agreement: did it hold? (409 invalid_transition unless agreed; audited)',
      request: { params: disputeParams, ...body(FollowUpCreateSchema) },
      responses: created(FollowUpSchema),
    }),
    async (c) => {
      const { id, disputeId } = c.req.valid('param')
      return c.json(await addFollowUp(c.var.sql, id, disputeId, c.req.valid('json'), editorOf(c)), 201)
    },
  )
