/**
 * Coverage of the patrol network and the captain network, and their gaps (DESIGN.md, "Analysis").
 *
 * - A route is in service for a time window when one of its shifts overlaps it: a day in the
 *   window's weekdays and a time in its hours (a shift ending at or before it starts runs past
 *   midnight into the next day, as does a window like 22-02).
 * - Patrol coverage: the union of the `reach_m` buffers (metric CRS) of the routes in service.
 * - A building is patrol-covered when its footprint lies within `reach_m` of a route in service
 *   (ST_DWithin in metres); captain-covered when an active captain looks after it.
 * - A building belongs to the zone holding its point on surface, so it counts in one zone only.
 */
import type postgres from 'postgres'
import type { CaptainLoad } from '../contract.js'
import type { HoursWindow, IncidentFilter } from '../lib/filters.js'
import { inAnalysis, type AnalysisOptions } from './analysis.js'
import type { Sql } from './connect.js'
import { incidentConditions } from './filters.js'
import { runGrid, testedQuery, type CellRow, type GridResult } from './hotspots.js'

type Fragment = postgres.PendingQuery<postgres.Row[]>

/** When the patrol network is asked about: ISO weekdays and a time-of-day window (null = all). */
export interface PatrolWindow {
  weekdays: number[] | null
  hours: HoursWindow | null
}

/** The window's hours as intervals of one day in minutes: [start, end) pairs, split at midnight. */
export function windowIntervals(hours: HoursWindow | null): { starts: number[]; ends: number[] } {
  if (!hours) return { starts: [0], ends: [1440] }
  if (hours.start < hours.end) return { starts: [hours.start], ends: [hours.end] }
  return { starts: [hours.start, 0], ends: [1440, hours.end] }
}

/**
 * Routes of the community in service during the window: id, geometry (4326 and metric `gm`), reach,
 * the stored reach buffer (`reach_g`, metric) and a 4326 box around the route grown by its reach,
 * for index look-ups.
 */
export function routesInService(sql: Sql, community: string, w: PatrolWindow): Fragment {
  const { starts, ends } = windowIntervals(w.hours)
  return sql`
    select r.id, r.team_id, r.geom, r.geom_m as gm, r.reach_m, r.reach_geom_m as reach_g,
           ST_Expand(r.geom, r.reach_m / (110000 * cos(radians(ST_YMax(r.geom))))) as env
    from patrol_routes as r
    where r.community_id = ${community}
      and exists (
        select 1
        from patrol_shifts as s
        cross join lateral (
          -- the shift on each of its days; past midnight, the rest on the next day
          select d as day, extract(epoch from s.start_time)::int / 60 as a,
                 case when s.end_time > s.start_time then extract(epoch from s.end_time)::int / 60 else 1440 end as b
          from unnest(s.days) as d
          union all
          select d % 7 + 1, 0, extract(epoch from s.end_time)::int / 60
          from unnest(s.days) as d where s.end_time < s.start_time
        ) as part
        where s.community_id = r.community_id and s.route_id = r.id
          ${w.weekdays ? sql`and part.day = any(${w.weekdays}::int[])` : sql``}
          and exists (select 1 from unnest(${starts}::int[], ${ends}::int[]) as q (a, b) where part.a < q.b and q.a < part.b)
      )`
}

export interface ZoneCoverage {
  id: number
  code: string
  name: string
  teamName: string | null
  areaM2: number
  coveredM2: number
  areaCoveredPct: number
  buildings: number
  buildingsCovered: number
  buildingsCoveredPct: number
  households: number
  householdsCovered: number
  householdsCoveredPct: number
}

export interface PatrolCoverage {
  /** coverage dissolved within each zone, subdivided, GeoJSON text (EPSG:4326); empty when no route is in service */
  geometry: string[]
  routesInService: number[]
  areaM2: number
  coveredM2: number
  buildings: number
  buildingsCovered: number
  households: number
  householdsCovered: number
  zones: ZoneCoverage[]
}

/**
 * The zone a building counts in: the one holding its point on surface; a building that sticks out
 * of every zone (footprints cut at the community edge) counts in the nearest zone within ~100 m.
 */
