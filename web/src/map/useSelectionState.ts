/**
 * Feedback on the map without restyling (see layers.ts): the `selected` feature state of the
 * selection, and the `captain` state of the buildings of one captain — the one under the pointer,
 * else the selected one's.
 */
import { useEffect } from 'react'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { captainOf, findCaptain, selectionTargets, type LoadedData } from './data'
import { buildingsFill } from './layers'
import type { Selection } from './selection'

/** Sets the feature state of `selection` and of the outlined captain's buildings on `map`. */
export function useSelectionState(map: MapLibreMap | null, data: LoadedData, selection: Selection | null, hoverCaptain: number | null): void {
  // Only which feature is selected matters here, not whether its properties are known yet.
  const kind = selection?.kind ?? null
  const id = selection?.id ?? null
  const routes = data.routes
  useEffect(() => {
    if (map === null || kind === null || id === null) return
    const targets = selectionTargets(kind, id, routes)
    for (const target of targets) map.setFeatureState(target, { selected: true })
    return () => {
      for (const target of targets) if (map.getSource(target.source) !== undefined) map.setFeatureState(target, { selected: false })
    }
  }, [map, routes, kind, id])

  const outlined = hoverCaptain ?? captainOf(selection)
  const captain = outlined === null ? null : findCaptain(data, outlined)
  const buildingIds = captain?.properties.buildingIds ?? null
  useEffect(() => {
    if (map === null || buildingIds === null) return
    const targets = buildingIds.map((id) => ({ source: buildingsFill.source, sourceLayer: buildingsFill['source-layer'], id }))
    for (const target of targets) map.setFeatureState(target, { captain: true })
    return () => {
      if (map.getSource(buildingsFill.source) === undefined) return
      for (const target of targets) map.setFeatureState(target, { captain: false })
    }
  }, [map, buildingIds])
}
