/**
 * Imports into a community's layers (issue 10), in SQL: geometry read from a file's GeoJSON or WKT
 * and transformed by PostGIS (any EPSG code its spatial_ref_sys holds), then checked, repaired and
 * written in one transaction. A dry run runs exactly the same statements and rolls them back, so
 * its counts are what the confirmed import does.
 *
 * Rows are matched to what is stored by (community, source, source_id): a new source_id is
 * inserted, a stored row whose fields or geometry differ is updated, an identical one left alone.
 */
import type postgres from 'postgres'
import { IMPORT_LIMITS, type ImportCounts, type ImportLayer, type ImportList } from '../contract.js'
import { ApiError } from '../errors.js'
import { audit } from './audit.js'
import { OVERLAP_TOLERANCE_M2 } from './plans.js'
import { GEOMETRY_KIND } from '../import/columns.js'
import type { Sql } from './connect.js'

type Tx = postgres.TransactionSql<{ bigint: number }>

/** True when PostGIS knows the EPSG code. */
export async function sridKnown(sql: Sql, srid: number): Promise<boolean> {
  const [row] = await sql<{ known: boolean }[]>`select exists (select 1 from spatial_ref_sys where srid = ${srid}) as known`
  return row?.known ?? false
}

/** Reads geometries (GeoJSON, WKT or hex WKB text in `srid`) as two-dimensional GeoJSON in EPSG:4326, by row; null when unreadable. */
export async function readGeometries(sql: Sql, items: { r: number; k: 'geojson' | 'wkt' | 'wkb'; t: string }[], srid: number): Promise<Map<number, string | null>> {
  if (items.length === 0) return new Map()
  const rows = await sql<{ r: number; gj: string | null }[]>`
    select (e ->> 'r')::int as r, ST_AsGeoJSON(safegrid_import_geometry(e ->> 'k', e ->> 't', ${srid}::int), 9) as gj
    from jsonb_array_elements(${sql.json(items as never)}::jsonb) as e`
  return new Map(rows.map((x) => [Number(x.r), x.gj]))
}

/** A row ready to write: its fields (the layer's columns), its geometry as GeoJSON in EPSG:4326. */
export interface StagedRow {
  row: number
  sourceId: string
  fields: Record<string, unknown>
  /** null: a layer without geometry (teams) */
  geojson: string | null
  /** incidents: the time as PostgreSQL reads it, and whether it is local wall-clock time */
  time?: { value: string; local: boolean }
}

/** Staged rows refused: reported as `found` says, and taken out of the import. */
async function refuse(tx: Tx, issues: GeometryIssue[], found: GeometryIssue[]): Promise<void> {
  issues.push(...found)
  if (found.length > 0) await tx`delete from import_staged where row = any(${found.map((f) => f.row)}::int[])`
}

export interface GeometryIssue {
  row: number
  code: 'wrong_geometry_type' | 'empty_geometry' | 'outside_boundary' | 'repaired' | 'code_taken' | 'zones_overlap' | 'name_taken' | 'unknown_team' | 'unknown_building' | 'ambiguous_building' | 'building_twice'
  actual?: string
  why?: string
  distance?: number
  value?: string
  /** building_twice: the row that has the building first */
  first?: number
}

export interface ApplyResult {
  issues: GeometryIssue[]
  counts: Pick<ImportCounts, 'new' | 'changed' | 'unchanged'>
  /** preview features as JSON text (at most IMPORT_LIMITS.features), and whether there were more */
  features: string[]
  truncated: boolean
  importId: number | null
}

export interface ApplyOptions {
  community: string
  layer: ImportLayer
  source: string
  rows: StagedRow[]
  dryRun: boolean
  /** rows already rejected before the database (a confirmed import then writes nothing) */
  rejectedBefore: number
  record: { userId: number | null; username: string | null; ip: string | null; fileName: string | null; format: string; crs: string; encoding: string | null; rowsRead: number }
}

class Rollback extends Error {
  constructor(readonly result: ApplyResult) {
    super('rollback')
  }
}

/**
 * Checks, repairs and writes the rows in one transaction; rolled back on a dry run, and when any row
 * is rejected (here or before). Polygons are made valid as the demo's seed does (ST_MakeValid,
 * polygons kept, as a MultiPolygon), a warning saying why; a wrong geometry type, an empty one or a
 * feature more than IMPORT_LIMITS.outsideM metres outside the boundary is rejected.
 */
