/**
 * Gaps, as one answer (DESIGN.md, "Analysis"): what the patrol network misses in a window — zone
 * area and buildings outside coverage —, buildings without an active captain, and **priority gaps**:
 * cells of a 95 %+ Gi* hot spot whose incidents happen in hours when no route reaching the cell is
 * in service, ranked by those incidents, each with its zone, nearest street and a plain reason.
 */
import {
  describeFilter,
  HOT_ALPHA,
  MIN_INCIDENTS,
  type GapNetwork,
  type GapProps,
  type GapsMeta,
  type IncidentFilter,
  type PriorityGapProps,
} from '../contract.js'
import { inAnalysis, type RunOptions } from '../db/analysis.js'
import type { Sql } from '../db/connect.js'
import { areaGaps, buildingPatrolGaps, captainlessBuildings, cellPatrols, type AreaGap, type BuildingGaps, type CellPatrol } from '../db/gaps.js'
import { runGrid, testedQuery, type CellRow } from '../db/hotspots.js'
import { feature, type GeoJsonAnswer } from '../geojson.js'
import { coveredHours } from '../rules/shifts.js'
import { describeWindow, windowOf } from './coverage.js'
import { boundedGrid } from './hotspots.js'
import { judgeCell } from './priority.js'

/** What a gaps request asks for. */
export interface GapParams {
  network: GapNetwork
  /** cell size (m) of the hot spot grid of priority gaps, and whether its bins are FDR-corrected */
  cell: number
  fdr: boolean
  filter: IncidentFilter
}

/** Hot cells of `cell`:`i`_`j`, as the grid and cell patrols are keyed. */
export const cellKey = (c: { i: number; j: number }) => `${c.i}_${c.j}`

/**
 * How analyseGaps may reuse work (a plan preview computing a draft's gaps after today's): the hot
 * spot grid (it depends on incidents and zones, not on routes), cells' patrols already looked up,
 * and whether the gaps are wanted as features (`geometry` false: counts and figures alone).
 */
export interface GapOptions {
  grid?: HotGrid
  patrols?: ReadonlyMap<string, CellPatrol>
  geometry?: boolean
}

/** What a gaps answer was made of, for a preview to compare and reuse. */
export interface GapParts {
  /** zone area outside coverage: each piece's zone and area, in the answer's order */
  areas: AreaGap[]
  /** buildings outside patrol coverage, and without a captain: how many, their households */
  buildings: BuildingGaps | null
  captainless: BuildingGaps | null
  priority: PriorityGapProps[]
  grid: HotGrid | null
  patrols: Map<string, CellPatrol>
}

/** The gaps of the patrol network (in the filter's hours and weekdays), of the captain network, or both. */
export async function analyseGaps(sql: Sql, community: string, q: GapParams, run: RunOptions, options: GapOptions = {}): Promise<GeoJsonAnswer<GapsMeta> & { parts: GapParts }> {
  const w = windowOf(q.filter)
  const geometry = options.geometry ?? true
  const features: string[] = []
  const meta: GapsMeta = { network: q.network, window: describeWindow(w), filter: describeFilter(q.filter), counts: {} }
  const parts: GapParts = { areas: [], buildings: null, captainless: null, priority: [], grid: null, patrols: new Map() }
  if (q.network !== 'captain') {
    const areas = await inAnalysis(sql, run, (tx) => areaGaps(tx, community, w, { geometry }))
    const [buildings] = await inAnalysis(sql, run, (tx) => buildingPatrolGaps(tx, community, w, { features: geometry }))
    if (geometry) {
      for (const a of areas) features.push(feature(a.geometry, { kind: 'area', zoneId: a.zoneId, zoneCode: a.zoneCode, areaM2: a.areaM2 } satisfies GapProps))
      if (buildings!.features) features.push(buildings!.features)
    }
    const priority = await priorityGaps(sql, community, q, run, options)
    if (geometry) features.push(...priority.features)
    meta.counts.area = areas.length
    meta.counts.building = buildings!.count
    meta.counts.priority = priority.features.length
    meta.uncoveredAreaM2 = areas.reduce((a, x) => a + x.areaM2, 0)
    meta.householdsUncovered = buildings!.households
    meta.priority = priority.meta
    Object.assign(parts, { areas, buildings: buildings!, priority: priority.properties, grid: priority.grid, patrols: priority.patrols })
  }
  if (q.network !== 'patrol') {
    const [captainless] = await inAnalysis(sql, run, (tx) => captainlessBuildings(tx, community, { features: geometry }))
    if (geometry && captainless!.features) features.push(captainless!.features)
    meta.counts.captainless = captainless!.count
    meta.householdsWithoutCaptain = captainless!.households
    parts.captainless = captainless!
  }
  return { features: features.join(','), meta, parts }
}

