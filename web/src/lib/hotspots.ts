/**
 * Pure logic of the hot spot analysis view: the answer of `GET /api/communities/:id/hotspots` as
 * types, the palettes (colour-blind safe), legend rows and class breaks, and the MapLibre
 * expressions that colour the cells. No DOM, no map, no fetching here.
 */
import type { ExpressionSpecification } from 'maplibre-gl'
import type { Feature, Geometry } from 'geojson'
import {
  DEFAULTS,
  EMERGING_CATEGORIES,
  INSUFFICIENT_REASONS,
  LIMITS as API_LIMITS,
  type CellShape,
  type EmergingCategory,
  type GiBin,
  type HotspotCellProps,
  type HotspotCollection,
  type HotspotMeta,
  type HotspotMethod,
  type TimeSlice,
} from '../../../server/src/contract'
import type { MessageKey } from '../i18n/en'
import { ANALYSIS } from './palette'

export {
  EMERGING_CATEGORIES,
  HOTSPOT_METHODS,
  INSUFFICIENT_REASONS,
  type CellShape,
  type EmergingCategory,
  type GiBin,
  type HotspotCellProps,
  type HotspotCollection,
  type HotspotMeta,
  type HotspotMethod,
  type InsufficientReason,
  type TimeSlice,
} from '../../../server/src/contract'

/** The bins as the legend lists them: hottest first, coldest last. */
export const GI_BINS: readonly GiBin[] = [3, 2, 1, 0, -1, -2, -3]

export type HotspotCell = Feature<Geometry, HotspotCellProps>

/** What the user chose in the analysis panel (the filters are separate, shared with the map). */
export interface AnalysisParams {
  method: HotspotMethod
  /** metres: a square's side or a hexagon's side */
  cell: number
  shape: CellShape
  /** gistar: Benjamini–Hochberg correction */
  fdr: boolean
  /** gistar, emerging: neighbours within this many metres instead of the adjacent cells (null) */
  band: number | null
  /** kde: search radius in metres; null = the server derives it from the data */
  bandwidth: number | null
  /** emerging */
  slice: TimeSlice
}

export const DEFAULT_ANALYSIS: AnalysisParams = { ...DEFAULTS.hotspots, band: null, bandwidth: null }

/** Limits the server accepts, to check input before asking. */
export const LIMITS = { cell: API_LIMITS.cell, band: API_LIMITS.band, bandwidth: API_LIMITS.bandwidth } as const

/**
 * Cell sizes offered (metres). A choice rather than free typing: a half-typed "15" on the way to
 * "150" would otherwise start an analysis of thousands of cells.
 */
export const CELL_SIZES: readonly number[] = [25, 50, 75, 100, 150, 200, 250, 300, 400, 500, 750, 1000]

/**
 * About how many cells a grid over `bbox` ([west, south, east, north], degrees) has: the box
 * widened by a cell's width (a square's side, a hexagon's two sides), over the area of one cell
 * (a hexagon of side s: 3√3/2·s²). For warning about slow analyses before asking — the server
 * keeps only the cells touching the grid zones, and its `meta.cells` is the figure to show.
 */
export function estimateCells(bbox: readonly [number, number, number, number], cell: number, shape: CellShape): number {
  const [w, s, e, n] = bbox
  const metresPerDegree = 111_320
  const width = (e - w) * metresPerDegree * Math.cos((((s + n) / 2) * Math.PI) / 180)
  const height = (n - s) * metresPerDegree
  const area = shape === 'square' ? cell * cell : ((3 * Math.sqrt(3)) / 2) * cell * cell
  const pad = shape === 'square' ? cell : 2 * cell
  return Math.max(1, Math.round(((width + pad) * (height + pad)) / area))
}

/** Emerging hot spots on more cells than this take long in the embedded database (minutes). */
export const EMERGING_SLOW_CELLS = 600

/** True when `value` is a number of metres the server accepts for `param`. */
export function withinLimits(param: keyof typeof LIMITS, value: number): boolean {
  return Number.isFinite(value) && value >= LIMITS[param].min && value <= LIMITS[param].max
}

/**
 * The analysis part of the hotspots query, only with the parameters the method uses (so the
 * request says what it means and equal analyses share a URL). Filters are added by the caller.
 */
