/**
 * The map layers of a community as GeoJSON. Each layer is one query selecting `id`, `geom` (4326)
 * and `props` (a jsonb of camelCase properties); the same selection feeds the vector tiles
 * (tiles.ts), so a feature carries the same properties either way.
 */
import type postgres from 'postgres'
import { type BBox, type IncidentFilter, type Lang, type LayerName } from '../contract.js'
import type { View } from '../http/context.js'
import type { Sql } from './connect.js'
import { incidentConditions } from './filters.js'

export type Fragment = postgres.PendingQuery<postgres.Row[]>

/**
 * Optional filter: the feature's geometry must intersect `env` (a 4326 geometry fragment) — or, with
 * `boxOnly`, its bounding box must (tiles: their clipping drops what lies outside anyway, and the
 * exact test cost as much as the clipping itself).
 */
function within(sql: Sql, column: Fragment, env: Fragment | null, boxOnly = false): Fragment {
  return env ? (boxOnly ? sql`and ${column} && ${env}` : sql`and ST_Intersects(${column}, ${env})`) : sql``
}

/** An optional community filter: null means every community (tiles may be asked without one). */
function inCommunity(sql: Sql, column: Fragment, community: string | null): Fragment {
  return community === null ? sql`` : sql`and ${column} = ${community}`
}

/** A column that holds a name, whose forms per language are in its names column (migration 00007). */
export type NamedColumn = 'name' | 'grid_worker'
/** The column of `column`'s forms per language: `names` for `name`, `<column>_names` otherwise. */
export const namesColumn = (column: NamedColumn) => (column === 'name' ? 'names' : `${column}_names`)

/**
 * The name of the row `alias` in `lang`: its form in the `names` column (or `<column>_names` for
 * another named column, e.g. grid_worker), else the name as recorded (safegrid_name, migration 00007).
 */
export function localName(sql: Sql, lang: Lang | null, alias: string, column: NamedColumn = 'name'): Fragment {
  const names = namesColumn(column)
  return sql`safegrid_name(${sql(alias)}.${sql(names)}, ${sql(alias)}.${sql(column)}, ${lang}::text)`
}

/** ISO-8601 UTC text of a timestamptz, independent of the session's time zone. */
const isoUtc = (sql: Sql, col: Fragment) => sql`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`

/**
 * Counts per zone instead of records — what roles without the record capability see of incidents
 * and disputes: one row per zone with some (id = zone id, geom = a point inside the zone), props
 * `zoneId, zoneCode, count, breakdown` (per category or kind). `records` selects (zone_id, key).
 */
function zoneCounts(sql: Sql, community: string | null, env: Fragment | null, records: Fragment): Fragment {
  return sql`
    select z.id, ST_PointOnSurface(z.geom) as geom,
           jsonb_build_object('zoneId', z.id, 'zoneCode', z.code, 'count', n.count, 'breakdown', n.breakdown) as props
    from grid_zones as z
    join (
      select zone_id, sum(k)::int as count, jsonb_object_agg(key, k) as breakdown
      from (select r.zone_id, r.key, count(*)::int as k from (${records}) as r where r.zone_id is not null group by 1, 2) as per_key
      group by zone_id
    ) as n on n.zone_id = z.id
    where true ${inCommunity(sql, sql`z.community_id`, community)} ${within(sql, sql`z.geom`, env)}
    order by z.id`
}

/**
 * The selection of one layer: rows of (id, geom, props), ordered by id. `filter` applies to the
 * incidents layer (the shared filters of DESIGN.md); other layers ignore it. `view` is what the
 * caller's role may see (http/context.ts): without exact incidents, incidents come as counts per
 * zone and buildings without their nearby-incident count; without phones, captains have none;
 * without dispute records, disputes come as counts per zone. `boxOnly` (tiles of buildings and
 * streets) selects by bounding box; the tile's clipping then drops what does not reach the tile.
 */
