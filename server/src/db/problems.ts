/**
 * Key problems (分片包干, issue 12): a title (per language), one place — a zone, a building or a
 * drawn area —, the owner (a user of the system or a grid worker by name) and helpers, a deadline,
 * dated progress notes and a status. A problem's zone is the zone named, the building's zone, or
 * the zone of the drawn area (its point on surface, as a building's). Writes are versioned and
 * audited with the row before and after.
 */
import type { Problem, ProblemStatus } from '../contract.js'
import { ApiError } from '../errors.js'
import { audit } from './audit.js'
import type { Sql } from './connect.js'
import type { Fragment } from './layers.js'
import type { Editor } from './plans.js'

/** A problem's fields as written (ProblemCreateSchema). */
export interface ProblemInput {
  title?: string
  titles?: { zh?: string; en?: string }
  zoneId?: number | null
  buildingId?: number | null
  area?: unknown
  ownerUsername?: string | null
  owner?: string
  helpers?: string[]
  deadline?: string | null
  status?: ProblemStatus
}

/** The zone of problem `p`, as SQL. */
const zoneOf = (sql: Sql) => sql`coalesce(p.place_zone_id, (select b.zone_id from buildings as b where b.community_id = p.community_id and b.id = p.building_id),
                                         case when p.area is not null then safegrid_zone_of(p.community_id, p.area) end)`

/** The JSON of problem `p` (from withZone) in the API's shape; `detail` adds its notes. */
function problemJson(sql: Sql, lang: string | null, detail: boolean): Fragment {
  return sql`(jsonb_build_object(
    'id', p.id, 'title', coalesce(p.titles ->> ${lang}::text, p.title), 'titles', p.titles,
    'placeKind', case when p.place_zone_id is not null then 'zone' when p.building_id is not null then 'building' when p.area is not null then 'area' end,
    'placeZoneId', p.place_zone_id, 'buildingId', p.building_id, 'area', ST_AsGeoJSON(p.area, 7)::jsonb,
    'zoneId', p.zone_id, 'zoneCode', (select z.code from grid_zones as z where z.community_id = p.community_id and z.id = p.zone_id),
    'ownerUsername', (select u.username from users as u where u.id = p.owner_user_id), 'owner', p.owner_name, 'helpers', p.helpers,
    'deadline', to_char(p.deadline, 'YYYY-MM-DD'), 'status', p.status, 'closedOn', to_char(p.closed_on, 'YYYY-MM-DD'),
    'overdue', p.overdue, 'version', p.version, 'isSample', p.is_sample)
    ${detail
      ? sql`|| jsonb_build_object('notes', coalesce((select jsonb_agg(jsonb_build_object('id', n.id, 'notedOn', to_char(n.noted_on, 'YYYY-MM-DD'), 'text', n.text,
             'author', n.author, 'isSample', n.is_sample) order by n.noted_on desc, n.id desc) from problem_notes as n
             where n.community_id = p.community_id and n.problem_id = p.id), '[]'::jsonb))`
      : sql``})`
}

/** Problems with their zone and whether they are overdue on `asOf` (the problem list and the meeting pack). */
export const withZone = (sql: Sql, community: string, asOf: string) => sql`(
  select p.*, ${zoneOf(sql)} as zone_id,
         p.status in ('open', 'in_progress') and p.deadline is not null and p.deadline < ${asOf}::date as overdue
  from problems as p where p.community_id = ${community}) as p`

/** One problem with its notes; null when there is none. */
export async function readProblem(sql: Sql, community: string, id: number, lang: string | null, asOf: string): Promise<Problem | null> {
  const [row] = await sql<{ row: Problem }[]>`select ${problemJson(sql, lang, true)} as row from ${withZone(sql, community, asOf)} where p.id = ${id}`
  return row?.row ?? null
}

/** What a problem list asks for. */
export interface ProblemQuery {
  zoneId: number | null
  /** a username or an owner's name (exact, case-insensitive) */
  owner: string | null
  statuses: string[] | null
  asOf: string
  limit: number
  offset: number
}

