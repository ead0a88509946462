/**
 * A panel's own GeoJSON overlay on the map: one source and its layers, added while the panel has
 * data to show (below the street labels, so names stay readable) and removed when it has none or
 * unmounts. The data changes in place (setData), without re-adding the layers.
 */
import { useEffect } from 'react'
import type { FeatureCollection } from 'geojson'
import type { GeoJSONSource, LayerSpecification, Map as MapLibreMap } from 'maplibre-gl'
import { streetsLabel } from './layers'

const empty: FeatureCollection = { type: 'FeatureCollection', features: [] }

/** Shows `data` on `map` in `layers` (all reading `source`); null takes them off. */
export function useOverlay(map: MapLibreMap | null, source: string, layers: readonly LayerSpecification[], data: FeatureCollection | null): void {
  const on = data !== null
  useEffect(() => {
    if (map === null || !on) return
    if (map.getSource(source) === undefined) map.addSource(source, { type: 'geojson', data: empty })
    const before = map.getLayer(streetsLabel.id) !== undefined ? streetsLabel.id : undefined
    for (const layer of layers) if (map.getLayer(layer.id) === undefined) map.addLayer(layer, before)
    return () => {
      if (map.getStyle() === undefined) return
      for (const layer of layers) if (map.getLayer(layer.id) !== undefined) map.removeLayer(layer.id)
      if (map.getSource(source) !== undefined) map.removeSource(source)
    }
  }, [map, on, source, layers])
  useEffect(() => {
    if (map === null || data === null) return
    map.getSource<GeoJSONSource>(source)?.setData(data)
  }, [map, source, data])
}
