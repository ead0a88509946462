/** GET /api/communities/{id}/zones/{zoneId}/figures: a grid zone's buildings, households, captain coverage and incidents. */
import { createRoute, z } from '@hono/zod-openapi'
import { describeFilter, ZoneFiguresSchema } from '../contract.js'
import { zoneFigures } from '../db/figures.js'
import { routeModule } from '../env.js'
import { ApiError } from '../errors.js'
import { filterOf, filterQuery } from '../http/filters.js'
import { jsonAnswer } from '../http/openapi.js'
import { communityIdParam, featureIdParam } from '../http/params.js'

export const zones = routeModule().openapi(
  createRoute({
    method: 'get',
    path: '/{id}/zones/{zoneId}/figures',
    tags: ['zones'],
    summary: 'A grid zone’s buildings, households, captain coverage and incidents (shared filters)',
    description: 'Buildings count in the zone holding their point on surface; an incident on the border of two zones counts in the one with the lower id.',
    request: { params: z.object({ id: communityIdParam, zoneId: featureIdParam('zoneId') }), query: filterQuery({}) },
    responses: jsonAnswer('figures', ZoneFiguresSchema),
  }),
  async (c) => {
    const { id, zoneId } = c.req.valid('param')
    const filter = filterOf(c.req.valid('query'))
    const found = await zoneFigures(c.var.sql, id, zoneId, filter)
    if (!found) throw new ApiError('not_found', `zone ${zoneId} does not exist in community "${id}"`, { zoneId })
    return c.json({ ...found, filter: describeFilter(filter) }, 200)
  },
)
