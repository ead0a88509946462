/** The planning API as the web app calls it (server/src/routes/plans.ts). */
import type { Geometry, LineString } from 'geojson'
import type { AuditEntry, EditAnswer, PatrolLog, PatrolLogInput, PlanEntity, RevertAnswer, Roster, SnapAnswer } from '../../../server/src/contract'
import { base, requestJson } from '../api'
import { planBody, type Draft } from './draft'

export type { AuditEntry, EditAnswer } from '../../../server/src/contract'

/** A row as the planning API answers it: its fields, id and version. */
export type PlanRow = Record<string, unknown> & { id: number; version: number }

const kindPath = (communityId: string, entity: PlanEntity) => `${base(communityId)}/${entity}s`

/** One row as a planner edits it (with its version). */
export async function fetchRow(communityId: string, entity: PlanEntity, id: number, signal?: AbortSignal): Promise<PlanRow> {
  return (await requestJson<PlanRow>(`${kindPath(communityId, entity)}/${id}`, { signal })).body
}

/** Saves the draft in one transaction (all or nothing). */
export async function savePlan(communityId: string, draft: Draft): Promise<EditAnswer[]> {
  return (await requestJson<{ changes: EditAnswer[] }>(`${base(communityId)}/plans`, { method: 'POST', body: planBody(draft) })).body.changes
}

/** Coverage figures of one side of a preview, per zone and overall. */
export interface Shares {
  areaCoveredPct?: number | undefined
  buildingsCoveredPct?: number | undefined
  householdsCoveredPct?: number | undefined
}
export interface ZoneDifference {
  code: string
  before: Shares
  after: Shares
}
export interface PriorityGapProps {
  rank: number
  zoneCode: string | null
  street: string | null
  reason: string
  reasonZh: string
}
/** What POST …/plans/preview answers: the draft's effect (nothing was saved). */
export interface PlanPreview {
  changes: EditAnswer[]
  differences: {
    patrol: { total: { before: Shares; after: Shares }; zones: ZoneDifference[] }
    captain: { total: { before: Shares; after: Shares }; zones: ZoneDifference[] }
    gaps: Record<'area' | 'building' | 'captainless' | 'priority', { before: number; after: number }>
    priorityClosed: PriorityGapProps[]
    priorityOpened: PriorityGapProps[]
    /** where patrol coverage grows and shrinks (null: nowhere) */
    coverage: Record<'added' | 'removed', { geometry: Geometry; areaM2: number } | null>
    /** the buildings the draft brings into patrol coverage of the window, and those it leaves outside it (ids) */
    buildings: { covered: number[]; uncovered: number[] }
  }
  /** the figures (meta) of the coverage and gaps answers today and in the draft (the draft's features only with `features=true`, which the app does not ask for) */
  before: PreviewFigures
  after: PreviewFigures
}
export interface PreviewFigures {
  patrol: Record<string, unknown>
  gaps: Record<string, unknown>
  captain: Record<string, unknown>
}

/** The draft's effect under the shared filters (the window: hours, weekdays), computed by the server and rolled back. */
export async function previewPlan(communityId: string, draft: Draft, filterParams: URLSearchParams, lang: string, signal?: AbortSignal): Promise<PlanPreview> {
  const q = new URLSearchParams(filterParams)
  q.set('lang', lang)
  return (await requestJson<PlanPreview>(`${base(communityId)}/plans/preview?${q.toString()}`, { method: 'POST', body: planBody(draft), signal })).body
}

/** Who changed a row, when, from what to what (newest first). */
export async function fetchHistory(communityId: string, entity: PlanEntity, id: number, signal?: AbortSignal): Promise<AuditEntry[]> {
  return (await requestJson<{ entries: AuditEntry[] }>(`${kindPath(communityId, entity)}/${id}/history`, { signal })).body.entries
}

export type { PatrolLog, PatrolLogInput, PatrolSummary, RevertAnswer, Roster, SnapAnswer } from '../../../server/src/contract'

/** Reverts one audited change of a row (itself a new, audited change); 409 when later changes touched the same fields. */
export async function revertChange(communityId: string, entity: PlanEntity, id: number, auditId: number): Promise<RevertAnswer> {
  return (await requestJson<RevertAnswer>(`${kindPath(communityId, entity)}/${id}/history/${auditId}/revert`, { method: 'POST' })).body
}

/** A drawn line along the community's streets (pgRouting in server mode where installed, else each point to its nearest street). */
export async function snapRoute(communityId: string, geometry: LineString): Promise<SnapAnswer> {
  return (await requestJson<SnapAnswer>(`${base(communityId)}/routes/snap`, { method: 'POST', body: { geometry } })).body
}

/** A team's week: its shifts and who usually walks them (phones for roles that may see them). */
export async function fetchRoster(communityId: string, teamId: number, lang: string, signal?: AbortSignal): Promise<Roster> {
  return (await requestJson<Roster>(`${base(communityId)}/teams/${teamId}/roster?lang=${lang}`, { signal })).body
}

/** Records a patrol done. */
export async function logPatrol(communityId: string, input: PatrolLogInput): Promise<PatrolLog> {
  return (await requestJson<{ patrol: PatrolLog }>(`${base(communityId)}/patrols`, { method: 'POST', body: input })).body.patrol
}

/** The latest patrols logged on a route (newest first). */
export async function fetchPatrols(communityId: string, routeId: number, lang: string, signal?: AbortSignal): Promise<{ patrols: PatrolLog[]; total: number }> {
  return (await requestJson<{ patrols: PatrolLog[]; total: number }>(`${base(communityId)}/patrols?routeId=${routeId}&limit=20&lang=${lang}`, { signal })).body
}

/** Deletes a logged patrol (recorded by mistake). */
export async function deletePatrol(communityId: string, patrolId: number): Promise<void> {
  await requestJson<unknown>(`${base(communityId)}/patrols/${patrolId}`, { method: 'DELETE' })
}
