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
 */
export function translate<K extends string>(
  messages: Readonly<Record<K, string>>,
  key: K,
  params?: MessageParams,
): string {
  const text = messages[key]
  if (params === undefined) return text
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name]
    return value === undefined ? whole : String(value)
  })
}

/** The BCP 47 tag for `<html lang>`: Simplified Chinese is "zh-CN". */
export function htmlLangTag(lang: Lang): string {
  return lang === 'zh' ? 'zh-CN' : 'en'
}