export function layerSelection(sql: Sql, layer: LayerName, community: string | null, env: Fragment | null, filter: IncidentFilter | null, view: View, options: { boxOnly?: boolean } = {}): Fragment {
  const boxOnly = options.boxOnly ?? false
  switch (layer) {
    case 'buildings':
      // The captain (the lowest-id active one) and the incidents within BUILDING_INCIDENT_RADIUS_M
      // are kept per building in building_facts by triggers (migration 00009).
      return sql`
        select b.id, b.geom, jsonb_build_object(
          'id', b.id, 'name', b.name, 'address', b.address, 'households', b.households,
          'residents', b.residents, 'floors', b.floors, 'captained', cap.id is not null,
          'captainId', cap.id, 'captainName', ${localName(sql, view.lang, 'cap')}, 'zoneId', b.zone_id, 'zoneCode', bz.code, 'isSample', b.is_sample,
          'incidents', ${view.exactIncidents ? sql`bf.incidents_near` : sql`null::int`}) as props
        from buildings as b
        join building_facts as bf on bf.community_id = b.community_id and bf.building_id = b.id
        left join grid_zones as bz on bz.community_id = b.community_id and bz.id = b.zone_id
        left join captains as cap on cap.community_id = b.community_id and cap.id = bf.captain_id
        where true ${inCommunity(sql, sql`b.community_id`, community)} ${within(sql, sql`b.geom`, env, boxOnly)}
        order by b.id`
    case 'streets':
      return sql`
        select s.id, s.geom, jsonb_build_object('id', s.id, 'name', s.name, 'highway', s.highway) as props
        from streets as s
        where true ${inCommunity(sql, sql`s.community_id`, community)} ${within(sql, sql`s.geom`, env, boxOnly)}
        order by s.id`
    case 'zones':
      return sql`
        select z.id, z.geom, jsonb_build_object(
          'id', z.id, 'code', z.code, 'name', ${localName(sql, view.lang, 'z')}, 'nameZh', z.names ->> 'zh', 'nameEn', z.names ->> 'en',
          'gridWorker', ${localName(sql, view.lang, 'z', 'grid_worker')},
          'teamId', z.patrol_team_id, 'teamName', ${localName(sql, view.lang, 't')}, 'areaM2', round(ST_Area(ST_Transform(z.geom, c.metric_srid))::numeric, 1),
          'version', z.version, 'isSample', z.is_sample) as props
        from grid_zones as z
        join communities as c on c.id = z.community_id
        left join patrol_teams as t on t.community_id = z.community_id and t.id = z.patrol_team_id
        where true ${inCommunity(sql, sql`z.community_id`, community)} ${within(sql, sql`z.geom`, env)}
        order by z.id`
    case 'routes':
      return sql`
        select r.id, r.geom, jsonb_build_object(
          'id', r.id, 'name', ${localName(sql, view.lang, 'r')}, 'nameZh', r.names ->> 'zh', 'nameEn', r.names ->> 'en', 'teamId', r.team_id, 'teamName', ${localName(sql, view.lang, 't')}, 'teamKind', t.kind,
          'reachM', r.reach_m, 'lengthM', round(ST_Length(ST_Transform(r.geom, c.metric_srid))::numeric, 1),
          'shifts', coalesce((
            select jsonb_agg(jsonb_build_object('days', to_jsonb(s.days), 'start', to_char(s.start_time, 'HH24:MI'),
                                                'end', to_char(s.end_time, 'HH24:MI')) order by s.start_time, s.id)
            from patrol_shifts as s where s.community_id = r.community_id and s.route_id = r.id), '[]'::jsonb),
          'version', r.version, 'isSample', r.is_sample) as props
        from patrol_routes as r
        join communities as c on c.id = r.community_id
        join patrol_teams as t on t.community_id = r.community_id and t.id = r.team_id
        where true ${inCommunity(sql, sql`r.community_id`, community)} ${within(sql, sql`r.geom`, env)}
        order by r.id`
    case 'captains':
      // A captain is drawn at a point inside the buildings they look after.
      return sql`
        select c.id, agg.geom, jsonb_build_object(
          'id', c.id, 'name', ${localName(sql, view.lang, 'c')}, 'nameZh', c.names ->> 'zh', 'nameEn', c.names ->> 'en', 'phone', ${view.phones ? sql`c.phone` : sql`null::text`}, 'active', c.active, 'buildingIds', agg.ids,
          'buildings', coalesce(agg.n, 0), 'households', coalesce(agg.households, 0), 'isSample', c.is_sample) as props
        from captains as c
        left join lateral (
          select ST_PointOnSurface(ST_Collect(b.geom)) as geom, jsonb_agg(b.id order by b.id) as ids,
                 count(*) as n, sum(b.households) as households
          from captain_buildings as cb
          join buildings as b on b.community_id = cb.community_id and b.id = cb.building_id
          where cb.community_id = c.community_id and cb.captain_id = c.id
        ) as agg on true
        where true ${inCommunity(sql, sql`c.community_id`, community)} ${within(sql, sql`agg.geom`, env)}
          ${
            // Narrow to captains with a building in the box before aggregating (the point lies on one
            // of their buildings, so nothing is lost): in a city the box holds a few of 100,000 captains.
            env
              ? sql`and (c.community_id, c.id) in (
                  select cb.community_id, cb.captain_id from buildings as b
                  join captain_buildings as cb on cb.community_id = b.community_id and cb.building_id = b.id
                  where b.geom && ${env} ${inCommunity(sql, sql`b.community_id`, community)})`
              : sql``
          }
        order by c.id`
    case 'incidents':
      if (!view.exactIncidents)
        return zoneCounts(sql, community, env, sql`
          select i.zone_id, i.category as key from incidents as i join communities as c on c.id = i.community_id
          where true ${inCommunity(sql, sql`i.community_id`, community)} ${filter ? incidentConditions(sql, filter, sql`c.time_zone`) : sql``}`)
      return sql`
        select i.id, i.geom, jsonb_build_object(
          'id', i.id, 'category', i.category, 'description', i.description,
          'occurredAt', ${isoUtc(sql, sql`i.occurred_at`)},
          'occurredOn', to_char(i.occurred_at at time zone c.time_zone, 'YYYY-MM-DD'),
          'timeKnown', i.time_known, 'address', i.address, 'status', i.status, 'source', i.source,
          'sourceId', i.source_id, 'zoneId', i.zone_id) as props
        from incidents as i
        join communities as c on c.id = i.community_id
        where true ${inCommunity(sql, sql`i.community_id`, community)} ${within(sql, sql`i.geom`, env)}
          ${filter ? incidentConditions(sql, filter, sql`c.time_zone`) : sql``}
        order by i.id`
    case 'disputes':
      if (!view.disputeRecords)
        return zoneCounts(sql, community, env, sql`
          select d.zone_id, d.kind as key from disputes as d
          where true ${inCommunity(sql, sql`d.community_id`, community)}`)
      return sql`
        select d.id, d.geom, jsonb_build_object(
          'id', d.id, 'kind', d.kind, 'topic', d.topic, 'status', d.status, 'level', d.level, 'buildingId', d.building_id,
          'zoneId', d.zone_id, 'reportedAt', ${isoUtc(sql, sql`d.reported_at`)},
          'mediationStartedAt', case when d.mediation_started_at is null then null else ${isoUtc(sql, sql`d.mediation_started_at`)} end,
          'endedAt', case when d.ended_at is null then null else ${isoUtc(sql, sql`d.ended_at`)} end,
          'isSample', d.is_sample) as props
        from disputes as d
        where true ${inCommunity(sql, sql`d.community_id`, community)} ${within(sql, sql`d.geom`, env)}
        order by d.id`
  }
}