export async function applyImport(sql: Sql, o: ApplyOptions): Promise<ApplyResult> {
  try {
    return await sql.begin(async (tx) => {
      const result = await stageAndWrite(tx, o)
      if (o.dryRun || o.rejectedBefore > 0 || result.issues.some((i) => i.code !== 'repaired')) throw new Rollback(result)
      const counts = result.counts
      const [rec] = await tx<{ id: number }[]>`
        insert into imports (community_id, user_id, username, file_name, layer, format, crs, encoding, source, rows_read, rows_valid, inserted, updated, unchanged)
        values (${o.community}, ${o.record.userId}, ${o.record.username}, ${o.record.fileName}, ${o.layer}, ${o.record.format}, ${o.record.crs}, ${o.record.encoding}, ${o.source},
                ${o.record.rowsRead}, ${o.rows.length}, ${counts.new}, ${counts.changed}, ${counts.unchanged})
        returning id`
      const importId = Number(rec!.id)
      await audit(tx as unknown as Sql, {
        community: o.community,
        userId: o.record.userId,
        username: o.record.username,
        ip: o.record.ip,
        action: 'import',
        entity: 'import',
        entityId: importId,
        after: { layer: o.layer, fileName: o.record.fileName, format: o.record.format, crs: o.record.crs, encoding: o.record.encoding, source: o.source, read: o.record.rowsRead, ...counts },
      })
      return { ...result, importId }
    })
  } catch (e) {
    if (e instanceof Rollback) return e.result
    // a rule of the tables the checks above did not foresee: still nothing was written
    const pg = e as { code?: string; constraint_name?: string; detail?: string }
    if (typeof pg.code === 'string' && pg.code.startsWith('23'))
      throw new ApiError('import_rejected', `the rows break a rule of the ${o.layer} table (${pg.constraint_name ?? pg.code}); nothing was imported`, { constraint: pg.constraint_name ?? null })
    throw e
  }
}

