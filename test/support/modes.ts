/**
 * Which database modes the tests run against, and throw-away databases for tests and benchmarks
 * that write. No vitest here: the benchmarks use it too.
 */
import postgres from 'postgres'
import { connectUrl, startEmbedded, type DbMode, type Sql } from '../../server/src/db/connect.js'

/** Modes named in SAFEGRID_TEST_MODES (default: embedded only). */
export function testModesFromEnv(): DbMode[] {
  const raw = process.env.SAFEGRID_TEST_MODES ?? 'embedded'
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is DbMode => s === 'embedded' || s === 'server')
}

/** Creates an empty database on the server at `adminUrl`; `drop()` removes it. */
export async function withDatabase(adminUrl: string, label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `safegrid_test_${label}_${Math.random().toString(36).slice(2, 10)}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    await admin.unsafe(`create database ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} })
      try {
        await a.unsafe(`drop database if exists ${name} with (force)`)
      } finally {
        await a.end()
      }
    },
  }
}

/**
 * An empty database of `mode` (not migrated): in-memory PGlite, or a new database on the server at
 * `adminUrl`. close() disconnects and discards it.
 */
export async function throwawayDatabase(mode: DbMode, adminUrl: string | undefined, label: string): Promise<{ sql: Sql; url: string; close(): Promise<void> }> {
  if (mode === 'embedded') {
    const embedded = await startEmbedded('memory://')
    const sql = connectUrl(embedded.url, mode)
    return {
      sql,
      url: embedded.url,
      async close() {
        await sql.end()
        await embedded.stop()
      },
    }
  }
  if (!adminUrl) throw new Error('a server-mode database needs the URL of a PostgreSQL server to create it on')
  const db = await withDatabase(adminUrl, label)
  const sql = connectUrl(db.url, mode)
  return {
    sql,
    url: db.url,
    async close() {
      await sql.end()
      await db.drop()
    },
  }
}