function zoneOf(sql: Sql, community: string): Fragment {
  return sql`coalesce(
    (select z.id from grid_zones as z where z.community_id = ${community} and ST_Intersects(z.geom, ST_PointOnSurface(b.geom)) order by z.id limit 1),
    (select z.id from grid_zones as z where z.community_id = ${community} and ST_DWithin(z.geom, b.geom, 0.001) order by ST_Distance(z.geom, b.geom), z.id limit 1))`
}

/**
 * CTE `bzone` (id, zone_id): the zone of every building of the community, as zoneOf says. Zone by
 * zone, the buildings under it come from the footprint index and its point-in-polygon tests reuse one
 * prepared zone geometry, which is much faster than looking a zone up for each building when every
 * building is wanted; the few left over fall back to zoneOf.
 */
function buildingZones(sql: Sql, community: string): Fragment {
  return sql`
    bzone_in as (
      select b.id, min(z.id) as zone_id
      from grid_zones as z join buildings as b on b.community_id = z.community_id and b.geom && z.geom and ST_Intersects(z.geom, ST_PointOnSurface(b.geom))
      where z.community_id = ${community}
      group by b.id
    ),
    bzone as (
      select b.id, coalesce(bi.zone_id, ${zoneOf(sql, community)}) as zone_id
      from buildings as b left join bzone_in as bi on bi.id = b.id
      where b.community_id = ${community}
    )`
}

/**
 * CTEs shared by coverage and gaps: `c` (metric srid), `active` (routes in service), `zones` (with
 * their metric geometry `gm`) and `zone_cov`: per zone, the dissolved union of the reach buffers
 * clipped to the zone. Dissolving zone by zone keeps each union small (the buffers meeting one zone)
 * instead of one city-wide union of every buffer; zones do not overlap, so areas add up.
 */
function zoneCoverageCtes(sql: Sql, community: string, w: PatrolWindow): Fragment {
  return sql`
    c as (select id, metric_srid as srid from communities where id = ${community}),
    -- materialised: inlined, the in-service test would run once per route and zone
    active as materialized (${routesInService(sql, community, w)}),
    zones as (
      select z.id, z.code, z.name, t.name as team_name, z.geom, ST_Transform(z.geom, c.srid) as gm
      from grid_zones as z cross join c
      left join patrol_teams as t on t.community_id = z.community_id and t.id = z.patrol_team_id
      where z.community_id = ${community}
    ),
    zone_cov as (
      select z.id, ST_Intersection(ST_Union(a.reach_g), z.gm) as g
      from zones as z join active as a on a.env && z.geom and ST_DWithin(a.gm, z.gm, a.reach_m)
      group by z.id, z.gm
    )`
}

/**
 * CTE `covered_b` (id): the buildings within reach of a route in service — needs `active`. Which
 * buildings each route reaches is stored (route_reach_buildings, kept by triggers; migration 00004).
 */
function coveredBuildings(sql: Sql, community: string): Fragment {
  return sql`
    covered_b as (
      select distinct rb.building_id as id
      from active as r join route_reach_buildings as rb on rb.community_id = ${community} and rb.route_id = r.id
    )`
}

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((10000 * part) / whole) / 100 : 0)

