/**
 * Care files (帮教档案, issue 12): people under community assistance after prison or compulsory
 * rehabilitation — the most sensitive records in the system. Only admins and the care role read
 * them (access.ts), and **every read is audited** in the same transaction as the read: if the audit
 * row cannot be written, nothing is answered. They appear in no layer, tile, search or export;
 * everyone else gets counts per zone, suppressed below PEOPLE_LIMITS.careMinCount.
 */
import { PEOPLE_LIMITS, type CareCounts, type CareFile } from '../contract.js'
import { ApiError } from '../errors.js'
import { audit } from './audit.js'
import type { Sql } from './connect.js'
import type { Fragment } from './layers.js'
import type { Editor } from './plans.js'

/** A care file's fields as written (CareFileCreateSchema). */
export interface CareInput {
  personName?: string
  buildingId?: number | null
  address?: string | null
  helpers?: string[]
  periodStart?: string
  periodEnd?: string | null
  difficulties?: string | null
  helpGiven?: string | null
  riskLevel?: string
}

const editorOf = (who: Editor) => ({ userId: who.userId, username: who.username, ip: who.ip })

function careJson(sql: Sql, detail: boolean): Fragment {
  return sql`(jsonb_build_object(
    'id', f.id, 'personName', f.person_name, 'buildingId', f.building_id,
    'address', coalesce(f.address, (select b.address from buildings as b where b.community_id = f.community_id and b.id = f.building_id)),
    'zoneId', b.zone_id, 'zoneCode', (select z.code from grid_zones as z where z.community_id = f.community_id and z.id = b.zone_id),
    'helpers', f.helpers, 'periodStart', to_char(f.period_start, 'YYYY-MM-DD'), 'periodEnd', to_char(f.period_end, 'YYYY-MM-DD'),
    'difficulties', f.difficulties, 'helpGiven', f.help_given, 'riskLevel', f.risk_level, 'version', f.version, 'isSample', f.is_sample)
    ${detail
      ? sql`|| jsonb_build_object('visits', coalesce((select jsonb_agg(jsonb_build_object('id', v.id, 'visitedOn', to_char(v.visited_on, 'YYYY-MM-DD'),
             'visitor', v.visitor, 'notes', v.notes, 'isSample', v.is_sample) order by v.visited_on desc, v.id desc)
             from care_visits as v where v.community_id = f.community_id and v.care_file_id = f.id), '[]'::jsonb))`
      : sql``})`
}

const files = (sql: Sql, community: string) =>
  sql`care_files as f left join buildings as b on b.community_id = f.community_id and b.id = f.building_id where f.community_id = ${community}`

/** One care file with its visits (null when there is none), without auditing: for writes' before/after. */
async function fileOf(sql: Sql, community: string, id: number): Promise<CareFile | null> {
  const [row] = await sql<{ row: CareFile }[]>`select ${careJson(sql, true)} as row from ${files(sql, community)} and f.id = ${id}`
  return row?.row ?? null
}

/** Reads one care file and audits the read (who, when, which file); null (and still audited) when there is none. */
export async function readCareFile(sql: Sql, community: string, id: number, who: Editor): Promise<CareFile | null> {
  return (await sql.begin(async (raw) => {
    const tx = raw as unknown as Sql
    const file = await fileOf(tx, community, id)
    await audit(tx, { community, ...editorOf(who), action: 'care_file_read', entity: 'care_file', entityId: id, before: null, after: { found: file !== null } })
    return file
  })) as CareFile | null
}

/** Lists care files (by zone, risk level) and audits the read with the ids answered. */
export async function listCareFiles(
  sql: Sql,
  community: string,
  q: { zoneId: number | null; riskLevels: string[] | null; limit: number; offset: number },
  who: Editor,
): Promise<{ files: CareFile[]; total: number }> {
  return (await sql.begin(async (raw) => {
    const tx = raw as unknown as Sql
    const where = tx`${q.zoneId ? tx`and b.zone_id = ${q.zoneId}` : tx``} ${q.riskLevels ? tx`and f.risk_level = any(${q.riskLevels}::text[])` : tx``}`
    const rows = await tx<{ row: CareFile }[]>`select ${careJson(tx, false)} as row from ${files(tx, community)} ${where} order by f.id limit ${q.limit} offset ${q.offset}`
    const [{ n }] = (await tx`select count(*)::int as n from ${files(tx, community)} ${where}`) as unknown as [{ n: number }]
    const list = rows.map((r) => r.row)
    await audit(tx, {
      community,
      ...editorOf(who),
      action: 'care_files_listed',
      entity: 'care_file',
      entityId: null,
      before: null,
      after: { ids: list.map((f) => f.id), zoneId: q.zoneId, riskLevels: q.riskLevels, limit: q.limit, offset: q.offset },
    })
    return { files: list, total: n }
  })) as { files: CareFile[]; total: number }
}

/**
 * Care files per zone for everyone: a zone's count is null below the minimum (0, 1 and 2 alike);
 * the total is null below the minimum too, and whenever the suppressed zones hold 1 or 2 files
 * between them (the total less the shown counts would give them away). Files in no zone count in
 * the total only.
 */
export async function careCounts(sql: Sql, community: string): Promise<CareCounts> {
  const min = PEOPLE_LIMITS.careMinCount
  const rows = await sql<{ zoneId: number; zoneCode: string; n: number }[]>`
    select z.id as zone_id, z.code as zone_code, count(f.id)::int as n
    from grid_zones as z
    left join buildings as b on b.community_id = z.community_id and b.zone_id = z.id
    left join care_files as f on f.community_id = b.community_id and f.building_id = b.id
    where z.community_id = ${community}
    group by z.id, z.code order by z.id`
  const [{ total }] = (await sql`select count(*)::int as total from care_files where community_id = ${community}`) as unknown as [{ total: number }]
  const zones = rows.map((r) => ({ zoneId: Number(r.zoneId), zoneCode: r.zoneCode, count: r.n >= min ? r.n : null }))
  const hidden = total - zones.reduce((s, z) => s + (z.count ?? 0), 0)
  return { minCount: min, zones, total: total >= min && (hidden === 0 || hidden >= min) ? total : null }
}

