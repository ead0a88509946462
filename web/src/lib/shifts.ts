/**
 * Patrol shifts on the map: which part of the day a shift belongs to (drawn as solid, dashed or
 * dotted lines) and whether a route is in service during the filter bar's hours and weekdays.
 */
import type { HoursWindow } from './filters'

/** A shift as the routes layer gives it: ISO weekdays and local "HH:MM" times; end ≤ start crosses midnight. */
export interface ShiftLike {
  days: number[]
  start: string
  end: string
}

/** Parts of the day, in the order the map lists them. */
export const SHIFT_CLASSES = ['day', 'evening', 'night'] as const
export type ShiftClass = (typeof SHIFT_CLASSES)[number]

/**
 * Line dash of each part of the day, in line widths (MapLibre `line-dasharray`; the legend draws
 * the same): day solid, evening dashed, night dotted (round caps turn the short dashes into dots).
 */
export const SHIFT_DASH: Record<ShiftClass, readonly number[]> = {
  day: [1, 0],
  evening: [3, 1.6],
  night: [0.2, 1.8],
}

const DAY = 1440
const WEEK = 7 * DAY

/** Minutes after midnight of "HH:MM". */
export function minutesOf(hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm)
  if (!m) throw new Error(`not a time: ${hhmm}`)
  return (Number(m[1]) * 60 + Number(m[2])) % DAY
}

/**
 * The part of the day of a shift, by the middle of the shift: 06:00–15:00 day, 15:00–21:00
 * evening, otherwise night. So 08–16 is a day shift, 16–22 an evening shift, 22–06 a night shift.
 */
export function shiftClass(shift: Pick<ShiftLike, 'start' | 'end'>): ShiftClass {
  const start = minutesOf(shift.start)
  let end = minutesOf(shift.end)
  if (end <= start) end += DAY
  const mid = ((start + end) / 2) % DAY
  if (mid >= 6 * 60 && mid < 15 * 60) return 'day'
  if (mid >= 15 * 60 && mid < 21 * 60) return 'evening'
  return 'night'
}

/** The distinct parts of the day a route's shifts cover, in SHIFT_CLASSES order. */
export function routeShiftClasses(shifts: readonly Pick<ShiftLike, 'start' | 'end'>[]): ShiftClass[] {
  const present = new Set(shifts.map(shiftClass))
  return SHIFT_CLASSES.filter((c) => present.has(c))
}

type Interval = [number, number]

/** Minutes of the week [0, 10080) a shift covers; the part after midnight belongs to the next day. */
function shiftIntervals(shift: ShiftLike): Interval[] {
  const start = minutesOf(shift.start)
  const end = minutesOf(shift.end)
  const out: Interval[] = []
  for (const d of shift.days) {
    const base = (d - 1) * DAY
    if (start < end) out.push([base + start, base + end])
    else {
      out.push([base + start, base + DAY])
      const next = (d % 7) * DAY // Sunday night runs into Monday morning
      if (end > 0) out.push([next, next + end])
    }
  }
  return out
}

/**
 * Minutes of the week the filter asks about: the hours window on each chosen weekday, as the
 * incident filter reads them (an incident's own weekday and time of day), so 22–02 on Friday is
 * Friday 00:00–02:00 and Friday 22:00–24:00.
 */
function filterIntervals(hours: HoursWindow | null, weekdays: readonly number[] | null): Interval[] {
  const days = weekdays ?? [1, 2, 3, 4, 5, 6, 7]
  const out: Interval[] = []
  for (const d of days) {
    const base = (d - 1) * DAY
    if (hours === null) out.push([base, base + DAY])
    else if (hours.start < hours.end) out.push([base + hours.start, base + hours.end])
    else {
      out.push([base + hours.start, base + DAY])
      if (hours.end > 0) out.push([base, base + hours.end])
    }
  }
  return out
}

/** True when a shift is on at some minute the filter's hours and weekdays select. */
export function shiftInService(shift: ShiftLike, hours: HoursWindow | null, weekdays: readonly number[] | null): boolean {
  const want = filterIntervals(hours, weekdays)
  return shiftIntervals(shift).some(([a, b]) => want.some(([c, d]) => a < d && c < b && a < WEEK))
}

/** Weekday sets as ranges: [1,2,3,4,5] → [[1,5]], [1,3,4,6] → [[1,1],[3,4],[6,6]]. */
export function dayRanges(days: readonly number[]): [number, number][] {
  const sorted = [...new Set(days)].sort((a, b) => a - b)
  const out: [number, number][] = []
  for (const d of sorted) {
    const last = out[out.length - 1]
    if (last && last[1] === d - 1) last[1] = d
    else out.push([d, d])
  }
  return out
}
