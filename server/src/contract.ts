/**
 * The API's contract with its clients, written once: the shapes and names that the server answers
 * and the web app (web/src) reads, and the text form of the `hours` parameter both sides read and
 * write. No imports, nothing but pure code, so the browser bundle can take it as it is.
 */

/** A time-of-day window in minutes after local midnight: [start, end), crossing midnight when end <= start. */
export interface HoursWindow {
  start: number
  end: number
}

/**
 * Reads an `hours` parameter, "22-02" or "08:30-17:00" (local time of day, [start, end)), into
 * minutes; null when malformed or empty (start = end). 24 is midnight.
 */
export function parseHours(raw: string): HoursWindow | null {
  const m = /^(\d{1,2})(?::(\d{2}))?-(\d{1,2})(?::(\d{2}))?$/.exec(raw.trim())
  if (!m) return null
  const [h1, m1, h2, m2] = [Number(m[1]), Number(m[2] ?? 0), Number(m[3]), Number(m[4] ?? 0)]
  if (h1 > 24 || h2 > 24 || m1 > 59 || m2 > 59) return null
  const start = (h1 * 60 + m1) % 1440
  const end = (h2 * 60 + m2) % 1440
  return start === end ? null : { start, end }
}

/** "HH:MM" of minutes after midnight (1440 is "24:00"). */
export function formatMinutes(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
}

/**
 * The shared incident filters (DESIGN.md): `null` means no restriction. The UI holds local days;
 * the API also takes ISO timestamps with an offset in `from`/`to`.
 */
export interface IncidentFilter {
  /** 'YYYY-MM-DD' (local day, inclusive) or an ISO timestamp */
  from: string | null
  to: string | null
  categories: string[] | null
  hours: HoursWindow | null
  /** ISO weekdays, 1 = Monday */
  weekdays: number[] | null
}

/** Emerging hot spot categories (ArcGIS Emerging Hot Spot Analysis, as sfdep implements them), in this order. */
export const EMERGING_CATEGORIES = [
  'new',
  'consecutive',
  'intensifying',
  'persistent',
  'diminishing',
  'sporadic',
  'oscillating',
  'historical',
  'none',
] as const
export type EmergingCategory = (typeof EMERGING_CATEGORIES)[number]

/** Incident counts of a place under the filter bar's filters. */
export interface IncidentFigures {
  /** incidents matching every filter */
  incidents: number
  /** all incidents of the place, whatever the filters */
  incidentsAll: number
  /**
   * incidents without a time of day among those matching the other filters (left out of
   * `incidents` when the filter has an `hours` window, as in the incident summary)
   */
  timeUnknown: number
}

/** `GET /api/communities/:id/zones/:zoneId/figures`. */
export interface ZoneFigures extends IncidentFigures {
  id: number
  code: string
  /** buildings whose point on surface lies in the zone (so each building counts in one zone) */
  buildings: number
  /** their households (buildings without a figure count as none) */
  households: number
  /** of those, with an active building captain */
  captainedBuildings: number
  captainedHouseholds: number
}

/** `GET /api/communities/:id/buildings/:buildingId/figures`. */
export interface BuildingFigures extends IncidentFigures {
  id: number
  /** incidents count when within this many metres of the footprint (the community's metric CRS) */
  radiusM: number
}

/** One hit of `GET /api/communities/:id/search`: what it is, how to name it, and where it is. */
export interface SearchResult {
  kind: 'zone' | 'building'
  id: number
  /** zone: its code; building: its address (or name, or "#id") */
  label: string
  /** zone: its name; building: its name when it has one besides the address */
  detail: string | null
  /** zone code of a zone, null for buildings */
  code: string | null
  /** [west, south, east, north] of the feature, degrees */
  bbox: [number, number, number, number]
  /** a point inside the feature, [lon, lat] */
  center: [number, number]
}

/** One captain's load in `GET /api/communities/:id/coverage?network=captain` (`meta.captains`). */
export interface CaptainLoad {
  id: number
  name: string
  active: boolean
  buildings: number
  households: number
  /** more buildings than `maxBuildings` */
  overLimit: boolean
}
