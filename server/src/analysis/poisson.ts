/**
 * The meeting pack's honest change test (issue 13): the exact test of two Poisson counts as R's
 * `poisson.test(c(x1, x2), c(t1, t2))` computes it — conditional on the total n = x1 + x2, x1 is
 * binomial(n, p) with p = t1 / (t1 + t2) under "the same rate in both periods", and the two-sided
 * p-value is R's `binom.test(x1, n, p)`: P(X ≤ x1) plus the probabilities on the other side of
 * n·p that are no larger than d = P(X = x1) × (1 + 1e-7) (R's relErr, so ties survive rounding);
 * symmetrically when x1 > n·p; 1 when x1 = n·p; p = 0 (t1 = 0) gives 1 when x1 = 0 else 0, p = 1
 * (t2 = 0) gives 1 when x1 = n else 0.
 *
 * How it is computed: p is the double R computes (t1 / (t1 + t2)), read as the exact dyadic
 * rational it is, and every binomial probability is an exact rational (BigInt) over a common
 * denominator — so the sums R takes through pbinom are exact here and the p-value is that rational
 * rounded once. It agrees with R to about 1e-15 relative (R's own rounding); the fixture
 * fixtures/golden/poisson-test-expected.csv (made by fixtures/golden/poisson-test.R) is checked to
 * 1e-14. The work grows with n²·bits: beyond EXACT_MAX_N the same sums run in floating point,
 * normalised by their total (relative error ≈ 1e-12), which is far below anything a meeting reads.
 *
 * Pure code; the pack (analysis/meeting.ts) calls `compareCounts`.
 */

/** "up"/"down" only when p < CHANGE_ALPHA; otherwise "no clear change" (`same`). */
export const CHANGE_ALPHA = 0.05
/** Largest n = x1 + x2 computed with exact rationals (a few ms); larger totals use floating point. */
export const EXACT_MAX_N = 1000
const REL_ERR_NUM = 10_000_001n
const REL_ERR_DEN = 10_000_000n

export type ChangeVerdict = 'up' | 'down' | 'same'

/** The comparison of a count in this period (x1 over t1) with one in another (x2 over t2). */
export interface CountChange {
  /** this period's count */
  count: number
  /** the other period's count */
  previous: number
  /** (x1/t1) / (x2/t2); null when not a finite number (x2 = 0, or both 0) */
  rateRatio: number | null
  /** two-sided p-value of R's poisson.test */
  p: number
  /** up / down only when p < 0.05; `same` is "no clear change" */
  verdict: ChangeVerdict
}

/**
 * Two-sided p-value of `poisson.test(c(x1, x2), c(t1, t2))` in R (4.2): counts are non-negative
 * integers, time bases non-negative safe integers (days), not both 0.
 */
