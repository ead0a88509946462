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
 * - both sides are answered as figures (`meta`) and differences, so they are computed without
 *   features: gaps counted rather than listed; the buildings that change coverage are listed by id.
 *   Only on request (`features`) is the draft's side computed whole with its features, to draw;
 * - a draft of routes and shifts alone (the common case: draw a route, add a shift) takes today's
 *   figures whole — kept between previews (PreviewCache) while the rows they are computed from do
 *   not change (previewDataVersion) — and computes on the draft, in a savepoint, only the zones, the
 *   buildings and the hot cells its routes can reach, today or in the draft (see `scopeOf` for why
 *   every other zone keeps its figures). With `features`, the other way round: the draft whole, and
 *   today again where its routes reach.
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
import { coveredBuildings, patrolCoverageRows, routesInService, type PatrolCoverageRow } from '../db/coverage.js'
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
  /** buildings the draft brings into patrol coverage of the window, and those it leaves outside it (ids, ascending) */
  buildings: BuildingChanges
  /** the zones computed on one side only where the draft's routes reach (null: all of them on both sides) */
  scope: number[] | null
  /** whether `after` carries its features (the draft's coverage, gaps and captain coverage to draw), or figures alone */
  features: boolean
}

export interface BuildingChanges {
  covered: number[]
  uncovered: number[]
}

/** How previewDraft answers: `features` — the draft's side with every feature (slow on a city: all its gaps listed); `cache` — today's figures kept between previews. */
export interface PreviewOptions {
  features?: boolean
  cache?: PreviewCache | null
}

/**
 * Today's figures of a community under a filter and language — what a preview of routes and shifts
 * splices the draft's reachable zones into — kept between previews while `previewDataVersion` does
 * not move (most recently used kept; a few filters' worth). The entries are shared: never changed.
 */
export class PreviewCache {
  private entries = new Map<string, { version: string; today: Today }>()
  hits = 0
  misses = 0
  constructor(readonly maxEntries = 8) {}

  static key(community: string, filter: IncidentFilter, lang: Lang | null): string {
    return JSON.stringify([community, filter, lang])
  }

  get(key: string, version: string): Today | undefined {
    const hit = this.entries.get(key)
    if (!hit || hit.version !== version) {
      this.misses++
      return undefined
    }
    this.entries.delete(key)
    this.entries.set(key, hit)
    this.hits++
    return hit.today
  }

  set(key: string, version: string, today: Today): void {
    this.entries.delete(key)
    this.entries.set(key, { version, today })
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!)
  }
}

/** Today's side of a preview of routes and shifts, figures alone, and the zones in the answer's order (by code). */
export interface Today {
  side: PreviewSide
  order: number[]
}

/**
 * A version of every row today's figures are computed from, as `sql` sees them: the community's tile
 * data version (buildings, captains and their buildings, zones, incidents, streets and the community
 * itself: bumped by triggers, migration 00009) and, for routes, shifts and teams, a digest of their
 * ids and the transaction that wrote each row (xmin: any committed insert, update or delete moves it).
 * Routes' reach (route_reach_buildings) follows routes and buildings.
 */
export async function previewDataVersion(sql: Sql, community: string): Promise<string> {
  const [v] = await sql<{ v: string }[]>`
    select concat_ws(' ',
      (select version from tile_data_versions where community_id = ${community})::text,
      (select md5(coalesce(string_agg(id::text || ':' || xmin::text, ',' order by id), '')) from patrol_routes where community_id = ${community}),
      (select md5(coalesce(string_agg(id::text || ':' || xmin::text, ',' order by id), '')) from patrol_shifts where community_id = ${community}),
      (select md5(coalesce(string_agg(id::text || ':' || xmin::text, ',' order by id), '')) from patrol_teams where community_id = ${community})) as v`
  return v!.v
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
  options: PreviewOptions = {},
): Promise<Preview> {
  const apply = async (sql: Sql) => {
    const applied: EditAnswer[] = []
    for (const change of changes) applied.push(await applyChange(sql, community, change, who, DEFAULTS.coverage.maxBuildings))
    return applied
  }
  const features = options.features ?? false
  if (changes.length > 0 && changes.every((c) => c.entity === 'route' || c.entity === 'shift'))
    return features
      ? previewRoutes(tx, community, changes, filter, lang, run, apply, parallel)
      : previewRoutesFigures(tx, community, changes, filter, lang, run, apply, parallel, options.cache ?? null)
  const parts = previewParts(changes)
  // before: figures alone, but whole answers (with features when asked for) for what is answered for both sides
  const before = await previewSide(tx, community, filter, lang, run, { parts, geometry: { patrol: features && !parts.patrol, captain: features && !parts.captain } })
  const coveredBefore = parts.patrol ? new Set(await coveredIds(tx, community, filter, run)) : null
  const applied = await apply(tx)
  const grid = changes.some((c) => c.entity === 'zone') ? undefined : (before.patrolGaps.parts.grid ?? undefined)
  const after = await previewSide(tx, community, filter, lang, run, { parts, known: before, geometry: { patrol: features, captain: features }, ...(grid ? { grid } : {}) })
  const buildings: BuildingChanges = { covered: [], uncovered: [] }
  if (coveredBefore) {
    const coveredAfter = await coveredIds(tx, community, filter, run)
    const now = new Set(coveredAfter)
    buildings.covered = coveredAfter.filter((id) => !coveredBefore.has(id))
    buildings.uncovered = [...coveredBefore].filter((id) => !now.has(id))
  }
  return { applied, before, after, coverage: await changedCoverage(tx, community, before.patrol.rows, after.patrol.rows), buildings, scope: null, features }
}

