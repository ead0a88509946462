/**
 * A plan preview (issue 11, `POST …/plans/preview`): a draft applied in the caller's transaction,
 * with patrol coverage, gaps and captain coverage before and after — the same SQL as the real
 * answers, nothing saved (the caller rolls the transaction back).
 *
 * What is computed, and how often:
 *
 * - what a draft cannot change is computed once and answered for both sides: a captain's buildings
 *   never move patrol coverage, routes and shifts never move captain coverage, and the Gi* grid of
 *   the priority gaps depends on incidents and zones only;
 * - `before` is answered as figures (`meta`), so it is computed without features: gaps counted
 *   rather than listed;
 * - a draft of routes and shifts alone (the common case: draw a route, add a shift) recomputes, on
 *   the `before` side, only the zones its routes can reach — see `scopeOf` for why every other
 *   zone keeps its figures — and the draft's `after` side is computed whole, for the answer draws it.
 *   The order is after first (in a savepoint), then the savepoint is rolled back and the reachable
 *   zones are computed as they are today: the draft's new reach is known only once it is applied.
 */
import {
  DEFAULTS,
  type CaptainCoverageMeta,
  type Change,
  type EditAnswer,
  type GapsMeta,
  type IncidentFilter,
  type Lang,
  type PatrolCoverageMeta,
  type PlanEntity,
  type PriorityGapProps,
} from '../contract.js'
import { inAnalysis, type RunOptions } from '../db/analysis.js'
import type { Sql } from '../db/connect.js'
import { patrolCoverageRows, routesInService, type PatrolCoverageRow } from '../db/coverage.js'
import { areaGaps, type AreaGap, type CellPatrol } from '../db/gaps.js'
import { applyChange, coverageChange, type CoverageChangePart, type Editor } from '../db/plans.js'
import { collectionBody, type GeoJsonAnswer } from '../geojson.js'
import { captainCoverage, patrolCoverage, patrolCoverageMeta, windowOf } from './coverage.js'
import { analyseGaps, cellKey, hotGrid, priorityGaps, type GapParts, type HotGrid } from './gaps.js'

/**
 * Which figures a draft can change: patrol coverage and its gaps (routes, shifts, zones, teams) and
 * captain coverage and buildings without a captain (captains, zones). What it cannot change is
 * computed once and answered for both sides (a captain's buildings never move patrol coverage; a
 * team member moves nothing on the map).
 */
export function previewParts(changes: readonly Change[]): PreviewParts {
  const touched = new Set(changes.map((c) => c.entity))
  const any = (...e: PlanEntity[]) => e.some((x) => touched.has(x))
  return { patrol: any('route', 'shift', 'zone', 'team'), captain: any('captain', 'zone') }
}
export interface PreviewParts {
  patrol: boolean
  captain: boolean
}

/** One side of a preview: its answers (features only where the answer draws them) and what they were made of. */
export interface PreviewSide {
  patrol: GeoJsonAnswer<PatrolCoverageMeta> & { rows: PatrolCoverageRow[] }
  patrolGaps: GeoJsonAnswer<GapsMeta> & { parts: GapParts }
  captain: GeoJsonAnswer<CaptainCoverageMeta>
  captainGaps: GeoJsonAnswer<GapsMeta> & { parts: GapParts }
  /** the two networks' gaps as one answer, as GET …/gaps?network=all gives it */
  gaps: GeoJsonAnswer<GapsMeta>
}

export interface Preview {
  applied: EditAnswer[]
  before: PreviewSide
  after: PreviewSide
  coverage: { added: CoverageChangePart | null; removed: CoverageChangePart | null }
  /** the zones recomputed for `before` (null: all of them) */
  scope: number[] | null
}

/** How a side is computed: which parts again (the others taken from `known`), with features or not. */
interface SideOptions {
  parts: PreviewParts
  known?: PreviewSide
  grid?: HotGrid
  geometry: { patrol: boolean; captain: boolean }
}

