/** Pure i18n helpers: language choice and message lookup. No DOM or storage access here. */

/** The languages the UI speaks. */
export const LANGUAGES = ['zh', 'en'] as const
export type Lang = (typeof LANGUAGES)[number]

/** Parameters substituted into `{name}` placeholders. */
export type MessageParams = Record<string, string | number>

/** True when `value` names one of the supported languages exactly ("zh" or "en"). */
export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

/**
 * Chooses the UI language: a remembered choice wins; otherwise the browser's first preferred
 * language decides — any `zh*` tag (zh, zh-CN, zh-Hant-TW…) means Chinese, anything else English.
 */
export function pickLanguage(stored: string | null | undefined, browserLanguages: readonly string[]): Lang {
  if (isLang(stored)) return stored
  const first = browserLanguages.find((l) => l.trim() !== '')
  return first !== undefined && /^zh\b/i.test(first.trim()) ? 'zh' : 'en'
}

/**
 * Looks a message up and fills its `{name}` placeholders. A placeholder without a matching
 * parameter stays visible as `{name}` so the gap is noticed rather than silently dropped.
 *
 * Counts choose their words with `{name, plural, one {# incident} other {# incidents}}` (the ICU
 * message form): the branch is picked by `Intl.PluralRules` of `lang` for the parameter's number,
 * `=0`, `=1`… branches match exact numbers first, and `#` in the branch is the parameter as given
 * (already formatted, e.g. "1,234"; its number is read back from that text).
 */
export function translate<K extends string>(
  messages: Readonly<Record<K, string>>,
  key: K,
  params?: MessageParams,
  lang: Lang = 'en',
): string {
  const text = messages[key]
  if (params === undefined) return text
  return fillPlaceholders(expandPlurals(text, params, lang), params)
}

function fillPlaceholders(text: string, params: MessageParams): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name]
    return value === undefined ? whole : String(value)
  })
}

const pluralRules = new Map<Lang, Intl.PluralRules>()

/** The plural category ("one", "other", …) of `n` in `lang`. */
export function pluralCategory(n: number, lang: Lang): Intl.LDMLPluralRule {
  let rules = pluralRules.get(lang)
  if (rules === undefined) {
    rules = new Intl.PluralRules(htmlLangTag(lang))
    pluralRules.set(lang, rules)
  }
  return rules.select(n)
}

/** The number a parameter stands for: a number, or formatted text such as "1,234" or "1 234". */
function numberOf(value: string | number): number {
  if (typeof value === 'number') return value
  const n = Number(value.replace(/[^\d.-]/g, ''))
  return Number.isFinite(n) ? n : NaN
}

/** Replaces each `{name, plural, …}` block by its chosen branch (`#` → the parameter). */
function expandPlurals(text: string, params: MessageParams, lang: Lang): string {
  const start = /\{(\w+), ?plural, ?/g
  let out = ''
  let from = 0
  for (let m = start.exec(text); m !== null; m = start.exec(text)) {
    // the branches: `selector {text}` pairs up to the block's closing brace
    const branches = new Map<string, string>()
    let i = m.index + m[0].length
    while (i < text.length && text[i] !== '}') {
      const sel = /^\s*(=?\w+)\s*\{/.exec(text.slice(i))
      if (sel === null) break
      let depth = 1
      let j = i + sel[0].length
      const body = j
      while (j < text.length && depth > 0) {
        if (text[j] === '{') depth++
        else if (text[j] === '}') depth--
        j++
      }
      branches.set(sel[1]!, text.slice(body, j - 1))
      i = j
      while (text[i] === ' ') i++
    }
    const name = m[1]!
    const value = params[name]
    const n = value === undefined ? NaN : numberOf(value)
    const chosen = branches.get(`=${n}`) ?? (Number.isNaN(n) ? undefined : branches.get(pluralCategory(n, lang))) ?? branches.get('other') ?? ''
    out += text.slice(from, m.index) + chosen.replace(/#/g, value === undefined ? `{${name}}` : String(value))
    from = i + 1
    start.lastIndex = from
  }
  return out + text.slice(from)
}

/** The BCP 47 tag for `<html lang>`: Simplified Chinese is "zh-CN". */
export function htmlLangTag(lang: Lang): string {
  return lang === 'zh' ? 'zh-CN' : 'en'
}
