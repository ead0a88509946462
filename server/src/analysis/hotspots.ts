/**
 * The hot spot analyses as answers (DESIGN.md, "Analysis"): incident counts, Gi* hot spots, kernel
 * density and emerging hot spots on a grid of true-metre cells, with the shared filters. The SQL is
 * in db/hotspots.ts; here the work is bounded before it starts, emerging cells are sorted into their
 * categories, and an honest "not enough data" answer replaces a map that would look meaningful.
 */
import {
  DEFAULTS,
  describeFilter,
  GI_BIN_LABELS,
  HOT_ALPHA,
  LIMITS,
  MIN_INCIDENTS,
  type CellShape,
  type HotspotCellProps,
  type HotspotMeta,
  type HotspotMethod,
  type HotspotSource,
  type IncidentFilter,
  type InsufficientReason,
  type TimeSlice,
} from '../contract.js'
import type { RunOptions } from '../db/analysis.js'
import type { Sql } from '../db/connect.js'
import { bandStencil, collectCells, countSlices, emergingQuery, estimateCells, sourceTotal, type GridSpec, type SliceRow } from '../db/hotspots.js'
import { runAnalysis } from '../db/analysis.js'
import { ApiError } from '../errors.js'
import { feature, type GeoJsonAnswer } from '../geojson.js'
import { classifyEmerging } from './emerging.js'

/** What a hot spot request asks for (the query parameters, parsed). */
export interface HotspotParams {
  method: HotspotMethod
  cell: number
  shape: CellShape
  band: number | null
  fdr: boolean
  bandwidth: number | null
  slice: TimeSlice
  filter: IncidentFilter
  /** the points analysed (default incidents) */
  source?: HotspotSource
}

export const DEFAULT_HOTSPOT_PARAMS: Omit<HotspotParams, 'filter'> = { ...DEFAULTS.hotspots, band: null, bandwidth: null }

/** The work limits of a run's database mode. */
export const workLimits = (run: RunOptions) => LIMITS.work[run.mode ?? 'server']

const refuse = (message: string, details: Record<string, unknown>) => new ApiError('invalid_parameter', message, details)

/**
 * The grid of `spec`, refused up front (400 invalid_parameter, saying what to change) when it would
 * make more cells than the mode allows; 404 when the community does not exist. Returns the estimate.
 */
export async function boundedGrid(sql: Sql, spec: Pick<GridSpec, 'community' | 'cell' | 'shape'>, run: RunOptions): Promise<number> {
  const estimate = await estimateCells(sql, spec.community, spec.cell, spec.shape)
  if (estimate === null) throw new ApiError('community_not_found', `community "${spec.community}" does not exist`, { id: spec.community })
  const max = workLimits(run).cells
  if (estimate > max) throw refuse(`a ${spec.cell} m ${spec.shape} grid would make about ${estimate} cells here (at most ${max}); use a larger cell`, { cell: spec.cell, estimate, max })
  return estimate
}

/**
 * Refuses up front what grows with the distance band or the kernel's reach beyond the mode's
 * limits: Gi* with `band` looks up two running sums per cell and column of the band's stencil
 * (cells × columns); emerging hot spots join every cell to each of its neighbours (cells ×
 * neighbour offsets); KDE sums one kernel term per incident and cell centre within the bandwidth
 * (incidents × the cells a disc of radius bandwidth + cell can hold; every incident of the
 * community, whatever the filter).
 */
