/**
 * The meeting pack's own SQL (issue 13): incidents per zone and category in two periods, where the
 * data start, key problems open and overdue on a day, and the targets of a year (read, and written
 * together with their stage under the year's version, audited). Everything else the pack shows
 * comes from the analyses that answer it elsewhere (coverage, gaps, hot spots, patrols, disputes).
 */
import type { Indicator, Targets, TargetsInput, TargetStage } from '../contract.js'
import { ApiError } from '../errors.js'
import { audit } from './audit.js'
import type { Sql } from './connect.js'
import { incidentConditions } from './filters.js'
import type { Editor } from './plans.js'
import { withZone } from './problems.js'

/** Two periods of local days. */
export interface TwoPeriods {
  from: string
  to: string
  otherFrom: string
  otherTo: string
}

/** Incidents per zone (null: in no zone) and category, this period and the other. */
export interface ZoneCategoryCount {
  zoneId: number | null
  category: string
  count: number
  previous: number
}

const period = (from: string, to: string) => ({ from, to, categories: null, hours: null, weekdays: null })

/** Incidents per zone and category in both periods (local days of the community's time zone); rows with none in either are left out. */
export async function incidentCounts(sql: Sql, community: string, p: TwoPeriods): Promise<ZoneCategoryCount[]> {
  const tz = sql`c.time_zone`
  const rows = await sql<{ zoneId: number | null; category: string; count: number; previous: number }[]>`
    select i.zone_id, i.category,
           count(*) filter (where true ${incidentConditions(sql, period(p.from, p.to), tz)})::int as count,
           count(*) filter (where true ${incidentConditions(sql, period(p.otherFrom, p.otherTo), tz)})::int as previous
    from incidents as i join communities as c on c.id = i.community_id
    where i.community_id = ${community}
      and ((true ${incidentConditions(sql, period(p.from, p.to), tz)}) or (true ${incidentConditions(sql, period(p.otherFrom, p.otherTo), tz)}))
    group by i.zone_id, i.category
    order by i.zone_id nulls last, i.category`
  return rows.map((r) => ({ ...r, zoneId: r.zoneId === null ? null : Number(r.zoneId) }))
}

/** The local date of the community's first incident; null when it has none. Undefined when the community does not exist. */
export async function dataStart(sql: Sql, community: string): Promise<string | null | undefined> {
  const [row] = await sql<{ first: string | null }[]>`
    select (select to_char(min(i.occurred_at at time zone c.time_zone), 'YYYY-MM-DD') from incidents as i where i.community_id = c.id) as first
    from communities as c where c.id = ${community}`
  return row === undefined ? undefined : row.first
}

/** A key problem open (or in progress) now, with its zone and whether it is past its deadline on `asOf`. */
export interface OpenProblem {
  id: number
  title: string
  zoneId: number | null
  zoneCode: string | null
  deadline: string | null
  overdue: boolean
}

/** Key problems open or in progress (their status today: problems keep no status history), overdue as of `asOf`. */
export async function openProblems(sql: Sql, community: string, asOf: string, lang: string | null): Promise<OpenProblem[]> {
  const rows = await sql<OpenProblem[]>`
    select p.id, coalesce(p.titles ->> ${lang}::text, p.title) as title, p.zone_id,
           (select z.code from grid_zones as z where z.community_id = p.community_id and z.id = p.zone_id) as zone_code,
           to_char(p.deadline, 'YYYY-MM-DD') as deadline, p.overdue
    from ${withZone(sql, community, asOf)}
    where p.status in ('open', 'in_progress')
    order by p.overdue desc, p.deadline nulls last, p.id`
  return rows.map((r) => ({ ...r, id: Number(r.id), zoneId: r.zoneId === null ? null : Number(r.zoneId) }))
}

/** The targets of a year: version 0, no stage and none set when the year has none. */
export async function readTargets(sql: Sql, community: string, year: number): Promise<Targets> {
  const [y] = await sql<{ stage: TargetStage; version: number; isSample: boolean }[]>`
    select stage, version, is_sample from target_years where community_id = ${community} and year = ${year}`
  if (!y) return { year, stage: null, version: 0, isSample: false, targets: {} }
  const rows = await sql<{ indicator: Indicator; value: number }[]>`
    select indicator, value from targets where community_id = ${community} and year = ${year} order by indicator`
  return { year, stage: y.stage, version: y.version, isSample: y.isSample, targets: Object.fromEntries(rows.map((r) => [r.indicator, r.value])) }
}

/**
 * Replaces the stage and targets of a year when `version` is the year's (0: none set yet); 409
 * version_conflict with the current targets otherwise. Audited with before and after; no longer sample data.
 */
export async function writeTargets(sql: Sql, community: string, year: number, version: number, input: TargetsInput, who: Editor): Promise<Targets> {
  return sql.begin(async (tx) => {
    const t = tx as unknown as Sql
    await t`select pg_advisory_xact_lock(hashtext(${`safegrid:targets:${community}:${year}`}))`
    const before = await readTargets(t, community, year)
    if (before.version !== version)
      throw new ApiError('version_conflict', `the targets of ${year} changed since you read them (version ${before.version}, not ${version})`, { current: before })
    if (version === 0) await t`insert into target_years (community_id, year, stage) values (${community}, ${year}, ${input.stage})`
    else await t`update target_years set stage = ${input.stage}, version = version + 1, is_sample = false, updated_at = now() where community_id = ${community} and year = ${year}`
    await t`delete from targets where community_id = ${community} and year = ${year}`
    const entries = Object.entries(input.targets)
    if (entries.length > 0)
      await t`insert into targets (community_id, year, indicator, value)
              select ${community}, ${year}, x.indicator, x.value from jsonb_to_recordset(${t.json(entries.map(([indicator, value]) => ({ indicator, value })) as never)}) as x (indicator text, value float8)`
    const after = await readTargets(t, community, year)
    await audit(t, { community, userId: who.userId, username: who.username, ip: who.ip, action: version === 0 ? 'targets_created' : 'targets_updated', entity: 'targets', entityId: year, before: version === 0 ? null : before, after })
    return after
  }) as Promise<Targets>
}
