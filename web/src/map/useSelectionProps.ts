/**
 * Completes a selection known only by kind and id (a shared link, a search result): zones, routes
 * and captains from the loaded layers; buildings and incidents from the loaded tiles once the map
 * is idle, and a building that is in no loaded tile from the server.
 */
import { useEffect, useEffectEvent } from 'react'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { fetchBuilding, type Community } from '../api'
import type { Lang } from '../lib/i18n'
import { findCaptain, findRoute, findZone, tileProps, zoneOf, type LoadedData } from './data'
import { buildingsFill, incidentsCircle } from './layers'
import type { Selection } from './selection'

/** Finds the properties of `selection` when it has none and reports the completed selection. */
export function useSelectionProps(
  map: MapLibreMap | null,
  community: Community,
  lang: Lang,
  data: LoadedData,
  selection: Selection | null,
  onSelect: (selection: Selection) => void,
): void {
  const select = useEffectEvent(onSelect)
  useEffect(() => {
    if (map === null || selection === null) return
    const { kind, id } = selection
    // Zones, routes and captains show the loaded layers' properties, also when the selection has
    // some already: the layers are loaded again in a new UI language, and the names must follow.
    switch (kind) {
      case 'zone': {
        const props = findZone(data, id)
        if (props !== null && props !== selection.props) select({ kind, id, props })
        return
      }
      case 'route': {
        const props = findRoute(data, id)
        if (props !== null && props !== selection.props) select({ kind, id, props })
        return
      }
      case 'captain': {
        const props = findCaptain(data, id)?.properties ?? null
        if (props !== null && props !== selection.props) select({ kind, id, props })
        return
      }
    }
    if (selection.props !== null) return
    // Buildings and incidents live in tiles: look in the loaded ones once the map is idle, then ask the server.
    const abort = new AbortController()
    const look = () => {
      if (abort.signal.aborted) return
      const layer = kind === 'building' ? buildingsFill : incidentsCircle
      const [f] = map.querySourceFeatures(layer.source, { sourceLayer: layer['source-layer'], filter: ['==', ['id'], id] })
      if (f) {
        if (kind === 'building') {
          const props = tileProps('buildings', f)
          select({ kind, id, props, zone: zoneOf(data, props) })
        } else {
          const props = tileProps('incidents', f)
          select({ kind: 'incident', id, props, zone: zoneOf(data, props) })
        }
        return
      }
      if (kind !== 'building') return
      const b = map.getBounds()
      void fetchBuilding(community.id, id, [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], lang, abort.signal)
        .then((feature) => {
          if (feature && !abort.signal.aborted) select({ kind, id, props: feature.properties, zone: zoneOf(data, feature.properties) })
        })
        .catch(() => {})
    }
    if (map.loaded()) look()
    map.once('idle', look)
    return () => {
      abort.abort()
      map.off('idle', look)
    }
  }, [map, community, lang, data, selection])
}
