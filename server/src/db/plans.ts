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

const TABLE: Record<PlanEntity, string> = { zone: 'grid_zones', route: 'patrol_routes', shift: 'patrol_shifts', team: 'patrol_teams', captain: 'captains' }

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
        'active', t.active, 'version', t.version)`
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

/** Inserts or replaces the shifts of route `routeId`. */
async function writeShifts(sql: Sql, community: string, routeId: number, shifts: { days: number[]; start: string; end: string }[]): Promise<void> {
  await sql`delete from patrol_shifts where community_id = ${community} and route_id = ${routeId}`
  for (const s of shifts)
    await sql`insert into patrol_shifts (community_id, route_id, days, start_time, end_time)
              values (${community}, ${routeId}, ${[...s.days].sort((a, b) => a - b)}::smallint[], ${s.start}::time, ${s.end}::time)`
}

/** Gives captain `id` exactly `buildingIds`, taking each from any other captain. */
async function writeCaptainBuildings(sql: Sql, community: string, id: number, buildingIds: number[]): Promise<void> {
  await mustExist(sql, community, 'buildings', buildingIds, 'buildingIds')
  await sql`delete from captain_buildings where community_id = ${community} and (captain_id = ${id} or building_id = any(${buildingIds}::bigint[]))`
  if (buildingIds.length > 0)
    await sql`insert into captain_buildings (community_id, captain_id, building_id) select ${community}, ${id}, b from unnest(${buildingIds}::bigint[]) as b`
}

/** Inserts a new row of `entity` from `set`; returns its id. */
async function insertRow(sql: Sql, community: string, entity: PlanEntity, set: Record<string, unknown>): Promise<number> {
  const s = set as Fields
  switch (entity) {
    case 'zone': {
      if (has(set, 'teamId') && s.teamId !== null) await mustExist(sql, community, 'patrol_teams', [s.teamId], 'teamId')
      await checkZoneShape(sql, community, s.geometry)
      const [row] = await sql<{ id: number }[]>`
        insert into grid_zones (community_id, code, name, names, geom, grid_worker, grid_worker_names, patrol_team_id)
        values (${community}, ${s.code}, ${s.name}, ${json(sql, s.names ?? {})}, ${zoneShape(sql, community, s.geometry)}, ${s.gridWorker ?? null}, ${json(sql, s.gridWorkerNames ?? {})}, ${s.teamId ?? null})
        returning id`
      return Number(row!.id)
    }
    case 'route': {
      await mustExist(sql, community, 'patrol_teams', [s.teamId], 'teamId')
      await checkRouteLine(sql, community, s.geometry)
      const [row] = await sql<{ id: number }[]>`
        insert into patrol_routes (community_id, team_id, name, names, geom, reach_m)
        values (${community}, ${s.teamId}, ${s.name}, ${json(sql, s.names ?? {})}, ${routeLine(sql, s.geometry)}, ${s.reachM ?? 100})
        returning id`
      const id = Number(row!.id)
      if (has(set, 'shifts')) await writeShifts(sql, community, id, s.shifts)
      return id
    }
    case 'shift': {
      await mustExist(sql, community, 'patrol_routes', [s.routeId], 'routeId')
      if (s.start === s.end) throw new ApiError('invalid_parameter', 'shift.end: a shift must end at another time than it starts', { entity, field: 'end' })
      const [row] = await sql<{ id: number }[]>`
        insert into patrol_shifts (community_id, route_id, days, start_time, end_time)
        values (${community}, ${s.routeId}, ${[...(s.days as number[])].sort((a, b) => a - b)}::smallint[], ${s.start}::time, ${s.end}::time)
        returning id`
      return Number(row!.id)
    }
    case 'team': {
      const [row] = await sql<{ id: number }[]>`
        insert into patrol_teams (community_id, name, names, kind, members, phone, active)
        values (${community}, ${s.name}, ${json(sql, s.names ?? {})}, ${s.kind}, ${s.members ?? 0}, ${s.phone ?? null}, ${s.active ?? true})
        returning id`
      return Number(row!.id)
    }
    case 'captain': {
      const [row] = await sql<{ id: number }[]>`
        insert into captains (community_id, name, names, phone, active) values (${community}, ${s.name}, ${json(sql, s.names ?? {})}, ${s.phone ?? null}, ${s.active ?? true})
        returning id`
      const id = Number(row!.id)
      if (has(set, 'buildingIds')) await writeCaptainBuildings(sql, community, id, s.buildingIds)
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
  }
  const version = sql`version = version + 1`
  await sql`update ${sql(TABLE[entity])} set ${columns ? sql`${columns}, ${version}` : version} where community_id = ${community} and id = ${id}`
  if (entity === 'shift') {
    const [row] = await sql<{ ok: boolean }[]>`select start_time <> end_time as ok from patrol_shifts where community_id = ${community} and id = ${id}`
    if (!row?.ok) throw new ApiError('invalid_parameter', 'shift.end: a shift must end at another time than it starts', { entity, field: 'end' })
  }
}

/**
 * Applies one change in `sql`'s transaction and audits it. `maxBuildings`: the captain load limit
 * (a warning above it). Throws ApiError: 404 for a row that is not there, 428 without the version
 * of a change or deletion, 409 version_conflict (details.current: the row now) when it moved on,
 * 400/409 for invalid values, shapes and overlaps.
 */
export async function applyChange(sql: Sql, community: string, change: Change, editor: Editor, maxBuildings: number): Promise<EditAnswer> {
  const { entity } = change
  const creating = change.id === undefined
  if (creating && change.delete) throw new ApiError('invalid_parameter', 'a deletion needs the id of what it deletes', { entity })
  if (creating && change.version !== undefined) throw new ApiError('invalid_parameter', 'a new row has no version yet', { entity })
  const set = change.delete ? {} : fieldsOf(change, creating)
  if (change.delete && change.set !== undefined) throw new ApiError('invalid_parameter', 'a deletion sets nothing', { entity, id: change.id })
  let id: number
  let before: Record<string, unknown> | null = null
  if (creating) {
    id = await insertRow(sql, community, entity, set).catch(uniqueViolation(entity))
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
  await audit(sql, {
    community,
    userId: editor.userId,
    username: editor.username,
    action: creating ? `${entity}_created` : change.delete ? `${entity}_deleted` : `${entity}_updated`,
    entity,
    entityId: id,
    before,
    after,
    ip: editor.ip,
  })
  return { entity, id, version: after === null ? null : (after.version as number), row: after, warnings }
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
 * digits where a new buffer joins them). `before` and `after` are the coverage polygons as GeoJSON.
 */
export async function coverageChange(sql: Sql, community: string, before: unknown[], after: unknown[]): Promise<{ added: CoverageChangePart | null; removed: CoverageChangePart | null }> {
  const collection = (geometries: unknown[]) => JSON.stringify({ type: 'GeometryCollection', geometries })
  const rows = await sql<{ kind: 'added' | 'removed'; geometry: unknown; m2: number }[]>`
    with g as (
      select ST_Transform(ST_CollectionExtract(ST_SetSRID(ST_GeomFromGeoJSON(${collection(before)}), 4326), 3), c.metric_srid) as b,
             ST_Transform(ST_CollectionExtract(ST_SetSRID(ST_GeomFromGeoJSON(${collection(after)}), 4326), 3), c.metric_srid) as a
      from communities as c where c.id = ${community}),
    d as (select ST_Difference(ST_UnaryUnion(a), ST_UnaryUnion(b)) as added, ST_Difference(ST_UnaryUnion(b), ST_UnaryUnion(a)) as removed from g),
    parts as (select 'added' as kind, (ST_Dump(added)).geom from d union all select 'removed', (ST_Dump(removed)).geom from d)
    select kind, ST_AsGeoJSON(ST_Transform(ST_Collect(geom), 4326), 7)::jsonb as geometry, sum(ST_Area(geom))::float8 as m2
    from parts where ST_Area(geom) >= 1 group by kind`
  const part = (kind: 'added' | 'removed') => {
    const r = rows.find((x) => x.kind === kind)
    return r === undefined ? null : { geometry: r.geometry, areaM2: r.m2 }
  }
  return { added: part('added'), removed: part('removed') }
}
