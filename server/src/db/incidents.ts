/** Incident figures for the filter bar: how many match, and the span of the data. */
import type { BBox, IncidentFilter, IncidentPeriod, IncidentSummary } from '../contract.js'
import type { Sql } from './connect.js'
import { incidentConditions } from './filters.js'
import { runQuery } from './queries.js'

/**
 * Counts the incidents of a community matching `filter` (and `bbox`), per category. `timeUnknown`:
 * incidents without a time of day among those matching the other filters — with an `hours` window
 * they are left out of `total` (a window cannot judge them); without one they are in it.
 */
export async function summarizeIncidents(sql: Sql, community: string, filter: IncidentFilter, bbox: BBox | null): Promise<Omit<IncidentSummary, 'filter'>> {
  const env = bbox ? sql`and ST_Intersects(i.geom, ST_MakeEnvelope(${bbox[0]}::float8, ${bbox[1]}::float8, ${bbox[2]}::float8, ${bbox[3]}::float8, 4326))` : sql``
  const tz = sql`c.time_zone`
  const rows = await sql<{ category: string; n: number; unknown: number }[]>`
    select i.category, count(*) filter (where true ${incidentConditions(sql, filter, tz)}) as n,
           count(*) filter (where not i.time_known) as unknown
    from incidents as i join communities as c on c.id = i.community_id
    where i.community_id = ${community} ${env} ${incidentConditions(sql, filter, tz, { ignoreHours: true })}
    group by i.category order by i.category`
  const byCategory: Record<string, number> = {}
  for (const r of rows) if (r.n > 0) byCategory[r.category] = r.n
  return {
    total: rows.reduce((a, r) => a + r.n, 0),
    byCategory,
    timeUnknown: rows.reduce((a, r) => a + r.unknown, 0),
    timeUnknownExcluded: filter.hours !== null,
  }
}

/** First and last local incident dates of a community (sql/queries/incidents/period.sql). */
export async function incidentPeriod(sql: Sql, community: string): Promise<IncidentPeriod> {
  const [row] = await runQuery<IncidentPeriod[]>(sql, 'incidents/period', [community])
  return row ?? { first: null, last: null, count: 0, months: [] }
}
