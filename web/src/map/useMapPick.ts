/**
 * A click on the map that belongs to a panel (placing a dispute, picking a captain's buildings):
 * while `active`, the pointer is a crosshair and each click goes to `onPick`. The app's own
 * selection clicks are paused by the caller (MapView's `interactive`).
 */
import { useEffect, useEffectEvent } from 'react'
import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl'

export function useMapPick(map: MapLibreMap | null, active: boolean, onPick: (e: MapMouseEvent) => void): void {
  const pick = useEffectEvent(onPick)
  useEffect(() => {
    if (map === null || !active) return
    const onClick = (e: MapMouseEvent) => pick(e)
    map.getCanvas().style.cursor = 'crosshair'
    map.on('click', onClick)
    return () => {
      map.off('click', onClick)
      map.getCanvas().style.cursor = ''
    }
  }, [map, active])
}
