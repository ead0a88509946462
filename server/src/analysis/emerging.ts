/**
 * Emerging hot spot categories (ArcGIS Emerging Hot Spot Analysis, as sfdep implements them) from
 * a cell's Gi* series: which slices were significant hot or cold spots, and the Mann–Kendall trend
 * of the z-scores (the intensity of clustering).
 */
import { HOT_ALPHA, type EmergingCategory } from '../contract.js'
import { mannKendall, twoSidedP } from './stats.js'

export interface EmergingResult {
  category: EmergingCategory
  /** slices that were significant hot spots */
  hotSlices: number
  coldSlices: number
  /** Mann–Kendall trend of the z-scores */
  trendZ: number
  trendP: number
  tau: number
}

/**
 * Classifies one cell. `zs` are its Gi* z-scores in time order (null = undefined, never significant).
 * - new: the final slice is the only hot one;
 * - consecutive: an unbroken run of ≥ 2 hot slices ending at the final one, no hot slice before
 *   it, and < 90 % of slices hot;
 * - intensifying / persistent / diminishing: ≥ 90 % of slices hot, the final one included, with a
 *   significant upward / no significant / a significant downward trend of the z-scores;
 * - historical: ≥ 90 % of slices hot but not the final one;
 * - sporadic: the final slice hot, < 90 % hot, on and off, never cold;
 * - oscillating: the final slice hot, < 90 % hot, and cold in some earlier slice;
 * - none: anything else.
 */
export function classifyEmerging(zs: readonly (number | null)[], alpha = HOT_ALPHA): EmergingResult {
  const n = zs.length
  const hot = zs.map((z) => z !== null && z > 0 && twoSidedP(z) <= alpha)
  const cold = zs.map((z) => z !== null && z < 0 && twoSidedP(z) <= alpha)
  const hotSlices = hot.filter(Boolean).length
  const coldSlices = cold.filter(Boolean).length
  const mk = mannKendall(zs.map((z) => z ?? 0))
  const base = { hotSlices, coldSlices, trendZ: mk.z, trendP: mk.p, tau: mk.tau }
  const finalHot = n > 0 && hot[n - 1] === true
  const share = n > 0 ? hotSlices / n : 0
  let category: EmergingCategory = 'none'
  if (share >= 0.9 && !finalHot) category = 'historical'
  else if (share >= 0.9 && finalHot) category = mk.p <= alpha ? (mk.z > 0 ? 'intensifying' : 'diminishing') : 'persistent'
  else if (finalHot && hotSlices === 1) category = 'new'
  else if (finalHot) {
    let run = 0
    while (run < n && hot[n - 1 - run]) run++
    if (run >= 2 && run === hotSlices) category = 'consecutive'
    else category = coldSlices > 0 ? 'oscillating' : 'sporadic'
  }
  return { category, ...base }
}
