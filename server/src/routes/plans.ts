/**
 * Planning (issue 11): a planner's writes to grid zones, patrol routes, shifts, teams and captains.
 *
 * - `GET/PATCH/DELETE /{id}/{kind}s/{itemId}`, `POST /{id}/{kind}s`: one row; the answer's ETag is
 *   its version, and PATCH/DELETE need it in If-Match (428 without, 409 version_conflict with the
 *   current row when someone else changed it meanwhile).
 * - `GET /{id}/{kind}s/{itemId}/history`: who changed the row, when, from what to what (audit log);
 *   `POST …/history/{auditId}/revert`: one of those changes reverted, as a new audited change.
 * - `POST /{id}/plans`: a draft of several changes saved as one transaction, all or nothing.
 * - `POST /{id}/plans/preview`: the same draft applied in a transaction that is rolled back, with
 *   patrol coverage, gaps (and captain coverage) before and after under the shared filters — the
 *   same SQL as the real answers, nothing saved.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { previewBody, previewDraft } from '../analysis/preview.js'
import {
  AuditPageSchema,
  DEFAULTS,
  EditAnswerSchema,
  PLAN_ENTITIES,
  PLAN_FIELDS,
  PlanAnswerSchema,
  PlanBodySchema,
  PlanRowSchema,
  RevertAnswerSchema,
  type Change,
  type RevertAnswer,
  type EditAnswer,
  type PlanEntity,
} from '../contract.js'
import type { RunOptions } from '../db/analysis.js'
import { readAudit } from '../db/audit.js'
import type { Sql } from '../db/connect.js'
import { applyChange, readRow, revertChange, type Editor } from '../db/plans.js'
import { routeModule, type AppEnv } from '../env.js'
import { ApiError } from '../errors.js'
import { clientIp } from '../http/auth.js'
import { viewOf } from '../http/context.js'
import { filterOf, filterQuery } from '../http/filters.js'
import { ifMatchVersion } from '../http/if-match.js'
import { jsonAnswer } from '../http/openapi.js'
import { booleanParam, communityIdParam, featureIdParam, langParam } from '../http/params.js'

const body = <S extends z.ZodType>(schema: S) => ({ body: { required: true, content: { 'application/json': { schema } } } })
const plural = (e: PlanEntity) => `${e}s`
const itemParams = z.object({ id: communityIdParam, itemId: featureIdParam('itemId') })

export { ifMatchVersion }

const editor = (c: Context<AppEnv>): Editor => ({ userId: c.var.user?.id ?? null, username: c.var.user?.username ?? null, ip: clientIp(c) })
const etag = (version: number | null): Record<string, string> => (version === null ? {} : { etag: `"${version}"` })

/** Applies `changes` in one transaction of `sql` (all or nothing). */
async function applyAll(sql: Sql, community: string, changes: Change[], who: Editor): Promise<EditAnswer[]> {
  return (await sql.begin(async (tx) => {
    const answers: EditAnswer[] = []
    for (const [i, change] of changes.entries()) {
      try {
        answers.push(await applyChange(tx as unknown as Sql, community, change, who, DEFAULTS.coverage.maxBuildings))
      } catch (e) {
        // say which change of the draft failed
        if (e instanceof ApiError && changes.length > 1) throw new ApiError(e.code, `change ${i + 1} (${change.entity}${change.id ? ` ${change.id}` : ''}): ${e.message}`, { change: i, ...(e.details as object) })
        throw e
      }
    }
    return answers
  })) as EditAnswer[]
}

let app = routeModule()

