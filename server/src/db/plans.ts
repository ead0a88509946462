/**
 * Planning writes: create, change and delete grid zones, patrol routes (with their shifts), shifts,
 * patrol teams and captains (with their buildings) — one change at a time, inside the caller's
 * transaction, so a draft of many changes is saved whole or not at all, and a preview can apply a
 * draft and roll it back. Every change checks the version it was made on (409 version_conflict with
 * the current row otherwise), validates geometry in PostGIS (zones clipped to the community and
 * never overlapping, routes inside it), and is written to the audit log with the row before and
 * after. What depends on the rows — a route's reach, the zone of each building and incident — is
 * kept by the triggers of migrations 00004 and 00005, so it is current when the change returns.
 */
import { PLAN_FIELDS, type Change, type EditAnswer, type PlanEntity } from '../contract.js'
import { ApiError } from '../errors.js'
import { audit } from './audit.js'
import type { Sql } from './connect.js'
import type { Fragment } from './layers.js'

/** Who makes the change, for the audit log. */
export interface Editor {
  userId: number | null
  username: string | null
  ip: string | null
}

/** A zone may overlap its neighbours by this many square metres (digitising noise along a shared street). */
export const OVERLAP_TOLERANCE_M2 = 1
/** A route may run this far outside the community (a patrol turns at the boundary street's far side). */
export const ROUTE_OUTSIDE_M = 50

const TABLE: Record<PlanEntity, string> = { zone: 'grid_zones', route: 'patrol_routes', shift: 'patrol_shifts', team: 'patrol_teams', captain: 'captains', member: 'team_members' }

/** Fields of a row that are derived, never set by a change (nor restored by a revert). */
export const DERIVED_FIELDS = new Set(['id', 'version', 'listedMembers'])

/** The row of `entity` `id` as the API answers it (null when there is none), read in `sql`'s transaction. */
export async function readRow(sql: Sql, community: string, entity: PlanEntity, id: number, lock = false): Promise<Record<string, unknown> | null> {
  const forUpdate = lock ? sql`for update of t` : sql``
  const [row] = await sql<{ row: Record<string, unknown> }[]>`select ${rowJson(sql, entity)} as row from ${sql(TABLE[entity])} as t where t.community_id = ${community} and t.id = ${id} ${forUpdate}`
  return row?.row ?? null
}

/** The JSON of row `t` of `entity` in the API's shape. */
function rowJson(sql: Sql, entity: PlanEntity): Fragment {
  switch (entity) {
    case 'zone':
      return sql`jsonb_build_object('id', t.id, 'code', t.code, 'name', t.name, 'names', t.names, 'gridWorker', t.grid_worker,
        'gridWorkerNames', t.grid_worker_names, 'teamId', t.patrol_team_id, 'version', t.version, 'geometry', ST_AsGeoJSON(t.geom, 7)::jsonb)`
    case 'route':
      return sql`jsonb_build_object('id', t.id, 'name', t.name, 'names', t.names, 'teamId', t.team_id, 'reachM', t.reach_m, 'version', t.version,
        'geometry', ST_AsGeoJSON(t.geom, 7)::jsonb,
        'shifts', coalesce((select jsonb_agg(jsonb_build_object('id', s.id, 'days', to_jsonb(s.days), 'start', to_char(s.start_time, 'HH24:MI'),
                   'end', to_char(s.end_time, 'HH24:MI'), 'version', s.version) order by s.start_time, s.id)
                 from patrol_shifts as s where s.community_id = t.community_id and s.route_id = t.id), '[]'::jsonb))`
    case 'shift':
      return sql`jsonb_build_object('id', t.id, 'routeId', t.route_id, 'days', to_jsonb(t.days), 'start', to_char(t.start_time, 'HH24:MI'),
        'end', to_char(t.end_time, 'HH24:MI'), 'version', t.version)`
    case 'team':
      return sql`jsonb_build_object('id', t.id, 'name', t.name, 'names', t.names, 'kind', t.kind, 'members', t.members, 'phone', t.phone,
        'active', t.active, 'version', t.version,
        'listedMembers', (select count(*)::int from team_members as m where m.community_id = t.community_id and m.team_id = t.id and m.active))`
    case 'member':
      return sql`jsonb_build_object('id', t.id, 'teamId', t.team_id, 'name', t.name, 'names', t.names, 'phone', t.phone, 'active', t.active, 'version', t.version,
        'shiftIds', coalesce((select jsonb_agg(ms.shift_id order by ms.shift_id) from team_member_shifts as ms
                              where ms.community_id = t.community_id and ms.member_id = t.id), '[]'::jsonb))`
    case 'captain':
      return sql`jsonb_build_object('id', t.id, 'name', t.name, 'names', t.names, 'phone', t.phone, 'active', t.active, 'version', t.version,
        'buildingIds', coalesce((select jsonb_agg(cb.building_id order by cb.building_id) from captain_buildings as cb
                                 where cb.community_id = t.community_id and cb.captain_id = t.id), '[]'::jsonb))`
  }
}

