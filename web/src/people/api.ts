/** The people side's API as the web app calls it (server/src/routes/disputes.ts, problems.ts, care.ts). */
import type {
  CareCounts,
  CareFile,
  Dispute,
  DisputeFiguresAnswer,
  DisputePatch,
  DisputeWarnings,
  Problem,
} from '../../../server/src/contract'
import { base, getJson, requestJson } from '../api'

export type { CareCounts, CareFile, Dispute, DisputeFiguresAnswer, DisputeFigures, DisputePatch, DisputeWarning, DisputeWarnings, Problem, Ratio } from '../../../server/src/contract'

const period = (from: string | null, to: string | null) => new URLSearchParams([...(from ? [['from', from]] : []), ...(to ? [['to', to]] : [])]).toString()

/** Dispute figures per zone and overall for the period (every role: counts and rates only). */
export const fetchDisputeFigures = (communityId: string, from: string | null, to: string | null, signal?: AbortSignal) =>
  getJson<DisputeFiguresAnswer>(`${base(communityId)}/disputes/figures?${period(from, to)}`, signal)

/** The disputes (newest first), with their parties for roles that may see them. */
export const fetchDisputes = (communityId: string, signal?: AbortSignal) => getJson<{ disputes: Dispute[]; total: number }>(`${base(communityId)}/disputes?limit=500`, signal)

/** One dispute with its follow-ups and escalations. */
export const fetchDispute = (communityId: string, id: number, signal?: AbortSignal) => getJson<Dispute>(`${base(communityId)}/disputes/${id}`, signal)

/** Records a new dispute (it starts as reported). */
export async function createDispute(communityId: string, body: Record<string, unknown>): Promise<Dispute> {
  return (await requestJson<Dispute>(`${base(communityId)}/disputes`, { method: 'POST', body })).body
}

/** Changes a dispute made on `version`; a `status` moves it along its lifecycle. */
export async function changeDispute(communityId: string, id: number, version: number, patch: DisputePatch): Promise<Dispute> {
  return (await requestJson<Dispute>(`${base(communityId)}/disputes/${id}`, { method: 'PATCH', body: patch, headers: { 'if-match': `"${version}"` } })).body
}

/** A follow-up visit after an agreement: did it hold? */
export async function addFollowUp(communityId: string, id: number, body: { visitedOn: string; held: boolean; notes?: string }): Promise<void> {
  await requestJson<unknown>(`${base(communityId)}/disputes/${id}/follow-ups`, { method: 'POST', body })
}

/** Early warnings as of a local date (repeats within 90 days, open past the deadline, near a hot spot). */
export const fetchWarnings = (communityId: string, asOf: string, signal?: AbortSignal) => getJson<DisputeWarnings>(`${base(communityId)}/disputes/warnings?asOf=${asOf}`, signal)

/** Key problems, overdue first, as of a local date. */
export const fetchProblems = (communityId: string, asOf: string, lang: string, signal?: AbortSignal) =>
  getJson<{ problems: Problem[]; total: number }>(`${base(communityId)}/problems?asOf=${asOf}&lang=${lang}&limit=500`, signal)

/** Adds a progress note to a key problem. */
export async function addProblemNote(communityId: string, id: number, body: { notedOn: string; text: string }): Promise<void> {
  await requestJson<unknown>(`${base(communityId)}/problems/${id}/notes`, { method: 'POST', body })
}

/** Care files (admins and the care role; every read is audited). */
export const fetchCareFiles = (communityId: string, signal?: AbortSignal) => getJson<{ files: CareFile[]; total: number }>(`${base(communityId)}/care?limit=500`, signal)

/** Care files per zone (every role; counts below 3 are null). */
export const fetchCareCounts = (communityId: string, signal?: AbortSignal) => getJson<CareCounts>(`${base(communityId)}/care/counts`, signal)

/** Records a visit to a person under assistance. */
export async function addCareVisit(communityId: string, id: number, body: { visitedOn: string; visitor: string; notes?: string }): Promise<void> {
  await requestJson<unknown>(`${base(communityId)}/care/${id}/visits`, { method: 'POST', body })
}

/** The community's dispute deadline of the early warnings (admins, planners, mediators read it). */
export interface DisputeDeadline {
  days: number
  defaultDays: number
  version: number
}

/** GET …/disputes/deadline. */
export const fetchDeadline = (communityId: string, signal?: AbortSignal) => getJson<DisputeDeadline>(`${base(communityId)}/disputes/deadline`, signal)

/** Sets the deadline (admins) made on `version`; 409 when it changed since. */
export async function saveDeadline(communityId: string, version: number, days: number): Promise<DisputeDeadline> {
  return (await requestJson<DisputeDeadline>(`${base(communityId)}/disputes/deadline`, { method: 'PUT', body: { days }, headers: { 'if-match': `"${version}"` } })).body
}
