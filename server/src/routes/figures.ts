/**
 * Figures of one feature for the details panel, with the shared incident filters:
 * `GET /api/communities/{id}/zones/{zoneId}/figures` (buildings, households, captain coverage,
 * incidents) and `GET /api/communities/{id}/buildings/{buildingId}/figures` (incidents nearby).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { buildingFigures, zoneFigures } from '../db/figures.js'
import { routeModule } from '../env.js'
import { ApiError } from '../errors.js'
import { checkFilter, describeFilter, incidentFilterShape } from '../lib/filters.js'
import { communityIdParam } from '../lib/params.js'
import { requireCommunity } from './guards.js'
import { errorResponses } from './schemas.js'

const featureId = (name: string) =>
  z.coerce
    .number({ message: `${name} must be a number` })
    .int(`${name} must be an integer`)
    .min(1, `${name} must be at least 1`)
    .max(Number.MAX_SAFE_INTEGER, `${name} is too large`)
    .openapi({ param: { name, in: 'path' }, example: 7 })

const incidentFigures = {
  incidents: z.number().int().openapi({ description: 'incidents matching every filter' }),
  incidentsAll: z.number().int().openapi({ description: 'all incidents, whatever the filters' }),
  timeUnknown: z.number().int().openapi({ description: 'incidents without a time of day among those matching the other filters' }),
  filter: z.record(z.string(), z.unknown()),
}


export const figures = routeModule()
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/zones/{zoneId}/figures',
      tags: ['zones'],
      summary: 'A grid zone’s buildings, households, captain coverage and incidents (shared filters)',
      description:
        'Buildings count in the zone holding their point on surface; an incident on the border of two zones counts in the one with the lower id.',
      request: { params: z.object({ id: communityIdParam, zoneId: featureId('zoneId') }), query: z.object(incidentFilterShape) },
      responses: {
        200: {
          description: 'figures',
          content: {
            'application/json': {
              schema: z
                .object({
                  id: z.number().int(),
                  code: z.string(),
                  buildings: z.number().int(),
                  households: z.number().int(),
                  captainedBuildings: z.number().int(),
                  captainedHouseholds: z.number().int(),
                  ...incidentFigures,
                })
                .openapi('ZoneFigures'),
            },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id, zoneId } = c.req.valid('param')
      const filter = checkFilter(c.req.valid('query'))
      await requireCommunity(c.var.sql, id)
      const found = await zoneFigures(c.var.sql, id, zoneId, filter)
      if (!found) throw new ApiError('not_found', `zone ${zoneId} does not exist in community "${id}"`, { zoneId })
      return c.json({ ...found, filter: describeFilter(filter) }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/buildings/{buildingId}/figures',
      tags: ['buildings'],
      summary: 'Incidents within 25 m of a building (shared filters)',
      request: { params: z.object({ id: communityIdParam, buildingId: featureId('buildingId') }), query: z.object(incidentFilterShape) },
      responses: {
        200: {
          description: 'figures',
          content: {
            'application/json': {
              schema: z.object({ id: z.number().int(), radiusM: z.number(), ...incidentFigures }).openapi('BuildingFigures'),
            },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id, buildingId } = c.req.valid('param')
      const filter = checkFilter(c.req.valid('query'))
      await requireCommunity(c.var.sql, id)
      const found = await buildingFigures(c.var.sql, id, buildingId, filter)
      if (!found) throw new ApiError('not_found', `building ${buildingId} does not exist in community "${id}"`, { buildingId })
      return c.json({ ...found, filter: describeFilter(filter) }, 200)
    },
  )