/** The fields of `change.set`, checked against the entity's schema (400 invalid_parameter naming the field). */
function fieldsOf(change: Change, creating: boolean): Record<string, unknown> {
  const spec = PLAN_FIELDS[change.entity]
  const parsed = spec.schema.safeParse(change.set ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const field = issue.path.join('.')
    throw new ApiError('invalid_parameter', `${change.entity}${field ? `.${field}` : ''}: ${issue.message}`, { entity: change.entity, field, issues: parsed.error.issues.slice(0, 5) })
  }
  const set = parsed.data as Record<string, unknown>
  if (creating) {
    const missing = spec.required.filter((f) => set[f] === undefined)
    if (missing.length > 0) throw new ApiError('invalid_parameter', `a new ${change.entity} needs ${missing.join(', ')}`, { entity: change.entity, missing })
  } else if (Object.keys(set).length === 0 && !change.delete) {
    throw new ApiError('invalid_parameter', `the change of ${change.entity} ${change.id} sets nothing`, { entity: change.entity, id: change.id })
  }
  return set
}

const has = (set: Record<string, unknown>, field: string) => set[field] !== undefined
/** The checked fields of a change (PLAN_FIELDS), read by name; each entity's code reads only its own. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- values were checked by the entity's zod schema
type Fields = Record<string, any>
/** `column = value` for each field that is set (`value` the field's SQL), joined by commas; null when none. */
function assignments(sql: Sql, pairs: [boolean, Fragment][]): Fragment | null {
  const set = pairs.filter(([on]) => on).map(([, f]) => f)
  return set.length === 0 ? null : set.reduce((a, b) => sql`${a}, ${b}`)
}
const json = (sql: Sql, v: unknown) => sql.json(v as never)

/** A zone's shape as stored: made valid, clipped to the community, polygons only (checked first by checkZoneShape). */
const zoneShape = (sql: Sql, community: string, geometry: unknown): Fragment =>
  sql`(select ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Intersection(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326)), c.boundary)), 3))
       from communities as c where c.id = ${community})`

/** 400 invalid_geometry unless a zone's shape leaves something inside the community. */
async function checkZoneShape(sql: Sql, community: string, geometry: unknown): Promise<void> {
  const [row] = await sql<{ ok: boolean; area: number }[]>`
    with input as (select ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326) as g),
         made as (select ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Intersection(ST_MakeValid(i.g), c.boundary)), 3)) as g, c.metric_srid as srid
                  from input as i cross join communities as c where c.id = ${community})
    select not ST_IsEmpty(g) and ST_Area(ST_Transform(g, srid)) >= 1 as ok, ST_Area(ST_Transform(g, srid)) as area
    from made`.catch((e: unknown) => {
    throw new ApiError('invalid_geometry', `zone geometry: ${(e as Error).message}`, { field: 'geometry' })
  })
  if (!row?.ok) throw new ApiError('invalid_geometry', 'zone geometry: nothing of it lies inside the community', { field: 'geometry', areaM2: row?.area ?? 0 })
}