/** The hot spot grid of priority gaps: its hot cells and the figures of its meta, or why it is insufficient. */
export interface HotGrid {
  hot: CellRow[]
  base: { cell: number; fdr: boolean; alpha: number; incidents: number; timeUnknown: number }
  insufficientReason: 'too_few_incidents' | 'no_variance' | null
}

/** The Gi* grid of priority gaps (cells of `cell` m, FDR when asked) under the filter: it depends on incidents and zones, not on routes. */
export async function hotGrid(sql: Sql, community: string, q: Pick<GapParams, 'cell' | 'fdr' | 'filter'>, run: RunOptions): Promise<HotGrid> {
  const { cell, fdr, filter } = q
  await boundedGrid(sql, { community, cell, shape: 'square' }, run)
  const grid = await runGrid(sql, testedQuery(sql, { community, filter, cell, shape: 'square', band: null }, fdr), run)
  const base = { cell, fdr, alpha: HOT_ALPHA, incidents: grid.incidents, timeUnknown: grid.timeUnknown }
  const insufficientReason = grid.incidents < MIN_INCIDENTS ? 'too_few_incidents' : grid.rows.every((r) => r.z === null) ? 'no_variance' : null
  return { hot: grid.rows.filter((r) => (r.bin ?? 0) >= 2), base, insufficientReason }
}

/**
 * Hot cells (Gi* bin ≥ 2, i.e. 95 %+, after FDR when asked) of a square grid, judged against the
 * shifts of the routes whose reach covers the cell centre over the hours of day when the cell's
 * incidents happened; ranked by incidents in uncovered hours, then incidents, then z. `options`:
 * the grid and cells' patrols when already known (only the others are looked up).
 */
export async function priorityGaps(
  sql: Sql,
  community: string,
  q: GapParams,
  run: RunOptions,
  options: Pick<GapOptions, 'grid' | 'patrols'> = {},
): Promise<{ features: string[]; properties: PriorityGapProps[]; meta: NonNullable<GapsMeta['priority']>; grid: HotGrid; patrols: Map<string, CellPatrol> }> {
  const { cell, filter } = q
  const grid = options.grid ?? (await hotGrid(sql, community, q, run))
  const { hot, base } = grid
  const byCell = new Map<string, CellPatrol>()
  if (grid.insufficientReason !== null)
    return { features: [], properties: [], meta: { ...base, hotCells: 0, insufficient: true, insufficientReason: grid.insufficientReason }, grid, patrols: byCell }
  const missing = hot.filter((r) => {
    const known = options.patrols?.get(cellKey(r))
    if (known) byCell.set(cellKey(r), known)
    return !known
  })
  const patrols = missing.length === 0 ? [] : await inAnalysis(sql, run, (tx) => cellPatrols(tx, community, missing.map(({ i, j }) => ({ i, j })), cell, filter))
  for (const p of patrols) byCell.set(cellKey(p), p)
  const judged = hot
    .map((r) => {
      const p = byCell.get(cellKey(r))!
      const covered = coveredHours(p.shifts, filter.weekdays)
      const known = p.hourly.reduce((a, b) => a + b, 0)
      const verdict = judgeCell(p.hourly, covered, Math.max(0, r.count - known))
      const neverCovered = covered.every((c) => !c)
      return { r, p, verdict, neverCovered, covered, isGap: verdict.uncovered > 0 || (neverCovered && r.count > 0) }
    })
    .filter((x) => x.isGap)
    .sort((a, b) => b.verdict.uncovered - a.verdict.uncovered || b.r.count - a.r.count || (b.r.z ?? 0) - (a.r.z ?? 0))
  const properties = judged.map((x, k) => {
    const onlyUnknown = x.neverCovered && x.verdict.uncovered === 0
    return {
      kind: 'priority',
      rank: k + 1,
      i: x.r.i,
      j: x.r.j,
      z: x.r.z,
      incidents: x.r.count,
      uncoveredIncidents: x.verdict.uncovered,
      hoursWithoutPatrol: x.covered.map((c, h) => (c ? -1 : h)).filter((h) => h >= 0),
      zoneId: x.p.zoneId,
      zoneCode: x.p.zoneCode,
      street: x.p.street,
      center: x.p.center,
      reason: onlyUnknown ? `${x.r.count} incidents without a time of day; no route covers this cell at any time` : x.verdict.reason,
      reasonZh: onlyUnknown ? `${x.r.count} 起时间不详的警情；任何时段都没有巡逻路线覆盖此格` : x.verdict.reasonZh,
    } satisfies PriorityGapProps
  })
  const features = judged.map((x, k) => feature(x.r.geometry, properties[k]!, `priority-${k + 1}`))
  return { features, properties, meta: { ...base, hotCells: hot.length, insufficient: false, insufficientReason: null }, grid, patrols: byCell }
}
