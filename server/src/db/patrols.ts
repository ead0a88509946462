/**
 * Patrols as they happen (issue 11): the log of patrols done, planned against logged per route and
 * zone, and a team's weekly roster. Definitions, each with one home here:
 *
 * - A **logged patrol** has a local date (the day it started), a start and an end; an end at or
 *   before the start ran past midnight into the next day. It counts on the date it started.
 * - A **planned patrol** is a shift occurrence: each shift of the route × each local date of the
 *   period whose ISO weekday is one of the shift's days — the plan as it stands now (its history is
 *   in the audit log, not replayed). With a window (`hours`, `weekdays`), an occurrence counts when
 *   the shift is in service during it, and a logged patrol when it overlaps it — both by
 *   `safegrid_shift_in_window`, the rule of coverage, applied to that one date.
 * - A planned occurrence is **done** when a patrol logged on the same route matches it: they overlap
 *   in local time by at least half the shorter of the two (a patrol of an hour within an eight-hour
 *   shift matches it; an evening patrol that ends five minutes into the night shift does not). A
 *   logged patrol matching no occurrence of its route is **unplanned**.
 * - A zone's figures add up the routes that reach it (a route within its `reach_m` of the zone, as
 *   coverage has it): a route through three zones counts in each.
 */
import type { Lang, PatrolLog, PatrolLogInput, PatrolSummary, Roster } from '../contract.js'
import { ApiError } from '../errors.js'
import type { View } from '../http/context.js'
import type { PatrolWindow } from '../rules/shifts.js'
import { audit } from './audit.js'
import type { Sql } from './connect.js'
import { patrolInWindow } from './coverage.js'
import { localName, type Fragment } from './layers.js'
import type { Editor } from './plans.js'

/** The JSON of patrol log `l` (with its team `t`) in the API's shape. */
const logJson = (sql: Sql, view: View) => sql`
  jsonb_build_object('id', l.id, 'routeId', l.route_id, 'routeName', l.route_name, 'teamId', l.team_id, 'teamName', ${localName(sql, view.lang, 't')},
    'date', to_char(l.patrol_date, 'YYYY-MM-DD'), 'start', to_char(l.start_time, 'HH24:MI'), 'end', to_char(l.end_time, 'HH24:MI'),
    'memberIds', to_jsonb(l.member_ids), 'membersCount', l.members_count, 'notes', l.notes, 'source', l.source, 'sourceId', l.source_id,
    'createdBy', l.created_by_name, 'createdAt', to_char(l.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))`

/** Patrol log `id` (null when there is none). */
async function readLog(sql: Sql, community: string, id: number, view: View): Promise<PatrolLog | null> {
  const [row] = await sql<{ row: PatrolLog }[]>`
    select ${logJson(sql, view)} as row
    from patrol_logs as l left join patrol_teams as t on t.community_id = l.community_id and t.id = l.team_id
    where l.community_id = ${community} and l.id = ${id}`
  return row?.row ?? null
}

/**
 * Records one patrol done, audited (`patrol_logged`). The route must be the community's; the team is
 * the route's unless given; members present must be the team's; the date no later than tomorrow in
 * the community's time zone. With a `sourceId` already recorded under the same `source`, nothing is
 * added and the recorded entry is answered (`created: false`) — importing a log twice adds nothing.
 */
