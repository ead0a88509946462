/** Which database modes the tests run against, and throw-away databases for tests that write. */
import type postgres from 'postgres'
import type { DbMode } from '../../server/src/db/connect.js'

/** Modes named in SAFEGRID_TEST_MODES (default: embedded only). */
export function testModesFromEnv(): DbMode[] {
  const raw = process.env.SAFEGRID_TEST_MODES ?? 'embedded'
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is DbMode => s === 'embedded' || s === 'server')
}

/** Creates an empty database on the server at `adminUrl`; `drop()` removes it. */
export async function withDatabase(adminUrl: string, label: string, pg: typeof postgres): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `safegrid_test_${label}_${Math.random().toString(36).slice(2, 10)}`
  const admin = pg(adminUrl, { max: 1, onnotice: () => {} })
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
      const a = pg(adminUrl, { max: 1, onnotice: () => {} })
      try {
        await a.unsafe(`drop database if exists ${name} with (force)`)
      } finally {
        await a.end()
      }
    },
  }
}
