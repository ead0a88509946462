/**
 * GET /api/communities/{id}/coverage and …/gaps: what the patrol network and the captain network
 * reach, and what they miss — zone area, buildings, and priority gaps (hot cells nobody patrols when
 * their incidents happen). GeoJSON FeatureCollections with the figures in `meta`.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { inAnalysis, type AnalysisOptions } from '../db/analysis.js'
import type { Sql } from '../db/connect.js'
import { areaGaps, buildingPatrolGaps, captainCoverage, captainlessBuildings, patrolCoverage, pct, priorityCells, type PatrolWindow } from '../db/coverage.js'
import { estimateCells, MAX_CELLS } from '../db/hotspots.js'
import { routeModule } from '../env.js'
import { ApiError } from '../errors.js'
import { checkFilter, describeFilter, formatMinutes, incidentFilterShape, type IncidentFilter } from '../lib/filters.js'
import { communityIdParam } from '../lib/params.js'
import { coveredHours, judgeCell } from '../lib/priority.js'
import { analysisOptions, requireCommunity } from './guards.js'
import { errorResponses, FeatureCollectionSchema } from './schemas.js'
import { MIN_INCIDENTS } from './hotspots.js'

/** Default most buildings one captain should look after before the load is flagged. */
export const DEFAULT_MAX_BUILDINGS = 15

const CoverageQuery = z.object({
  ...incidentFilterShape,
  network: z.enum(['patrol', 'captain']).default('patrol').openapi({ param: { name: 'network', in: 'query' } }),
  maxBuildings: z.coerce
    .number({ message: 'maxBuildings must be a number' })
    .int('maxBuildings must be an integer')
    .min(1, 'maxBuildings must be at least 1')
    .max(1000, 'maxBuildings must be at most 1000')
    .default(DEFAULT_MAX_BUILDINGS)
    .openapi({ param: { name: 'maxBuildings', in: 'query' }, description: 'captain load above which a captain is flagged' }),
})

const GapsQuery = z.object({
  ...incidentFilterShape,
  network: z.enum(['patrol', 'captain', 'all']).default('all').openapi({ param: { name: 'network', in: 'query' } }),
  cell: z.coerce
    .number({ message: 'cell must be a number of metres' })
    .min(25, 'cell must be at least 25 m')
    .max(2000, 'cell must be at most 2000 m')
    .default(100)
    .openapi({ param: { name: 'cell', in: 'query' }, description: 'cell size (m) of the hot spot grid for priority gaps' }),
  fdr: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1')
    .openapi({ param: { name: 'fdr', in: 'query' } }),
})

const feature = (geometry: string, properties: Record<string, unknown>, id?: string | number) =>
  `{"type":"Feature",${id === undefined ? '' : `"id":${JSON.stringify(id)},`}"geometry":${geometry},"properties":${JSON.stringify(properties)}}`
const collection = (features: string[], meta: Record<string, unknown>) => `{"type":"FeatureCollection","features":[${features.join(',')}],"meta":${JSON.stringify(meta)}}`
const geo = (body: string) => ({ body, headers: { 'content-type': 'application/geo+json; charset=utf-8' } })

const windowOf = (f: IncidentFilter): PatrolWindow => ({ weekdays: f.weekdays, hours: f.hours })
const describeWindow = (w: PatrolWindow) => ({
  weekdays: w.weekdays,
  hours: w.hours ? `${formatMinutes(w.hours.start)}-${formatMinutes(w.hours.end)}` : null,
})