/** Patrol coverage of a community for a window, with per-zone and whole-community figures. */
export async function patrolCoverage(sql: Sql, community: string, w: PatrolWindow): Promise<PatrolCoverage> {
  const rows = await sql<{ kind: string; id: number | null; code: string | null; name: string | null; teamName: string | null; areaM2: number; coveredM2: number; buildings: number; buildingsCovered: number; households: number; householdsCovered: number; geometry: string | null; routes: number[] | null }[]>`
    with ${zoneCoverageCtes(sql, community, w)},
    ${coveredBuildings(sql, community)},
    ${buildingZones(sql, community)},
    bz as (
      select b.id, coalesce(b.households, 0) as households, bzone.zone_id, cb.id is not null as covered
      from buildings as b join bzone on bzone.id = b.id left join covered_b as cb on cb.id = b.id
      where b.community_id = ${community}
    ),
    bz_zone as (
      select zone_id, count(*)::int as buildings, (count(*) filter (where covered))::int as buildings_covered,
             coalesce(sum(households), 0)::int as households, coalesce(sum(households) filter (where covered), 0)::int as households_covered
      from bz group by zone_id
    ),
    per_zone as (
      select 'zone' as kind, z.id, z.code, z.name, z.team_name,
             ST_Area(z.gm) as area_m2, coalesce(ST_Area(zc.g), 0) as covered_m2,
             coalesce(s.buildings, 0) as buildings, coalesce(s.buildings_covered, 0) as buildings_covered,
             coalesce(s.households, 0) as households, coalesce(s.households_covered, 0) as households_covered,
             null::text as geometry, null::bigint[] as routes
      from zones as z left join zone_cov as zc on zc.id = z.id left join bz_zone as s on s.zone_id = z.id
    ),
    total as (
      select 'total' as kind, null::bigint as id, null::text as code, null::text as name, null::text as team_name,
             (select coalesce(sum(area_m2), 0) from per_zone) as area_m2, (select coalesce(sum(covered_m2), 0) from per_zone) as covered_m2,
             (select count(*) from bz)::int, (select count(*) from bz where covered)::int,
             (select coalesce(sum(households), 0) from bz)::int, (select coalesce(sum(households), 0) from bz where covered)::int,
             null::text, (select array_agg(id order by id) from active)
    ),
    pieces as (
      select 'coverage' as kind, null::bigint, null::text, null::text, null::text, 0::float8, 0::float8, 0, 0, 0, 0,
             ST_AsGeoJSON(ST_Transform(p.g, 4326), 7), null::bigint[]
      from zone_cov cross join lateral ST_Subdivide(zone_cov.g, 256) as p (g)
      where not ST_IsEmpty(zone_cov.g)
    )
    select * from per_zone union all select * from total union all select * from pieces`
  const total = rows.find((r) => r.kind === 'total')
  return {
    geometry: rows.filter((r) => r.kind === 'coverage').map((r) => r.geometry!),
    routesInService: total?.routes ?? [],
    areaM2: total?.areaM2 ?? 0,
    coveredM2: total?.coveredM2 ?? 0,
    buildings: total?.buildings ?? 0,
    buildingsCovered: total?.buildingsCovered ?? 0,
    households: total?.households ?? 0,
    householdsCovered: total?.householdsCovered ?? 0,
    zones: rows
      .filter((r) => r.kind === 'zone')
      .map((r) => ({
        id: r.id!,
        code: r.code!,
        name: r.name!,
        teamName: r.teamName,
        areaM2: r.areaM2,
        coveredM2: r.coveredM2,
        areaCoveredPct: pct(r.coveredM2, r.areaM2),
        buildings: r.buildings,
        buildingsCovered: r.buildingsCovered,
        buildingsCoveredPct: pct(r.buildingsCovered, r.buildings),
        households: r.households,
        householdsCovered: r.householdsCovered,
        householdsCoveredPct: pct(r.householdsCovered, r.households),
      }))
      .sort((a, b) => a.code.localeCompare(b.code)),
  }
}

export { pct }

export type { CaptainLoad } from '../contract.js'

export interface CaptainCoverage {
  buildings: number
  buildingsCovered: number
  households: number
  householdsCovered: number
  zones: { id: number; code: string; name: string; buildings: number; buildingsCovered: number; buildingsCoveredPct: number; households: number; householdsCovered: number; householdsCoveredPct: number }[]
  captains: CaptainLoad[]
  /** buildings with an active captain, GeoJSON text (EPSG:4326), with the captain */
  covered: { id: number; captainId: number; captainName: string; geometry: string }[]
}

