/** The hotspots request: the analysis parameters and the shared filters in one query. */
import { getJson } from '../api'
import { analysisSearchParams, type AnalysisParams, type HotspotCollection } from '../lib/hotspots'

/** The path of `GET /api/communities/:id/hotspots` for an analysis and the filters' query parameters. */
export function hotspotsPath(communityId: string, analysis: AnalysisParams, filters: URLSearchParams): string {
  const q = analysisSearchParams(analysis)
  for (const [k, v] of filters) q.set(k, v)
  return `/api/communities/${encodeURIComponent(communityId)}/hotspots?${q.toString()}`
}

/** Fetches the cells; throws `ApiError` as `getJson` does. */
export function fetchHotspots(path: string, signal?: AbortSignal): Promise<HotspotCollection> {
  return getJson<HotspotCollection>(path, signal)
}
