/**
 * The demo snapshot: a closed embedded database, migrated and seeded with the demo community but
 * without users, made once (`npm run build`, or `npm start` before a first start) so that a new
 * embedded DATA_DIR begins as a copy of it instead of initdb, nine migrations and the seed — a
 * cold start of seconds instead of twenty. A copy gets demo users of its own (new passwords) and
 * then goes through the same migration check as every start.
 *
 * A snapshot is used only when its stamp equals the stamp of what it would be made from now: the
 * migrations, the seed's queries, the demo's files, the seed module and the PGlite packages'
 * versions. A changed migration or seed input therefore never reaches a new database from an old
 * snapshot — it is seeded from scratch instead until the snapshot is made again.
 *
 * Layout: <dir>/pgdata (PGlite's files) and <dir>/snapshot.json ({ stamp, community, inserted }).
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { ROOT_DIR } from '../config.js'
import { log } from '../log.js'
import { embeddedDatabase } from './connect.js'
import { startEmbedded } from './embedded.js'
import { migrate, MIGRATIONS_DIR } from './migrate.js'
import { installedPackage } from './postgis-bundle.js'
import { QUERIES_DIR } from './queries.js'
import { DEMO_DIR, seedDemo } from './seed.js'

/** Raised when what a snapshot holds changes in a way its input files do not show. */
const FORMAT = 1

/** What a snapshot is made from. */
export interface SnapshotInputs {
  migrationsDir: string
  seedQueriesDir: string
  demoDir: string
  /** source files of the seed's code (hashed when present) */
  code: string[]
}

export const DEFAULT_INPUTS: SnapshotInputs = {
  migrationsDir: MIGRATIONS_DIR,
  seedQueriesDir: path.join(QUERIES_DIR, 'seed'),
  demoDir: DEMO_DIR,
  code: [path.join(ROOT_DIR, 'server/src/db/seed.ts')],
}

export interface DemoSnapshot {
  /** the PGlite files to copy */
  pgdata: string
  community: string
  /** rows the seed inserted, per table */
  inserted: Record<string, number>
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true })
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : Promise.resolve(e.isFile() ? [path.join(dir, e.name)] : []))))
  return nested.flat()
}

/**
 * The stamp of a snapshot made now from `inputs`: a SHA-256 over the packages' versions and every
 * input file — its name within its input and its content, so the same files elsewhere stamp alike.
 */
export async function demoSnapshotStamp(inputs: SnapshotInputs = DEFAULT_INPUTS): Promise<string> {
  const versions = ['@electric-sql/pglite', '@electric-sql/pglite-postgis'].map((p) => `${p}@${installedPackage(p).version}`)
  const groups: [string, string][] = [
    ['migrations', inputs.migrationsDir],
    ['seed-queries', inputs.seedQueriesDir],
    ['demo', inputs.demoDir],
  ]
  const files: { name: string; file: string }[] = []
  for (const [group, dir] of groups) for (const file of await filesUnder(dir)) files.push({ name: `${group}/${path.relative(dir, file)}`, file })
  for (const file of inputs.code) if (await fs.access(file).then(() => true, () => false)) files.push({ name: `code/${path.basename(file)}`, file })
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const hash = createHash('sha256').update(`safegrid demo snapshot ${FORMAT}\n${versions.join('\n')}\n`)
  for (const { name, file } of files) {
    const content = await fs.readFile(file)
    hash.update(`${name} ${content.length}\n`).update(content)
  }
  return hash.digest('hex')
}

/**
 * The snapshot in `dir` when it is complete and its stamp is today's; null otherwise (none there,
 * or made from other migrations, seed files or packages).
 */
export async function usableDemoSnapshot(dir: string, inputs: SnapshotInputs = DEFAULT_INPUTS): Promise<DemoSnapshot | null> {
  const meta = await fs.readFile(path.join(dir, 'snapshot.json'), 'utf8').then(
    (t) => JSON.parse(t) as { stamp: string; community: string; inserted: Record<string, number> },
    () => null,
  )
  if (meta === null) return null
  const pgdata = path.join(dir, 'pgdata')
  if (!(await fs.access(path.join(pgdata, 'PG_VERSION')).then(() => true, () => false))) return null
  if (meta.stamp !== (await demoSnapshotStamp(inputs))) return null
  return { pgdata, community: meta.community, inserted: meta.inserted }
}

/**
 * Makes the snapshot in `dir` (replacing one there): a new embedded database, migrated and seeded
 * without users, closed. Built beside `dir` and renamed into place, so a build killed part way or
 * a server starting meanwhile never sees half a snapshot.
 */
export async function makeDemoSnapshot(dir: string, inputs: SnapshotInputs = DEFAULT_INPUTS): Promise<DemoSnapshot & { seconds: number }> {
  const t0 = performance.now()
  const stamp = await demoSnapshotStamp(inputs)
  const work = `${dir}.partial-${process.pid}`
  await fs.rm(work, { recursive: true, force: true })
  await fs.mkdir(work, { recursive: true })
  try {
    const db = embeddedDatabase(await startEmbedded(path.join(work, 'pgdata')))
    let seeded
    try {
      await migrate(db.sql, inputs.migrationsDir)
      // nothing else (no vacuum, no analyze): a copy is the database a seed from scratch makes
      seeded = await seedDemo(db.sql, inputs.demoDir, { users: false })
    } finally {
      await db.close()
    }
    await fs.writeFile(path.join(work, 'snapshot.json'), JSON.stringify({ stamp, community: seeded.community, inserted: seeded.inserted }, null, 2) + '\n')
    const old = `${dir}.old-${process.pid}`
    await fs.rename(dir, old).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e
    })
    await fs.rename(work, dir).catch(async (e: NodeJS.ErrnoException) => {
      // another process put its snapshot there meanwhile: made from the same inputs, it serves as well
      if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e
      await fs.rm(work, { recursive: true, force: true })
    })
    await fs.rm(old, { recursive: true, force: true })
    return { pgdata: path.join(dir, 'pgdata'), community: seeded.community, inserted: seeded.inserted, seconds: (performance.now() - t0) / 1000 }
  } catch (e) {
    await fs.rm(work, { recursive: true, force: true })
    throw e
  }
}

/**
 * The current snapshot in `dir`, made first when there is none or it is out of date (the first
 * start after a change to a migration or the demo takes as long as seeding from scratch, later new
 * databases are copies); null when it cannot be made (a read-only checkout: the caller seeds from
 * scratch).
 */
export async function currentDemoSnapshot(dir: string, inputs: SnapshotInputs = DEFAULT_INPUTS): Promise<DemoSnapshot | null> {
  const usable = await usableDemoSnapshot(dir, inputs)
  if (usable) return usable
  log.info('making the demo snapshot (the demo migrated and seeded, which new databases are copied from)', { dir })
  try {
    const made = await makeDemoSnapshot(dir, inputs)
    log.info('demo snapshot made', { dir, seconds: Number(made.seconds.toFixed(1)) })
    return await usableDemoSnapshot(dir, inputs)
  } catch (e) {
    log.warn('could not make the demo snapshot: seeding the demo from scratch', { dir, error: e instanceof Error ? e.message : String(e) })
    return null
  }
}
