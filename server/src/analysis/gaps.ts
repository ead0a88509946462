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
import { areaGaps, buildingPatrolGaps, captainlessBuildings, cellPatrols, type BuildingGap } from '../db/gaps.js'
import { runGrid, testedQuery } from '../db/hotspots.js'
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

const buildingGap = (kind: 'building' | 'captainless', b: BuildingGap) =>
  feature(b.geometry, { kind, buildingId: b.id, address: b.address, households: b.households, zoneId: b.zoneId, zoneCode: b.zoneCode } satisfies GapProps)

/** The gaps of the patrol network (in the filter's hours and weekdays), of the captain network, or both. */
export async function analyseGaps(sql: Sql, community: string, q: GapParams, run: RunOptions): Promise<GeoJsonAnswer<GapsMeta>> {
  const w = windowOf(q.filter)
  const features: string[] = []
  const meta: GapsMeta = { network: q.network, window: describeWindow(w), filter: describeFilter(q.filter), counts: {} }
  if (q.network !== 'captain') {
    const areas = await inAnalysis(sql, run, (tx) => areaGaps(tx, community, w))
    const buildings = await inAnalysis(sql, run, (tx) => buildingPatrolGaps(tx, community, w))
    for (const a of areas) features.push(feature(a.geometry, { kind: 'area', zoneId: a.zoneId, zoneCode: a.zoneCode, areaM2: a.areaM2 } satisfies GapProps))
    for (const b of buildings) features.push(buildingGap('building', b))
    const priority = await priorityGaps(sql, community, q, run)
    features.push(...priority.features)
    meta.counts.area = areas.length
    meta.counts.building = buildings.length
    meta.counts.priority = priority.features.length
    meta.uncoveredAreaM2 = areas.reduce((a, x) => a + x.areaM2, 0)
    meta.householdsUncovered = buildings.reduce((a, x) => a + x.households, 0)
    meta.priority = priority.meta
  }
  if (q.network !== 'patrol') {
    const captainless = await inAnalysis(sql, run, (tx) => captainlessBuildings(tx, community))
    for (const b of captainless) features.push(buildingGap('captainless', b))
    meta.counts.captainless = captainless.length
    meta.householdsWithoutCaptain = captainless.reduce((a, x) => a + x.households, 0)
  }
  return { features: features.join(','), meta }
}

/**
 * Hot cells (Gi* bin ≥ 2, i.e. 95 %+, after FDR when asked) of a square grid, judged against the
 * shifts of the routes whose reach covers the cell centre over the hours of day when the cell's
 * incidents happened; ranked by incidents in uncovered hours, then incidents, then z.
 */
export async function priorityGaps(sql: Sql, community: string, q: GapParams, run: RunOptions): Promise<{ features: string[]; meta: NonNullable<GapsMeta['priority']> }> {
  const { cell, fdr, filter } = q
  await boundedGrid(sql, { community, cell, shape: 'square' }, run)
  const grid = await runGrid(sql, testedQuery(sql, { community, filter, cell, shape: 'square', band: null }, fdr), run)
  const hot = grid.rows.filter((r) => (r.bin ?? 0) >= 2)
  const base = { cell, fdr, alpha: HOT_ALPHA, incidents: grid.incidents, timeUnknown: grid.timeUnknown }
  if (grid.incidents < MIN_INCIDENTS || grid.rows.every((r) => r.z === null))
    return { features: [], meta: { ...base, hotCells: 0, insufficient: true, insufficientReason: grid.incidents < MIN_INCIDENTS ? 'too_few_incidents' : 'no_variance' } }
  const patrols = hot.length === 0 ? [] : await inAnalysis(sql, run, (tx) => cellPatrols(tx, community, hot.map(({ i, j }) => ({ i, j })), cell, filter))
  const byCell = new Map(patrols.map((p) => [`${p.i}_${p.j}`, p]))
  const judged = hot
    .map((r) => {
      const p = byCell.get(`${r.i}_${r.j}`)!
      const covered = coveredHours(p.shifts, filter.weekdays)
      const known = p.hourly.reduce((a, b) => a + b, 0)
      const verdict = judgeCell(p.hourly, covered, Math.max(0, r.count - known))
      const neverCovered = covered.every((c) => !c)
      return { r, p, verdict, neverCovered, covered, isGap: verdict.uncovered > 0 || (neverCovered && r.count > 0) }
    })
    .filter((x) => x.isGap)
    .sort((a, b) => b.verdict.uncovered - a.verdict.uncovered || b.r.count - a.r.count || (b.r.z ?? 0) - (a.r.z ?? 0))
  const features = judged.map((x, k) => {
    const onlyUnknown = x.neverCovered && x.verdict.uncovered === 0
    const properties = {
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
    return feature(x.r.geometry, properties, `priority-${k + 1}`)
  })
  return { features, meta: { ...base, hotCells: hot.length, insufficient: false, insufficientReason: null } }
}
