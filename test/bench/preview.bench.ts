/**
 * Preview of one route change (issue 11) on the synthetic city of 100,000 buildings (patrol-city.ts),
 * server mode: `POST /plans/preview` — a night shift added to one route, for the window 22–02 —
 * against the same work run directly (analysis/preview.ts, previewDraft: the draft applied and the
 * figures before and after computed in a transaction that is rolled back — the same SQL without
 * HTTP and the answer's JSON). Target (issue 11): under 300 ms.
 *
 * Before/after: with BENCH_BASELINE=/path/to/another/checkout (with node_modules, e.g. an unpacked
 * `git archive` of an earlier commit), that checkout's API and its SQL (the analyses its route ran
 * on both sides) are timed in the same alternation on the same database, so the ratios come from one
 * run; both APIs' answers are compared once (figures to 1e-12, features as sets).
 *
 * The preview answers figures and differences; today's figures are kept between previews
 * (PreviewCache) while the rows they come from do not change, so the timed previews after the first
 * use them, as a planner's series of previews of one draft does. Also timed: the SQL of a preview
 * without that cache (`coldSqlMs`: the first preview after a change is saved) and the API with
 * `features=true` (the draft's answers whole, to draw).
 *
 * Also: the CPU time of one preview in the database backend and in this process, which the load
 * of a shared machine distorts less than the wall time.
 *
 * Run: npm run bench preview    (BENCH_RUNS=n for more rounds; default 5, 3 with a baseline)
 */
import fs from 'node:fs'
import path from 'node:path'
import { captainCoverage, patrolCoverage } from '../../server/src/analysis/coverage.js'
import { analyseGaps } from '../../server/src/analysis/gaps.js'
import { previewDraft, PreviewCache } from '../../server/src/analysis/preview.js'
import { createApp } from '../../server/src/app.js'
import { DEFAULTS, parseHours, type Change, type IncidentFilter } from '../../server/src/contract.js'
import { ANALYSIS_CONNECTIONS, connectUrl, type Sql } from '../../server/src/db/connect.js'
import { applyChange } from '../../server/src/db/plans.js'
import { adminClient } from '../support/clients.js'
import { patrolCity } from './patrol-city.js'
import { report, serverDatabase, timeAlternating } from './support.js'

class Rollback extends Error {}

/** The modules of a baseline checkout the old preview ran. */
interface Baseline {
  createApp: typeof createApp
  patrolCoverage: typeof patrolCoverage
  analyseGaps: typeof analyseGaps
  captainCoverage: typeof captainCoverage
  applyChange: typeof applyChange
  /** the baseline's own preview, when it has one */
  previewDraft?: typeof previewDraft
}
const baselineDir = process.env.BENCH_BASELINE
const baseline: Baseline | null = baselineDir
  ? {
      ...((await import(path.resolve(baselineDir, 'server/src/app.ts'))) as Pick<Baseline, 'createApp'>),
      ...((await import(path.resolve(baselineDir, 'server/src/analysis/coverage.ts'))) as Pick<Baseline, 'patrolCoverage' | 'captainCoverage'>),
      ...((await import(path.resolve(baselineDir, 'server/src/analysis/gaps.ts'))) as Pick<Baseline, 'analyseGaps'>),
      ...((await import(path.resolve(baselineDir, 'server/src/db/plans.ts'))) as Pick<Baseline, 'applyChange'>),
      ...(fs.existsSync(path.resolve(baselineDir, 'server/src/analysis/preview.ts'))
        ? ((await import(path.resolve(baselineDir, 'server/src/analysis/preview.ts'))) as Pick<Baseline, 'previewDraft'>)
        : {}),
    }
  : null
const runs = Number(process.env.BENCH_RUNS ?? (baseline ? 3 : 5))

/** Runs `fn` in a transaction of `sql` that is rolled back. */
async function rolledBack(sql: Sql, fn: (tx: Sql) => Promise<unknown>): Promise<void> {
  await sql
    .begin(async (raw) => {
      await fn(raw as unknown as Sql)
      throw new Rollback()
    })
    .catch((e: unknown) => {
      if (!(e instanceof Rollback)) throw e
    })
}

