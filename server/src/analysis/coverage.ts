/**
 * Coverage of the patrol network (for a time window) and of the captain network, as answers: the
 * covered area or buildings as features, the figures per zone and overall in `meta`. The SQL and
 * the rules are in db/coverage.ts; this module runs it under the analysis time limit and shapes it.
 */
import {
  describeFilter,
  formatHours,
  type CaptainCoverageMeta,
  type CoverageBasis,
  type CoverageProps,
  type IncidentFilter,
  type Lang,
  type PatrolCoverageMeta,
  type WindowEcho,
} from '../contract.js'
import { inAnalysis, type RunOptions } from '../db/analysis.js'
import type { Sql } from '../db/connect.js'
import { captainedBuildings, captainLoads, captainZoneRows, patrolCoverageRows, type PatrolCoverageRow } from '../db/coverage.js'
import { feature, type GeoJsonAnswer } from '../geojson.js'
import type { PatrolWindow } from '../rules/shifts.js'

/** `part` of `whole` in percent, two decimals; 0 when there is nothing to cover. */
export const pct = (part: number, whole: number) => (whole > 0 ? Math.round((10000 * part) / whole) / 100 : 0)

/** The patrol window of a filter: its weekdays and hours. */
export const windowOf = (f: IncidentFilter): PatrolWindow => ({ weekdays: f.weekdays, hours: f.hours })

/** The window as answers echo it. */
export const describeWindow = (w: PatrolWindow): WindowEcho => ({ weekdays: w.weekdays ? [...w.weekdays] : null, hours: w.hours ? formatHours(w.hours) : null })

/** Buildings and households covered, counted and as shares. */
const shares = (r: { buildings: number; buildingsCovered: number; households: number; householdsCovered: number }) => ({
  buildings: r.buildings,
  buildingsCovered: r.buildingsCovered,
  buildingsCoveredPct: pct(r.buildingsCovered, r.buildings),
  households: r.households,
  householdsCovered: r.householdsCovered,
  householdsCoveredPct: pct(r.householdsCovered, r.households),
})

const byCode = <T extends { code: string }>(rows: T[]) => rows.sort((a, b) => a.code.localeCompare(b.code))

/** The local date of a filter bound ('2018-12-01' or a timestamp's date part). */
const dateOf = (s: string | null) => (s === null ? null : s.slice(0, 10))

/**
 * Patrol coverage in the filter's hours and weekdays; zones' incidents under the whole filter. On
 * the `logged` basis, of the routes with a logged patrol in the filter's period (its local dates)
 * that overlaps the window, instead of the routes with a shift in it. `rows`: the query's rows, for
 * a plan preview to compare and reuse.
 */
export async function patrolCoverage(
  sql: Sql,
  community: string,
  filter: IncidentFilter,
  lang: Lang | null,
  run: RunOptions,
  basis: CoverageBasis = 'plan',
): Promise<GeoJsonAnswer<PatrolCoverageMeta> & { rows: PatrolCoverageRow[] }> {
  const w = windowOf(filter)
  const logged = basis === 'logged' ? { from: dateOf(filter.from), to: dateOf(filter.to) } : null
  const rows = await inAnalysis(sql, run, (tx) => patrolCoverageRows(tx, community, w, filter, lang, logged))
  const meta = patrolCoverageMeta(filter, basis, rows.find((r) => r.kind === 'total')!, rows.filter((r) => r.kind === 'zone'))
  const props = { kind: 'coverage' } satisfies CoverageProps
  const features = rows.filter((r) => r.kind === 'coverage').map((r) => feature(r.geometry, props))
  return { features: features.join(','), meta, rows }
}

/** The `meta` of a patrol coverage answer from the query's total row and zone rows. */
export function patrolCoverageMeta(filter: IncidentFilter, basis: CoverageBasis, total: PatrolCoverageRow, zones: PatrolCoverageRow[]): PatrolCoverageMeta {
  return {
    network: 'patrol',
    basis,
    window: describeWindow(windowOf(filter)),
    filter: describeFilter(filter),
    routesInService: total.routes ?? [],
    areaM2: total.areaM2,
    coveredM2: total.coveredM2,
    areaCoveredPct: pct(total.coveredM2, total.areaM2),
    ...shares(total),
    zones: byCode(
      zones.map((r) => ({
        id: r.id!,
        code: r.code!,
        name: r.name!,
        teamName: r.teamName,
        areaM2: r.areaM2,
        coveredM2: r.coveredM2,
        areaCoveredPct: pct(r.coveredM2, r.areaM2),
        ...shares(r),
        incidents: r.incidents,
      })),
    ),
  } satisfies PatrolCoverageMeta
}

/**
 * Captain coverage: buildings with an active captain, per zone and overall, and each captain's load
 * against `maxBuildings`. Without `geometry`, the figures alone (no features).
 */
export async function captainCoverage(
  sql: Sql,
  community: string,
  maxBuildings: number,
  filter: IncidentFilter,
  lang: Lang | null,
  run: RunOptions,
  { geometry = true }: { geometry?: boolean } = {},
): Promise<GeoJsonAnswer<CaptainCoverageMeta>> {
  const { rows, loads, covered } = await inAnalysis(sql, run, async (tx) => ({
    rows: await captainZoneRows(tx, community, filter, lang),
    loads: await captainLoads(tx, community, lang),
    covered: geometry ? await captainedBuildings(tx, community, lang) : [],
  }))
  const total = rows.find((r) => r.id === null)!
  const captains = loads.map((c) => ({ ...c, overLimit: c.buildings > maxBuildings }))
  const meta = {
    network: 'captain',
    maxBuildings,
    filter: describeFilter(filter),
    ...shares(total),
    zones: byCode(rows.filter((r) => r.id !== null).map((r) => ({ id: r.id!, code: r.code!, name: r.name!, ...shares(r), incidents: r.incidents }))),
    captains,
    captainsOverLimit: captains.filter((x) => x.overLimit).length,
    captainsInactive: captains.filter((x) => !x.active).length,
  } satisfies CaptainCoverageMeta
  const features = covered.map((b) =>
    feature(b.geometry, { kind: 'captained', buildingId: b.id, captainId: b.captainId, captainName: b.captainName } satisfies CoverageProps, b.id),
  )
  return { features: features.join(','), meta }
}