/** The ids of the buildings within patrol coverage of the filter's window (the building gaps are the others), ascending. */
async function coveredIds(sql: Sql, community: string, filter: IncidentFilter, run: RunOptions): Promise<number[]> {
  const [row] = await inAnalysis(sql, run, (s) =>
    s<{ ids: number[] }[]>`with active as materialized (${routesInService(s, community, windowOf(filter))}), ${coveredBuildings(s, community)}
      select coalesce(array_agg(id order by id), '{}') as ids from covered_b`,
  )
  return row!.ids.map(Number)
}

/** Thrown to roll a savepoint back, carrying its result out. */
class Carry<T> {
  constructor(readonly value: T) {}
}

/** Runs `fn` in a savepoint of `tx` that is rolled back, and answers its result. */
async function rolledBack<T>(tx: Sql, fn: (sp: Sql) => Promise<T>): Promise<T> {
  return (tx as unknown as { savepoint: <R>(f: (sp: Sql) => Promise<R>) => Promise<R> })
    .savepoint(async (sp) => {
      throw new Carry(await fn(sp))
    })
    .then(
      () => {
        throw new Error('preview: the draft was not rolled back')
      },
      (e: unknown) => {
        if (e instanceof Carry) return e.value as T
        throw e
      },
    )
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
    ),
    reach as materialized (
      select rb.building_id, rb.route_id from ids join route_reach_buildings as rb on rb.community_id = ${community} and rb.building_id = ids.id
    )
    select b.id, coalesce(b.households, 0) as households,
           coalesce(bool_or(a.id is not null), false) as covered,
           coalesce(bool_or(a.id is not null and a.id <> all(${routes}::bigint[])), false) as others
    from ids join buildings as b on b.community_id = ${community} and b.id = ids.id
    left join reach as rb on rb.building_id = b.id
    left join active as a on a.id = rb.route_id
    group by b.id, b.households`
  return { zones: (places?.zones ?? []).map(Number), cells: places?.cells ?? [], reached: reached.map((b) => ({ ...b, id: Number(b.id) })) }
}
type Scope = Awaited<ReturnType<typeof scopeOf>>

/** The routes a draft of routes and shifts touches, before it is applied: named, and the routes of the shifts it names (now and in the draft). */
async function draftRoutes(tx: Sql, community: string, changes: readonly Change[]): Promise<Set<number>> {
  const routes = new Set<number>()
  for (const c of changes) {
    if (c.entity === 'route' && c.id !== undefined) routes.add(c.id)
    const routeId = (c.set as { routeId?: unknown } | undefined)?.routeId
    if (c.entity === 'shift' && typeof routeId === 'number') routes.add(routeId)
  }
  const shiftIds = changes.filter((c) => c.entity === 'shift' && c.id !== undefined).map((c) => c.id!)
  if (shiftIds.length > 0)
    for (const s of await tx<{ routeId: number }[]>`select route_id from patrol_shifts where community_id = ${community} and id = any(${shiftIds}::bigint[])`) routes.add(Number(s.routeId))
  return routes
}

/** Adds the routes `applied` created or moved shifts to. */
function addApplied(routes: Set<number>, applied: EditAnswer[]) {
  for (const a of applied) {
    if (a.entity === 'route') routes.add(a.id)
    if (a.entity === 'shift' && a.row) routes.add(Number(a.row.routeId))
  }
}

/**
 * How the buildings the draft's routes reach (`today`'s scope and the `draft`'s) change: a building
 * reached on one side only is covered on the other as by the routes the draft leaves alone (the same
 * on both sides). `delta`: the draft's covered buildings and households less today's.
 */
function buildingChanges(today: Reached[], draft: Reached[]) {
  const now = new Map(today.map((b) => [b.id, b]))
  const then = new Map(draft.map((b) => [b.id, b]))
  const delta = { buildings: 0, households: 0 }
  const changes: BuildingChanges = { covered: [], uncovered: [] }
  for (const id of [...new Set([...now.keys(), ...then.keys()])].sort((a, b) => a - b)) {
    const b = (now.get(id) ?? then.get(id))!
    const was = now.get(id)?.covered ?? then.get(id)!.others
    const is = then.get(id)?.covered ?? now.get(id)!.others
    if (was === is) continue
    delta.buildings += is ? 1 : -1
    delta.households += (is ? 1 : -1) * b.households
    ;(is ? changes.covered : changes.uncovered).push(id)
  }
  return { delta, changes }
}

/** One side's figures for the zones in scope, computed on that side. */
interface Scoped {
  /** patrol coverage rows of the zones in scope (their zone and coverage rows, and the total row: its routes in service) */
  rows: PatrolCoverageRow[]
  areas: AreaGap[]
  priority: Awaited<ReturnType<typeof priorityGaps>>
}

/**
 * One side of a preview of routes and shifts as `base` (the other side, computed whole) with the
 * zones in scope, the buildings the draft's routes reach and the hot cells they reach taken from
 * `own` (that side's figures there; `delta`: its covered buildings and households less base's).
 * Figures alone. Totals summed as the query sums them (zone id order).
 */
function spliced(base: PreviewSide, own: Scoped, zones: number[], order: number[], delta: { buildings: number; households: number }, filter: IncidentFilter): PreviewSide {
  const inScope = new Set(zones)
  const zoneRows = [...base.patrol.rows.filter((r) => r.kind === 'zone' && !inScope.has(Number(r.id))), ...own.rows.filter((r) => r.kind === 'zone')]
  const byId = [...zoneRows].sort((a, b) => Number(a.id) - Number(b.id))
  const baseTotal = base.patrol.rows.find((r) => r.kind === 'total')!
  const total: PatrolCoverageRow = {
    ...baseTotal,
    areaM2: byId.reduce((a, r) => a + r.areaM2, 0),
    coveredM2: byId.reduce((a, r) => a + r.coveredM2, 0),
    buildingsCovered: baseTotal.buildingsCovered + delta.buildings,
    householdsCovered: baseTotal.householdsCovered + delta.households,
    routes: own.rows.find((r) => r.kind === 'total')!.routes,
  }
  const patrol = { features: '', meta: patrolCoverageMeta(filter, 'plan', total, zoneRows), rows: [...zoneRows, total, ...own.rows.filter((r) => r.kind === 'coverage')] }

  // gaps: zone area pieces in the answer's order (zone code, then area), uncovered buildings by the same delta, hot cells again where the routes reach them
  const areaList: AreaGap[] = order.flatMap((id) => (inScope.has(id) ? own.areas : base.patrolGaps.parts.areas).filter((a) => Number(a.zoneId) === id))
  const bm = base.patrolGaps.meta
  const meta: GapsMeta = { network: bm.network, window: bm.window, filter: bm.filter, counts: {} }
  meta.counts.area = areaList.length
  meta.counts.building = bm.counts.building! - delta.buildings
  meta.counts.priority = own.priority.features.length
  meta.uncoveredAreaM2 = areaList.reduce((a, x) => a + x.areaM2, 0)
  meta.householdsUncovered = bm.householdsUncovered! - delta.households
  meta.priority = own.priority.meta
  const patrolGaps = { features: '', meta, parts: { ...base.patrolGaps.parts, areas: areaList, buildings: null, priority: own.priority.properties, patrols: own.priority.patrols } }
  return { patrol, patrolGaps, captain: base.captain, captainGaps: base.captainGaps, gaps: bothGaps(patrolGaps, { ...base.captainGaps, features: '' }) }
}

/**
 * The zones' figures, area gaps and priority gaps of one side in scope, as `sql` sees them (the
 * patrols of hot cells out of reach taken from `base`); `onRows` is told the coverage rows as soon as
 * they are known.
 */
async function scopedFigures(
  sql: Sql,
  community: string,
  filter: IncidentFilter,
  lang: Lang | null,
  run: RunOptions,
  base: PreviewSide,
  zones: number[],
  cells: ReadonlySet<string>,
  onRows?: (rows: PatrolCoverageRow[]) => void,
): Promise<Scoped> {
  const w = windowOf(filter)
  const { rows, areas } = await inAnalysis(sql, run, async (s) => {
    const rows = await patrolCoverageRows(s, community, w, filter, lang, null, zones)
    onRows?.(rows)
    return { rows, areas: await areaGaps(s, community, w, { only: zones, geometry: false }) }
  })
  const known = new Map<string, CellPatrol>([...base.patrolGaps.parts.patrols].filter(([k]) => !cells.has(k)))
  const grid = base.patrolGaps.parts.grid
  const priority = await priorityGaps(sql, community, { network: 'patrol', cell: DEFAULTS.gaps.cell, fdr: DEFAULTS.gaps.fdr, filter }, run, { ...(grid ? { grid } : {}), patrols: known })
  return { rows, areas, priority }
}

/** The zones in the answer's order (by code). */
async function zoneOrder(sql: Sql, community: string): Promise<number[]> {
  return (await sql<{ id: number }[]>`select id from grid_zones where community_id = ${community} order by code`).map((z) => Number(z.id))
}

/**
 * Today's figures, whole (features only where a side needs them: none): patrol coverage and its gaps
 * in `tx`; in server mode captain coverage, buildings without a captain and the Gi* grid meanwhile on
 * `parallel`, from the same committed rows.
 */
async function todayWhole(tx: Sql, community: string, filter: IncidentFilter, lang: Lang | null, run: RunOptions, parallel: Sql | null): Promise<Today> {
  const order = await zoneOrder(tx, community)
  // (the coverage's features dropped: only its rows are read again, and the entry is kept)
  if (!parallel) {
    const side = await previewSide(tx, community, filter, lang, run, { parts: { patrol: true, captain: true }, geometry: { patrol: false, captain: false } })
    return { side: { ...side, patrol: { ...side.patrol, features: '' } }, order }
  }
  const gapParams = { cell: DEFAULTS.gaps.cell, fdr: DEFAULTS.gaps.fdr, filter }
  const grid = hotGrid(parallel, community, gapParams, run)
  const captains = Promise.all([
    captainCoverage(parallel, community, DEFAULTS.coverage.maxBuildings, filter, lang, run, { geometry: false }),
    analyseGaps(parallel, community, { network: 'captain', ...gapParams }, run, { geometry: false }),
  ])
  for (const p of [grid, captains]) p.catch(() => {})
  try {
    const patrol = await patrolCoverage(tx, community, filter, lang, run)
    const patrolGaps = await analyseGaps(tx, community, { network: 'patrol', ...gapParams }, run, { geometry: false, grid: await grid })
    const [captain, captainGaps] = await captains
    return { side: { patrol: { ...patrol, features: '' }, patrolGaps, captain, captainGaps, gaps: bothGaps(patrolGaps, captainGaps) }, order }
  } finally {
    await Promise.allSettled([grid, captains])
  }
}

/**
 * The preview of a draft of routes and shifts, figures alone (the usual answer): today's side whole —
 * from `cache` while the rows it is computed from have not changed — and the draft's side as today's
 * with the zones, buildings and hot cells the draft's routes reach, today or in the draft, computed
 * on the draft (in a savepoint; scopeOf says why the rest is the same).
 */
async function previewRoutesFigures(
  tx: Sql,
  community: string,
  changes: readonly Change[],
  filter: IncidentFilter,
  lang: Lang | null,
  run: RunOptions,
  apply: (sql: Sql) => Promise<EditAnswer[]>,
  parallel: Sql | null,
  cache: PreviewCache | null,
): Promise<Preview> {
  const routes = await draftRoutes(tx, community, changes)
  const key = PreviewCache.key(community, filter, lang)
  const version = cache ? await previewDataVersion(tx, community) : ''
  let today = cache?.get(key, version)
  if (!today) {
    today = await todayWhole(tx, community, filter, lang, run, parallel)
    cache?.set(key, version, today)
  }
  const before = today.side
  const hot = before.patrolGaps.parts.grid?.hot.map(({ i, j }) => ({ i, j })) ?? []
  // what the draft's routes reach today: in server mode on another connection while the draft is applied (it reads committed rows only)
  const todayScope = (sql: Sql) => inAnalysis(sql, run, (s) => scopeOf(s, community, [...routes], filter, hot, []))
  const nowAside = parallel ? todayScope(parallel) : null
  nowAside?.catch(() => {})
  let coverageAside: ReturnType<typeof changedCoverage> | null = null
  try {
    const nowHere = nowAside ? null : await todayScope(tx)
    const drafted = await rolledBack(tx, async (sp) => {
      const applied = await apply(sp)
      addApplied(routes, applied)
      const scope = await inAnalysis(sp, run, (s) => scopeOf(s, community, [...routes], filter, hot, []))
      const now = nowHere ?? (await nowAside!)
      const zones = [...new Set([...scope.zones, ...now.zones])].sort((a, b) => a - b)
      const cells = new Set([...scope.cells, ...now.cells].map(cellKey))
      // where coverage grows and shrinks (only the reachable zones' polygons may differ): in server mode on another connection meanwhile
      const onRows = (rows: PatrolCoverageRow[]) => {
        if (parallel) (coverageAside = changedCoverage(parallel, community, before.patrol.rows, rows, new Set(zones))).catch(() => {})
      }
      return { applied, scope, now, zones, own: await scopedFigures(sp, community, filter, lang, run, before, zones, cells, onRows) }
    })
    const { delta, changes: buildings } = buildingChanges(drafted.now.reached, drafted.scope.reached)
    const after = spliced(before, drafted.own, drafted.zones, today.order, delta, filter)
    const coverage = await (coverageAside ?? changedCoverage(tx, community, before.patrol.rows, after.patrol.rows, new Set(drafted.zones)))
    return { applied: drafted.applied, before, after, coverage, buildings, scope: drafted.zones, features: false }
  } finally {
    await Promise.allSettled([nowAside, coverageAside])
  }
}

/**
 * The preview of a draft of routes and shifts with the draft's features (`features`): `after` whole
 * (in a savepoint), `before` as `after` with the zones, buildings and hot cells the draft's routes
 * reach computed again as they are today (scopeOf says why the rest is the same).
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
  const routes = await draftRoutes(tx, community, changes)
  const drafted = await rolledBack(tx, async (sp) => {
    const applied = await apply(sp)
    addApplied(routes, applied)
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
    return { applied, after, scope }
  })
  const { applied, after } = drafted
  // today: what the draft's routes reach now (hot cells and zones also as they reach them in the draft)
  const hot = after.patrolGaps.parts.grid?.hot.map(({ i, j }) => ({ i, j })) ?? []
  const now = await inAnalysis(tx, run, (s) => scopeOf(s, community, [...routes], filter, hot, []))
  const zones = [...new Set([...drafted.scope.zones, ...now.zones])].sort((a, b) => a - b)
  const cells = new Set([...drafted.scope.cells, ...now.cells].map(cellKey))
  const own = await scopedFigures(tx, community, filter, lang, run, after, zones, cells)
  // before = after with today's figures where the routes reach: the delta of today less the draft
  const { delta, changes: buildings } = buildingChanges(now.reached, drafted.scope.reached)
  const before = spliced(after, own, zones, await zoneOrder(tx, community), { buildings: -delta.buildings, households: -delta.households }, filter)
  // where coverage grows and shrinks: only the reachable zones' polygons may differ
  const coverage = await changedCoverage(tx, community, own.rows, after.patrol.rows, new Set(zones))
  return { applied, before, after, coverage, buildings, scope: zones, features: true }
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
 * figures; `after` the draft's figures too or, with `features`, its coverage, gaps and captain
 * coverage as FeatureCollections, the features spliced in as the database wrote them rather than
 * parsed and written again.
 */
export function previewBody(p: Preview): string {
  const text = (answer: GeoJsonAnswer<unknown>) => {
    const body = collectionBody(answer)
    return typeof body === 'string' ? body : new TextDecoder().decode(body)
  }
  const figures = (s: PreviewSide) => ({ patrol: s.patrol.meta, gaps: s.gaps.meta, captain: s.captain.meta })
  const head = {
    changes: p.applied,
    differences: { ...differences(p.before, p.after), coverage: p.coverage, buildings: p.buildings },
    before: figures(p.before),
  }
  if (!p.features) return JSON.stringify({ ...head, after: figures(p.after) })
  const { patrol, gaps, captain } = p.after
  return `${JSON.stringify(head).slice(0, -1)},"after":{"patrol":${text({ features: patrol.features, meta: patrol.meta })},"gaps":${text(gaps)},"captain":${text(captain)}}}`
}