/** Buildings and households with an active captain, per zone and overall; each captain's load. */
export async function captainCoverage(sql: Sql, community: string, maxBuildings: number): Promise<CaptainCoverage> {
  const buildings = await sql<{ id: number; households: number; zoneId: number | null; zoneCode: string | null; zoneName: string | null; captainId: number | null; captainName: string | null; geometry: string | null }[]>`
    with ${buildingZones(sql, community)}
    select b.id, coalesce(b.households, 0) as households, z.id as zone_id, z.code as zone_code, z.name as zone_name,
           cap.id as captain_id, cap.name as captain_name,
           case when cap.id is not null then ST_AsGeoJSON(b.geom, 7) end as geometry
    from buildings as b
    join bzone on bzone.id = b.id
    left join grid_zones as z on z.community_id = b.community_id and z.id = bzone.zone_id
    left join lateral (
      select c.id, c.name from captain_buildings as cb
      join captains as c on c.community_id = cb.community_id and c.id = cb.captain_id and c.active
      where cb.community_id = b.community_id and cb.building_id = b.id order by c.id limit 1
    ) as cap on true
    where b.community_id = ${community}
    order by b.id`
  const captains = await sql<{ id: number; name: string; active: boolean; buildings: number; households: number }[]>`
    select c.id, c.name, c.active, count(b.id)::int as buildings, coalesce(sum(b.households), 0)::int as households
    from captains as c
    left join captain_buildings as cb on cb.community_id = c.community_id and cb.captain_id = c.id
    left join buildings as b on b.community_id = cb.community_id and b.id = cb.building_id
    where c.community_id = ${community}
    group by c.community_id, c.id order by c.id`
  const zoneRows = await sql<{ id: number; code: string; name: string }[]>`select id, code, name from grid_zones where community_id = ${community} order by code`
  const zones = zoneRows.map((z) => {
    const inZone = buildings.filter((b) => b.zoneId === z.id)
    const covered = inZone.filter((b) => b.captainId !== null)
    const households = inZone.reduce((a, b) => a + b.households, 0)
    const householdsCovered = covered.reduce((a, b) => a + b.households, 0)
    return {
      ...z,
      buildings: inZone.length,
      buildingsCovered: covered.length,
      buildingsCoveredPct: pct(covered.length, inZone.length),
      households,
      householdsCovered,
      householdsCoveredPct: pct(householdsCovered, households),
    }
  })
  const covered = buildings.filter((b) => b.captainId !== null)
  return {
    buildings: buildings.length,
    buildingsCovered: covered.length,
    households: buildings.reduce((a, b) => a + b.households, 0),
    householdsCovered: covered.reduce((a, b) => a + b.households, 0),
    zones,
    captains: captains.map((c) => ({ ...c, overLimit: c.buildings > maxBuildings })),
    covered: covered.map((b) => ({ id: b.id, captainId: b.captainId!, captainName: b.captainName!, geometry: b.geometry! })),
  }
}

export interface AreaGap {
  zoneId: number
  zoneCode: string
  areaM2: number
  geometry: string
}

export interface BuildingGap {
  id: number
  address: string | null
  households: number
  zoneCode: string | null
  geometry: string
}

/** Zone area outside patrol coverage, subdivided so it draws fast. */
export async function areaGaps(sql: Sql, community: string, w: PatrolWindow): Promise<AreaGap[]> {
  return sql<AreaGap[]>`
    with ${zoneCoverageCtes(sql, community, w)},
    gap as (
      select z.id, z.code, case when zc.g is null then z.gm else ST_Difference(z.gm, zc.g) end as g
      from zones as z left join zone_cov as zc on zc.id = z.id
    )
    select gap.id as zone_id, gap.code as zone_code, ST_Area(p.g) as area_m2, ST_AsGeoJSON(ST_Transform(p.g, 4326), 7) as geometry
    from gap cross join lateral ST_Subdivide(gap.g, 128) as p (g)
    where not ST_IsEmpty(gap.g) and ST_Area(p.g) > 0.01
    order by gap.code, area_m2 desc`
}

/** Buildings outside patrol coverage during the window. */
export async function buildingPatrolGaps(sql: Sql, community: string, w: PatrolWindow): Promise<BuildingGap[]> {
  return sql<BuildingGap[]>`
    with active as materialized (${routesInService(sql, community, w)}),
    ${coveredBuildings(sql, community)}
    select b.id, b.address, coalesce(b.households, 0) as households, z.code as zone_code, ST_AsGeoJSON(b.geom, 7) as geometry
    from buildings as b
    left join grid_zones as z on z.community_id = b.community_id and z.id = ${zoneOf(sql, community)}
    where b.community_id = ${community} and not exists (select 1 from covered_b where covered_b.id = b.id)
    order by b.id`
}

