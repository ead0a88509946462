/**
 * The captains of a city come for the view: a city has up to 100,000 of them, too many to load
 * whole. The first box comes with the other GeoJSON layers (`loadCaptains`), a new one whenever
 * the view leaves the last box (from the zoom where the captains are drawn).
 */
import { useCallback, useEffect, useEffectEvent, useRef } from 'react'
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl'
import { fetchLayer, type Community } from '../api'
import type { Lang } from '../lib/i18n'
import { emptyCollection, type Box, type CaptainCollection } from './data'
import { captainsCircle, SOURCE } from './layers'

/**
 * Above this many captains (a city has 100,000) the captains layer is loaded for the view only,
 * from the zoom where it is drawn, instead of whole.
 */
export const CAPTAINS_WHOLE_MAX = 5000

/** The map's view grown by half its size on each side (so small pans need no new request). */
function grownView(m: MapLibreMap): Box {
  const b = m.getBounds()
  const dx = (b.getEast() - b.getWest()) / 2
  const dy = (b.getNorth() - b.getSouth()) / 2
  return [b.getWest() - dx, Math.max(-85, b.getSouth() - dy), b.getEast() + dx, Math.min(85, b.getNorth() + dy)]
}

const inside = (inner: Box, outer: Box) => inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3]

/** Whether the captains of a community are loaded for the view rather than whole. */
export const captainsByView = (community: Community) => (community.counts.captains ?? 0) > CAPTAINS_WHOLE_MAX

/**
 * Follows the view of `map` (the map from its creation on) with the captains of a city;
 * `onCaptains` gets each new set, after it was put on the map. Returns how to load the first set:
 * whole for a town, the view's for a city (none while zoomed out).
 */
export function useCaptainsForView(
  map: MapLibreMap | null,
  community: Community,
  lang: Lang,
  onCaptains: (fc: CaptainCollection) => void,
): (signal: AbortSignal) => Promise<CaptainCollection> {
  const byView = captainsByView(community)
  // the box the captains were last loaded for, and on which map (null: none yet)
  const last = useRef<{ map: MapLibreMap; box: Box } | null>(null)
  const loaded = useEffectEvent(onCaptains)

  /** The box to load captains for now, or null when the view needs none (town, zoomed out, still inside the last box). */
  const nextBox = useCallback(
    (m: MapLibreMap): Box | null => {
      if (!byView || m.getZoom() < (captainsCircle.minzoom ?? 0)) return null
      const b = m.getBounds()
      if (last.current?.map === m && inside([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], last.current.box)) return null
      last.current = { map: m, box: grownView(m) }
      return last.current.box
    },
    [byView],
  )

  useEffect(() => {
    if (map === null || !byView) return
    const abort = new AbortController()
    let current: AbortController | null = null
    const onMoveEnd = () => {
      const next = nextBox(map)
      if (next === null) return
      current?.abort()
      const mine = new AbortController()
      current = mine
      fetchLayer(community.id, 'captains', lang, mine.signal, next).then(
        (fc) => {
          if (mine.signal.aborted || abort.signal.aborted) return
          map.getSource<GeoJSONSource>(SOURCE.captains)?.setData(fc)
          loaded(fc)
        },
        () => {},
      )
    }
    map.on('moveend', onMoveEnd)
    return () => {
      abort.abort()
      current?.abort()
      map.off('moveend', onMoveEnd)
    }
  }, [map, community, lang, byView, nextBox])

  return useCallback(
    async (signal: AbortSignal) => {
      if (!byView) return fetchLayer(community.id, 'captains', lang, signal)
      const first = map === null ? null : nextBox(map)
      return first === null ? emptyCollection() : fetchLayer(community.id, 'captains', lang, signal, first)
    },
    [map, community, lang, byView, nextBox],
  )
}