/** A route's line as stored (checked first by checkRouteLine). */
const routeLine = (sql: Sql, geometry: unknown): Fragment => sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326)`

/** 400 invalid_geometry unless a route is a valid line of some length that stays within ROUTE_OUTSIDE_M of the community. */
async function checkRouteLine(sql: Sql, community: string, geometry: unknown): Promise<void> {
  const line = routeLine(sql, geometry)
  const [row] = await sql<{ valid: boolean; length: number; outside: number }[]>`
    select ST_IsValid(g) as valid, ST_Length(ST_Transform(g, c.metric_srid)) as length,
           ST_Length(ST_Transform(ST_Difference(g, ST_Transform(ST_Buffer(ST_Transform(c.boundary, c.metric_srid), ${ROUTE_OUTSIDE_M}), 4326)), c.metric_srid)) as outside
    from (select ${line} as g) as input cross join communities as c where c.id = ${community}`.catch((e: unknown) => {
    throw new ApiError('invalid_geometry', `route geometry: ${(e as Error).message}`, { field: 'geometry' })
  })
  if (!row?.valid || !(row.length > 0)) throw new ApiError('invalid_geometry', 'route geometry: a route must be a valid line of some length', { field: 'geometry' })
  if (row.outside > 0.5)
    throw new ApiError('invalid_geometry', `route geometry: ${Math.round(row.outside)} m of the route lie outside the community`, { field: 'geometry', outsideM: row.outside })
}

/** 400 unless every id names a row of `table` in the community. */
async function mustExist(sql: Sql, community: string, table: string, ids: number[], field: string): Promise<void> {
  if (ids.length === 0) return
  const found = await sql<{ id: number }[]>`select id from ${sql(table)} where community_id = ${community} and id = any(${ids}::bigint[])`
  const missing = ids.filter((id) => !found.some((f) => Number(f.id) === id))
  if (missing.length > 0) throw new ApiError('invalid_parameter', `${field}: no such ${table === 'buildings' ? 'building' : table === 'patrol_teams' ? 'team' : 'route'}: ${missing.slice(0, 10).join(', ')}`, { field, missing: missing.slice(0, 100) })
}

/** 409 zones_overlap when zone `id` overlaps another zone by more than the tolerance, with the overlap. */
async function checkOverlap(sql: Sql, community: string, id: number): Promise<void> {
  const overlaps = await sql<{ id: number; code: string; m2: number; overlap: unknown }[]>`
    select o.id, o.code, ST_Area(ST_Transform(x.g, c.metric_srid)) as m2, ST_AsGeoJSON(x.g, 7)::jsonb as overlap
    from grid_zones as z
    join communities as c on c.id = z.community_id
    join grid_zones as o on o.community_id = z.community_id and o.id <> z.id and o.geom && z.geom and ST_Intersects(o.geom, z.geom)
    cross join lateral (select ST_CollectionExtract(ST_Intersection(o.geom, z.geom), 3) as g) as x
    where z.community_id = ${community} and z.id = ${id} and ST_Area(ST_Transform(x.g, c.metric_srid)) > ${OVERLAP_TOLERANCE_M2}
    order by o.code`
  if (overlaps.length > 0)
    throw new ApiError('zones_overlap', `the zone would overlap ${overlaps.map((o) => `${o.code} by ${Math.round(o.m2)} m²`).join(', ')}`, {
      zones: overlaps.map((o) => ({ id: Number(o.id), code: o.code, overlapM2: o.m2, overlap: o.overlap })),
    })
}

/** Warnings about the community's zones after a zone change: parts of the boundary no zone covers. */
async function zoneWarnings(sql: Sql, community: string): Promise<EditAnswer['warnings']> {
  const [row] = await sql<{ m2: number; gap: unknown }[]>`
    select ST_Area(ST_Transform(g, c.metric_srid)) as m2, ST_AsGeoJSON(g, 7)::jsonb as gap
    from communities as c
    cross join lateral (select ST_CollectionExtract(ST_Difference(c.boundary, coalesce((select ST_Union(z.geom) from grid_zones as z where z.community_id = c.id), 'POLYGON EMPTY'::geometry)), 3) as g) as d
    where c.id = ${community}`
  return row && row.m2 > OVERLAP_TOLERANCE_M2
    ? [{ code: 'boundary_uncovered', message: `${Math.round(row.m2)} m² of the community lie in no zone`, details: { areaM2: row.m2, uncovered: row.gap } }]
    : []
}

/** Warnings after a captain change: more buildings than the load limit. */
async function captainWarnings(sql: Sql, community: string, id: number, limit: number): Promise<EditAnswer['warnings']> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from captain_buildings where community_id = ${community} and captain_id = ${id}`
  return row && row.n > limit ? [{ code: 'captain_over_limit', message: `the captain looks after ${row.n} buildings, more than ${limit}`, details: { buildings: row.n, limit } }] : []
}

/**
 * Makes `shifts` the shifts of route `routeId`: a shift already there with the same days and times
 * stays as it is (its id, version and the members who walk it), the others go, the new ones are
 * added.
 */
async function writeShifts(sql: Sql, community: string, routeId: number, shifts: { days: number[]; start: string; end: string }[]): Promise<void> {
  const key = (s: { days: number[]; start: string; end: string }) => `${[...s.days].sort((a, b) => a - b).join(',')} ${s.start} ${s.end}`
  const existing = await sql<{ id: number; days: number[]; start: string; end: string }[]>`
    select id, days::int[] as days, to_char(start_time, 'HH24:MI') as start, to_char(end_time, 'HH24:MI') as end
    from patrol_shifts where community_id = ${community} and route_id = ${routeId} order by id`
  const kept = new Set<number>()
  const added: typeof shifts = []
  for (const s of shifts) {
    const same = existing.find((e) => !kept.has(Number(e.id)) && key(e) === key(s))
    if (same) kept.add(Number(same.id))
    else added.push(s)
  }
  const gone = existing.filter((e) => !kept.has(Number(e.id))).map((e) => Number(e.id))
  if (gone.length > 0) await sql`delete from patrol_shifts where community_id = ${community} and id = any(${gone}::bigint[])`
  for (const s of added)
    await sql`insert into patrol_shifts (community_id, route_id, days, start_time, end_time)
              values (${community}, ${routeId}, ${[...s.days].sort((a, b) => a - b)}::smallint[], ${s.start}::time, ${s.end}::time)`
}