/** Patrol coverage and gaps, captain coverage and captainless buildings under the filter, in `sql`'s transaction. */
async function previewSide(sql: Sql, community: string, filter: IncidentFilter, lang: Lang | null, run: RunOptions, o: SideOptions): Promise<PreviewSide> {
  const gapsOf = (network: 'patrol' | 'captain', geometry: boolean) =>
    analyseGaps(sql, community, { network, cell: DEFAULTS.gaps.cell, fdr: DEFAULTS.gaps.fdr, filter }, run, { geometry, ...(o.grid ? { grid: o.grid } : {}) })
  const again = { patrol: o.parts.patrol || o.known === undefined, captain: o.parts.captain || o.known === undefined }
  const patrol = again.patrol ? await patrolCoverage(sql, community, filter, lang, run) : o.known!.patrol
  const patrolGaps = again.patrol ? await gapsOf('patrol', o.geometry.patrol) : o.known!.patrolGaps
  const captain = again.captain ? await captainCoverage(sql, community, DEFAULTS.coverage.maxBuildings, filter, lang, run, { geometry: o.geometry.captain }) : o.known!.captain
  const captainGaps = again.captain ? await gapsOf('captain', o.geometry.captain) : o.known!.captainGaps
  return { patrol, patrolGaps, captain, captainGaps, gaps: bothGaps(patrolGaps, captainGaps) }
}

/** The patrol and captain gaps as one answer (network all). */
function bothGaps(patrolGaps: GeoJsonAnswer<GapsMeta>, captainGaps: GeoJsonAnswer<GapsMeta>): GeoJsonAnswer<GapsMeta> {
  const counts = { ...patrolGaps.meta.counts, ...captainGaps.meta.counts }
  const text = (f: GeoJsonAnswer<unknown>['features']) => (typeof f === 'string' ? f : new TextDecoder().decode(f))
  const features = [text(patrolGaps.features), text(captainGaps.features)].filter((f) => f.length > 0).join(',')
  return { features, meta: { ...patrolGaps.meta, householdsWithoutCaptain: captainGaps.meta.householdsWithoutCaptain, network: 'all', counts } }
}

/**
 * Where patrol coverage grows and shrinks between two coverage answers, overlaid in PostGIS
 * (db/plans.ts, coverageChange) on the polygons of the zones whose polygons differ: zones do not
 * overlap, so a zone with the same polygons on both sides adds nothing to either difference. (On a
 * city of 100 zones, the overlay of every zone's polygons took a second and, its 1 cm grid snapping
 * thousands of edges, could answer a growth of 50,000 m² as 17,800 m² removed; zone by zone
 * it takes milliseconds and answers the growth.)
 */
async function changedCoverage(sql: Sql, community: string, before: PatrolCoverageRow[], after: PatrolCoverageRow[], zones?: ReadonlySet<number>) {
  const pieces = (rows: PatrolCoverageRow[]) => {
    const byZone = new Map<number, string[]>()
    for (const r of rows) if (r.kind === 'coverage') byZone.set(Number(r.id), [...(byZone.get(Number(r.id)) ?? []), r.geometry!])
    return byZone
  }
  const b = pieces(before)
  const a = pieces(after)
  const same = (z: number) => JSON.stringify(b.get(z) ?? []) === JSON.stringify(a.get(z) ?? [])
  const changed = [...new Set([...b.keys(), ...a.keys()])].filter((z) => (zones ? zones.has(z) : true) && !same(z)).sort((x, y) => x - y)
  if (changed.length === 0) return { added: null, removed: null }
  const polygons = (m: Map<number, string[]>) => changed.flatMap((z) => (m.get(z) ?? []).map((g) => JSON.parse(g) as unknown))
  return coverageChange(sql, community, polygons(b), polygons(a))
}

/**
 * Applies `changes` in `tx` (a transaction the caller rolls back) and computes the figures before
 * and after. `who`: the editor the audit rows name (they go with the transaction). `parallel`: a
 * pool of other connections (server mode) on which what a draft of routes and shifts cannot change
 * — captain coverage, buildings without a captain, the Gi* grid — is computed meanwhile, from the
 * same committed rows as the transaction reads.
 */
