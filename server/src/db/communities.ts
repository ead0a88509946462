/** Communities: the areas one office runs. */
import type { Community } from '../contract.js'
import type { Sql } from './connect.js'
import { audit } from './audit.js'
import { runQuery } from './queries.js'

/** Every community, by id. */
export async function listCommunities(sql: Sql): Promise<Community[]> {
  return runQuery<Community[]>(sql, 'communities/list', [null])
}

/** One community; null when it does not exist. */
export async function getCommunity(sql: Sql, id: string): Promise<Community | null> {
  const [row] = await runQuery<Community[]>(sql, 'communities/list', [id])
  return row ?? null
}

/** The community's boundary as a GeoJSON Feature (what the map draws, also when nothing else is there yet); null when it does not exist. */
export async function getBoundary(sql: Sql, id: string) {
  const [row] = await sql<{ geometry: { type: 'MultiPolygon'; coordinates: number[][][][] }; name: string; name_zh: string | null }[]>`
    select ST_AsGeoJSON(ST_Multi(boundary), 7)::json as geometry, name, name_zh from communities where id = ${id}`
  if (!row) return null
  return { type: 'Feature' as const, id, geometry: row.geometry, properties: { name: row.name, nameZh: row.name_zh } }
}

/** True when the community exists (cheaper than getCommunity). */
export async function communityExists(sql: Sql, id: string): Promise<boolean> {
  const [row] = await sql<{ found: boolean }[]>`select exists (select 1 from communities where id = ${id}) as found`
  return row?.found ?? false
}

/** What creating a community did. */
export type CreateCommunityResult =
  | { created: true; community: Community; repaired: boolean }
  | { created: false; reason: 'exists' | 'empty_boundary' | 'unknown_time_zone' }

/**
 * Creates an empty community (issue 10) in one transaction with its audit row. The boundary
 * (GeoJSON Polygon or MultiPolygon in EPSG:4326, coordinates already checked to be degrees) is made
 * valid as the demo's seed does (ST_MakeValid, polygons kept, as a MultiPolygon); its metric CRS is
 * the WGS 84 UTM zone of its centroid (EPSG 326zz north, 327zz south), as the demo's 32610. Answers
 * why nothing was created: the id exists, the boundary is empty once repaired, or PostgreSQL does
 * not know the time zone.
 */
export async function createCommunity(
  sql: Sql,
  input: { id: string; name: string; nameZh: string | null; timeZone: string; boundary: unknown },
  editor: { userId: number | null; username: string | null; ip: string | null },
): Promise<CreateCommunityResult> {
  const outcome = await sql.begin(async (tx): Promise<CreateCommunityResult | { created: true; repaired: boolean }> => {
    const [tz] = await tx<{ known: boolean }[]>`select exists (select 1 from pg_timezone_names where name = ${input.timeZone}) as known`
    if (!tz?.known) return { created: false, reason: 'unknown_time_zone' }
    const [shape] = await tx<{ empty: boolean; valid: boolean | null; srid: number | null }[]>`
      with raw as (select safegrid_import_geometry('geojson', ${JSON.stringify(input.boundary)}, 4326) as g),
           made as (select g, ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3)) as m from raw)
      select m is null or ST_IsEmpty(m) as empty, ST_IsValid(g) as valid,
             case when m is null or ST_IsEmpty(m) then null
                  else (case when ST_Y(ST_Centroid(m)) >= 0 then 32600 else 32700 end)
                       + least(60, greatest(1, floor((ST_X(ST_Centroid(m)) + 180) / 6)::int + 1)) end as srid
      from made`
    if (!shape || shape.empty || shape.srid === null) return { created: false, reason: 'empty_boundary' }
    const inserted = await tx`
      insert into communities (id, name, name_zh, time_zone, metric_srid, boundary)
      select ${input.id}, ${input.name}, ${input.nameZh}, ${input.timeZone}, ${shape.srid}::int,
             ST_Multi(ST_CollectionExtract(ST_MakeValid(safegrid_import_geometry('geojson', ${JSON.stringify(input.boundary)}, 4326)), 3))
      on conflict (id) do nothing
      returning id`
    if (inserted.count === 0) return { created: false, reason: 'exists' }
    await audit(tx as unknown as Sql, {
      community: input.id,
      userId: editor.userId,
      username: editor.username,
      ip: editor.ip,
      action: 'community_created',
      entity: 'community',
      entityId: input.id,
      after: { id: input.id, name: input.name, nameZh: input.nameZh, timeZone: input.timeZone, metricSrid: Number(shape.srid), repaired: shape.valid === false },
    })
    return { created: true, repaired: shape.valid === false }
  })
  if (!outcome.created) return outcome
  const community = await getCommunity(sql, input.id)
  return { created: true, community: community!, repaired: outcome.repaired }
}