/** Gives member `id` exactly `shiftIds`: shifts of the routes of the member's team (400 otherwise). */
async function writeMemberShifts(sql: Sql, community: string, id: number, shiftIds: number[]): Promise<void> {
  if (shiftIds.length > 0) {
    const found = await sql<{ id: number }[]>`
      select s.id from patrol_shifts as s
      join patrol_routes as r on r.community_id = s.community_id and r.id = s.route_id
      join team_members as m on m.community_id = s.community_id and m.id = ${id} and m.team_id = r.team_id
      where s.community_id = ${community} and s.id = any(${shiftIds}::bigint[])`
    const missing = shiftIds.filter((x) => !found.some((f) => Number(f.id) === x))
    if (missing.length > 0)
      throw new ApiError('invalid_parameter', `shiftIds: not a shift of the member's team's routes: ${missing.slice(0, 10).join(', ')}`, { field: 'shiftIds', missing: missing.slice(0, 100) })
  }
  await sql`delete from team_member_shifts where community_id = ${community} and member_id = ${id}`
  if (shiftIds.length > 0)
    await sql`insert into team_member_shifts (community_id, member_id, shift_id) select ${community}, ${id}, x from unnest(${shiftIds}::bigint[]) as x`
}

/** Gives captain `id` exactly `buildingIds`, taking each from any other captain. */
async function writeCaptainBuildings(sql: Sql, community: string, id: number, buildingIds: number[]): Promise<void> {
  await mustExist(sql, community, 'buildings', buildingIds, 'buildingIds')
  await sql`delete from captain_buildings where community_id = ${community} and (captain_id = ${id} or building_id = any(${buildingIds}::bigint[]))`
  if (buildingIds.length > 0)
    await sql`insert into captain_buildings (community_id, captain_id, building_id) select ${community}, ${id}, b from unnest(${buildingIds}::bigint[]) as b`
}

/**
 * Inserts a new row of `entity` from `set`; returns its id. `restoreId`: insert with this id (a
 * revert re-creating a deleted row under the id the audit log and other rows know it by).
 */
async function insertRow(sql: Sql, community: string, entity: PlanEntity, set: Record<string, unknown>, restoreId: number | null = null): Promise<number> {
  const s = set as Fields
  const idColumn = restoreId === null ? sql`` : sql`id, `
  const idValue = restoreId === null ? sql`` : sql`${restoreId}, `
  const overriding = restoreId === null ? sql`` : sql`overriding system value`
  switch (entity) {
    case 'zone': {
      if (has(set, 'teamId') && s.teamId !== null) await mustExist(sql, community, 'patrol_teams', [s.teamId], 'teamId')
      await checkZoneShape(sql, community, s.geometry)
      const [row] = await sql<{ id: number }[]>`
        insert into grid_zones (${idColumn}community_id, code, name, names, geom, grid_worker, grid_worker_names, patrol_team_id) ${overriding}
        values (${idValue}${community}, ${s.code}, ${s.name}, ${json(sql, s.names ?? {})}, ${zoneShape(sql, community, s.geometry)}, ${s.gridWorker ?? null}, ${json(sql, s.gridWorkerNames ?? {})}, ${s.teamId ?? null})
        returning id`
      return Number(row!.id)
    }
    case 'route': {
      await mustExist(sql, community, 'patrol_teams', [s.teamId], 'teamId')
      await checkRouteLine(sql, community, s.geometry)
      const [row] = await sql<{ id: number }[]>`
        insert into patrol_routes (${idColumn}community_id, team_id, name, names, geom, reach_m) ${overriding}
        values (${idValue}${community}, ${s.teamId}, ${s.name}, ${json(sql, s.names ?? {})}, ${routeLine(sql, s.geometry)}, ${s.reachM ?? 100})
        returning id`
      const id = Number(row!.id)
      if (has(set, 'shifts')) await writeShifts(sql, community, id, s.shifts)
      return id
    }
    case 'shift': {
      await mustExist(sql, community, 'patrol_routes', [s.routeId], 'routeId')
      if (s.start === s.end) throw new ApiError('invalid_parameter', 'shift.end: a shift must end at another time than it starts', { entity, field: 'end' })
      const [row] = await sql<{ id: number }[]>`
        insert into patrol_shifts (${idColumn}community_id, route_id, days, start_time, end_time) ${overriding}
        values (${idValue}${community}, ${s.routeId}, ${[...(s.days as number[])].sort((a, b) => a - b)}::smallint[], ${s.start}::time, ${s.end}::time)
        returning id`
      return Number(row!.id)
    }
    case 'team': {
      const [row] = await sql<{ id: number }[]>`
        insert into patrol_teams (${idColumn}community_id, name, names, kind, members, phone, active) ${overriding}
        values (${idValue}${community}, ${s.name}, ${json(sql, s.names ?? {})}, ${s.kind}, ${s.members ?? 0}, ${s.phone ?? null}, ${s.active ?? true})
        returning id`
      return Number(row!.id)
    }
    case 'captain': {
      const [row] = await sql<{ id: number }[]>`
        insert into captains (${idColumn}community_id, name, names, phone, active) ${overriding}
        values (${idValue}${community}, ${s.name}, ${json(sql, s.names ?? {})}, ${s.phone ?? null}, ${s.active ?? true})
        returning id`
      const id = Number(row!.id)
      if (has(set, 'buildingIds')) await writeCaptainBuildings(sql, community, id, s.buildingIds)
      return id
    }
    case 'member': {
      await mustExist(sql, community, 'patrol_teams', [s.teamId], 'teamId')
      const [row] = await sql<{ id: number }[]>`
        insert into team_members (${idColumn}community_id, team_id, name, names, phone, active) ${overriding}
        values (${idValue}${community}, ${s.teamId}, ${s.name}, ${json(sql, s.names ?? {})}, ${s.phone ?? null}, ${s.active ?? true})
        returning id`
      const id = Number(row!.id)
      if (has(set, 'shiftIds')) await writeMemberShifts(sql, community, id, s.shiftIds)
      return id
    }
  }
}

