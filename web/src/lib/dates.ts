/**
 * Calendar dates ('YYYY-MM-DD', a local day of the community) as the UI language writes them —
 * "2012年7月1日" in Chinese, "1 Jul 2012" in English — and back from what a person types. Pure
 * functions: Intl only, no DOM.
 */
import { isIsoDate } from './filters'
import type { Lang } from './i18n'

/** The locale whose calendar date format each UI language uses (English: day month year). */
export const DATE_LOCALE: Record<Lang, string> = { zh: 'zh-CN', en: 'en-GB' }

const formats = new Map<Lang, Intl.DateTimeFormat>()
function dateFormat(lang: Lang): Intl.DateTimeFormat {
  let f = formats.get(lang)
  if (f === undefined) {
    // UTC: the date is a calendar day, not an instant; no time zone may move it
    f = new Intl.DateTimeFormat(DATE_LOCALE[lang], { year: 'numeric', month: lang === 'zh' ? 'long' : 'short', day: 'numeric', timeZone: 'UTC' })
    formats.set(lang, f)
  }
  return f
}

/** A 'YYYY-MM-DD' date in the UI language: "2012年7月1日" / "1 Jul 2012". Anything else is returned as it is. */
export function formatDate(iso: string, lang: Lang): string {
  if (!isIsoDate(iso)) return iso
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(2000, m - 1, d))
  date.setUTCFullYear(y)
  return dateFormat(lang).format(date)
}

/** An instant (ISO 8601) as a local date and time in the UI language, e.g. when something was filed or imported. */
export function formatDateTime(iso: string, lang: Lang, style: Intl.DateTimeFormatOptions = {}): string {
  return new Date(iso).toLocaleString(DATE_LOCALE[lang], style)
}

/** A number in the UI language's way, with `digits` decimals. */
export const formatNumber = (v: number, lang: Lang, digits = 0) => v.toLocaleString(DATE_LOCALE[lang], { maximumFractionDigits: digits, minimumFractionDigits: digits })

const monthFormats = new Map<Lang, Intl.DateTimeFormat>()
/** A local month 'YYYY-MM' in the UI language: "2018年12月" / "Dec 2018". */
export function formatMonth(month: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month)
  if (m === null) return month
  let f = monthFormats.get(lang)
  if (f === undefined) {
    f = new Intl.DateTimeFormat(DATE_LOCALE[lang], { year: 'numeric', month: lang === 'zh' ? 'long' : 'short', timeZone: 'UTC' })
    monthFormats.set(lang, f)
  }
  const date = new Date(Date.UTC(2000, Number(m[2]) - 1, 1))
  date.setUTCFullYear(Number(m[1]))
  return f.format(date)
}

/** English month names and abbreviations ("jan", "january", "sept", …) → month 1–12. */
const MONTHS: ReadonlyMap<string, number> = (() => {
  const out = new Map<string, number>()
  for (const width of ['short', 'long'] as const)
    for (const locale of ['en-GB', 'en-US']) {
      const f = new Intl.DateTimeFormat(locale, { month: width, timeZone: 'UTC' })
      for (let m = 1; m <= 12; m++) out.set(f.format(new Date(Date.UTC(2000, m - 1, 1))).toLowerCase().replace(/\.$/, ''), m)
    }
  for (let m = 1; m <= 12; m++) {
    const long = [...out.entries()].find(([k, v]) => v === m && k.length > 4)?.[0]
    if (long !== undefined) out.set(long.slice(0, 3), m)
  }
  out.set('sept', 9)
  return out
})()

const iso = (y: number, m: number, d: number): string | null => {
  const s = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
  return isIsoDate(s) ? s : null
}

/**
 * Reads a typed date into 'YYYY-MM-DD', or null when it is not a whole, real calendar date.
 * Accepted in either UI language: year first with any separator ("2012-07-01", "2012/7/1",
 * "2012.7.1", "2012年7月1日", "20120701") and the English forms with a month name ("1 Jul 2012",
 * "July 1, 2012"). Day-first or month-first numbers ("01/07/2012") are refused: they are
 * ambiguous, and a wrong guess would change the filter silently.
 */
export function parseDateText(text: string): string | null {
  const s = text.trim().toLowerCase().replace(/\s+/g, ' ')
  let m = /^(\d{4}) ?[-/.年] ?(\d{1,2}) ?[-/.月] ?(\d{1,2}) ?日?$/.exec(s)
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]))
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s)
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]))
  m = /^(\d{1,2}) ([a-z]+)\.?,? (\d{4})$/.exec(s)
  if (m) {
    const month = MONTHS.get(m[2]!)
    return month === undefined ? null : iso(Number(m[3]), month, Number(m[1]))
  }
  m = /^([a-z]+)\.? (\d{1,2}),? (\d{4})$/.exec(s)
  if (m) {
    const month = MONTHS.get(m[1]!)
    return month === undefined ? null : iso(Number(m[3]), month, Number(m[2]))
  }
  return null
}

/** Today's date in a time zone (the community's), YYYY-MM-DD. */
export function localToday(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}
