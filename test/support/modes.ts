/**
 * Which database modes the tests run against, and throw-away databases for tests and benchmarks.
 * No vitest here: the benchmarks use it too.
 *
 * Every test file gets databases of its own, so files run in parallel: in server mode a new database
 * (copied from a template when one is given), in embedded mode a new in-memory PGlite (loaded from a
 * dump of a prepared one when given — PGlite is a single session and cannot be shared).
 */
import fs from 'node:fs/promises'
import postgres from 'postgres'
import { connectUrl, embeddedDatabase, type DbMode, type Sql } from '../../server/src/db/connect.js'
import { startEmbedded } from '../../server/src/db/embedded.js'

/** Modes named in SAFEGRID_TEST_MODES (default: embedded only). */
export function testModesFromEnv(): DbMode[] {
  const raw = process.env.SAFEGRID_TEST_MODES ?? 'embedded'
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is DbMode => s === 'embedded' || s === 'server')
}

/** A database for one test file; `url` is set in server mode. */
export interface ThrowawayDatabase {
  sql: Sql
  mode: DbMode
  url?: string
  close(): Promise<void>
}

const admin = (adminUrl: string) => postgres(adminUrl, { max: 1, onnotice: () => {} })

/** Creates a database on the server at `adminUrl` (a copy of `template` when given); `drop()` removes it. */
export async function withDatabase(adminUrl: string, label: string, template?: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `safegrid_test_${label}_${Math.random().toString(36).slice(2, 10)}`
  const a = admin(adminUrl)
  try {
    await a.unsafe(`create database ${name}${template ? ` template ${template}` : ''}`)
  } finally {
    await a.end()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    name,
    url: url.toString(),
    async drop() {
      const b = admin(adminUrl)
      try {
        await b.unsafe(`drop database if exists ${name} with (force)`)
      } finally {
        await b.end()
      }
    },
  }
}

/** Where a throw-away database comes from. */
export interface ThrowawayOptions {
  /** server mode: the PostgreSQL server to create it on */
  adminUrl?: string
  /** server mode: the database to copy */
  template?: string
  /** embedded mode: a file with PGlite's dump of the database to start from */
  dump?: string
  /** part of the server-mode database name */
  label?: string
}

/** A database of `mode`: empty (not migrated) unless a template or dump is given. close() discards it. */
export async function throwawayDatabase(mode: DbMode, options: ThrowawayOptions = {}): Promise<ThrowawayDatabase> {
  if (mode === 'embedded') {
    const loadDataDir = options.dump ? new Blob([await fs.readFile(options.dump)]) : undefined
    const db = embeddedDatabase(await startEmbedded('memory://', { loadDataDir }))
    return { sql: db.sql, mode, close: db.close }
  }
  if (!options.adminUrl) throw new Error('a server-mode database needs the URL of a PostgreSQL server to create it on')
  const db = await withDatabase(options.adminUrl, options.label ?? 'db', options.template)
  const sql = connectUrl(db.url)
  return {
    sql,
    mode,
    url: db.url,
    async close() {
      await sql.end()
      await db.drop()
    },
  }
}
