/**
 * The map's GeoJSON layers as loaded (typed by `GeoJsonLayers` in api.ts), lookups in them, and
 * the one place where untyped feature properties from vector tiles become the API's types.
 */
import { booleanPointInPolygon, centroid, pointOnFeature } from '@turf/turf'
import type { FeatureIdentifier, GeoJSONFeature } from 'maplibre-gl'
import type { FeatureCollection, Geometry, Point } from 'geojson'
import type { BuildingProps, ClusterProps, GeoJsonLayerName, GeoJsonLayers, IncidentProps, RouteProps, ZoneProps } from '../api'
import { routePartId } from '../lib/route-features'
import { routeShiftClasses } from '../lib/shifts'
import { buildingsFill, incidentsCircle, SOURCE } from './layers'
import type { Selection } from './selection'

export type ZoneCollection = GeoJsonLayers['zones']
export type RouteCollection = GeoJsonLayers['routes']
export type CaptainCollection = GeoJsonLayers['captains']

/** The GeoJSON layers as loaded, for lookups (selection, captains' buildings, a building's zone); null: not (yet) loaded. */
export type LoadedData = { [L in GeoJsonLayerName]: GeoJsonLayers[L] | null }

export const NO_DATA: LoadedData = { zones: null, routes: null, captains: null }

/** [west, south, east, north] in degrees. */
export type Box = [number, number, number, number]

/** A collection without features, of any feature type. */
export function emptyCollection<G extends Geometry, P>(): FeatureCollection<G, P> {
  return { type: 'FeatureCollection', features: [] }
}

/**
 * One label point per zone: its centroid when that lies inside the zone, else a point on its
 * surface (an L-shaped zone's centroid may fall outside it).
 */
export function zoneLabelPoints(zones: ZoneCollection): FeatureCollection<Point, ZoneProps> {
  return {
    type: 'FeatureCollection',
    features: zones.features.map((z) => {
      const c = centroid(z)
      const at = booleanPointInPolygon(c, z) ? c : pointOnFeature(z)
      return { type: 'Feature', id: z.properties.id, geometry: at.geometry, properties: z.properties }
    }),
  }
}

/**
 * The zone of a building or incident as the server placed it (its `zoneId`: a building's point on
 * surface, an incident's point), from the loaded zones; null when it has none or they are not loaded.
 */
export function zoneOf(data: LoadedData, props: { zoneId?: number | null } | null): ZoneProps | null {
  return props?.zoneId == null ? null : findZone(data, props.zoneId)
}

/** The zone, route or captain with this id among the loaded ones (null when not loaded or not there). */
export function findZone(data: LoadedData, id: number): ZoneProps | null {
  return data.zones?.features.find((f) => f.properties.id === id)?.properties ?? null
}
export function findRoute(data: LoadedData, id: number): RouteProps | null {
  return data.routes?.features.find((f) => f.properties.id === id)?.properties ?? null
}
export function findCaptain(data: LoadedData, id: number): CaptainCollection['features'][number] | null {
  return data.captains?.features.find((f) => f.properties.id === id) ?? null
}

/** Feature properties of each vector tile layer (as the server's tile encoder writes them). */
interface TileProps {
  buildings: BuildingProps
  incidents: IncidentProps
  clusters: ClusterProps
}

/**
 * The properties of a feature from a vector tile, as the API's type. MapLibre types them as a
 * loose record; the server's tile encoder writes exactly these fields, so this is the one cast at
 * that library boundary.
 */
export function tileProps<K extends keyof TileProps>(_layer: K, feature: Pick<GeoJSONFeature, 'properties'>): TileProps[K] {
  return feature.properties as TileProps[K]
}

/** The point of a point feature, null for other geometries. */
export function pointOf(feature: { geometry: Geometry }): [number, number] | null {
  const g = feature.geometry
  return g.type === 'Point' ? [g.coordinates[0]!, g.coordinates[1]!] : null
}

/** The feature-state targets of a selection on the map (a route has one feature per part of the day). */
export function selectionTargets(kind: Selection['kind'], id: number, routes: RouteCollection | null): FeatureIdentifier[] {
  switch (kind) {
    case 'building':
      return [{ source: buildingsFill.source, sourceLayer: buildingsFill['source-layer'], id }]
    case 'incident':
      return [{ source: incidentsCircle.source, sourceLayer: incidentsCircle['source-layer'], id }]
    case 'zone':
      return [{ source: SOURCE.zones, id }]
    case 'captain':
      return [{ source: SOURCE.captains, id }]
    case 'route': {
      const route = routes?.features.find((f) => f.properties.id === id)
      const classes = route ? routeShiftClasses(route.properties.shifts) : []
      return (classes.length > 0 ? classes : (['day'] as const)).map((c) => ({ source: SOURCE.routes, id: routePartId(id, c) }))
    }
    case 'cluster':
      return []
  }
}

/** The captain whose buildings to outline for a selection (its own captain, or the captain selected). */
export function captainOf(sel: Selection | null): number | null {
  if (sel === null || sel.props === null) return null
  if (sel.kind === 'captain') return sel.id
  if (sel.kind === 'building') return sel.props.captainId ?? null
  return null
}
