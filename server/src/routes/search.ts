/**
 * Lookups the map needs besides its layers: `GET /api/communities/{id}/search?q=` (buildings by
 * address, zones by code, name or grid worker) and `GET /api/communities/{id}/incidents/period`
 * (the span of the incident data, which the filter bar's presets count back from).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { incidentPeriod, searchCommunity } from '../db/search.js'
import { routeModule } from '../env.js'
import { communityIdParam, limitParam } from '../lib/params.js'
import { requireCommunity } from './guards.js'
import { errorResponses } from './schemas.js'

export const SEARCH_LIMIT_DEFAULT = 10
export const SEARCH_LIMIT_MAX = 50
export const SEARCH_QUERY_MAX = 100

const SearchResultSchema = z
  .object({
    kind: z.enum(['zone', 'building']),
    id: z.number().int(),
    label: z.string(),
    detail: z.string().nullable(),
    code: z.string().nullable(),
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
    center: z.tuple([z.number(), z.number()]),
  })
  .openapi('SearchResult')

const SearchQuery = z.object({
  q: z
    .string({ message: 'q (what to search for) is required' })
    .transform((s) => s.trim())
    .refine((s) => s.length >= 1, { message: 'q must not be empty' })
    .refine((s) => s.length <= SEARCH_QUERY_MAX, { message: `q must be at most ${SEARCH_QUERY_MAX} characters` })
    .openapi({ param: { name: 'q', in: 'query' }, example: 'Valencia', description: 'words that must all occur in an address, or in a zone’s code, name or grid worker' }),
  limit: limitParam(SEARCH_LIMIT_DEFAULT, SEARCH_LIMIT_MAX),
})


export const search = routeModule()
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/search',
      tags: ['search'],
      summary: 'Find buildings by address and grid zones by code, name or grid worker',
      description:
        'Case-insensitive; every word of `q` must occur. Zones come first, then buildings; exact and prefix matches first. ' +
        '`bbox` and `center` let the map fly to a result.',
      request: { params: z.object({ id: communityIdParam }), query: SearchQuery },
      responses: {
        200: {
          description: 'matches, best first',
          content: { 'application/json': { schema: z.object({ query: z.string(), results: z.array(SearchResultSchema) }) } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { q, limit } = c.req.valid('query')
      await requireCommunity(c.var.sql, id)
      return c.json({ query: q, results: await searchCommunity(c.var.sql, id, q, limit) }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/incidents/period',
      tags: ['incidents'],
      summary: 'First and latest local date of the community’s incidents',
      description: 'The filter bar’s presets (last 30 days, this month…) count back from `last`, so old data is not an empty map.',
      request: { params: z.object({ id: communityIdParam }) },
      responses: {
        200: {
          description: 'the period',
          content: {
            'application/json': {
              schema: z.object({ first: z.string().nullable(), last: z.string().nullable(), count: z.number().int() }).openapi('IncidentPeriod'),
            },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      await requireCommunity(c.var.sql, id)
      return c.json(await incidentPeriod(c.var.sql, id), 200)
    },
  )
