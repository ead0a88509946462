import { describe, expect, it } from 'vitest'
import { classifyEmerging } from '../../server/src/analysis/emerging.js'
import { mannKendall, tied, tieGroups } from '../../server/src/analysis/stats.js'

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

describe('Mann–Kendall ties', () => {
  // A weekly series whose z-scores tie in exact arithmetic (the same count in the same neighbourhood
  // gives the same z), as floating point delivers them: a few units in the last place apart.
  const exact = [1.5, 0.3, 0.3, 2.1, 0.3, 1.5, 2.1, 2.1, 0.7, 1.5, 0.3, 2.1]
  const noisy = exact.map((z, k) => (k % 2 === 0 ? z : z + z * Number.EPSILON * 3))

  it('finds the ties of values equal but for rounding, as if they were exact', () => {
    expect(noisy).not.toEqual(exact)
    expect(tieGroups(noisy).sort()).toEqual(tieGroups(exact).sort())
    expect(tieGroups(exact).sort()).toEqual([1, 3, 4, 4])
    const a = mannKendall(exact)
    const b = mannKendall(noisy)
    expect([b.s, b.varS, b.z, b.tau]).toEqual([a.s, a.varS, a.z, a.tau])
  })

  it('corrects the variance for ties: n(n−1)(2n+5) − Σ t(t−1)(2t+5), over 18', () => {
    const n = exact.length
    const tie = [3, 4, 4].reduce((acc, t) => acc + t * (t - 1) * (2 * t + 5), 0)
    expect(mannKendall(noisy).varS).toBeCloseTo((n * (n - 1) * (2 * n + 5) - tie) / 18, 12)
  })

  it('still tells apart values that differ by more than rounding', () => {
    expect(tied(0.1 + 0.2, 0.3)).toBe(true)
    expect(tied(1, 1 + 1e-6)).toBe(false)
    expect(tieGroups([1, 1 + 1e-6, 1 + 2e-6])).toEqual([1, 1, 1])
  })
})
