/**
 * SQL of patrol coverage and captain coverage (DESIGN.md, "Analysis"; the answers are built in
 * analysis/coverage.ts). The rules each have one home in the database (migration 00005):
 *
 * - a route is in service for a window when one of its shifts is: `safegrid_shift_in_window`;
 *   on the `logged` basis, when a patrol logged on it in the period overlaps the window (the same rule
 *   applied to the patrol's date, start and end);
 * - patrol coverage: the union of the stored `reach_m` buffers (metric CRS) of the routes in service;
 * - a building is patrol-covered when its footprint lies within `reach_m` of a route in service —
 *   stored per route in route_reach_buildings (migration 00004) — and captain-covered when an
 *   active captain looks after it;
 * - a building counts in its stored zone (`buildings.zone_id`: the zone holding its point on
 *   surface), an incident in `incidents.zone_id` (the zone with the lowest id containing it).
 */
import type postgres from 'postgres'
import type { IncidentFilter, Lang } from '../contract.js'
import type { PatrolWindow } from '../rules/shifts.js'
import type { Sql } from './connect.js'
import { incidentConditions } from './filters.js'
import { localName } from './layers.js'

type Fragment = postgres.PendingQuery<postgres.Row[]>

export type { PatrolWindow } from '../rules/shifts.js'

/** `safegrid_shift_in_window(…)` of shift `s` for a window: the one rule of "in service". */
export function shiftInWindow(sql: Sql, s: string, w: PatrolWindow): Fragment {
  const S = sql(s)
  return sql`safegrid_shift_in_window(${S}.days, ${S}.start_time, ${S}.end_time, ${w.weekdays ? sql`${w.weekdays as number[]}::int[]` : sql`null::int[]`},
                                      ${w.hours ? w.hours.start : null}::int, ${w.hours ? w.hours.end : null}::int)`
}

/**
 * Coverage of patrols done instead of the plan: the routes with a logged patrol on a local date in
 * [from, to] (null: unbounded) that overlaps the window.
 */
export interface LoggedBasis {
  from: string | null
  to: string | null
}

/**
 * `safegrid_shift_in_window(…)` of logged patrol `l` (its date's weekday, start and end) for a
 * window: the patrol overlaps the window by the same rule as a shift.
 */
export function patrolInWindow(sql: Sql, l: string, w: PatrolWindow): Fragment {
  const L = sql(l)
  return sql`safegrid_shift_in_window(array[extract(isodow from ${L}.patrol_date)::smallint], ${L}.start_time, ${L}.end_time,
                                      ${w.weekdays ? sql`${w.weekdays as number[]}::int[]` : sql`null::int[]`}, ${w.hours ? w.hours.start : null}::int, ${w.hours ? w.hours.end : null}::int)`
}

/**
 * Routes of the community in service during the window: id, geometry (4326 and metric `gm`), reach,
 * the stored reach buffer (`reach_g`, metric) and a 4326 box around the route grown by its reach,
 * for index look-ups. With `logged`, the routes actually patrolled instead: a logged patrol in the
 * period that overlaps the window.
 */
export function routesInService(sql: Sql, community: string, w: PatrolWindow, logged: LoggedBasis | null = null): Fragment {
  const served = logged
    ? sql`exists (select 1 from patrol_logs as l where l.community_id = r.community_id and l.route_id = r.id
                    ${logged.from ? sql`and l.patrol_date >= ${logged.from}::date` : sql``} ${logged.to ? sql`and l.patrol_date <= ${logged.to}::date` : sql``}
                    and ${patrolInWindow(sql, 'l', w)})`
    : sql`exists (select 1 from patrol_shifts as s where s.community_id = r.community_id and s.route_id = r.id and ${shiftInWindow(sql, 's', w)})`
  return sql`
    select r.id, r.team_id, r.geom, r.geom_m as gm, r.reach_m, r.reach_geom_m as reach_g, safegrid_metre_box(r.geom, r.reach_m) as env
    from patrol_routes as r
    where r.community_id = ${community} and ${served}`
}

/**
 * Zones to compute figures of (their ids), or null for all of them. A plan preview recomputes only the
 * zones a draft can reach (analysis/preview.ts); each zone's figures come from its own rows alone.
 */
export type ZoneScope = readonly number[] | null

/**
 * CTEs shared by coverage and gaps: `c` (metric srid), `active` (routes in service), `zones` (with
 * their metric geometry `gm`; only those of `only` when given) and `zone_cov`: per zone, the
 * dissolved union of the reach buffers clipped to the zone. Dissolving zone by zone keeps each union
 * small (the buffers meeting one zone) instead of one city-wide union of every buffer; zones do not
 * overlap, so areas add up.
 */
