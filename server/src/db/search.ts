/**
 * Finding things on the map by what planners call them: a grid zone by its code, its name or its
 * grid worker's; a patrol team by its name; a building by its address (or name). Names match in
 * every language the record has (names per language, migration 00007) — 米慎 and Mission both find
 * the team — and results are labelled in the asked language. Matching is case-insensitive; every
 * word of the query must occur (so "valencia 114" finds "114 Valencia St"). Zones come first, then
 * teams, then buildings; within each kind exact and prefix matches come first.
 */
import type { Lang, SearchResult } from '../contract.js'
import type { Sql } from './connect.js'
import { localName, namesColumn, type Fragment, type NamedColumn } from './layers.js'

/** The words of a query: trimmed, lower-cased, at most 8, empty ones dropped. */
export function queryWords(q: string): string[] {
  return q.trim().toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8)
}

/** `value` for a LIKE pattern matching `word` anywhere: %, _ and \ are escaped. */
export function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** Every form of a named column of row `alias`: as recorded and in each language, space-separated. */
const allForms = (sql: Sql, alias: string, column: NamedColumn = 'name'): Fragment => {
  const names = namesColumn(column)
  return sql`concat_ws(' ', ${sql(alias)}.${sql(column)}, ${sql(alias)}.${sql(names)} ->> 'zh', ${sql(alias)}.${sql(names)} ->> 'en')`
}

/** Whether some form of a named column starts with `prefix` (a LIKE pattern, lower-case). */
const anyFormStarts = (sql: Sql, alias: string, prefix: string): Fragment =>
  sql`(lower(${sql(alias)}.name) like ${prefix} or lower(${sql(alias)}.names ->> 'zh') like ${prefix} or lower(${sql(alias)}.names ->> 'en') like ${prefix})`

/**
 * Searches zones, teams and buildings of a community; at most `limit` results in all, labelled in
 * `lang` (null: names as recorded). An empty list when nothing matches (the caller has checked that
 * the community exists).
 */
export async function searchCommunity(sql: Sql, community: string, q: string, limit: number, lang: Lang | null = null): Promise<SearchResult[]> {
  const words = queryWords(q)
  if (words.length === 0) return []
  const whole = q.trim().toLowerCase()
  const prefix = `${whole.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  /** every word occurs in `text` (a condition) */
  const allIn = (text: Fragment) => words.map((w) => sql`${text} ilike ${containsPattern(w)}`).reduce((a, b) => sql`${a} and ${b}`)
  const all = (text: Fragment) => sql`and ${allIn(text)}`
  const zoneCodeName = sql`concat_ws(' ', z.code, ${allForms(sql, 'z')})`
  const zoneText = sql`concat_ws(' ', ${zoneCodeName}, ${allForms(sql, 'z', 'grid_worker')})`
  const teamText = allForms(sql, 't')
  const buildingText = sql`concat_ws(' ', b.address, b.name)`
  const box = (g: Fragment) => sql`json_build_array(ST_XMin(${g}), ST_YMin(${g}), ST_XMax(${g}), ST_YMax(${g}))`
  const point = (g: Fragment) => sql`json_build_array(ST_X(ST_PointOnSurface(${g})), ST_Y(ST_PointOnSurface(${g})))`
  const zoneName = localName(sql, lang, 'z')
  const teamName = localName(sql, lang, 't')
  return sql<SearchResult[]>`
    (select 'zone' as kind, z.id, z.code as label,
            -- found by the grid worker (and not by code or name): say whose zone it is
            case when not (${allIn(zoneCodeName)}) then concat_ws(' · ', ${zoneName}, ${localName(sql, lang, 'z', 'grid_worker')}) else ${zoneName} end as detail,
            z.code, ${box(sql`z.geom`)} as bbox, ${point(sql`z.geom`)} as center,
            0 as kind_rank,
            case when lower(z.code) = ${whole} then 0 when lower(z.code) like ${prefix} then 1 when ${anyFormStarts(sql, 'z', prefix)} then 2 else 3 end as match_rank,
            z.code as sort_text
     from grid_zones as z
     where z.community_id = ${community} ${all(zoneText)}
     order by match_rank, z.code
     limit ${limit})
    union all
    (select 'team' as kind, t.id, ${teamName} as label,
            (select string_agg(tz.code, ', ' order by tz.code) from grid_zones as tz where tz.community_id = t.community_id and tz.patrol_team_id = t.id) as detail,
            null as code, ${box(sql`e.g`)} as bbox, ${point(sql`e.g`)} as center,
            1 as kind_rank,
            case when ${anyFormStarts(sql, 't', prefix)} then 1 else 3 end as match_rank,
            ${teamName} as sort_text
     from patrol_teams as t
     cross join lateral (
       select ST_Collect(g) as g from (
         select r.geom as g from patrol_routes as r where r.community_id = t.community_id and r.team_id = t.id
         union all
         select tz.geom from grid_zones as tz where tz.community_id = t.community_id and tz.patrol_team_id = t.id
       ) as parts
     ) as e
     where t.community_id = ${community} and e.g is not null ${all(teamText)}
     order by match_rank, t.id
     limit ${limit})
    union all
    (select 'building' as kind, b.id, coalesce(b.address, b.name, '#' || b.id) as label,
            case when b.address is not null then b.name end as detail, null as code,
            ${box(sql`b.geom`)} as bbox, ${point(sql`b.geom`)} as center,
            2 as kind_rank,
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