async function boundedWork(sql: Sql, spec: GridSpec, q: HotspotParams, cells: number, run: RunOptions): Promise<void> {
  const limits = workLimits(run)
  if (spec.band !== null && (q.method === 'gistar' || q.method === 'emerging')) {
    const stencil = bandStencil(spec.cell, spec.shape, spec.band)
    const [work, max, what] =
      q.method === 'gistar'
        ? [cells * stencil.columns, limits.bandColumns, `cell columns (${cells} cells × ${stencil.columns} columns of neighbours)`]
        : [cells * stencil.offsets, limits.neighbourPairs, `cell pairs (${cells} cells × ${stencil.offsets} neighbours)`]
    if (work > max)
      throw refuse(`a ${spec.band} m band over ${cells} cells of ${spec.cell} m looks at about ${work} ${what}, at most ${max} here; use a smaller band or a larger cell`, {
        band: spec.band,
        estimate: work,
        max,
      })
  }
  if (q.method === 'kde') {
    const [row] = await sql<{ n: number; halfDiagonal: number }[]>`
      select ${sourceTotal(sql, spec, sql`c.id`)}::float8 as n,
             sqrt((ST_XMax(b) - ST_XMin(b)) ^ 2 + (ST_YMax(b) - ST_YMin(b)) ^ 2) / 2 as half_diagonal
      from communities as c cross join lateral ST_Transform(c.boundary, c.metric_srid) as b where c.id = ${spec.community}`
    const { n, halfDiagonal } = row!
    // the data's bandwidth (ArcGIS's rule, 0.9 · min(SD, …) · n^-0.2) is at most 0.9 · half the diagonal · n^-0.2
    const h = q.bandwidth ?? 0.9 * halfDiagonal * Math.max(n, 1) ** -0.2
    const cellArea = spec.shape === 'square' ? spec.cell * spec.cell : (3 * Math.sqrt(3) * spec.cell * spec.cell) / 2
    const terms = Math.round(n * Math.min(cells, (Math.PI * (h + spec.cell) ** 2) / cellArea))
    if (terms > limits.kernelTerms)
      throw refuse(
        `a ${Math.round(h)} m ${q.bandwidth === null ? '(data-derived) ' : ''}bandwidth over ${n} incidents and cells of ${spec.cell} m sums about ${terms} kernel terms (at most ${limits.kernelTerms} here); use a larger cell${q.bandwidth === null ? '' : ' or a smaller bandwidth'}`,
        { bandwidth: Math.round(h), estimate: terms, max: limits.kernelTerms },
      )
  }
}

/** The cells and figures of one hot spot analysis. */
export async function analyseHotspots(sql: Sql, community: string, q: HotspotParams, run: RunOptions): Promise<GeoJsonAnswer<HotspotMeta>> {
  const { method, cell, shape, fdr, slice, filter } = q
  const source = q.source ?? 'incidents'
  const spec: GridSpec = { community, filter, cell, shape, band: q.band, source }
  const estimate = await boundedGrid(sql, spec, run)
  await boundedWork(sql, spec, q, estimate, run)
  const base = {
    method,
    cell,
    shape,
    neighbours: q.band ? `band ${q.band} m` : 'ring1',
    filter: describeFilter(filter),
    minIncidents: MIN_INCIDENTS,
    timeUnknownExcluded: filter.hours !== null,
    source,
  }
  if (method === 'emerging') return emerging(sql, spec, slice, estimate, base, run)

  const { features, figures } = await collectCells(sql, spec, method, { fdr, bandwidth: q.bandwidth }, run)
  const reason: InsufficientReason | null =
    method === 'count'
      ? null
      : figures.inArea < MIN_INCIDENTS
        ? 'too_few_incidents'
        : method === 'gistar' && figures.allZNull
          ? // Every cell a neighbour of every other (n·Σw = (Σw)²): Gi* is undefined, whatever the counts.
            figures.allNeighbours
            ? 'too_few_cells'
            : 'no_variance'
          : method === 'kde' && figures.bandwidth === null
            ? 'no_variance'
            : null
  const meta = {
    ...base,
    incidents: figures.inArea,
    outsideArea: figures.matched - figures.inArea,
    timeUnknown: figures.timeUnknown,
    cells: figures.cells,
    insufficient: reason !== null,
    insufficientReason: reason,
    ...(method === 'kde' ? { bandwidth: figures.bandwidth, bandwidthSource: q.bandwidth ? ('parameter' as const) : ('data' as const), densityUnit: source === 'disputes' ? ('disputes/km²' as const) : ('incidents/km²' as const) } : {}),
    ...(method === 'gistar'
      ? { fdr, bins: Object.fromEntries(Object.entries(figures.bins ?? {}).map(([bin, n]) => [GI_BIN_LABELS[Number(bin) as keyof typeof GI_BIN_LABELS] ?? bin, n])) }
      : {}),
  } satisfies HotspotMeta
  return { features: reason ? '' : features, meta }
}

/** 'YYYY-MM-DD' of the first day of slice `t` after the one starting on `first`. */
function sliceStart(first: string, t: number, slice: TimeSlice): string {
  const [y, m, d] = first.split('-').map(Number) as [number, number, number]
  const date = slice === 'month' ? new Date(Date.UTC(y, m - 1 + t, 1)) : new Date(Date.UTC(y, m - 1, d + 7 * t))
  return date.toISOString().slice(0, 10)
}

/**
 * When most slices are empty, the period that has the data: the run of consecutive slices with
 * incidents that holds the most of them (the longer, then the earlier, of equal runs), as local
 * dates from its first day to its last.
 */
