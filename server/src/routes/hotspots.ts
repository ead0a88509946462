/**
 * GET /api/communities/{id}/hotspots: incident counts, Gi* hot spots, kernel density and emerging
 * hot spots on a grid of true-metre cells, with the shared filters. Answers a GeoJSON
 * FeatureCollection of cells with the figures actually used in `meta`.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { runAnalysis, type AnalysisOptions } from '../db/analysis.js'
import type { Sql } from '../db/connect.js'
import { collectionQuery, countSlices, emergingQuery, estimateCells, MAX_CELL_SLICES, MAX_CELLS, runCollection, type GridSpec, type SliceRow } from '../db/hotspots.js'
import { routeModule } from '../env.js'
import { ApiError } from '../errors.js'
import { classifyEmerging, EMERGING_ALPHA } from '../lib/emerging.js'
import { checkFilter, describeFilter, incidentFilterShape } from '../lib/filters.js'
import { communityIdParam } from '../lib/params.js'
import { analysisOptions } from './guards.js'
import { errorResponses, FeatureCollectionSchema } from './schemas.js'

/** Fewer matching incidents than this: an explicit "not enough data" answer, never a map. */
export const MIN_INCIDENTS = 30

const metres = (name: string, min: number, max: number, description: string) =>
  z.coerce
    .number({ message: `${name} must be a number of metres` })
    .min(min, `${name} must be at least ${min} m`)
    .max(max, `${name} must be at most ${max} m`)
    .openapi({ param: { name, in: 'query' }, description })

const HotspotQuery = z.object({
  ...incidentFilterShape,
  method: z.enum(['count', 'gistar', 'kde', 'emerging']).default('gistar').openapi({ param: { name: 'method', in: 'query' } }),
  cell: metres('cell', 10, 5000, 'cell size in metres (square side or hexagon side)').default(100),
  shape: z.enum(['square', 'hex']).default('square').openapi({ param: { name: 'shape', in: 'query' } }),
  band: metres('band', 10, 10000, 'Gi* neighbours within this distance of a cell centre instead of ring 1').optional(),
  fdr: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1')
    .openapi({ param: { name: 'fdr', in: 'query' }, description: 'Benjamini–Hochberg false discovery rate correction of Gi* bins' }),
  bandwidth: metres('bandwidth', 10, 20000, 'kde bandwidth (search radius) in metres; default derived from the data').optional(),
  slice: z.enum(['week', 'month']).default('month').openapi({ param: { name: 'slice', in: 'query' } }),
})

type Query = z.infer<typeof HotspotQuery>

const BIN_LABEL: Record<number, string> = { 3: 'hot99', 2: 'hot95', 1: 'hot90', 0: 'none', [-1]: 'cold90', [-2]: 'cold95', [-3]: 'cold99' }

const featureJson = (i: number, j: number, geometry: string, properties: Record<string, unknown>) =>
  `{"type":"Feature","id":"${i}_${j}","geometry":${geometry},"properties":${JSON.stringify({ i, j, ...properties })}}`

const collection = (features: string[], meta: Record<string, unknown>) =>
  `{"type":"FeatureCollection","features":[${features.join(',')}],"meta":${JSON.stringify(meta)}}`

