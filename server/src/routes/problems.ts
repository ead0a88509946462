/**
 * Key problems (分片包干, issue 12) under /api/communities/{id}/problems: listed per zone and
 * owner, overdue first; created, changed (If-Match: the version) and noted by admins and mediators;
 * every write audited with before and after.
 */
import { createRoute, z } from '@hono/zod-openapi'
import {
  AuditPageSchema,
  PEOPLE_LIMITS,
  PROBLEM_STATUSES,
  ProblemCreateSchema,
  ProblemListSchema,
  ProblemNoteCreateSchema,
  ProblemNoteSchema,
  ProblemPatchSchema,
  ProblemSchema,
} from '../contract.js'
import { readAudit } from '../db/audit.js'
import { localToday } from '../db/disputes.js'
import { addProblemNote, changeProblem, createProblem, listProblems, readProblem } from '../db/problems.js'
import { routeModule } from '../env.js'
import { ApiError } from '../errors.js'
import { viewOf } from '../http/context.js'
import { ifMatchVersion } from '../http/if-match.js'
import { jsonAnswer } from '../http/openapi.js'
import { communityIdParam, featureIdParam, langParam, limitParam, plainText } from '../http/params.js'
import { enumList, localDateParam, offsetParam, queryId } from '../http/people-params.js'
import { editorOf } from './disputes.js'

const body = <S extends z.ZodType>(schema: S) => ({ body: { required: true, content: { 'application/json': { schema } } } })
const created = (schema: z.ZodType) => ({ ...jsonAnswer('created', schema), 201: { description: 'created', content: { 'application/json': { schema } } } })
const params = z.object({ id: communityIdParam })
const problemParams = z.object({ id: communityIdParam, problemId: featureIdParam('problemId') })
const asOfParam = localDateParam('asOf', 'the local date `overdue` is judged on (default: today in the community)')
const etag = (version: number) => ({ etag: `"${version}"` })

/** The date `overdue` is judged on: `asOf`, else today in the community (404 when it does not exist). */
async function dayOf(sql: Parameters<typeof localToday>[0], id: string, asOf: string | null): Promise<string> {
  const day = asOf ?? (await localToday(sql, id))
  if (day === null) throw new ApiError('community_not_found', `community "${id}" does not exist`, { id })
  return day
}

export const problems = routeModule()
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/problems',
      tags: ['problems'],
      summary: 'Key problems per zone and owner: overdue first (open or in progress past the deadline), then by deadline',
      request: {
        params,
        query: z.object({
          zoneId: queryId('zoneId'),
          owner: plainText('owner', 1, 200).optional().openapi({ param: { name: 'owner', in: 'query' }, description: 'a username or the owner’s name' }),
          status: enumList('status', PROBLEM_STATUSES),
          asOf: asOfParam,
          lang: langParam,
          limit: limitParam(PEOPLE_LIMITS.list.default, PEOPLE_LIMITS.list.max),
          offset: offsetParam,
        }),
      },
      responses: jsonAnswer('problems', ProblemListSchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const q = c.req.valid('query')
      const asOf = await dayOf(c.var.sql, id, q.asOf)
      const found = await listProblems(c.var.sql, id, { zoneId: q.zoneId, owner: q.owner ?? null, statuses: q.status, asOf, limit: q.limit, offset: q.offset }, viewOf(c).lang)
      return c.json({ ...found, limit: q.limit, offset: q.offset, asOf }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/problems',
      tags: ['problems'],
      summary: 'Create a key problem (audited)',
      request: { params, ...body(ProblemCreateSchema) },
      responses: created(ProblemSchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const problem = await createProblem(c.var.sql, id, c.req.valid('json'), editorOf(c), viewOf(c).lang, await dayOf(c.var.sql, id, null))
      return c.json(problem, 201, etag(problem.version))
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/problems/{problemId}',
      tags: ['problems'],
      summary: 'One key problem with its progress notes; the ETag is its version',
      request: { params: problemParams, query: z.object({ asOf: asOfParam, lang: langParam }) },
      responses: jsonAnswer('the problem', ProblemSchema),
    }),
    async (c) => {
      const { id, problemId } = c.req.valid('param')
      const q = c.req.valid('query')
      const problem = await readProblem(c.var.sql, id, problemId, viewOf(c).lang, await dayOf(c.var.sql, id, q.asOf))
      if (!problem) throw new ApiError('not_found', `problem ${problemId} does not exist in community "${id}"`, { entity: 'problem', id: problemId })
      return c.json(problem, 200, etag(problem.version))
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/{id}/problems/{problemId}',
      tags: ['problems'],
      summary: 'Change a key problem (If-Match: its version; 409 version_conflict with details.current; audited)',
      description: 'A new place (zoneId, buildingId or area) replaces the old one; done or dropped records the day it closed.',
      request: { params: problemParams, ...body(ProblemPatchSchema) },
      responses: jsonAnswer('the problem', ProblemSchema),
    }),
    async (c) => {
      const { id, problemId } = c.req.valid('param')
      const version = ifMatchVersion(c.req.header('if-match'))
      const problem = await changeProblem(c.var.sql, id, problemId, version, c.req.valid('json'), editorOf(c), viewOf(c).lang, await dayOf(c.var.sql, id, null))
      return c.json(problem, 200, etag(problem.version))
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/problems/{problemId}/history',
      tags: ['problems'],
      summary: 'Who changed this problem, when, from what to what (newest first)',
      request: { params: problemParams },
      responses: jsonAnswer('the changes', AuditPageSchema),
    }),
    async (c) => {
      const { id, problemId } = c.req.valid('param')
      const entries = await readAudit(c.var.sql, { communities: [id], username: null, entity: 'problem', entityId: String(problemId), from: null, to: null, limit: 200, before: null })
      return c.json({ entries, next: null }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/problems/{problemId}/notes',
      tags: ['problems'],
      summary: 'Add a dated progress note (audited)',
      request: { params: problemParams, ...body(ProblemNoteCreateSchema) },
      responses: created(ProblemNoteSchema),
    }),
    async (c) => {
      const { id, problemId } = c.req.valid('param')
      return c.json(await addProblemNote(c.var.sql, id, problemId, c.req.valid('json'), editorOf(c)), 201)
    },
  )
