import type { Lang } from './i18n'

/**
 * Each language's name in itself, for the switch. Deliberately the same in every UI language:
 * a reader looks for their own language's name.
 */
export const LANGUAGE_NAMES: Record<Lang, string> = { zh: '中文', en: 'English' }
