import { describe, expect, it } from 'vitest'
import { classifyEmerging } from '../../server/src/analysis/emerging.js'

// z = 3 is a significant hot spot (p ≈ 0.003), -3 a cold spot, 0.5 nothing at 95 %.
const H = 3
const C = -3
const N = 0.5

describe('emerging hot spot categories', () => {
  it.each([
    ['new', [N, N, N, N, N, N, N, N, N, H]],
    ['consecutive', [N, N, N, N, N, N, N, H, H, H]],
    ['intensifying', [2.0, 2.1, 2.3, 2.6, 3, 3.4, 3.9, 4.4, 5, 5.8]],
    ['persistent', [3, 3.2, 2.9, 3.1, 3, 2.9, 3.2, 3.1, 3, 3.05]],
    ['diminishing', [5.8, 5, 4.4, 3.9, 3.4, 3, 2.6, 2.3, 2.1, 2.0]],
    ['historical', [H, H, H, H, H, H, H, H, H, N]],
    ['sporadic', [N, H, N, N, H, N, N, N, N, H]],
    ['oscillating', [N, C, N, H, N, N, N, N, N, H]],
    ['none', [N, N, N, N, N, N, N, N, N, N]],
    ['none', [H, N, N, N, N, N, N, N, N, N]],
  ] as const)('calls a cell %s', (category, zs) => {
    expect(classifyEmerging(zs).category).toBe(category)
  })

  it('never counts an undefined z-score as significant', () => {
    const r = classifyEmerging([null, null, null, H])
    expect(r).toMatchObject({ category: 'new', hotSlices: 1, coldSlices: 0 })
  })
})
