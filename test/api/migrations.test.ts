import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate, MIGRATIONS_DIR, readMigrations } from '../../server/src/db/migrate.js'
import { MigrationError } from '../../server/src/errors.js'
import { openEmpty, testModes } from '../support/db.js'

/** A copy of sql/migrations in a temp directory that a test may change. */
async function copyMigrations(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'safegrid-migrations-'))
  for (const f of await fs.readdir(MIGRATIONS_DIR)) await fs.copyFile(path.join(MIGRATIONS_DIR, f), path.join(dir, f))
  return dir
}

describe('migration files', () => {
  it('are numbered from 1 without gaps', async () => {
    const files = await readMigrations()
    expect(files.map((f) => f.version)).toEqual(files.map((_, i) => i + 1))
  })

  it('refuse a gap in the numbering', async () => {
    const dir = await copyMigrations()
    // one number past the next free one, whatever the latest migration is
    const later = `${String((await readMigrations()).length + 2).padStart(5, '0')}_later.sql`
    await fs.writeFile(path.join(dir, later), 'select 1;')
    await expect(readMigrations(dir)).rejects.toThrow(new RegExp(`without gaps.*${later.replace('.', '\\.')}`))
  })

  it('refuse a badly named file', async () => {
    const dir = await copyMigrations()
    await fs.writeFile(path.join(dir, '2-add-things.sql'), 'select 1;')
    await expect(readMigrations(dir)).rejects.toThrow(MigrationError)
  })
})

describe.each(testModes())('migrations in %s mode', (mode) => {
  it('apply once, then refuse an edited or missing migration, and leave a failed one unapplied', { timeout: 180_000 }, async () => {
    const db = await openEmpty(mode)
    try {
      const dir = await copyMigrations()
      const files = await readMigrations(dir)
      const first = await migrate(db.sql, dir)
      expect(first.applied).toEqual(files.map((f) => f.version))
      expect(first.level).toBe(files.length)
      expect((await migrate(db.sql, dir)).applied).toEqual([])

      // A new migration that fails rolls back and is not recorded.
      const next = String(files.length + 1).padStart(5, '0')
      await fs.writeFile(path.join(dir, `${next}_broken.sql`), 'create table broken_probe (id int); select * from no_such_table;')
      await expect(migrate(db.sql, dir)).rejects.toThrow(/broken\.sql failed/)
      const [probe] = await db.sql`select to_regclass('broken_probe') as t`
      expect(probe!.t).toBeNull()
      await fs.rm(path.join(dir, `${next}_broken.sql`))

      // Editing an applied migration stops start-up with a message naming it.
      const firstFile = path.join(dir, files[0]!.file)
      const original = await fs.readFile(firstFile, 'utf8')
      await fs.writeFile(firstFile, `${original}\n-- an innocent-looking edit\n`)
      await expect(migrate(db.sql, dir)).rejects.toThrow(/00001_init\.sql was edited after it was applied/)
      await fs.writeFile(firstFile, original)

      // Removing an applied migration (the latest: an earlier one would leave a gap) does too.
      const last = files[files.length - 1]!
      await fs.rm(path.join(dir, last.file))
      await expect(migrate(db.sql, dir)).rejects.toThrow(new RegExp(`${last.file.replace('.', '\\.')} was applied to this database but is missing`))
    } finally {
      await db.close()
    }
  })
})
