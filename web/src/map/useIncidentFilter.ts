/**
 * The filter bar on the map: the incident tiles for the chosen filters, and which patrol routes
 * are in service in the chosen hours and weekdays. Also the building tiles' language (the names
 * of their captains): like the filters, a new query for the same tiles.
 */
import { useEffect } from 'react'
import type { GeoJSONSource, Map as MapLibreMap, VectorTileSource } from 'maplibre-gl'
import type { Community } from '../api'
import { filterQuery, type IncidentFilter } from '../lib/filters'
import { routeFeatures } from '../lib/route-features'
import type { RouteCollection } from './data'
import { SOURCE } from './layers'
import type { Lang } from '../lib/i18n'
import { buildingQuery, tileUrl } from './style'

/** Points the vector source `id` at `layer`'s tiles with `query`, unless it already is. */
function retile(map: MapLibreMap, id: string, layer: 'buildings' | 'incidents', community: Community, query: string): void {
  const source = map.getSource<VectorTileSource>(id)
  const url = tileUrl(window.location.origin, layer, community.id, query)
  if (source !== undefined && source.tiles[0] !== url) source.setTiles([url])
}

/** The building tiles of `map` with their names in `lang`, new ones after each save (`dataVersion`). */
export function useBuildingLanguage(map: MapLibreMap | null, community: Community, lang: Lang, dataVersion = 0): void {
  useEffect(() => {
    if (map !== null) retile(map, SOURCE.buildings, 'buildings', community, buildingQuery(lang, dataVersion))
  }, [map, community, lang, dataVersion])
}

/** What each map's routes source holds: the routes and the hours and weekdays they were drawn for. */
const drawnRoutes = new WeakMap<MapLibreMap, { routes: RouteCollection; key: string }>()

/**
 * Puts `routes` on `map` as drawn for `filter`'s hours and weekdays — unless the map already shows
 * those routes for those hours and weekdays: each setData is a round of work in MapLibre's worker
 * and a drawing, which the first load used to pay twice (the layers, then the filter bar).
 */
export function drawRoutes(map: MapLibreMap, routes: RouteCollection, { hours, weekdays }: Pick<IncidentFilter, 'hours' | 'weekdays'>): void {
  const key = JSON.stringify([hours, weekdays])
  const drawn = drawnRoutes.get(map)
  if (drawn !== undefined && drawn.routes === routes && drawn.key === key) return
  map.getSource<GeoJSONSource>(SOURCE.routes)?.setData(routeFeatures(routes, { hours, weekdays }))
  drawnRoutes.set(map, { routes, key })
}

/** Applies `filter` to the incidents and the `routes` (as loaded; null: not yet) of `map`; new incident tiles after each import or save (`dataVersion`). */
export function useIncidentFilter(map: MapLibreMap | null, community: Community, filter: IncidentFilter, routes: RouteCollection | null, dataVersion = 0): void {
  const query = filterQuery(filter)
  useEffect(() => {
    if (map === null) return
    retile(map, SOURCE.incidents, 'incidents', community, dataVersion > 0 ? `${query}${query ? '&' : ''}v=${dataVersion}` : query)
    document.body.dataset.incidentQuery = query
  }, [map, community, query, dataVersion])

  const { hours, weekdays } = filter
  useEffect(() => {
    if (map === null || routes === null) return
    drawRoutes(map, routes, { hours, weekdays })
  }, [map, routes, hours, weekdays])
}