export async function logPatrol(sql: Sql, community: string, input: PatrolLogInput, editor: Editor, view: View): Promise<{ patrol: PatrolLog; created: boolean }> {
  const source = input.source ?? 'manual'
  if (input.sourceId !== undefined) {
    const [known] = await sql<{ id: number }[]>`select id from patrol_logs where community_id = ${community} and source = ${source} and source_id = ${input.sourceId}`
    if (known) return { patrol: (await readLog(sql, community, Number(known.id), view))!, created: false }
  }
  const [route] = await sql<{ name: string; teamId: number; tooLate: boolean }[]>`
    select r.name, r.team_id, ${input.date}::date > (now() at time zone c.time_zone)::date + 1 as too_late
    from patrol_routes as r join communities as c on c.id = r.community_id
    where r.community_id = ${community} and r.id = ${input.routeId}`
  if (!route) throw new ApiError('invalid_parameter', `routeId: no such route: ${input.routeId}`, { field: 'routeId' })
  if (route.tooLate) throw new ApiError('invalid_parameter', `date: ${input.date} is in the future; log a patrol once it is done`, { field: 'date' })
  const teamId = input.teamId ?? Number(route.teamId)
  if (input.teamId !== undefined) {
    const [team] = await sql`select 1 from patrol_teams where community_id = ${community} and id = ${teamId}`
    if (!team) throw new ApiError('invalid_parameter', `teamId: no such team: ${teamId}`, { field: 'teamId' })
  }
  const memberIds = input.memberIds ?? []
  if (memberIds.length > 0) {
    const found = await sql<{ id: number }[]>`select id from team_members where community_id = ${community} and team_id = ${teamId} and id = any(${memberIds}::bigint[])`
    const missing = memberIds.filter((m) => !found.some((f) => Number(f.id) === m))
    if (missing.length > 0) throw new ApiError('invalid_parameter', `memberIds: not members of team ${teamId}: ${missing.slice(0, 10).join(', ')}`, { field: 'memberIds', missing })
  }
  return sql.begin(async (raw) => {
    const tx = raw as unknown as Sql
    const [row] = await tx<{ id: number }[]>`
      insert into patrol_logs (community_id, route_id, route_name, team_id, patrol_date, start_time, end_time, member_ids, members_count, notes, source, source_id, created_by, created_by_name)
      values (${community}, ${input.routeId}, ${route.name}, ${teamId}, ${input.date}::date, ${input.start}::time, ${input.end}::time, ${memberIds}::bigint[],
              ${input.membersCount ?? memberIds.length}, ${input.notes ?? null}, ${source}, ${input.sourceId ?? null}, ${editor.userId}, ${editor.username})
      on conflict (community_id, source, source_id) do nothing
      returning id`
    if (!row) {
      // recorded meanwhile by another request with the same source id
      const [known] = await tx<{ id: number }[]>`select id from patrol_logs where community_id = ${community} and source = ${source} and source_id = ${input.sourceId ?? null}`
      return { patrol: (await readLog(tx, community, Number(known!.id), view))!, created: false }
    }
    const patrol = (await readLog(tx, community, Number(row.id), view))!
    await audit(tx, { community, userId: editor.userId, username: editor.username, action: 'patrol_logged', entity: 'patrol', entityId: patrol.id, after: patrol, ip: editor.ip })
    return { patrol, created: true }
  }) as Promise<{ patrol: PatrolLog; created: boolean }>
}

/** Deletes patrol log `id`, audited (`patrol_log_deleted`, with the entry before); false when there is none. */
export async function deletePatrol(sql: Sql, community: string, id: number, editor: Editor, view: View): Promise<boolean> {
  return sql.begin(async (raw) => {
    const tx = raw as unknown as Sql
    const before = await readLog(tx, community, id, view)
    if (before === null) return false
    await tx`delete from patrol_logs where community_id = ${community} and id = ${id}`
    await audit(tx, { community, userId: editor.userId, username: editor.username, action: 'patrol_log_deleted', entity: 'patrol', entityId: id, before, ip: editor.ip })
    return true
  }) as Promise<boolean>
}

/** Which patrol log entries to list. */
export interface PatrolQuery {
  from: string | null
  to: string | null
  routeId: number | null
  teamId: number | null
  limit: number
  offset: number
}

/** Patrol log entries, newest first (date, start, id), one page of them, and how many match in all. */
export async function listPatrols(sql: Sql, community: string, q: PatrolQuery, view: View): Promise<{ patrols: PatrolLog[]; total: number }> {
  const where = sql`l.community_id = ${community}
      ${q.from ? sql`and l.patrol_date >= ${q.from}::date` : sql``} ${q.to ? sql`and l.patrol_date <= ${q.to}::date` : sql``}
      ${q.routeId ? sql`and l.route_id = ${q.routeId}` : sql``} ${q.teamId ? sql`and l.team_id = ${q.teamId}` : sql``}`
  const rows = await sql<{ row: PatrolLog }[]>`
    select ${logJson(sql, view)} as row
    from patrol_logs as l left join patrol_teams as t on t.community_id = l.community_id and t.id = l.team_id
    where ${where}
    order by l.patrol_date desc, l.start_time desc, l.id desc
    limit ${q.limit} offset ${q.offset}`
  const [{ n }] = (await sql`select count(*)::int as n from patrol_logs as l where ${where}`) as unknown as [{ n: number }]
  return { patrols: rows.map((r) => r.row), total: n }
}

