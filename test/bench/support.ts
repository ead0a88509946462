/** Helpers shared by the benchmarks (npm run bench): timing, databases, reporting. */
import { migrate } from '../../server/src/db/migrate.js'
import { throwawayDatabase, type ThrowawayDatabase } from '../support/modes.js'

/** Median of `runs` timings (ms) of `fn`, after `warmup` untimed runs. */
export async function time(fn: () => Promise<unknown>, { runs = 7, warmup = 2 } = {}): Promise<{ median: number; min: number; max: number }> {
  for (let i = 0; i < warmup; i++) await fn()
  const ts: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await fn()
    ts.push(performance.now() - t0)
  }
  ts.sort((a, b) => a - b)
  return { median: ts[Math.floor(ts.length / 2)]!, min: ts[0]!, max: ts[ts.length - 1]! }
}

/**
 * Medians of several functions timed in alternation (a, b, a, b, …) after `warmup` untimed rounds,
 * so a change in the machine's load during the run weighs on each alike — for ratios such as the
 * API's time over its own SQL's.
 */
export async function timeAlternating<K extends string>(
  fns: Record<K, () => Promise<unknown>>,
  { runs = 7, warmup = 2 } = {},
): Promise<Record<K, { median: number; min: number; max: number }>> {
  const keys = Object.keys(fns) as K[]
  for (let i = 0; i < warmup; i++) for (const k of keys) await fns[k]()
  const ts = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>
  for (let i = 0; i < runs; i++)
    for (const k of keys) {
      const t0 = performance.now()
      await fns[k]()
      ts[k].push(performance.now() - t0)
    }
  return Object.fromEntries(
    keys.map((k) => {
      const sorted = ts[k].sort((a, b) => a - b)
      return [k, { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted[sorted.length - 1]! }]
    }),
  ) as Record<K, { median: number; min: number; max: number }>
}

/** A fresh, migrated server-mode database on the bench cluster; close() drops it. */
export async function serverDatabase(label: string): Promise<ThrowawayDatabase & { url: string }> {
  const admin = process.env.BENCH_ADMIN_URL
  if (!admin) throw new Error('BENCH_ADMIN_URL is not set: run benchmarks with npm run bench')
  const db = await throwawayDatabase('server', { adminUrl: admin, label: `bench_${label}` })
  await migrate(db.sql)
  return { ...db, url: db.url! }
}

/** A fresh, migrated in-memory embedded database. */
export async function embeddedDatabase(): Promise<ThrowawayDatabase> {
  const db = await throwawayDatabase('embedded')
  await migrate(db.sql)
  return db
}

/** Prints one result line: name, figures. */
export function report(name: string, figures: Record<string, string | number>): void {
  const parts = Object.entries(figures).map(([k, v]) => `${k}=${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(2)) : v}`)
  console.log(`${name.padEnd(48)} ${parts.join('  ')}`)
}
