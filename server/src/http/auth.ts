/**
 * Who is asking, and may they: the session cookie (or, for desktop GIS, a personal access token sent
 * as `Authorization: Bearer`, read-only: db/tokens.ts), the access table (access.ts) and the user's role
 * in the community a request names. Runs before every route; the route's handler then sees
 * `c.var.user`, `c.var.role` (their role in the request's community; a system admin holds 'admin'
 * in every community) and `c.var.community`.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { matchedRoutes } from 'hono/route'
import { accessOf } from '../access.js'
import { sessionUser, touchSession, type SessionUser } from '../db/accounts.js'
import { tokenUser, touchToken } from '../db/tokens.js'
import type { AppEnv } from '../env.js'
import { ApiError } from '../errors.js'
import { log } from '../log.js'
import { communityId } from './params.js'

export const SESSION_COOKIE = 'safegrid_session'

/** A new session token (what the cookie holds) and the hash that is stored. */
export function newSessionToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url')
  return { token, hash: hashToken(token) }
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

/** Whether the request came over https (directly, or through a proxy we trust). */
function overHttps(c: Context<AppEnv>): boolean {
  if (c.var.auth.cookieSecure !== 'auto') return c.var.auth.cookieSecure
  if (new URL(c.req.url).protocol === 'https:') return true
  return c.var.auth.trustProxy && c.req.header('x-forwarded-proto') === 'https'
}

/** Sets the session cookie: http-only, SameSite=Lax, Secure behind https, for the session's whole life. */
export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', secure: overHttps(c), path: '/', maxAge: c.var.auth.sessionMaxSeconds })
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: overHttps(c) })
}

/** The client's address: the socket's, or the first X-Forwarded-For hop behind a trusted proxy. */
export function clientIp(c: Context<AppEnv>): string | null {
  if (c.var.auth.trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded) return forwarded
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
  return incoming?.socket?.remoteAddress ?? null
}

/** The route a request matched (its handler, not a middleware), as registered: method and path. */
function routeOf(c: Context<AppEnv>): { method: string; path: string } | undefined {
  // the first handler matched is the one that answers (a static path such as /disputes/figures is
  // registered before /disputes/:disputeId, which matches it too)
  return matchedRoutes(c).find((r) => r.method !== 'ALL')
}

/** The community a route names: `:id` in its path, or the `community` query parameter. */
function communityOfRequest(c: Context<AppEnv>, routePath: string, where: 'path' | 'query'): string | undefined {
  if (where === 'query') return c.req.query('community')
  const pattern = routePath.split('/')
  const actual = c.req.path.split('/')
  const k = pattern.indexOf(':id')
  return k >= 0 && actual[k] !== undefined ? decodeURIComponent(actual[k]) : undefined
}

/** The middleware: 401 without a session where one is needed, 403 without the role, 404 for a community without a role in it. */
export function authorize(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const route = routeOf(c)
    if (route === undefined) return next() // no such endpoint: notFound answers
    const access = accessOf(c.req.method, route.path)
    if (access === undefined) {
      log.error('a route has no line in the access table', { route: `${route.method} ${route.path}` })
      throw new ApiError('forbidden', 'this endpoint is not open to anyone yet')
    }
    // public routes need nobody (and health must not wait for the database behind a session look-up)
    if (access.who === 'public') return next()
    const token = getCookie(c, SESSION_COOKIE)
    const community = access.community ? communityOfRequest(c, route.path, access.community) : undefined
    // a malformed id gets the handler's 400; a missing tiles community a 400 here
    const named = community !== undefined && communityId.safeParse(community).success ? community : null
    let user: SessionUser | null = token ? await sessionUser(c.var.sql, hashToken(token), c.var.auth.sessionIdleSeconds, named) : null
    if (user && token) {
      c.set('user', user)
      c.set('sessionHash', hashToken(token))
      if (user.stale) await touchSession(c.var.sql, hashToken(token))
    }
    // without a session cookie: a personal access token (desktop GIS), the same user and roles, for reading only
    const bearer = token ? undefined : bearerToken(c)
    if (bearer !== undefined) {
      if (c.req.method !== 'GET') throw new ApiError('forbidden', 'an access token may only read (GET); log in to change anything')
      const viaToken = bearer === null ? null : await tokenUser(c.var.sql, hashToken(bearer), named)
      if (!viaToken) throw new ApiError('unauthorized', 'the access token is not valid (unknown, expired or revoked)')
      if (viaToken.stale) await touchToken(c.var.sql, viaToken.tokenId)
      user = viaToken
      c.set('user', user)
    }
    if (!user) throw new ApiError('unauthorized', token ? 'the session has ended; please log in again' : 'please log in')
    if (user.mustChangePassword && !access.beforePasswordChange)
      throw new ApiError('password_change_required', 'choose a new password first (PUT /api/session/password)')
    if (access.who === 'user') return next()
    if (access.who === 'system-admin') {
      if (!user.admin) throw new ApiError('forbidden', 'only a system administrator may do this')
      return next()
    }
    // missing or malformed: the route's validation answers 400 before anything is read
    if (named === null) return next()
    const role = user.admin && user.communityExists ? 'admin' : user.role
    if (role === null) throw new ApiError('community_not_found', `community "${named}" does not exist`, { id: named })
    if (!access.who.includes(role)) throw new ApiError('forbidden', `the ${role} role may not do this here`, { role })
    c.set('role', role)
    c.set('community', named)
    return next()
  }
}

/** The personal access token of `Authorization: Bearer <token>`: undefined without one, null when malformed. */
function bearerToken(c: Context<AppEnv>): string | null | undefined {
  const header = c.req.header('authorization')
  if (header === undefined) return undefined
  const m = /^Bearer[ ]+([A-Za-z0-9_-]{20,200})\s*$/i.exec(header)
  return m ? m[1]! : null
}
