/** GET /api/communities and /api/communities/{id}: the communities, with their extent and record counts. */
import { createRoute, z } from '@hono/zod-openapi'
import { CommunityListSchema, CommunitySchema } from '../contract.js'
import { getCommunity, listCommunities } from '../db/communities.js'
import { routeModule } from '../env.js'
import { ApiError } from '../errors.js'
import { jsonAnswer } from '../http/openapi.js'
import { communityIdParam } from '../http/params.js'

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
