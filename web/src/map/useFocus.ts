/**
 * Flies to a search result, or a captain, zone or priority gap chosen in a panel (the map's
 * padding keeps it beside the panels). A captain's view takes in their dot as well as their buildings.
 */
import { useEffect, useEffectEvent } from 'react'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { featureBbox } from '../lib/coverage'
import { findCaptain, pointOf, type LoadedData } from './data'
import { prefersReducedMotion } from './motion'
import type { FocusRequest } from './selection'

/** Room around what is flown to (on top of the panels' padding), in pixels. */
export const FOCUS_PADDING = 48

/**
 * How far a flight may zoom in: a building at 17 keeps its street and neighbours in view (street
 * level, 18 and more, loses where it is); a zone is fitted whole (its own size decides, and it is
 * never zoomed in further than a building), as is a team's patch; a priority gap's cell shows its blocks around it.
 */
export const FOCUS_MAX_ZOOM: Record<FocusRequest['kind'], number> = { building: 17, zone: 17, team: 17, captain: 17, place: 16.5 }

/** Flies `map` to each new `focus` request (a new `key`), once. */
export function useFocus(map: MapLibreMap | null, focus: FocusRequest | null, data: LoadedData): void {
  const flyTo = useEffectEvent((m: MapLibreMap) => {
    if (focus === null) return
    let bbox = focus.bbox
    if (focus.kind === 'captain') {
      const captain = findCaptain(data, focus.id)
      const at = captain === null ? null : pointOf(captain)
      if (at !== null) {
        const [x, y] = at
        bbox = bbox === null ? [x, y, x, y] : [Math.min(bbox[0], x), Math.min(bbox[1], y), Math.max(bbox[2], x), Math.max(bbox[3], y)]
      }
    }
    if (focus.kind === 'zone' && 'id' in focus) {
      const zone = data.zones?.features.find((f) => f.properties.id === focus.id)
      if (zone !== undefined) bbox = featureBbox(zone.geometry)
    }
    if (bbox === null) return
    m.fitBounds(bbox, { padding: FOCUS_PADDING, maxZoom: FOCUS_MAX_ZOOM[focus.kind], duration: prefersReducedMotion() ? 0 : 1200 })
  })
  // Only a new request flies: the captains arriving later, or a re-render, must not fly again.
  const key = focus?.key ?? null
  useEffect(() => {
    if (map !== null && key !== null) flyTo(map)
  }, [map, key])
}
