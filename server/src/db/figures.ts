/**
 * The figures the details panel shows for one zone or one building, with the shared incident
 * filters. Computed for the one feature asked about: counting every zone's buildings on every map
 * load costs seconds in a city of a million buildings (test/bench/map.bench.ts), one zone's costs
 * milliseconds.
 */
import { BUILDING_INCIDENT_RADIUS_M, type BuildingFigures, type IncidentFilter, type ZoneFigures } from '../contract.js'
import type { Sql } from './connect.js'
import { incidentConditions } from './filters.js'

/** The figures without the filter echo (the caller adds it). */
type Figures<T> = Omit<T, 'filter'>

/** `and …` incident conditions of the filter, with and without the hours window. */
function conditions(sql: Sql, filter: IncidentFilter) {
  const tz = sql`c.time_zone`
  return { all: incidentConditions(sql, filter, tz), withoutHours: incidentConditions(sql, filter, tz, { ignoreHours: true }) }
}

/**
 * One zone's buildings, households, captain coverage and incidents: the buildings and incidents
 * whose stored zone it is (migration 00005: a building's point on surface, an incident on the
 * border of two zones in the one with the lower id — so the zones' counts add up). Null when the
 * zone does not exist in the community.
 */
export async function zoneFigures(sql: Sql, community: string, zoneId: number, filter: IncidentFilter): Promise<Figures<ZoneFigures> | null> {
  const { all, withoutHours } = conditions(sql, filter)
  const [row] = await sql<Figures<ZoneFigures>[]>`
    with zone as (
      select z.* from grid_zones as z where z.community_id = ${community} and z.id = ${zoneId}
    ),
    inside as (
      select b.households,
             exists (
               select 1 from captain_buildings as cb
               join captains as k on k.community_id = cb.community_id and k.id = cb.captain_id and k.active
               where cb.community_id = b.community_id and cb.building_id = b.id) as captained
      from zone as z join buildings as b on b.community_id = z.community_id and b.zone_id = z.id
    ),
    zone_incidents as (
      select i.* from zone as z join incidents as i on i.community_id = z.community_id and i.zone_id = z.id
    )
    select z.id, z.code,
           (select count(*) from inside) as buildings,
           (select coalesce(sum(households), 0) from inside) as households,
           (select count(*) from inside where captained) as captained_buildings,
           (select coalesce(sum(households), 0) from inside where captained) as captained_households,
           (select count(*) from zone_incidents as i join communities as c on c.id = i.community_id where true ${all}) as incidents,
           (select count(*) from zone_incidents) as incidents_all,
           (select count(*) from zone_incidents as i join communities as c on c.id = i.community_id where not i.time_known ${withoutHours}) as time_unknown
    from zone as z`
  return row ?? null
}

/** Incidents within BUILDING_INCIDENT_RADIUS_M of one building, filtered and in all, and its zone. Null when the building does not exist. */
export async function buildingFigures(sql: Sql, community: string, buildingId: number, filter: IncidentFilter): Promise<Figures<BuildingFigures> | null> {
  const { all, withoutHours } = conditions(sql, filter)
  const r = BUILDING_INCIDENT_RADIUS_M
  const [row] = await sql<Figures<BuildingFigures>[]>`
    with building as (
      select b.* from buildings as b where b.community_id = ${community} and b.id = ${buildingId}
    ),
    near as (
      select i.*
      from building as b
      join communities as c on c.id = b.community_id
      join incidents as i on i.community_id = b.community_id
        and i.geom && safegrid_metre_box(b.geom, ${r}::float8)
        and ST_DWithin(ST_Transform(i.geom, c.metric_srid), ST_Transform(b.geom, c.metric_srid), ${r}::float8)
    )
    select b.id, ${r}::float8 as radius_m, b.zone_id, z.code as zone_code,
           (select count(*) from near as i join communities as c on c.id = i.community_id where true ${all}) as incidents,
           (select count(*) from near) as incidents_all,
           (select count(*) from near as i join communities as c on c.id = i.community_id where not i.time_known ${withoutHours}) as time_unknown
    from building as b left join grid_zones as z on z.community_id = b.community_id and z.id = b.zone_id`
  return row ?? null
}