export function analysisSearchParams(a: AnalysisParams): URLSearchParams {
  const q = new URLSearchParams({ method: a.method, cell: String(a.cell), shape: a.shape })
  if (a.method === 'gistar') q.set('fdr', String(a.fdr))
  if ((a.method === 'gistar' || a.method === 'emerging') && a.band !== null) q.set('band', String(a.band))
  if (a.method === 'kde' && a.bandwidth !== null) q.set('bandwidth', String(a.bandwidth))
  if (a.method === 'emerging') q.set('slice', a.slice)
  return q
}

// ---------------------------------------------------------------------------------------------
// Colours

/** Fill for cells that carry no finding (not significant, no density, category "none"). */
export const NO_FILL = 'rgba(0, 0, 0, 0)'

/**
 * Gi* bins from the analysis palette (lib/palette.ts): deep to pale red for hot, pale to deep blue
 * for cold — none of them a category's or a team's colour. Lightness carries the confidence on
 * both sides, so the order still reads in grey.
 */
export const GI_COLORS: Readonly<Record<GiBin, string>> = {
  3: ANALYSIS.gi.hot99,
  2: ANALYSIS.gi.hot95,
  1: ANALYSIS.gi.hot90,
  0: NO_FILL,
  [-1]: ANALYSIS.gi.cold90,
  [-2]: ANALYSIS.gi.cold95,
  [-3]: ANALYSIS.gi.cold99,
}

/** Density (incidents per km²), light to dark — a different hue family from the hot spots, because density is not significance. */
export const DENSITY_RAMP: readonly string[] = ANALYSIS.density

/** Counts per cell, light to dark. */
export const COUNT_RAMP: readonly string[] = ANALYSIS.count

/** Emerging categories from the analysis palette: warm for what is hot now and growing, blues for what is cooling down, grey for the past. */
export const EMERGING_COLORS: Readonly<Record<EmergingCategory, string>> = { ...ANALYSIS.emerging, none: NO_FILL }

/** The order the emerging legend lists categories: most urgent first, "none" last. */
export const EMERGING_LEGEND_ORDER: readonly EmergingCategory[] = [
  'intensifying',
  'persistent',
  'consecutive',
  'new',
  'sporadic',
  'oscillating',
  'diminishing',
  'historical',
  'none',
]

/** Thin outline of every cell, so the study grid shows even where nothing is significant. */
export const CELL_OUTLINE = '#7a766d'

// ---------------------------------------------------------------------------------------------
// Bins and classes

/** The confidence (99, 95, 90) of a Gi* bin; null for 0. */
export function binConfidence(bin: GiBin): 99 | 95 | 90 | null {
  const a = Math.abs(bin)
  return a === 3 ? 99 : a === 2 ? 95 : a === 1 ? 90 : null
}

/** A label to translate: a message key and its parameters. */
export interface Label {
  key: MessageKey
  params?: Record<string, string | number>
}

/** The words for a Gi* bin: "hot spot, 99 % confidence", "not significant", … */
export function binLabel(bin: GiBin): Label {
  const confidence = binConfidence(bin)
  if (confidence === null) return { key: 'hotspots.bin.none' }
  return { key: bin > 0 ? 'hotspots.bin.hot' : 'hotspots.bin.cold', params: { confidence } }
}

/**
 * Class breaks for a graduated fill: the `classes - 1` largest numbers of the 1-2-5 series
 * (…, 0.5, 1, 2, 5, 10, 20, 50, …) below `max`, ascending. Round numbers that roughly double
 * from class to class, so a skewed density still shows its gradient and the legend reads easily.
 * With `integer`, only whole numbers (counts). Empty when `max` is not positive.
 */
export function niceBreaks(max: number, classes = 5, integer = false): number[] {
  if (!(max > 0) || classes < 2) return []
  const breaks: number[] = []
  let exponent = Math.floor(Math.log10(max))
  while (breaks.length < classes - 1) {
    for (const m of [5, 2, 1]) {
      const b = Number((m * 10 ** exponent).toPrecision(12))
      // integer classes start at 1, so a break at 1 would leave the first class empty
      if (b > 0 && b < max && breaks.length < classes - 1 && !(integer && (b <= 1 || !Number.isInteger(b)))) breaks.push(b)
    }
    exponent--
    if ((integer && exponent < 0) || exponent < -300) break
  }
  return breaks.reverse()
}