/** Updates row `id` of `entity` with `set` and raises its version. */
async function updateRow(sql: Sql, community: string, entity: PlanEntity, id: number, set: Record<string, unknown>): Promise<void> {
  const s = set as Fields
  const h = (f: string) => has(set, f)
  let columns: Fragment | null
  switch (entity) {
    case 'zone':
      if (h('teamId') && s.teamId !== null) await mustExist(sql, community, 'patrol_teams', [s.teamId], 'teamId')
      if (h('geometry')) await checkZoneShape(sql, community, s.geometry)
      columns = assignments(sql, [
        [h('code'), sql`code = ${s.code}`],
        [h('name'), sql`name = ${s.name}`],
        [h('names'), sql`names = ${json(sql, s.names)}`],
        [h('geometry'), sql`geom = ${h('geometry') ? zoneShape(sql, community, s.geometry) : sql`geom`}`],
        [h('gridWorker'), sql`grid_worker = ${s.gridWorker}`],
        [h('gridWorkerNames'), sql`grid_worker_names = ${json(sql, s.gridWorkerNames)}`],
        [h('teamId'), sql`patrol_team_id = ${s.teamId}`],
      ])
      break
    case 'route':
      if (h('teamId')) await mustExist(sql, community, 'patrol_teams', [s.teamId], 'teamId')
      if (h('geometry')) await checkRouteLine(sql, community, s.geometry)
      columns = assignments(sql, [
        [h('name'), sql`name = ${s.name}`],
        [h('names'), sql`names = ${json(sql, s.names)}`],
        [h('geometry'), sql`geom = ${h('geometry') ? routeLine(sql, s.geometry) : sql`geom`}`],
        [h('teamId'), sql`team_id = ${s.teamId}`],
        [h('reachM'), sql`reach_m = ${s.reachM}`],
      ])
      if (h('shifts')) await writeShifts(sql, community, id, s.shifts)
      break
    case 'shift': {
      if (h('routeId')) await mustExist(sql, community, 'patrol_routes', [s.routeId], 'routeId')
      columns = assignments(sql, [
        [h('routeId'), sql`route_id = ${s.routeId}`],
        [h('days'), sql`days = ${h('days') ? [...(s.days as number[])].sort((a, b) => a - b) : []}::smallint[]`],
        [h('start'), sql`start_time = ${s.start}::time`],
        [h('end'), sql`end_time = ${s.end}::time`],
      ])
      break
    }
    case 'team':
      columns = assignments(sql, [
        [h('name'), sql`name = ${s.name}`],
        [h('names'), sql`names = ${json(sql, s.names)}`],
        [h('kind'), sql`kind = ${s.kind}`],
        [h('members'), sql`members = ${s.members}`],
        [h('phone'), sql`phone = ${s.phone}`],
        [h('active'), sql`active = ${s.active}`],
      ])
      break
    case 'captain':
      columns = assignments(sql, [
        [h('name'), sql`name = ${s.name}`],
        [h('names'), sql`names = ${json(sql, s.names)}`],
        [h('phone'), sql`phone = ${s.phone}`],
        [h('active'), sql`active = ${s.active}`],
      ])
      if (h('buildingIds')) await writeCaptainBuildings(sql, community, id, s.buildingIds)
      break
    case 'member':
      if (h('teamId')) await mustExist(sql, community, 'patrol_teams', [s.teamId], 'teamId')
      columns = assignments(sql, [
        [h('teamId'), sql`team_id = ${s.teamId}`],
        [h('name'), sql`name = ${s.name}`],
        [h('names'), sql`names = ${json(sql, s.names)}`],
        [h('phone'), sql`phone = ${s.phone}`],
        [h('active'), sql`active = ${s.active}`],
      ])
      break
  }
  const version = sql`version = version + 1`
  await sql`update ${sql(TABLE[entity])} set ${columns ? sql`${columns}, ${version}` : version} where community_id = ${community} and id = ${id}`
  if (entity === 'shift') {
    const [row] = await sql<{ ok: boolean }[]>`select start_time <> end_time as ok from patrol_shifts where community_id = ${community} and id = ${id}`
    if (!row?.ok) throw new ApiError('invalid_parameter', 'shift.end: a shift must end at another time than it starts', { entity, field: 'end' })
  }
  if (entity === 'member') {
    if (h('shiftIds')) await writeMemberShifts(sql, community, id, s.shiftIds)
    else if (h('teamId'))
      // a member who changes team leaves the shifts of the old team's routes
      await sql`delete from team_member_shifts as ms using patrol_shifts as sh, patrol_routes as r
                where ms.community_id = ${community} and ms.member_id = ${id} and sh.community_id = ms.community_id and sh.id = ms.shift_id
                  and r.community_id = sh.community_id and r.id = sh.route_id and r.team_id <> ${s.teamId}`
  }
}

