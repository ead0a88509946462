/** Creating a community and importing files into it, as the web app calls it (server/src/routes/communities.ts, imports.ts). */
import type { Community, ImportEncoding, ImportLayer, ImportList, ImportReport } from '../../../server/src/contract'
import { base, getJson, requestJson } from '../api'
import { sessionEnded } from '../auth/session'
import { ApiError, parseApiError } from '../lib/api-error'
import type { Lang } from '../lib/i18n'

export type { ImportEncoding, ImportLayer, ImportList, ImportReport } from '../../../server/src/contract'

/** Creates an empty community (system administrators). */
export async function createCommunity(body: { id: string; name: string; nameZh: string | null; timeZone: string; boundary: unknown }): Promise<Community> {
  return (await requestJson<{ community: Community }>('/api/communities', { method: 'POST', body })).body.community
}

export interface ImportOptions {
  layer: ImportLayer
  crs: string
  encoding: ImportEncoding
  source: string
  dryRun: boolean
  lang: Lang
}

/**
 * Sends a file as the request's body: a dry run answers the report, a confirmed import the report
 * of what it wrote. A file with rejected rows answers 422 with the report, which is returned
 * (nothing was written) rather than thrown.
 */
export async function importFile(communityId: string, file: File, o: ImportOptions): Promise<ImportReport> {
  const q = new URLSearchParams({ layer: o.layer, crs: o.crs, encoding: o.encoding, source: o.source || 'import', dryRun: String(o.dryRun), fileName: file.name, lang: o.lang })
  let res: Response
  try {
    res = await fetch(`${base(communityId)}/imports?${q}`, { method: 'POST', body: file, headers: { 'content-type': 'application/octet-stream', accept: 'application/json' }, credentials: 'same-origin' })
  } catch (e) {
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e))
  }
  const text = await res.text()
  let answer: unknown = text
  try {
    answer = JSON.parse(text)
  } catch {
    // an answer that is not JSON: said as the error below
  }
  if (res.status === 401) sessionEnded()
  if (res.ok) return answer as ImportReport
  const report = (answer as { error?: { details?: { report?: ImportReport } } })?.error?.details?.report
  if (res.status === 422 && report) return report
  throw parseApiError(res.status, answer)
}

/** The community's past imports, newest first. */
export const fetchImports = (communityId: string, signal?: AbortSignal) => getJson<ImportList>(`${base(communityId)}/imports`, signal)
