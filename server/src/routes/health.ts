/** GET /api/health: is the service up, which database, which versions, which migration level. */
import { createRoute } from '@hono/zod-openapi'
import { HealthSchema } from '../contract.js'
import { readHealth } from '../db/health.js'
import { routeModule } from '../env.js'
import { jsonAnswer } from '../http/openapi.js'

export const health = routeModule().openapi(
  createRoute({ method: 'get', path: '/', tags: ['service'], summary: 'Service and database health', responses: jsonAnswer('healthy', HealthSchema) }),
  async (c) => c.json({ status: 'ok' as const, db: await readHealth(c.var.sql, c.var.dbMode) }, 200),
)
