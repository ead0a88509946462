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

/** How far an upload is: the bytes sent of the file, then the server reading and checking it. */
export type UploadProgress = { phase: 'upload'; loaded: number; total: number } | { phase: 'processing' }

/**
 * Sends a file as the request's body: a dry run answers the report, a confirmed import the report
 * of what it wrote. A file with rejected rows answers 422 with the report, which is returned
 * (nothing was written) rather than thrown. Sent with XMLHttpRequest, whose upload reports its
 * progress (fetch does not): `onProgress` hears the bytes sent, then `processing` once the whole
 * file is with the server; `signal` aborts it (an ApiError with code `aborted`).
 */
export function importFile(communityId: string, file: File, o: ImportOptions, onProgress?: (p: UploadProgress) => void, signal?: AbortSignal): Promise<ImportReport> {
  const q = new URLSearchParams({ layer: o.layer, crs: o.crs, encoding: o.encoding, source: o.source || 'import', dryRun: String(o.dryRun), fileName: file.name, lang: o.lang })
  return new Promise<ImportReport>((resolve, reject) => {
    if (signal?.aborted) return reject(new ApiError(0, 'aborted', 'the upload was cancelled'))
    const xhr = new XMLHttpRequest()
    xhr.open('POST', `${base(communityId)}/imports?${q}`)
    xhr.withCredentials = true
    xhr.setRequestHeader('content-type', 'application/octet-stream')
    xhr.setRequestHeader('accept', 'application/json')
    xhr.upload.onprogress = (e) => onProgress?.({ phase: 'upload', loaded: e.loaded, total: e.lengthComputable ? e.total : file.size })
    xhr.upload.onload = () => onProgress?.({ phase: 'processing' })
    const onAbort = () => xhr.abort()
    signal?.addEventListener('abort', onAbort, { once: true })
    const settle = () => signal?.removeEventListener('abort', onAbort)
    xhr.onabort = () => (settle(), reject(new ApiError(0, 'aborted', 'the upload was cancelled')))
    xhr.onerror = () => (settle(), reject(new ApiError(0, 'network', 'the upload failed')))
    xhr.onload = () => {
      settle()
      let answer: unknown = xhr.responseText
      try {
        answer = JSON.parse(xhr.responseText)
      } catch {
        // an answer that is not JSON: said as the error below
      }
      if (xhr.status === 401) sessionEnded()
      if (xhr.status >= 200 && xhr.status < 300) return resolve(answer as ImportReport)
      const report = (answer as { error?: { details?: { report?: ImportReport } } })?.error?.details?.report
      if (xhr.status === 422 && report) return resolve(report)
      reject(parseApiError(xhr.status, answer))
    }
    xhr.send(file)
  })
}

/** The community's past imports, newest first. */
export const fetchImports = (communityId: string, signal?: AbortSignal) => getJson<ImportList>(`${base(communityId)}/imports`, signal)
