/**
 * GET /api/communities/{id}/hotspots: incident counts, Gi* hot spots, kernel density and emerging
 * hot spots on a grid of true-metre cells, with the shared filters. Answers a GeoJSON
 * FeatureCollection of cells with the figures actually used in `meta`.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { emergingQuery, estimateCells, gistarQuery, kdeQuery, MAX_CELLS, runAnalysis, runGrid, type GridSpec, type SliceRow } from '../db/hotspots.js'
import { routeModule } from '../env.js'
import { ApiError } from '../errors.js'
import { classifyEmerging, EMERGING_ALPHA } from '../lib/emerging.js'
import { checkFilter, describeFilter, incidentFilterShape } from '../lib/filters.js'
import { communityIdParam } from '../lib/params.js'
import { benjaminiHochberg, confidenceBin, twoSidedP } from '../lib/stats.js'
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

/** Runs the analysis; returns the GeoJSON text. */
async function analyse(sql: Parameters<typeof runGrid>[0], community: string, q: Query): Promise<string> {
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
    const rows = await runAnalysis<SliceRow[]>(sql, emergingQuery(sql, spec, slice))
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

  const result = await runGrid(sql, method === 'kde' ? kdeQuery(sql, spec, q.bandwidth ?? null) : gistarQuery(sql, spec))
  const meta = {
    ...baseMeta,
    incidents: result.incidents,
    outsideArea: result.outside,
    timeUnknown: result.timeUnknown,
    timeUnknownExcluded: filter.hours !== null,
    cells: result.rows.length,
    insufficient: false as boolean,
    insufficientReason: null as string | null,
    ...(method === 'kde' ? { bandwidth: result.bandwidth, bandwidthSource: q.bandwidth ? 'parameter' : 'data', densityUnit: 'incidents/km²' } : {}),
    ...(method === 'gistar' ? { fdr, bins: {} as Record<string, number> } : {}),
  }
  if (method !== 'count') {
    const zs = result.rows.map((r) => r.z)
    const reason =
      result.incidents < MIN_INCIDENTS
        ? 'too_few_incidents'
        : method === 'gistar' && zs.every((z) => z === null)
          ? // Every cell a neighbour of every other (n·Σw = (Σw)²): Gi* is undefined, whatever the counts.
            result.rows.every((r) => r.neighbours === result.rows.length)
            ? 'too_few_cells'
            : 'no_variance'
          : method === 'kde' && result.bandwidth === null
            ? 'no_variance'
            : null
    if (reason) {
      meta.insufficient = true
      meta.insufficientReason = reason
      return collection([], meta)
    }
  }
  if (method === 'count') return collection(result.rows.map((r) => featureJson(r.i, r.j, r.geometry, { count: r.count })), meta)
  if (method === 'kde') return collection(result.rows.map((r) => featureJson(r.i, r.j, r.geometry, { count: r.count, density: r.density })), meta)

  const ps = result.rows.map((r) => (r.z === null ? NaN : twoSidedP(r.z)))
  const adjusted = fdr ? benjaminiHochberg(ps) : null
  const bins = (meta as { bins: Record<string, number> }).bins
  const features = result.rows.map((r, k) => {
    const p = ps[k]!
    const bin = r.z === null ? 0 : confidenceBin(r.z, adjusted ? adjusted[k]! : p)
    bins[BIN_LABEL[bin]!] = (bins[BIN_LABEL[bin]!] ?? 0) + 1
    return featureJson(r.i, r.j, r.geometry, {
      count: r.count,
      neighbours: r.neighbours,
      z: r.z,
      p: Number.isNaN(p) ? null : p,
      ...(adjusted ? { pAdjusted: Number.isNaN(adjusted[k]!) ? null : adjusted[k] } : {}),
      bin,
    })
  })
  return collection(features, meta)
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
    const body = await analyse(c.var.sql, c.req.valid('param').id, c.req.valid('query'))
    return c.body(body, 200, { 'content-type': 'application/geo+json; charset=utf-8' }) as never
  },
)
