/**
 * The meeting pack (issue 13): a period's figures per zone and overall, compared honestly with the
 * period before it (or the same dates a year earlier), and the scorecard against the community's
 * targets. Definitions (README, "The meeting pack"):
 *
 * - the other period: `previous` = the same number of days just before; `year` = the same dates a
 *   year earlier (29 February → 28 February). It is `available` only when the community's incidents
 *   reach back to its first day and it holds at least one (unless this period holds none either: a
 *   whole community without an incident between periods with incidents is a gap in the data);
 *   otherwise no change is stated (verdict `unknown`);
 * - incidents per zone and category with the exact test of two Poisson counts (analysis/poisson.ts):
 *   "up"/"down" only when p < 0.05, counts always given;
 * - hot spots: Gi* on 100 m square cells in each period, hot at 95 %+ (bin ≥ 2): new (hot now, not
 *   before), persistent (both), gone (before, not now) — only when both periods have enough data;
 * - patrol coverage (the plan) in each time window, captain coverage, priority gaps of the period
 *   (analysis/gaps.ts), planned vs logged patrols (db/patrols.ts), dispute figures
 *   (analysis/disputes.ts), key problems open and overdue at the period's end;
 * - the scorecard: each indicator's value, the target of the year of the period's end, a status
 *   (green: met; amber: missed by no more than the indicator's margin; red; none: no value or no
 *   target) and its monthly values over the 12 months ending with the period's last month.
 *
 * The other period as filed (issue 13, "Snapshots"): when a briefing was filed for exactly the other
 * period and these windows (db/briefings.ts), the other period's figures are the latest such
 * briefing's — its incident counts per zone and category, its hot cells and their counts (the
 * Gi* cells of its period, stored with it) — so a meeting compares with what was actually reported,
 * even when the data were corrected later (`against: 'data'` ignores filings). A zone the filed pack
 * did not have is not compared (verdict `unknown`).
 *
 * Only aggregates leave here: counts, rates, 100 m cell centres, zone codes and street names.
 */
import {
  DEFAULTS,
  HOT_ALPHA,
  INDICATOR_RULES,
  INDICATORS,
  MEETING_DEFAULTS,
  MEETING_LIMITS,
  MEETING_WINDOWS,
  MIN_INCIDENTS,
  formatHours,
  type CountChangeAnswer,
  type DisputeFigures,
  type HoursWindow,
  type Indicator,
  type IndicatorStatus,
  type InsufficientReason,
  type Lang,
  type MeetingAgainst,
  type MeetingCompare,
  type MeetingPack,
  type MeetingWindow,
  type MeetingZone,
  type PatrolSummary,
  type ScorecardLine,
} from '../contract.js'
import type { RunOptions } from '../db/analysis.js'
import type { Sql } from '../db/connect.js'
import { cellPatrols } from '../db/gaps.js'
import { runGrid, testedQuery } from '../db/hotspots.js'
import { latestFiled, type FiledGrid } from '../db/briefings.js'
import { dataStart, incidentCounts, openProblems, readTargets } from '../db/meeting.js'
import { patrolSummary } from '../db/patrols.js'
import { inAnalysis } from '../db/analysis.js'
import { ApiError } from '../errors.js'
import { captainCoverage, patrolCoverage } from './coverage.js'
import { disputeFigures } from './disputes.js'
import { priorityGaps } from './gaps.js'
import { boundedGrid } from './hotspots.js'
import { compareCounts } from './poisson.js'

/** What a pack is asked for. */
export interface MeetingParams {
  from: string
  to: string
  compare: MeetingCompare
  windows: Record<MeetingWindow, HoursWindow>
  lang: Lang | null
  /** the other period's figures: from the latest briefing filed for it (default), or from the data as they are now */
  against?: MeetingAgainst
}

// ---------------------------------------------------------------------------------------------
// Dates (pure)

