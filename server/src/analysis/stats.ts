/**
 * Statistics that follow the SQL of the analyses: normal p-values (the same erfc as the SQL function
 * safegrid_two_sided_p, which a test compares with this one) and the Mann–Kendall trend test of
 * emerging hot spots. Pure functions. Confidence bins and the Benjamini–Hochberg correction of Gi*
 * live in SQL (server/src/db/hotspots.ts, testedQuery).
 */

/**
 * Complementary error function, W. J. Cody's rational Chebyshev approximations (as in R's pnorm),
 * relative error below 1e-15 — far inside the 1e-6 the analyses are checked to.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN
  const ax = Math.abs(x)
  let r: number
  if (ax < 0.5) {
    const t = ax * ax
    const p = [3.1611237438705656, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315]
    const q = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171]
    const num = (((p[4]! * t + p[0]!) * t + p[1]!) * t + p[2]!) * t + p[3]!
    const den = (((t + q[0]!) * t + q[1]!) * t + q[2]!) * t + q[3]!
    r = 1 - (ax * num) / den
    return x < 0 ? 2 - r : r
  }
  if (ax < 4) {
    const p = [0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769, 1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8]
    const q = [15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597, 4362.619090143247, 3439.3676741437216, 1230.3393548037495]
    let num = p[8]! * ax
    let den = ax
    for (let i = 0; i < 7; i++) {
      num = (num + p[i]!) * ax
      den = (den + q[i]!) * ax
    }
    r = (num + p[7]!) / (den + q[7]!)
  } else {
    const p = [0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 6.587491615298378e-4, 0.016315387137302097]
    const q = [2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918]
    const z = 1 / (ax * ax)
    let num = p[5]! * z
    let den = z
    for (let i = 0; i < 4; i++) {
      num = (num + p[i]!) * z
      den = (den + q[i]!) * z
    }
    r = (z * (num + p[4]!)) / (den + q[4]!)
    r = (0.5641895835477563 - r) / ax
  }
  r *= Math.exp(-ax * ax)
  return x < 0 ? 2 - r : r
}

/** Two-sided p-value of a standard normal deviate. */
export const twoSidedP = (z: number) => erfc(Math.abs(z) / Math.SQRT2)

export interface MannKendall {
  /** S = Σ sign(x_j − x_i) over i < j */
  s: number
  /** variance of S with the tie correction */
  varS: number
  /** standard normal deviate with continuity correction (0 when S = 0) */
  z: number
  /** two-sided p-value of z */
  p: number
  /** Kendall's tau-b between the series and time */
  tau: number
}

/**
 * Values this close count as equal (relative to their size, at least 1): z-scores that are equal in
 * exact arithmetic come out of floating point a few units in the last place apart, and must tie.
 */
export const TIE_TOLERANCE = 1e-9

/** Whether two values are equal within TIE_TOLERANCE. */
export const tied = (a: number, b: number) => Math.abs(a - b) <= TIE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b))

/**
 * Sizes of the groups of tied values: the sorted series cut where neighbours differ by more than
 * the tolerance (so a run of values each within tolerance of the next is one group).
 */
export function tieGroups(xs: readonly number[]): number[] {
  const sorted = [...xs].sort((a, b) => a - b)
  const groups: number[] = []
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && tied(sorted[i - 1]!, sorted[i]!)) groups[groups.length - 1]!++
    else groups.push(1)
  }
  return groups
}

/** Mann–Kendall trend test of a series in time order (ties corrected, within TIE_TOLERANCE; continuity corrected). */
export function mannKendall(xs: readonly number[]): MannKendall {
  const n = xs.length
  let s = 0
  for (let i = 0; i < n - 1; i++) for (let j = i + 1; j < n; j++) s += tied(xs[i]!, xs[j]!) ? 0 : Math.sign(xs[j]! - xs[i]!)
  let tieTerm = 0
  let tiePairs = 0
  for (const t of tieGroups(xs)) {
    tieTerm += t * (t - 1) * (2 * t + 5)
    tiePairs += (t * (t - 1)) / 2
  }
  const varS = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18
  const z = varS > 0 && s !== 0 ? (s - Math.sign(s)) / Math.sqrt(varS) : 0
  const pairs = (n * (n - 1)) / 2
  const tau = pairs > 0 && pairs - tiePairs > 0 ? s / Math.sqrt(pairs * (pairs - tiePairs)) : 0
  return { s, varS, z, p: varS > 0 ? twoSidedP(z) : 1, tau }
}
