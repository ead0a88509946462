import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { binomTwoSidedP, compareCounts, EXACT_MAX_N, poissonTestP } from '../../server/src/analysis/poisson.js'

/** The cases R computed (Rscript fixtures/golden/poisson-test.R): name, x1, x2, t1, t2, p, rate ratio. */
function readRCases() {
  const [, ...rows] = fs.readFileSync(new URL('../../fixtures/golden/poisson-test-expected.csv', import.meta.url), 'utf8').trim().split('\n')
  return rows.map((r) => {
    const [name, x1, x2, t1, t2, p, rr] = r.split(',')
    return { name: name!, x1: Number(x1), x2: Number(x2), t1: Number(t1), t2: Number(t2), p: Number(p), rateRatio: Number(rr) }
  })
}

describe('the change test agrees with R poisson.test', () => {
  it.each(readRCases().map((c) => [c.name, c] as const))('%s: p as R gives it, to 1e-14 relative', (_, c) => {
    const p = poissonTestP(c.x1, c.x2, c.t1, c.t2)
    expect(Math.abs(p - c.p) / c.p).toBeLessThan(1e-14)
  })

  it('covers both ways of computing: exact rationals for small totals and floating point for large ones', () => {
    const totals = readRCases().map((c) => c.x1 + c.x2)
    expect(totals.some((n) => n <= EXACT_MAX_N)).toBe(true)
    expect(totals.some((n) => n > EXACT_MAX_N)).toBe(true)
  })

  it('gives the rate ratio R gives, null where R has Inf or NaN', () => {
    for (const c of readRCases()) {
      const { rateRatio } = compareCounts(c.x1, c.x2, c.t1, c.t2)
      if (Number.isFinite(c.rateRatio)) expect(rateRatio).toBeCloseTo(c.rateRatio, 14)
      else expect(rateRatio).toBeNull()
    }
  })
})

describe('the change verdict', () => {
  it('calls 2 → 4 in equal months no clear change, with p 0.6875 and the counts shown', () => {
    expect(compareCounts(4, 2, 30, 30)).toEqual({ count: 4, previous: 2, rateRatio: 2, p: 0.6875, verdict: 'same' })
  })

  it('calls 40 → 70 up and 70 → 40 down (p ≈ 0.0054)', () => {
    expect(compareCounts(70, 40, 30, 30)).toMatchObject({ verdict: 'up' })
    expect(compareCounts(70, 40, 30, 30).rateRatio).toBeCloseTo(1.75, 14)
    expect(compareCounts(40, 70, 30, 30)).toMatchObject({ verdict: 'down' })
    expect(compareCounts(70, 40, 30, 30).p).toBeCloseTo(0.0054474295114444772, 15)
  })

  it('calls 0 → 3 no clear change (p 0.25) with no rate ratio', () => {
    expect(compareCounts(3, 0, 30, 30)).toEqual({ count: 3, previous: 0, rateRatio: null, p: 0.25, verdict: 'same' })
  })

  it('compares rates, not counts, over periods of unequal length: 28 vs 31 days', () => {
    // the same daily rate: 28 in February and 31 in January is no change at all
    expect(compareCounts(28, 31, 28, 31)).toMatchObject({ p: 1, verdict: 'same', rateRatio: 1 })
  })

  it('answers p = 1 and no rate ratio when both periods have none', () => {
    expect(compareCounts(0, 0, 31, 30)).toEqual({ count: 0, previous: 0, rateRatio: null, p: 1, verdict: 'same' })
  })
})

describe('R’s edge cases of binom.test', () => {
  it('p = 0: 1 when x = 0, else 0; p = 1: 1 when x = n, else 0', () => {
    expect(binomTwoSidedP(0, 5, 0)).toBe(1)
    expect(binomTwoSidedP(1, 5, 0)).toBe(0)
    expect(binomTwoSidedP(5, 5, 1)).toBe(1)
    expect(binomTwoSidedP(4, 5, 1)).toBe(0)
    expect(poissonTestP(0, 3, 0, 30)).toBe(1)
    expect(poissonTestP(3, 0, 30, 0)).toBe(1)
  })

  it('x = n·p gives 1', () => {
    expect(binomTwoSidedP(3, 6, 0.5)).toBe(1)
  })

  it('keeps ties within relErr: symmetric tails of p = 1/2 count on both sides', () => {
    // 1 of 6 at p = 1/2: P(X ≤ 1) + P(X ≥ 5) = 14/64
    expect(binomTwoSidedP(1, 6, 0.5)).toBe(14 / 64)
  })

  it('refuses counts that are not non-negative integers', () => {
    expect(() => poissonTestP(-1, 2, 30, 30)).toThrow(RangeError)
    expect(() => poissonTestP(1.5, 2, 30, 30)).toThrow(RangeError)
    expect(() => poissonTestP(1, 2, 0, 0)).toThrow(RangeError)
  })
})
