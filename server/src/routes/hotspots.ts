/** GET /api/communities/{id}/hotspots: counts, Gi* hot spots, kernel density or emerging hot spots on a grid of cells. */
import { createRoute, z } from '@hono/zod-openapi'
import { CELL_SHAPES, DEFAULTS, HOTSPOT_METHODS, HOTSPOT_SOURCES, HotspotCollectionSchema, LIMITS, TIME_SLICES } from '../contract.js'
import { analyseHotspots } from '../analysis/hotspots.js'
import { routeModule } from '../env.js'
import { ApiError } from '../errors.js'
import { writeGeoJson } from '../geojson.js'
import { checkCellForView, runOptions, viewOf } from '../http/context.js'
import { filterOf, filterQuery } from '../http/filters.js'
import { geoJsonAnswer } from '../http/openapi.js'
import { booleanParam, communityIdParam, metresParam } from '../http/params.js'

const d = DEFAULTS.hotspots

const HotspotQuery = filterQuery({
  method: z.enum(HOTSPOT_METHODS).default(d.method).openapi({ param: { name: 'method', in: 'query' } }),
  cell: metresParam('cell', LIMITS.cell.min, LIMITS.cell.max, 'cell size in metres (square side or hexagon side)').default(d.cell),
  shape: z.enum(CELL_SHAPES).default(d.shape).openapi({ param: { name: 'shape', in: 'query' } }),
  band: metresParam('band', LIMITS.band.min, LIMITS.band.max, 'Gi* neighbours within this distance of a cell centre instead of ring 1').optional(),
  fdr: booleanParam('fdr', d.fdr, 'Benjamini–Hochberg false discovery rate correction of Gi* bins'),
  bandwidth: metresParam('bandwidth', LIMITS.bandwidth.min, LIMITS.bandwidth.max, 'kde bandwidth (search radius) in metres; default derived from the data').optional(),
  slice: z.enum(TIME_SLICES).default(d.slice).openapi({ param: { name: 'slice', in: 'query' } }),
  source: z
    .enum(HOTSPOT_SOURCES)
    .default('incidents')
    .openapi({ param: { name: 'source', in: 'query' }, description: 'the points analysed: incidents (default) or disputes (their point, dated when reported; only from/to filter them)' }),
})

export const hotspots = routeModule().openapi(
  createRoute({
    method: 'get',
    path: '/{id}/hotspots',
    tags: ['analysis'],
    summary: 'Incident counts, Gi* hot spots, kernel density or emerging hot spots on a grid of cells',
    description:
      "Cells are squares or hexagons of `cell` metres in the community's metric CRS over its grid zones. Gi*: self + ring-1 neighbours (or `band`), binary weights; bins ±3/±2/±1 at 99/95/90 % confidence (ArcGIS), optionally after Benjamini–Hochberg FDR correction. Fewer than 30 incidents (or no variance) answers `meta.insufficient: true` and no cells. `source=disputes` runs the same analysis over the disputes reported in the period (issue 12).",
    request: { params: z.object({ id: communityIdParam }), query: HotspotQuery },
    responses: geoJsonAnswer('cells', HotspotCollectionSchema),
  }),
  async (c) => {
    const q = c.req.valid('query')
    checkCellForView(viewOf(c), q.cell, q.source)
    if (q.source === 'disputes') {
      // categories, hours and weekdays describe incidents; a dispute has a kind and a date reported
      const foreign = (['categories', 'hours', 'weekdays'] as const).filter((k) => q[k] != null)
      if (foreign.length > 0)
        throw new ApiError('invalid_parameter', `with source=disputes only from and to filter the points (not ${foreign.join(', ')})`, { parameter: foreign[0], source: q.source })
    }
    const answer = await analyseHotspots(c.var.analysisSql, c.req.valid('param').id, { ...q, band: q.band ?? null, bandwidth: q.bandwidth ?? null, filter: filterOf(q) }, runOptions(c))
    return writeGeoJson(c, answer) as never
  },
)