/** How a change is recorded when it is a revert (and, re-creating a deleted row, under which id). */
export interface ChangeOptions {
  /** the audit entry this change reverts: audited as action `revert` naming it */
  reverts?: number
  /** create the row with this id (a revert of a deletion) */
  restoreId?: number
}

/**
 * Applies one change in `sql`'s transaction and audits it. `maxBuildings`: the captain load limit
 * (a warning above it). Throws ApiError: 404 for a row that is not there, 428 without the version
 * of a change or deletion, 409 version_conflict (details.current: the row now) when it moved on,
 * 400/409 for invalid values, shapes and overlaps.
 */
export async function applyChange(sql: Sql, community: string, change: Change, editor: Editor, maxBuildings: number): Promise<EditAnswer> {
  return (await applyAudited(sql, community, change, editor, maxBuildings, {})).answer
}

/** applyChange, also answering the id of its audit entry. */
async function applyAudited(sql: Sql, community: string, change: Change, editor: Editor, maxBuildings: number, options: ChangeOptions): Promise<{ answer: EditAnswer; auditId: number }> {
  const { entity } = change
  const creating = change.id === undefined
  if (creating && change.delete) throw new ApiError('invalid_parameter', 'a deletion needs the id of what it deletes', { entity })
  if (creating && change.version !== undefined) throw new ApiError('invalid_parameter', 'a new row has no version yet', { entity })
  const set = change.delete ? {} : fieldsOf(change, creating)
  if (change.delete && change.set !== undefined) throw new ApiError('invalid_parameter', 'a deletion sets nothing', { entity, id: change.id })
  let id: number
  let before: Record<string, unknown> | null = null
  if (creating) {
    id = await insertRow(sql, community, entity, set, options.restoreId ?? null).catch(uniqueViolation(entity))
  } else {
    id = change.id!
    before = await readRow(sql, community, entity, id, true)
    if (before === null) throw new ApiError('not_found', `${entity} ${id} does not exist in community "${community}"`, { entity, id })
    if (change.version === undefined) throw new ApiError('precondition_required', `a change of ${entity} ${id} must say which version it was made on (If-Match)`, { entity, id, version: before.version })
    if (before.version !== change.version)
      throw new ApiError('version_conflict', `${entity} ${id} was changed meanwhile: version ${String(before.version)}, not ${change.version}`, { entity, id, current: before })
    if (change.delete) await sql`delete from ${sql(TABLE[entity])} where community_id = ${community} and id = ${id}`
    else await updateRow(sql, community, entity, id, set).catch(uniqueViolation(entity))
  }
  const after = change.delete ? null : await readRow(sql, community, entity, id)
  const warnings: EditAnswer['warnings'] = []
  if (entity === 'zone') {
    if (!change.delete) await checkOverlap(sql, community, id)
    warnings.push(...(await zoneWarnings(sql, community)))
  }
  if (entity === 'captain' && !change.delete) warnings.push(...(await captainWarnings(sql, community, id, maxBuildings)))
  const auditId = await audit(sql, {
    community,
    userId: editor.userId,
    username: editor.username,
    action: options.reverts !== undefined ? 'revert' : creating ? `${entity}_created` : change.delete ? `${entity}_deleted` : `${entity}_updated`,
    entity,
    entityId: id,
    before,
    after,
    ip: editor.ip,
    reverts: options.reverts ?? null,
  })
  return { answer: { entity, id, version: after === null ? null : (after.version as number), row: after, warnings }, auditId }
}

