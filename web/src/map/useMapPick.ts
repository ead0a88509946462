/**
 * A click on the map that belongs to a panel (placing a dispute, picking a captain's buildings):
 * while `active`, the pointer is a crosshair and each click goes to `onPick`. The app's own
 * selection clicks are paused by the caller (MapView's `interactive`) and, from the same commit that
 * starts the pick (before that prop has come round), by `isPicking`.
 */
import { useEffect, useEffectEvent } from 'react'
import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl'

/** Picks under way per map. */
const picks = new WeakMap<MapLibreMap, number>()

/** Whether a panel's pick has the map's clicks now. */
export const isPicking = (map: MapLibreMap) => (picks.get(map) ?? 0) > 0

export function useMapPick(map: MapLibreMap | null, active: boolean, onPick: (e: MapMouseEvent) => void): void {
  const pick = useEffectEvent(onPick)
  useEffect(() => {
    if (map === null || !active) return
    const onClick = (e: MapMouseEvent) => pick(e)
    map.getCanvas().style.cursor = 'crosshair'
    map.on('click', onClick)
    picks.set(map, (picks.get(map) ?? 0) + 1)
    return () => {
      picks.set(map, (picks.get(map) ?? 1) - 1)
      map.off('click', onClick)
      map.getCanvas().style.cursor = ''
    }
  }, [map, active])
}
