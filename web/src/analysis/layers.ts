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

/**
 * One set of cell layers on the map: its source and its fill and outline layers. The analysis
 * panel's is `ANALYSIS_CELLS`; another view of the same cells (the people panel's dispute density,
 * issue 12) has its own, so both can be on the map at once.
 */
export interface CellLayers {
  source: string
  fill: FillLayerSpecification
  outline: LineLayerSpecification
}

/** The analysis panel's cells. */
export const ANALYSIS_CELLS: CellLayers = { source: HOTSPOT_SOURCE, fill: hotspotsFill, outline: hotspotsOutline }

/** The cell layers under another name: `prefix`, `prefix-fill`, `prefix-outline`, drawn as the analysis draws its own. */
export function cellLayers(prefix: string): CellLayers {
  return { source: prefix, fill: { ...hotspotsFill, id: `${prefix}-fill`, source: prefix }, outline: { ...hotspotsOutline, id: `${prefix}-outline`, source: prefix } }
}

/** The people panel's dispute density (issue 12). */
export const DISPUTE_DENSITY_CELLS = cellLayers('dispute-density')

/** The fill layers of every set of cells (a click on a coloured cell is the cells', not what lies beneath). */
export const CELL_FILL_LAYERS: readonly string[] = [ANALYSIS_CELLS.fill.id, DISPUTE_DENSITY_CELLS.fill.id]

/** Adds the source and layers when the map does not have them yet (a new style drops them). */
export function ensureHotspotLayers(map: MapLibreMap, cells: CellLayers = ANALYSIS_CELLS): void {
  if (map.getSource(cells.source) === undefined) map.addSource(cells.source, emptySource())
  const before = map.getLayer(HOTSPOTS_BEFORE) !== undefined ? HOTSPOTS_BEFORE : undefined
  for (const layer of [cells.fill, cells.outline]) if (map.getLayer(layer.id) === undefined) map.addLayer(layer, before)
}
