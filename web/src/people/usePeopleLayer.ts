/**
 * Disputes on the map while the people panel is open: for roles that see dispute records, each
 * dispute at its place, coloured by status (the selected one ringed); for the others, the number of
 * disputes per zone (the disputes layer answers them counts only). Removed when the panel closes.
 */
import { useEffect } from 'react'
import type { FeatureCollection } from 'geojson'
import type { GeoJSONSource, LayerSpecification, Map as MapLibreMap } from 'maplibre-gl'
import { DISPUTE_STATUS_COLORS } from '../lib/palette'
import { FONT_BOLD, streetsLabel } from '../map/layers'

const SOURCE = 'people-disputes'

export const PEOPLE_LAYERS: LayerSpecification[] = [
  {
    id: 'people-disputes',
    type: 'circle',
    source: SOURCE,
    filter: ['has', 'status'],
    paint: {
      'circle-color': ['match', ['get', 'status'], ...Object.entries(DISPUTE_STATUS_COLORS).flat(), '#555555'] as never,
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 13, 4, 17, 8],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2,
    },
  },
  {
    id: 'people-disputes-selected',
    type: 'circle',
    source: SOURCE,
    filter: ['==', ['get', 'selected'], true],
    paint: { 'circle-radius': ['interpolate', ['linear'], ['zoom'], 13, 9, 17, 14], 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#111111', 'circle-stroke-width': 2.5 },
  },
  {
    id: 'people-dispute-counts',
    type: 'circle',
    source: SOURCE,
    filter: ['has', 'count'],
    // white discs ringed in the dispute colour: not the incidents' dark count discs
    paint: { 'circle-color': '#ffffff', 'circle-radius': ['+', 10, ['*', 2, ['sqrt', ['get', 'count']]]], 'circle-stroke-color': DISPUTE_STATUS_COLORS.reported, 'circle-stroke-width': 3 },
  },
  {
    id: 'people-dispute-counts-label',
    type: 'symbol',
    source: SOURCE,
    filter: ['has', 'count'],
    layout: { 'text-field': ['to-string', ['get', 'count']], 'text-font': FONT_BOLD, 'text-size': 12, 'text-allow-overlap': true },
    paint: { 'text-color': DISPUTE_STATUS_COLORS.reported },
  },
]

const empty: FeatureCollection = { type: 'FeatureCollection', features: [] }

/** Shows `data` (points with `status`, or zone points with `count`) on `map`; null removes the layers. */
export function usePeopleLayer(map: MapLibreMap | null, data: FeatureCollection | null): void {
  const on = data !== null
  useEffect(() => {
    if (map === null || !on) return
    if (map.getSource(SOURCE) === undefined) map.addSource(SOURCE, { type: 'geojson', data: empty })
    const before = map.getLayer(streetsLabel.id) !== undefined ? streetsLabel.id : undefined
    for (const layer of PEOPLE_LAYERS) if (map.getLayer(layer.id) === undefined) map.addLayer(layer, before)
    return () => {
      if (map.getStyle() === undefined) return
      for (const layer of PEOPLE_LAYERS) if (map.getLayer(layer.id) !== undefined) map.removeLayer(layer.id)
      if (map.getSource(SOURCE) !== undefined) map.removeSource(SOURCE)
    }
  }, [map, on])
  useEffect(() => {
    if (map === null || data === null) return
    map.getSource<GeoJSONSource>(SOURCE)?.setData(data)
  }, [map, data])
}
