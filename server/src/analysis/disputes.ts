/**
 * The people side's answers (issue 12): dispute figures per zone and overall for a period, and the
 * early-warning list a mediator works through. Definitions (README, "Disputes and mediation"):
 *
 * - screened = disputes reported in the period;
 * - mediation rate (调解率) = of those, the share whose mediation started by the end of the period;
 * - success rate (成功率) = of the disputes whose mediation ended in the period, the share agreed;
 * - resolved within the community = of those ended, the share handled at building, grid or
 *   community level;
 * - escalations (越级), petitions (上访) = records dated in the period.
 *
 * Every rate carries its numerator and denominator; a rate over nothing is null, never 0 or 100 %.
 * Zones add up to the whole: a dispute counts in the zone containing its point (on a border, the
 * lower id), an escalation in its dispute's zone or the zone it names; what lies in no zone is
 * `unzoned`.
 */
import {
  DEFAULTS,
  describeFilter,
  HOT_ALPHA,
  MIN_INCIDENTS,
  PEOPLE_LIMITS,
  ratio,
  type DisputeFigures,
  type DisputeFiguresAnswer,
  type DisputeWarning,
  type DisputeWarnings,
  type IncidentFilter,
  type Lang,
} from '../contract.js'
import type { RunOptions } from '../db/analysis.js'
import { runAnalysis } from '../db/analysis.js'
import type { Sql } from '../db/connect.js'
import { disputeCounts, zonesOf, type Period, type ZoneDisputeCounts } from '../db/disputes.js'
import { testedQuery, type GridSpec } from '../db/hotspots.js'
import { ApiError } from '../errors.js'
import { boundedGrid } from './hotspots.js'

const EMPTY: Omit<ZoneDisputeCounts, 'zoneId'> = { screened: 0, mediated: 0, ended: 0, agreed: 0, withinCommunity: 0, escalations: 0, petitions: 0 }

/** The figures of some counts. */
export function figuresOf(c: Omit<ZoneDisputeCounts, 'zoneId'>): DisputeFigures {
  return {
    screened: c.screened,
    mediationRate: ratio(c.mediated, c.screened),
    successRate: ratio(c.agreed, c.ended),
    resolvedInCommunity: ratio(c.withinCommunity, c.ended),
    escalations: c.escalations,
    petitions: c.petitions,
  }
}

const add = (a: Omit<ZoneDisputeCounts, 'zoneId'>, b: Omit<ZoneDisputeCounts, 'zoneId'>) => ({
  screened: a.screened + b.screened,
  mediated: a.mediated + b.mediated,
  ended: a.ended + b.ended,
  agreed: a.agreed + b.agreed,
  withinCommunity: a.withinCommunity + b.withinCommunity,
  escalations: a.escalations + b.escalations,
  petitions: a.petitions + b.petitions,
})

/** Dispute figures of every zone (those without disputes too: rates null), the disputes in no zone, and overall. */
export async function disputeFigures(sql: Sql, community: string, period: Period, lang: Lang | null): Promise<DisputeFiguresAnswer> {
  const [counts, zones] = [await disputeCounts(sql, community, period), await zonesOf(sql, community, lang)]
  const of = (zoneId: number | null) => {
    const { zoneId: _, ...c } = counts.find((x) => (x.zoneId === null ? null : Number(x.zoneId)) === zoneId) ?? { zoneId, ...EMPTY }
    return c
  }
  const unzoned = of(null)
  const perZone = zones.map((z) => ({ z, c: of(Number(z.id)) }))
  const overall = perZone.reduce((acc, { c }) => add(acc, c), unzoned)
  return {
    period: { from: period.from, to: period.to },
    overall: figuresOf(overall),
    zones: perZone.map(({ z, c }) => ({ zoneId: Number(z.id), zoneCode: z.code, zoneName: z.name, ...figuresOf(c) })),
    unzoned: figuresOf(unzoned),
  }
}

/** What the warnings are asked for. */
export interface WarningParams {
  /** the local date the list is for */
  asOf: string
  /** null: the community's setting */
  deadlineDays: number | null
  /** the incidents the hot spot analysis runs on (the shared filters) */
  filter: IncidentFilter
  /** party names are shown (disputeParties) */
  withParties: boolean
}

interface Row {
  kind: DisputeWarning['kind']
  disputeIds: number[]
  buildingId: number | null
  party: string | null
  zoneId: number | null
  daysOpen: number | null
  address: string | null
}

/**
 * The early-warning list as of a local date:
 * - repeat_building / repeat_party: a building, or a party (by name, case and spaces ignored), with
 *   two or more disputes reported within the `repeatWindowDays` days up to `asOf`;
 * - overdue: open on `asOf` (reported by then, not ended by then) for more than the deadline days;
 * - near_hotspot: open on `asOf` and within `nearHotspotM` metres of a cell the incident Gi* analysis
 *   (default settings: 100 m squares, ring 1, no FDR, the given filters) finds hot at 95 % or more.
 * Overdue first (longest open first), then repeats (most disputes first), then hot spots.
 */
