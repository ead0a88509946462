/**
 * Forward-only numbered migrations (sql/migrations/NNNNN_name.sql) with a checksum table.
 * Start-up refuses to continue when an applied migration was edited or removed, or when the
 * numbering has a gap, so a database never silently drifts from the code.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { ROOT_DIR } from '../config.js'
import { MigrationError } from '../errors.js'
import type { Sql } from './connect.js'

export const MIGRATIONS_DIR = path.join(ROOT_DIR, 'sql/migrations')

export interface MigrationFile {
  version: number
  name: string
  file: string
  checksum: string
  sql: string
}

export interface MigrationResult {
  /** highest applied version after the run */
  level: number
  /** versions applied by this run */
  applied: number[]
}

const FILE_RE = /^(\d{5})_([a-z0-9_]+)\.sql$/

/** Reads and checks the migration files: names NNNNN_name.sql, numbered 1, 2, 3… without gaps. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = (await fs.readdir(dir)).filter((f) => f.endsWith('.sql')).sort()
  const files: MigrationFile[] = []
  for (const file of names) {
    const m = FILE_RE.exec(file)
    if (!m) throw new MigrationError(`migration file ${file} is not named NNNNN_lower_snake_name.sql`)
    const text = await fs.readFile(path.join(dir, file), 'utf8')
    files.push({ version: Number(m[1]), name: m[2]!, file, sql: text, checksum: createHash('sha256').update(text).digest('hex') })
  }
  files.forEach((f, i) => {
    if (f.version !== i + 1) throw new MigrationError(`migrations must be numbered 1, 2, 3… without gaps: expected ${String(i + 1).padStart(5, '0')}, found ${f.file}`)
  })
  return files
}

/**
 * Applies pending migrations in order, each in its own transaction, under an advisory lock so two
 * servers starting together do not race. Throws MigrationError when the database has a migration
 * that is missing from `dir` or whose file was edited after it was applied.
 */
export async function migrate(sql: Sql, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = await readMigrations(dir)
  await sql`
    create table if not exists schema_migrations (
      version    integer primary key,
      name       text not null,
      checksum   text not null,
      applied_at timestamptz not null default now()
    )`
  const applied: number[] = []
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('safegrid:migrate'))`
    const rows = await tx<{ version: number; name: string; checksum: string }[]>`
      select version, name, checksum from schema_migrations order by version`
    const byVersion = new Map(files.map((f) => [f.version, f]))
    for (const row of rows) {
      const file = byVersion.get(row.version)
      const label = `${String(row.version).padStart(5, '0')}_${row.name}.sql`
      if (!file) throw new MigrationError(`migration ${label} was applied to this database but is missing from ${path.relative(ROOT_DIR, dir)}; restore it (migrations are forward-only)`)
      if (file.checksum !== row.checksum)
        throw new MigrationError(`migration ${label} was edited after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${file.checksum.slice(0, 12)}… on disk); revert the edit and add a new migration instead`)
    }
    const done = new Set(rows.map((r) => r.version))
    for (const file of files) {
      if (done.has(file.version)) continue
      await tx.savepoint(async (sp) => {
        await sp.unsafe(file.sql)
        await sp`insert into schema_migrations (version, name, checksum) values (${file.version}, ${file.name}, ${file.checksum})`
      }).catch((e: unknown) => {
        throw new MigrationError(`migration ${file.file} failed: ${e instanceof Error ? e.message : String(e)}`)
      })
      applied.push(file.version)
    }
  })
  const [row] = await sql<{ level: number | null }[]>`select max(version) as level from schema_migrations`
  return { level: row?.level ?? 0, applied }
}
