/**
 * A route's shifts as an office writes them in one cell (docs/import.md, "routes"):
 *
 *   Mon-Fri 22:00-02:00; Sat,Sun 08:00-12:00
 *   周一至周五 22:00-02:00；周六、周日 08:00-12:00      一至五 22:00-次日02:00
 *   工作日 18:00-22:00 / 周末 / 每天 / daily             22:00-06:00 (no days: every day)
 *
 * or as the export and the layers API write them, a JSON list `[{"days":[1,2],"start":"22:00","end":"02:00"}]`.
 * Shifts are separated by `;`, `；` or a new line; days by `,`, `，`, `、`, `/` or spaces, with
 * ranges `Mon-Fri`, `Fri-Mon` (wrapping), `周一至周五`, `一至五`. An end at or before the start runs
 * past midnight (as everywhere: rules/shifts.ts). Each shift is then checked by the planning API's
 * own schema (contract.ts ShiftInputSchema: HH:MM times, weekdays 1–7, end ≠ start), at most 50.
 */
import { ShiftInputSchema } from '../contract.js'

export interface ImportedShift {
  days: number[]
  start: string
  end: string
}

/** What went wrong: `bad_shifts` (a part that is not a shift, in `part`) or `shift_same_times`. */
export type ShiftsResult = { ok: true; shifts: ImportedShift[] } | { ok: false; code: 'bad_shifts' | 'shift_same_times' | 'too_many_shifts'; part: string }

export const MAX_SHIFTS = 50

const DAY_NAMES: Record<string, number> = {
  mon: 1, monday: 1, tue: 2, tues: 2, tuesday: 2, wed: 3, weds: 3, wednesday: 3, thu: 4, thur: 4, thurs: 4, thursday: 4,
  fri: 5, friday: 5, sat: 6, saturday: 6, sun: 7, sunday: 7,
  一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, 七: 7,
  '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7,
}
const DAY_GROUPS: Record<string, number[]> = {
  daily: [1, 2, 3, 4, 5, 6, 7], everyday: [1, 2, 3, 4, 5, 6, 7], 每天: [1, 2, 3, 4, 5, 6, 7], 每日: [1, 2, 3, 4, 5, 6, 7], 全周: [1, 2, 3, 4, 5, 6, 7],
  weekdays: [1, 2, 3, 4, 5], workdays: [1, 2, 3, 4, 5], 工作日: [1, 2, 3, 4, 5],
  weekend: [6, 7], weekends: [6, 7], 周末: [6, 7], 双休日: [6, 7],
}

/** A weekday from a name (周一, 星期日, 礼拜六, Mon, monday, 1–7), or undefined. */
function dayOf(raw: string): number | undefined {
  const s = raw.trim().toLowerCase().replace(/^(周|星期|礼拜)/, '').replace(/\.$/, '')
  return DAY_NAMES[s]
}

/** The weekdays of a days part ("Mon-Fri, Sun", "周一至五、周日"), or null when a part is not a day. */
function daysOf(raw: string): number[] | null {
  const text = raw.trim().toLowerCase().replace(/every\s+day/g, 'daily').replace(/[:：]$/, '')
  if (text === '') return [1, 2, 3, 4, 5, 6, 7]
  const out = new Set<number>()
  for (const token of text.split(/[,，、/\s]+/).filter((t) => t !== '')) {
    const group = DAY_GROUPS[token]
    if (group) {
      group.forEach((d) => out.add(d))
      continue
    }
    const range = token.split(/-|–|—|~|～|至|到/)
    if (range.length === 1) {
      const d = dayOf(token)
      if (d === undefined) return null
      out.add(d)
    } else if (range.length === 2) {
      const a = dayOf(range[0]!)
      const b = dayOf(range[1]!)
      if (a === undefined || b === undefined) return null
      // Fri-Mon wraps through the weekend
      for (let d = a, n = 0; n < 7; d = (d % 7) + 1, n++) {
        out.add(d)
        if (d === b) break
      }
    } else return null
  }
  return out.size === 0 ? null : [...out].sort((x, y) => x - y)
}

const pad = (t: string) => {
  const [h, m] = t.replace('：', ':').split(':')
  return `${h!.padStart(2, '0')}:${m}`
}

const SHIFT = /^(.*?)\s*(\d{1,2}[:：]\d{2})\s*(?:-|–|—|~|～|至|到|to)\s*(?:次日|翌日|next\s*day\s*)?(\d{1,2}[:：]\d{2})\s*(?:\(?\s*(?:次日|next\s*day)\s*\)?)?$/i

/** Reads a shifts cell (text or the export's JSON list); an empty cell is no shifts. */
export function readShifts(raw: string): ShiftsResult {
  const text = raw.trim()
  let shifts: ImportedShift[] = []
  if (text.startsWith('[')) {
    let list: unknown
    try {
      list = JSON.parse(text)
    } catch {
      return { ok: false, code: 'bad_shifts', part: text.slice(0, 60) }
    }
    if (!Array.isArray(list)) return { ok: false, code: 'bad_shifts', part: text.slice(0, 60) }
    for (const item of list) {
      const s = item as { days?: unknown; start?: unknown; end?: unknown }
      if (!s || typeof s !== 'object' || !Array.isArray(s.days) || typeof s.start !== 'string' || typeof s.end !== 'string')
        return { ok: false, code: 'bad_shifts', part: JSON.stringify(item).slice(0, 60) }
      shifts.push({ days: s.days as number[], start: s.start, end: s.end })
    }
  } else {
    for (const part of text.split(/[;；\n]+/).map((p) => p.trim()).filter((p) => p !== '')) {
      const m = SHIFT.exec(part)
      const days = m ? daysOf(m[1]!) : null
      if (!m || days === null) return { ok: false, code: 'bad_shifts', part: part.slice(0, 60) }
      shifts.push({ days, start: pad(m[2]!), end: pad(m[3]!) })
    }
  }
  if (shifts.length > MAX_SHIFTS) return { ok: false, code: 'too_many_shifts', part: String(shifts.length) }
  for (const s of shifts) {
    // the planning API's own rule of a shift
    const checked = ShiftInputSchema.safeParse(s)
    if (!checked.success) {
      const part = `${s.days.join(',')} ${s.start}-${s.end}`
      return { ok: false, code: checked.error.issues.some((i) => i.path[0] === 'end' && i.code === 'custom') ? 'shift_same_times' : 'bad_shifts', part }
    }
    s.days = [...s.days].sort((a, b) => a - b)
  }
  // one of each, in a stable order (what the comparison with the stored shifts reads)
  const key = (s: ImportedShift) => `${s.days.join(',')} ${s.start} ${s.end}`
  const seen = new Set<string>()
  shifts = shifts.filter((s) => !seen.has(key(s)) && seen.add(key(s)) !== undefined)
  shifts.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
  return { ok: true, shifts }
}