export const coverage = routeModule()
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/coverage',
      tags: ['analysis'],
      summary: 'Coverage of the patrol network (for a time window) or of the captain network',
      description:
        'patrol: the dissolved union of the reach buffers of the routes in service during `hours`/`weekdays` (a shift or window may cross midnight); a building is covered when its footprint lies within a route\'s reach. captain: buildings with an active captain, and each captain\'s load.',
      request: { params: z.object({ id: communityIdParam }), query: CoverageQuery },
      responses: { 200: { description: 'coverage', content: { 'application/geo+json': { schema: FeatureCollectionSchema } } }, ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const q = c.req.valid('query')
      const filter = checkFilter({ from: q.from, to: q.to, categories: q.categories, hours: q.hours, weekdays: q.weekdays })
      await requireCommunity(c.var.sql, id)
      if (q.network === 'captain') {
        const cap = await inAnalysis(c.var.sql, analysisOptions(c), (tx) => captainCoverage(tx, id, q.maxBuildings))
        const meta = {
          network: 'captain',
          maxBuildings: q.maxBuildings,
          buildings: cap.buildings,
          buildingsCovered: cap.buildingsCovered,
          buildingsCoveredPct: pct(cap.buildingsCovered, cap.buildings),
          households: cap.households,
          householdsCovered: cap.householdsCovered,
          householdsCoveredPct: pct(cap.householdsCovered, cap.households),
          zones: cap.zones,
          captains: cap.captains,
          captainsOverLimit: cap.captains.filter((x) => x.overLimit).length,
          captainsInactive: cap.captains.filter((x) => !x.active).length,
        }
        const r = geo(collection(cap.covered.map((b) => feature(b.geometry, { kind: 'captained', buildingId: b.id, captainId: b.captainId, captainName: b.captainName }, b.id)), meta))
        return c.body(r.body, 200, r.headers) as never
      }
      const w = windowOf(filter)
      const cov = await inAnalysis(c.var.sql, analysisOptions(c), (tx) => patrolCoverage(tx, id, w))
      const meta = {
        network: 'patrol',
        window: describeWindow(w),
        routesInService: cov.routesInService,
        areaM2: cov.areaM2,
        coveredM2: cov.coveredM2,
        areaCoveredPct: pct(cov.coveredM2, cov.areaM2),
        buildings: cov.buildings,
        buildingsCovered: cov.buildingsCovered,
        buildingsCoveredPct: pct(cov.buildingsCovered, cov.buildings),
        households: cov.households,
        householdsCovered: cov.householdsCovered,
        householdsCoveredPct: pct(cov.householdsCovered, cov.households),
        zones: cov.zones,
      }
      const r = geo(collection(cov.geometry.map((g) => feature(g, { kind: 'coverage' })), meta))
      return c.body(r.body, 200, r.headers) as never
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/gaps',
      tags: ['analysis'],
      summary: 'Gaps: zone area and buildings outside patrol coverage, buildings without a captain, priority gaps',
      description:
        'Features carry `kind`: area (zone area outside patrol coverage in the window, subdivided), building (outside patrol coverage), captainless (no active captain), priority (hot cells — Gi* at 95 % or more for the filters — with incidents in hours no route reaching them is in service; ranked, with a plain reason).',
      request: { params: z.object({ id: communityIdParam }), query: GapsQuery },
      responses: { 200: { description: 'gaps', content: { 'application/geo+json': { schema: FeatureCollectionSchema } } }, ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const q = c.req.valid('query')
      const filter = checkFilter({ from: q.from, to: q.to, categories: q.categories, hours: q.hours, weekdays: q.weekdays })
      await requireCommunity(c.var.sql, id)
      const sql = c.var.sql
      const run = analysisOptions(c)
      const w = windowOf(filter)
      const features: string[] = []
      const meta: Record<string, unknown> = { network: q.network, window: describeWindow(w), filter: describeFilter(filter), counts: {} }
      const counts = meta.counts as Record<string, number>
      if (q.network !== 'captain') {
        const areas = await inAnalysis(sql, run, (tx) => areaGaps(tx, id, w))
        const buildings = await inAnalysis(sql, run, (tx) => buildingPatrolGaps(tx, id, w))
        for (const a of areas) features.push(feature(a.geometry, { kind: 'area', zoneId: a.zoneId, zoneCode: a.zoneCode, areaM2: a.areaM2 }))
        for (const b of buildings) features.push(feature(b.geometry, { kind: 'building', buildingId: b.id, address: b.address, households: b.households, zoneCode: b.zoneCode }))
        counts.area = areas.length
        counts.building = buildings.length
        meta.uncoveredAreaM2 = areas.reduce((a, x) => a + x.areaM2, 0)
        meta.householdsUncovered = buildings.reduce((a, x) => a + x.households, 0)
        const priority = await priorityGaps(sql, id, filter, q.cell, q.fdr, run)
        meta.priority = priority.meta
        counts.priority = priority.features.length
        features.push(...priority.features)
      }
      if (q.network !== 'patrol') {
        const captainless = await inAnalysis(sql, run, (tx) => captainlessBuildings(tx, id))
        for (const b of captainless) features.push(feature(b.geometry, { kind: 'captainless', buildingId: b.id, address: b.address, households: b.households, zoneCode: b.zoneCode }))
        counts.captainless = captainless.length
        meta.householdsWithoutCaptain = captainless.reduce((a, x) => a + x.households, 0)
      }
      const r = geo(collection(features, meta))
      return c.body(r.body, 200, r.headers) as never
    },
  )

