/** The few API calls the map makes, typed as the server documents them. */
import type { Feature, FeatureCollection, Geometry, LineString, MultiLineString, MultiPolygon, Point, Polygon } from 'geojson'
import { ApiError, parseApiError } from './lib/api-error'

/** A community as listed by `GET /api/communities`. */
export interface Community {
  id: string
  name: string
  /** the Chinese name, when the community has one */
  nameZh: string | null
  /** [west, south, east, north] in degrees */
  bbox: [number, number, number, number]
  center: [number, number]
  timeZone: string
  metricSrid: number
  counts: Record<string, number>
}

/** A patrol shift: ISO weekdays (1 = Monday) and local times; end ≤ start crosses midnight. */
export interface Shift {
  days: number[]
  start: string
  end: string
}

export interface ZoneProps {
  code: string
  name: string
  gridWorker: string | null
  teamId: number | null
  teamName: string | null
}

export interface RouteProps {
  name: string
  teamId: number
  teamName: string
  reachM: number
  shifts: Shift[]
}

export interface CaptainProps {
  name: string
  active: boolean
  buildings: number
}

/** The GeoJSON layers the map loads whole (the others come as vector tiles). */
export interface GeoJsonLayers {
  zones: FeatureCollection<Polygon | MultiPolygon, ZoneProps>
  routes: FeatureCollection<LineString | MultiLineString, RouteProps>
  captains: FeatureCollection<Point, CaptainProps>
}
export type GeoJsonLayerName = keyof GeoJsonLayers

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text()
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/**
 * GETs JSON from our server. Throws `ApiError`: with the server's code on an error answer, with
 * status 0 and code "network" when no answer arrived.
 */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response
  try {
    res = await fetch(path, { headers: { accept: 'application/json, application/geo+json' }, signal: signal ?? null })
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e))
  }
  const body = await readBody(res)
  if (!res.ok) throw parseApiError(res.status, body)
  return body as T
}

/** All communities this server knows. */
export async function fetchCommunities(signal?: AbortSignal): Promise<Community[]> {
  const body = await getJson<{ communities: Community[] }>('/api/communities', signal)
  return body.communities
}

/** One whole GeoJSON layer of a community. */
export function fetchLayer<L extends GeoJsonLayerName>(
  communityId: string,
  layer: L,
  signal?: AbortSignal,
): Promise<GeoJsonLayers[L]> {
  return getJson<GeoJsonLayers[L]>(`/api/communities/${encodeURIComponent(communityId)}/layers/${layer}`, signal)
}

/** Any feature of the GeoJSON layers (for code that only reads team properties). */
export type AnyLayerFeature = Feature<Geometry, Partial<ZoneProps & RouteProps>>
