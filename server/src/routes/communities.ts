/**
 * GET /api/communities and /api/communities/{id}: the communities, with their extent and record
 * counts; POST /api/communities: a system administrator creates an empty one (issue 10).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { CommunityInputSchema, CommunityListSchema, CommunitySchema } from '../contract.js'
import { createCommunity, getBoundary, getCommunity, listCommunities } from '../db/communities.js'
import { routeModule } from '../env.js'
import { ApiError } from '../errors.js'
import { errorResponses, jsonAnswer } from '../http/openapi.js'
import { communityIdParam } from '../http/params.js'
import { clientIp } from '../http/auth.js'
import { boundaryProblem } from '../import/positions.js'

/** A community's boundary: a Feature with its MultiPolygon (coordinates to 7 decimals). */
const BoundarySchema = z
  .object({
    type: z.literal('Feature'),
    id: z.string(),
    geometry: z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(z.array(z.number())))) }),
    properties: z.object({ name: z.string(), nameZh: z.string().nullable() }),
  })
  .meta({ id: 'CommunityBoundary' })

export const communities = routeModule()
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['communities'],
      summary: 'The communities the user holds a role in (a system administrator: every one), with their extent and record counts',
      responses: jsonAnswer('communities', CommunityListSchema),
    }),
    async (c) => {
      const user = c.var.user!
      const all = await listCommunities(c.var.sql)
      return c.json({ communities: user.admin ? all : all.filter((x) => x.id in user.roles) }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags: ['communities'],
      summary: 'One community',
      request: { params: z.object({ id: communityIdParam }) },
      responses: jsonAnswer('the community', CommunitySchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const community = await getCommunity(c.var.sql, id)
      if (!community) throw new ApiError('community_not_found', `community "${id}" does not exist`, { id })
      return c.json(community, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['communities'],
      summary: 'Create an empty community (system administrators)',
      description:
        'id, name, nameZh, IANA timeZone and boundary (GeoJSON Polygon or MultiPolygon in EPSG:4326). The boundary is made valid as the demo’s is (`repaired: true` when it had to be); the metric CRS is the WGS 84 UTM zone of its centre. 409 `conflict` when the id exists. Audited (`community_created`).',
      request: { body: { required: true, content: { 'application/json': { schema: CommunityInputSchema } } } },
      responses: {
        201: { description: 'created', content: { 'application/json': { schema: z.object({ community: CommunitySchema, repaired: z.boolean() }) } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const input = c.req.valid('json')
      const problem = boundaryProblem(input.boundary as { type: string; coordinates: unknown })
      if (problem) throw new ApiError('invalid_geometry', problem, { field: 'boundary' })
      if (!validTimeZone(input.timeZone)) throw new ApiError('invalid_parameter', `timeZone "${input.timeZone.slice(0, 64)}" is not an IANA time zone (e.g. Asia/Shanghai)`, { field: 'timeZone' })
      const user = c.var.user
      const result = await createCommunity(c.var.sql, { ...input, nameZh: input.nameZh ?? null }, { userId: user?.id ?? null, username: user?.username ?? null, ip: clientIp(c) })
      if (!result.created) {
        if (result.reason === 'exists') throw new ApiError('conflict', `community "${input.id}" exists already`, { id: input.id })
        if (result.reason === 'unknown_time_zone') throw new ApiError('invalid_parameter', `timeZone "${input.timeZone}" is not known to the database`, { field: 'timeZone' })
        throw new ApiError('invalid_geometry', 'the boundary has no area once made valid', { field: 'boundary' })
      }
      return c.json({ community: result.community, repaired: result.repaired }, 201)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/boundary',
      tags: ['communities'],
      summary: 'The community’s boundary as a GeoJSON Feature (EPSG:4326)',
      description: 'What the map draws around a community — also one that holds nothing else yet (issue 10).',
      request: { params: z.object({ id: communityIdParam }) },
      responses: jsonAnswer('the boundary', BoundarySchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const boundary = await getBoundary(c.var.sql, id)
      if (!boundary) throw new ApiError('community_not_found', `community "${id}" does not exist`, { id })
      return c.json(boundary, 200)
    },
  )

/** True for an IANA zone name the runtime knows (not a fixed offset such as "+08:00"). */
function validTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz)) return false
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}
