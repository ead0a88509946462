/**
 * The shared incident filters as the UI holds them — the same names and meaning as the API's
 * (`from`, `to`, `categories`, `hours`, `weekdays`; see DESIGN.md) — with the period presets and
 * the text forms used in URLs. Pure functions: no DOM, no fetching.
 */

export { formatMinutes, parseHours, type HoursWindow, type IncidentFilter } from '../../../server/src/contract'
import { formatMinutes, parseHours, type HoursWindow, type IncidentFilter } from '../../../server/src/contract'

/** No restriction at all: every incident. */
export const NO_FILTER: IncidentFilter = { from: null, to: null, categories: null, hours: null, weekdays: null }

/** Period presets of the filter bar. `all` is the whole data; `custom` any other from/to. */
export const PERIOD_PRESETS = ['all', 'last7', 'last30', 'last90', 'thisMonth', 'lastMonth'] as const
export type PeriodPreset = (typeof PERIOD_PRESETS)[number]

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/

/** True for a real calendar date written 'YYYY-MM-DD'. */
export function isIsoDate(s: string): boolean {
  const m = DATE_RE.exec(s)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.toISOString().slice(0, 10) === s
}

/** The date `days` days after `date` (negative: before), both 'YYYY-MM-DD'. Calendar arithmetic, no time zone. */
export function addDays(date: string, days: number): string {
  const m = DATE_RE.exec(date)
  if (!m) throw new Error(`not a date: ${date}`)
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days)).toISOString().slice(0, 10)
}

/** First day of the month `months` months after the month of `date`. */
export function monthStart(date: string, months = 0): string {
  const m = DATE_RE.exec(date)
  if (!m) throw new Error(`not a date: ${date}`)
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1 + months, 1)).toISOString().slice(0, 10)
}

/**
 * The from/to of a preset, counted back from `anchor` (the latest day of the data, inclusive):
 * "last 7 days" is the anchor and the six days before it; "this month" the anchor's month up to the
 * anchor; "last month" the whole month before. `all` gives no limits.
 */
export function presetRange(preset: PeriodPreset, anchor: string): { from: string | null; to: string | null } {
  switch (preset) {
    case 'all':
      return { from: null, to: null }
    case 'last7':
      return { from: addDays(anchor, -6), to: anchor }
    case 'last30':
      return { from: addDays(anchor, -29), to: anchor }
    case 'last90':
      return { from: addDays(anchor, -89), to: anchor }
    case 'thisMonth':
      return { from: monthStart(anchor), to: anchor }
    case 'lastMonth':
      return { from: monthStart(anchor, -1), to: addDays(monthStart(anchor), -1) }
  }
}

/** The whole local month 'YYYY-MM' as from/to dates. */
export function monthRange(month: string): { from: string; to: string } {
  const from = `${month}-01`
  return { from, to: addDays(monthStart(from, 1), -1) }
}

/** The month 'YYYY-MM' among `months` whose whole range is exactly from/to, or null. */
export function matchMonth(from: string | null, to: string | null, months: readonly string[]): string | null {
  if (from === null || to === null) return null
  return months.find((m) => {
    const r = monthRange(m)
    return r.from === from && r.to === to
  }) ?? null
}

/** The preset whose range is exactly from/to (with this anchor), or 'custom'. */
export function matchPreset(from: string | null, to: string | null, anchor: string | null): PeriodPreset | 'custom' {
  if (from === null && to === null) return 'all'
  if (anchor === null) return 'custom'
  return PERIOD_PRESETS.find((p) => {
    const r = presetRange(p, anchor)
    return r.from === from && r.to === to
  }) ?? 'custom'
}

/** The `hours` parameter: "22-02" for whole hours, "08:30-17:00" otherwise. */
export function formatHours(h: HoursWindow): string {
  const whole = h.start % 60 === 0 && h.end % 60 === 0
  return whole
    ? `${String(h.start / 60).padStart(2, '0')}-${String(h.end / 60).padStart(2, '0')}`
    : `${formatMinutes(h.start)}-${formatMinutes(h.end)}`
}

/** True when the window runs past midnight (e.g. 22:00–02:00). */
export function crossesMidnight(h: HoursWindow): boolean {
  return h.end <= h.start
}

/** Weekday sets the filter bar names instead of listing days. */
export function weekdaySetName(days: readonly number[] | null): 'all' | 'workdays' | 'weekend' | null {
  if (days === null || days.length === 7) return 'all'
  const key = [...days].sort().join(',')
  if (key === '1,2,3,4,5') return 'workdays'
  if (key === '6,7') return 'weekend'
  return null
}

/**
 * The filter as query parameters, in a fixed order and leaving out what is not restricted — the
 * same text for the API, the tile URLs and the page URL.
 */
export function filterParams(f: IncidentFilter): [string, string][] {
  const out: [string, string][] = []
  if (f.from) out.push(['from', f.from])
  if (f.to) out.push(['to', f.to])
  if (f.categories) out.push(['categories', f.categories.join(',')])
  if (f.hours) out.push(['hours', formatHours(f.hours)])
  if (f.weekdays && f.weekdays.length < 7) out.push(['weekdays', [...f.weekdays].sort().join(',')])
  return out
}

/** `filterParams` as a query string without "?" ('' when nothing is restricted). */
export function filterQuery(f: IncidentFilter): string {
  return new URLSearchParams(filterParams(f)).toString()
}

/**
 * Reads the filter from query parameters, dropping what is malformed (a hand-edited URL must not
 * break the map): bad dates, unknown weekdays, an empty category list, a period running backwards.
 */
export function parseFilter(params: URLSearchParams): IncidentFilter {
  const date = (name: string) => {
    const v = params.get(name)
    return v !== null && isIsoDate(v) ? v : null
  }
  let from = date('from')
  let to = date('to')
  if (from !== null && to !== null && from > to) [from, to] = [null, null]
  const cats = params.get('categories')
  const categories = cats === null ? null : [...new Set(cats.split(',').map((c) => c.trim()).filter(Boolean))]
  const hoursRaw = params.get('hours')
  const days = params.get('weekdays')
  const weekdays =
    days === null ? null : [...new Set(days.split(',').map((d) => Number(d.trim())))].filter((d) => Number.isInteger(d) && d >= 1 && d <= 7).sort()
  return {
    from,
    to,
    categories: categories !== null && categories.length > 0 ? categories : null,
    hours: hoursRaw === null ? null : parseHours(hoursRaw),
    weekdays: weekdays !== null && weekdays.length > 0 && weekdays.length < 7 ? weekdays : null,
  }
}

/** True when the filter restricts nothing. */
export function isUnfiltered(f: IncidentFilter): boolean {
  return filterParams(f).length === 0
}
