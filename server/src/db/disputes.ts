/**
 * Disputes and their mediation (issue 12, migration 00011): records, the lifecycle
 * reported → mediating → agreed | failed | referred with the level handling each dispute and the
 * date of each step, follow-up visits after an agreement, escalations (越级) and petitions (上访).
 *
 * Writes run in one transaction with their audit row (before and after); a change names the
 * version it was made on (409 version_conflict with the current row otherwise). Parties (names and
 * contact) are read only for roles with `disputeParties`; others get `parties: null`.
 */
import {
  COMMUNITY_LEVELS,
  DISPUTE_TRANSITIONS,
  isDateOnly,
  PEOPLE_LIMITS,
  REFERRAL_LEVELS,
  type Dispute,
  type DisputeDeadline,
  type DisputeDeadlineInput,
  type DisputePatch,
  type DisputeStatus,
  type Escalation,
} from '../contract.js'
import { ApiError } from '../errors.js'
import { audit } from './audit.js'
import type { Sql } from './connect.js'
import type { Fragment } from './layers.js'
import type { Editor } from './plans.js'

/** A period of local days or instants: `from`/`to` as the shared filters take them (null: open). */
export interface Period {
  from: string | null
  to: string | null
}

/** The instant a period starts (inclusive), as SQL, in a community of time zone `tz`; null when open. */
export const periodStart = (sql: Sql, p: Period, tz: Fragment): Fragment | null =>
  p.from === null ? null : isDateOnly(p.from) ? sql`(${p.from}::date::timestamp at time zone ${tz})` : sql`${p.from}::timestamptz`

/** `col` lies in the period: from the start of `from`'s day to the end of `to`'s day (or the instants given). */
export function inPeriod(sql: Sql, col: Fragment, p: Period, tz: Fragment): Fragment {
  const start = periodStart(sql, p, tz)
  const lower = start ? sql`${col} >= ${start}` : sql`${col} is not null`
  const upper = p.to === null ? sql`true` : isDateOnly(p.to) ? sql`${col} < ((${p.to}::date + 1)::timestamp at time zone ${tz})` : sql`${col} <= ${p.to}::timestamptz`
  return sql`(${lower} and ${upper})`
}

/** `col` is no later than the end of the period (always true when `to` is open). */
export function byPeriodEnd(sql: Sql, col: Fragment, p: Period, tz: Fragment): Fragment {
  if (p.to === null) return sql`${col} is not null`
  return isDateOnly(p.to) ? sql`${col} < ((${p.to}::date + 1)::timestamp at time zone ${tz})` : sql`${col} <= ${p.to}::timestamptz`
}

export const isoUtc = (sql: Sql, col: Fragment) => sql`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`
const isoOrNull = (sql: Sql, col: Fragment) => sql`case when ${col} is null then null else ${isoUtc(sql, col)} end`

/** The JSON of dispute `d` as the API answers it; `parties` only when `withParties`, `detail` adds follow-ups and escalations. */
function disputeJson(sql: Sql, withParties: boolean, detail: boolean): Fragment {
  const extra = detail
    ? sql`|| jsonb_build_object(
        'followUps', coalesce((select jsonb_agg(jsonb_build_object('id', f.id, 'visitedOn', to_char(f.visited_on, 'YYYY-MM-DD'), 'held', f.held,
                                 'visitor', f.visitor, 'notes', f.notes, 'isSample', f.is_sample) order by f.visited_on, f.id)
                               from dispute_follow_ups as f where f.community_id = d.community_id and f.dispute_id = d.id), '[]'::jsonb),
        'escalations', coalesce((select jsonb_agg(${escalationJson(sql)} order by e.occurred_at, e.id)
                                 from dispute_escalations as e where e.community_id = d.community_id and e.dispute_id = d.id), '[]'::jsonb))`
    : sql``
  return sql`(jsonb_build_object(
    'id', d.id, 'kind', d.kind, 'topic', d.topic, 'foundHow', d.found_how, 'description', d.description,
    'buildingId', d.building_id, 'zoneId', d.zone_id, 'zoneCode', (select z.code from grid_zones as z where z.community_id = d.community_id and z.id = d.zone_id),
    'location', jsonb_build_array(round(ST_X(d.geom)::numeric, 7), round(ST_Y(d.geom)::numeric, 7)),
    'reportedAt', ${isoUtc(sql, sql`d.reported_at`)},
    'mediationStartedAt', ${isoOrNull(sql, sql`d.mediation_started_at`)},
    'endedAt', ${isoOrNull(sql, sql`d.ended_at`)},
    'status', d.status, 'level', d.level, 'mediator', d.mediator,
    'parties', ${withParties ? sql`(select coalesce(jsonb_agg(jsonb_build_object('name', p ->> 'name', 'contact', p ->> 'contact')), '[]'::jsonb) from jsonb_array_elements(d.parties) as p)` : sql`null::jsonb`},
    'version', d.version, 'isSample', d.is_sample) ${extra})`
}

