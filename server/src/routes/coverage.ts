/** GET /api/communities/{id}/coverage: what the patrol network (in a time window) or the captain network reaches. */
import { createRoute, z } from '@hono/zod-openapi'
import { captainCoverage, patrolCoverage } from '../analysis/coverage.js'
import { COVERAGE_BASES, COVERAGE_NETWORKS, CoverageCollectionSchema, DEFAULTS, LIMITS } from '../contract.js'
import { routeModule } from '../env.js'
import { writeGeoJson } from '../geojson.js'
import { runOptions, viewOf } from '../http/context.js'
import { filterOf, filterQuery } from '../http/filters.js'
import { geoJsonAnswer } from '../http/openapi.js'
import { communityIdParam, decimal, langParam } from '../http/params.js'

const CoverageQuery = filterQuery({
  network: z.enum(COVERAGE_NETWORKS).default(DEFAULTS.coverage.network).openapi({ param: { name: 'network', in: 'query' } }),
  maxBuildings: decimal('maxBuildings must be a number', (n) =>
      n
        .int('maxBuildings must be an integer')
        .min(LIMITS.maxBuildings.min, `maxBuildings must be at least ${LIMITS.maxBuildings.min}`)
        .max(LIMITS.maxBuildings.max, `maxBuildings must be at most ${LIMITS.maxBuildings.max}`),
  )
    .default(DEFAULTS.coverage.maxBuildings)
    .openapi({ param: { name: 'maxBuildings', in: 'query' }, description: 'captain load above which a captain is flagged' }),
  basis: z
    .enum(COVERAGE_BASES)
    .default(DEFAULTS.coverage.basis)
    .openapi({ param: { name: 'basis', in: 'query' }, description: 'patrol: plan (routes with a shift in the window) or logged (routes with a logged patrol in the period overlapping the window)' }),
  lang: langParam,
})

export const coverage = routeModule().openapi(
  createRoute({
    method: 'get',
    path: '/{id}/coverage',
    tags: ['analysis'],
    summary: 'Coverage of the patrol network (for a time window) or of the captain network',
    description:
      "patrol: the dissolved union of the reach buffers of the routes in service during `hours`/`weekdays` (a shift or window may cross midnight); a building is covered when its footprint lies within a route's reach. `basis=logged`: the routes actually patrolled instead — at least one logged patrol on a local date of the period (`from`–`to`) overlapping the window. captain: buildings with an active captain, and each captain's load. `meta.zones[].incidents` counts each zone's incidents under the shared filters.",
    request: { params: z.object({ id: communityIdParam }), query: CoverageQuery },
    responses: geoJsonAnswer('coverage', CoverageCollectionSchema),
  }),
  async (c) => {
    const { id } = c.req.valid('param')
    const q = c.req.valid('query')
    const lang = viewOf(c).lang
    const answer =
      q.network === 'captain'
        ? await captainCoverage(c.var.analysisSql, id, q.maxBuildings, filterOf(q), lang, runOptions(c))
        : await patrolCoverage(c.var.analysisSql, id, filterOf(q), lang, runOptions(c), q.basis)
    return writeGeoJson(c, answer) as never
  },
)
