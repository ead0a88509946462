/**
 * Configuration, read once from the environment with a default for every key.
 * `.env.example` at the repository root documents each one.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Repository root (two levels above server/src). */
export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export interface Config {
  /** postgres://… of a PostgreSQL with PostGIS (server mode); undefined selects embedded PGlite */
  databaseUrl: string | undefined
  /** where embedded mode keeps its database files */
  dataDir: string
  host: string
  port: number
  /** directory of the built web app served at / */
  webDir: string
  /** seed the demo community on start when the database has no community yet */
  seedDemo: boolean
  /** embedded mode: the demo snapshot a new database is copied from when it is current (null: always seed from scratch) */
  demoSnapshotDir: string | null
  logLevel: 'debug' | 'info' | 'warn' | 'error'
  /** server mode: an analysis query running longer than this is stopped (ms; 0: never) */
  analysisTimeoutMs: number
  /** room for encoded vector tiles kept in the process, bytes (0: none) */
  tileCacheBytes: number
  /** accounts and sessions */
  auth: AuthConfig
  /** the first system administrator, created on a database without users */
  admin: { username: string; password: string | undefined }
  /** the largest file an import accepts, bytes (IMPORT_MAX_MB) */
  importMaxBytes: number
}

/** How sessions behave. */
export interface AuthConfig {
  /** a session ends after this many seconds without a request */
  sessionIdleSeconds: number
  /** and at the latest this many seconds after login */
  sessionMaxSeconds: number
  /** the cookie's Secure flag: 'auto' sets it when the request came over https */
  cookieSecure: boolean | 'auto'
  /** believe X-Forwarded-For / X-Forwarded-Proto (behind a reverse proxy) */
  trustProxy: boolean
}

export const DEFAULT_AUTH: AuthConfig = { sessionIdleSeconds: 2 * 3600, sessionMaxSeconds: 12 * 3600, cookieSecure: 'auto', trustProxy: false }

function parseWhole(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}, got "${raw}"`)
  return n
}

function parsePort(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`PORT must be an integer 0–65535, got "${raw}"`)
  return n
}

function parseBool(raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback
  if (/^(1|true|yes|on)$/i.test(raw)) return true
  if (/^(0|false|no|off)$/i.test(raw)) return false
  throw new Error(`expected a boolean (true/false), got "${raw}"`)
}

function parseMillis(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number of milliseconds (0: no limit), got "${raw}"`)
  return n
}

/** Default largest import file, megabytes (IMPORT_MAX_MB). */
export const DEFAULT_IMPORT_MAX_MB = 50

/** Default longest run of one analysis query (server mode). */
export const DEFAULT_ANALYSIS_TIMEOUT_MS = 60_000

/** Reads the configuration from `env` (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const level = env.LOG_LEVEL ?? 'info'
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new Error(`LOG_LEVEL must be debug|info|warn|error, got "${level}"`)
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR ?? path.join(ROOT_DIR, 'data')),
    host: env.HOST ?? '127.0.0.1',
    port: parsePort(env.PORT, 8080),
    webDir: path.resolve(env.WEB_DIR ?? path.join(ROOT_DIR, 'web/dist')),
    seedDemo: parseBool(env.SEED_DEMO, true),
    demoSnapshotDir: env.DEMO_SNAPSHOT_DIR === '' ? null : path.resolve(env.DEMO_SNAPSHOT_DIR ?? path.join(ROOT_DIR, 'dist/demo')),
    logLevel: level as Config['logLevel'],
    analysisTimeoutMs: parseMillis('ANALYSIS_TIMEOUT_MS', env.ANALYSIS_TIMEOUT_MS, DEFAULT_ANALYSIS_TIMEOUT_MS),
    tileCacheBytes: parseWhole('TILE_CACHE_MB', env.TILE_CACHE_MB, 64, 0) * 1024 * 1024,
    auth: {
      sessionIdleSeconds: parseWhole('SESSION_IDLE_MINUTES', env.SESSION_IDLE_MINUTES, DEFAULT_AUTH.sessionIdleSeconds / 60, 1) * 60,
      sessionMaxSeconds: parseWhole('SESSION_MAX_HOURS', env.SESSION_MAX_HOURS, DEFAULT_AUTH.sessionMaxSeconds / 3600, 1) * 3600,
      cookieSecure: env.COOKIE_SECURE === undefined || env.COOKIE_SECURE === '' || env.COOKIE_SECURE === 'auto' ? 'auto' : parseBool(env.COOKIE_SECURE, false),
      trustProxy: parseBool(env.TRUST_PROXY, false),
    },
    admin: { username: env.SAFEGRID_ADMIN_USER || 'admin', password: env.SAFEGRID_ADMIN_PASSWORD || undefined },
    importMaxBytes: parseWhole('IMPORT_MAX_MB', env.IMPORT_MAX_MB, DEFAULT_IMPORT_MAX_MB, 1) * 1024 * 1024,
  }
}