/** One class of a graduated legend: [from, to) with its colour; `from` null = above 0, `to` null = and more. */
export interface GraduatedClass {
  from: number | null
  to: number | null
  color: string
}

/**
 * The classes of a graduated fill for the given cell values: the lightest colour for values
 * above 0 and below the first break, the darkest for the last break and more. Zero draws nothing.
 * Uses as many colours of `ramp` as there are classes, the darkest ones when there are fewer.
 */
export function graduatedClasses(values: readonly number[], ramp: readonly string[], integer = false): GraduatedClass[] {
  const max = values.reduce((m, v) => (Number.isFinite(v) && v > m ? v : m), 0)
  if (max <= 0) return []
  const breaks = niceBreaks(max, ramp.length, integer)
  const colors = ramp.slice(ramp.length - (breaks.length + 1))
  const bounds = [null, ...breaks, null] as (number | null)[]
  return colors.map((color, k) => ({ from: bounds[k] ?? null, to: bounds[k + 1] ?? null, color }))
}

/** True when `value` falls in class `c` (zero and less fall in none). */
export function inClass(value: number, c: GraduatedClass): boolean {
  return value > 0 && (c.from === null || value >= c.from) && (c.to === null || value < c.to)
}

/** The colour of a value on graduated classes (as the map draws it); NO_FILL for 0 or less. */
export function graduatedColor(value: number, classes: readonly GraduatedClass[]): string {
  if (!(value > 0)) return NO_FILL
  let color = NO_FILL
  for (const c of classes) if (c.from === null || value >= c.from) color = c.color
  return color
}

/**
 * The text of a class range, numbers formatted by `format`: "< 200", "200–500", "≥ 2,000".
 * Counts (integer) read "1", "2–4", "≥ 10".
 */
export function classRangeText(c: GraduatedClass, format: (n: number) => string, integer = false): string {
  if (c.from === null && c.to === null) return `> ${format(0)}`
  if (c.from === null) return integer ? (c.to! - 1 <= 1 ? format(1) : `${format(1)}–${format(c.to! - 1)}`) : `< ${format(c.to!)}`
  if (c.to === null) return `≥ ${format(c.from)}`
  if (integer) return c.to - 1 === c.from ? format(c.from) : `${format(c.from)}–${format(c.to - 1)}`
  return `${format(c.from)}–${format(c.to)}`
}

// ---------------------------------------------------------------------------------------------
// Map expressions

const TINY = 1e-12

/** The MapLibre fill colour of the cells for one answer (graduated classes for kde and count). */
export function cellFillColor(method: HotspotMethod, classes: readonly GraduatedClass[] = []): ExpressionSpecification | string {
  switch (method) {
    case 'gistar': {
      const pairs = GI_BINS.filter((b) => b !== 0).flatMap((b) => [b, GI_COLORS[b]])
      return ['match', ['coalesce', ['get', 'bin'], 0], ...pairs, NO_FILL] as unknown as ExpressionSpecification
    }
    case 'emerging': {
      const pairs = EMERGING_CATEGORIES.filter((c) => c !== 'none').flatMap((c) => [c, EMERGING_COLORS[c]])
      return ['match', ['coalesce', ['get', 'category'], 'none'], ...pairs, NO_FILL] as unknown as ExpressionSpecification
    }
    case 'kde':
    case 'count': {
      const first = classes[0]
      if (first === undefined) return NO_FILL
      const property = method === 'kde' ? 'density' : 'count'
      // step: below the first stop → no fill; each stop starts a class (zero stays empty)
      const stops = classes.flatMap((c, k) => [k === 0 ? TINY : c.from!, c.color])
      return ['step', ['coalesce', ['get', property], 0], NO_FILL, ...stops] as unknown as ExpressionSpecification
    }
  }
}

/**
 * Whether a cell is drawn with a colour — a finding the user is looking at (a significant Gi* bin,
 * an emerging category, some density or some incidents) — rather than left as an empty outline.
 * A click on such a cell is the analysis's: it shows the cell, not a route or building beneath.
 */
export function isColouredCell(p: Partial<HotspotCellProps> | null | undefined): boolean {
  if (p == null) return false
  if (typeof p.bin === 'number') return p.bin !== 0
  if (typeof p.category === 'string') return p.category !== 'none'
  if (typeof p.density === 'number') return p.density > 0
  return typeof p.count === 'number' && p.count > 0
}