export function zoneCoverageCtes(sql: Sql, community: string, w: PatrolWindow, lang: Lang | null = null, logged: LoggedBasis | null = null, only: ZoneScope = null): Fragment {
  return sql`
    c as (select id, metric_srid as srid from communities where id = ${community}),
    -- materialised: inlined, the in-service test would run once per route and zone
    active as materialized (${routesInService(sql, community, w, logged)}),
    zones as (
      select z.id, z.code, ${localName(sql, lang, 'z')} as name, ${localName(sql, lang, 't')} as team_name, z.geom, ST_Transform(z.geom, c.srid) as gm
      from grid_zones as z cross join c
      left join patrol_teams as t on t.community_id = z.community_id and t.id = z.patrol_team_id
      where z.community_id = ${community} ${only ? sql`and z.id = any(${only}::bigint[])` : sql``}
    ),
    zone_cov as (
      -- buffers unioned in route order, so a zone's union is the same whichever plan joins them
      select z.id, ST_Intersection(ST_Union(a.reach_g order by a.id), z.gm) as g
      from zones as z join active as a on a.env && z.geom and ST_DWithin(a.gm, z.gm, a.reach_m)
      group by z.id, z.gm
    )`
}

/**
 * CTE `covered_b` (id): the buildings within reach of a route in service — needs `active`. Which
 * buildings each route reaches is stored (route_reach_buildings, kept by triggers; migration 00004).
 * With `only`, those of the buildings of those zones (looked up from the buildings, not from every
 * route in service).
 */
export function coveredBuildings(sql: Sql, community: string, only: ZoneScope = null): Fragment {
  return sql`
    covered_b as (
      select distinct rb.building_id as id
      from active as r join route_reach_buildings as rb on rb.community_id = ${community} and rb.route_id = r.id
      ${only ? sql`join buildings as ob on ob.community_id = rb.community_id and ob.id = rb.building_id and ob.zone_id = any(${only}::bigint[])` : sql``}
    )`
}

/** CTE `zone_incidents` (zone_id, n): incidents of each zone (of `only`, when given) under the shared filters. */
function zoneIncidents(sql: Sql, community: string, filter: IncidentFilter, only: ZoneScope = null): Fragment {
  return sql`
    zone_incidents as (
      select i.zone_id, count(*)::int as n
      from incidents as i join communities as ic on ic.id = i.community_id
      where i.community_id = ${community} and ${only ? sql`i.zone_id = any(${only}::bigint[])` : sql`i.zone_id is not null`} ${incidentConditions(sql, filter, sql`ic.time_zone`)}
      group by i.zone_id
    )`
}

/** One row of the patrol coverage query: a zone, the whole community, or a piece of covered area. */
export interface PatrolCoverageRow {
  kind: 'zone' | 'total' | 'coverage'
  id: number | null
  code: string | null
  name: string | null
  teamName: string | null
  areaM2: number
  coveredM2: number
  buildings: number
  buildingsCovered: number
  households: number
  householdsCovered: number
  incidents: number
  /** coverage pieces: GeoJSON text (EPSG:4326) */
  geometry: string | null
  /** total: the routes in service */
  routes: number[] | null
}

/**
 * Patrol coverage of a community for a window: a row per zone (ordered by code), one for the whole
 * community, and the covered area dissolved within each zone, subdivided so it draws fast (`id`: its
 * zone). Sums of areas run in zone id order, so the same figures give the same total bit for bit.
 * With `only`, the rows of those zones (the total then counts only their buildings: its routes and
 * areas alone mean anything).
 */
export function patrolCoverageRows(sql: Sql, community: string, w: PatrolWindow, filter: IncidentFilter, lang: Lang | null, logged: LoggedBasis | null = null, only: ZoneScope = null) {
  return sql<PatrolCoverageRow[]>`
    with ${zoneCoverageCtes(sql, community, w, lang, logged, only)},
    ${coveredBuildings(sql, community, only)},
    ${zoneIncidents(sql, community, filter, only)},
    bz as (
      select b.id, coalesce(b.households, 0) as households, b.zone_id, cb.id is not null as covered
      from buildings as b left join covered_b as cb on cb.id = b.id
      where b.community_id = ${community} ${only ? sql`and b.zone_id = any(${only}::bigint[])` : sql``}
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
             coalesce(zi.n, 0) as incidents, null::text as geometry, null::bigint[] as routes
      from zones as z left join zone_cov as zc on zc.id = z.id left join bz_zone as s on s.zone_id = z.id left join zone_incidents as zi on zi.zone_id = z.id
    ),
    total as (
      select 'total' as kind, null::bigint as id, null::text as code, null::text as name, null::text as team_name,
             (select coalesce(sum(area_m2 order by id), 0) from per_zone) as area_m2, (select coalesce(sum(covered_m2 order by id), 0) from per_zone) as covered_m2,
             -- from the zones' sums (buildings in no zone among them) rather than four more passes over every building
             (select coalesce(sum(buildings), 0) from bz_zone)::int, (select coalesce(sum(buildings_covered), 0) from bz_zone)::int,
             (select coalesce(sum(households), 0) from bz_zone)::int, (select coalesce(sum(households_covered), 0) from bz_zone)::int,
             (select coalesce(sum(incidents), 0) from per_zone)::int, null::text, (select array_agg(id order by id) from active)
    ),
    pieces as (
      select 'coverage' as kind, zone_cov.id, null::text, null::text, null::text, 0::float8, 0::float8, 0, 0, 0, 0, 0,
             ST_AsGeoJSON(ST_Transform(p.g, 4326), 7), null::bigint[]
      from zone_cov cross join lateral ST_Subdivide(zone_cov.g, 256) as p (g)
      where not ST_IsEmpty(zone_cov.g)
    )
    select * from (select * from per_zone order by code) as z union all select * from total union all select * from pieces`
}