function escalationJson(sql: Sql): Fragment {
  return sql`jsonb_build_object('id', e.id, 'kind', e.kind, 'disputeId', e.dispute_id,
    'zoneId', coalesce((select x.zone_id from disputes as x where x.community_id = e.community_id and x.id = e.dispute_id), e.zone_id),
    'occurredAt', ${isoUtc(sql, sql`e.occurred_at`)}, 'reached', e.reached, 'notes', e.notes, 'isSample', e.is_sample)`
}

/** One dispute with its follow-ups and escalations; null when there is none. */
export async function readDispute(sql: Sql, community: string, id: number, withParties: boolean, lock = false): Promise<Dispute | null> {
  const [row] = await sql<{ row: Dispute }[]>`
    select ${disputeJson(sql, withParties, true)} as row from disputes as d
    where d.community_id = ${community} and d.id = ${id} ${lock ? sql`for update of d` : sql``}`
  return row?.row ?? null
}

/** What a dispute list asks for. */
export interface DisputeQuery extends Period {
  zoneId: number | null
  buildingId: number | null
  statuses: string[] | null
  kinds: string[] | null
  limit: number
  offset: number
}

/** Disputes reported in the period (newest first), with the number matching. */
export async function listDisputes(sql: Sql, community: string, q: DisputeQuery, withParties: boolean): Promise<{ disputes: Dispute[]; total: number }> {
  const tz = sql`(select time_zone from communities where id = ${community})`
  const where = sql`d.community_id = ${community}
    and ${q.from || q.to ? inPeriod(sql, sql`d.reported_at`, q, tz) : sql`true`}
    ${q.zoneId ? sql`and d.zone_id = ${q.zoneId}` : sql``}
    ${q.buildingId ? sql`and d.building_id = ${q.buildingId}` : sql``}
    ${q.statuses ? sql`and d.status = any(${q.statuses}::text[])` : sql``}
    ${q.kinds ? sql`and d.kind = any(${q.kinds}::text[])` : sql``}`
  const rows = await sql<{ row: Dispute }[]>`
    select ${disputeJson(sql, withParties, false)} as row from disputes as d where ${where}
    order by d.reported_at desc, d.id desc limit ${q.limit} offset ${q.offset}`
  const [{ n }] = (await sql`select count(*)::int as n from disputes as d where ${where}`) as unknown as [{ n: number }]
  return { disputes: rows.map((r) => r.row), total: n }
}

/** 400 unless the building exists in the community. */
async function mustHaveBuilding(sql: Sql, community: string, id: number): Promise<void> {
  const [row] = await sql`select 1 from buildings where community_id = ${community} and id = ${id}`
  if (!row) throw new ApiError('invalid_parameter', `buildingId: no such building: ${id}`, { field: 'buildingId', missing: [id] })
}

/** 400 unless [lon, lat] lies in the community (or within 50 m of its boundary). */
async function mustBeInside(sql: Sql, community: string, location: [number, number]): Promise<void> {
  const [row] = await sql<{ ok: boolean }[]>`
    select ST_DWithin(ST_Transform(c.boundary, c.metric_srid), ST_Transform(ST_SetSRID(ST_Point(${location[0]}::float8, ${location[1]}::float8), 4326), c.metric_srid), 50) as ok
    from communities as c where c.id = ${community}`
  if (!row?.ok) throw new ApiError('invalid_parameter', 'location: the point lies outside the community', { field: 'location' })
}

/** The point of a dispute: `location`, else the building's point on surface. */
const pointOf = (sql: Sql, community: string, location: [number, number] | null | undefined, buildingId: number | null | undefined): Fragment =>
  location
    ? sql`ST_SetSRID(ST_Point(${location[0]}::float8, ${location[1]}::float8), 4326)`
    : sql`(select ST_PointOnSurface(b.geom) from buildings as b where b.community_id = ${community} and b.id = ${buildingId ?? null})`

