/**
 * GET /api/health: is the service up, which database, which versions, which migration level.
 * 503 database_unavailable when the database cannot be reached. A database busy with a long query
 * (embedded mode runs one at a time) is not down: after HEALTH_WAIT_MS the last reading is answered,
 * marked `busy`, so health never waits behind an analysis.
 */
import { createRoute } from '@hono/zod-openapi'
import { HealthSchema, type Health } from '../contract.js'
import type { Sql } from '../db/connect.js'
import { readHealth } from '../db/health.js'
import { routeModule } from '../env.js'
import { jsonAnswer } from '../http/openapi.js'

/** How long health waits for the database before answering from its last reading. */
export const HEALTH_WAIT_MS = 300

const lastReading = new WeakMap<Sql, Health['db']>()

export const health = routeModule().openapi(
  createRoute({ method: 'get', path: '/', tags: ['service'], summary: 'Service and database health', responses: jsonAnswer('healthy', HealthSchema) }),
  async (c) => {
    const reading = readHealth(c.var.sql, c.var.dbMode).then((db) => {
      lastReading.set(c.var.sql, db)
      return db
    })
    const last = lastReading.get(c.var.sql)
    // without an earlier reading there is nothing to answer but this one
    const db = last === undefined ? await reading : await Promise.race([reading, new Promise<null>((r) => setTimeout(() => r(null), HEALTH_WAIT_MS).unref())])
    if (db === null) reading.catch(() => {}) // answered from the last reading; a late failure is the next request's news
    return c.json({ status: 'ok' as const, db: db ?? { ...last!, busy: true } } satisfies Health, 200)
  },
)
