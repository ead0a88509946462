/** The few API calls the map makes, typed as the server documents them. */
import type { Feature, FeatureCollection, Geometry, LineString, MultiLineString, MultiPolygon, Point, Polygon } from 'geojson'
import { sessionEnded } from './auth/session'
import { ApiError, parseApiError } from './lib/api-error'
import type { Lang } from './lib/i18n'

export type {
  BuildingFigures,
  CaptainProps,
  ClusterProps,
  Community,
  IncidentFigures,
  IncidentPeriod,
  IncidentSummary,
  RouteProps,
  SearchResult,
  Shift,
  ZoneFigures,
  ZoneProps,
} from '../../server/src/contract'
import type {
  BuildingFigures,
  BuildingProps as BuildingAnswer,
  CaptainProps,
  Community,
  IncidentPeriod,
  IncidentProps as IncidentAnswer,
  IncidentSummary,
  RouteProps,
  SearchResult,
  ZoneFigures,
  ZoneProps,
} from '../../server/src/contract'

/**
 * Properties as a vector tile carries them: a property whose value is null is left out of the tile
 * (as ST_AsMVT does), so every nullable property may also be missing.
 */
export type TileProps<T> = { [K in keyof T as null extends T[K] ? K : never]?: T[K] | undefined } & { [K in keyof T as null extends T[K] ? never : K]: T[K] }

/** A building as the buildings layer and its tiles give it. */
export type BuildingProps = TileProps<BuildingAnswer>
/** An incident as the incidents layer and its tiles give it (a lone one in a cluster cell adds cluster: false). */
export type IncidentProps = TileProps<IncidentAnswer>

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

export interface RequestOptions {
  method?: string
  /** sent as JSON */
  body?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal | undefined
  /** an answer 401 ends the app's session (false for the login itself: there 401 is a wrong password) */
  endsSession?: boolean
}

/** A JSON answer with the headers it came with (e.g. a row's ETag, its version). */
export interface JsonAnswer<T> {
  body: T
  headers: Headers
}

/**
 * Sends a request to our server and reads its JSON answer. Throws `ApiError`: with the server's
 * code on an error answer, with status 0 and code "network" when no answer arrived.
 */
export async function requestJson<T>(path: string, { method = 'GET', body, headers = {}, signal, endsSession = true }: RequestOptions = {}): Promise<JsonAnswer<T>> {
  let res: Response
  try {
    res = await fetch(path, {
      method,
      headers: { accept: 'application/json, application/geo+json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? null : JSON.stringify(body),
      credentials: 'same-origin',
      signal: signal ?? null,
    })
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e))
  }
  const answer = await readBody(res)
  if (res.status === 401 && endsSession) sessionEnded()
  if (!res.ok) throw parseApiError(res.status, answer)
  return { body: answer as T, headers: res.headers }
}

/** GETs JSON from our server (see `requestJson`). */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await requestJson<T>(path, { signal })).body
}

/** All communities this server knows. */
export async function fetchCommunities(signal?: AbortSignal): Promise<Community[]> {
  const body = await getJson<{ communities: Community[] }>('/api/communities', signal)
  return body.communities
}

/** One whole GeoJSON layer of a community, its names in `lang`. */
export function fetchLayer<L extends GeoJsonLayerName>(
  communityId: string,
  layer: L,
  lang: Lang,
  signal?: AbortSignal,
  /** only features within [west, south, east, north] */
  bbox?: readonly [number, number, number, number],
): Promise<GeoJsonLayers[L]> {
  const box = bbox ? `&bbox=${bbox.map((v) => v.toFixed(6)).join(',')}` : ''
  return getJson<GeoJsonLayers[L]>(`/api/communities/${encodeURIComponent(communityId)}/layers/${layer}?lang=${lang}${box}`, signal)
}

/** Any feature of the GeoJSON layers (for code that only reads team properties). */
export type AnyLayerFeature = Feature<Geometry, Partial<ZoneProps & RouteProps>>

export const base = (communityId: string) => `/api/communities/${encodeURIComponent(communityId)}`

/** Incident counts matching the filter (as query parameters, e.g. `filterQuery(filter)`). */
export function fetchSummary(communityId: string, query: string, signal?: AbortSignal): Promise<IncidentSummary> {
  return getJson<IncidentSummary>(`${base(communityId)}/incidents/summary${query ? `?${query}` : ''}`, signal)
}

/** First and latest local incident dates. */
export function fetchPeriod(communityId: string, signal?: AbortSignal): Promise<IncidentPeriod> {
  return getJson<IncidentPeriod>(`${base(communityId)}/incidents/period`, signal)
}

/** Zones by code, name or grid worker, teams by name, buildings by address; best first, labelled in `lang`. */
export async function search(communityId: string, q: string, lang: Lang, signal?: AbortSignal): Promise<SearchResult[]> {
  const body = await getJson<{ results: SearchResult[] }>(`${base(communityId)}/search?q=${encodeURIComponent(q)}&limit=8&lang=${lang}`, signal)
  return body.results
}

/** The building with this id among those in `bbox` (null when it is not there). */
export async function fetchBuilding(
  communityId: string,
  id: number,
  bbox: readonly [number, number, number, number],
  lang: Lang,
  signal?: AbortSignal,
): Promise<Feature<Polygon | MultiPolygon, BuildingProps> | null> {
  const fc = await getJson<FeatureCollection<Polygon | MultiPolygon, BuildingProps>>(
    `${base(communityId)}/layers/buildings?bbox=${bbox.map((v) => v.toFixed(7)).join(',')}&limit=500&lang=${lang}`,
    signal,
  )
  return fc.features.find((f) => f.properties.id === id) ?? null
}

/** One zone's buildings, captain coverage and incidents under the filter (query parameters). */
export function fetchZoneFigures(communityId: string, zoneId: number, query: string, signal?: AbortSignal): Promise<ZoneFigures> {
  return getJson<ZoneFigures>(`${base(communityId)}/zones/${zoneId}/figures${query ? `?${query}` : ''}`, signal)
}

/** Incidents within 25 m of one building under the filter (query parameters). */
export function fetchBuildingFigures(communityId: string, buildingId: number, query: string, signal?: AbortSignal): Promise<BuildingFigures> {
  return getJson<BuildingFigures>(`${base(communityId)}/buildings/${buildingId}/figures${query ? `?${query}` : ''}`, signal)
}
