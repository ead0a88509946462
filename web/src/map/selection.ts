/**
 * What the details panel shows: the feature the planner clicked (or searched for, or a shared link
 * named). `props` is null until the map has found the feature's properties (a link or a search
 * result names only kind and id).
 */
import type { BuildingProps, CaptainProps, ClusterProps, IncidentProps, RouteProps, ZoneProps } from '../api'

export type Selection =
  | { kind: 'building'; id: number; props: BuildingProps | null; zone?: ZoneProps | null }
  | { kind: 'zone'; id: number; props: ZoneProps | null }
  | { kind: 'route'; id: number; props: RouteProps | null }
  | { kind: 'incident'; id: number; props: IncidentProps | null; zone?: ZoneProps | null }
  | { kind: 'captain'; id: number; props: CaptainProps | null }
  | { kind: 'cluster'; id: number; props: ClusterProps; lngLat: [number, number] }

/**
 * A request to fly somewhere (a search result, a captain, zone or priority gap in the coverage
 * panel); `key` makes a
 * repeated request fly again. A captain's view takes in their dot on the map besides `bbox` (their
 * buildings; null when not known).
 */
export type FocusRequest =
  | { key: number; kind: 'zone' | 'team' | 'building'; bbox: [number, number, number, number] }
  /** a zone known by id only (a row of the coverage table): its shape comes from the loaded zones */
  | { key: number; kind: 'zone'; id: number; bbox: null }
  | { key: number; kind: 'captain'; id: number; bbox: [number, number, number, number] | null }
  /** a place (a priority gap's cell) */
  | { key: number; kind: 'place'; bbox: [number, number, number, number] }

/** Parses a cluster's "ROBBERY:3,VANDALISM:1" into [category, count] pairs, most frequent first. */
export function clusterCategories(list: string): [string, number][] {
  return list
    .split(',')
    .filter(Boolean)
    .map((part) => {
      const i = part.lastIndexOf(':')
      return [part.slice(0, i), Number(part.slice(i + 1))] as [string, number]
    })
}
