/** /api/communities: the communities and, under each, its layers as GeoJSON. */
import { createRoute, z } from '@hono/zod-openapi'
import { getCommunity, listCommunities } from '../db/communities.js'
import { summarizeIncidents } from '../db/incidents.js'
import { LAYERS, loadLayer } from '../db/layers.js'
import { routeModule } from '../env.js'
import { ApiError } from '../errors.js'
import { checkFilter, describeFilter, incidentFilterShape } from '../lib/filters.js'
import { bboxParam, communityIdParam, limitParam } from '../lib/params.js'
import { errorResponses, FeatureCollectionSchema } from './schemas.js'

const CommunitySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    nameZh: z.string().nullable(),
    timeZone: z.string(),
    metricSrid: z.number().int(),
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
    center: z.tuple([z.number(), z.number()]),
    counts: z.record(z.string(), z.number()),
  })
  .openapi('Community')

export const LAYER_LIMIT_DEFAULT = 10_000
export const LAYER_LIMIT_MAX = 50_000

/** 404 community_not_found unless the community exists. */
async function requireCommunity(sql: Parameters<typeof getCommunity>[0], id: string) {
  const community = await getCommunity(sql, id)
  if (!community) throw new ApiError('community_not_found', `community "${id}" does not exist`, { id })
  return community
}

export const communities = routeModule()
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['communities'],
      summary: 'Every community with its extent and record counts',
      responses: { 200: { description: 'communities', content: { 'application/json': { schema: z.object({ communities: z.array(CommunitySchema) }) } } }, ...errorResponses },
    }),
    async (c) => c.json({ communities: await listCommunities(c.var.sql) }, 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags: ['communities'],
      summary: 'One community',
      request: { params: z.object({ id: communityIdParam }) },
      responses: { 200: { description: 'the community', content: { 'application/json': { schema: CommunitySchema } } }, ...errorResponses },
    }),
    async (c) => c.json(await requireCommunity(c.var.sql, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/layers/{layer}',
      tags: ['layers'],
      summary: 'A layer of the community as GeoJSON',
      description: `Layers: ${LAYERS.join(', ')}. Features are ordered by id; \`meta.truncated\` says whether more than \`limit\` matched.`,
      request: {
        params: z.object({ id: communityIdParam, layer: z.string().openapi({ param: { name: 'layer', in: 'path' }, example: 'buildings' }) }),
        query: z.object({ bbox: bboxParam, limit: limitParam(LAYER_LIMIT_DEFAULT, LAYER_LIMIT_MAX), ...incidentFilterShape }),
      },
      responses: { 200: { description: 'features', content: { 'application/geo+json': { schema: FeatureCollectionSchema } } }, ...errorResponses },
    }),
    async (c) => {
      const { id, layer } = c.req.valid('param')
      const { bbox, limit, ...filter } = c.req.valid('query')
      const name = LAYERS.find((l) => l === layer)
      if (!name) throw new ApiError('unknown_layer', `unknown layer "${layer}"; layers are ${LAYERS.join(', ')}`, { layer, layers: LAYERS })
      await requireCommunity(c.var.sql, id)
      const incidentFilter = name === 'incidents' ? checkFilter(filter) : null
      const page = await loadLayer(c.var.sql, name, id, bbox, limit, incidentFilter)
      const meta = { layer: name, community: id, count: page.count, limit, truncated: page.truncated, bbox, ...(incidentFilter ? { filter: describeFilter(incidentFilter) } : {}) }
      // The features array is JSON text built by PostGIS; splice it in rather than parse and re-serialise.
      const body = `{"type":"FeatureCollection","features":${page.featuresJson},"meta":${JSON.stringify(meta)}}`
      return c.body(body, 200, { 'content-type': 'application/geo+json; charset=utf-8' }) as never
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/incidents/summary',
      tags: ['incidents'],
      summary: 'How many incidents match the shared filters, per category, and how many have no time of day',
      request: { params: z.object({ id: communityIdParam }), query: z.object({ bbox: bboxParam, ...incidentFilterShape }) },
      responses: {
        200: {
          description: 'counts',
          content: {
            'application/json': {
              schema: z.object({
                total: z.number().int(),
                byCategory: z.record(z.string(), z.number().int()),
                timeUnknown: z.number().int(),
                timeUnknownExcluded: z.boolean(),
                filter: z.record(z.string(), z.unknown()),
              }),
            },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { bbox, ...filter } = c.req.valid('query')
      checkFilter(filter)
      await requireCommunity(c.var.sql, id)
      return c.json({ ...(await summarizeIncidents(c.var.sql, id, filter, bbox)), filter: describeFilter(filter) }, 200)
    },
  )
