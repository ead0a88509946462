/** Hono environment shared by every route module: the database is in c.var. */
import { OpenAPIHono } from '@hono/zod-openapi'
import type { DbMode, Sql } from './db/connect.js'
import { validationHook } from './http/validation.js'

export interface AppEnv {
  Variables: {
    sql: Sql
    dbMode: DbMode
    /** longest run of one analysis query, ms (0: no limit) */
    analysisTimeoutMs: number
  }
}

/** A route module: an OpenAPIHono whose validation failures become our 400 error shape. */
export function routeModule() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
}
