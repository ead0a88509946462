/**
 * Flies to a search result or a captain chosen in a panel (the map's padding keeps it beside the
 * panels). A captain's view takes in their dot as well as their buildings.
 */
import { useEffect, useEffectEvent } from 'react'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { findCaptain, pointOf, type LoadedData } from './data'
import { prefersReducedMotion } from './motion'
import type { FocusRequest } from './selection'

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
    if (bbox === null) return
    m.fitBounds(bbox, { padding: 60, maxZoom: focus.kind === 'zone' ? 16.5 : 18, duration: prefersReducedMotion() ? 0 : 1200 })
  })
  // Only a new request flies: the captains arriving later, or a re-render, must not fly again.
  const key = focus?.key ?? null
  useEffect(() => {
    if (map !== null && key !== null) flyTo(map)
  }, [map, key])
}