const json = (sql: Sql, v: unknown) => sql.json(v as never)
/** Parties as stored: name and contact (null when not given). */
const partiesOf = (parties: { name: string; contact?: string | null }[] | undefined) => (parties ?? []).map((p) => ({ name: p.name, contact: p.contact ?? null }))

/** A check constraint the database refused, as 400 (dates out of order, a step without its level). */
const constraintError = (e: unknown): never => {
  const err = e as { code?: string; constraint_name?: string; constraint?: string }
  if (err.code === '23514') {
    const name = err.constraint_name ?? err.constraint ?? ''
    const message = name.includes('dates')
      ? 'the dates are out of order: a mediation starts no earlier than the report and ends no earlier than it started'
      : name.includes('steps')
        ? 'this status needs the level handling the dispute (a referral: street or judicial)'
        : `the values are not consistent (${name})`
    throw new ApiError('invalid_parameter', message, { constraint: name })
  }
  throw e
}

/** Creates a dispute (status reported) and audits it; returns it. */
export async function createDispute(sql: Sql, community: string, input: DisputePatch, who: Editor): Promise<Dispute> {
  return (await sql.begin(async (raw) => {
    const tx = raw as unknown as Sql
    if (!input.buildingId && !input.location) throw new ApiError('invalid_parameter', 'a dispute needs a place: buildingId, location or both', { field: 'location' })
    if (input.buildingId) await mustHaveBuilding(tx, community, input.buildingId)
    if (input.location) await mustBeInside(tx, community, input.location)
    const [row] = await tx<{ id: number }[]>`
      insert into disputes (community_id, building_id, geom, kind, topic, found_how, description, reported_at, status, parties, mediator)
      values (${community}, ${input.buildingId ?? null}, ${pointOf(tx, community, input.location, input.buildingId)}, ${input.kind!}, ${input.topic ?? null},
              ${input.foundHow ?? null}, ${input.description ?? null}, ${input.reportedAt!}::timestamptz, 'reported', ${json(tx, partiesOf(input.parties))}, ${input.mediator ?? null})
      returning id`.catch(constraintError)
    const id = Number(row!.id)
    const after = (await readDispute(tx, community, id, true))!
    await audit(tx, { community, ...editorOf(who), action: 'dispute_created', entity: 'dispute', entityId: id, before: null, after })
    return after
  })) as Dispute
}

const editorOf = (who: Editor) => ({ userId: who.userId, username: who.username, ip: who.ip })
const has = (o: object, k: string) => (o as Record<string, unknown>)[k] !== undefined

/**
 * Changes a dispute made on `version`: its fields, and a step along the lifecycle when `status`
 * differs (on `at`, default now). 404 when it does not exist, 409 version_conflict (details.current)
 * when it moved on, 409 invalid_transition for a step the lifecycle does not allow, 400 for a step
 * without the level it needs or dates out of order.
 */
