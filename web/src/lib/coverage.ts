/**
 * Coverage and gaps on the map (issue 5): the shapes the coverage and gaps endpoints answer, the
 * request paths (the shared filters plus the network), the colours, and the per-zone table the
 * panel shows. Pure functions, no map or React, so they can be tested on their own.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson'
import { ANALYSIS } from './palette'

export {
  COVERAGE_NETWORKS,
  type CaptainCoverageCollection,
  type CaptainLoad,
  type CoverageNetwork,
  type GapKind,
  type GapsCollection,
  type PatrolCoverageCollection,
  type PriorityGapProps,
} from '../../../server/src/contract'
import {
  DEFAULTS,
  LIMITS,
  type CaptainCoverageCollection,
  type CaptainCoverageMeta,
  type CaptainLoad,
  type CoverageNetwork,
  type GapsCollection,
  type PatrolCoverageMeta,
  type PriorityGapProps,
} from '../../../server/src/contract'

/** Colours: the analysis palette's (lib/palette.ts), never a category's or a team's. */
export const COVERAGE_COLORS = ANALYSIS.coverage

/** The captain load above which the server flags a captain, unless asked otherwise (`maxBuildings`). */
export const DEFAULT_MAX_BUILDINGS = DEFAULTS.coverage.maxBuildings
/** The `maxBuildings` the server accepts. */
export const MAX_BUILDINGS_LIMITS = LIMITS.maxBuildings

/** Name of the generated hatch image (map.addImage) for gap areas. */
export const GAP_HATCH_IMAGE = 'coverage-gap-hatch'

const base = (communityId: string) => `/api/communities/${encodeURIComponent(communityId)}`

/**
 * `GET …/coverage` for a network, with the shared filters (hours and weekdays make the window);
 * for the captain network, the load above which a captain is flagged.
 */
export function coveragePath(communityId: string, network: CoverageNetwork, filters: URLSearchParams, maxBuildings?: number, basis: 'plan' | 'logged' = 'plan'): string {
  const q = new URLSearchParams(filters)
  q.set('network', network)
  if (network === 'captain' && maxBuildings !== undefined) q.set('maxBuildings', String(maxBuildings))
  if (network === 'patrol' && basis !== 'plan') q.set('basis', basis)
  return `${base(communityId)}/coverage?${q.toString()}`
}

/** The captains by load: most buildings first, then most households, then name. */
export function captainsByLoad(captains: readonly CaptainLoad[]): CaptainLoad[] {
  return [...captains].sort((a, b) => b.buildings - a.buildings || b.households - a.households || a.name.localeCompare(b.name, 'zh-CN'))
}

/**
 * The bounding box [west, south, east, north] of the buildings a captain looks after, from the
 * captain coverage answer (one feature per captained building, with `captainId`); null when the
 * answer has none of theirs (an inactive captain's buildings count as without a captain).
 */
export function captainBuildingsBbox(coverage: CaptainCoverageCollection, captainId: number): [number, number, number, number] | null {
  let box: [number, number, number, number] | null = null
  for (const f of coverage.features) {
    if (f.properties.kind !== 'captained' || f.properties.captainId !== captainId) continue
    const [w, s, e, n] = featureBbox(f.geometry)
    box = box === null ? [w, s, e, n] : [Math.min(box[0], w), Math.min(box[1], s), Math.max(box[2], e), Math.max(box[3], n)]
  }
  return box
}

/** `GET …/gaps?network=all`, with the shared filters. */
export function gapsPath(communityId: string, filters: URLSearchParams): string {
  const q = new URLSearchParams(filters)
  q.set('network', 'all')
  return `${base(communityId)}/gaps?${q.toString()}`
}

/** The priority gaps, by rank. */
export function priorityGaps(gaps: GapsCollection | null): Feature<Geometry, PriorityGapProps>[] {
  if (gaps === null) return []
  const out: Feature<Geometry, PriorityGapProps>[] = []
  for (const f of gaps.features) if (f.properties.kind === 'priority') out.push({ ...f, properties: f.properties })
  return out.sort((a, b) => a.properties.rank - b.properties.rank)
}

