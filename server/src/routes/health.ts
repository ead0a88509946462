/** GET /api/health: is the service up, which database, which versions, which migration level. */
import { createRoute, z } from '@hono/zod-openapi'
import { readHealth } from '../db/health.js'
import { routeModule } from '../env.js'
import { errorResponses } from './schemas.js'

const HealthSchema = z
  .object({
    status: z.literal('ok'),
    db: z.object({
      mode: z.enum(['embedded', 'server']),
      postgres: z.string().openapi({ example: '15.18' }),
      postgis: z.string().openapi({ example: '3.3.2' }),
      migration: z.number().int(),
    }),
  })
  .openapi('Health')

export const health = routeModule().openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['service'],
    summary: 'Service and database health',
    responses: { 200: { description: 'healthy', content: { 'application/json': { schema: HealthSchema } } }, ...errorResponses },
  }),
  async (c) => c.json({ status: 'ok' as const, db: await readHealth(c.var.sql, c.var.dbMode) }, 200),
)
