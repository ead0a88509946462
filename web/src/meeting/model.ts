/**
 * The meeting view's pure parts: the periods offered, the per-zone table's columns (what each sorts
 * by), the pages of the projector, and the scale bar of the printed map. No React, no map: tested in
 * test/unit/web-meeting.test.ts.
 */
import { addDays, monthStart } from '../lib/filters'
import { sortRows, type SortDirection, type SortValue } from '../lib/sort'
import type { MeetingPack, MeetingZone } from './api'

// ---------------------------------------------------------------------------------------------
// Periods

export interface Period {
  from: string
  to: string
}

/** The calendar month of a date (YYYY-MM-DD or YYYY-MM), `shift` months later (negative: earlier). */
export function monthOf(date: string, shift = 0): Period {
  const from = monthStart(date.length === 7 ? `${date}-01` : date, shift)
  return { from, to: addDays(monthStart(from, 1), -1) }
}

/** The calendar quarter of a date, `shift` quarters later. */
export function quarterOf(date: string, shift = 0): Period {
  const month = Number(date.slice(5, 7))
  const from = monthStart(date.length === 7 ? `${date}-01` : date, 3 * shift - ((month - 1) % 3))
  return { from, to: addDays(monthStart(from, 3), -1) }
}

export const PERIOD_PRESETS = ['month', 'previousMonth', 'quarter', 'previousQuarter'] as const
export type PeriodPreset = (typeof PERIOD_PRESETS)[number]

/** The period a preset names, counted from the latest date with data (the meeting reviews what happened). */
export function presetPeriod(preset: PeriodPreset, latest: string): Period {
  switch (preset) {
    case 'month':
      return monthOf(latest)
    case 'previousMonth':
      return monthOf(latest, -1)
    case 'quarter':
      return quarterOf(latest)
    case 'previousQuarter':
      return quarterOf(latest, -1)
  }
}

/** The preset a period is, if it is one. */
export function presetOf(p: Period, latest: string): PeriodPreset | null {
  return PERIOD_PRESETS.find((k) => {
    const q = presetPeriod(k, latest)
    return q.from === p.from && q.to === p.to
  }) ?? null
}

// ---------------------------------------------------------------------------------------------
// The per-zone table


/** A column of the per-zone table: its key (i18n: meeting.col.<key>, meeting.explain.<key>) and the value it sorts by. */
export interface ZoneColumn {
  key: string
  value: (z: MeetingZone) => SortValue
}

const pct = (r: { numerator: number; denominator: number }) => (r.denominator === 0 ? null : (100 * r.numerator) / r.denominator)

/** The columns, in the order shown. Rates sort by their value; a line without one (nothing to divide by) goes last. */
export const ZONE_COLUMNS: readonly ZoneColumn[] = [
  { key: 'zone', value: (z) => z.zoneCode },
  { key: 'incidents', value: (z) => z.incidents.total.count },
  { key: 'previous', value: (z) => z.incidents.total.previous },
  { key: 'change', value: (z) => z.incidents.total.rateRatio },
  { key: 'hotNew', value: (z) => z.hotspots.new },
  { key: 'hotPersistent', value: (z) => z.hotspots.persistent },
  { key: 'hotGone', value: (z) => z.hotspots.gone },
  { key: 'day', value: (z) => z.coverage?.windows.day?.areaCoveredPct ?? null },
  { key: 'evening', value: (z) => z.coverage?.windows.evening?.areaCoveredPct ?? null },
  { key: 'night', value: (z) => z.coverage?.windows.night?.areaCoveredPct ?? null },
  { key: 'captained', value: (z) => z.coverage?.captainedBuildingsPct ?? null },
  { key: 'gaps', value: (z) => z.priorityGaps },
  { key: 'patrols', value: (z) => (z.patrols === null || z.patrols.planned === 0 ? null : (100 * z.patrols.plannedDone) / z.patrols.planned) },
  { key: 'disputes', value: (z) => z.disputes.screened },
  { key: 'mediation', value: (z) => pct(z.disputes.mediationRate) },
  { key: 'success', value: (z) => pct(z.disputes.successRate) },
  { key: 'escalations', value: (z) => z.disputes.escalations + z.disputes.petitions },
  { key: 'overdue', value: (z) => z.problems.overdue },
]

/** The direction a column starts in: zone codes A→Z, figures largest first. */
export const firstDirection = (key: string): SortDirection => (key === 'zone' ? 'ascending' : 'descending')

/** The zones of a pack sorted by a column (the unzoned line, if any, always last; the whole community is not a row). */
export function sortZones(pack: MeetingPack, key: string, direction: SortDirection): MeetingZone[] {
  const column = ZONE_COLUMNS.find((c) => c.key === key) ?? ZONE_COLUMNS[0]!
  const zones = pack.zones.filter((z) => z.zoneId !== null)
  return [...sortRows(sortRows(zones, (z) => z.zoneCode, 'ascending'), column.value, direction), ...pack.zones.filter((z) => z.zoneId === null)]
}

// ---------------------------------------------------------------------------------------------
// The projector's pages

/** A page of the projector: a topic of the whole community, or one zone. */
export type ProjectorPage = { kind: 'title' | 'scorecard' | 'incidents' | 'hotspots' | 'coverage' | 'gaps' | 'people' } | { kind: 'zone'; zoneId: number }

/** The pages, in order: title, the topics, then one page per zone by code. */
export function projectorPages(pack: MeetingPack): ProjectorPage[] {
  const topics: ProjectorPage[] = [{ kind: 'title' }, { kind: 'scorecard' }, { kind: 'incidents' }, { kind: 'hotspots' }, { kind: 'coverage' }, { kind: 'gaps' }, { kind: 'people' }]
  const zones = sortRows(
    pack.zones.filter((z) => z.zoneId !== null),
    (z) => z.zoneCode,
    'ascending',
  ).map((z): ProjectorPage => ({ kind: 'zone', zoneId: z.zoneId! }))
  return [...topics, ...zones]
}

/** The page a key moves to from `page` of `count` (null: the key does not move). */
export function stepPage(key: string, page: number, count: number): number | null {
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
    case 'PageDown':
    case ' ':
      return Math.min(count - 1, page + 1)
    case 'ArrowLeft':
    case 'ArrowUp':
    case 'PageUp':
      return Math.max(0, page - 1)
    case 'Home':
      return 0
    case 'End':
      return count - 1
    default:
      return null
  }
}

// ---------------------------------------------------------------------------------------------
// The printed map's scale bar

/** Metres per CSS pixel of a web-mercator map (512-pixel tiles, as MapLibre) at a zoom and latitude. */
export const metresPerPixel = (zoom: number, lat: number) => (40_075_016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom)

/**
 * A scale bar: the longest round length (1, 2 or 5 × 10ⁿ m) that fits in `maxFraction` of an image
 * `widthPx` CSS pixels wide, and the share of the image's width it takes (so it scales with the image).
 */
export function scaleBar(mPerPx: number, widthPx: number, maxFraction = 0.25): { metres: number; fraction: number } {
  const max = mPerPx * widthPx * maxFraction
  const exp = 10 ** Math.floor(Math.log10(max))
  const metres = [5, 2, 1].map((k) => k * exp).find((m) => m <= max) ?? exp
  return { metres, fraction: metres / (mPerPx * widthPx) }
}

/** A length for a scale bar: metres below a kilometre, else kilometres. */
export const formatLength = (metres: number) => (metres >= 1000 ? `${metres / 1000} km` : `${metres} m`)
