/** GET /api/communities/{id}/search?q=: buildings by address, zones by code, name or grid worker. */
import { createRoute, z } from '@hono/zod-openapi'
import { LIMITS, SearchAnswerSchema } from '../contract.js'
import { searchCommunity } from '../db/search.js'
import { routeModule } from '../env.js'
import { jsonAnswer } from '../http/openapi.js'
import { communityIdParam, limitParam } from '../http/params.js'

const SearchQuery = z.object({
  q: z
    .string({ message: 'q (what to search for) is required' })
    .transform((s) => s.trim())
    .refine((s) => s.length >= 1, { message: 'q must not be empty' })
    .refine((s) => s.length <= LIMITS.search.queryMax, { message: `q must be at most ${LIMITS.search.queryMax} characters` })
    .openapi({ param: { name: 'q', in: 'query' }, example: 'Valencia', description: 'words that must all occur in an address, or in a zone’s code, name or grid worker' }),
  limit: limitParam(LIMITS.search.default, LIMITS.search.max),
})

export const search = routeModule().openapi(
  createRoute({
    method: 'get',
    path: '/{id}/search',
    tags: ['search'],
    summary: 'Find buildings by address and grid zones by code, name or grid worker',
    description: 'Case-insensitive; every word of `q` must occur. Zones come first, then buildings; exact and prefix matches first. `bbox` and `center` let the map fly to a result.',
    request: { params: z.object({ id: communityIdParam }), query: SearchQuery },
    responses: jsonAnswer('matches, best first', SearchAnswerSchema),
  }),
  async (c) => {
    const { id } = c.req.valid('param')
    const { q, limit } = c.req.valid('query')
    return c.json({ query: q, results: await searchCommunity(c.var.sql, id, q, limit) }, 200)
  },
)
