/**
 * Coverage and gaps on the map (issue 5): the shapes the coverage and gaps endpoints answer, the
 * request paths (the shared filters plus the network), the colours, and the per-zone table the
 * panel shows. Pure functions, no map or React, so they can be tested on their own.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson'
import { OKABE_ITO } from './palette'

export type CoverageNetwork = 'patrol' | 'captain'
export const COVERAGE_NETWORKS: CoverageNetwork[] = ['patrol', 'captain']

export interface ZoneCoverage {
  id: number
  code: string
  name: string
  teamName?: string | null
  areaCoveredPct?: number | null
  buildingsCoveredPct?: number | null
  householdsCoveredPct?: number | null
  [k: string]: unknown
}

export type { CaptainLoad } from '../../../server/src/contract'
import type { CaptainLoad } from '../../../server/src/contract'

export interface CoverageMeta {
  network: CoverageNetwork
  areaCoveredPct?: number | null
  buildingsCoveredPct: number | null
  householdsCoveredPct: number | null
  routesInService?: unknown[]
  zones: ZoneCoverage[]
  captains?: CaptainLoad[]
  captainsOverLimit?: number
  maxBuildings?: number
}

export type CoverageCollection = FeatureCollection<Geometry, Record<string, unknown>> & { meta: CoverageMeta }

export type GapKind = 'area' | 'building' | 'captainless' | 'priority'

export interface PriorityGapProps {
  kind: 'priority'
  rank: number
  incidents: number
  uncoveredIncidents: number
  reason: string
  reasonZh: string
  hoursWithoutPatrol?: number[]
}

export interface GapsMeta {
  counts: Partial<Record<GapKind, number>>
  uncoveredAreaM2?: number
  householdsUncovered?: number
  householdsWithoutCaptain?: number
  priority?: { insufficient?: boolean; insufficientReason?: string | null; hotCells?: number; incidents?: number }
}

export type GapsCollection = FeatureCollection<Geometry, Record<string, unknown> & { kind: GapKind }> & { meta: GapsMeta }

/** Colours: Okabe–Ito, so coverage and gaps stay apart with the common forms of colour blindness. */
export const COVERAGE_COLORS = {
  /** soft fill of what the patrols reach */
  patrol: OKABE_ITO.bluishGreen,
  /** buildings with an active captain */
  captain: OKABE_ITO.blue,
  /** the warning colour of gaps: hatching of uncovered area, outlines of uncovered buildings */
  gap: OKABE_ITO.vermillion,
  /** priority gap cells and their numbers */
  priority: '#1f1f1f',
  /** the zone under the pointer in the table */
  highlight: '#111111',
} as const

/** The captain load above which the server flags a captain, unless asked otherwise (`maxBuildings`). */
export const DEFAULT_MAX_BUILDINGS = 15
/** The `maxBuildings` the server accepts (server/src/routes/coverage.ts). */
export const MAX_BUILDINGS_LIMITS = { min: 1, max: 1000 } as const

/** Name of the generated hatch image (map.addImage) for gap areas. */
export const GAP_HATCH_IMAGE = 'coverage-gap-hatch'

const base = (communityId: string) => `/api/communities/${encodeURIComponent(communityId)}`

/**
 * `GET …/coverage` for a network, with the shared filters (hours and weekdays make the window);
 * for the captain network, the load above which a captain is flagged.
 */
export function coveragePath(communityId: string, network: CoverageNetwork, filters: URLSearchParams, maxBuildings?: number): string {
  const q = new URLSearchParams(filters)
  q.set('network', network)
  if (network === 'captain' && maxBuildings !== undefined) q.set('maxBuildings', String(maxBuildings))
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
export function captainBuildingsBbox(coverage: CoverageCollection, captainId: number): [number, number, number, number] | null {
  let box: [number, number, number, number] | null = null
  for (const f of coverage.features) {
    if (f.properties.captainId !== captainId) continue
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
  return (gaps.features.filter((f) => f.properties.kind === 'priority') as unknown as Feature<Geometry, PriorityGapProps>[]).sort(
    (a, b) => a.properties.rank - b.properties.rank,
  )
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

/** The centre of a feature's bounding box (priority gaps are square cells). */
export function bboxCentre(g: Geometry): [number, number] {
  const [w, s, e, n] = featureBbox(g)
  return [(w + e) / 2, (s + n) / 2]
}

export interface ZoneRow {
  id: number
  code: string
  name: string
  /** patrol: share of the zone's area covered in the window */
  patrolPct: number | null
  /** captain: share of the zone's buildings with an active captain */
  captainPct: number | null
  /** incidents under the shared filters (null: not known) */
  incidents: number | null
  /** priority gaps whose cell centre lies in the zone */
  priority: number
}

/**
 * One row per zone of the patrol answer (the captain answer fills in its column by zone id or code),
 * ordered by code.
 */
export function zoneRows(
  patrol: CoverageMeta | null,
  captain: CoverageMeta | null,
  priorityByZone: Map<string, number>,
  incidentsByZone: Map<string, number> | null,
): ZoneRow[] {
  const zones = patrol?.zones ?? captain?.zones ?? []
  const cap = new Map((captain?.zones ?? []).map((z) => [z.code, z]))
  return zones
    .map((z) => ({
      id: z.id,
      code: z.code,
      name: z.name,
      patrolPct: patrol === null ? null : (z.areaCoveredPct ?? null),
      captainPct: cap.get(z.code)?.buildingsCoveredPct ?? null,
      incidents: incidentsByZone?.get(z.code) ?? null,
      priority: priorityByZone.get(z.code) ?? 0,
    }))
    .sort((a, b) => a.code.localeCompare(b.code))
}
