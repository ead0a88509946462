/**
 * Filed briefings (issue 13, "Snapshots"; migration 00013): the meeting pack as it was presented,
 * in both languages, with who filed it and when — rows are only ever added (a trigger refuses
 * UPDATE and DELETE). Packs are stored as `json` and read back as text: byte for byte what was
 * filed (postgres.js would otherwise camel-case keys inside JSON values, such as categories).
 */
import type { BriefingMeta, FiledBriefingRef, InsufficientReason, Lang, MeetingCompare, MeetingPack } from '../contract.js'
import { ApiError } from '../errors.js'
import { audit } from './audit.js'
import type { Sql } from './connect.js'
import type { Editor } from './plans.js'

/** The Gi* cells of a filed pack's own period: what the next meeting compares its hot spots with. */
export interface FiledGrid {
  incidents: number
  insufficient: boolean
  insufficientReason: InsufficientReason | null
  /** every cell with incidents: [i, j, count, 1 when hot at 95 %+ else 0] */
  cells: [number, number, number, 0 | 1][]
}

/** What is filed. */
export interface Filing {
  community: string
  from: string
  to: string
  compare: MeetingCompare
  compareFrom: string
  compareTo: string
  windows: Record<string, string>
  title: string
  packs: Record<Lang, MeetingPack>
  grid: FiledGrid
}

interface MetaRow {
  id: number
  community: string
  periodFrom: string
  periodTo: string
  days: number
  compare: MeetingCompare
  compareFrom: string
  compareTo: string
  compareDays: number
  windows: string
  title: string
  filedBy: number | null
  filedByUsername: string
  filedAt: string
  incidents: number
  hotCells: number
  priorityGaps: number
}

const META = (sql: Sql) => sql`
  b.id, b.community_id as community, to_char(b.period_from, 'YYYY-MM-DD') as period_from, to_char(b.period_to, 'YYYY-MM-DD') as period_to,
  (b.period_to - b.period_from + 1) as days, b.compare, to_char(b.compare_from, 'YYYY-MM-DD') as compare_from,
  to_char(b.compare_to, 'YYYY-MM-DD') as compare_to, (b.compare_to - b.compare_from + 1) as compare_days, b.windows::text as windows,
  b.title, b.filed_by, b.filed_by_username, to_char(b.filed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as filed_at,
  b.incidents, b.hot_cells, b.priority_gaps`

const metaOf = (r: MetaRow): BriefingMeta => ({
  id: Number(r.id),
  community: r.community,
  period: { from: r.periodFrom, to: r.periodTo, days: Number(r.days) },
  compare: { kind: r.compare, from: r.compareFrom, to: r.compareTo, days: Number(r.compareDays) },
  windows: JSON.parse(r.windows) as Record<string, string>,
  title: r.title,
  filedBy: { userId: r.filedBy === null ? null : Number(r.filedBy), username: r.filedByUsername },
  filedAt: r.filedAt,
  headline: { incidents: r.incidents, hotCells: r.hotCells, priorityGaps: r.priorityGaps },
})

/** Files a briefing (in the caller's transaction, when it is one) and audits it (`briefing_filed`); answers its meta. */
export async function fileBriefing(sql: Sql, f: Filing, who: Editor): Promise<BriefingMeta> {
  const zh = f.packs.zh
  const [row] = await sql<{ id: number }[]>`
    insert into briefings (community_id, period_from, period_to, compare, compare_from, compare_to, windows, title, filed_by, filed_by_username,
                           incidents, hot_cells, priority_gaps, pack_zh, pack_en, grid)
    values (${f.community}, ${f.from}::date, ${f.to}::date, ${f.compare}, ${f.compareFrom}::date, ${f.compareTo}::date, ${JSON.stringify(f.windows)}::text::jsonb,
            ${f.title}, ${who.userId}, ${who.username ?? ''}, ${zh.overall.incidents.total.count}, ${zh.hotspots.current.hotCells}, ${zh.priorityGaps.length},
            ${JSON.stringify(zh)}::text::json, ${JSON.stringify(f.packs.en)}::text::json, ${JSON.stringify(f.grid)}::text::json)
    returning id`
  const meta = await readMeta(sql, f.community, Number(row!.id))
  await audit(sql, { community: f.community, userId: who.userId, username: who.username, ip: who.ip, action: 'briefing_filed', entity: 'briefing', entityId: meta!.id, after: meta })
  return meta!
}

async function readMeta(sql: Sql, community: string, id: number): Promise<BriefingMeta | undefined> {
  const [row] = await sql<MetaRow[]>`select ${META(sql)} from briefings as b where b.community_id = ${community} and b.id = ${id}`
  return row && metaOf(row)
}

/** The briefings of a community, newest first, and how many there are. */
export async function listBriefings(sql: Sql, community: string, limit: number, offset: number): Promise<{ briefings: BriefingMeta[]; total: number }> {
  const rows = await sql<MetaRow[]>`
    select ${META(sql)} from briefings as b where b.community_id = ${community}
    order by b.filed_at desc, b.id desc limit ${limit} offset ${offset}`
  const [n] = await sql<{ n: number }[]>`select count(*)::int as n from briefings where community_id = ${community}`
  return { briefings: rows.map(metaOf), total: n!.n }
}

/** A filed briefing with its pack in `lang`; 404 not_found when the community has none of that id. */
export async function readBriefing(sql: Sql, community: string, id: number, lang: Lang): Promise<BriefingMeta & { pack: MeetingPack }> {
  const [row] = await sql<(MetaRow & { pack: string })[]>`
    select ${META(sql)}, (case when ${lang}::text = 'en' then b.pack_en else b.pack_zh end)::text as pack
    from briefings as b where b.community_id = ${community} and b.id = ${id}`
  if (!row) throw new ApiError('not_found', `community "${community}" has no filed briefing ${id}`, { id })
  return { ...metaOf(row), pack: JSON.parse(row.pack) as MeetingPack }
}

/** The latest briefing filed for exactly this period and these windows (null: none), with its pack and grid. */
export async function latestFiled(
  sql: Sql,
  community: string,
  from: string,
  to: string,
  windows: Record<string, string>,
): Promise<{ ref: FiledBriefingRef; pack: MeetingPack; grid: FiledGrid } | null> {
  const [row] = await sql<(MetaRow & { pack: string; grid: string })[]>`
    select ${META(sql)}, b.pack_zh::text as pack, b.grid::text as grid
    from briefings as b
    where b.community_id = ${community} and b.period_from = ${from}::date and b.period_to = ${to}::date and b.windows = ${JSON.stringify(windows)}::text::jsonb
    order by b.filed_at desc, b.id desc limit 1`
  if (!row) return null
  const m = metaOf(row)
  return { ref: { id: m.id, filedAt: m.filedAt, filedBy: m.filedBy, title: m.title }, pack: JSON.parse(row.pack) as MeetingPack, grid: JSON.parse(row.grid) as FiledGrid }
}
