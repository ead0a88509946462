/** GET /api/communities/{id}/layers/{layer}: a layer of the community as GeoJSON. */
import { createRoute, z } from '@hono/zod-openapi'
import { describeFilter, LayerCollectionSchema, LAYERS, LIMITS, type LayerMeta } from '../contract.js'
import { loadLayer } from '../db/layers.js'
import { routeModule } from '../env.js'
import { ApiError } from '../errors.js'
import { writeGeoJson } from '../geojson.js'
import { viewOf, type View } from '../http/context.js'
import { filterOf, filterQuery } from '../http/filters.js'
import { geoJsonAnswer } from '../http/openapi.js'
import { bboxParam, communityIdParam, langParam, limitParam } from '../http/params.js'

/** Whether the caller sees this layer as counts per zone rather than records. */
const aggregated = (layer: string, view: View) => (layer === 'incidents' && !view.exactIncidents) || (layer === 'disputes' && !view.disputeRecords)

export const layers = routeModule().openapi(
  createRoute({
    method: 'get',
    path: '/{id}/layers/{layer}',
    tags: ['layers'],
    summary: 'A layer of the community as GeoJSON',
    description: `Layers: ${LAYERS.join(', ')}. Features are ordered by id; \`meta.truncated\` says whether more than \`limit\` matched. The shared filters apply to the incidents layer.`,
    request: {
      params: z.object({ id: communityIdParam, layer: z.string().openapi({ param: { name: 'layer', in: 'path' }, example: 'buildings' }) }),
      query: filterQuery({ bbox: bboxParam, limit: limitParam(LIMITS.layer.default, LIMITS.layer.max), lang: langParam }),
    },
    responses: geoJsonAnswer('features', LayerCollectionSchema),
  }),
  async (c) => {
    const { id, layer } = c.req.valid('param')
    const q = c.req.valid('query')
    const name = LAYERS.find((l) => l === layer)
    if (!name) throw new ApiError('unknown_layer', `unknown layer "${layer}"; layers are ${LAYERS.join(', ')}`, { layer, layers: LAYERS })
    const filter = name === 'incidents' ? filterOf(q) : null
    const view = viewOf(c)
    const page = await loadLayer(c.var.sql, name, id, q.bbox, q.limit, filter, view)
    const meta = { layer: name, community: id, count: page.count, limit: q.limit, truncated: page.truncated, bbox: q.bbox, ...(filter ? { filter: describeFilter(filter) } : {}), ...(aggregated(name, view) ? { aggregated: 'zone' as const } : {}) } satisfies LayerMeta
    return writeGeoJson(c, { features: page.features, meta }) as never
  },
)