export async function previewDraft(
  tx: Sql,
  community: string,
  changes: readonly Change[],
  filter: IncidentFilter,
  lang: Lang | null,
  run: RunOptions,
  who: Editor,
  parallel: Sql | null = null,
): Promise<Preview> {
  const apply = async (sql: Sql) => {
    const applied: EditAnswer[] = []
    for (const change of changes) applied.push(await applyChange(sql, community, change, who, DEFAULTS.coverage.maxBuildings))
    return applied
  }
  if (changes.length > 0 && changes.every((c) => c.entity === 'route' || c.entity === 'shift')) return previewRoutes(tx, community, changes, filter, lang, run, apply, parallel)
  const parts = previewParts(changes)
  // before: figures alone, but whole answers for what is answered for both sides
  const before = await previewSide(tx, community, filter, lang, run, { parts, geometry: { patrol: !parts.patrol, captain: !parts.captain } })
  const applied = await apply(tx)
  const grid = changes.some((c) => c.entity === 'zone') ? undefined : (before.patrolGaps.parts.grid ?? undefined)
  const after = await previewSide(tx, community, filter, lang, run, { parts, known: before, geometry: { patrol: true, captain: true }, ...(grid ? { grid } : {}) })
  return { applied, before, after, coverage: await changedCoverage(tx, community, before.patrol.rows, after.patrol.rows), scope: null }
}

/** Thrown to roll a savepoint back, carrying its result out. */
class Carry<T> {
  constructor(readonly value: T) {}
}

/** A building a draft's routes reach (today or in the draft): whether it is covered, and by routes the draft leaves alone. */
interface Reached {
  id: number
  households: number
  covered: boolean
  others: boolean
}

/**
 * What routes `routes` can change, in the state `sql` sees: the zones they reach (a zone within a
 * route's reach — the test coverage unions its buffers by — or holding a building it reaches), the
 * hot cells whose centre they reach (whose patrols' shifts they are among), and the buildings they
 * reach, each with whether it is covered in the window and whether by other routes than these.
 *
 * Why every other zone keeps its figures when only routes `routes` and their shifts change: a zone's
 * covered area is the union of the buffers of the routes in service within reach of it, taken in
 * route order — the other routes' rows and shifts are the same on both sides, and routes `routes`
 * are within reach of it on neither; its buildings are covered by the routes in service that reach
 * them (route_reach_buildings) — none of them reached by routes `routes` on either side, or the zone
 * would hold one; its incidents, names and shape do not change. A hot cell's patrols are the shifts
 * of the routes reaching its centre, the same unless one of `routes` reaches it.
 */
async function scopeOf(sql: Sql, community: string, routes: number[], filter: IncidentFilter, cells: { i: number; j: number }[], extra: number[]) {
  const [places] = await sql<{ zones: number[] | null; cells: { i: number; j: number }[] | null }[]>`
    with c as (select metric_srid as srid from communities where id = ${community}),
    r as (select * from patrol_routes where community_id = ${community} and id = any(${routes}::bigint[]))
    select
      (select array_agg(id order by id) from (
         select z.id from grid_zones as z cross join c join r on ST_DWithin(r.geom_m, ST_Transform(z.geom, c.srid), r.reach_m)
         where z.community_id = ${community}
         union
         select b.zone_id from route_reach_buildings as rb join buildings as b on b.community_id = rb.community_id and b.id = rb.building_id
         where rb.community_id = ${community} and rb.route_id = any(${routes}::bigint[]) and b.zone_id is not null) as z) as zones,
      (select jsonb_agg(jsonb_build_object('i', t.i, 'j', t.j))
       from jsonb_to_recordset(${sql.json(cells as never)}) as t (i int, j int) cross join c
       where exists (select 1 from r where ST_DWithin(r.geom_m, ST_SetSRID(ST_Point((t.i + 0.5) * ${DEFAULTS.gaps.cell}::float8, (t.j + 0.5) * ${DEFAULTS.gaps.cell}::float8), c.srid), r.reach_m))) as cells`
  const reached = await sql<Reached[]>`
    with active as materialized (${routesInService(sql, community, windowOf(filter))}),
    ids as (
      select unnest(${extra}::bigint[]) as id
      union select building_id from route_reach_buildings where community_id = ${community} and route_id = any(${routes}::bigint[])
    )
    select b.id, coalesce(b.households, 0) as households,
           exists (select 1 from active as a join route_reach_buildings as rb on rb.community_id = ${community} and rb.route_id = a.id and rb.building_id = b.id) as covered,
           exists (select 1 from active as a join route_reach_buildings as rb on rb.community_id = ${community} and rb.route_id = a.id and rb.building_id = b.id
                   where a.id <> all(${routes}::bigint[])) as others
    from ids join buildings as b on b.community_id = ${community} and b.id = ids.id`
  return { zones: (places?.zones ?? []).map(Number), cells: places?.cells ?? [], reached }
}