for (const entity of PLAN_ENTITIES) {
  const kind = plural(entity)
  app = app
    .openapi(
      createRoute({
        method: 'get',
        path: `/{id}/${kind}/{itemId}`,
        tags: ['planning'],
        summary: `One ${entity} as a planner edits it; the ETag is its version`,
        request: { params: itemParams },
        responses: jsonAnswer(`the ${entity}`, PlanRowSchema),
      }),
      async (c) => {
        const { id, itemId } = c.req.valid('param')
        const row = await readRow(c.var.sql, id, entity, itemId)
        if (row === null) throw new ApiError('not_found', `${entity} ${itemId} does not exist in community "${id}"`, { entity, id: itemId })
        return c.json(row, 200, etag(row.version as number))
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: `/{id}/${kind}`,
        tags: ['planning'],
        summary: `Create a ${entity}`,
        description: `Fields: ${Object.keys(PLAN_FIELDS[entity].schema.shape).join(', ')}; required: ${PLAN_FIELDS[entity].required.join(', ')}. Audited.`,
        request: { params: z.object({ id: communityIdParam }), ...body(PLAN_FIELDS[entity].schema) },
        responses: { ...jsonAnswer('created', EditAnswerSchema), 201: { description: 'created', content: { 'application/json': { schema: EditAnswerSchema } } } },
      }),
      async (c) => {
        const { id } = c.req.valid('param')
        const [answer] = await applyAll(c.var.sql, id, [{ entity, set: c.req.valid('json') as Record<string, unknown> }], editor(c))
        return c.json(answer!, 201, etag(answer!.version))
      },
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: `/{id}/${kind}/{itemId}`,
        tags: ['planning'],
        summary: `Change a ${entity} (If-Match: its version)`,
        description: 'Only the fields given change. 409 version_conflict with `details.current` when the row changed since it was read. Audited with before and after.',
        request: { params: itemParams, ...body(PLAN_FIELDS[entity].schema) },
        responses: jsonAnswer('changed', EditAnswerSchema),
      }),
      async (c) => {
        const { id, itemId } = c.req.valid('param')
        const version = ifMatchVersion(c.req.header('if-match'))
        const [answer] = await applyAll(c.var.sql, id, [{ entity, id: itemId, version, set: c.req.valid('json') as Record<string, unknown> }], editor(c))
        return c.json(answer!, 200, etag(answer!.version))
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: `/{id}/${kind}/{itemId}`,
        tags: ['planning'],
        summary: `Delete a ${entity} (If-Match: its version)`,
        request: { params: itemParams },
        responses: jsonAnswer('deleted', EditAnswerSchema),
      }),
      async (c) => {
        const { id, itemId } = c.req.valid('param')
        const version = ifMatchVersion(c.req.header('if-match'))
        const [answer] = await applyAll(c.var.sql, id, [{ entity, id: itemId, version, delete: true }], editor(c))
        return c.json(answer!, 200)
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: `/{id}/${kind}/{itemId}/history`,
        tags: ['planning'],
        summary: `Who changed this ${entity}, when, from what to what (newest first)`,
        request: { params: itemParams },
        responses: jsonAnswer('the changes', AuditPageSchema),
      }),
      async (c) => {
        const { id, itemId } = c.req.valid('param')
        const entries = await readAudit(c.var.sql, { communities: [id], username: null, entity, entityId: String(itemId), from: null, to: null, limit: 200, before: null })
        return c.json({ entries, next: null }, 200)
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: `/{id}/${kind}/{itemId}/history/{auditId}/revert`,
        tags: ['planning'],
        summary: `Revert one change of this ${entity} (an entry of its history), as a new audited change`,
        description:
          'A creation is deleted, a deletion re-created under the same id, an update’s changed fields set back to what they were. 409 version_conflict with `details.current` and `details.fields` when a later change touched the same fields (or the row was deleted or re-created since). Audited as action `revert` with `reverts` naming the entry.',
        request: { params: itemParams.extend({ auditId: featureIdParam('auditId') }) },
        responses: jsonAnswer('the revert', RevertAnswerSchema),
      }),
      async (c) => {
        const { id, itemId, auditId } = c.req.valid('param')
        const answer = await c.var.sql.begin((tx) => revertChange(tx as unknown as Sql, id, entity, itemId, auditId, editor(c), DEFAULTS.coverage.maxBuildings))
        return c.json(answer as RevertAnswer, 200, etag(answer.version))
      },
    )
}

/** Thrown to roll a preview's transaction back, carrying its answer (JSON text) out. */
class Rollback {
  constructor(readonly answer: string) {}
}

export const plans = app
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/plans',
      tags: ['planning'],
      summary: 'Save a draft: every change in one transaction, all or nothing',
      description: 'Each change: `{ entity, id?, version?, delete?, set? }` — create without id, change or delete with id and the version it was made on. A failing change fails the whole draft and says which.',
      request: { params: z.object({ id: communityIdParam }), ...body(PlanBodySchema) },
      responses: jsonAnswer('the saved changes', PlanAnswerSchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      return c.json({ changes: await applyAll(c.var.sql, id, c.req.valid('json').changes, editor(c)) }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/plans/preview',
      tags: ['planning'],
      summary: 'What a draft would change, computed by applying it and rolling it back: nothing is saved',
      description:
        'Patrol coverage, gaps and captain coverage under the shared filters (the window: `hours`, `weekdays`; incidents: the period and categories), before and after the draft, per zone and overall (`before`, `after`: the figures of the coverage and gaps answers, `meta`); the differences: gap counts, the priority gaps it closes and opens, where patrol coverage grows and shrinks (`differences.coverage.added` / `.removed`: GeoJSON and m²) and the buildings it brings into patrol coverage or leaves outside it (`differences.buildings.covered` / `.uncovered`: ids). With `features=true`, `after` holds the draft’s coverage, gaps and captain coverage as whole GeoJSON answers to draw (every uncovered building listed: tens of MB and seconds for a city).',
      request: {
        params: z.object({ id: communityIdParam }),
        query: filterQuery({ lang: langParam, features: booleanParam('features', false, 'true: `after` as the draft’s whole coverage, gaps and captain coverage answers with their features; false (default): their figures') }),
        ...body(PlanBodySchema),
      },
      responses: jsonAnswer('the preview', z.record(z.string(), z.unknown())),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const query = c.req.valid('query')
      const filter = filterOf(query)
      const lang = viewOf(c).lang
      const changes = c.req.valid('json').changes
      try {
        await c.var.sql.begin(async (raw) => {
          const run: RunOptions = { mode: c.var.dbMode, timeoutMs: c.var.analysisTimeoutMs }
          // server mode: what the draft cannot change is computed meanwhile on the analysis connections — a pool of
          // their own, which never waits for this transaction's (PGlite has only this one connection)
          const parallel = c.var.dbMode === 'server' && c.var.analysisSql !== c.var.sql ? c.var.analysisSql : null
          throw new Rollback(previewBody(await previewDraft(raw as unknown as Sql, id, changes, filter, lang, run, editor(c), parallel, { features: query.features, cache: c.var.previewCache })))
        })
      } catch (e) {
        // the answer's features are spliced in as the database wrote them (tens of MB for a city), not parsed and written again
        if (e instanceof Rollback) return c.body(e.answer, 200, { 'content-type': 'application/json' }) as never
        throw e
      }
      throw new Error('preview: the transaction was not rolled back')
    },
  )
