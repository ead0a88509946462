/** Hono environment shared by every route module: the database, the request's user and role, in c.var. */
import { OpenAPIHono } from '@hono/zod-openapi'
import type { LoginLimiter } from './auth/login.js'
import type { AuthConfig } from './config.js'
import type { Lang, Role } from './contract.js'
import type { SessionUser } from './db/accounts.js'
import type { DbMode, Sql } from './db/connect.js'
import type { TileCache } from './db/tile-cache.js'
import type { PreviewCache } from './analysis/preview.js'
import { validationHook } from './http/validation.js'

export interface AppEnv {
  Variables: {
    sql: Sql
    /** the connections analyses run on (server mode: a pool of their own, so tiles and health never wait behind one) */
    analysisSql: Sql
    dbMode: DbMode
    /** longest run of one analysis query, ms (0: no limit) */
    analysisTimeoutMs: number
    auth: AuthConfig
    loginLimiter: LoginLimiter
    /** encoded tiles of this app's database (db/tile-cache.ts) */
    tileCache: TileCache
    /** today's figures of plan previews of this app's database (analysis/preview.ts) */
    previewCache: PreviewCache
    /** the logged-in user (set by the authorize middleware; undefined: nobody) */
    user?: SessionUser
    /** the hash of their session token */
    sessionHash?: string
    /** their role in the community the request names (community-scoped routes) */
    role?: Role
    community?: string
    /** the language names are asked for in (`lang`; undefined: as recorded) */
    lang?: Lang
  }
}

/** A route module: an OpenAPIHono whose validation failures become our 400 error shape. */
export function routeModule() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
}