/** Two values of a row's field alike (JSON: geometry, names, shift lists, id lists). Shifts compare by days and times. */
function sameField(field: string, a: unknown, b: unknown): boolean {
  const norm = (v: unknown) =>
    field === 'shifts' && Array.isArray(v)
      ? (v as { days: number[]; start: string; end: string }[]).map((x) => `${[...x.days].sort().join(',')} ${x.start}-${x.end}`).sort()
      : v
  return canonical(norm(a)) === canonical(norm(b))
}
/** JSON with object keys sorted, so equal values give equal text. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`
  return JSON.stringify(v ?? null)
}

/** The value of `field` to set when restoring it (a route's shifts without their ids and versions). */
const restoredValue = (field: string, value: unknown) =>
  field === 'shifts' && Array.isArray(value) ? (value as { days: number[]; start: string; end: string }[]).map(({ days, start, end }) => ({ days, start, end })) : value

/**
 * What a restore may not take back silently: buildings that have another captain now, shifts that
 * are gone. They are left out of `set`, with a warning.
 */
async function restorable(sql: Sql, community: string, entity: PlanEntity, id: number, set: Record<string, unknown>): Promise<EditAnswer['warnings']> {
  const warnings: EditAnswer['warnings'] = []
  if (entity === 'captain' && Array.isArray(set.buildingIds)) {
    const ids = set.buildingIds as number[]
    const taken = (
      await sql<{ id: number }[]>`select building_id as id from captain_buildings where community_id = ${community} and captain_id <> ${id} and building_id = any(${ids}::bigint[])`
    ).map((r) => Number(r.id))
    const gone = (await sql<{ id: number }[]>`select x as id from unnest(${ids}::bigint[]) as x where not exists (select 1 from buildings as b where b.community_id = ${community} and b.id = x)`).map((r) => Number(r.id))
    if (taken.length + gone.length > 0) {
      set.buildingIds = ids.filter((b) => !taken.includes(b) && !gone.includes(b))
      warnings.push({ code: 'buildings_not_restored', message: `${taken.length + gone.length} building(s) now have another captain or are gone and were left as they are`, details: { taken, gone } })
    }
  }
  if (entity === 'member' && Array.isArray(set.shiftIds)) {
    const ids = set.shiftIds as number[]
    const there = (await sql<{ id: number }[]>`select id from patrol_shifts where community_id = ${community} and id = any(${ids}::bigint[])`).map((r) => Number(r.id))
    if (there.length < ids.length) {
      set.shiftIds = ids.filter((x) => there.includes(x))
      warnings.push({ code: 'shifts_not_restored', message: `${ids.length - there.length} shift(s) are gone`, details: { gone: ids.filter((x) => !there.includes(x)) } })
    }
  }
  return warnings
}

/**
 * Reverts audit entry `auditId` of `entity` `itemId` as a new change, audited as `revert` (naming the
 * entry): a creation is deleted, a deletion re-created under the same id, an update's changed fields
 * set back to what they were. Only while nobody has changed those fields since: otherwise 409
 * version_conflict with the row now (`details.current`) and the fields that moved (`details.fields`).
 * 404 when the entry is not a change of this row.
 */