export interface LayerPage {
  /** features returned (≤ limit) */
  count: number
  /** true when more features matched than `limit` */
  truncated: boolean
  /** the features as JSON text built by PostgreSQL, joined by commas */
  features: string
}

/** Fetches up to `limit` features of a layer of one community, optionally within a bbox (and, for incidents, filtered). */
export async function loadLayer(sql: Sql, layer: LayerName, community: string, bbox: BBox | null, limit: number, filter: IncidentFilter | null, view: View): Promise<LayerPage> {
  const env = bbox ? sql`ST_MakeEnvelope(${bbox[0]}::float8, ${bbox[1]}::float8, ${bbox[2]}::float8, ${bbox[3]}::float8, 4326)` : null
  const [row] = await sql<{ matched: number; features: string | null }[]>`
    with sel as (${layerSelection(sql, layer, community, env, filter, view)} limit ${limit + 1}),
    page as (select * from sel order by id limit ${limit})
    select (select count(*) from sel) as matched,
           string_agg(json_build_object(
             'type', 'Feature', 'id', page.id,
             'geometry', ST_AsGeoJSON(page.geom, 7)::json,
             'properties', page.props)::text, ',' order by page.id) as features
    from page`
  const matched = row?.matched ?? 0
  return { count: Math.min(matched, limit), truncated: matched > limit, features: row?.features ?? '' }
}
