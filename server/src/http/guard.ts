/**
 * What every request must be before any route looks at it, so that no request can hurt the server:
 * a URL of bounded length, no parameter given twice, no control characters in the path or a query
 * value, no HEAD on the API (a HEAD would run the query of its GET), and bodies of bounded size. Each
 * refusal is a 4xx in the one error shape. Also the security headers of every answer.
 */
import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { secureHeaders } from 'hono/secure-headers'
import { LANGUAGES } from '../contract.js'
import type { AppEnv } from '../env.js'
import { ApiError } from '../errors.js'
import { langParam } from './params.js'

/** The longest URL (path and query) served. */
export const MAX_URL_LENGTH = 8192
/** The largest request body (JSON) the API reads. */
export const MAX_BODY_BYTES = 256 * 1024

// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const CONTROL = /[\u0000-\u001f\u007f]/

/** Refuses malformed requests up front. */
export function requestBounds(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url)
    if (url.pathname.length + url.search.length > MAX_URL_LENGTH) throw new ApiError('uri_too_long', `the address is longer than ${MAX_URL_LENGTH} characters`)
    let path: string
    try {
      path = decodeURIComponent(url.pathname)
    } catch {
      throw new ApiError('bad_request', 'the path is not valid percent-encoding')
    }
    if (CONTROL.test(path)) throw new ApiError('bad_request', 'the path contains control characters')
    const seen = new Set<string>()
    for (const [name, value] of url.searchParams) {
      if (seen.has(name)) throw new ApiError('invalid_parameter', `the parameter ${name} is given more than once`, { parameter: name })
      seen.add(name)
      if (CONTROL.test(name) || CONTROL.test(value)) throw new ApiError('invalid_parameter', `the parameter ${name} contains control characters`, { parameter: name })
      if (value.includes('\ufffd') && /%(?![0-9a-f]{2})|%[89a-f][0-9a-f](?!%)/i.test(url.search))
        throw new ApiError('invalid_parameter', `the parameter ${name} is not valid percent-encoding`, { parameter: name })
    }
    if (c.req.method === 'HEAD' && (url.pathname.startsWith('/api/') || url.pathname.startsWith('/tiles/') || url.pathname === '/ogc' || url.pathname.startsWith('/ogc/')) && url.pathname !== '/api/health') {
      c.header('allow', 'GET')
      throw new ApiError('method_not_allowed', 'HEAD is not served on the API; use GET')
    }
    await next()
  }
}

/** 413 payload_too_large beyond MAX_BODY_BYTES — or, for a file uploaded to an import, beyond `importMaxBytes` (IMPORT_MAX_MB). */
export const limitBody = (importMaxBytes: number = MAX_BODY_BYTES): MiddlewareHandler<AppEnv> => {
  const json = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError('payload_too_large', `the request body is larger than ${MAX_BODY_BYTES / 1024} kB`)
    },
  })
  const upload = bodyLimit({
    maxSize: importMaxBytes,
    onError: () => {
      throw new ApiError('payload_too_large', `the file is larger than ${Math.round((importMaxBytes / 1024 / 1024) * 10) / 10} MB, the import limit (IMPORT_MAX_MB)`, { maxBytes: importMaxBytes })
    },
  })
  return (c, next) => (c.req.method === 'POST' && IMPORT_PATH.test(c.req.path) ? upload(c, next) : json(c, next))
}
/** The path files are uploaded to (routes/imports.ts). */
const IMPORT_PATH = /^\/api\/communities\/[^/]+\/imports$/

/**
 * Security headers on every answer: a strict Content-Security-Policy the map works under (its
 * worker is a same-origin module; images it makes are data: or blob: URLs), no framing, no
 * sniffing, no referrer beyond the origin. No CORS headers at all: other sites may not call the API.
 */
export const securityHeaders = (): MiddlewareHandler<AppEnv> =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      workerSrc: ["'self'", 'blob:'],
      childSrc: ["'self'", 'blob:'],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'strict-origin-when-cross-origin',
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
    strictTransportSecurity: false,
    xDnsPrefetchControl: 'off',
    xPermittedCrossDomainPolicies: 'none',
  })

/**
 * The request's `lang` (http/params.ts langParam), checked once for every request — 400
 * invalid_parameter for a language the server does not speak — and kept in c.var.lang for the
 * view (http/context.ts). An answer in a language says so in Content-Language.
 */
export function language(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const raw = c.req.query('lang')
    if (raw !== undefined) {
      const parsed = langParam.safeParse(raw)
      if (!parsed.success || parsed.data === undefined)
        throw new ApiError('invalid_parameter', `lang must be one of ${LANGUAGES.join(', ')}`, { parameter: 'lang', value: raw.slice(0, 20) })
      c.set('lang', parsed.data)
    }
    await next()
    if (c.var.lang !== undefined && c.res.ok) c.header('content-language', c.var.lang === 'zh' ? 'zh-CN' : 'en')
  }
}