/** The bounding box [west, south, east, north] of a geometry. */
export function featureBbox(g: Geometry): [number, number, number, number] {
  let w = Infinity
  let s = Infinity
  let e = -Infinity
  let n = -Infinity
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as number[]
      w = Math.min(w, x!)
      e = Math.max(e, x!)
      s = Math.min(s, y!)
      n = Math.max(n, y!)
    } else if (Array.isArray(c)) for (const x of c) visit(x)
  }
  if ('coordinates' in g) visit(g.coordinates)
  else for (const part of g.geometries) {
    const [pw, ps, pe, pn] = featureBbox(part)
    ;[w, s, e, n] = [Math.min(w, pw), Math.min(s, ps), Math.max(e, pe), Math.max(n, pn)]
  }
  return [w, s, e, n]
}

export interface ZoneRow {
  id: number
  code: string
  name: string
  /** patrol: share of the zone's area covered in the window */
  patrolPct: number | null
  /** captain: share of the zone's buildings with an active captain */
  captainPct: number | null
  /** incidents under the shared filters */
  incidents: number
  /** priority gaps in the zone (the server's placement: the zone of the cell) */
  priority: number
}

/**
 * One row per zone of the patrol answer (the captain answer fills in its column by zone code), with
 * the zone's incidents under the shared filters and the priority gaps the server placed in it;
 * ordered by code.
 */
export function zoneRows(patrol: PatrolCoverageMeta | null, captain: CaptainCoverageMeta | null, priority: readonly Feature<Geometry, PriorityGapProps>[]): ZoneRow[] {
  const cap = new Map((captain?.zones ?? []).map((z) => [z.code, z]))
  const gaps = new Map<string, number>()
  for (const p of priority) if (p.properties.zoneCode !== null) gaps.set(p.properties.zoneCode, (gaps.get(p.properties.zoneCode) ?? 0) + 1)
  const zones = patrol?.zones ?? captain?.zones ?? []
  return zones
    .map((z) => ({
      id: z.id,
      code: z.code,
      name: z.name,
      patrolPct: patrol === null ? null : (patrol.zones.find((p) => p.code === z.code)?.areaCoveredPct ?? null),
      captainPct: cap.get(z.code)?.buildingsCoveredPct ?? null,
      incidents: z.incidents,
      priority: gaps.get(z.code) ?? 0,
    }))
    .sort((a, b) => a.code.localeCompare(b.code))
}

/** The columns the per-zone table sorts by. */
export const ZONE_COLUMNS = ['code', 'patrolPct', 'captainPct', 'incidents', 'priority'] as const
export type ZoneColumn = (typeof ZONE_COLUMNS)[number]
export type SortDirection = 'ascending' | 'descending'

/** The direction a column starts in when first chosen: the zone code A→Z, figures largest first. */
export function firstDirection(column: ZoneColumn): SortDirection {
  return column === 'code' ? 'ascending' : 'descending'
}

/**
 * The rows sorted by a column: codes in natural order (G2 before G10), figures by value; a zone
 * without a figure (null) goes last in either direction; ties keep the zone code order.
 */
export function sortZoneRows(rows: readonly ZoneRow[], column: ZoneColumn, direction: SortDirection): ZoneRow[] {
  const sign = direction === 'ascending' ? 1 : -1
  const byCode = (a: ZoneRow, b: ZoneRow) => a.code.localeCompare(b.code, 'en', { numeric: true })
  return [...rows].sort((a, b) => {
    if (column === 'code') return sign * byCode(a, b)
    const x = a[column]
    const y = b[column]
    if (x === null || y === null) return x === y ? byCode(a, b) : x === null ? 1 : -1
    return sign * (x - y) || byCode(a, b)
  })
}
