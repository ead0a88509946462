/**
 * The HTTP application: the guards every request passes (security headers, request bounds, who is
 * asking and may they), the API routes, vector tiles, the built web app, and the one error handler.
 * `createApp` takes an open database so tests can run it through `app.request()`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { OpenAPIHono } from '@hono/zod-openapi'
import { HTTPException } from 'hono/http-exception'
import { methodNotAllowed } from 'hono/method-not-allowed'
import { createLoginLimiter, type LoginLimiter } from './auth/login.js'
import { DEFAULT_ANALYSIS_TIMEOUT_MS, DEFAULT_AUTH, DEFAULT_IMPORT_MAX_MB, type AuthConfig } from './config.js'
import { isConnectionError, type DbMode, type Sql } from './db/connect.js'
import { DEFAULT_TILE_CACHE_BYTES, TileCache } from './db/tile-cache.js'
import { PreviewCache } from './analysis/preview.js'
import type { AppEnv } from './env.js'
import { ApiError } from './errors.js'
import { authorize } from './http/auth.js'
import { language, limitBody, requestBounds, securityHeaders } from './http/guard.js'
import { log } from './log.js'
import { auditLog } from './routes/audit.js'
import { briefings } from './routes/briefings.js'
import { buildings } from './routes/buildings.js'
import { communities } from './routes/communities.js'
import { coverage } from './routes/coverage.js'
import { gaps } from './routes/gaps.js'
import { health } from './routes/health.js'
import { hotspots } from './routes/hotspots.js'
import { imports } from './routes/imports.js'
import { incidents } from './routes/incidents.js'
import { layers } from './routes/layers.js'
import { meeting } from './routes/meeting.js'
import { patrols } from './routes/patrols.js'
import { plans } from './routes/plans.js'
import { care } from './routes/care.js'
import { disputes } from './routes/disputes.js'
import { problems } from './routes/problems.js'
import { search } from './routes/search.js'
import { session } from './routes/session.js'
import { tiles } from './routes/tiles.js'
import { users } from './routes/users.js'
import { zones } from './routes/zones.js'
import { exportLayer } from './routes/export.js'
import { ogcRoutes } from './routes/ogc.js'
import { tokens } from './routes/tokens.js'

export interface AppOptions {
  sql: Sql
  /** server mode: a pool of its own for analyses (default: `sql`) */
  analysisSql?: Sql
  mode: DbMode
  /** built web app (web/dist); when absent, / explains how to build it */
  webDir?: string
  /** longest run of one analysis query in server mode, ms (0: no limit); default 60 s */
  analysisTimeoutMs?: number
  /** sessions and cookies (default DEFAULT_AUTH) */
  auth?: Partial<AuthConfig>
  /** failed-login counters (default: new ones for this app) */
  loginLimiter?: LoginLimiter
  /** room for encoded tiles kept in the process, bytes (0: none; default DEFAULT_TILE_CACHE_BYTES) */
  tileCacheBytes?: number
  /** the largest file an import accepts, bytes (default IMPORT_MAX_MB's default) */
  importMaxBytes?: number
}

/** Builds the application around an open database. */
export function createApp({ sql, analysisSql = sql, mode, webDir, analysisTimeoutMs = DEFAULT_ANALYSIS_TIMEOUT_MS, auth = {}, loginLimiter = createLoginLimiter(), tileCacheBytes = DEFAULT_TILE_CACHE_BYTES, importMaxBytes = DEFAULT_IMPORT_MAX_MB * 1024 * 1024 }: AppOptions) {
  const tileCache = new TileCache(tileCacheBytes)
  const previewCache = new PreviewCache()
  const app = new OpenAPIHono<AppEnv>()
  const authConfig = { ...DEFAULT_AUTH, ...auth }

  app.use(securityHeaders())
  app.use(methodNotAllowed({ app, onMethodNotAllowed: (c, methods) => c.json(new ApiError('method_not_allowed', `${c.req.method} is not allowed here; allowed: ${methods.join(', ')}`).toBody(), 405, { allow: methods.join(', ') }) }))
  app.use(requestBounds())
  app.use(language())
  app.use(async (c, next) => {
    c.set('sql', sql)
    c.set('analysisSql', analysisSql)
    c.set('dbMode', mode)
    c.set('analysisTimeoutMs', analysisTimeoutMs)
    c.set('auth', authConfig)
    c.set('loginLimiter', loginLimiter)
    c.set('tileCache', tileCache)
    c.set('previewCache', previewCache)
    await next()
  })
  app.use('/api/*', limitBody(importMaxBytes))
  app.use(authorize())

  app.route('/api/health', health)
  app.route('/api/session', session)
  app.route('/api/users', users)
  app.route('/api/audit', auditLog)
  // every resource of a community is a small app of its own, mounted under /api/communities
  for (const resource of [communities, layers, incidents, search, zones, buildings, hotspots, coverage, gaps, plans, patrols, disputes, problems, care, meeting, imports]) app.route('/api/communities', resource)
  // filed briefings of the meeting pack (issue 13)
  app.route('/api/communities', briefings)
  app.route('/tiles', tiles)
  // issue 10, "Export": layer files, personal access tokens for desktop GIS, OGC API – Features
  app.route('/api/communities', exportLayer)
  app.route('/api/users', tokens)
  app.route('/ogc', ogcRoutes())

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'safegrid API', version: '0.1.0', description: 'Grid safety map (平安网格): layers, tiles and analyses of a community.' },
  })

  app.notFound((c) => {
    const p = c.req.path
    if (p.startsWith('/api/') || p.startsWith('/tiles/') || p === '/ogc' || p.startsWith('/ogc/') || !webDir || c.req.method !== 'GET')
      return c.json(new ApiError('not_found', `no such endpoint: ${c.req.method} ${p}`).toBody(), 404)
    return spaFallback(webDir)
  })

  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(err.toBody(), err.status)
    if (isConnectionError(err)) {
      log.warn('database unavailable', { doing: `${c.req.method} ${c.req.routePath}`, error: err instanceof Error ? err.message : String(err) })
      return c.json(new ApiError('database_unavailable', 'the database is not available right now; try again shortly').toBody(), 503, { 'retry-after': '5' })
    }
    if (err instanceof HTTPException && err.status < 500) {
      const code = err.status === 404 ? 'not_found' : err.status === 413 ? 'payload_too_large' : 'bad_request'
      return c.json(new ApiError(code, err.message || 'bad request').toBody(), err.status)
    }
    // Unknown errors: log what failed (never query parameters), answer a generic 500.
    log.error('request failed', { doing: `${c.req.method} ${c.req.routePath}`, error: err instanceof Error ? err.message : String(err), code: (err as { code?: string }).code })
    return c.json(new ApiError('internal', 'internal error; the server log has details').toBody(), 500)
  })

  if (webDir) {
    app.use('/*', serveStatic({ root: path.relative(process.cwd(), webDir) || '.' }))
  }
  return app
}

/** index.html for client-side routes, or a page saying the web app has not been built. */
function spaFallback(webDir: string): Response {
  const index = path.join(webDir, 'index.html')
  if (fs.existsSync(index)) return new Response(fs.readFileSync(index), { headers: { 'content-type': 'text/html; charset=utf-8' } })
  return new Response('safegrid: the web app is not built yet — run `npm run build` (npm start does it for you).\n', {
    status: 503,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  })
}
