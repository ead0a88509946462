/**
 * GET /api/audit: the audit log, newest first, filtered by community, user, entity and period. A
 * system administrator reads every event; a community's admin reads that community's events (and
 * must name it); nobody else reads it.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { AuditPageSchema, isDateOnly } from '../contract.js'
import { readAudit } from '../db/audit.js'
import { routeModule } from '../env.js'
import { ApiError } from '../errors.js'
import { incidentFilterShape } from '../http/filters.js'
import { jsonAnswer } from '../http/openapi.js'
import { communityId, decimal, limitParam, plainText } from '../http/params.js'

const AuditQuery = z.object({
  community: communityId.optional().openapi({ param: { name: 'community', in: 'query' } }),
  user: plainText('user', 1, 64).optional().openapi({ param: { name: 'user', in: 'query' }, description: 'username' }),
  entity: plainText('entity', 1, 40).optional().openapi({ param: { name: 'entity', in: 'query' }, example: 'session' }),
  entityId: plainText('entityId', 1, 100).optional().openapi({ param: { name: 'entityId', in: 'query' } }),
  from: incidentFilterShape.from,
  to: incidentFilterShape.to,
  limit: limitParam(100, 1000),
  before: decimal('before must be a number').pipe(z.number().int('before must be an integer').min(1, 'before must be at least 1')).optional().openapi({ param: { name: 'before', in: 'query' }, description: 'events older than this id (the next page)' }),
})

/** The end of a period given as a date: the whole day (UTC), i.e. before the next midnight. */
const endOf = (to: string) => (isDateOnly(to) ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000 - 1).toISOString() : to)

export const auditLog = routeModule().openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['audit'],
    summary: 'The audit log: who did what, when, from where',
    request: { query: AuditQuery },
    responses: jsonAnswer('events, newest first', AuditPageSchema),
  }),
  async (c) => {
    const q = c.req.valid('query')
    const user = c.var.user!
    let communities: string[] | null = null
    if (!user.admin) {
      if (!q.community) throw new ApiError('forbidden', 'name the community whose log to read (community=…); only system administrators read the whole log')
      if (user.roles[q.community] !== 'admin') throw new ApiError('forbidden', 'only administrators read the audit log', { community: q.community })
      communities = [q.community]
    } else if (q.community) communities = [q.community]
    const entries = await readAudit(c.var.sql, {
      communities,
      username: q.user ?? null,
      entity: q.entity ?? null,
      entityId: q.entityId ?? null,
      from: q.from ? (isDateOnly(q.from) ? `${q.from}T00:00:00Z` : q.from) : null,
      to: q.to ? endOf(q.to) : null,
      limit: q.limit,
      before: q.before ?? null,
    })
    return c.json({ entries, next: entries.length === q.limit ? entries[entries.length - 1]!.id : null }, 200)
  },
)