async function stageAndWrite(tx: Tx, o: ApplyOptions): Promise<ApplyResult> {
  const kind = GEOMETRY_KIND[o.layer]
  const polygon = kind === 'polygon'
  // ref: a route's team, a dispute's building; refs: a captain's buildings (ids in this community)
  await tx`
    create temp table import_staged (
      row integer primary key, source_id text not null, d jsonb not null, g geometry,
      occurred_at timestamptz, time_known boolean, status text, existing bigint, ref bigint, refs bigint[]
    ) on commit drop`
  await tx`
    insert into import_staged (row, source_id, d, g, occurred_at, time_known)
    select (e ->> 'row')::int, e ->> 'sourceId', e -> 'fields', case when jsonb_typeof(e -> 'geojson') = 'string' then ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(e ->> 'geojson'), 4326)) end,
           case when e -> 'time' is null or jsonb_typeof(e -> 'time') = 'null' then null
                when (e -> 'time' ->> 'local')::boolean then (e -> 'time' ->> 'value')::timestamp at time zone c.time_zone
                else (e -> 'time' ->> 'value')::timestamptz end,
           (e -> 'fields' ->> 'time_known')::boolean
    from jsonb_array_elements(${tx.json(o.rows as never)}::jsonb) as e
    cross join communities as c where c.id = ${o.community}`
  // a temporary table has no statistics until analysed: the joins below need them at 100,000 rows
  await tx`analyze import_staged`
  // The joins to the stored rows (by source id, then by the stored row's id) probe these indexes
  // whichever side the planner starts from: its estimate of a community's stored rows is stale
  // right after a large import, and a nested loop over a scan of this table was quadratic (a
  // 100,000-building import ran for more than 10 minutes on `npm run bench import`).
  await tx`create index on import_staged (source_id)`
  await tx`create index on import_staged (existing)`

  // geometry: the right type, made valid, not empty, not far outside the community
  const spatial = kind !== 'none'
  const typeOk =
    kind === 'polygon'
      ? tx`GeometryType(s.g) in ('POLYGON', 'MULTIPOLYGON')`
      : kind === 'line'
        ? tx`GeometryType(s.g) = 'LINESTRING' or (GeometryType(s.g) = 'MULTILINESTRING' and ST_NumGeometries(s.g) = 1)`
        : tx`GeometryType(s.g) = 'POINT' or (GeometryType(s.g) = 'MULTIPOINT' and ST_NumGeometries(s.g) = 1)`
  const issues: GeometryIssue[] = !spatial ? [] : await tx<GeometryIssue[]>`
    with c as (select boundary, metric_srid as srid from communities where id = ${o.community}),
    checked as (
      select s.row, GeometryType(s.g) as actual,
             ${typeOk} as type_ok,
             ST_IsValid(s.g) as valid,
             case when not ST_IsValid(s.g) then ST_IsValidReason(s.g) end as why
      from import_staged as s
    ),
    fixed as (
      update import_staged as s
      set g = ${polygon ? tx`ST_Multi(ST_CollectionExtract(ST_MakeValid(s.g), 3))` : tx`ST_GeometryN(s.g, 1)`}
      from checked as k where k.row = s.row and k.type_ok
      returning s.row, s.g
    ),
    placed as (
      select f.row, ST_IsEmpty(f.g) ${kind === 'line' ? tx`or not ST_IsValid(f.g) or ST_Length(f.g) = 0` : tx``} as empty,
             case when ST_IsEmpty(f.g) or ST_Intersects(c.boundary, f.g) then 0
                  else ST_Distance(ST_Transform(f.g, c.srid), ST_Transform(c.boundary, c.srid)) end as outside
      from fixed as f cross join c
    )
    select k.row, 'wrong_geometry_type' as code, k.actual, null as why, null::float8 as distance from checked as k where not k.type_ok
    union all
    select p.row, 'empty_geometry', null, null, null from placed as p where p.empty
    union all
    select p.row, 'outside_boundary', null, null, round(p.outside::numeric)::float8 from placed as p where not p.empty and p.outside > ${IMPORT_LIMITS.outsideM}
    union all
    select k.row, 'repaired', null, k.why, null from checked as k join placed as p using (row) where k.type_ok and not k.valid and not p.empty
    order by 1, 2`
  const bad = new Set(issues.filter((i) => i.code !== 'repaired').map((i) => Number(i.row)))
  if (bad.size > 0) await tx`delete from import_staged where row = any(${[...bad]}::int[])`

  if (o.layer === 'zones') {
    // as a planner's zone (db/plans.ts): clipped to the community, and overlapping no other zone
    await tx`
      update import_staged as s set g = ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Intersection(s.g, c.boundary)), 3))
      from communities as c where c.id = ${o.community} and not ST_CoveredBy(s.g, c.boundary)`
    const clipped = await tx<{ row: number }[]>`delete from import_staged where ST_IsEmpty(g) returning row`
    for (const r of clipped) issues.push({ row: Number(r.row), code: 'empty_geometry' })
    const overlaps = await tx<{ row: number; value: string; m2: number }[]>`
      with c as (select metric_srid as srid from communities where id = ${o.community}),
      others as (
        select s.row, z.code, ST_Area(ST_Transform(ST_CollectionExtract(ST_Intersection(s.g, z.geom), 3), c.srid)) as m2
        from import_staged as s cross join c
        join grid_zones as z on z.community_id = ${o.community} and z.geom && s.g and ST_Intersects(z.geom, s.g)
        where (z.source, z.source_id) is distinct from (${o.source}::text, s.source_id)
          and not exists (select 1 from import_staged as r where r.d ->> 'code' = z.code and (z.source, z.source_id) is not distinct from (${o.source}::text, r.source_id))
        union all
        select s.row, e.d ->> 'code', ST_Area(ST_Transform(ST_CollectionExtract(ST_Intersection(s.g, e.g), 3), c.srid))
        from import_staged as s cross join c
        join import_staged as e on e.row < s.row and e.g && s.g and ST_Intersects(e.g, s.g)
      )
      select row, string_agg(code, ', ' order by code) as value, round(sum(m2)::numeric)::float8 as m2
      from others where m2 > ${OVERLAP_TOLERANCE_M2} group by row order by row`
    await refuse(tx, issues, overlaps.map((x) => ({ row: Number(x.row), code: 'zones_overlap', value: x.value, distance: x.m2 })))
    const taken = await tx<{ row: number; value: string }[]>`
      select s.row, s.d ->> 'code' as value from import_staged as s
      join grid_zones as z on z.community_id = ${o.community} and z.code = s.d ->> 'code'
      where (z.source, z.source_id) is distinct from (${o.source}::text, s.source_id)`
    await refuse(tx, issues, taken.map((t) => ({ row: Number(t.row), code: 'code_taken', value: t.value })))
  }
  if (o.layer === 'teams') {
    const taken = await tx<{ row: number; value: string }[]>`
      select s.row, s.d ->> 'name' as value from import_staged as s
      join patrol_teams as t on t.community_id = ${o.community} and t.name = s.d ->> 'name'
      where (t.source, t.source_id) is distinct from (${o.source}::text, s.source_id)`
    await refuse(tx, issues, taken.map((t) => ({ row: Number(t.row), code: 'name_taken', value: t.value })))
  }

  if (o.layer === 'routes' || o.layer === 'zones') {
    // the team: by its id in the team file (under this source first), else by its name (a zone may have none)
    await tx`
      update import_staged as s set ref = coalesce(
        (select t.id from patrol_teams as t where t.community_id = ${o.community} and t.source_id = s.d ->> 'team_id'
         order by (t.source = ${o.source}) desc, t.id limit 1),
        (select t.id from patrol_teams as t where t.community_id = ${o.community}
           and (t.name = s.d ->> 'team' or t.names ->> 'zh' = s.d ->> 'team' or t.names ->> 'en' = s.d ->> 'team')
         order by (t.name = s.d ->> 'team') desc, t.id limit 1))`
    const unknown = await tx<{ row: number; value: string }[]>`
      select row, concat_ws(' / ', d ->> 'team_id', d ->> 'team') as value from import_staged
      where ref is null ${o.layer === 'zones' ? tx`and (d ->> 'team_id' is not null or d ->> 'team' is not null)` : tx``} order by row`
    await refuse(tx, issues, unknown.map((u) => ({ row: Number(u.row), code: 'unknown_team', value: u.value })))
  }
  if (o.layer === 'captains' || o.layer === 'disputes') {
    // buildings: by their id in the building file (under this source first), else by an address only one building has
    const list = o.layer === 'captains' ? tx`jsonb_array_elements_text(coalesce(s.d -> 'building_ids', '[]'::jsonb))` : tx`jsonb_array_elements_text(case when s.d ->> 'building' is null then '[]'::jsonb else jsonb_build_array(s.d ->> 'building') end)`
    const found = await tx<{ row: number; token: string; id: number | null; n: number }[]>`
      with tok as (select s.row, t.token, t.ord from import_staged as s cross join lateral ${list} with ordinality as t(token, ord)),
      by_id as (
        select distinct on (tok.row, tok.ord) tok.row, tok.ord, b.id from tok
        join buildings as b on b.community_id = ${o.community} and b.source_id = tok.token
        order by tok.row, tok.ord, (b.source = ${o.source}) desc, b.id),
      by_address as (
        select tok.row, tok.ord, min(b.id) as id, count(*)::int as n from tok
        join buildings as b on b.community_id = ${o.community} and b.address = tok.token
        group by tok.row, tok.ord)
      select tok.row, tok.token, coalesce(i.id, case when a.n = 1 then a.id end) as id, case when i.id is not null then 1 else coalesce(a.n, 0) end as n
      from tok left join by_id as i using (row, ord) left join by_address as a using (row, ord)
      order by tok.row, tok.ord`
    const bad: GeometryIssue[] = found
      .filter((f) => f.id === null)
      .map((f) => ({ row: Number(f.row), code: f.n > 1 ? 'ambiguous_building' : 'unknown_building', value: f.token.slice(0, 60) }))
    // a building has one captain: two rows of the file may not both have it
    const owner = new Map<number, { row: number; token: string }>()
    for (const f of found) {
      if (f.id === null || o.layer !== 'captains') continue
      const first = owner.get(Number(f.id))
      if (first === undefined) owner.set(Number(f.id), { row: Number(f.row), token: f.token })
      else if (first.row !== Number(f.row)) bad.push({ row: Number(f.row), code: 'building_twice', value: f.token.slice(0, 60), first: first.row })
    }
    const ids = new Map<number, number[]>()
    for (const f of found) if (f.id !== null) ids.set(Number(f.row), [...(ids.get(Number(f.row)) ?? []), Number(f.id)])
    await tx`
      update import_staged as s set refs = coalesce(x.ids, '{}'), ref = x.ids[1]
      from (select s2.row, (select array_agg(distinct v::bigint order by v::bigint) from jsonb_array_elements_text(m.ids) as v) as ids
            from import_staged as s2 left join jsonb_each(${tx.json(Object.fromEntries(ids) as never)}::jsonb) as m(k, ids) on m.k::int = s2.row) as x
      where x.row = s.row`
    await refuse(tx, issues, bad)
  }

  // new, changed or unchanged against what is stored under the same (source, source_id)
  const table = TABLE[o.layer]
  await tx`
    update import_staged as s set existing = t.id, status = case when ${SAME[o.layer](tx)} then 'unchanged' else 'changed' end
    from ${tx(table)} as t
    where t.community_id = ${o.community} and t.source = ${o.source} and t.source_id = s.source_id`
  await tx`update import_staged set status = 'new' where status is null`
  const [tally] = await tx<{ new: number; changed: number; unchanged: number }[]>`
    select count(*) filter (where status = 'new')::int as new, count(*) filter (where status = 'changed')::int as changed,
           count(*) filter (where status = 'unchanged')::int as unchanged
    from import_staged`
  const featureRows = !spatial ? [] : await tx<{ f: string }[]>`
    select json_build_object('type', 'Feature', 'geometry', ST_AsGeoJSON(g, 7)::json,
             'properties', d - 'time_known' || jsonb_build_object('row', row, 'status', status, 'sourceId', source_id)
                           || case when occurred_at is null then '{}'::jsonb else jsonb_build_object('occurredAt', occurred_at, 'timeKnown', time_known) end)::text as f
    from import_staged order by row limit ${IMPORT_LIMITS.features + 1}`

  await WRITE[o.layer](tx, o.community, o.source)
  return {
    issues: issues.map((i) => ({ ...i, row: Number(i.row) })),
    counts: { new: tally!.new, changed: tally!.changed, unchanged: tally!.unchanged },
    features: featureRows.slice(0, IMPORT_LIMITS.features).map((r) => r.f),
    truncated: featureRows.length > IMPORT_LIMITS.features,
    importId: null,
  }
}