export async function disputeWarnings(sql: Sql, analysisSql: Sql, community: string, q: WarningParams, run: RunOptions): Promise<DisputeWarnings> {
  const [setting] = await sql<{ days: number }[]>`select dispute_deadline_days as days from communities where id = ${community}`
  if (!setting) throw new ApiError('community_not_found', `community "${community}" does not exist`, { id: community })
  const deadlineDays = q.deadlineDays ?? setting.days
  const window = PEOPLE_LIMITS.repeatWindowDays

  // The incident hot spots, by the same analysis as the hot spot map (its default settings).
  const spec: GridSpec = { community, filter: q.filter, cell: DEFAULTS.hotspots.cell, shape: DEFAULTS.hotspots.shape, band: null }
  await boundedGrid(analysisSql, spec, run)
  const cells = await runAnalysis<{ geometry: string; bin: number; inArea: number }[]>(
    analysisSql,
    analysisSql`select t.geometry, t.bin, t.in_area from (${testedQuery(analysisSql, spec, false)}) as t`,
    run,
  )
  const incidents = cells[0]?.inArea ?? 0
  const insufficient = incidents < MIN_INCIDENTS
  const hot = insufficient ? [] : cells.filter((c) => c.bin >= 2).map((c) => JSON.parse(c.geometry) as unknown)

  const rows = await sql<Row[]>`
    with c as (select time_zone as tz, metric_srid as srid from communities where id = ${community}),
    d as (
      select d.*, (d.reported_at at time zone c.tz)::date as reported_on,
             ${q.asOf}::date - (d.reported_at at time zone c.tz)::date as days_open,
             d.reported_at < ((${q.asOf}::date + 1)::timestamp at time zone c.tz)
               and (d.ended_at is null or d.ended_at >= ((${q.asOf}::date + 1)::timestamp at time zone c.tz)) as open_then
      from disputes as d cross join c
      where d.community_id = ${community} and d.reported_at < ((${q.asOf}::date + 1)::timestamp at time zone c.tz)
    ),
    recent as (select * from d where reported_on > ${q.asOf}::date - ${window}::int),
    hot as (
      select ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326), c.srid) as geom
      from unnest(${hot.map((g) => JSON.stringify(g))}::text[]) as g cross join c
    )
    select 'overdue' as kind, array[d.id] as dispute_ids, d.building_id, null as party, d.zone_id, d.days_open, b.address
    from d left join buildings as b on b.community_id = d.community_id and b.id = d.building_id
    where d.open_then and d.days_open > ${deadlineDays}::int
    union all
    select 'repeat_building', array_agg(r.id order by r.reported_at, r.id), r.building_id, null, min(r.zone_id), null, min(b.address)
    from recent as r join buildings as b on b.community_id = r.community_id and b.id = r.building_id
    group by r.building_id having count(*) >= 2
    union all
    select 'repeat_party', array_agg(distinct r.id order by r.id), null, min(p.name), min(r.zone_id), null, null
    from recent as r cross join lateral (select btrim(x ->> 'name') as name from jsonb_array_elements(r.parties) as x) as p
    where p.name <> ''
    group by lower(regexp_replace(p.name, '[[:space:]]+', ' ', 'g')) having count(distinct r.id) >= 2
    union all
    select 'near_hotspot', array[d.id], d.building_id, null, d.zone_id, d.days_open, b.address
    from d cross join c left join buildings as b on b.community_id = d.community_id and b.id = d.building_id
    where d.open_then and exists (select 1 from hot as h where ST_DWithin(h.geom, ST_Transform(d.geom, c.srid), ${PEOPLE_LIMITS.nearHotspotM}::float8))`

  const order = { overdue: 0, repeat_building: 1, repeat_party: 2, near_hotspot: 3 } as const
  const warnings = rows
    .map((r) => ({ ...r, disputeIds: r.disputeIds.map(Number), buildingId: r.buildingId === null ? null : Number(r.buildingId), zoneId: r.zoneId === null ? null : Number(r.zoneId) }))
    .sort((a, b) => order[a.kind] - order[b.kind] || (b.daysOpen ?? 0) - (a.daysOpen ?? 0) || b.disputeIds.length - a.disputeIds.length || a.disputeIds[0]! - b.disputeIds[0]!)
    .map((r): DisputeWarning => {
      const ids = r.disputeIds.map((id) => `#${id}`).join(', ')
      const where = r.address ?? (r.buildingId ? `building ${r.buildingId}` : 'its place')
      const [reason, reasonZh] =
        r.kind === 'overdue'
          ? [`open for ${r.daysOpen} days, past the ${deadlineDays}-day deadline (${ids})`, `已 ${r.daysOpen} 天未结，超过 ${deadlineDays} 天期限（${ids}）`]
          : r.kind === 'repeat_building'
            ? [`${r.disputeIds.length} disputes at ${where} within ${window} days (${ids})`, `${window} 天内同一楼栋 ${r.disputeIds.length} 起纠纷（${ids}）`]
            : r.kind === 'repeat_party'
              ? [`the same party in ${r.disputeIds.length} disputes within ${window} days (${ids})`, `${window} 天内同一当事人涉及 ${r.disputeIds.length} 起纠纷（${ids}）`]
              : [`open within ${PEOPLE_LIMITS.nearHotspotM} m of an incident hot spot (95 %+) (${ids})`, `未结纠纷位于警情热点（95% 以上）${PEOPLE_LIMITS.nearHotspotM} 米内（${ids}）`]
      return { kind: r.kind, disputeIds: r.disputeIds, buildingId: r.buildingId, party: r.kind === 'repeat_party' && q.withParties ? r.party : null, zoneId: r.zoneId, daysOpen: r.daysOpen === null ? null : Number(r.daysOpen), reason, reasonZh }
    })
  return {
    asOf: q.asOf,
    deadlineDays,
    deadlineSource: q.deadlineDays === null ? 'community' : 'parameter',
    windowDays: window,
    hotspot: { cell: spec.cell, alpha: HOT_ALPHA, nearM: PEOPLE_LIMITS.nearHotspotM, incidents, hotCells: hot.length, insufficient, filter: describeFilter(q.filter) },
    warnings,
  }
}
