/** Communities: the areas one office runs. */
import type { Sql } from './connect.js'

export interface CommunitySummary {
  id: string
  name: string
  nameZh: string | null
  timeZone: string
  metricSrid: number
  /** [west, south, east, north] of the boundary */
  bbox: [number, number, number, number]
  center: [number, number]
  counts: { buildings: number; zones: number; routes: number; captains: number; incidents: number; disputes: number }
}

const summaryColumns = (sql: Sql) => sql`
  c.id, c.name, c.name_zh, c.time_zone, c.metric_srid,
  json_build_array(ST_XMin(c.boundary), ST_YMin(c.boundary), ST_XMax(c.boundary), ST_YMax(c.boundary)) as bbox,
  json_build_array(ST_X(ST_Centroid(c.boundary)), ST_Y(ST_Centroid(c.boundary))) as center,
  json_build_object(
    'buildings', (select count(*) from buildings where community_id = c.id),
    'zones', (select count(*) from grid_zones where community_id = c.id),
    'routes', (select count(*) from patrol_routes where community_id = c.id),
    'captains', (select count(*) from captains where community_id = c.id),
    'incidents', (select count(*) from incidents where community_id = c.id),
    'disputes', (select count(*) from disputes where community_id = c.id)) as counts`

/** Every community, by id. */
export async function listCommunities(sql: Sql): Promise<CommunitySummary[]> {
  return sql<CommunitySummary[]>`select ${summaryColumns(sql)} from communities as c order by c.id`
}

/** One community; null when it does not exist. */
export async function getCommunity(sql: Sql, id: string): Promise<CommunitySummary | null> {
  const [row] = await sql<CommunitySummary[]>`select ${summaryColumns(sql)} from communities as c where c.id = ${id}`
  return row ?? null
}

/** True when the community exists (cheaper than getCommunity). */
export async function communityExists(sql: Sql, id: string): Promise<boolean> {
  const [row] = await sql<{ found: boolean }[]>`select exists (select 1 from communities where id = ${id}) as found`
  return row?.found ?? false
}