/**
 * The preview of a draft of routes and shifts alone: `after` whole (in a savepoint), `before` as
 * `after` with the zones, buildings and hot cells the draft's routes reach computed again as they
 * are today (scopeOf says why the rest is the same).
 */
async function previewRoutes(
  tx: Sql,
  community: string,
  changes: readonly Change[],
  filter: IncidentFilter,
  lang: Lang | null,
  run: RunOptions,
  apply: (sql: Sql) => Promise<EditAnswer[]>,
  parallel: Sql | null,
): Promise<Preview> {
  // meanwhile, on other connections: what routes and shifts cannot change (awaited, or failed, before this returns)
  const gapParams = { cell: DEFAULTS.gaps.cell, fdr: DEFAULTS.gaps.fdr, filter }
  const aside: Aside | null = parallel
    ? {
        grid: hotGrid(parallel, community, gapParams, run),
        captain: Promise.all([
          captainCoverage(parallel, community, DEFAULTS.coverage.maxBuildings, filter, lang, run),
          analyseGaps(parallel, community, { network: 'captain', ...gapParams }, run),
        ]),
      }
    : null
  // handled now (a failure while the transaction's own work runs is not an unhandled rejection); awaited where needed
  for (const p of [aside?.grid, aside?.captain]) p?.catch(() => {})
  try {
    return await previewRoutesIn(tx, community, changes, filter, lang, run, apply, aside)
  } finally {
    await Promise.allSettled([aside?.grid, aside?.captain])
  }
}

/** What previewRoutes computes on other connections meanwhile. */
interface Aside {
  grid: Promise<HotGrid>
  captain: Promise<[PreviewSide['captain'], PreviewSide['captainGaps']]>
}