const DAY = 86_400_000
const toDate = (s: string) => Date.parse(`${s}T00:00:00Z`)
const fromDate = (t: number) => new Date(t).toISOString().slice(0, 10)
/** Days from `from` to `to`, both included. */
export const daysOf = (from: string, to: string) => Math.round((toDate(to) - toDate(from)) / DAY) + 1
/** `d` a year earlier; 29 February becomes 28 February. */
export function yearEarlier(d: string): string {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number]
  const last = new Date(Date.UTC(y - 1, m, 0)).getUTCDate()
  return `${String(y - 1).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`
}
/** The period a pack compares with. */
export function otherPeriod(from: string, to: string, compare: MeetingCompare): { from: string; to: string } {
  if (compare === 'year') return { from: yearEarlier(from), to: yearEarlier(to) }
  const days = daysOf(from, to)
  return { from: fromDate(toDate(from) - days * DAY), to: fromDate(toDate(from) - DAY) }
}
/** The 12 months ending with the month of `to`: [first day, last day], oldest first. */
export function lastTwelveMonths(to: string): { month: string; from: string; to: string }[] {
  const [y, m] = to.split('-').map(Number) as [number, number]
  return Array.from({ length: 12 }, (_, k) => {
    const start = new Date(Date.UTC(y, m - 12 + k, 1))
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0))
    return { month: fromDate(start.getTime()).slice(0, 7), from: fromDate(start.getTime()), to: fromDate(end.getTime()) }
  })
}

// ---------------------------------------------------------------------------------------------
// The scorecard's colours (pure)

/**
 * green: the target is met (value ≥ target for "at least" indicators, ≤ for "at most"); amber: it is
 * missed by no more than the indicator's margin (percentage points or a count); red: missed by more;
 * none: no value (a rate over nothing) or no target.
 */
export function statusOf(indicator: Indicator, value: number | null, target: number | null): IndicatorStatus {
  if (value === null || target === null) return 'none'
  const { direction, margin } = INDICATOR_RULES[indicator]
  const miss = direction === 'atLeast' ? target - value : value - target
  // percentages are compared as computed; a miss within 1e-9 is floating-point noise, not a miss
  if (miss <= 1e-9) return 'green'
  return miss <= margin + 1e-9 ? 'amber' : 'red'
}

// ---------------------------------------------------------------------------------------------

const UNKNOWN = (count: number): CountChangeAnswer => ({ count, previous: null, rateRatio: null, p: null, verdict: 'unknown' })

/** A change, or `unknown` when the other period is not covered by the data. */
function change(count: number, previous: number, days: number, otherDays: number, available: boolean): CountChangeAnswer {
  return available ? compareCounts(count, previous, days, otherDays) : UNKNOWN(count)
}

const hotKey = (i: number, j: number) => `${i}_${j}`

interface HotPeriod {
  incidents: number
  hot: Map<string, { i: number; j: number; count: number }>
  counts: Map<string, number>
  insufficient: boolean
  insufficientReason: InsufficientReason | null
}

/** Gi* cells of one period (the pack's defaults), and which are hot at 95 %+. */
async function hotCells(sql: Sql, community: string, from: string, to: string, run: RunOptions): Promise<HotPeriod> {
  const filter = { from, to, categories: null, hours: null, weekdays: null }
  const grid = await runGrid(sql, testedQuery(sql, { community, filter, cell: MEETING_DEFAULTS.cell, shape: 'square', band: null }, false), run)
  const reason: InsufficientReason | null = grid.incidents < MIN_INCIDENTS ? 'too_few_incidents' : grid.rows.every((r) => r.z === null) ? 'no_variance' : null
  const hot = new Map<string, { i: number; j: number; count: number }>()
  const counts = new Map<string, number>()
  for (const r of grid.rows) {
    counts.set(hotKey(r.i, r.j), r.count)
    if (reason === null && (r.bin ?? 0) >= 2) hot.set(hotKey(r.i, r.j), { i: r.i, j: r.j, count: r.count })
  }
  return { incidents: grid.incidents, hot, counts, insufficient: reason !== null, insufficientReason: reason }
}

/** A period's cells as a briefing files them: every cell with incidents or hot. */
function gridOf(p: HotPeriod): FiledGrid {
  const cells: FiledGrid['cells'] = []
  for (const [k, count] of p.counts) {
    const hot = p.hot.has(k)
    if (count > 0 || hot) {
      const [i, j] = k.split('_').map(Number) as [number, number]
      cells.push([i, j, count, hot ? 1 : 0])
    }
  }
  cells.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  return { incidents: p.incidents, insufficient: p.insufficient, insufficientReason: p.insufficientReason, cells }
}

