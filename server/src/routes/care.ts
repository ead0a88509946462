/**
 * Care files (帮教档案, issue 12) under /api/communities/{id}/care: admins and the care role only —
 * every read (list or file) is written to the audit log in the same transaction — and `GET
 * /counts` for everyone: files per zone, null below 3. Never in layers, tiles, search or exports.
 */
import { createRoute, z } from '@hono/zod-openapi'
import {
  CareCountsSchema,
  CareFileCreateSchema,
  CareFileListSchema,
  CareFilePatchSchema,
  CareFileSchema,
  CareVisitCreateSchema,
  CareVisitSchema,
  PEOPLE_LIMITS,
  RISK_LEVELS,
} from '../contract.js'
import { addCareVisit, careCounts, changeCareFile, createCareFile, listCareFiles, readCareFile } from '../db/care.js'
import { routeModule } from '../env.js'
import { ApiError } from '../errors.js'
import { ifMatchVersion } from '../http/if-match.js'
import { jsonAnswer } from '../http/openapi.js'
import { communityIdParam, featureIdParam, limitParam } from '../http/params.js'
import { enumList, offsetParam, queryId } from '../http/people-params.js'
import { editorOf } from './disputes.js'

const body = <S extends z.ZodType>(schema: S) => ({ body: { required: true, content: { 'application/json': { schema } } } })
const created = (schema: z.ZodType) => ({ ...jsonAnswer('created', schema), 201: { description: 'created', content: { 'application/json': { schema } } } })
const params = z.object({ id: communityIdParam })
const fileParams = z.object({ id: communityIdParam, fileId: featureIdParam('fileId') })
const etag = (version: number) => ({ etag: `"${version}"` })

export const care = routeModule()
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/care/counts',
      tags: ['care'],
      summary: `Care files per zone, for every role: a count below ${PEOPLE_LIMITS.careMinCount} is null`,
      request: { params },
      responses: jsonAnswer('counts', CareCountsSchema),
    }),
    async (c) => c.json(await careCounts(c.var.sql, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/care',
      tags: ['care'],
      summary: 'Care files (admins and care role; the read is audited with the ids answered)',
      request: { params, query: z.object({ zoneId: queryId('zoneId'), risk: enumList('risk', RISK_LEVELS), limit: limitParam(PEOPLE_LIMITS.list.default, PEOPLE_LIMITS.list.max), offset: offsetParam }) },
      responses: jsonAnswer('care files', CareFileListSchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const q = c.req.valid('query')
      const found = await listCareFiles(c.var.sql, id, { zoneId: q.zoneId, riskLevels: q.risk, limit: q.limit, offset: q.offset }, editorOf(c))
      return c.json({ ...found, limit: q.limit, offset: q.offset }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/care',
      tags: ['care'],
      summary: 'Open a care file (audited)',
      request: { params, ...body(CareFileCreateSchema) },
      responses: created(CareFileSchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const file = await createCareFile(c.var.sql, id, c.req.valid('json'), editorOf(c))
      return c.json(file, 201, etag(file.version))
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/care/{fileId}',
      tags: ['care'],
      summary: 'One care file with its visits (the read is audited); the ETag is its version',
      request: { params: fileParams },
      responses: jsonAnswer('the care file', CareFileSchema),
    }),
    async (c) => {
      const { id, fileId } = c.req.valid('param')
      const file = await readCareFile(c.var.sql, id, fileId, editorOf(c))
      if (!file) throw new ApiError('not_found', `care file ${fileId} does not exist in community "${id}"`, { entity: 'care_file', id: fileId })
      return c.json(file, 200, etag(file.version))
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/{id}/care/{fileId}',
      tags: ['care'],
      summary: 'Change a care file (If-Match: its version; 409 version_conflict with details.current; audited)',
      request: { params: fileParams, ...body(CareFilePatchSchema) },
      responses: jsonAnswer('the care file', CareFileSchema),
    }),
    async (c) => {
      const { id, fileId } = c.req.valid('param')
      const version = ifMatchVersion(c.req.header('if-match'))
      const file = await changeCareFile(c.var.sql, id, fileId, version, c.req.valid('json'), editorOf(c))
      return c.json(file, 200, etag(file.version))
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/care/{fileId}/visits',
      tags: ['care'],
      summary: 'Record a visit (date, who, notes; audited)',
      request: { params: fileParams, ...body(CareVisitCreateSchema) },
      responses: created(CareVisitSchema),
    }),
    async (c) => {
      const { id, fileId } = c.req.valid('param')
      return c.json(await addCareVisit(c.var.sql, id, fileId, c.req.valid('json'), editorOf(c)), 201)
    },
  )