async function mustHaveBuilding(sql: Sql, community: string, id: number | null | undefined): Promise<void> {
  if (!id) return
  const [b] = await sql`select 1 from buildings where community_id = ${community} and id = ${id}`
  if (!b) throw new ApiError('invalid_parameter', `buildingId: no such building: ${id}`, { field: 'buildingId' })
}

const periodError = (e: unknown): never => {
  if ((e as { code?: string }).code === '23514') throw new ApiError('invalid_parameter', 'periodEnd: the assistance period ends on or after its start', { field: 'periodEnd' })
  throw e
}

/** Creates a care file and audits it. */
export async function createCareFile(sql: Sql, community: string, input: CareInput, who: Editor): Promise<CareFile> {
  return (await sql.begin(async (raw) => {
    const tx = raw as unknown as Sql
    await mustHaveBuilding(tx, community, input.buildingId)
    const [row] = await tx<{ id: number }[]>`
      insert into care_files (community_id, person_name, building_id, address, helpers, period_start, period_end, difficulties, help_given, risk_level)
      values (${community}, ${input.personName!}, ${input.buildingId ?? null}, ${input.address ?? null}, ${tx.json((input.helpers ?? []) as never)},
              ${input.periodStart!}::date, ${input.periodEnd ?? null}::date, ${input.difficulties ?? null}, ${input.helpGiven ?? null}, ${input.riskLevel!})
      returning id`.catch(periodError)
    const id = Number(row!.id)
    const after = (await fileOf(tx, community, id))!
    await audit(tx, { community, ...editorOf(who), action: 'care_file_created', entity: 'care_file', entityId: id, before: null, after })
    return after
  })) as CareFile
}

/** Changes a care file made on `version` (404, 409 version_conflict with details.current, 400). */
export async function changeCareFile(sql: Sql, community: string, id: number, version: number, input: CareInput, who: Editor): Promise<CareFile> {
  return (await sql.begin(async (raw) => {
    const tx = raw as unknown as Sql
    await tx`select 1 from care_files where community_id = ${community} and id = ${id} for update`
    const before = await fileOf(tx, community, id)
    if (!before) throw new ApiError('not_found', `care file ${id} does not exist in community "${community}"`, { entity: 'care_file', id })
    if (before.version !== version) throw new ApiError('version_conflict', `care file ${id} was changed meanwhile: version ${before.version}, not ${version}`, { entity: 'care_file', id, current: before })
    if (Object.keys(input).length === 0) throw new ApiError('invalid_parameter', `the change of care file ${id} sets nothing`, { entity: 'care_file', id })
    await mustHaveBuilding(tx, community, input.buildingId)
    const h = (k: keyof CareInput) => input[k] !== undefined
    const sets: Fragment[] = [
      ...(h('personName') ? [tx`person_name = ${input.personName!}`] : []),
      ...(h('buildingId') ? [tx`building_id = ${input.buildingId ?? null}`] : []),
      ...(h('address') ? [tx`address = ${input.address ?? null}`] : []),
      ...(h('helpers') ? [tx`helpers = ${tx.json(input.helpers as never)}`] : []),
      ...(h('periodStart') ? [tx`period_start = ${input.periodStart!}::date`] : []),
      ...(h('periodEnd') ? [tx`period_end = ${input.periodEnd ?? null}::date`] : []),
      ...(h('difficulties') ? [tx`difficulties = ${input.difficulties ?? null}`] : []),
      ...(h('helpGiven') ? [tx`help_given = ${input.helpGiven ?? null}`] : []),
      ...(h('riskLevel') ? [tx`risk_level = ${input.riskLevel!}`] : []),
      tx`version = version + 1`,
      tx`updated_at = now()`,
    ]
    await tx`update care_files set ${sets.reduce((a, b) => tx`${a}, ${b}`)} where community_id = ${community} and id = ${id}`.catch(periodError)
    const after = (await fileOf(tx, community, id))!
    await audit(tx, { community, ...editorOf(who), action: 'care_file_updated', entity: 'care_file', entityId: id, before, after })
    return after
  })) as CareFile
}

/** Records a visit to a person with a care file (404 when there is no such file). */
export async function addCareVisit(sql: Sql, community: string, id: number, input: { visitedOn: string; visitor: string; notes?: string | null }, who: Editor) {
  return sql.begin(async (raw) => {
    const tx = raw as unknown as Sql
    const [f] = await tx`select 1 from care_files where community_id = ${community} and id = ${id} for update`
    if (!f) throw new ApiError('not_found', `care file ${id} does not exist in community "${community}"`, { entity: 'care_file', id })
    const [row] = await tx<{ id: number }[]>`
      insert into care_visits (community_id, care_file_id, visited_on, visitor, notes) values (${community}, ${id}, ${input.visitedOn}::date, ${input.visitor}, ${input.notes ?? null})
      returning id`
    const visit = { id: Number(row!.id), visitedOn: input.visitedOn, visitor: input.visitor, notes: input.notes ?? null, isSample: false }
    await audit(tx, { community, ...editorOf(who), action: 'care_visit_created', entity: 'care_file', entityId: id, before: null, after: { visit } })
    return visit
  })
}
