import { describe, expect, it } from 'vitest'
import { bboxParam } from '../../server/src/http/params.js'
import { parseTile } from '../../server/src/routes/tiles.js'
import { ApiError } from '../../server/src/errors.js'

describe('query parameters', () => {
  it('parse a bbox into four numbers and treat an absent one as no filter', () => {
    expect(bboxParam.parse('-122.42,37.76,-122.41,37.77')).toEqual([-122.42, 37.76, -122.41, 37.77])
    expect(bboxParam.parse(undefined)).toBeNull()
    expect(bboxParam.parse('')).toBeNull()
  })

  it('name the problem of a bad bbox', () => {
    const r = bboxParam.safeParse('10,10,5,5')
    expect(r.success).toBe(false)
    expect(r.error!.issues[0]!.message).toMatch(/west ≤ east/)
    expect(bboxParam.safeParse('1,2,,4').success).toBe(false)
  })

  it('accept tile addresses of their zoom and reject others with invalid_tile', () => {
    expect(parseTile('0', '0', '0.mvt')).toEqual({ z: 0, x: 0, y: 0 })
    expect(parseTile('14', '2620', '6333.mvt')).toEqual({ z: 14, x: 2620, y: 6333 })
    for (const [z, x, y] of [['1', '2', '0.mvt'], ['23', '0', '0.mvt'], ['3', '1', '1.png'], ['3', '1e1', '1.mvt'], ['', '0', '0.mvt']] as const) {
      expect(() => parseTile(z, x, y)).toThrow(ApiError)
      try {
        parseTile(z, x, y)
      } catch (e) {
        expect((e as ApiError).code).toBe('invalid_tile')
      }
    }
  })
})
