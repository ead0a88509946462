/**
 * The UI's language: dictionaries, a typed `t(key)`, and a React context holding the current
 * language (remembered in localStorage, first guess from `navigator.languages`).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { htmlLangTag, pickLanguage, translate, type Lang, type MessageParams } from '../lib/i18n'
import { en, type MessageKey, type Messages } from './en'
import { zh } from './zh'

export type { Lang } from '../lib/i18n'
export type { MessageKey } from './en'

const dictionaries: Record<Lang, Messages> = { zh, en }

/** A translator for one language; only known keys type-check. */
export type Translate = (key: MessageKey, params?: MessageParams) => string

/** Builds the translator for `lang`. */
export function makeT(lang: Lang): Translate {
  const messages = dictionaries[lang]
  return (key, params) => translate(messages, key, params, lang)
}

const STORAGE_KEY = 'safegrid.lang'

function readStoredLanguage(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY)
  } catch {
    return null // storage can be disabled (private mode, sandboxed frames)
  }
}

function initialLanguage(): Lang {
  const browser = navigator.languages.length > 0 ? navigator.languages : [navigator.language]
  return pickLanguage(readStoredLanguage(), browser)
}

interface I18nValue {
  lang: Lang
  setLang: (lang: Lang) => void
  t: Translate
}

const I18nContext = createContext<I18nValue | null>(null)

/** Provides the language to the tree and keeps `<html lang>` and the page title in step. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLanguage)
  const t = useMemo(() => makeT(lang), [lang])

  const setLang = useCallback((next: Lang) => {
    setLangState(next)
    try {
      window.localStorage.setItem(STORAGE_KEY, next)
    } catch {
      // not remembered; the choice still holds for this page
    }
  }, [])

  useEffect(() => {
    document.documentElement.lang = htmlLangTag(lang)
    document.title = t('app.title')
  }, [lang, t])

  const value = useMemo(() => ({ lang, setLang, t }), [lang, setLang, t])
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>
}

/** The current language, its setter and translator. Must be used inside `I18nProvider`. */
export function useI18n(): I18nValue {
  const value = useContext(I18nContext)
  if (value === null) throw new Error('useI18n() used outside <I18nProvider>')
  return value
}
