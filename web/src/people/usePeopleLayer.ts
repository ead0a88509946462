/**
 * Disputes on the map while the people panel is open: for roles that see dispute records, each
 * dispute at its place, coloured by status (the selected one ringed); for the others, the number of
 * disputes per zone (the disputes layer answers them counts only). Removed when the panel closes.
 */
import type { FeatureCollection } from 'geojson'
import type { LayerSpecification, Map as MapLibreMap } from 'maplibre-gl'
import { DISPUTE_STATUS_COLORS } from '../lib/palette'
import { FONT_BOLD } from '../map/layers'
import { useOverlay } from '../map/useOverlay'

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

/** Shows `data` (points with `status`, or zone points with `count`) on `map`; null removes the layers. */
export function usePeopleLayer(map: MapLibreMap | null, data: FeatureCollection | null): void {
  useOverlay(map, SOURCE, PEOPLE_LAYERS, data)
}
