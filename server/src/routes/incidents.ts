/**
 * GET /api/communities/{id}/incidents/summary (how many incidents the shared filters match) and
 * …/incidents/period (the span of the data, which the filter bar's presets count back from).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { describeFilter, IncidentPeriodSchema, IncidentSummarySchema } from '../contract.js'
import { incidentPeriod, summarizeIncidents } from '../db/incidents.js'
import { routeModule } from '../env.js'
import { ApiError } from '../errors.js'
import { viewOf } from '../http/context.js'
import { filterOf, filterQuery } from '../http/filters.js'
import { jsonAnswer } from '../http/openapi.js'
import { bboxParam, communityIdParam } from '../http/params.js'

export const incidents = routeModule()
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/incidents/summary',
      tags: ['incidents'],
      summary: 'How many incidents match the shared filters, per category, and how many have no time of day',
      request: { params: z.object({ id: communityIdParam }), query: filterQuery({ bbox: bboxParam }) },
      responses: jsonAnswer('counts', IncidentSummarySchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const q = c.req.valid('query')
      if (q.bbox && !viewOf(c).exactIncidents) throw new ApiError('forbidden', 'your role sees incidents per zone; counts in a bbox are not available', { parameter: 'bbox' })
      const filter = filterOf(q)
      return c.json({ ...(await summarizeIncidents(c.var.sql, id, filter, q.bbox)), filter: describeFilter(filter) }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/incidents/period',
      tags: ['incidents'],
      summary: 'First and latest local date of the community’s incidents, and the months that have any',
      description:
        'The filter bar’s presets (last 30 days, this month…) count back from `last`, so old data is not an empty map; `months` lets a planner pick a month that has data (and see how much of it has a time of day).',
      request: { params: z.object({ id: communityIdParam }) },
      responses: jsonAnswer('the period', IncidentPeriodSchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      return c.json(await incidentPeriod(c.var.sql, id), 200)
    },
  )
