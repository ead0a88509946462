/** GET /api/communities/{id}/buildings/{buildingId}/figures: incidents near a building, and its zone. */
import { createRoute, z } from '@hono/zod-openapi'
import { BUILDING_INCIDENT_RADIUS_M, BuildingFiguresSchema, describeFilter } from '../contract.js'
import { buildingFigures } from '../db/figures.js'
import { routeModule } from '../env.js'
import { ApiError } from '../errors.js'
import { filterOf, filterQuery } from '../http/filters.js'
import { jsonAnswer } from '../http/openapi.js'
import { communityIdParam, featureIdParam } from '../http/params.js'

export const buildings = routeModule().openapi(
  createRoute({
    method: 'get',
    path: '/{id}/buildings/{buildingId}/figures',
    tags: ['buildings'],
    summary: `Incidents within ${BUILDING_INCIDENT_RADIUS_M} m of a building (shared filters), and the building's zone`,
    request: { params: z.object({ id: communityIdParam, buildingId: featureIdParam('buildingId') }), query: filterQuery({}) },
    responses: jsonAnswer('figures', BuildingFiguresSchema),
  }),
  async (c) => {
    const { id, buildingId } = c.req.valid('param')
    const filter = filterOf(c.req.valid('query'))
    const found = await buildingFigures(c.var.sql, id, buildingId, filter)
    if (!found) throw new ApiError('not_found', `building ${buildingId} does not exist in community "${id}"`, { buildingId })
    return c.json({ ...found, filter: describeFilter(filter) }, 200)
  },
)