/** Problems, overdue first (the longest overdue first), then by deadline (none last), then id. */
export async function listProblems(sql: Sql, community: string, q: ProblemQuery, lang: string | null): Promise<{ problems: Problem[]; total: number }> {
  const where = sql`true
    ${q.zoneId ? sql`and p.zone_id = ${q.zoneId}` : sql``}
    ${q.owner ? sql`and (lower(p.owner_name) = lower(${q.owner}) or exists (select 1 from users as u where u.id = p.owner_user_id and lower(u.username) = lower(${q.owner})))` : sql``}
    ${q.statuses ? sql`and p.status = any(${q.statuses}::text[])` : sql``}`
  const rows = await sql<{ row: Problem }[]>`
    select ${problemJson(sql, lang, false)} as row from ${withZone(sql, community, q.asOf)} where ${where}
    order by p.overdue desc, p.deadline nulls last, p.id limit ${q.limit} offset ${q.offset}`
  const [{ n }] = (await sql`select count(*)::int as n from ${withZone(sql, community, q.asOf)} where ${where}`) as unknown as [{ n: number }]
  return { problems: rows.map((r) => r.row), total: n }
}

/** Checks the place and owner of `input`; returns the owner's user id and name (null: unchanged). */
async function checkInput(sql: Sql, community: string, input: ProblemInput): Promise<{ userId: number | null; name: string | null } | null> {
  const places = [input.zoneId, input.buildingId, input.area].filter((x) => x !== undefined && x !== null).length
  if (places > 1) throw new ApiError('invalid_parameter', 'a problem has one place: zoneId, buildingId or area', { field: 'area' })
  if (input.zoneId) {
    const [z] = await sql`select 1 from grid_zones where community_id = ${community} and id = ${input.zoneId}`
    if (!z) throw new ApiError('invalid_parameter', `zoneId: no such zone: ${input.zoneId}`, { field: 'zoneId' })
  }
  if (input.buildingId) {
    const [b] = await sql`select 1 from buildings where community_id = ${community} and id = ${input.buildingId}`
    if (!b) throw new ApiError('invalid_parameter', `buildingId: no such building: ${input.buildingId}`, { field: 'buildingId' })
  }
  if (input.area) {
    const [a] = await sql<{ ok: boolean }[]>`
      select not ST_IsEmpty(g) and ST_Intersects(g, c.boundary) as ok
      from (select ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(input.area)}), 4326)), 3)) as g) as x
      cross join communities as c where c.id = ${community}`.catch((e: unknown) => {
      throw new ApiError('invalid_geometry', `area: ${(e as Error).message}`, { field: 'area' })
    })
    if (!a?.ok) throw new ApiError('invalid_geometry', 'area: the drawn area must be a polygon in the community', { field: 'area' })
  }
  if (input.ownerUsername) {
    const [u] = await sql<{ id: number; name: string }[]>`
      select u.id, coalesce(u.display_name, u.username) as name from users as u
      where lower(u.username) = lower(${input.ownerUsername}) and not u.disabled
        and (u.admin or exists (select 1 from community_roles as r where r.user_id = u.id and r.community_id = ${community}))`
    if (!u) throw new ApiError('invalid_parameter', `ownerUsername: no user "${input.ownerUsername}" in this community`, { field: 'ownerUsername' })
    return { userId: Number(u.id), name: input.owner ?? u.name }
  }
  if (input.ownerUsername === null) return { userId: null, name: input.owner ?? null }
  return input.owner !== undefined ? { userId: null, name: input.owner } : null
}

const areaOf = (sql: Sql, area: unknown) =>
  area ? sql`ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(area)}), 4326)), 3))` : sql`null`
const closedOn = (sql: Sql, community: string, status: ProblemStatus) =>
  status === 'done' || status === 'dropped' ? sql`(now() at time zone (select time_zone from communities where id = ${community}))::date` : sql`null::date`
const editorOf = (who: Editor) => ({ userId: who.userId, username: who.username, ip: who.ip })