/**
 * Hot cells (Gi* bin ≥ 2, i.e. 95 %+, after FDR when asked) judged against the shifts of the routes
 * whose reach covers the cell centre, over the hours of day when the cell's incidents happened.
 */
async function priorityGaps(sql: Sql, community: string, filter: IncidentFilter, cell: number, fdr: boolean, run: AnalysisOptions) {
  const estimate = await estimateCells(sql, community, cell, 'square')
  if (estimate !== null && estimate > MAX_CELLS) throw new ApiError('invalid_parameter', `a ${cell} m grid would make about ${estimate} cells (at most ${MAX_CELLS})`, { cell })
  const { grid, hot, patrols } = await priorityCells(sql, community, filter, cell, fdr, run)
  const baseMeta = { cell, fdr, alpha: 0.05, incidents: grid.incidents, timeUnknown: grid.timeUnknown }
  if (grid.incidents < MIN_INCIDENTS || grid.rows.every((r) => r.z === null))
    return { features: [] as string[], meta: { ...baseMeta, hotCells: 0, insufficient: true, insufficientReason: grid.incidents < MIN_INCIDENTS ? 'too_few_incidents' : 'no_variance' } }
  const byCell = new Map(patrols.map((p) => [`${p.i}_${p.j}`, p]))
  const judged = hot
    .map((r) => {
      const p = byCell.get(`${r.i}_${r.j}`)!
      const covered = coveredHours(p.shifts, filter.weekdays)
      const known = p.hourly.reduce((a, b) => a + b, 0)
      const verdict = judgeCell(p.hourly, covered, Math.max(0, r.count - known))
      const neverCovered = covered.every((c) => !c)
      return { r, verdict, neverCovered, covered, isGap: verdict.uncovered > 0 || (neverCovered && r.count > 0) }
    })
    .filter((x) => x.isGap)
    .sort((a, b) => b.verdict.uncovered - a.verdict.uncovered || b.r.count - a.r.count || (b.r.z ?? 0) - (a.r.z ?? 0))
  const features = judged.map((x, k) =>
    feature(
      x.r.geometry,
      {
        kind: 'priority',
        rank: k + 1,
        i: x.r.i,
        j: x.r.j,
        z: x.r.z,
        incidents: x.r.count,
        uncoveredIncidents: x.verdict.uncovered,
        hoursWithoutPatrol: x.covered.map((c, h) => (c ? -1 : h)).filter((h) => h >= 0),
        reason: x.neverCovered && x.verdict.uncovered === 0 ? `${x.r.count} incidents without a time of day; no route covers this cell at any time` : x.verdict.reason,
        reasonZh: x.neverCovered && x.verdict.uncovered === 0 ? `${x.r.count} 起时间不详的警情；任何时段都没有巡逻路线覆盖此格` : x.verdict.reasonZh,
      },
      `priority-${k + 1}`,
    ),
  )
  return { features, meta: { ...baseMeta, hotCells: hot.length, insufficient: false, insufficientReason: null } }
}
