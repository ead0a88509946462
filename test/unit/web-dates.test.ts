import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { en } from '../../web/src/i18n/en'
import { zh } from '../../web/src/i18n/zh'
import { formatDate, formatMonth, parseDateText } from '../../web/src/lib/dates'
import { MAPLIBRE_LOCALE_KEYS } from '../../web/src/map/mapLocale'

describe('dates in the UI language (issue 14, item 9)', () => {
  test('Chinese writes 2012年7月1日, English 1 Jul 2012, whatever the machine’s time zone', () => {
    expect(formatDate('2012-07-01', 'zh')).toBe('2012年7月1日')
    expect(formatDate('2012-07-01', 'en')).toBe('1 Jul 2012')
    expect(formatDate('2019-12-31', 'en')).toBe('31 Dec 2019')
    expect(formatDate('2019-12-31', 'zh')).toBe('2019年12月31日')
  })

  test('what is not a date is shown as it is', () => {
    expect(formatDate('soon', 'en')).toBe('soon')
  })
})

describe('reading a typed date (issue 14, item 2)', () => {
  test('year-first numbers with any separator, and the Chinese form', () => {
    for (const s of ['2012-07-01', '2012-7-1', '2012/07/01', '2012.7.1', '2012年7月1日', '2012 年 7 月 1 日', '20120701', ' 2012-07-01 '])
      expect(parseDateText(s), s).toBe('2012-07-01')
  })

  test('English with a month name, day first or month first', () => {
    for (const s of ['1 Jul 2012', '1 July 2012', '01 jul 2012', 'Jul 1, 2012', 'July 1 2012']) expect(parseDateText(s), s).toBe('2012-07-01')
    expect(parseDateText('30 Sept 2019')).toBe('2019-09-30')
    expect(parseDateText('30 Sep 2019')).toBe('2019-09-30')
  })

  test('each date the UI writes reads back as itself, in both languages', () => {
    for (const d of ['2012-07-01', '2019-09-30', '2018-12-01', '2020-02-29'])
      for (const lang of ['zh', 'en'] as const) expect(parseDateText(formatDate(d, lang)), `${d} ${lang}`).toBe(d)
  })

  test('half-typed, impossible or ambiguous dates are not dates', () => {
    for (const s of ['', '2', '201', '2012', '2012-0', '2012-07', '2012-07-', '2012-02-30', '2012-13-01', '01/07/2012', '7/1/2012', '1 Jly 2012', 'yesterday'])
      expect(parseDateText(s), s).toBeNull()
  })
})

describe('MapLibre’s control strings (issue 14, item 9)', () => {
  test('our list is the installed maplibre-gl’s default locale, key for key', () => {
    const file = path.resolve(import.meta.dirname, '../../node_modules/maplibre-gl/dist/maplibre-gl-dev.mjs')
    const source = fs.readFileSync(file, 'utf8')
    const block = /const defaultLocale = \{([\s\S]*?)\};/.exec(source)
    expect(block).not.toBeNull()
    const keys = [...block![1]!.matchAll(/"([\w.]+)":/g)].map((m) => m[1])
    expect([...MAPLIBRE_LOCALE_KEYS].sort()).toEqual(keys.sort())
  })

  test('every key is translated, and the Chinese strings are Chinese', () => {
    for (const k of MAPLIBRE_LOCALE_KEYS) {
      expect(Object.keys(en)).toContain(`maplibre.${k}`)
      expect(Object.keys(zh)).toContain(`maplibre.${k}`)
    }
    expect(zh['maplibre.NavigationControl.ZoomIn']).toBe('放大')
    expect(zh['maplibre.ScaleControl.Meters']).toBe('米')
  })
})

describe('months in the UI language', () => {
  test('a month reads as the language writes it, and anything else is left alone', () => {
    expect(formatMonth('2018-12', 'zh')).toBe('2018年12月')
    expect(formatMonth('2018-12', 'en')).toBe('Dec 2018')
    expect(formatMonth('0999-01', 'en')).toBe('Jan 999')
    expect(formatMonth('2018-13x', 'en')).toBe('2018-13x')
  })
})
