/**
 * The GeoJSON layers of the map (zones, routes, captains): fetched once per map, put on the map
 * once its style has loaded, the team colours derived from them, and the ready flag
 * (`body[data-map-ready]`) raised at the first idle after that with every source loaded.
 */
import { useCallback, useEffect, useEffectEvent, useState } from 'react'
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl'
import { fetchLayer, type Community, type GeoJsonLayerName, type GeoJsonLayers } from '../api'
import { ApiError } from '../lib/api-error'
import type { IncidentFilter } from '../lib/filters'
import type { Lang } from '../lib/i18n'
import { assignTeamColors, teamColorExpression, type TeamColor } from '../lib/palette'
import { NO_DATA, zoneLabelPoints, type CaptainCollection, type LoadedData } from './data'
import { SOURCE, TEAM_COLORED } from './layers'
import { drawRoutes } from './useIncidentFilter'
import { useCaptainsForView } from './useCaptainsForView'

export interface GeoJsonLayerEvents {
  /** the filter the routes are first drawn with (which parts are in service) */
  filter: IncidentFilter
  /** a layer could not be loaded (the others still show) */
  onLayerError: (layer: GeoJsonLayerName, error: ApiError) => void
  /** the patrol teams and their colours, once the layers are in */
  onTeams: (teams: TeamColor[]) => void
  /** changes when the data changed (a planner saved): the layers are fetched again */
  dataVersion?: number
}

/**
 * Loads the GeoJSON layers for `instance` (the map from its creation on), with their names in
 * `lang` (again when it changes), and draws them on `map` (the same map once its style has
 * loaded, before its first tiles are in: only GeoJSON data and paint properties are set here).
 * Returns the layers as loaded (none until drawn).
 */
export function useGeoJsonLayers(
  instance: MapLibreMap | null,
  map: MapLibreMap | null,
  community: Community,
  lang: Lang,
  { filter, onLayerError, onTeams, dataVersion = 0 }: GeoJsonLayerEvents,
): LoadedData {
  // the layers as fetched, for the map they were fetched for (they are drawn once it has loaded)
  const [fetched, setFetched] = useState<{ map: MapLibreMap; layers: LoadedData } | null>(null)
  // the layers as drawn (state: hooks that need them run again when they arrive)
  const [data, setData] = useState<LoadedData>(NO_DATA)
  const loadCaptains = useCaptainsForView(
    instance,
    community,
    lang,
    useCallback((captains: CaptainCollection) => setData((d) => ({ ...d, captains })), []),
  )
  const layerFailed = useEffectEvent(onLayerError)
  const teamsKnown = useEffectEvent(onTeams)
  const readFilter = useEffectEvent(() => filter)

  // Fetch the layers; each failure is reported, the rest still shows.
  useEffect(() => {
    if (instance === null) return
    const abort = new AbortController()
    const load = async <L extends GeoJsonLayerName>(layer: L, get: () => Promise<GeoJsonLayers[L]>): Promise<GeoJsonLayers[L] | null> => {
      try {
        return await get()
      } catch (err) {
        if (!abort.signal.aborted) layerFailed(layer, err instanceof ApiError ? err : new ApiError(0, 'network', String(err)))
        return null
      }
    }
    void Promise.all([
      load('zones', () => fetchLayer(community.id, 'zones', lang, abort.signal)),
      load('routes', () => fetchLayer(community.id, 'routes', lang, abort.signal)),
      load('captains', () => loadCaptains(abort.signal)),
    ]).then(([zones, routes, captains]) => {
      if (!abort.signal.aborted) setFetched({ map: instance, layers: { zones, routes, captains } })
    })
    return () => {
      abort.abort()
    }
  }, [instance, community, lang, loadCaptains, dataVersion])
  // a new map or community starts empty (new data after a save replaces the old when it arrives)
  useEffect(
    () => () => {
      setFetched(null)
      setData(NO_DATA)
    },
    [instance, community, lang],
  )

  // Draw them once the style has loaded.
  useEffect(() => {
    if (map === null || fetched === null || fetched.map !== map) return
    const layers = fetched.layers
    const { zones, routes, captains } = layers
    if (zones !== null) {
      map.getSource<GeoJSONSource>(SOURCE.zones)?.setData(zones)
      map.getSource<GeoJSONSource>(SOURCE.zoneLabels)?.setData(zoneLabelPoints(zones))
    }
    if (routes !== null) drawRoutes(map, routes, readFilter())
    if (captains !== null) map.getSource<GeoJSONSource>(SOURCE.captains)?.setData(captains)
    // Team colours are set before the ready flag, so a ready map is a finished one.
    const teams = assignTeamColors([...(zones?.features ?? []), ...(routes?.features ?? []), ...(captains?.features ?? [])])
    for (const { id, property } of TEAM_COLORED) map.setPaintProperty(id, property, teamColorExpression(teams))
    teamsKnown(teams)
    setData(layers)
    // Ready = the first idle after the data is in, with every source loaded.
    const onIdle = () => {
      const sources = Object.keys(map.getStyle().sources)
      if (!sources.every((id) => map.isSourceLoaded(id))) return
      map.off('idle', onIdle)
      document.body.dataset.mapReady = 'true'
    }
    map.on('idle', onIdle)
    map.triggerRepaint()
    return () => {
      map.off('idle', onIdle)
    }
  }, [map, fetched])

  return data
}