/** Differences between two answers (paths), numbers equal to 1e-12 relative, `features` compared as sets. */
function compare(a: unknown, b: unknown, at = '', out: string[] = []): string[] {
  if (out.length > 20) return out
  if (typeof a === 'number' && typeof b === 'number') {
    if (Math.abs(a - b) > 1e-12 * Math.max(1, Math.abs(a))) out.push(`${at}: ${a} vs ${b}`)
  } else if (Array.isArray(a) && Array.isArray(b)) {
    if (at.endsWith('.features')) {
      const set = (x: unknown[]) => x.map((f) => JSON.stringify(f)).sort()
      const [x, y] = [set(a), set(b)]
      if (x.length !== y.length || x.some((f, i) => f !== y[i])) out.push(`${at}: ${x.length} vs ${y.length} features, or others`)
    } else if (a.length !== b.length) out.push(`${at}: ${a.length} vs ${b.length} items`)
    else a.forEach((x, i) => compare(x, b[i], `${at}[${i}]`, out))
  } else if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) compare((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`, out)
  } else if (a !== b) out.push(`${at}: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`)
  return out
}

const db = await serverDatabase('preview')
try {
  const t0 = performance.now()
  await patrolCity(db.sql, 'city')
  report('server: load synthetic city', { seconds: (performance.now() - t0) / 1000 })
  // a day route: the draft adds a 22:00–02:00 shift every night
  const [route] = await db.sql<{ id: number; version: number }[]>`
    select r.id, r.version from patrol_routes as r where r.community_id = 'city' and r.source_id = '1'`
  const change: Change = {
    entity: 'route',
    id: Number(route!.id),
    version: route!.version,
    set: { shifts: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '08:00', end: '16:00' }, { days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '02:00' }] },
  }
  const filter: IncidentFilter = { from: null, to: null, categories: null, hours: parseHours('22-02'), weekdays: null }
  const who = { userId: null, username: 'bench', ip: null }
  const run = { mode: 'server' as const, timeoutMs: 0 }
  // as server.ts opens them: analyses on a pool of their own
  const analysisSql = connectUrl(db.url, ANALYSIS_CONNECTIONS)
  const apiOf = async (make: typeof createApp, query = '') => {
    const app = await adminClient(make({ sql: db.sql, analysisSql, mode: 'server' }), db.sql)
    return async () => {
      const res = await app.request(`/api/communities/city/plans/preview?hours=22-02${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ changes: [change] }),
      })
      const text = await res.text()
      if (res.status !== 200) throw new Error(text)
      return text
    }
  }
  const api = await apiOf(createApp)
  const cache = new PreviewCache()
  const fns: Record<string, () => Promise<unknown>> = {
    api,
    // as the API runs it: today's figures kept between previews; what the draft cannot change computed meanwhile on other connections of the pool
    sql: () => rolledBack(db.sql, (tx) => previewDraft(tx, 'city', [change], filter, null, run, who, analysisSql, { cache })),
    coldSql: () => rolledBack(db.sql, (tx) => previewDraft(tx, 'city', [change], filter, null, run, who, analysisSql)),
    featuresApi: await apiOf(createApp, '&features=true'),
  }
  if (baseline) {
    const b = baseline
    // what the old route ran: both sides of what a route change can move (patrol coverage and its
    // gaps), captain coverage and buildings without a captain once
    const gapsOf = (tx: Sql, network: 'patrol' | 'captain') => b.analyseGaps(tx, 'city', { network, cell: DEFAULTS.gaps.cell, fdr: DEFAULTS.gaps.fdr, filter }, run)
    const figures = async (tx: Sql, side: 'before' | 'after') => {
      await b.patrolCoverage(tx, 'city', filter, null, run)
      await gapsOf(tx, 'patrol')
      if (side === 'after') return
      await b.captainCoverage(tx, 'city', DEFAULTS.coverage.maxBuildings, filter, null, run)
      await gapsOf(tx, 'captain')
    }
    const baseApi = await apiOf(b.createApp)
    type Answer = { changes: unknown; differences: Record<string, unknown>; before: unknown; after: Record<string, { meta?: unknown }> }
    const [now, then] = [JSON.parse(await api()) as Answer, JSON.parse(await baseApi()) as Answer]
    // the baseline answered the draft's side whole (its features): its figures against ours; it had no buildings list
    const figuresOf = (a: Answer) => ({ ...a, differences: { ...a.differences, buildings: undefined }, after: Object.fromEntries(Object.entries(a.after).map(([k, v]) => [k, v.meta ?? v])) })
    const differ = compare(figuresOf(then), figuresOf(now)).filter((d) => !/^\.changes\[0\]\.row\.shifts\[\d\]\.id:/.test(d))
    console.log(`answers, baseline vs now (figures and differences, beyond new shift ids): ${differ.length === 0 ? 'the same' : `\n  ${differ.join('\n  ')}`}`)
    const drawn = JSON.parse((await fns.featuresApi!()) as string) as Answer
    const [old, ours] = [(then.after.gaps as { features: unknown[] }).features, (drawn.after.gaps as { features: unknown[] }).features]
    console.log(`the draft's gaps with features=true, baseline vs now: ${compare({ features: old }, { features: ours }, '').length === 0 ? `the same ${ours.length} features` : 'differ'}`)
    Object.assign(fns, {
      baseApi,
      // its SQL: its own previewDraft where it has one (as its API ran it, with the analysis pool), else the analyses its route ran
      baseSql: b.previewDraft
        ? () => rolledBack(db.sql, (tx) => b.previewDraft!(tx, 'city', [change], filter, null, run, who, analysisSql))
        : () =>
            rolledBack(db.sql, async (tx) => {
              await figures(tx, 'before')
              await b.applyChange(tx, 'city', change, who, DEFAULTS.coverage.maxBuildings)
              await figures(tx, 'after')
            }),
    })
  }
  const t = await timeAlternating(fns, { runs, warmup: 1 })
  const figures: Record<string, number> = { apiMs: t.api!.median, sqlMs: t.sql!.median, ratio: t.api!.median / t.sql!.median, coldSqlMs: t.coldSql!.median, featuresApiMs: t.featuresApi!.median }
  if (t.baseApi && t.baseSql) Object.assign(figures, { beforeApiMs: t.baseApi.median, beforeSqlMs: t.baseSql.median, beforeRatio: t.baseApi.median / t.baseSql.median, apiSpeedup: t.baseApi.median / t.api!.median })
  report('server: preview of one route change, API vs SQL', { ...figures, targetMs: 300 })

  // CPU time of one preview: the database backend's (one connection, /proc: nothing computed aside) and this process's
  const one = connectUrl(db.url, 1)
  try {
    const [backend] = await one<{ pid: number }[]>`select pg_backend_pid() as pid`
    const backendCpuMs = () => {
      const f = fs.readFileSync(`/proc/${backend!.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      return ((Number(f[11]) + Number(f[12])) * 1000) / 100
    }
    const oneApi = await apiOf(((o: Parameters<typeof createApp>[0]) => createApp({ ...o, sql: one, analysisSql: one })) as typeof createApp)
    const cpu = async (fn: () => Promise<unknown>) => {
      await fn()
      const [db0, node0] = [backendCpuMs(), process.cpuUsage()]
      await fn()
      const node = process.cpuUsage(node0)
      return { dbCpuMs: backendCpuMs() - db0, nodeCpuMs: (node.user + node.system) / 1000 }
    }
    const oneCache = new PreviewCache()
    const s = await cpu(() => rolledBack(one, (tx) => previewDraft(tx, 'city', [change], filter, null, run, who, null, { cache: oneCache })))
    const cold = await cpu(() => rolledBack(one, (tx) => previewDraft(tx, 'city', [change], filter, null, run, who)))
    const a = await cpu(oneApi)
    report('server: CPU of one preview (SQL / API; SQL without the cache of today)', {
      sqlDbCpuMs: s.dbCpuMs,
      sqlNodeCpuMs: s.nodeCpuMs,
      apiDbCpuMs: a.dbCpuMs,
      apiNodeCpuMs: a.nodeCpuMs,
      coldSqlDbCpuMs: cold.dbCpuMs,
      coldSqlNodeCpuMs: cold.nodeCpuMs,
    })
  } finally {
    await one.end()
  }

  // its parts, once each: where the time goes
  const parts = await timeAlternating(
    {
      coverage: () => patrolCoverage(db.sql, 'city', filter, null, run),
      gaps: () => analyseGaps(db.sql, 'city', { network: 'all', cell: DEFAULTS.gaps.cell, fdr: DEFAULTS.gaps.fdr, filter }, run),
      captains: () => captainCoverage(db.sql, 'city', DEFAULTS.coverage.maxBuildings, filter, null, run),
    },
    { runs: 3, warmup: 1 },
  )
  report('server: one side of it, whole (22-02)', { coverageMs: parts.coverage.median, gapsMs: parts.gaps.median, captainsMs: parts.captains.median })
  await analysisSql.end()
} finally {
  await db.close()
}
