/** `npm run migrate`: apply pending migrations to the configured database. */
import { loadConfig } from '../config.js'
import { openDatabase } from '../db/connect.js'
import { migrate } from '../db/migrate.js'

const db = await openDatabase(loadConfig())
try {
  const result = await migrate(db.sql)
  console.log(result.applied.length ? `applied migrations ${result.applied.join(', ')}; now at ${result.level}` : `up to date at ${result.level}`)
} catch (e) {
  console.error(e instanceof Error ? e.message : e)
  process.exitCode = 1
} finally {
  await db.close()
}
