import { describe, expect, test } from 'vitest'
import { en } from '../../web/src/i18n/en'
import { ApiError, errorCodeKey, KNOWN_ERROR_CODES, parseApiError } from '../../web/src/lib/api-error'

describe('reading error answers', () => {
  test('the documented error shape gives code, message and details', () => {
    const e = parseApiError(404, { error: { code: 'community_not_found', message: 'no community "x"', details: { id: 'x' } } })
    expect(e).toBeInstanceOf(ApiError)
    expect([e.status, e.code, e.message, e.details]).toEqual([404, 'community_not_found', 'no community "x"', { id: 'x' }])
  })

  test('an answer in another shape becomes an "unknown" error with its text', () => {
    expect(parseApiError(502, '<html>Bad gateway</html>')).toMatchObject({ status: 502, code: 'unknown', message: '<html>Bad gateway</html>' })
    expect(parseApiError(500, null)).toMatchObject({ status: 500, code: 'unknown', message: '' })
    expect(parseApiError(500, { error: 'boom' })).toMatchObject({ code: 'unknown' })
    expect(parseApiError(400, { error: { message: 'no code' } })).toMatchObject({ code: 'unknown', message: 'no code' })
  })

  test('every known error code has a message; other codes fall back to the generic one', () => {
    for (const code of KNOWN_ERROR_CODES) expect(Object.keys(en)).toContain(errorCodeKey(code))
    expect(errorCodeKey('teapot')).toBe('error.code.unknown')
  })
})