const TABLE: Record<ImportLayer, string> = {
  buildings: 'buildings',
  zones: 'grid_zones',
  incidents: 'incidents',
  teams: 'patrol_teams',
  routes: 'patrol_routes',
  captains: 'captains',
  disputes: 'disputes',
}

const int = (tx: Tx, k: string) => tx`(s.d ->> ${k})::int`
const txt = (tx: Tx, k: string) => tx`s.d ->> ${k}`
/** zh/en names of a zone row */
const names = (tx: Tx) => tx`jsonb_strip_nulls(jsonb_build_object('zh', s.d ->> 'name_zh', 'en', s.d ->> 'name_en'))`

/** "the stored row t equals the staged row s" per layer: every imported field and the exact geometry. */
const SAME: Record<ImportLayer, (tx: Tx) => postgres.PendingQuery<postgres.Row[]>> = {
  buildings: (tx) =>
    tx`(t.name, t.address, t.households, t.residents, t.floors) is not distinct from (${txt(tx, 'name')}, ${txt(tx, 'address')}, ${int(tx, 'households')}, ${int(tx, 'residents')}, ${int(tx, 'floors')})
       and ST_AsBinary(t.geom) = ST_AsBinary(s.g)`,
  zones: (tx) =>
    tx`(t.code, t.name, t.grid_worker, t.names, t.patrol_team_id) is not distinct from (${txt(tx, 'code')}, ${txt(tx, 'name')}, ${txt(tx, 'grid_worker')}, ${names(tx)}, s.ref)
       and ST_AsBinary(t.geom) = ST_AsBinary(s.g)`,
  incidents: (tx) =>
    tx`(t.category, t.description, t.address, t.status, t.occurred_at, t.time_known) is not distinct from
       (${txt(tx, 'category')}, ${txt(tx, 'description')}, ${txt(tx, 'address')}, ${txt(tx, 'status')}, s.occurred_at, s.time_known)
       and ST_AsBinary(t.geom) = ST_AsBinary(s.g)`,
  teams: (tx) =>
    tx`(t.name, t.kind, t.members, t.phone, t.names) is not distinct from (${txt(tx, 'name')}, ${txt(tx, 'kind')}, coalesce(${int(tx, 'members')}, 0), ${txt(tx, 'phone')}, ${names(tx)})`,
  routes: (tx) =>
    tx`(t.name, t.names, t.team_id, t.reach_m) is not distinct from (${txt(tx, 'name')}, ${names(tx)}, s.ref, ${reach(tx)})
       and ST_AsBinary(t.geom) = ST_AsBinary(s.g)
       and (select coalesce(string_agg(k, ';' order by k collate "C"), '') from (select ${storedShiftKey(tx, 'ps')} as k from patrol_shifts as ps where ps.community_id = t.community_id and ps.route_id = t.id) as x)
         = (select coalesce(string_agg(k, ';' order by k collate "C"), '') from (select ${stagedShiftKey(tx, 'e')} as k from jsonb_array_elements(coalesce(s.d -> 'shifts', '[]'::jsonb)) as e) as y)`,
  captains: (tx) =>
    tx`(t.name, t.names, t.phone, t.active) is not distinct from (${txt(tx, 'name')}, ${names(tx)}, ${txt(tx, 'phone')}, (s.d ->> 'active')::boolean)
       and array(select cb.building_id from captain_buildings as cb where cb.community_id = t.community_id and cb.captain_id = t.id order by 1) = s.refs`,
  disputes: (tx) =>
    tx`(t.kind, t.topic, t.status, t.level, t.found_how, t.description, t.mediator, t.building_id, t.reported_at, t.mediation_started_at, t.ended_at) is not distinct from
       (${txt(tx, 'kind')}, ${txt(tx, 'topic')}, ${txt(tx, 'status')}, ${txt(tx, 'level')}, ${txt(tx, 'found_how')}, ${txt(tx, 'description')}, ${txt(tx, 'mediator')}, s.ref,
        ${time(tx, 'reported_at')}, ${time(tx, 'mediation_started_at')}, ${time(tx, 'ended_at')})
       and ST_AsBinary(t.geom) = ST_AsBinary(s.g)`,
}