/** A logged patrol `l` matches a planned occurrence `o`: overlapping by at least half the shorter of the two. */
const matches = (sql: Sql) => sql`l.route_id = o.route_id and l.starts < o.ends and o.starts < l.ends
  and least(l.ends, o.ends) - greatest(l.starts, o.starts) >= least(l.ends - l.starts, o.ends - o.starts) / 2`

/** Local timestamps [starts, ends) of a row `x` with a date expression, start_time and end_time (past midnight when end ≤ start). */
const span = (sql: Sql, date: Fragment, x: string) => {
  const X = sql(x)
  return sql`${date} + ${X}.start_time as starts,
             ${date} + ${X}.start_time + case when ${X}.end_time > ${X}.start_time then ${X}.end_time - ${X}.start_time else ${X}.end_time - ${X}.start_time + interval '24 hours' end as ends`
}

type Counts = PatrolSummary['total']

/** Planned against logged patrols per route and per zone in [from, to] (local dates), in the window (see the header). */
export async function patrolSummary(sql: Sql, community: string, from: string, to: string, w: PatrolWindow, lang: Lang | null): Promise<Omit<PatrolSummary, 'window' | 'from' | 'to' | 'days'>> {
  const rows = await sql<{ kind: 'route' | 'zone' | 'deleted'; id: number | null; name: string | null; code: string | null; teamId: number | null; teamName: string | null; routes: number[] | null; planned: number; logged: number; plannedDone: number; unplanned: number }[]>`
    with c as (select metric_srid as srid from communities where id = ${community}),
    days as (select d::date as day from generate_series(${from}::date, ${to}::date, interval '1 day') as d),
    occ as materialized (
      select s.route_id, ${span(sql, sql`d.day`, 's')}
      from patrol_shifts as s cross join days as d
      where s.community_id = ${community} and extract(isodow from d.day)::smallint = any(s.days)
        and safegrid_shift_in_window(array[extract(isodow from d.day)::smallint], s.start_time, s.end_time,
              ${w.weekdays ? sql`${w.weekdays as number[]}::int[]` : sql`null::int[]`}, ${w.hours ? w.hours.start : null}::int, ${w.hours ? w.hours.end : null}::int)
    ),
    logs as materialized (
      select l.route_id, ${span(sql, sql`l.patrol_date`, 'l')}
      from patrol_logs as l
      where l.community_id = ${community} and l.patrol_date between ${from}::date and ${to}::date and ${patrolInWindow(sql, 'l', w)}
    ),
    per_route as (
      select r.id, ${localName(sql, lang, 'r')} as name, r.team_id, ${localName(sql, lang, 't')} as team_name,
             (select count(*) from occ as o where o.route_id = r.id)::int as planned,
             (select count(*) from occ as o where o.route_id = r.id
                and exists (select 1 from logs as l where ${matches(sql)}))::int as planned_done,
             (select count(*) from logs as l where l.route_id = r.id)::int as logged,
             (select count(*) from logs as l where l.route_id = r.id
                and not exists (select 1 from occ as o where ${matches(sql)}))::int as unplanned
      from patrol_routes as r join patrol_teams as t on t.community_id = r.community_id and t.id = r.team_id
      where r.community_id = ${community}
    ),
    reach as (
      select z.id as zone_id, r.id as route_id
      from grid_zones as z cross join c
      join patrol_routes as r on r.community_id = z.community_id and r.reach_geom_m && ST_Transform(z.geom, c.srid)
        and ST_DWithin(r.geom_m, ST_Transform(z.geom, c.srid), r.reach_m)
      where z.community_id = ${community}
    )
    select 'route' as kind, id, name, null::text as code, team_id, team_name, null::bigint[] as routes, planned, logged, planned_done, unplanned
    from per_route
    union all
    select 'zone', z.id, ${localName(sql, lang, 'z')}, z.code, null, null,
           coalesce(array_agg(p.id order by p.id) filter (where p.id is not null), '{}'),
           coalesce(sum(p.planned), 0)::int, coalesce(sum(p.logged), 0)::int, coalesce(sum(p.planned_done), 0)::int, coalesce(sum(p.unplanned), 0)::int
    from grid_zones as z left join reach as x on x.zone_id = z.id left join per_route as p on p.id = x.route_id
    where z.community_id = ${community}
    group by z.community_id, z.id
    union all
    select 'deleted', null, null, null, null, null, null, 0, count(*)::int, 0, 0 from logs where route_id is null`
  const counts = (r: { planned: number; logged: number; plannedDone: number; unplanned: number }): Counts => ({
    planned: r.planned,
    logged: r.logged,
    plannedDone: r.plannedDone,
    plannedMissed: r.planned - r.plannedDone,
    unplanned: r.unplanned,
  })
  const routes = rows.filter((r) => r.kind === 'route').sort((a, b) => Number(a.id) - Number(b.id))
  const deleted = rows.find((r) => r.kind === 'deleted')!
  const sum = (k: 'planned' | 'logged' | 'plannedDone' | 'unplanned') => routes.reduce((a, r) => a + r[k], 0)
  return {
    total: counts({ planned: sum('planned'), logged: sum('logged') + deleted.logged, plannedDone: sum('plannedDone'), unplanned: sum('unplanned') + deleted.logged }),
    routes: routes.map((r) => ({ id: Number(r.id), name: r.name!, teamId: Number(r.teamId), teamName: r.teamName!, ...counts(r) })),
    zones: rows
      .filter((r) => r.kind === 'zone')
      .sort((a, b) => a.code!.localeCompare(b.code!))
      .map((r) => ({ id: Number(r.id), code: r.code!, name: r.name!, routes: (r.routes ?? []).map(Number), ...counts(r) })),
    deletedRoutes: { logged: deleted.logged },
  }
}