export async function changeDispute(sql: Sql, community: string, id: number, version: number, patch: DisputePatch, who: Editor): Promise<Dispute> {
  return (await sql.begin(async (raw) => {
    const tx = raw as unknown as Sql
    const before = await readDispute(tx, community, id, true, true)
    if (!before) throw new ApiError('not_found', `dispute ${id} does not exist in community "${community}"`, { entity: 'dispute', id })
    if (before.version !== version) throw new ApiError('version_conflict', `dispute ${id} was changed meanwhile: version ${before.version}, not ${version}`, { entity: 'dispute', id, current: before })
    if (Object.keys(patch).length === 0) throw new ApiError('invalid_parameter', `the change of dispute ${id} sets nothing`, { entity: 'dispute', id })
    const to = patch.status !== undefined && patch.status !== before.status ? patch.status : null
    if (patch.at !== undefined && to === null) throw new ApiError('invalid_parameter', 'at: the date of a step goes with a new status', { field: 'at' })
    const level = has(patch, 'level') ? (patch.level ?? null) : before.level
    if (to !== null) {
      const allowed = DISPUTE_TRANSITIONS[before.status]
      if (!allowed.includes(to))
        throw new ApiError('invalid_transition', `a dispute that is ${before.status} cannot become ${to}${allowed.length ? ` (it may become ${allowed.join(' or ')})` : ' (that is final)'}`, {
          from: before.status,
          to,
          allowed,
        })
      if (to === 'referred' && !(REFERRAL_LEVELS as readonly string[]).includes(level ?? ''))
        throw new ApiError('invalid_parameter', `level: a referral hands the dispute on to ${REFERRAL_LEVELS.join(' or ')}`, { field: 'level' })
      if (level === null) throw new ApiError('invalid_parameter', `level: say which level handles the dispute when it becomes ${to}`, { field: 'level' })
    }
    if (patch.buildingId) await mustHaveBuilding(tx, community, patch.buildingId)
    if (patch.location) await mustBeInside(tx, community, patch.location)
    if (has(patch, 'buildingId') && patch.buildingId === null && !patch.location && has(patch, 'location'))
      throw new ApiError('invalid_parameter', 'a dispute needs a place: buildingId, location or both', { field: 'location' })
    const at = patch.at !== undefined ? tx`${patch.at}::timestamptz` : tx`now()`
    const step: Fragment[] = []
    if (to === 'mediating') step.push(sql`mediation_started_at = ${at}`)
    if (to === 'agreed' || to === 'failed' || to === 'referred') step.push(sql`ended_at = ${at}`)
    const sets: Fragment[] = [
      ...(has(patch, 'kind') ? [sql`kind = ${patch.kind!}`] : []),
      ...(has(patch, 'topic') ? [sql`topic = ${patch.topic ?? null}`] : []),
      ...(has(patch, 'foundHow') ? [sql`found_how = ${patch.foundHow ?? null}`] : []),
      ...(has(patch, 'description') ? [sql`description = ${patch.description ?? null}`] : []),
      ...(has(patch, 'reportedAt') ? [sql`reported_at = ${patch.reportedAt!}::timestamptz`] : []),
      ...(has(patch, 'parties') ? [sql`parties = ${json(tx, partiesOf(patch.parties))}`] : []),
      ...(has(patch, 'mediator') ? [sql`mediator = ${patch.mediator ?? null}`] : []),
      ...(has(patch, 'level') ? [sql`level = ${level}`] : []),
      ...(has(patch, 'buildingId') ? [sql`building_id = ${patch.buildingId ?? null}`] : []),
      ...(patch.location ? [sql`geom = ${pointOf(tx, community, patch.location, null)}`] : []),
      ...(patch.buildingId && !patch.location ? [sql`geom = ${pointOf(tx, community, null, patch.buildingId)}`] : []),
      ...(to !== null ? [sql`status = ${to}`, ...step] : []),
      sql`version = version + 1`,
      sql`updated_at = now()`,
    ]
    const assignments = sets.reduce((a, b) => sql`${a}, ${b}`)
    await tx`update disputes set ${assignments} where community_id = ${community} and id = ${id}`.catch(constraintError)
    const after = (await readDispute(tx, community, id, true))!
    const action = to !== null ? `dispute_${to}` : 'dispute_updated'
    await audit(tx, { community, ...editorOf(who), action, entity: 'dispute', entityId: id, before, after })
    return after
  })) as Dispute
}

/** Records a follow-up visit of an agreed dispute (409 invalid_transition for any other status). */
export async function addFollowUp(sql: Sql, community: string, id: number, input: { visitedOn: string; held: boolean; visitor?: string | null; notes?: string | null }, who: Editor, isSample = false) {
  return sql.begin(async (raw) => {
    const tx = raw as unknown as Sql
    const [d] = await tx<{ status: DisputeStatus; endedOn: string | null }[]>`
      select d.status, to_char(d.ended_at at time zone c.time_zone, 'YYYY-MM-DD') as ended_on
      from disputes as d join communities as c on c.id = d.community_id
      where d.community_id = ${community} and d.id = ${id} for update of d`
    if (!d) throw new ApiError('not_found', `dispute ${id} does not exist in community "${community}"`, { entity: 'dispute', id })
    if (d.status !== 'agreed') throw new ApiError('invalid_transition', `follow-up visits are for agreed disputes; dispute ${id} is ${d.status}`, { from: d.status })
    if (d.endedOn && input.visitedOn < d.endedOn) throw new ApiError('invalid_parameter', `visitedOn: a follow-up comes after the agreement (${d.endedOn})`, { field: 'visitedOn' })
    const [row] = await tx<{ id: number }[]>`
      insert into dispute_follow_ups (community_id, dispute_id, visited_on, held, visitor, notes, is_sample)
      values (${community}, ${id}, ${input.visitedOn}::date, ${input.held}, ${input.visitor ?? null}, ${input.notes ?? null}, ${isSample})
      returning id`
    const followUp = { id: Number(row!.id), visitedOn: input.visitedOn, held: input.held, visitor: input.visitor ?? null, notes: input.notes ?? null, isSample }
    await audit(tx, { community, ...editorOf(who), action: 'dispute_follow_up_created', entity: 'dispute', entityId: id, before: null, after: { followUp } })
    return followUp
  })
}

