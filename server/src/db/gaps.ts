/**
 * SQL of the gaps (DESIGN.md, "Analysis"; the answer is built in analysis/gaps.ts): zone area and
 * buildings outside patrol coverage in a window, buildings without an active captain, and what
 * priority gaps are judged from — hot cells' incidents per hour and the shifts of the routes that
 * reach them. The coverage rules come from db/coverage.ts.
 */
import type { IncidentFilter } from '../contract.js'
import type postgres from 'postgres'
import type { Sql } from './connect.js'
import { coveredBuildings, routesInService, zoneCoverageCtes, type PatrolWindow, type ZoneScope } from './coverage.js'
import { incidentConditions } from './filters.js'

type Fragment = postgres.PendingQuery<postgres.Row[]>

export interface AreaGap {
  zoneId: number
  zoneCode: string
  areaM2: number
  geometry: string
}


/**
 * Zone area outside patrol coverage during the window, subdivided so it draws fast. With `only`, of
 * those zones; without `geometry`, the pieces' zones and areas alone (what a count needs).
 */
export function areaGaps(sql: Sql, community: string, w: PatrolWindow, { only = null, geometry = true }: { only?: ZoneScope; geometry?: boolean } = {}) {
  return sql<AreaGap[]>`
    with ${zoneCoverageCtes(sql, community, w, null, null, only)},
    gap as (
      select z.id, z.code, case when zc.g is null then z.gm else ST_Difference(z.gm, zc.g) end as g
      from zones as z left join zone_cov as zc on zc.id = z.id
    )
    select gap.id as zone_id, gap.code as zone_code, ST_Area(p.g) as area_m2, ${geometry ? sql`ST_AsGeoJSON(ST_Transform(p.g, 4326), 7)` : sql`null::text`} as geometry
    from gap cross join lateral ST_Subdivide(gap.g, 128) as p (g)
    where not ST_IsEmpty(gap.g) and ST_Area(p.g) > 0.01
    order by gap.code, area_m2 desc`
}

/**
 * Buildings of a gap, in one row: how many, their households, and — with `features` — their GeoJSON
 * features of `kind` by id, joined by commas (written here: as many as a city has buildings, built
 * one by one in JavaScript they cost more than the query).
 */
export interface BuildingGaps {
  count: number
  households: number
  features: string | null
}

/** The GeoJSON Feature of building `b` (zone `z`) as a gap of `kind`: what geojson.ts's feature() writes for it. */
const buildingFeature = (sql: Sql, kind: 'building' | 'captainless') =>
  sql`'{"type":"Feature","geometry":' || coalesce(ST_AsGeoJSON(b.geom, 7), 'null') || ',"properties":{"kind":"' || ${kind}::text || '","buildingId":' || b.id
      || ',"address":' || coalesce(to_json(b.address)::text, 'null') || ',"households":' || coalesce(b.households, 0) || ',"zoneId":' || coalesce(b.zone_id::text, 'null')
      || ',"zoneCode":' || coalesce(to_json(z.code)::text, 'null') || '}}'`

/** The buildings of `where` (a condition on building `b`) as a BuildingGaps row. */
const buildingGaps = (sql: Sql, kind: 'building' | 'captainless', features: boolean, ctes: Fragment, where: Fragment) => sql<BuildingGaps[]>`
    ${ctes}
    select count(*)::int as count, coalesce(sum(coalesce(b.households, 0)), 0)::bigint as households,
           ${features ? sql`string_agg(${buildingFeature(sql, kind)}, ',' order by b.id)` : sql`null::text`} as features
    from buildings as b
    left join grid_zones as z on z.community_id = b.community_id and z.id = b.zone_id
    where ${where}`

/** Buildings outside patrol coverage during the window (BuildingGaps; features of kind `building`). */
export function buildingPatrolGaps(sql: Sql, community: string, w: PatrolWindow, { features = true }: { features?: boolean } = {}) {
  const ctes = sql`with active as materialized (${routesInService(sql, community, w)}), ${coveredBuildings(sql, community)}`
  return buildingGaps(sql, 'building', features, ctes, sql`b.community_id = ${community} and not exists (select 1 from covered_b where covered_b.id = b.id)`)
}