/** The period of a filed briefing's cells. */
function periodOf(g: FiledGrid): HotPeriod {
  const hot = new Map<string, { i: number; j: number; count: number }>()
  const counts = new Map<string, number>()
  for (const [i, j, count, isHot] of g.cells) {
    counts.set(hotKey(i, j), count)
    if (isHot) hot.set(hotKey(i, j), { i, j, count })
  }
  return { incidents: g.incidents, hot, counts, insufficient: g.insufficient, insufficientReason: g.insufficientReason }
}

const patrolCounts = (r: PatrolSummary['total']) => ({ planned: r.planned, plannedDone: r.plannedDone, plannedMissed: r.plannedMissed, logged: r.logged, unplanned: r.unplanned })

/** The pack. 404 when the community does not exist. */
export async function meetingPack(sql: Sql, analysisSql: Sql, community: string, q: MeetingParams, run: RunOptions): Promise<MeetingPack> {
  return (await meetingPackAndGrid(sql, analysisSql, community, q, run)).pack
}

/** The pack, and the Gi* cells of its period as a filed briefing keeps them. */
export async function meetingPackAndGrid(sql: Sql, analysisSql: Sql, community: string, q: MeetingParams, run: RunOptions): Promise<{ pack: MeetingPack; grid: FiledGrid }> {
  const first = await dataStart(sql, community)
  if (first === undefined) throw new ApiError('community_not_found', `community "${community}" does not exist`, { id: community })
  const other = otherPeriod(q.from, q.to, q.compare)
  const days = daysOf(q.from, q.to)
  const otherDays = daysOf(other.from, other.to)
  const lang = q.lang

  // incidents per zone and category, both periods
  const counts = await incidentCounts(sql, community, { from: q.from, to: q.to, otherFrom: other.from, otherTo: other.to })
  // the other period as filed: the latest briefing of exactly that period and these windows
  const windows = Object.fromEntries(MEETING_WINDOWS.map((w) => [w, formatHours(q.windows[w])]))
  const filed = (q.against ?? 'filed') === 'filed' ? await latestFiled(sql, community, other.from, other.to, windows) : null
  // the data reach back: incidents start by the other period's first day, and it holds some unless this period holds none either
  // (a whole community without a single incident in a period between periods with incidents is a gap in the data, not a zero);
  // as filed: the data of that day reached back (its dataFrom) and its count
  const otherTotal = filed ? filed.pack.overall.incidents.total.count : counts.reduce((a, r) => a + r.previous, 0)
  const thisTotal = counts.reduce((a, r) => a + r.count, 0)
  const reachedFrom = filed ? filed.pack.compare.dataFrom : first
  const available = reachedFrom !== null && reachedFrom <= other.from && (otherTotal > 0 || thisTotal === 0)

  // hot spots in each period
  await boundedGrid(analysisSql, { community, cell: MEETING_DEFAULTS.cell, shape: 'square' }, run)
  const now = await hotCells(analysisSql, community, q.from, q.to, run)
  const before = filed ? periodOf(filed.grid) : await hotCells(analysisSql, community, other.from, other.to, run)
  const comparable = !now.insufficient && !before.insufficient && available
  const statuses = new Map<string, 'new' | 'persistent' | 'gone'>()
  if (comparable) {
    for (const k of now.hot.keys()) statuses.set(k, before.hot.has(k) ? 'persistent' : 'new')
    for (const k of before.hot.keys()) if (!now.hot.has(k)) statuses.set(k, 'gone')
  }
  const statusCells = [...statuses.keys()].map((k) => {
    const [i, j] = k.split('_').map(Number) as [number, number]
    return { i, j }
  })
  const placed = statusCells.length === 0 ? [] : await inAnalysis(analysisSql, run, (tx) => cellPatrols(tx, community, statusCells, MEETING_DEFAULTS.cell, { from: q.from, to: q.to, categories: null, hours: null, weekdays: null }))
  const cells = placed.map((p) => {
    const k = hotKey(p.i, p.j)
    return { i: p.i, j: p.j, status: statuses.get(k)!, count: now.counts.get(k) ?? 0, previous: before.counts.get(k) ?? 0, zoneId: p.zoneId === null ? null : Number(p.zoneId), zoneCode: p.zoneCode, street: p.street, center: p.center }
  })
  const order = { new: 0, persistent: 1, gone: 2 } as const
  cells.sort((a, b) => order[a.status] - order[b.status] || b.count - a.count || b.previous - a.previous || a.i - b.i || a.j - b.j)

  // coverage by window (the plan) and captains
  const period = { from: q.from, to: q.to, categories: null, weekdays: null }
  const coverage = {} as Record<MeetingWindow, Awaited<ReturnType<typeof patrolCoverage>>['meta']>
  for (const w of MEETING_WINDOWS) coverage[w] = (await patrolCoverage(analysisSql, community, { ...period, hours: q.windows[w] }, lang, run)).meta
  const captains = (await captainCoverage(analysisSql, community, DEFAULTS.coverage.maxBuildings, { ...period, hours: null }, lang, run)).meta

  // priority gaps of the period, all hours
  const gaps = await priorityGaps(analysisSql, community, { network: 'patrol', cell: DEFAULTS.gaps.cell, fdr: DEFAULTS.gaps.fdr, filter: { ...period, hours: null } }, run)
  const priority = gaps.features.map((f) => (JSON.parse(f) as { properties: { rank: number; zoneId: number | null; zoneCode: string | null; street: string | null; center: [number, number]; incidents: number; uncoveredIncidents: number; reason: string; reasonZh: string } }).properties)

  // patrols, disputes, problems
  const patrols = await patrolSummary(sql, community, q.from, q.to, { weekdays: null, hours: null }, lang)
  const disputes = await disputeFigures(sql, community, { from: q.from, to: q.to }, lang)
  const problems = await openProblems(sql, community, q.to, lang)

  /** A line's other-period counts per category: summed from the data, or as filed (null: a zone the filed pack did not have). */
  const previousOf = (zoneId: number | null, isOverall: boolean): Map<string, number> | null => {
    if (filed) {
      const line = isOverall ? filed.pack.overall : filed.pack.zones.find((z) => z.zoneId === zoneId)
      // the unzoned line is left out of a pack when it holds nothing
      if (!line) return zoneId === null ? new Map() : null
      return new Map(Object.entries(line.incidents.byCategory).map(([cat, c]) => [cat, c.count]))
    }
    const m = new Map<string, number>()
    for (const r of counts) if (isOverall || r.zoneId === zoneId) m.set(r.category, (m.get(r.category) ?? 0) + r.previous)
    return m
  }

  // lines per zone
  const zoneLine = (zoneId: number | null, zoneCode: string | null, zoneName: string | null, figures: DisputeFigures, isOverall: boolean): MeetingZone => {
    const current = new Map<string, number>()
    for (const r of counts) if (isOverall || r.zoneId === zoneId) current.set(r.category, (current.get(r.category) ?? 0) + r.count)
    const prev = previousOf(zoneId, isOverall)
    const lineAvailable = available && prev !== null
    const byCat = new Map<string, { count: number; previous: number }>()
    for (const cat of new Set([...current.keys(), ...(prev?.keys() ?? [])])) {
      const x = { count: current.get(cat) ?? 0, previous: prev?.get(cat) ?? 0 }
      if (x.count > 0 || x.previous > 0) byCat.set(cat, x)
    }
    const total = [...byCat.values()].reduce((a, x) => ({ count: a.count + x.count, previous: a.previous + x.previous }), { count: 0, previous: 0 })
    const zoneCells = cells.filter((c) => isOverall || (zoneId !== null && c.zoneId === zoneId))
    const zone = zoneId === null ? null : coverage.day.zones.find((z) => z.id === zoneId)
    const captainZone = zoneId === null ? null : captains.zones.find((z) => z.id === zoneId)
    const patrolZone = zoneId === null ? null : patrols.zones.find((z) => z.id === zoneId)
    const windowsOf = (pick: (m: (typeof coverage)['day']) => { areaCoveredPct: number; buildingsCoveredPct: number; householdsCoveredPct: number } | undefined) =>
      Object.fromEntries(
        MEETING_WINDOWS.map((w) => {
          const z = pick(coverage[w])
          return [w, { areaCoveredPct: z?.areaCoveredPct ?? 0, buildingsCoveredPct: z?.buildingsCoveredPct ?? 0, householdsCoveredPct: z?.householdsCoveredPct ?? 0 }]
        }),
      )
    return {
      zoneId,
      zoneCode,
      zoneName,
      incidents: {
        total: change(total.count, total.previous, days, otherDays, lineAvailable),
        byCategory: Object.fromEntries([...byCat.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([cat, x]) => [cat, change(x.count, x.previous, days, otherDays, lineAvailable)])),
      },
      hotspots: { new: zoneCells.filter((c) => c.status === 'new').length, persistent: zoneCells.filter((c) => c.status === 'persistent').length, gone: zoneCells.filter((c) => c.status === 'gone').length },
      coverage: isOverall
        ? {
            windows: windowsOf((m) => m),
            captainedBuildingsPct: captains.buildingsCoveredPct,
            captainedHouseholdsPct: captains.householdsCoveredPct,
            buildings: captains.buildings,
            buildingsCaptained: captains.buildingsCovered,
          }
        : zone && captainZone
          ? {
              windows: windowsOf((m) => m.zones.find((z) => z.id === zoneId)),
              captainedBuildingsPct: captainZone.buildingsCoveredPct,
              captainedHouseholdsPct: captainZone.householdsCoveredPct,
              buildings: captainZone.buildings,
              buildingsCaptained: captainZone.buildingsCovered,
            }
          : null,
      priorityGaps: priority.filter((g) => isOverall || (zoneId !== null && g.zoneId === zoneId)).length,
      patrols: isOverall ? patrolCounts(patrols.total) : patrolZone ? patrolCounts(patrolZone) : null,
      disputes: figures,
      problems: {
        open: problems.filter((p) => isOverall || p.zoneId === zoneId).length,
        overdue: problems.filter((p) => (isOverall || p.zoneId === zoneId) && p.overdue).length,
      },
    }
  }
  const { zoneId: _a, zoneCode: _b, zoneName: _c, ...noZone } = { zoneId: null, zoneCode: null, zoneName: null, ...disputes.unzoned }
  const zones = disputes.zones
    .map((z) => {
      const { zoneId, zoneCode, zoneName, ...figures } = z
      return zoneLine(zoneId, zoneCode, zoneName, figures, false)
    })
    .sort((a, b) => (a.zoneCode ?? '').localeCompare(b.zoneCode ?? ''))
  const unzoned = zoneLine(null, null, null, noZone, false)
  const hasUnzoned = unzoned.incidents.total.count > 0 || (unzoned.incidents.total.previous ?? 0) > 0 || unzoned.disputes.screened > 0 || unzoned.disputes.escalations > 0 || unzoned.disputes.petitions > 0 || unzoned.problems.open > 0
  const overall = zoneLine(null, null, null, disputes.overall, true)

  const scorecard = await scorecardOf(sql, community, q, overall, zones, run)
  const targets = await readTargets(sql, community, Number(q.to.slice(0, 4)))
  const pack: MeetingPack = {
    community,
    period: { from: q.from, to: q.to, days },
    compare: { kind: q.compare, from: other.from, to: other.to, days: otherDays, available, dataFrom: first, filed: filed?.ref ?? null },
    windows,
    overall,
    zones: hasUnzoned ? [...zones, unzoned] : zones,
    hotspots: {
      cell: MEETING_DEFAULTS.cell,
      alpha: HOT_ALPHA,
      current: { incidents: now.incidents, hotCells: now.hot.size, insufficient: now.insufficient, insufficientReason: now.insufficientReason },
      previous: { incidents: before.incidents, hotCells: before.hot.size, insufficient: before.insufficient, insufficientReason: before.insufficientReason },
      cells: cells.map(({ zoneId: _, ...c }) => c),
    },
    priorityGaps: priority.map((g) => ({ rank: g.rank, zoneCode: g.zoneCode, street: g.street, center: g.center, incidents: g.incidents, uncoveredIncidents: g.uncoveredIncidents, reason: g.reason, reasonZh: g.reasonZh })),
    problems: {
      asOf: q.to,
      open: problems.length,
      overdue: problems.filter((p) => p.overdue).length,
      overdueList: problems
        .filter((p) => p.overdue)
        .slice(0, MEETING_LIMITS.problemsListed)
        .map((p) => ({ id: p.id, title: p.title, zoneCode: p.zoneCode, deadline: p.deadline })),
    },
    targets: { year: targets.year, stage: targets.stage, isSample: targets.isSample },
    scorecard,
  }
  return { pack, grid: gridOf(now) }
}

