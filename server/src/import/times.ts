/**
 * Times in imported files: local wall-clock times in the community's time zone (an office's list
 * says "2024-03-10 02:30", not an offset). A date without a time of day is "time unknown", stored
 * as the local date at 00:00 with time_known = false, as the demo's incidents are. A local time
 * that the clocks skipped (spring forward) or passed twice (fall back) is reported, not guessed;
 * an explicit offset ("…+08:00", "…Z") is taken as written.
 */

/** A time read from a cell. */
export type ReadTime =
  | { ok: true; /** what PostgreSQL reads: a local 'YYYY-MM-DD HH:MM:SS' (converted in the community's zone) or an ISO instant with offset */ value: string; local: boolean; timeKnown: boolean }
  | { ok: false; code: 'bad_time' | 'time_nonexistent' | 'time_ambiguous' }

const DATE_TIME = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})(?:\.\d+)?秒?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/

/** One formatter per zone: making one costs far more than using it. */
const FORMATS = new Map<string, Intl.DateTimeFormat>()

/** Minutes the zone's clock is ahead of UTC at instant `ms`. */
export function zoneOffsetMinutes(timeZone: string, ms: number): number {
  let format = FORMATS.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    FORMATS.set(timeZone, format)
  }
  const parts = format.formatToParts(new Date(ms))
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'))
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000)
}

/** The instants (UTC ms) at which a zone's clocks show a wall time: none (skipped), one, or two (passed twice). */
export function instantsOfWallTime(timeZone: string, wallAsUtcMs: number): number[] {
  const offsets = new Set([zoneOffsetMinutes(timeZone, wallAsUtcMs - 86_400_000), zoneOffsetMinutes(timeZone, wallAsUtcMs), zoneOffsetMinutes(timeZone, wallAsUtcMs + 86_400_000)])
  const out = new Set<number>()
  for (const o of offsets) {
    const t = wallAsUtcMs - o * 60_000
    if (zoneOffsetMinutes(timeZone, t) === o) out.add(t)
  }
  return [...out].sort((a, b) => a - b)
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** Reads a date or date-time written by people (2024-03-10, 2024/3/10 8:05, 2024年3月10日 08:05, ISO with offset). */
export function readTime(raw: string, timeZone: string): ReadTime {
  const m = DATE_TIME.exec(raw.trim())
  if (!m) return { ok: false, code: 'bad_time' }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const hasTime = m[4] !== undefined
  const [h, mi, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)]
  if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate() || h > 23 || mi > 59 || s > 59) return { ok: false, code: 'bad_time' }
  const local = `${pad(y, 4)}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}`
  if (m[7] !== undefined) {
    if (!hasTime) return { ok: false, code: 'bad_time' }
    const off = m[7] === 'Z' ? 'Z' : m[7].length === 5 ? `${m[7].slice(0, 3)}:${m[7].slice(3)}` : m[7]
    if (off !== 'Z' && (Number(off.slice(1, 3)) > 14 || Number(off.slice(4, 6)) > 59)) return { ok: false, code: 'bad_time' }
    return { ok: true, value: `${local.replace(' ', 'T')}${off}`, local: false, timeKnown: true }
  }
  if (!hasTime) return { ok: true, value: local, local: true, timeKnown: false }
  const n = instantsOfWallTime(timeZone, Date.UTC(y, mo - 1, d, h, mi, s)).length
  if (n === 0) return { ok: false, code: 'time_nonexistent' }
  if (n > 1) return { ok: false, code: 'time_ambiguous' }
  return { ok: true, value: local, local: true, timeKnown: true }
}