function dataPeriod(perSlice: readonly number[], first: string, slice: TimeSlice): { from: string; to: string; slices: number } | null {
  let best: [number, number] | null = null
  let bestIncidents = 0
  for (let t = 0; t < perSlice.length; ) {
    if (perSlice[t] === 0) {
      t++
      continue
    }
    let end = t
    let incidents = perSlice[t]!
    while (end + 1 < perSlice.length && perSlice[end + 1]! > 0) incidents += perSlice[++end]!
    if (best === null || incidents > bestIncidents || (incidents === bestIncidents && end - t > best[1] - best[0])) {
      best = [t, end]
      bestIncidents = incidents
    }
    t = end + 1
  }
  if (best === null) return null
  const last = new Date(Date.parse(`${sliceStart(first, best[1] + 1, slice)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
  return { from: sliceStart(first, best[0], slice), to: last, slices: best[1] - best[0] + 1 }
}

/**
 * Emerging hot spots: Gi* per time slice, a Mann–Kendall trend per cell, and the ArcGIS category.
 * Refused up front rather than stopped part way (embedded mode cannot interrupt a query).
 */
async function emerging(
  sql: Sql,
  spec: GridSpec,
  slice: TimeSlice,
  estimate: number,
  base: Pick<HotspotMeta, 'method' | 'cell' | 'shape' | 'neighbours' | 'filter' | 'minIncidents' | 'timeUnknownExcluded' | 'source'>,
  run: RunOptions,
): Promise<GeoJsonAnswer<HotspotMeta>> {
  const slices = await countSlices(sql, spec, slice)
  const max = workLimits(run).cellSlices
  if (estimate * slices > max)
    throw refuse(
      `a ${spec.cell} m ${spec.shape} grid over ${slices} ${slice}ly slices would make about ${estimate * slices} cell-slices here (at most ${max}); use a larger cell${slice === 'week' ? ', monthly slices' : ''} or a shorter period`,
      { cell: spec.cell, slices, estimate: estimate * slices, max },
    )
  const rows = await runAnalysis<SliceRow[]>(sql, emergingQuery(sql, spec, slice), run)
  const first = rows[0]
  const incidents = rows.reduce((a, r) => a + r.count, 0)
  const cells = new Map<string, SliceRow[]>()
  for (const r of rows) {
    const key = `${r.i}_${r.j}`
    const list = cells.get(key)
    if (list) list.push(r)
    else cells.set(key, [r])
  }
  const sliceCount = first?.slices ?? 0
  const perSlice = Array.from({ length: sliceCount }, () => 0)
  for (const r of rows) perSlice[r.t] = (perSlice[r.t] ?? 0) + r.count
  const emptySlices = perSlice.filter((n) => n === 0).length
  const reason: InsufficientReason | null = incidents < MIN_INCIDENTS ? 'too_few_incidents' : sliceCount < 2 ? 'too_few_slices' : null
  const categories: NonNullable<HotspotMeta['categories']> = {}
  const features: string[] = []
  if (reason === null)
    for (const series of cells.values()) {
      const s0 = series[0]!
      const result = classifyEmerging(series.map((r) => r.z))
      categories[result.category] = (categories[result.category] ?? 0) + 1
      const properties = {
        i: s0.i,
        j: s0.j,
        count: series.reduce((a, r) => a + r.count, 0),
        category: result.category,
        hotSlices: result.hotSlices,
        coldSlices: result.coldSlices,
        trendZ: result.trendZ,
        trendP: result.trendP,
        tau: result.tau,
        counts: series.map((r) => r.count),
        zs: series.map((r) => r.z),
      } satisfies HotspotCellProps
      features.push(feature(s0.geometry, properties, `${s0.i}_${s0.j}`))
    }
  const meta = {
    ...base,
    slice,
    slices: sliceCount,
    firstSlice: first?.firstSlice ?? null,
    alpha: HOT_ALPHA,
    incidents,
    outsideArea: (first?.matched ?? 0) - incidents,
    timeUnknown: first?.timeUnknown ?? 0,
    cells: cells.size,
    insufficient: reason !== null,
    insufficientReason: reason,
    categories,
    emptySlices,
    dataPeriod: emptySlices * 2 > sliceCount && first ? dataPeriod(perSlice, first.firstSlice, slice) : null,
  } satisfies HotspotMeta
  return { features: features.join(','), meta }
}