export function poissonTestP(x1: number, x2: number, t1: number, t2: number): number {
  for (const [v, name] of [[x1, 'x1'], [x2, 'x2'], [t1, 't1'], [t2, 't2']] as const)
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer`)
  if (t1 + t2 === 0) throw new RangeError('t1 and t2 must not both be 0')
  const n = x1 + x2
  const p = t1 / (t1 + t2) // the double R passes to binom.test
  return binomTwoSidedP(x1, n, p)
}

/** R's `binom.test(x, n, p)$p.value`, two-sided, for 0 ≤ x ≤ n and 0 ≤ p ≤ 1. */
export function binomTwoSidedP(x: number, n: number, p: number): number {
  if (p === 0) return x === 0 ? 1 : 0
  if (p === 1) return x === n ? 1 : 0
  const m = n * p // in floating point, as R decides the branches with it
  if (x === m) return 1
  return n <= EXACT_MAX_N ? exactP(x, n, p, m) : floatP(x, n, p, m)
}

/**
 * R's two-sided rule: with y the number of probabilities no larger than d on the other side of n·p
 * (i from ceil(m) to n when x < m, from 0 to floor(m) otherwise), the p-value sums i in `lo` and `hi`.
 */
function ranges(x: number, n: number, m: number, y: number): { lo: [number, number]; hi: [number, number] } {
  // x < m: pbinom(x) + P(X > n - y); else pbinom(y - 1) + P(X ≥ x)
  return x < m ? { lo: [0, x], hi: [n - y + 1, n] } : { lo: [0, y - 1], hi: [x, n] }
}

/** p as an exact fraction num / 2^shift (a double is one). */
function dyadic(p: number): { num: bigint; shift: bigint } {
  let shift = 0n
  let v = p
  while (!Number.isInteger(v)) {
    v *= 2
    shift++
  }
  return { num: BigInt(v), shift }
}

function exactP(x: number, n: number, p: number, m: number): number {
  const { num: a, shift } = dyadic(p)
  const b = (1n << shift) - a // 1 - p, exactly
  const bn = BigInt(n)
  // term(i) = C(n, i) a^i b^(n-i): the probabilities times 2^(shift·n), walked upwards without keeping them
  // (each is an exact integer: the division has no remainder)
  const walk = (visit: (i: number, term: bigint) => void) => {
    let t = b ** bn
    visit(0, t)
    for (let i = 0; i < n; i++) {
      t = (t * BigInt(n - i) * a) / (BigInt(i + 1) * b)
      visit(i + 1, t)
    }
  }
  let d = 0n
  walk((i, t) => {
    if (i === x) d = t * REL_ERR_NUM
  })
  const counted: [number, number] = x < m ? [Math.ceil(m), n] : [0, Math.floor(m)]
  let y = 0
  walk((i, t) => {
    if (i >= counted[0] && i <= counted[1] && t * REL_ERR_DEN <= d) y++
  })
  const { lo, hi } = ranges(x, n, m, y)
  let sum = 0n
  walk((i, t) => {
    if ((i >= lo[0] && i <= lo[1]) || (i >= hi[0] && i <= hi[1] && i > lo[1])) sum += t
  })
  return ratioToNumber(sum, shift * bn)
}

/** num / 2^k as the nearest double. */
function ratioToNumber(num: bigint, k: bigint): number {
  if (num === 0n) return 0
  // keep 64 significant bits with a sticky bit, then one rounding in Number()
  const bits = BigInt(num.toString(2).length)
  const drop = bits > 64n ? bits - 64n : 0n
  let top = num >> drop
  if (drop > 0n && (num & ((1n << drop) - 1n)) !== 0n) top |= 1n
  let exp = Number(drop - k)
  let v = Number(top)
  while (exp < -1000) {
    v *= 2 ** -1000
    exp += 1000
  }
  return v * 2 ** exp
}

/** The same sums in floating point: terms relative to the mode by the ratio recurrence, normalised by their total. */
function floatP(x: number, n: number, p: number, m: number): number {
  const q = 1 - p
  const mode = Math.min(n, Math.floor((n + 1) * p))
  const f = new Float64Array(n + 1)
  f[mode] = 1
  for (let i = mode; i < n; i++) f[i + 1] = (f[i]! * (n - i) * p) / ((i + 1) * q)
  for (let i = mode; i > 0; i--) f[i - 1] = (f[i]! * i * q) / ((n - i + 1) * p)
  let total = 0
  for (let i = 0; i <= n; i++) total += f[i]!
  const d = f[x]! * (1 + 1e-7)
  const [c0, c1] = x < m ? [Math.ceil(m), n] : [0, Math.floor(m)]
  let y = 0
  for (let i = c0; i <= c1; i++) if (f[i]! <= d) y++
  const { lo, hi } = ranges(x, n, m, y)
  let sum = 0
  for (let i = lo[0]; i <= lo[1]; i++) sum += f[i]!
  for (let i = Math.max(hi[0], lo[1] + 1); i <= hi[1]; i++) sum += f[i]!
  return Math.min(1, sum / total)
}

/** The change of a count between two periods of t1 and t2 days (x1: this period; x2: the other). */
export function compareCounts(x1: number, x2: number, t1: number, t2: number): CountChange {
  const p = poissonTestP(x1, x2, t1, t2)
  const rr = x1 / t1 / (x2 / t2)
  const rateRatio = Number.isFinite(rr) ? rr : null
  const verdict: ChangeVerdict = p < CHANGE_ALPHA ? (x1 / t1 > x2 / t2 ? 'up' : 'down') : 'same'
  return { count: x1, previous: x2, rateRatio, p, verdict }
}