/** Escalations and petitions dated in the period, newest first. */
export async function listEscalations(sql: Sql, community: string, q: Period & { kind: string | null; zoneId: number | null; limit: number; offset: number }) {
  const tz = sql`(select time_zone from communities where id = ${community})`
  const where = sql`e.community_id = ${community}
    and ${q.from || q.to ? inPeriod(sql, sql`e.occurred_at`, q, tz) : sql`true`}
    ${q.kind ? sql`and e.kind = ${q.kind}` : sql``}
    ${q.zoneId ? sql`and coalesce((select x.zone_id from disputes as x where x.community_id = e.community_id and x.id = e.dispute_id), e.zone_id) = ${q.zoneId}` : sql``}`
  const rows = await sql<{ row: Escalation }[]>`
    select ${escalationJson(sql)} as row from dispute_escalations as e where ${where} order by e.occurred_at desc, e.id desc limit ${q.limit} offset ${q.offset}`
  const [{ n }] = (await sql`select count(*)::int as n from dispute_escalations as e where ${where}`) as unknown as [{ n: number }]
  return { escalations: rows.map((r) => r.row), total: n }
}

/** Records an escalation or petition, linked to a dispute (its zone) or naming a zone (or neither). */
export async function createEscalation(
  sql: Sql,
  community: string,
  input: { kind: string; disputeId?: number | null; zoneId?: number | null; occurredAt: string; reached?: string | null; notes?: string | null },
  who: Editor,
): Promise<Escalation> {
  return (await sql.begin(async (raw) => {
    const tx = raw as unknown as Sql
    if (input.disputeId && input.zoneId) throw new ApiError('invalid_parameter', 'zoneId: an escalation linked to a dispute counts in the dispute’s zone; give one or the other', { field: 'zoneId' })
    if (input.disputeId) {
      const [d] = await tx`select 1 from disputes where community_id = ${community} and id = ${input.disputeId}`
      if (!d) throw new ApiError('invalid_parameter', `disputeId: no such dispute: ${input.disputeId}`, { field: 'disputeId' })
    }
    if (input.zoneId) {
      const [z] = await tx`select 1 from grid_zones where community_id = ${community} and id = ${input.zoneId}`
      if (!z) throw new ApiError('invalid_parameter', `zoneId: no such zone: ${input.zoneId}`, { field: 'zoneId' })
    }
    const [row] = await tx<{ row: Escalation }[]>`
      with e as (
        insert into dispute_escalations (community_id, kind, dispute_id, zone_id, occurred_at, reached, notes)
        values (${community}, ${input.kind}, ${input.disputeId ?? null}, ${input.zoneId ?? null}, ${input.occurredAt}::timestamptz, ${input.reached ?? null}, ${input.notes ?? null})
        returning *)
      select ${escalationJson(tx)} as row from e`
    const after = row!.row
    await audit(tx, { community, ...editorOf(who), action: `${input.kind}_created`, entity: 'escalation', entityId: after.id, before: null, after })
    return after
  })) as Escalation
}

/** Counts of one zone (or of the disputes in no zone) for the figures. */
export interface ZoneDisputeCounts {
  zoneId: number | null
  screened: number
  mediated: number
  ended: number
  agreed: number
  withinCommunity: number
  escalations: number
  petitions: number
}

/**
 * The counts behind the figures (README, "Disputes and mediation"), per zone (null: in no zone):
 * - screened: reported in the period;
 * - mediated: of those, mediation started by the end of the period;
 * - ended: mediation started and ended (agreed, failed or referred) in the period;
 * - agreed: of the ended, agreed; withinCommunity: of the ended, handled at building, grid or community level;
 * - escalations, petitions: records dated in the period (a linked one in its dispute's zone).
 */