/** Buildings without an active captain. */
export async function captainlessBuildings(sql: Sql, community: string): Promise<BuildingGap[]> {
  return sql<BuildingGap[]>`
    select b.id, b.address, coalesce(b.households, 0) as households, z.code as zone_code, ST_AsGeoJSON(b.geom, 7) as geometry
    from buildings as b
    left join grid_zones as z on z.community_id = b.community_id and z.id = ${zoneOf(sql, community)}
    where b.community_id = ${community}
      and not exists (
        select 1 from captain_buildings as cb
        join captains as c on c.community_id = cb.community_id and c.id = cb.captain_id and c.active
        where cb.community_id = b.community_id and cb.building_id = b.id)
    order by b.id`
}

export interface CellPatrol {
  i: number
  j: number
  /** incidents of the cell per local hour of day (time known only), matching the filter */
  hourly: number[]
  /** shifts of the routes whose reach covers the cell centre: days and minutes */
  shifts: { days: number[]; start: number; end: number }[]
}

/**
 * For the given cells (metric grid of `cell` m, `shape`): their incidents per hour of day and the
 * shifts of the routes that reach their centre — what priority gaps are judged from.
 */
export async function cellPatrols(sql: Sql, community: string, cells: { i: number; j: number; cx: number; cy: number }[], incidentsWhere: Fragment, cellGeom: (sql: Sql) => Fragment): Promise<CellPatrol[]> {
  if (cells.length === 0) return []
  return sql<CellPatrol[]>`
    with c as (select metric_srid as srid, time_zone as tz from communities where id = ${community}),
    cell as (
      select t.i, t.j, ST_SetSRID(ST_Point(t.cx, t.cy), c.srid) as centre, ${cellGeom(sql)} as g
      from jsonb_to_recordset(${sql.json(cells as never)}) as t (i int, j int, cx float8, cy float8) cross join c
    )
    select cell.i, cell.j,
      (select array_agg(coalesce(h.n, 0) order by hr)
       from generate_series(0, 23) as hr
       left join (
         select extract(hour from i.occurred_at at time zone c.tz)::int as hr, count(*)::int as n
         from incidents as i
         where i.community_id = ${community} and i.time_known
           and ST_Intersects(i.geom_m, cell.g) ${incidentsWhere}
         group by 1
       ) as h using (hr)) as hourly,
      coalesce((
        select jsonb_agg(jsonb_build_object('days', to_jsonb(s.days), 'start', extract(epoch from s.start_time)::int / 60, 'end', extract(epoch from s.end_time)::int / 60))
        from patrol_routes as r join patrol_shifts as s on s.community_id = r.community_id and s.route_id = r.id
        where r.community_id = ${community} and ST_DWithin(r.geom_m, cell.centre, r.reach_m)
      ), '[]'::jsonb) as shifts
    from cell cross join c
    order by cell.i, cell.j`
}

/**
 * What priority gaps are judged from: the Gi* cells of a square grid of `cell` metres for the filter
 * (p-values, FDR when asked, bins) and, for the hot ones (bin ≥ 2: 95 %+), their incidents per hour
 * and the shifts of the routes reaching them.
 */
export async function priorityCells(sql: Sql, community: string, filter: IncidentFilter, cell: number, fdr: boolean, run: AnalysisOptions): Promise<{ grid: GridResult; hot: CellRow[]; patrols: CellPatrol[] }> {
  const grid = await runGrid(sql, testedQuery(sql, { community, filter, cell, shape: 'square', band: null }, fdr), run)
  const hot = grid.rows.filter((r) => (r.bin ?? 0) >= 2)
  const cellGeom = (s: Sql) => s`ST_MakeEnvelope(t.i * ${cell}::float8, t.j * ${cell}::float8, (t.i + 1) * ${cell}::float8, (t.j + 1) * ${cell}::float8, c.srid)`
  const cells = hot.map((r) => ({ i: r.i, j: r.j, cx: (r.i + 0.5) * cell, cy: (r.j + 0.5) * cell }))
  const patrols = await inAnalysis(sql, run, (tx) => cellPatrols(tx, community, cells, incidentConditions(sql, filter, sql`c.tz`), cellGeom))
  return { grid, hot, patrols }
}