/** Runs the analysis; returns the GeoJSON (text, or UTF-8 bytes as the database built them). */
async function analyse(sql: Sql, community: string, q: Query, run: AnalysisOptions): Promise<string | Uint8Array<ArrayBuffer>> {
  const { method, cell, shape, fdr, slice } = q
  const filter = checkFilter({ from: q.from, to: q.to, categories: q.categories, hours: q.hours, weekdays: q.weekdays })
  const spec: GridSpec = { community, filter, cell, shape, band: q.band ?? null }
  const estimate = await estimateCells(sql, community, cell, shape)
  if (estimate === null) throw new ApiError('community_not_found', `community "${community}" does not exist`, { id: community })
  if (estimate > MAX_CELLS)
    throw new ApiError('invalid_parameter', `a ${cell} m ${shape} grid would make about ${estimate} cells here (at most ${MAX_CELLS}); use a larger cell`, { cell, estimate, max: MAX_CELLS })

  const baseMeta = {
    method,
    cell,
    shape,
    neighbours: q.band ? `band ${q.band} m` : 'ring1',
    filter: describeFilter(filter),
    minIncidents: MIN_INCIDENTS,
  }

  if (method === 'emerging') {
    // Refused up front rather than stopped part way: embedded mode cannot interrupt a query.
    const slices = await countSlices(sql, spec, slice)
    if (estimate * slices > MAX_CELL_SLICES)
      throw new ApiError(
        'invalid_parameter',
        `a ${cell} m ${shape} grid over ${slices} ${slice}ly slices would make about ${estimate * slices} cell-slices here (at most ${MAX_CELL_SLICES}); use a larger cell${slice === 'week' ? ', monthly slices' : ''} or a shorter period`,
        { cell, slices, estimate: estimate * slices, max: MAX_CELL_SLICES },
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
    const meta = {
      ...baseMeta,
      slice,
      slices: first?.slices ?? 0,
      firstSlice: first?.firstSlice ?? null,
      alpha: EMERGING_ALPHA,
      incidents,
      outsideArea: (first?.matched ?? 0) - incidents,
      timeUnknown: first?.timeUnknown ?? 0,
      timeUnknownExcluded: filter.hours !== null,
      cells: cells.size,
      insufficient: false as boolean,
      insufficientReason: null as string | null,
      categories: {} as Record<string, number>,
    }
    if (incidents < MIN_INCIDENTS || meta.slices < 2) {
      meta.insufficient = true
      meta.insufficientReason = incidents < MIN_INCIDENTS ? 'too_few_incidents' : 'too_few_slices'
      return collection([], meta)
    }
    const features: string[] = []
    for (const series of cells.values()) {
      const s0 = series[0]!
      const result = classifyEmerging(series.map((r) => r.z))
      meta.categories[result.category] = (meta.categories[result.category] ?? 0) + 1
      features.push(
        featureJson(s0.i, s0.j, s0.geometry ?? 'null', {
          count: series.reduce((a, r) => a + r.count, 0),
          category: result.category,
          hotSlices: result.hotSlices,
          coldSlices: result.coldSlices,
          trendZ: result.trendZ,
          trendP: result.trendP,
          tau: result.tau,
          counts: series.map((r) => r.count),
          zs: series.map((r) => r.z),
        }),
      )
    }
    return collection(features, meta)
  }

  const { features, figures } = await runCollection(sql, collectionQuery(sql, spec, method, { fdr, bandwidth: q.bandwidth ?? null }), run)
  const meta = {
    ...baseMeta,
    incidents: figures.inArea,
    outsideArea: figures.matched - figures.inArea,
    timeUnknown: figures.timeUnknown,
    timeUnknownExcluded: filter.hours !== null,
    cells: figures.cells,
    insufficient: false as boolean,
    insufficientReason: null as string | null,
    ...(method === 'kde' ? { bandwidth: figures.bandwidth, bandwidthSource: q.bandwidth ? 'parameter' : 'data', densityUnit: 'incidents/km²' } : {}),
    ...(method === 'gistar'
      ? { fdr, bins: Object.fromEntries(Object.entries(figures.bins ?? {}).map(([bin, n]) => [BIN_LABEL[Number(bin)] ?? bin, n])) }
      : {}),
  }
  if (method !== 'count') {
    const reason =
      figures.inArea < MIN_INCIDENTS
        ? 'too_few_incidents'
        : method === 'gistar' && figures.allZNull
          ? // Every cell a neighbour of every other (n·Σw = (Σw)²): Gi* is undefined, whatever the counts.
            figures.allNeighbours
            ? 'too_few_cells'
            : 'no_variance'
          : method === 'kde' && figures.bandwidth === null
            ? 'no_variance'
            : null
    if (reason) {
      meta.insufficient = true
      meta.insufficientReason = reason
      return collection([], meta)
    }
  }
  return Buffer.concat([Buffer.from('{"type":"FeatureCollection","features":['), features, Buffer.from(`],"meta":${JSON.stringify(meta)}}`)])
}

export const hotspots = routeModule().openapi(
  createRoute({
    method: 'get',
    path: '/{id}/hotspots',
    tags: ['analysis'],
    summary: 'Incident counts, Gi* hot spots, kernel density or emerging hot spots on a grid of cells',
    description:
      'Cells are squares or hexagons of `cell` metres in the community\'s metric CRS over its grid zones. Gi*: self + ring-1 neighbours (or `band`), binary weights; bins ±3/±2/±1 at 99/95/90 % confidence (ArcGIS), optionally after Benjamini–Hochberg FDR correction. Fewer than 30 incidents (or no variance) answers `meta.insufficient: true` and no cells.',
    request: { params: z.object({ id: communityIdParam }), query: HotspotQuery },
    responses: { 200: { description: 'cells', content: { 'application/geo+json': { schema: FeatureCollectionSchema } } }, ...errorResponses },
  }),
  async (c) => {
    const body = await analyse(c.var.sql, c.req.valid('param').id, c.req.valid('query'), analysisOptions(c))
    const headers = { 'content-type': 'application/geo+json; charset=utf-8' }
    return (typeof body === 'string' ? c.body(body, 200, headers) : c.body(body, 200, headers)) as never
  },
)
