/** Helpers shared by the benchmarks (npm run bench): timing, databases, reporting. */
import type { Sql } from '../../server/src/db/connect.js'
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

/**
 * A synthetic city: a `km` × `km` square of UTM 10N with `n` incidents — 70 % in 40 Gaussian
 * clusters, 30 % uniform — from a fixed seed, over one year with times of day.
 */
export async function syntheticCity(sql: Sql, id: string, km: number, n: number): Promise<void> {
  const x0 = 540000
  const y0 = 4170000
  const size = km * 1000
  await sql`
    insert into communities (id, name, time_zone, metric_srid, boundary)
    values (${id}, ${id}, 'America/Los_Angeles', 32610, ST_Multi(ST_Transform(ST_MakeEnvelope(${x0}, ${y0}, ${x0 + size}, ${y0 + size}, 32610), 4326)))`
  await sql`select setseed(0.42)`
  await sql`
    with centres as (
      select k, ${x0}::float8 + random() * ${size}::float8 as cx, ${y0}::float8 + random() * ${size}::float8 as cy, 50 + random() * 400 as sd
      from generate_series(0, 39) as k
    ),
    pts as (
      select g,
             case when random() < 0.7 then 'cluster' else 'uniform' end as kind,
             random() as u1, random() as u2, (random() * 39)::int as k, random() as ux, random() as uy
      from generate_series(1, ${n}::int) as g
    )
    insert into incidents (community_id, category, occurred_at, time_known, geom, source, source_id)
    select ${id}, (array['THEFT', 'VANDALISM', 'ROBBERY', 'DRUGS'])[1 + g % 4],
           timestamptz '2024-01-01 00:00-08' + (g % 525600) * interval '1 minute', true,
           ST_Transform(ST_SetSRID(ST_Point(
             least(greatest(case when kind = 'cluster' then c.cx + c.sd * sqrt(-2 * ln(greatest(u1, 1e-12))) * cos(2 * pi() * u2) else ${x0}::float8 + ux * ${size}::float8 end, ${x0}::float8), ${x0 + size}::float8 - 0.01),
             least(greatest(case when kind = 'cluster' then c.cy + c.sd * sqrt(-2 * ln(greatest(u1, 1e-12))) * sin(2 * pi() * u2) else ${y0}::float8 + uy * ${size}::float8 end, ${y0}::float8), ${y0 + size}::float8 - 0.01)
           ), 32610), 4326), 'synthetic', g::text
    from pts join centres as c using (k)`
  await sql`analyze incidents`
}
