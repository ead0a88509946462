/** GET /api/communities/{id}/gaps: zone area and buildings outside patrol coverage, buildings without a captain, priority gaps. */
import { createRoute, z } from '@hono/zod-openapi'
import { analyseGaps } from '../analysis/gaps.js'
import { DEFAULTS, GAP_NETWORKS, GapsCollectionSchema, LIMITS } from '../contract.js'
import { routeModule } from '../env.js'
import { writeGeoJson } from '../geojson.js'
import { checkCellForView, runOptions, viewOf } from '../http/context.js'
import { filterOf, filterQuery } from '../http/filters.js'
import { geoJsonAnswer } from '../http/openapi.js'
import { booleanParam, communityIdParam, metresParam } from '../http/params.js'

const GapsQuery = filterQuery({
  network: z.enum(GAP_NETWORKS).default(DEFAULTS.gaps.network).openapi({ param: { name: 'network', in: 'query' } }),
  cell: metresParam('cell', LIMITS.gapCell.min, LIMITS.gapCell.max, 'cell size (m) of the hot spot grid for priority gaps').default(DEFAULTS.gaps.cell),
  fdr: booleanParam('fdr', DEFAULTS.gaps.fdr),
})

export const gaps = routeModule().openapi(
  createRoute({
    method: 'get',
    path: '/{id}/gaps',
    tags: ['analysis'],
    summary: 'Gaps: zone area and buildings outside patrol coverage, buildings without a captain, priority gaps',
    description:
      'Features carry `kind`: area (zone area outside patrol coverage in the window, subdivided), building (outside patrol coverage), captainless (no active captain), priority (hot cells — Gi* at 95 % or more for the filters — with incidents in hours no route reaching them is in service; ranked, with their zone, nearest street and a plain reason).',
    request: { params: z.object({ id: communityIdParam }), query: GapsQuery },
    responses: geoJsonAnswer('gaps', GapsCollectionSchema),
  }),
  async (c) => {
    const { id } = c.req.valid('param')
    const q = c.req.valid('query')
    checkCellForView(viewOf(c), q.cell)
    return writeGeoJson(c, await analyseGaps(c.var.analysisSql, id, { network: q.network, cell: q.cell, fdr: q.fdr, filter: filterOf(q) }, runOptions(c))) as never
  },
)
