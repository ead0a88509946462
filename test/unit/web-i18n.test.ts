import { describe, expect, test } from 'vitest'
import { en } from '../../web/src/i18n/en'
import { zh } from '../../web/src/i18n/zh'
import { htmlLangTag, isLang, pickLanguage, translate } from '../../web/src/lib/i18n'

describe('choosing the UI language', () => {
  test('a remembered choice wins over the browser language', () => {
    expect(pickLanguage('en', ['zh-CN'])).toBe('en')
    expect(pickLanguage('zh', ['en-US'])).toBe('zh')
  })

  test('any zh tag from the browser means Chinese', () => {
    for (const tag of ['zh', 'zh-CN', 'zh-TW', 'zh-Hant-HK', 'ZH-cn']) expect(pickLanguage(null, [tag])).toBe('zh')
  })

  test('other browser languages, and none at all, mean English', () => {
    for (const tags of [['en-GB'], ['de', 'zh-CN'], ['zhx'], [], ['']]) expect(pickLanguage(null, tags)).toBe('en')
  })

  test('a remembered value that is not a language is ignored', () => {
    expect(pickLanguage('fr', ['zh-CN'])).toBe('zh')
    expect(pickLanguage('', ['en'])).toBe('en')
    expect(isLang('ZH')).toBe(false)
  })

  test('html lang tags are zh-CN and en', () => {
    expect(htmlLangTag('zh')).toBe('zh-CN')
    expect(htmlLangTag('en')).toBe('en')
  })
})

describe('looking messages up', () => {
  test('placeholders are filled from the parameters', () => {
    expect(translate(en, 'error.layer', { layer: 'Patrol routes' })).toBe('The layer “Patrol routes” could not be loaded.')
    expect(translate(zh, 'error.code.unknown', { status: 502 })).toBe('服务器返回错误（HTTP 502）。')
  })

  test('a placeholder without a parameter stays visible', () => {
    expect(translate(en, 'error.layer')).toBe('The layer “{layer}” could not be loaded.')
    expect(translate(en, 'error.layer', { other: 'x' })).toBe('The layer “{layer}” could not be loaded.')
  })

  test('both dictionaries have exactly the same keys, none empty', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort())
    for (const [key, text] of [...Object.entries(en), ...Object.entries(zh)]) expect(text.trim(), key).not.toBe('')
  })

  test('both dictionaries use the same placeholders in each message', () => {
    // plain `{name}` and the parameter of `{name, plural, …}` blocks, each name once
    const unwrapBranches = (s: string) => s.replace(/\b(?:zero|one|two|few|many|other|=\d+) ?\{([^{}]*)\}/g, '$1')
    const names = (s: string) => [...new Set([...unwrapBranches(s).matchAll(/\{(\w+)(?:\}|, ?plural)/g)].map((m) => m[1]))].sort()
    for (const key of Object.keys(en) as (keyof typeof en)[]) expect(names(zh[key]), key).toEqual(names(en[key]))
  })

  test('the Chinese dictionary is actually Chinese where it names things', () => {
    expect(zh['app.name']).toBe('平安网格')
    expect(zh['header.sampleBadge']).toBe('示例数据')
    expect(en['header.sampleBadge']).toBe('sample data')
  })
})

describe('plurals (issue 14, item 9)', () => {
  test('English counts take the singular for one and the plural otherwise, in every count message', () => {
    expect(translate(en, 'filters.count', { n: 1 }, 'en')).toBe('1 incident')
    expect(translate(en, 'filters.count', { n: 2 }, 'en')).toBe('2 incidents')
    expect(translate(en, 'filters.count', { n: '1,234' }, 'en')).toBe('1,234 incidents')
    expect(translate(en, 'filters.count', { n: 0 }, 'en')).toBe('0 incidents')
    expect(translate(en, 'filters.count.of', { n: 1, all: 1 }, 'en')).toBe('1 of 1 incident')
    expect(translate(en, 'analysis.summary', { incidents: 1, cells: 1, cell: 100 }, 'en')).toBe('1 incident in 1 cell of 100 m.')
    expect(translate(en, 'analysis.summary', { incidents: 21, cells: 3, cell: 100 }, 'en')).toBe('21 incidents in 3 cells of 100 m.')
    expect(translate(en, 'details.clusterTitle', { n: 1 }, 'en')).toBe('1 incident here')
    expect(translate(en, 'coverage.captains.summary', { over: 1, n: 1, max: 1 }, 'en')).toBe('1 of 1 captain looks after more than 1 building.')
    expect(translate(en, 'coverage.captains.summary', { over: 2, n: 9, max: 12 }, 'en')).toBe('2 of 9 captains look after more than 12 buildings.')
  })

  test('no English count message says "1 …s": each is checked with 1 for every numeric parameter', () => {
    const counts = ['n', 'count', 'incidents', 'cells', 'slices', 'all', 'buildings', 'households', 'over', 'max']
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const text = translate(en, key, Object.fromEntries(counts.map((c) => [c, 1])), 'en')
      expect(text, key).not.toMatch(/\b1 (incidents|cells|slices|categories|buildings|households|captains|pieces|characters)\b/)
    }
  })

  test('Chinese has no plural forms: the number is simply filled in', () => {
    expect(translate(zh, 'filters.count', { n: 1 }, 'zh')).toBe(translate(zh, 'filters.count', { n: 1 }))
    expect(translate(zh, 'filters.count', { n: 1 }, 'zh')).toContain('1')
  })

  test('exact-number branches win, and a missing parameter stays visible', () => {
    const m = { k: '{n, plural, =0 {none} one {# thing} other {# things}}' } as const
    expect(translate(m, 'k', { n: 0 })).toBe('none')
    expect(translate(m, 'k', { n: 1 })).toBe('1 thing')
    expect(translate(m, 'k', {})).toBe('{n} things')
  })
})