/** previewRoutes, with the captain figures and the grid computed `aside` when given. */
async function previewRoutesIn(
  tx: Sql,
  community: string,
  changes: readonly Change[],
  filter: IncidentFilter,
  lang: Lang | null,
  run: RunOptions,
  apply: (sql: Sql) => Promise<EditAnswer[]>,
  aside: Aside | null,
): Promise<Preview> {
  // the routes the draft touches: named, the routes of the shifts it names (now and in the draft), created
  const routes = new Set<number>()
  for (const c of changes) {
    if (c.entity === 'route' && c.id !== undefined) routes.add(c.id)
    const routeId = (c.set as { routeId?: unknown } | undefined)?.routeId
    if (c.entity === 'shift' && typeof routeId === 'number') routes.add(routeId)
  }
  const shiftIds = changes.filter((c) => c.entity === 'shift' && c.id !== undefined).map((c) => c.id!)
  if (shiftIds.length > 0)
    for (const s of await tx<{ routeId: number }[]>`select route_id from patrol_shifts where community_id = ${community} and id = any(${shiftIds}::bigint[])`) routes.add(Number(s.routeId))

  const drafted = await (tx as unknown as { savepoint: <T>(f: (sp: Sql) => Promise<T>) => Promise<T> })
    .savepoint(async (sp) => {
      const applied = await apply(sp)
      for (const a of applied) {
        if (a.entity === 'route') routes.add(a.id)
        if (a.entity === 'shift' && a.row) routes.add(Number(a.row.routeId))
      }
      let after: PreviewSide
      if (aside) {
        // the draft's patrol coverage while the grid and the captain figures are computed aside
        const patrol = await patrolCoverage(sp, community, filter, lang, run)
        const patrolGaps = await analyseGaps(sp, community, { network: 'patrol', cell: DEFAULTS.gaps.cell, fdr: DEFAULTS.gaps.fdr, filter }, run, { grid: await aside.grid })
        const [captain, captainGaps] = await aside.captain
        after = { patrol, patrolGaps, captain, captainGaps, gaps: bothGaps(patrolGaps, captainGaps) }
      } else after = await previewSide(sp, community, filter, lang, run, { parts: { patrol: true, captain: true }, geometry: { patrol: true, captain: true } })
      const hot = after.patrolGaps.parts.grid?.hot.map(({ i, j }) => ({ i, j })) ?? []
      const scope = await inAnalysis(sp, run, (s) => scopeOf(s, community, [...routes], filter, hot, []))
      throw new Carry({ applied, after, scope })
    })
    .then(
      () => {
        throw new Error('preview: the draft was not rolled back')
      },
      (e: unknown) => {
        if (e instanceof Carry) return e.value as Carry<{ applied: EditAnswer[]; after: PreviewSide; scope: Awaited<ReturnType<typeof scopeOf>> }>['value']
        throw e
      },
    )
  const { applied, after } = drafted
  // today: what the draft's routes reach now, and what they reach in the draft
  const hot = after.patrolGaps.parts.grid?.hot.map(({ i, j }) => ({ i, j })) ?? []
  const now = await inAnalysis(tx, run, (s) =>
    scopeOf(
      s,
      community,
      [...routes],
      filter,
      hot,
      drafted.scope.reached.map((b) => b.id),
    ),
  )
  const zones = [...new Set([...drafted.scope.zones, ...now.zones])].sort((a, b) => a - b)
  const cells = new Set([...drafted.scope.cells, ...now.cells].map(cellKey))
  const w = windowOf(filter)
  const { rows, areas, order } = await inAnalysis(tx, run, async (s) => ({
    rows: await patrolCoverageRows(s, community, w, filter, lang, null, zones),
    areas: await areaGaps(s, community, w, { only: zones, geometry: false }),
    order: (await s<{ id: number }[]>`select id from grid_zones where community_id = ${community} order by code`).map((z) => Number(z.id)),
  }))
  const inScope = new Set(zones)

  // patrol coverage: the reachable zones' rows of today, the others' of the draft; totals as the query sums them
  const zoneRows = [...after.patrol.rows.filter((r) => r.kind === 'zone' && !inScope.has(Number(r.id))), ...rows.filter((r) => r.kind === 'zone')]
  const byId = [...zoneRows].sort((a, b) => Number(a.id) - Number(b.id))
  const afterTotal = after.patrol.rows.find((r) => r.kind === 'total')!
  const reachedAfter = new Map(drafted.scope.reached.map((b) => [b.id, b.covered]))
  const delta = { buildings: 0, households: 0 }
  for (const b of now.reached) {
    // covered in the draft: as looked up there, or — not reached by the draft's routes there — by the other routes, as today
    const was = b.covered
    const is = reachedAfter.get(b.id) ?? b.others
    delta.buildings += Number(was) - Number(is)
    delta.households += (Number(was) - Number(is)) * b.households
  }
  const total: PatrolCoverageRow = {
    ...afterTotal,
    areaM2: byId.reduce((a, r) => a + r.areaM2, 0),
    coveredM2: byId.reduce((a, r) => a + r.coveredM2, 0),
    buildingsCovered: afterTotal.buildingsCovered + delta.buildings,
    householdsCovered: afterTotal.householdsCovered + delta.households,
    routes: rows.find((r) => r.kind === 'total')!.routes,
  }
  const patrol = { features: '', meta: patrolCoverageMeta(filter, 'plan', total, zoneRows), rows: [...zoneRows, total, ...rows.filter((r) => r.kind === 'coverage')] }

  // gaps: zone area pieces in the answer's order (zone code, then area), uncovered buildings by the same delta, hot cells again where the routes reach them
  const areaList: AreaGap[] = order.flatMap((id) => (inScope.has(id) ? areas : after.patrolGaps.parts.areas).filter((a) => Number(a.zoneId) === id))
  const known = new Map<string, CellPatrol>([...after.patrolGaps.parts.patrols].filter(([k]) => !cells.has(k)))
  const grid = after.patrolGaps.parts.grid
  const priority = await priorityGaps(tx, community, { network: 'patrol', cell: DEFAULTS.gaps.cell, fdr: DEFAULTS.gaps.fdr, filter }, run, { ...(grid ? { grid } : {}), patrols: known })
  const am = after.patrolGaps.meta
  const meta: GapsMeta = { network: am.network, window: am.window, filter: am.filter, counts: {} }
  meta.counts.area = areaList.length
  meta.counts.building = am.counts.building! - delta.buildings
  meta.counts.priority = priority.features.length
  meta.uncoveredAreaM2 = areaList.reduce((a, x) => a + x.areaM2, 0)
  meta.householdsUncovered = am.householdsUncovered! - delta.households
  meta.priority = priority.meta
  const patrolGaps = { features: '', meta, parts: { ...after.patrolGaps.parts, areas: areaList, buildings: null, priority: priority.properties, patrols: priority.patrols } }
  const before: PreviewSide = { patrol, patrolGaps, captain: after.captain, captainGaps: after.captainGaps, gaps: bothGaps(patrolGaps, { ...after.captainGaps, features: '' }) }

  // where coverage grows and shrinks: only the reachable zones' polygons may differ
  const coverage = await changedCoverage(tx, community, rows, after.patrol.rows, inScope)
  return { applied, before, after, coverage, scope: zones }
}