/** Creates a key problem and audits it. */
export async function createProblem(sql: Sql, community: string, input: ProblemInput, who: Editor, lang: string | null, asOf: string): Promise<Problem> {
  return (await sql.begin(async (raw) => {
    const tx = raw as unknown as Sql
    const owner = await checkInput(tx, community, input)
    if (!owner?.name) throw new ApiError('invalid_parameter', 'a problem needs an owner: ownerUsername or owner', { field: 'owner' })
    const status = input.status ?? 'open'
    const [row] = await tx<{ id: number }[]>`
      insert into problems (community_id, title, titles, place_zone_id, building_id, area, owner_user_id, owner_name, helpers, deadline, status, closed_on)
      values (${community}, ${input.title!}, ${tx.json((input.titles ?? {}) as never)}, ${input.zoneId ?? null}, ${input.buildingId ?? null}, ${areaOf(tx, input.area)},
              ${owner.userId}, ${owner.name}, ${tx.json((input.helpers ?? []) as never)}, ${input.deadline ?? null}::date, ${status}, ${closedOn(tx, community, status)})
      returning id`
    const id = Number(row!.id)
    const after = (await readProblem(tx, community, id, null, asOf))!
    await audit(tx, { community, ...editorOf(who), action: 'problem_created', entity: 'problem', entityId: id, before: null, after })
    return lang ? (await readProblem(tx, community, id, lang, asOf))! : after
  })) as Problem
}

/** Changes a problem made on `version` (404, 409 version_conflict with details.current, 400). */
export async function changeProblem(sql: Sql, community: string, id: number, version: number, input: ProblemInput, who: Editor, lang: string | null, asOf: string): Promise<Problem> {
  return (await sql.begin(async (raw) => {
    const tx = raw as unknown as Sql
    await tx`select 1 from problems where community_id = ${community} and id = ${id} for update`
    const before = await readProblem(tx, community, id, null, asOf)
    if (!before) throw new ApiError('not_found', `problem ${id} does not exist in community "${community}"`, { entity: 'problem', id })
    if (before.version !== version) throw new ApiError('version_conflict', `problem ${id} was changed meanwhile: version ${before.version}, not ${version}`, { entity: 'problem', id, current: before })
    if (Object.keys(input).length === 0) throw new ApiError('invalid_parameter', `the change of problem ${id} sets nothing`, { entity: 'problem', id })
    const owner = await checkInput(tx, community, input)
    const h = (k: keyof ProblemInput) => input[k] !== undefined
    // a new place replaces the old one
    const placing = h('zoneId') || h('buildingId') || h('area')
    const sets: Fragment[] = [
      ...(h('title') ? [tx`title = ${input.title!}`] : []),
      ...(h('titles') ? [tx`titles = ${tx.json(input.titles as never)}`] : []),
      ...(placing ? [tx`place_zone_id = ${input.zoneId ?? null}, building_id = ${input.buildingId ?? null}, area = ${areaOf(tx, input.area)}`] : []),
      ...(owner ? [tx`owner_user_id = ${owner.userId}`, ...(owner.name ? [tx`owner_name = ${owner.name}`] : [])] : []),
      ...(h('helpers') ? [tx`helpers = ${tx.json(input.helpers as never)}`] : []),
      ...(h('deadline') ? [tx`deadline = ${input.deadline ?? null}::date`] : []),
      ...(h('status') && input.status !== before.status ? [tx`status = ${input.status!}`, tx`closed_on = ${closedOn(tx, community, input.status!)}`] : []),
      tx`version = version + 1`,
      tx`updated_at = now()`,
    ]
    await tx`update problems set ${sets.reduce((a, b) => tx`${a}, ${b}`)} where community_id = ${community} and id = ${id}`
    const after = (await readProblem(tx, community, id, null, asOf))!
    await audit(tx, { community, ...editorOf(who), action: 'problem_updated', entity: 'problem', entityId: id, before, after })
    return lang ? (await readProblem(tx, community, id, lang, asOf))! : after
  })) as Problem
}

/** Adds a dated progress note to a problem (404 when there is none). */
export async function addProblemNote(sql: Sql, community: string, id: number, input: { notedOn: string; text: string }, who: Editor) {
  return sql.begin(async (raw) => {
    const tx = raw as unknown as Sql
    const [p] = await tx`select 1 from problems where community_id = ${community} and id = ${id} for update`
    if (!p) throw new ApiError('not_found', `problem ${id} does not exist in community "${community}"`, { entity: 'problem', id })
    const [row] = await tx<{ id: number }[]>`
      insert into problem_notes (community_id, problem_id, noted_on, text, author) values (${community}, ${id}, ${input.notedOn}::date, ${input.text}, ${who.username})
      returning id`
    const note = { id: Number(row!.id), notedOn: input.notedOn, text: input.text, author: who.username, isSample: false }
    await audit(tx, { community, ...editorOf(who), action: 'problem_note_created', entity: 'problem', entityId: id, before: null, after: { note } })
    return note
  })
}
