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
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    for (const key of Object.keys(en) as (keyof typeof en)[]) expect(names(zh[key]), key).toEqual(names(en[key]))
  })

  test('the Chinese dictionary is actually Chinese where it names things', () => {
    expect(zh['app.name']).toBe('平安网格')
    expect(zh['header.sampleBadge']).toBe('示例数据')
    expect(en['header.sampleBadge']).toBe('sample data')
  })
})
