/**
 * Finding things on the map by what planners call them: a building by its address (or name), a grid
 * zone by its code, name or grid worker. Matching is case-insensitive; every word of the query must
 * occur (so "valencia 114" finds "114 Valencia St"). Zones come before buildings, and within each
 * kind exact and prefix matches come first.
 */
import type { SearchResult } from '../contract.js'
import type { Sql } from './connect.js'
import type { Fragment } from './layers.js'

/** The words of a query: trimmed, lower-cased, at most 8, empty ones dropped. */
export function queryWords(q: string): string[] {
  return q.trim().toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8)
}

/** `value` for a LIKE pattern matching `word` anywhere: %, _ and \ are escaped. */
export function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/**
 * Searches zones and buildings of a community; at most `limit` results in all. An empty list when
 * nothing matches (the caller has checked that the community exists).
 */
export async function searchCommunity(sql: Sql, community: string, q: string, limit: number): Promise<SearchResult[]> {
  const words = queryWords(q)
  if (words.length === 0) return []
  const whole = q.trim().toLowerCase()
  const prefix = `${whole.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  const all = (text: Fragment) => words.map((w) => sql`and ${text} ilike ${containsPattern(w)}`).reduce((a, b) => sql`${a} ${b}`, sql``)
  const zoneText = sql`concat_ws(' ', z.code, z.name, z.grid_worker)`
  const buildingText = sql`concat_ws(' ', b.address, b.name)`
  const box = (g: Fragment) =>
    sql`json_build_array(ST_XMin(${g}), ST_YMin(${g}), ST_XMax(${g}), ST_YMax(${g}))`
  const point = (g: Fragment) => sql`json_build_array(ST_X(ST_PointOnSurface(${g})), ST_Y(ST_PointOnSurface(${g})))`
  return sql<SearchResult[]>`
    (select 'zone' as kind, z.id, z.code as label, z.name as detail, z.code, ${box(sql`z.geom`)} as bbox, ${point(sql`z.geom`)} as center,
            0 as kind_rank,
            case when lower(z.code) = ${whole} then 0 when lower(z.code) like ${prefix} then 1 when lower(z.name) like ${prefix} then 2 else 3 end as match_rank,
            z.code as sort_text
     from grid_zones as z
     where z.community_id = ${community} ${all(zoneText)}
     order by match_rank, z.code
     limit ${limit})
    union all
    (select 'building' as kind, b.id, coalesce(b.address, b.name, '#' || b.id) as label,
            case when b.address is not null then b.name end as detail, null as code,
            ${box(sql`b.geom`)} as bbox, ${point(sql`b.geom`)} as center,
            1 as kind_rank,
            case when lower(b.address) = ${whole} then 0 when lower(b.address) like ${prefix} then 1 else 3 end as match_rank,
            coalesce(b.address, b.name, '') as sort_text
     from buildings as b
     where b.community_id = ${community} ${all(buildingText)}
     order by match_rank, length(coalesce(b.address, b.name, '')), coalesce(b.address, b.name, ''), b.id
     limit ${limit})
    order by kind_rank, match_rank, sort_text, id
    limit ${limit}`.then((rows) =>
    rows.map(({ kind, id, label, detail, code, bbox, center }) => ({ kind, id, label, detail, code, bbox, center })),
  )
}