/** Before and after per zone and overall, and which priority gaps the draft closes or opens. */
export function differences(before: PreviewSide, after: PreviewSide) {
  type Shares = { code: string; areaCoveredPct?: number; buildingsCoveredPct: number; householdsCoveredPct: number }
  const pair = <T extends { code: string }>(a: T[], b: T[], pick: (z: Partial<T>) => Record<string, number | undefined>) =>
    [...new Set([...a, ...b].map((z) => z.code))].sort().map((code) => ({ code, before: pick(a.find((z) => z.code === code) ?? {}), after: pick(b.find((z) => z.code === code) ?? {}) }))
  const patrolShares = (z: Partial<Shares>) => ({ areaCoveredPct: z.areaCoveredPct, buildingsCoveredPct: z.buildingsCoveredPct, householdsCoveredPct: z.householdsCoveredPct })
  const captainShares = (z: Partial<Shares>) => ({ buildingsCoveredPct: z.buildingsCoveredPct, householdsCoveredPct: z.householdsCoveredPct })
  const key = (x: PriorityGapProps) => JSON.stringify(x.center ?? (x as { cellId?: unknown }).cellId ?? x.rank)
  const beforeGaps = before.patrolGaps.parts.priority
  const afterGaps = after.patrolGaps.parts.priority
  const count = (s: PreviewSide, kind: 'area' | 'building' | 'captainless' | 'priority') => s.gaps.meta.counts[kind] ?? 0
  return {
    patrol: { total: { before: patrolShares(before.patrol.meta), after: patrolShares(after.patrol.meta) }, zones: pair(before.patrol.meta.zones, after.patrol.meta.zones, patrolShares) },
    captain: { total: { before: captainShares(before.captain.meta), after: captainShares(after.captain.meta) }, zones: pair(before.captain.meta.zones, after.captain.meta.zones, captainShares) },
    gaps: Object.fromEntries((['area', 'building', 'captainless', 'priority'] as const).map((k) => [k, { before: count(before, k), after: count(after, k) }])),
    priorityClosed: beforeGaps.filter((g) => !afterGaps.some((a) => key(a) === key(g))),
    priorityOpened: afterGaps.filter((g) => !beforeGaps.some((b) => key(b) === key(g))),
  }
}

/**
 * The preview's answer as JSON text: `{ changes, differences, before, after }` — `before` the
 * figures, `after` the draft's coverage, gaps and captain coverage as FeatureCollections. The
 * features are spliced in as the database wrote them rather than parsed and written again.
 */
export function previewBody(p: Preview): string {
  const text = (answer: GeoJsonAnswer<unknown>) => {
    const body = collectionBody(answer)
    return typeof body === 'string' ? body : new TextDecoder().decode(body)
  }
  const head = JSON.stringify({
    changes: p.applied,
    differences: { ...differences(p.before, p.after), coverage: p.coverage },
    before: { patrol: p.before.patrol.meta, gaps: p.before.gaps.meta, captain: p.before.captain.meta },
  })
  const { patrol, gaps, captain } = p.after
  return `${head.slice(0, -1)},"after":{"patrol":${text({ features: patrol.features, meta: patrol.meta })},"gaps":${text(gaps)},"captain":${text(captain)}}}`
}