export async function disputeCounts(sql: Sql, community: string, p: Period): Promise<ZoneDisputeCounts[]> {
  const tz = sql`(select time_zone from communities where id = ${community})`
  return sql<ZoneDisputeCounts[]>`
    with d as (
      select d.zone_id,
             ${inPeriod(sql, sql`d.reported_at`, p, tz)} as screened,
             ${inPeriod(sql, sql`d.reported_at`, p, tz)} and ${byPeriodEnd(sql, sql`d.mediation_started_at`, p, tz)} as mediated,
             d.mediation_started_at is not null and ${inPeriod(sql, sql`d.ended_at`, p, tz)} as ended,
             d.status = 'agreed' as agreed,
             d.level = any(${COMMUNITY_LEVELS as unknown as string[]}::text[]) as within
      from disputes as d where d.community_id = ${community}
    ),
    e as (
      select coalesce(x.zone_id, e.zone_id) as zone_id, e.kind
      from dispute_escalations as e
      left join disputes as x on x.community_id = e.community_id and x.id = e.dispute_id
      where e.community_id = ${community} and ${inPeriod(sql, sql`e.occurred_at`, p, tz)}
    ),
    counts as (
      select zone_id, count(*) filter (where screened)::int as screened, count(*) filter (where mediated)::int as mediated,
             count(*) filter (where ended)::int as ended, count(*) filter (where ended and agreed)::int as agreed,
             count(*) filter (where ended and within)::int as within_community, 0 as escalations, 0 as petitions
      from d group by zone_id
      union all
      select zone_id, 0, 0, 0, 0, 0, count(*) filter (where kind = 'escalation')::int, count(*) filter (where kind = 'petition')::int
      from e group by zone_id
    )
    select zone_id, sum(screened)::int as screened, sum(mediated)::int as mediated, sum(ended)::int as ended, sum(agreed)::int as agreed,
           sum(within_community)::int as within_community, sum(escalations)::int as escalations, sum(petitions)::int as petitions
    from counts group by zone_id`
}

/** The zones of a community (id, code, name in `lang`), in id order. */
export async function zonesOf(sql: Sql, community: string, lang: string | null) {
  return sql<{ id: number; code: string; name: string }[]>`
    select id, code, safegrid_name(names, name, ${lang}) as name from grid_zones where community_id = ${community} order by id`
}

/** Today's date in the community's time zone ('YYYY-MM-DD'); null when the community does not exist. */
export async function localToday(sql: Sql, community: string): Promise<string | null> {
  const [row] = await sql<{ day: string }[]>`select to_char((now() at time zone time_zone)::date, 'YYYY-MM-DD') as day from communities where id = ${community}`
  return row?.day ?? null
}

// ---------------------------------------------------------------------------------------------
// The dispute deadline (issue 12): how many days a dispute may stay open before the early warnings
// flag it, per community. Its version is 1 + the changes made to it: each is an audit entry
// (entity 'dispute_deadline'), written in the same transaction as the change, under a lock.

/** The community's deadline and its version; null when the community does not exist. */
export async function readDeadline(sql: Sql, community: string): Promise<DisputeDeadline | null> {
  const [row] = await sql<{ days: number; version: number }[]>`
    select c.dispute_deadline_days as days,
           -- the changes (entity_id = the community: audit_log_entity_idx finds them)
           1 + (select count(*) from audit_log as a where a.entity = 'dispute_deadline' and a.entity_id = c.id and a.community_id = c.id)::int as version
    from communities as c where c.id = ${community}`
  return row ? { days: row.days, defaultDays: PEOPLE_LIMITS.deadlineDays.default, version: row.version } : null
}

/** Sets the deadline when `version` is the current one (409 version_conflict otherwise); audited with before and after. */
export async function writeDeadline(sql: Sql, community: string, version: number, input: DisputeDeadlineInput, who: Editor): Promise<DisputeDeadline> {
  return sql.begin(async (tx) => {
    const t = tx as unknown as Sql
    await t`select pg_advisory_xact_lock(hashtext(${`safegrid:dispute_deadline:${community}`}))`
    const before = await readDeadline(t, community)
    if (before === null) throw new ApiError('community_not_found', `community "${community}" does not exist`, { id: community })
    if (before.version !== version)
      throw new ApiError('version_conflict', `the dispute deadline changed since you read it (version ${before.version}, not ${version})`, { current: before })
    await t`update communities set dispute_deadline_days = ${input.days} where id = ${community}`
    const after = { days: input.days, defaultDays: before.defaultDays, version: before.version + 1 }
    await audit(t, { community, userId: who.userId, username: who.username, ip: who.ip, action: 'dispute_deadline_updated', entity: 'dispute_deadline', entityId: community, before: { days: before.days }, after: { days: after.days } })
    return after
  }) as Promise<DisputeDeadline>
}
