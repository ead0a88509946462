/**
 * The filter bar on the map: the incident tiles for the chosen filters, and which patrol routes
 * are in service in the chosen hours and weekdays.
 */
import { useEffect } from 'react'
import type { GeoJSONSource, Map as MapLibreMap, VectorTileSource } from 'maplibre-gl'
import type { Community } from '../api'
import { filterQuery, type IncidentFilter } from '../lib/filters'
import { routeFeatures } from '../lib/route-features'
import type { RouteCollection } from './data'
import { SOURCE } from './layers'
import { tileUrl } from './style'

/** Applies `filter` to the incidents and the `routes` (as loaded; null: not yet) of `map`. */
export function useIncidentFilter(map: MapLibreMap | null, community: Community, filter: IncidentFilter, routes: RouteCollection | null): void {
  const query = filterQuery(filter)
  useEffect(() => {
    if (map === null) return
    const source = map.getSource<VectorTileSource>(SOURCE.incidents)
    const url = tileUrl(window.location.origin, 'incidents', community.id, query)
    if (source !== undefined && source.tiles[0] !== url) source.setTiles([url])
    document.body.dataset.incidentQuery = query
  }, [map, community, query])

  const { hours, weekdays } = filter
  useEffect(() => {
    if (map === null || routes === null) return
    map.getSource<GeoJSONSource>(SOURCE.routes)?.setData(routeFeatures(routes, { hours, weekdays }))
  }, [map, routes, hours, weekdays])
}