/** Buildings without an active captain (BuildingGaps; features of kind `captainless`). */
export function captainlessBuildings(sql: Sql, community: string, { features = true }: { features?: boolean } = {}) {
  return buildingGaps(
    sql,
    'captainless',
    features,
    sql``,
    sql`b.community_id = ${community}
      and not exists (
        select 1 from captain_buildings as cb
        join captains as c on c.community_id = cb.community_id and c.id = cb.captain_id and c.active
        where cb.community_id = b.community_id and cb.building_id = b.id)`,
  )
}

export interface CellPatrol {
  i: number
  j: number
  /** incidents of the cell per local hour of day (time known only), matching the filter */
  hourly: number[]
  /** shifts of the routes whose reach covers the cell centre: days and minutes */
  shifts: { days: number[]; start: number; end: number }[]
  /** the zone of the cell (safegrid_zone_of, as a building's) and the nearest named street to its centre */
  zoneId: number | null
  zoneCode: string | null
  street: string | null
  /** the cell centre, [lon, lat] */
  center: [number, number]
}

/**
 * For square cells of `cell` metres (i, j of the community's metric grid): their incidents per hour
 * of day under the filter, the shifts of the routes that reach their centre, their zone and the
 * nearest named street — what priority gaps are judged and placed by. In (i, j) order.
 */
export function cellPatrols(sql: Sql, community: string, cells: { i: number; j: number }[], cell: number, filter: IncidentFilter) {
  return sql<CellPatrol[]>`
    with c as (select metric_srid as srid, time_zone as tz from communities where id = ${community}),
    cell as (
      select t.i, t.j,
             ST_SetSRID(ST_Point((t.i + 0.5) * ${cell}::float8, (t.j + 0.5) * ${cell}::float8), c.srid) as centre,
             ST_MakeEnvelope(t.i * ${cell}::float8, t.j * ${cell}::float8, (t.i + 1) * ${cell}::float8, (t.j + 1) * ${cell}::float8, c.srid) as g
      from jsonb_to_recordset(${sql.json(cells as never)}) as t (i int, j int) cross join c
    ),
    placed as (select cell.*, ST_Transform(cell.centre, 4326) as centre4326, safegrid_zone_of(${community}, ST_Transform(cell.g, 4326)) as zone_id from cell)
    select cell.i, cell.j,
      (select array_agg(coalesce(h.n, 0) order by hr)
       from generate_series(0, 23) as hr
       left join (
         select extract(hour from i.occurred_at at time zone c.tz)::int as hr, count(*)::int as n
         from incidents as i
         where i.community_id = ${community} and i.time_known
           and ST_Intersects(i.geom_m, cell.g) ${incidentConditions(sql, filter, sql`c.tz`)}
         group by 1
       ) as h using (hr)) as hourly,
      coalesce((
        select jsonb_agg(jsonb_build_object('days', to_jsonb(s.days), 'start', extract(epoch from s.start_time)::int / 60, 'end', extract(epoch from s.end_time)::int / 60))
        from patrol_routes as r join patrol_shifts as s on s.community_id = r.community_id and s.route_id = r.id
        -- the box test first: it finds the routes through their reach index (patrol_routes_reach_gix)
        where r.community_id = ${community} and ST_Expand(r.geom_m, r.reach_m) && cell.centre and ST_DWithin(r.geom_m, cell.centre, r.reach_m)
      ), '[]'::jsonb) as shifts,
      cell.zone_id, z.code as zone_code,
      (select s.name from streets as s where s.community_id = ${community} and s.name is not null order by s.geom <-> cell.centre4326 limit 1) as street,
      json_build_array(ST_X(cell.centre4326), ST_Y(cell.centre4326)) as center
    from placed as cell cross join c
    left join grid_zones as z on z.community_id = ${community} and z.id = cell.zone_id
    order by cell.i, cell.j`
}