const rateValue = (r: { numerator: number; denominator: number; rate: number | null }) => ({ value: r.rate === null ? null : 100 * r.rate, numerator: r.numerator, denominator: r.denominator })

/** The indicators of a period, their targets, colours and 12-month trends. */
async function scorecardOf(sql: Sql, community: string, q: MeetingParams, overall: MeetingZone, zones: MeetingZone[], _run: RunOptions): Promise<ScorecardLine[]> {
  const year = Number(q.to.slice(0, 4))
  const { targets } = await readTargets(sql, community, year)
  const d = overall.disputes
  const nights = zones.filter((z) => z.coverage !== null).map((z) => z.coverage!.windows.night!.areaCoveredPct)
  const planned = overall.patrols!.planned
  const values: Record<Indicator, { value: number | null; numerator: number | null; denominator: number | null }> = {
    mediation_rate: rateValue(d.mediationRate),
    success_rate: rateValue(d.successRate),
    resolved_in_community: rateValue(d.resolvedInCommunity),
    escalations: { value: d.escalations, numerator: null, denominator: null },
    petitions: { value: d.petitions, numerator: null, denominator: null },
    night_coverage_min_zone: { value: nights.length === 0 ? null : Math.min(...nights), numerator: null, denominator: null },
    captained_buildings: {
      value: overall.coverage!.buildings === 0 ? null : (100 * overall.coverage!.buildingsCaptained) / overall.coverage!.buildings,
      numerator: overall.coverage!.buildingsCaptained,
      denominator: overall.coverage!.buildings,
    },
    patrols_done: { value: planned === 0 ? null : (100 * overall.patrols!.plannedDone) / planned, numerator: overall.patrols!.plannedDone, denominator: planned },
    overdue_problems: { value: overall.problems.overdue, numerator: null, denominator: null },
  }
  // monthly values: the figures that have a history (disputes, patrols logged against the plan)
  const months = lastTwelveMonths(q.to)
  const trend: Partial<Record<Indicator, { month: string; value: number | null }[]>> = {}
  for (const ind of ['mediation_rate', 'success_rate', 'resolved_in_community', 'escalations', 'petitions', 'patrols_done'] as const) trend[ind] = []
  for (const m of months) {
    const f = (await disputeFigures(sql, community, { from: m.from, to: m.to }, null)).overall
    const p = (await patrolSummary(sql, community, m.from, m.to, { weekdays: null, hours: null }, null)).total
    trend.mediation_rate!.push({ month: m.month, value: rateValue(f.mediationRate).value })
    trend.success_rate!.push({ month: m.month, value: rateValue(f.successRate).value })
    trend.resolved_in_community!.push({ month: m.month, value: rateValue(f.resolvedInCommunity).value })
    trend.escalations!.push({ month: m.month, value: f.escalations })
    trend.petitions!.push({ month: m.month, value: f.petitions })
    trend.patrols_done!.push({ month: m.month, value: p.planned === 0 ? null : (100 * p.plannedDone) / p.planned })
  }
  return INDICATORS.map((indicator) => {
    const rule = INDICATOR_RULES[indicator]
    const target = targets[indicator] ?? null
    const v = values[indicator]
    return {
      indicator,
      label: q.lang === 'en' ? rule.en : rule.zh,
      unit: rule.unit,
      direction: rule.direction,
      ...v,
      target,
      margin: rule.margin,
      status: statusOf(indicator, v.value, target),
      trend: trend[indicator] ?? null,
    }
  })
}
