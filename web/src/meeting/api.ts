/** The meeting pack's API as the web app calls it (server/src/routes/meeting.ts, briefings). */
import type { Briefing, BriefingMeta, MeetingCompare, MeetingPack, MeetingWindow } from '../../../server/src/contract'
import { base, getJson, requestJson } from '../api'
import type { Lang } from '../lib/i18n'

export type { Briefing, BriefingMeta, CountChangeAnswer, Indicator, IndicatorStatus, MeetingCompare, MeetingPack, MeetingWindow, MeetingZone, ScorecardLine } from '../../../server/src/contract'

/** What a pack is asked for: the period, what it is compared with, and the coverage windows (HH-HH or HH:MM-HH:MM; empty = the server's default). */
export interface PackQuery {
  from: string
  to: string
  compare: MeetingCompare
  windows: Record<MeetingWindow, string>
}

/** The query string of a pack (windows left out when they are the server's default). */
export function packParams(q: PackQuery, lang: Lang, extra: Record<string, string> = {}): URLSearchParams {
  const p = new URLSearchParams({ from: q.from, to: q.to, compare: q.compare, lang })
  for (const [w, v] of Object.entries(q.windows)) if (v.trim() !== '') p.set(w, v.trim())
  for (const [k, v] of Object.entries(extra)) p.set(k, v)
  return p
}

/** The live pack of a period. */
export const fetchPack = (communityId: string, q: PackQuery, lang: Lang, signal?: AbortSignal) => getJson<MeetingPack>(`${base(communityId)}/briefing?${packParams(q, lang)}`, signal)

/** Where the spreadsheet of a live pack downloads from (.xlsx: both tables; .csv: one). */
export const packFileUrl = (communityId: string, q: PackQuery, lang: Lang, kind: 'xlsx' | 'zones.csv' | 'scorecard.csv') =>
  kind === 'xlsx' ? `${base(communityId)}/briefing.xlsx?${packParams(q, lang)}` : `${base(communityId)}/briefing.csv?${packParams(q, lang, { table: kind === 'zones.csv' ? 'zones' : 'scorecard' })}`

/** The filed briefings of a community, newest first. */
export const fetchBriefings = (communityId: string, signal?: AbortSignal) => getJson<{ briefings: BriefingMeta[]; total: number }>(`${base(communityId)}/briefings`, signal)

/** A filed briefing with its pack as filed, in `lang`. */
export const fetchFiled = (communityId: string, id: number, lang: Lang, signal?: AbortSignal) => getJson<Briefing>(`${base(communityId)}/briefings/${id}?lang=${lang}`, signal)

/** Where the spreadsheet of a filed briefing downloads from. */
export const filedFileUrl = (communityId: string, id: number, lang: Lang, kind: 'xlsx' | 'zones.csv' | 'scorecard.csv') =>
  kind === 'xlsx' ? `${base(communityId)}/briefings/${id}.xlsx?lang=${lang}` : `${base(communityId)}/briefings/${id}.csv?lang=${lang}&table=${kind === 'zones.csv' ? 'zones' : 'scorecard'}`

/** Files the pack of a period (admins and planners): its figures are kept as they are now. */
export async function fileBriefing(communityId: string, q: PackQuery, title: string): Promise<BriefingMeta> {
  const windows = Object.fromEntries(Object.entries(q.windows).filter(([, v]) => v.trim() !== ''))
  return (await requestJson<BriefingMeta>(`${base(communityId)}/briefings`, { method: 'POST', body: { from: q.from, to: q.to, compare: q.compare, ...windows, ...(title.trim() ? { title: title.trim() } : {}) } })).body
}
