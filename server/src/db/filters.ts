/**
 * SQL of the shared incident filters (contract.ts, IncidentFilter). Times of day and weekdays are local to the
 * community (communities.time_zone); incidents without a time of day never match an `hours`
 * window — callers count them separately (timeUnknown) instead of dropping them silently.
 */
import { isDateOnly, type IncidentFilter } from '../contract.js'
import type postgres from 'postgres'
import type { Sql } from './connect.js'

type Fragment = postgres.PendingQuery<postgres.Row[]>

/**
 * `and …` conditions on incidents `i` of a community whose time zone is the text expression `tz`.
 * `ignoreHours` leaves the time-of-day window out (to count the incidents it cannot judge).
 */
export function incidentConditions(sql: Sql, f: IncidentFilter, tz: Fragment, opts: { ignoreHours?: boolean } = {}): Fragment {
  const local = sql`(i.occurred_at at time zone ${tz})`
  const parts: Fragment[] = []
  if (f.from) parts.push(isDateOnly(f.from) ? sql`and i.occurred_at >= (${f.from}::date::timestamp at time zone ${tz})` : sql`and i.occurred_at >= ${f.from}::timestamptz`)
  if (f.to) parts.push(isDateOnly(f.to) ? sql`and i.occurred_at < ((${f.to}::date + 1)::timestamp at time zone ${tz})` : sql`and i.occurred_at <= ${f.to}::timestamptz`)
  if (f.categories) parts.push(sql`and i.category = any(${f.categories}::text[])`)
  if (f.weekdays) parts.push(sql`and extract(isodow from ${local})::int = any(${f.weekdays}::int[])`)
  if (f.hours && !opts.ignoreHours) {
    const minute = sql`(extract(hour from ${local})::int * 60 + extract(minute from ${local})::int)`
    parts.push(
      f.hours.start < f.hours.end
        ? sql`and i.time_known and ${minute} >= ${f.hours.start}::int and ${minute} < ${f.hours.end}::int`
        : sql`and i.time_known and (${minute} >= ${f.hours.start}::int or ${minute} < ${f.hours.end}::int)`,
    )
  }
  return parts.reduce((acc, p) => sql`${acc} ${p}`, sql``)
}

/**
 * `and …` conditions on disputes `d` for the period of the shared filters (issue 12: dispute hot
 * spots): `from`/`to` on the date reported, as `incidentConditions` bounds the time of an incident.
 * The other filters (categories, hours, weekdays) are incidents' and are refused before this.
 */
export function disputeConditions(sql: Sql, f: IncidentFilter, tz: Fragment): Fragment {
  const parts: Fragment[] = []
  if (f.from) parts.push(isDateOnly(f.from) ? sql`and d.reported_at >= (${f.from}::date::timestamp at time zone ${tz})` : sql`and d.reported_at >= ${f.from}::timestamptz`)
  if (f.to) parts.push(isDateOnly(f.to) ? sql`and d.reported_at < ((${f.to}::date + 1)::timestamp at time zone ${tz})` : sql`and d.reported_at <= ${f.to}::timestamptz`)
  return parts.reduce((acc, p) => sql`${acc} ${p}`, sql``)
}