/**
 * The weekly roster of team `teamId` (null when there is no such team): each shift of its routes
 * with the active members who usually walk it, by weekday, and the active members on no shift.
 * Phone numbers only for a view with `phones` — chosen in the SQL, never sent otherwise.
 */
export async function teamRoster(sql: Sql, community: string, teamId: number, view: View): Promise<Roster | null> {
  const phone = (alias: string) => (view.phones ? sql`${sql(alias)}.phone` : sql`null::text`)
  const member = sql`jsonb_build_object('id', m.id, 'name', ${localName(sql, view.lang, 'm')}, 'phone', ${phone('m')}, 'active', m.active)`
  const [team] = await sql<{ row: Roster['team'] }[]>`
    select jsonb_build_object('id', t.id, 'name', ${localName(sql, view.lang, 't')}, 'kind', t.kind, 'active', t.active, 'phone', ${phone('t')},
             'headcount', t.members,
             'listedMembers', (select count(*)::int from team_members as m where m.community_id = t.community_id and m.team_id = t.id and m.active)) as row
    from patrol_teams as t where t.community_id = ${community} and t.id = ${teamId}`
  if (!team) return null
  const shifts = await sql<{ row: Roster['shifts'][number] }[]>`
    select jsonb_build_object('id', s.id, 'routeId', r.id, 'routeName', ${localName(sql, view.lang, 'r')}, 'days', to_jsonb(s.days),
             'start', to_char(s.start_time, 'HH24:MI'), 'end', to_char(s.end_time, 'HH24:MI'),
             'members', coalesce((select jsonb_agg(${member} order by m.name, m.id)
                                  from team_member_shifts as ms join team_members as m on m.community_id = ms.community_id and m.id = ms.member_id and m.active
                                  where ms.community_id = s.community_id and ms.shift_id = s.id), '[]'::jsonb)) as row
    from patrol_shifts as s join patrol_routes as r on r.community_id = s.community_id and r.id = s.route_id
    where s.community_id = ${community} and r.team_id = ${teamId}
    order by s.start_time, r.name, s.id`
  const unassigned = await sql<{ row: Roster['unassigned'][number] }[]>`
    select ${member} as row
    from team_members as m
    where m.community_id = ${community} and m.team_id = ${teamId} and m.active
      and not exists (select 1 from team_member_shifts as ms
                      join patrol_shifts as s on s.community_id = ms.community_id and s.id = ms.shift_id
                      join patrol_routes as r on r.community_id = s.community_id and r.id = s.route_id and r.team_id = m.team_id
                      where ms.community_id = m.community_id and ms.member_id = m.id)
    order by m.name, m.id`
  const list = shifts.map((s) => s.row)
  return {
    team: team.row,
    shifts: list,
    days: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, shiftIds: list.filter((s) => s.days.includes(day)).map((s) => s.id) })),
    unassigned: unassigned.map((u) => u.row),
  }
}
