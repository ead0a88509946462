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

/** A request to fly somewhere (a search result); `key` makes a repeated request fly again. */
export interface FocusRequest {
  key: number
  bbox: [number, number, number, number]
  /** buildings are zoomed closer than zones */
  kind: 'zone' | 'building'
}

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
