/**
 * Reading a layer for export and for OGC API – Features (issue 10, "Export"). Every read goes
 * through the one selection of the layers API (layers.ts `layerSelection`) with the caller's view,
 * so an export or a GIS client sees exactly what the map does: a role without exact incidents gets
 * counts per zone, a role without phones captains without them — there is no second privacy filter.
 */
import type { BBox, IncidentFilter, LayerName } from '../contract.js'
import type { View } from '../http/context.js'
import type { Sql } from './connect.js'
import { layerSelection, type Fragment } from './layers.js'

/** A 4326 envelope of a bbox, or null. */
export const envelope = (sql: Sql, bbox: BBox | null): Fragment | null =>
  bbox ? sql`ST_MakeEnvelope(${bbox[0]}::float8, ${bbox[1]}::float8, ${bbox[2]}::float8, ${bbox[3]}::float8, 4326)` : null

/** What selects features: the layer, its community, a bbox, the incident filter and the caller's view. */
export interface Selection {
  layer: LayerName
  community: string
  bbox: BBox | null
  filter: IncidentFilter | null
  view: View
}

const selection = (sql: Sql, s: Selection) => layerSelection(sql, s.layer, s.community, envelope(sql, s.bbox), s.filter, s.view)

/** One feature as a table row: its properties (JSON text), lon/lat of a point, and WKT. */
export interface ExportRow {
  id: number
  props: string
  wkt: string | null
  lon: number | null
  lat: number | null
}

/** Up to `limit` rows of a selection, ordered by id; `more`: more than `limit` matched. */
export async function exportRows(sql: Sql, s: Selection, limit: number): Promise<{ rows: ExportRow[]; more: boolean }> {
  const rows = await sql<ExportRow[]>`
    select sel.id, sel.props::text as props, ST_AsText(sel.geom, 7) as wkt,
           case when GeometryType(sel.geom) = 'POINT' then round(ST_X(sel.geom)::numeric, 7)::float8 end as lon,
           case when GeometryType(sel.geom) = 'POINT' then round(ST_Y(sel.geom)::numeric, 7)::float8 end as lat
    from (${selection(sql, s)}) as sel
    order by sel.id
    limit ${limit + 1}`
  return { rows: rows.slice(0, limit), more: rows.length > limit }
}

/** A page of features (GeoJSON text joined by commas) and how many match in all. */
export async function featurePage(sql: Sql, s: Selection, limit: number, offset: number): Promise<{ matched: number; returned: number; features: string }> {
  const [row] = await sql<{ matched: number; returned: number; features: string | null }[]>`
    with sel as (${selection(sql, s)}),
    page as (select * from sel order by id offset ${offset} limit ${limit})
    select (select count(*) from sel)::int as matched, (select count(*) from page)::int as returned,
           (select string_agg(json_build_object('type', 'Feature', 'id', page.id, 'geometry', ST_AsGeoJSON(page.geom, 7)::json,
                                                'properties', page.props)::text, ',' order by page.id) from page) as features`
  return { matched: row?.matched ?? 0, returned: row?.returned ?? 0, features: row?.features ?? '' }
}

/** One feature by id as GeoJSON text, or null. */
export async function featureById(sql: Sql, s: Selection, id: number): Promise<string | null> {
  const [row] = await sql<{ feature: string }[]>`
    select json_build_object('type', 'Feature', 'id', sel.id, 'geometry', ST_AsGeoJSON(sel.geom, 7)::json, 'properties', sel.props)::text as feature
    from (${selection(sql, s)}) as sel where sel.id = ${id}`
  return row?.feature ?? null
}

/** The spatial extent of a layer as the caller sees it (null when empty), and for incidents the period. */
export async function layerExtent(sql: Sql, s: Selection): Promise<{ bbox: BBox | null; from: string | null; to: string | null }> {
  const [row] = await sql<{ w: number | null; s: number | null; e: number | null; n: number | null }[]>`
    select ST_XMin(x.e) as w, ST_YMin(x.e) as s, ST_XMax(x.e) as e, ST_YMax(x.e) as n
    from (select ST_Extent(sel.geom) as e from (${selection(sql, s)}) as sel) as x`
  const bbox = row && row.w !== null ? ([row.w, row.s!, row.e!, row.n!] as BBox) : null
  if (s.layer !== 'incidents') return { bbox, from: null, to: null }
  const [t] = await sql<{ from: string | null; to: string | null }[]>`
    select to_char(min(occurred_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as from,
           to_char(max(occurred_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as to
    from incidents where community_id = ${s.community}`
  return { bbox, from: t?.from ?? null, to: t?.to ?? null }
}

/** Every community's id and names (what OGC collections are titled with), by id: no counts, cheap on every request. */
export async function communityNames(sql: Sql): Promise<{ id: string; name: string; nameZh: string | null }[]> {
  return sql<{ id: string; name: string; nameZh: string | null }[]>`select id, name, name_zh from communities order by id`
}

/**
 * The patrol teams of a community (issue 10's round trip: routes name their team, so a community's
 * teams leave with it): no geometry; phones only for a view with phones. Up to `limit` rows, by id.
 */
export async function teamRows(sql: Sql, community: string, view: View, limit: number): Promise<{ rows: ExportRow[]; more: boolean }> {
  const rows = await sql<ExportRow[]>`
    select t.id, json_build_object('id', t.id, 'name', t.name, 'name_zh', t.names ->> 'zh', 'name_en', t.names ->> 'en', 'kind', t.kind,
                                    'members', t.members, 'phone', ${view.phones ? sql`t.phone` : sql`null::text`}, 'active', t.active,
                                    'isSample', t.is_sample)::text as props,
           null::text as wkt, null::float8 as lon, null::float8 as lat
    from patrol_teams as t where t.community_id = ${community}
    order by t.id limit ${limit + 1}`
  return { rows: rows.slice(0, limit), more: rows.length > limit }
}
