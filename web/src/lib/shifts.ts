/**
 * Patrol shifts on the map: which part of the day a shift belongs to (drawn as solid, dashed or
 * dotted lines) and whether a route is in service during the filter bar's hours and weekdays.
 */
import { minutesOf, shiftInWindow } from '../../../server/src/rules/shifts'
import type { HoursWindow } from './filters'

export { minutesOf } from '../../../server/src/rules/shifts'

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

/**
 * True when a shift is on at some minute the filter's hours and weekdays select — the rule of
 * server/src/rules/shifts.ts, which the server's coverage SQL shares (a test holds them equal).
 */
export function shiftInService(shift: ShiftLike, hours: HoursWindow | null, weekdays: readonly number[] | null): boolean {
  return shiftInWindow({ days: shift.days, start: minutesOf(shift.start), end: minutesOf(shift.end) }, { hours, weekdays })
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
