/**
 * When a patrol shift is in service — the one rule, shared by the server (priority gaps) and the web
 * app (routes fading out of the filter's hours, the details panel). Its SQL twin is the function
 * `safegrid_shift_in_window` (sql/migrations/00005_domain_rules.sql), which coverage and gaps run;
 * test/api/rules.test.ts holds the two to the same answers. Pure code, no imports beyond the contract.
 *
 * - A shift runs on each of its ISO weekdays from `start` to `end`; when end ≤ start it runs past
 *   midnight, and the part after midnight belongs to the next day (Sunday night into Monday).
 * - A window is a time of day [start, end) — crossing midnight when end ≤ start — on each of its
 *   weekdays, read as the incident filter reads an incident: its own weekday and time of day, so
 *   22–02 on Friday is Friday 00:00–02:00 and Friday 22:00–24:00. No hours: the whole day; no
 *   weekdays: every day.
 * - The shift is in service during the window when some part of it overlaps some part of the window
 *   on the same weekday (open intervals: a shift ending at 22:00 is not in service at 22–02).
 */
import type { HoursWindow } from '../contract.js'

const DAY = 1440
const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7] as const

/** A shift in minutes after local midnight: ISO weekdays it starts on, start and end. */
export interface ShiftMinutes {
  days: readonly number[]
  start: number
  end: number
}

/** A window of the patrol network: ISO weekdays and a time of day (null: all). */
export interface PatrolWindow {
  weekdays: readonly number[] | null
  hours: HoursWindow | null
}

/** One day's part of a shift: [start, end) minutes on ISO weekday `day`. */
interface Part {
  day: number
  start: number
  end: number
}

/** The parts of a shift, day by day; past midnight, the rest on the next day. */
export function shiftParts(shift: ShiftMinutes): Part[] {
  const parts: Part[] = []
  for (const d of shift.days) {
    if (shift.end > shift.start) parts.push({ day: d, start: shift.start, end: shift.end })
    else {
      parts.push({ day: d, start: shift.start, end: DAY })
      if (shift.end > 0) parts.push({ day: (d % 7) + 1, start: 0, end: shift.end })
    }
  }
  return parts
}

/** The window's time of day as [start, end) intervals of one day, split at midnight. */
export function windowIntervals(hours: HoursWindow | null): [number, number][] {
  if (hours === null) return [[0, DAY]]
  if (hours.start < hours.end) return [[hours.start, hours.end]]
  return hours.end > 0 ? [[hours.start, DAY], [0, hours.end]] : [[hours.start, DAY]]
}

/** True when the shift is on at some minute of the window (see the header for the rule). */
export function shiftInWindow(shift: ShiftMinutes, window: PatrolWindow): boolean {
  const days = new Set(window.weekdays ?? ALL_DAYS)
  const intervals = windowIntervals(window.hours)
  return shiftParts(shift).some((p) => days.has(p.day) && intervals.some(([a, b]) => p.start < b && a < p.end))
}

/**
 * Which hours of the day (0–23) some shift is in service in, at least in part, on one of `weekdays`
 * (null: every day) — the rule applied to each hour [h:00, h+1:00).
 */
export function coveredHours(shifts: readonly ShiftMinutes[], weekdays: readonly number[] | null): boolean[] {
  return Array.from({ length: 24 }, (_, h) => shifts.some((s) => shiftInWindow(s, { weekdays, hours: { start: h * 60, end: (h + 1) * 60 } })))
}

/** Minutes after midnight of "HH:MM" (as the routes layer writes shift times). */
export function minutesOf(hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm)
  if (!m) throw new Error(`not a time: ${hhmm}`)
  return (Number(m[1]) * 60 + Number(m[2])) % DAY
}
