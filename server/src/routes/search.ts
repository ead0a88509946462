/** GET /api/communities/{id}/search?q=: zones by code, name or grid worker, teams by name, buildings by address. */
import { createRoute, z } from '@hono/zod-openapi'
import { LIMITS, SearchAnswerSchema } from '../contract.js'
import { searchCommunity } from '../db/search.js'
import { routeModule } from '../env.js'
import { jsonAnswer } from '../http/openapi.js'
import { viewOf } from '../http/context.js'
import { communityIdParam, langParam, limitParam } from '../http/params.js'

const SearchQuery = z.object({
  q: z
    .string({ message: 'q (what to search for) is required' })
    .transform((s) => s.trim())
    .refine((s) => s.length >= 1, { message: 'q must not be empty' })
    .refine((s) => s.length <= LIMITS.search.queryMax, { message: `q must be at most ${LIMITS.search.queryMax} characters` })
    .openapi({
      param: { name: 'q', in: 'query' },
      example: 'Valencia',
      description: 'words that must all occur in an address, in a zone’s code, name or grid worker, or in a team’s name — names in any language',
    }),
  limit: limitParam(LIMITS.search.default, LIMITS.search.max),
  lang: langParam,
})

export const search = routeModule().openapi(
  createRoute({
    method: 'get',
    path: '/{id}/search',
    tags: ['search'],
    summary: 'Find grid zones by code, name or grid worker, patrol teams by name and buildings by address',
    description:
      'Case-insensitive; every word of `q` must occur; names match in every language they are recorded in, and results are labelled in `lang`. Zones come first, then teams, then buildings; exact and prefix matches first. `bbox` and `center` let the map fly to a result (a team: its zones and routes).',
    request: { params: z.object({ id: communityIdParam }), query: SearchQuery },
    responses: jsonAnswer('matches, best first', SearchAnswerSchema),
  }),
  async (c) => {
    const { id } = c.req.valid('param')
    const { q, limit } = c.req.valid('query')
    return c.json({ query: q, results: await searchCommunity(c.var.sql, id, q, limit, viewOf(c).lang) }, 200)
  },
)