/** Per zone (ordered by code): buildings and households with an active captain, and incidents under the filter. */
export interface CaptainZoneRow {
  id: number
  code: string
  name: string
  buildings: number
  buildingsCovered: number
  households: number
  householdsCovered: number
  incidents: number
}

/** CTE `captained` (id, captain_id, captain_name): each building's active captain (the lowest id), if any. */
const captainedCte = (sql: Sql, community: string, lang: Lang | null) => sql`
  captained as (
    select distinct on (cb.building_id) cb.building_id as id, k.id as captain_id, ${localName(sql, lang, 'k')} as captain_name
    from captain_buildings as cb
    join captains as k on k.community_id = cb.community_id and k.id = cb.captain_id and k.active
    where cb.community_id = ${community}
    order by cb.building_id, k.id
  )`

/** Captain coverage per zone, and of the whole community (the row with `id` null). */
export function captainZoneRows(sql: Sql, community: string, filter: IncidentFilter, lang: Lang | null) {
  return sql<(Omit<CaptainZoneRow, 'id' | 'code' | 'name'> & { id: number | null; code: string | null; name: string | null })[]>`
    with ${captainedCte(sql, community, lang)},
    ${zoneIncidents(sql, community, filter)},
    per_zone as (
      select b.zone_id, count(*)::int as buildings, (count(*) filter (where k.id is not null))::int as buildings_covered,
             coalesce(sum(b.households), 0)::int as households, coalesce(sum(b.households) filter (where k.id is not null), 0)::int as households_covered
      from buildings as b left join captained as k on k.id = b.id
      where b.community_id = ${community}
      group by b.zone_id
    )
    select * from (
      select z.id, z.code, ${localName(sql, lang, 'z')} as name, coalesce(p.buildings, 0) as buildings, coalesce(p.buildings_covered, 0) as buildings_covered,
             coalesce(p.households, 0) as households, coalesce(p.households_covered, 0) as households_covered, coalesce(zi.n, 0) as incidents
      from grid_zones as z left join per_zone as p on p.zone_id = z.id left join zone_incidents as zi on zi.zone_id = z.id
      where z.community_id = ${community}
      order by z.code
    ) as zones
    union all
    select null, null, null, coalesce(sum(buildings), 0)::int, coalesce(sum(buildings_covered), 0)::int,
           coalesce(sum(households), 0)::int, coalesce(sum(households_covered), 0)::int, (select coalesce(sum(n), 0)::int from zone_incidents)
    from per_zone`
}

/** Each captain's load: buildings and households they look after (active or not), by id. */
export function captainLoads(sql: Sql, community: string, lang: Lang | null) {
  return sql<{ id: number; name: string; active: boolean; buildings: number; households: number }[]>`
    select c.id, ${localName(sql, lang, 'c')} as name, c.active, count(b.id)::int as buildings, coalesce(sum(b.households), 0)::int as households
    from captains as c
    left join captain_buildings as cb on cb.community_id = c.community_id and cb.captain_id = c.id
    left join buildings as b on b.community_id = cb.community_id and b.id = cb.building_id
    where c.community_id = ${community}
    group by c.community_id, c.id order by c.id`
}

/** Buildings with an active captain, with the captain: GeoJSON text (EPSG:4326), by id. */
export function captainedBuildings(sql: Sql, community: string, lang: Lang | null) {
  return sql<{ id: number; captainId: number; captainName: string; geometry: string }[]>`
    with ${captainedCte(sql, community, lang)}
    select b.id, k.captain_id, k.captain_name, ST_AsGeoJSON(b.geom, 7) as geometry
    from buildings as b join captained as k on k.id = b.id
    where b.community_id = ${community}
    order by b.id`
}