/** One legend row of the analysis layer: a colour (NO_FILL = outline only) and its words or range. */
export interface AnalysisLegendRow {
  color: string
  label: Label | { text: string }
  /** a short explanation (emerging categories) */
  hint?: Label
  /** how many cells of the answer are drawn like this */
  cells: number
}

/** The server's name of a Gi* bin in `meta.bins`: hot99 … none … cold99. */
export function binName(bin: GiBin): string {
  const confidence = binConfidence(bin)
  return confidence === null ? 'none' : `${bin > 0 ? 'hot' : 'cold'}${confidence}`
}

/** The legend rows for an answer, with the number of cells of each. `format` formats class ranges. */
export function analysisLegend(fc: HotspotCollection, classes: readonly GraduatedClass[], format: (n: number) => string): AnalysisLegendRow[] {
  const { meta } = fc
  switch (meta.method) {
    case 'gistar':
      return GI_BINS.map((bin) => ({ color: GI_COLORS[bin], label: binLabel(bin), cells: meta.bins?.[binName(bin)] ?? 0 }))
    case 'emerging':
      return EMERGING_LEGEND_ORDER.map((c) => ({
        color: EMERGING_COLORS[c],
        label: { key: `hotspots.emerging.${c}` as MessageKey },
        hint: { key: `hotspots.emerging.${c}.hint` as MessageKey },
        cells: meta.categories?.[c] ?? 0,
      }))
    case 'kde':
    case 'count': {
      const integer = meta.method === 'count'
      const values = graduatedValues(meta.method, fc.features)
      return [...classes].reverse().map((c) => ({
        color: c.color,
        label: { text: classRangeText(c, format, integer) },
        cells: values.filter((v) => inClass(v, c)).length,
      }))
    }
  }
}

/** The value a graduated method colours by, for each cell. */
export function graduatedValues(method: 'kde' | 'count', cells: readonly HotspotCell[]): number[] {
  return cells.map((f) => (method === 'kde' ? (f.properties.density ?? 0) : f.properties.count))
}

/** The classes of an answer (kde and count; empty for the others). */
export function classesFor(fc: HotspotCollection): GraduatedClass[] {
  const method = fc.meta.method
  if (method === 'kde') return graduatedClasses(graduatedValues('kde', fc.features), DENSITY_RAMP)
  if (method === 'count') return graduatedClasses(graduatedValues('count', fc.features), COUNT_RAMP, true)
  return []
}

/** The message explaining why there is no map, with its parameters. */
export function insufficientLabel(meta: HotspotMeta): Label {
  const reason = meta.insufficientReason
  if (reason === null || !INSUFFICIENT_REASONS.includes(reason)) return { key: 'analysis.insufficient.unknown' }
  return { key: `analysis.insufficient.${reason}`, params: { incidents: meta.incidents, min: meta.minIncidents } }
}

/** A p-value as "= 0.032" or "< 0.0001" (tiny p-values carry no more meaning than that). */
export function pText(p: number | null | undefined): string {
  if (typeof p !== 'number' || Number.isNaN(p)) return '–'
  return p < 0.0001 ? '< 0.0001' : `= ${Number(p.toPrecision(2))}`
}

/** The cell with the highest Gi* z-score (the "hottest"), or null when no cell has one. */
export function hottestCell(cells: readonly HotspotCell[]): HotspotCell | null {
  let best: HotspotCell | null = null
  for (const f of cells) {
    const z = f.properties.z
    if (typeof z === 'number' && (best === null || z > (best.properties.z as number))) best = f
  }
  return best
}

/** The centre of a cell (mean of its outer ring's corners; cells are convex). */
export function cellCentre(cell: HotspotCell): [number, number] {
  const g = cell.geometry
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') throw new Error(`a cell is a polygon, not a ${g.type}`)
  const ring = g.type === 'Polygon' ? g.coordinates[0]! : g.coordinates[0]![0]!
  const corners = ring.slice(0, -1) // the ring is closed: last = first
  const x = corners.reduce((a, c) => a + c[0]!, 0) / corners.length
  const y = corners.reduce((a, c) => a + c[1]!, 0) / corners.length
  return [x, y]
}
