/**
 * The analysis layers: one GeoJSON source of cells (from the hotspots API), a fill coloured by
 * the method's expression (lib/hotspots.ts) and a faint outline showing the study grid. They are
 * added to the running map rather than to the base style, so the analysis stays out of the way
 * until it is opened.
 */
import type { FillLayerSpecification, GeoJSONSourceSpecification, LineLayerSpecification, Map as MapLibreMap } from 'maplibre-gl'
import { CELL_OUTLINE, NO_FILL } from '../lib/hotspots'
import { zonesOutline } from '../map/layers'

export const HOTSPOT_SOURCE = 'hotspots'

/** Default opacity of the cell fill: the streets and buildings stay readable through it. */
export const DEFAULT_OPACITY = 0.75

export const hotspotsFill: FillLayerSpecification = {
  id: 'hotspots-fill',
  type: 'fill',
  source: HOTSPOT_SOURCE,
  paint: { 'fill-color': NO_FILL, 'fill-opacity': DEFAULT_OPACITY },
}

export const hotspotsOutline: LineLayerSpecification = {
  id: 'hotspots-outline',
  type: 'line',
  source: HOTSPOT_SOURCE,
  paint: { 'line-color': CELL_OUTLINE, 'line-width': 0.5, 'line-opacity': 0.35 },
}

/** The analysis layers, bottom first. */
export const HOTSPOT_LAYERS = [hotspotsFill, hotspotsOutline] as const

/**
 * The base-style layer the cells go under: above buildings and the zones' tint, below zone
 * borders, patrol routes, incidents, captains and labels — those stay readable over the cells.
 */
export const HOTSPOTS_BEFORE = zonesOutline.id

const emptySource = (): GeoJSONSourceSpecification => ({ type: 'geojson', data: { type: 'FeatureCollection', features: [] } })

/** Adds the source and layers when the map does not have them yet (a new style drops them). */
export function ensureHotspotLayers(map: MapLibreMap): void {
  if (map.getSource(HOTSPOT_SOURCE) === undefined) map.addSource(HOTSPOT_SOURCE, emptySource())
  const before = map.getLayer(HOTSPOTS_BEFORE) !== undefined ? HOTSPOTS_BEFORE : undefined
  for (const layer of HOTSPOT_LAYERS) if (map.getLayer(layer.id) === undefined) map.addLayer(layer, before)
}
