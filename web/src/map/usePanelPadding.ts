/**
 * The panels' room as the map's padding, so centring and fitting use the rest. When the whole
 * community was in view and the panels now cover part of it, it is fitted into what is left;
 * otherwise the centre stays where it is.
 */
import { useEffect } from 'react'
import type { Map as MapLibreMap, PaddingOptions } from 'maplibre-gl'
import type { Community } from '../api'
import { prefersReducedMotion } from './motion'
import { FIT_PADDING, type MapInsets } from './useMapInstance'

/** Keeps the padding of `map` equal to `insets`. */
export function usePanelPadding(map: MapLibreMap | null, community: Community, { left, right, bottom }: MapInsets): void {
  useEffect(() => {
    if (map === null) return
    const next = { top: 0, left, right, bottom }
    const old = map.getPadding()
    if (old.left === left && old.right === right && old.bottom === bottom) return
    const box = community.bbox
    const fits = (p: PaddingOptions) => {
      const { clientWidth: width, clientHeight: height } = map.getContainer()
      const a = map.project([box[0], box[3]])
      const b = map.project([box[2], box[1]])
      return a.x >= (p.left ?? 0) && a.y >= (p.top ?? 0) && b.x <= width - (p.right ?? 0) && b.y <= height - (p.bottom ?? 0)
    }
    const wasWhole = fits(old)
    map.setPadding(next)
    if (wasWhole && !fits(next)) map.fitBounds(box, { padding: FIT_PADDING, duration: prefersReducedMotion() ? 0 : 400 })
  }, [map, community, left, right, bottom])
}