export async function revertChange(
  sql: Sql,
  community: string,
  entity: PlanEntity,
  itemId: number,
  auditId: number,
  editor: Editor,
  maxBuildings: number,
): Promise<EditAnswer & { reverted: number; auditId: number }> {
  const [entry] = await sql<{ before: Record<string, unknown> | null; after: Record<string, unknown> | null }[]>`
    select before, after from audit_log where community_id = ${community} and id = ${auditId} and entity = ${entity} and entity_id = ${String(itemId)}`
  if (!entry) throw new ApiError('not_found', `no change ${auditId} of ${entity} ${itemId} in the history`, { entity, id: itemId, auditId })
  const { before, after } = entry
  const current = await readRow(sql, community, entity, itemId, true)
  const conflict = (message: string, fields: string[] = []) =>
    new ApiError('version_conflict', `cannot revert change ${auditId} of ${entity} ${itemId}: ${message}`, { entity, id: itemId, auditId, current, fields })
  const fieldsOfRow = (row: Record<string, unknown>) => Object.keys(row).filter((k) => !DERIVED_FIELDS.has(k))
  const moved = (fields: string[], target: Record<string, unknown>) => fields.filter((k) => !sameField(k, current![k], target[k]))
  const done = async (change: Change, options: ChangeOptions, warnings: EditAnswer['warnings'] = []) => {
    const { answer, auditId: own } = await applyAudited(sql, community, change, editor, maxBuildings, { ...options, reverts: auditId })
    return { ...answer, warnings: [...warnings, ...answer.warnings], reverted: auditId, auditId: own }
  }
  if (before === null && after === null) throw new ApiError('invalid_parameter', `change ${auditId} changed nothing to revert`, { auditId })
  if (before === null) {
    // a creation: delete the row, unless it changed since
    if (current === null) throw conflict('it was deleted since')
    const changed = moved(fieldsOfRow(after!), after!)
    if (changed.length > 0) throw conflict(`it was changed since (${changed.join(', ')})`, changed)
    return done({ entity, id: itemId, version: current.version as number, delete: true }, {})
  }
  if (after === null) {
    // a deletion: create the row again under its id
    if (current !== null) throw conflict('it exists again')
    const set = Object.fromEntries(fieldsOfRow(before).map((k) => [k, restoredValue(k, before[k])]))
    const warnings = await restorable(sql, community, entity, itemId, set)
    return done({ entity, set }, { restoreId: itemId }, warnings)
  }
  // an update: set back the fields it changed
  if (current === null) throw conflict('it was deleted since')
  const touched = [...new Set([...fieldsOfRow(before), ...fieldsOfRow(after)])].filter((k) => !sameField(k, before[k], after[k]))
  if (touched.length === 0) throw new ApiError('invalid_parameter', `change ${auditId} changed no field to revert`, { auditId })
  const changed = moved(touched, after)
  if (changed.length > 0) throw conflict(`${changed.join(', ')} changed since`, changed)
  const set = Object.fromEntries(touched.map((k) => [k, restoredValue(k, before[k])]))
  const warnings = await restorable(sql, community, entity, itemId, set)
  return done({ entity, id: itemId, version: current.version as number, set }, {}, warnings)
}

/** 409 conflict for a duplicate (a zone code or a team name used twice), instead of a database error. */
const uniqueViolation = (entity: PlanEntity) => (e: unknown) => {
  if ((e as { code?: string }).code === '23505') throw new ApiError('conflict', `another ${entity} already has this ${entity === 'zone' ? 'code' : 'name'}`, { entity })
  throw e
}

/** A part of the community that a draft adds to patrol coverage, or takes away from it. */
export interface CoverageChangePart {
  geometry: unknown
  areaM2: number
}

/**
 * Where patrol coverage differs between two answers (a preview's before and after): the area the
 * second covers and the first does not (`added`) and the reverse (`removed`), in the community's
 * metric CRS, leaving out slivers under 1 m² (the same routes buffered twice may differ in the last
 * digits where a new buffer joins them). `before` and `after` are the coverage polygons as GeoJSON
 * (rounded to 7 decimals, so made valid again, and overlaid on a 1 cm grid: GEOS's fixed-precision
 * overlay, which does not fail on nearly coincident edges as the floating one can).
 */
/** The precision grid of the coverage overlay, metres. */
const GRID_M = 0.01

export async function coverageChange(sql: Sql, community: string, before: unknown[], after: unknown[]): Promise<{ added: CoverageChangePart | null; removed: CoverageChangePart | null }> {
  const collection = (geometries: unknown[]) => JSON.stringify({ type: 'GeometryCollection', geometries })
  const rows = await sql<{ kind: 'added' | 'removed'; geometry: unknown; m2: number }[]>`
    with g as (
      select ST_UnaryUnion(ST_CollectionExtract(ST_MakeValid(ST_Transform(ST_CollectionExtract(ST_SetSRID(ST_GeomFromGeoJSON(${collection(before)}), 4326), 3), c.metric_srid)), 3), ${GRID_M}) as b,
             ST_UnaryUnion(ST_CollectionExtract(ST_MakeValid(ST_Transform(ST_CollectionExtract(ST_SetSRID(ST_GeomFromGeoJSON(${collection(after)}), 4326), 3), c.metric_srid)), 3), ${GRID_M}) as a
      from communities as c where c.id = ${community}),
    d as (select ST_CollectionExtract(ST_Difference(a, b, ${GRID_M}), 3) as added, ST_CollectionExtract(ST_Difference(b, a, ${GRID_M}), 3) as removed from g),
    parts as (select 'added' as kind, (ST_Dump(added)).geom from d union all select 'removed', (ST_Dump(removed)).geom from d)
    select kind, ST_AsGeoJSON(ST_Transform(ST_Collect(geom), 4326), 7)::jsonb as geometry, sum(ST_Area(geom))::float8 as m2
    from parts where ST_Area(geom) >= 1 group by kind`
  const part = (kind: 'added' | 'removed') => {
    const r = rows.find((x) => x.kind === kind)
    return r === undefined ? null : { geometry: r.geometry, areaM2: r.m2 }
  }
  return { added: part('added'), removed: part('removed') }
}
