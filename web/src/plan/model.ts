/**
 * What the planning forms edit, and the instant geometry of drafting (turf): lengths, areas, the
 * reach of a route as drawn, splitting a zone by a drawn shape and merging two zones. These are
 * only for what the planner sees while drafting — the saved answer, and every preview figure,
 * comes from PostGIS.
 */
import type { Feature, Geometry, LineString, MultiPolygon, Polygon } from 'geojson'
import { area, buffer, difference, featureCollection, feature, intersect, length, union } from '@turf/turf'
import type { PlanEntity, PlanFields, TeamKind } from '../../../server/src/contract'
import type { PlanRow } from './api'

/** The fields each form edits (the planning API's names). */
export const FORM_FIELDS = {
  zone: ['code', 'name', 'names', 'geometry', 'gridWorker', 'gridWorkerNames', 'teamId'],
  route: ['name', 'names', 'geometry', 'teamId', 'reachM', 'shifts'],
  shift: ['routeId', 'days', 'start', 'end'],
  team: ['name', 'names', 'kind', 'members', 'phone', 'active'],
  captain: ['name', 'names', 'phone', 'active', 'buildingIds'],
  member: ['teamId', 'name', 'names', 'phone', 'active', 'shiftIds'],
} as const satisfies Record<PlanEntity, readonly string[]>

/** The entities the planning panel offers to edit on their own (shifts are edited with their route). */
export const EDITED: readonly PlanEntity[] = ['zone', 'route', 'team', 'captain']

/** A route's reach when the planner does not say (the layers' default). */
export const DEFAULT_REACH_M = 100

/** Names per language as a form holds them. */
export interface Names {
  zh?: string | undefined
  en?: string | undefined
}

/** A row as its form starts from: shifts without their own ids and versions (the route's shifts are replaced whole). */
export function formValues(entity: PlanEntity, row: PlanRow): Record<string, unknown> {
  const values: Record<string, unknown> = { ...row }
  if (entity === 'route' && Array.isArray(row.shifts)) values.shifts = (row.shifts as { days: number[]; start: string; end: string }[]).map(({ days, start, end }) => ({ days, start, end }))
  return values
}

/**
 * The recorded name of a row given its names per language: the Chinese one, else the English one,
 * else `fallback` (a row always has a name to fall back to when a language has none).
 */
export function recordedName(names: Names, fallback: string): string {
  return names.zh?.trim() || names.en?.trim() || fallback
}

/** Names without empty entries (the API refuses empty text). */
export function cleanNames(names: Names): Names {
  const out: Names = {}
  if (names.zh?.trim()) out.zh = names.zh.trim()
  if (names.en?.trim()) out.en = names.en.trim()
  return out
}

/** A new zone's code: one more than the highest "G<n>" code in use (G01, G02, … keep their width). */
export function nextZoneCode(codes: readonly string[]): string {
  let max = 0
  let width = 2
  for (const c of codes) {
    const m = /^([A-Za-z]*)(\d+)$/.exec(c)
    if (m === null) continue
    max = Math.max(max, Number(m[2]))
    width = Math.max(width, m[2]!.length)
  }
  const prefix = codes.map((c) => /^([A-Za-z]*)\d+$/.exec(c)?.[1]).find((p) => p !== undefined) ?? 'G'
  return `${prefix}${String(max + 1).padStart(width, '0')}`
}

/** Fields of a new row of `entity` before the planner fills the form. */
export function newRow<E extends PlanEntity>(entity: E, init: { name: string; geometry?: Geometry; teamId?: number | null; code?: string; kind?: TeamKind }): PlanFields<E> {
  switch (entity) {
    case 'zone':
      return { code: init.code ?? 'G01', name: init.name, names: {}, geometry: init.geometry, gridWorker: null, gridWorkerNames: {}, teamId: init.teamId ?? null } as PlanFields<E>
    case 'route':
      return { name: init.name, names: {}, geometry: init.geometry, teamId: init.teamId ?? undefined, reachM: DEFAULT_REACH_M, shifts: [] } as PlanFields<E>
    case 'team':
      return { name: init.name, names: {}, kind: init.kind ?? 'volunteer', members: 0, phone: null, active: true } as PlanFields<E>
    case 'captain':
      return { name: init.name, names: {}, phone: null, active: true, buildingIds: [] } as PlanFields<E>
    case 'member':
      return { teamId: init.teamId ?? undefined, name: init.name, names: {}, phone: null, active: true, shiftIds: [] } as PlanFields<E>
    default:
      throw new Error(`no form for ${entity}`)
  }
}

/**
 * A time of day as typed ("22", "2200", "22:00", "7:05"; "7:5" is refused) as
 * the API's HH:MM, or null when it is not one (24-hour clock, 00:00–23:59).
 */
export function parseClock(text: string): string | null {
  const m = /^\s*(\d{1,2})(?:[:：.]?(\d{2}))?\s*$/.exec(text)
  if (m === null) return null
  const h = Number(m[1])
  const min = m[2] === undefined ? 0 : Number(m[2])
  if (h > 23 || min > 59) return null
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`
}

/** Metres along a line. */
export const lineMetres = (line: LineString) => length(feature(line), { units: 'meters' })
/** Square metres of a polygon. */
export const areaM2 = (shape: Polygon | MultiPolygon) => area(feature(shape))

/** What a route drawn so far reaches: its line buffered by `reachM` metres (null for a line of one point). */
export function reachOf(line: LineString, reachM: number): Feature<Polygon | MultiPolygon> | null {
  if (line.coordinates.length < 2 || !(reachM > 0)) return null
  return buffer(feature(line), reachM, { units: 'meters', steps: 8 }) ?? null
}

/** A zone's shape as one polygon to reshape (null when it has several parts: those are reshaped by splitting or redrawing). */
export function editablePolygon(shape: Polygon | MultiPolygon): Polygon | null {
  if (shape.type === 'Polygon') return shape
  return shape.coordinates.length === 1 ? { type: 'Polygon', coordinates: shape.coordinates[0]! } : null
}

/**
 * Splits a zone by a drawn shape: the part inside the shape becomes a new zone, the rest stays.
 * null when the shape takes all of the zone or none of it.
 */
export function splitZone(zone: Polygon | MultiPolygon, cut: Polygon): { kept: Polygon | MultiPolygon; split: Polygon | MultiPolygon } | null {
  const pair = featureCollection<Polygon | MultiPolygon>([feature(zone), feature(cut)])
  const split = intersect(pair)
  const kept = difference(pair)
  if (split === null || kept === null || areaM2(split.geometry) < 1 || areaM2(kept.geometry) < 1) return null
  return { kept: kept.geometry, split: split.geometry }
}

/** Two zones as one shape. */
export function mergeZones(a: Polygon | MultiPolygon, b: Polygon | MultiPolygon): Polygon | MultiPolygon | null {
  return union(featureCollection<Polygon | MultiPolygon>([feature(a), feature(b)]))?.geometry ?? null
}