/** A route's reach: as the file says, else the table's default of 100 m. */
const reach = (tx: Tx) => tx`coalesce((s.d ->> 'reach_m')::float8, 100)`
/** An instant of a dispute (ISO text made in import/run.ts). */
const time = (tx: Tx, k: string) => tx`(s.d ->> ${k})::timestamptz`
/** A stored shift `alias` as text: sorted days, start, end ("1,2,3 22:00 02:00"). */
const storedShiftKey = (tx: Tx, alias: string) =>
  tx`(select string_agg(x::text, ',' order by x) from unnest(${tx(alias)}.days) as x) || ' ' || to_char(${tx(alias)}.start_time, 'HH24:MI') || ' ' || to_char(${tx(alias)}.end_time, 'HH24:MI')`
/** A shift of a file (jsonb `alias`: days, start, end) as the same text. */
const stagedShiftKey = (tx: Tx, alias: string) =>
  tx`(select string_agg(x, ',' order by x::int) from jsonb_array_elements_text(${tx(alias)} -> 'days') as x) || ' ' || (${tx(alias)} ->> 'start') || ' ' || (${tx(alias)} ->> 'end')`

/** Inserts the new rows and updates the changed ones. */
const WRITE: Record<ImportLayer, (tx: Tx, community: string, source: string) => Promise<void>> = {
  async buildings(tx, community, source) {
    await tx`
      insert into buildings (community_id, name, address, households, residents, floors, geom, source, source_id)
      select ${community}, ${txt(tx, 'name')}, ${txt(tx, 'address')}, ${int(tx, 'households')}, ${int(tx, 'residents')}, ${int(tx, 'floors')}, s.g, ${source}, s.source_id
      from import_staged as s where s.status = 'new' order by s.row`
    await tx`
      update buildings as t set name = ${txt(tx, 'name')}, address = ${txt(tx, 'address')}, households = ${int(tx, 'households')},
             residents = ${int(tx, 'residents')}, floors = ${int(tx, 'floors')}, geom = case when ST_AsBinary(t.geom) = ST_AsBinary(s.g) then t.geom else s.g end
      from import_staged as s where s.status = 'changed' and t.community_id = ${community} and t.id = s.existing`
  },
  async zones(tx, community, source) {
    await tx`
      insert into grid_zones (community_id, code, name, names, grid_worker, patrol_team_id, geom, source, source_id)
      select ${community}, ${txt(tx, 'code')}, ${txt(tx, 'name')}, ${names(tx)}, ${txt(tx, 'grid_worker')}, s.ref, s.g, ${source}, s.source_id
      from import_staged as s where s.status = 'new' order by s.row`
    await tx`
      update grid_zones as t set code = ${txt(tx, 'code')}, name = ${txt(tx, 'name')}, names = ${names(tx)}, grid_worker = ${txt(tx, 'grid_worker')}, patrol_team_id = s.ref,
             geom = case when ST_AsBinary(t.geom) = ST_AsBinary(s.g) then t.geom else s.g end, version = t.version + 1
      from import_staged as s where s.status = 'changed' and t.community_id = ${community} and t.id = s.existing`
  },
  async teams(tx, community, source) {
    await tx`
      insert into patrol_teams (community_id, name, names, kind, members, phone, source, source_id)
      select ${community}, ${txt(tx, 'name')}, ${names(tx)}, ${txt(tx, 'kind')}, coalesce(${int(tx, 'members')}, 0), ${txt(tx, 'phone')}, ${source}, s.source_id
      from import_staged as s where s.status = 'new' order by s.row`
    await tx`
      update patrol_teams as t set name = ${txt(tx, 'name')}, names = ${names(tx)}, kind = ${txt(tx, 'kind')}, members = coalesce(${int(tx, 'members')}, 0),
             phone = ${txt(tx, 'phone')}, version = t.version + 1
      from import_staged as s where s.status = 'changed' and t.community_id = ${community} and t.id = s.existing`
  },
  async routes(tx, community, source) {
    await tx`
      insert into patrol_routes (community_id, team_id, name, names, geom, reach_m, source, source_id)
      select ${community}, s.ref, ${txt(tx, 'name')}, ${names(tx)}, s.g, ${reach(tx)}, ${source}, s.source_id
      from import_staged as s where s.status = 'new' order by s.row`
    await tx`
      update patrol_routes as t set name = ${txt(tx, 'name')}, names = ${names(tx)}, team_id = s.ref, reach_m = ${reach(tx)},
             geom = case when ST_AsBinary(t.geom) = ST_AsBinary(s.g) then t.geom else s.g end, version = t.version + 1
      from import_staged as s where s.status = 'changed' and t.community_id = ${community} and t.id = s.existing`
    // the shifts become the file's: one the same as the file's stays (its id and the members who walk it), as the planning API does
    const routes = tx`
      select s.d, r.id as route_id from import_staged as s
      join patrol_routes as r on r.community_id = ${community} and r.source = ${source} and r.source_id = s.source_id
      where s.status in ('new', 'changed')`
    await tx`
      delete from patrol_shifts as ps using (${routes}) as r
      where ps.community_id = ${community} and ps.route_id = r.route_id
        and (not exists (select 1 from jsonb_array_elements(coalesce(r.d -> 'shifts', '[]'::jsonb)) as e where ${stagedShiftKey(tx, 'e')} = ${storedShiftKey(tx, 'ps')})
             or exists (select 1 from patrol_shifts as p2 where p2.community_id = ps.community_id and p2.route_id = ps.route_id and p2.id < ps.id
                          and ${storedShiftKey(tx, 'p2')} = ${storedShiftKey(tx, 'ps')}))`
    await tx`
      insert into patrol_shifts (community_id, route_id, days, start_time, end_time)
      select ${community}, r.route_id, array(select x::smallint from jsonb_array_elements_text(e -> 'days') as x order by x::int), (e ->> 'start')::time, (e ->> 'end')::time
      from (${routes}) as r cross join lateral jsonb_array_elements(coalesce(r.d -> 'shifts', '[]'::jsonb)) as e
      where not exists (select 1 from patrol_shifts as ps where ps.community_id = ${community} and ps.route_id = r.route_id and ${storedShiftKey(tx, 'ps')} = ${stagedShiftKey(tx, 'e')})
      order by r.route_id, 4, 5`
  },
  async captains(tx, community, source) {
    await tx`
      insert into captains (community_id, name, names, phone, active, source, source_id)
      select ${community}, ${txt(tx, 'name')}, ${names(tx)}, ${txt(tx, 'phone')}, (s.d ->> 'active')::boolean, ${source}, s.source_id
      from import_staged as s where s.status = 'new' order by s.row`
    await tx`
      update captains as t set name = ${txt(tx, 'name')}, names = ${names(tx)}, phone = ${txt(tx, 'phone')}, active = (s.d ->> 'active')::boolean, version = t.version + 1
      from import_staged as s where s.status = 'changed' and t.community_id = ${community} and t.id = s.existing`
    // the buildings become the file's; a building another captain had moves to this one (a building has one captain, as in planning)
    const captains = tx`
      select s.refs, c.id from import_staged as s
      join captains as c on c.community_id = ${community} and c.source = ${source} and c.source_id = s.source_id
      where s.status in ('new', 'changed')`
    await tx`delete from captain_buildings as cb using (${captains}) as k where cb.community_id = ${community} and cb.captain_id = k.id and not cb.building_id = any(k.refs)`
    await tx`delete from captain_buildings as cb using (${captains}) as k where cb.community_id = ${community} and cb.building_id = any(k.refs) and cb.captain_id <> k.id`
    await tx`
      insert into captain_buildings (community_id, captain_id, building_id)
      select ${community}, k.id, b from (${captains}) as k cross join unnest(k.refs) as b
      on conflict do nothing`
  },
  async disputes(tx, community, source) {
    await tx`
      insert into disputes (community_id, building_id, geom, kind, topic, reported_at, status, level, found_how, description, mediator, mediation_started_at, ended_at, source, source_id)
      select ${community}, s.ref, s.g, ${txt(tx, 'kind')}, ${txt(tx, 'topic')}, ${time(tx, 'reported_at')}, ${txt(tx, 'status')}, ${txt(tx, 'level')}, ${txt(tx, 'found_how')},
             ${txt(tx, 'description')}, ${txt(tx, 'mediator')}, ${time(tx, 'mediation_started_at')}, ${time(tx, 'ended_at')}, ${source}, s.source_id
      from import_staged as s where s.status = 'new' order by s.row`
    await tx`
      update disputes as t set building_id = s.ref, geom = case when ST_AsBinary(t.geom) = ST_AsBinary(s.g) then t.geom else s.g end, kind = ${txt(tx, 'kind')},
             topic = ${txt(tx, 'topic')}, reported_at = ${time(tx, 'reported_at')}, status = ${txt(tx, 'status')}, level = ${txt(tx, 'level')},
             found_how = ${txt(tx, 'found_how')}, description = ${txt(tx, 'description')}, mediator = ${txt(tx, 'mediator')},
             mediation_started_at = ${time(tx, 'mediation_started_at')}, ended_at = ${time(tx, 'ended_at')}, version = t.version + 1, updated_at = now()
      from import_staged as s where s.status = 'changed' and t.community_id = ${community} and t.id = s.existing`
  },
  async incidents(tx, community, source) {
    await tx`
      insert into incidents (community_id, category, description, occurred_at, time_known, geom, address, status, source, source_id)
      select ${community}, ${txt(tx, 'category')}, ${txt(tx, 'description')}, s.occurred_at, s.time_known, s.g, ${txt(tx, 'address')}, ${txt(tx, 'status')}, ${source}, s.source_id
      from import_staged as s where s.status = 'new' order by s.row`
    await tx`
      update incidents as t set category = ${txt(tx, 'category')}, description = ${txt(tx, 'description')}, occurred_at = s.occurred_at, time_known = s.time_known,
             geom = case when ST_AsBinary(t.geom) = ST_AsBinary(s.g) then t.geom else s.g end, address = ${txt(tx, 'address')}, status = ${txt(tx, 'status')}
      from import_staged as s where s.status = 'changed' and t.community_id = ${community} and t.id = s.existing`
  },
}

/** The community's imports, newest first. */
export async function listImports(sql: Sql, community: string, limit: number): Promise<ImportList['imports']> {
  const rows = await sql<{ id: number; at: string; username: string | null; fileName: string | null; layer: string; format: string; crs: string; encoding: string | null; source: string; rowsRead: number; rowsValid: number; inserted: number; updated: number; unchanged: number }[]>`
    select id, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, username, file_name, layer, format, crs, encoding, source,
           rows_read, rows_valid, inserted, updated, unchanged
    from imports where community_id = ${community} order by id desc limit ${limit}`
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    username: r.username,
    fileName: r.fileName,
    layer: r.layer,
    format: r.format,
    crs: r.crs,
    encoding: r.encoding,
    source: r.source,
    counts: { read: r.rowsRead, valid: r.rowsValid, rejected: r.rowsRead - r.rowsValid, new: r.inserted, changed: r.updated, unchanged: r.unchanged },
  }))
}
