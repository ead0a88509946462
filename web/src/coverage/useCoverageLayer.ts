/**
 * Keeps the coverage layers of the map in step with the panel: the coverage and gaps of the
 * network shown, its fill and which gaps it has, visibility, and the zone outlined from the
 * table; reports when a set of coverage has been drawn.
 */
import type { FeatureCollection } from 'geojson'
import { useEffect, useEffectEvent } from 'react'
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl'
import type { CaptainCoverageCollection, CoverageNetwork, GapsCollection, PatrolCoverageCollection } from '../lib/coverage'
import {
  COVERAGE_FILL_PAINT,
  COVERAGE_LAYERS,
  COVERAGE_SOURCE,
  coverageFill,
  ensureCoverageLayers,
  gapsBuildingFilter,
  gapsBuildingLine,
  GAPS_SOURCE,
  PATROL_ONLY_LAYERS,
  zoneHighlight,
  zoneHighlightFilter,
} from './layers'

export interface CoverageLayerOptions {
  /** false: the layers are hidden (the panel is closed) */
  visible: boolean
  /** the network shown */
  network: CoverageNetwork
  /** the coverage of that network and the gaps to draw (null: none) and a key naming them */
  data: { key: string; coverage: PatrolCoverageCollection | CaptainCoverageCollection; gaps: GapsCollection } | null
  /** the code of the zone to outline (the table row under the pointer; null: none) */
  highlightZone: string | null
  /** called with the data key once the map has drawn that coverage */
  onDrawn: (key: string) => void
}

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] }

/** Outlines the zone with this code (null: none), once the layer is on the map. */
function outlineZone(map: MapLibreMap, code: string | null): void {
  if (map.getLayer(zoneHighlight.id) !== undefined) map.setFilter(zoneHighlight.id, zoneHighlightFilter(code))
}

/** Drives the coverage layers of `map` (nothing happens before the map exists). */
export function useCoverageLayer(map: MapLibreMap | null, { visible, network, data, highlightZone, onDrawn }: CoverageLayerOptions): void {
  const drawn = useEffectEvent(onDrawn)
  const outlined = visible ? highlightZone : null
  const currentOutline = useEffectEvent(() => outlined)

  // Everything that defines the picture is applied together, so a drawn key means this network's picture.
  useEffect(() => {
    if (map === null) return
    let cancelled = false
    const apply = () => {
      ensureCoverageLayers(map)
      map.getSource<GeoJSONSource>(COVERAGE_SOURCE)?.setData(data?.coverage ?? EMPTY)
      map.getSource<GeoJSONSource>(GAPS_SOURCE)?.setData(data?.gaps ?? EMPTY)
      const fill = COVERAGE_FILL_PAINT[network]
      map.setPaintProperty(coverageFill.id, 'fill-color', fill['fill-color'])
      map.setPaintProperty(coverageFill.id, 'fill-opacity', fill['fill-opacity'])
      map.setFilter(gapsBuildingLine.id, gapsBuildingFilter(network))
      for (const layer of COVERAGE_LAYERS) {
        if (map.getLayer(layer.id) === undefined) continue
        const shown = visible && (network === 'patrol' || !PATROL_ONLY_LAYERS.includes(layer.id))
        map.setLayoutProperty(layer.id, 'visibility', shown ? 'visible' : 'none')
      }
      outlineZone(map, currentOutline())
    }
    apply()
    // A style replaced underneath (setStyle) drops our layers: put them back.
    const onStyle = () => {
      if (map.getSource(COVERAGE_SOURCE) === undefined) apply()
    }
    map.on('styledata', onStyle)
    let onIdle: (() => void) | null = null
    if (visible && data !== null) {
      // setData is asynchronous (worker); the first idle after it has the coverage on screen.
      const key = data.key
      const idle = () => {
        if (!map.isSourceLoaded(COVERAGE_SOURCE) || !map.isSourceLoaded(GAPS_SOURCE)) return
        map.off('idle', idle)
        if (!cancelled) drawn(key)
      }
      onIdle = idle
      map.on('idle', idle)
      map.triggerRepaint()
    }
    return () => {
      cancelled = true
      if (onIdle !== null) map.off('idle', onIdle)
      map.off('styledata', onStyle)
    }
  }, [map, data, network, visible])

  // The zone under the pointer in the table, outlined on the map.
  useEffect(() => {
    if (map !== null) outlineZone(map, outlined)
  }, [map, outlined])
}
