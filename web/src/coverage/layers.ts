/**
 * The coverage layers: two GeoJSON sources (coverage polygons or captained buildings; gap
 * features), a soft fill for coverage, hatching in the warning colour for zone area outside patrol
 * coverage, outlines for uncovered buildings, priority gap cells with their rank, and an outline of
 * the zone under the pointer in the table. Added to the running map (not the base style), so they
 * stay out of the way until the panel is opened.
 */
import type {
  FillLayerSpecification,
  FilterSpecification,
  GeoJSONSourceSpecification,
  LayerSpecification,
  LineLayerSpecification,
  Map as MapLibreMap,
  SymbolLayerSpecification,
} from 'maplibre-gl'
import { COVERAGE_COLORS, GAP_HATCH_IMAGE, type CoverageNetwork } from '../lib/coverage'
import { FONT_BOLD, SOURCE, zonesOutline } from '../map/layers'

export const COVERAGE_SOURCE = 'coverage'
export const GAPS_SOURCE = 'coverage-gaps'

/** The coverage fill of each network: the patrols' reach soft, the captained buildings stronger. */
export const COVERAGE_FILL_PAINT = {
  patrol: { 'fill-color': COVERAGE_COLORS.patrol, 'fill-opacity': 0.22 },
  captain: { 'fill-color': COVERAGE_COLORS.captain, 'fill-opacity': 0.4 },
} as const satisfies Record<CoverageNetwork, FillLayerSpecification['paint']>

export const coverageFill: FillLayerSpecification = {
  id: 'coverage-fill',
  type: 'fill',
  source: COVERAGE_SOURCE,
  paint: { ...COVERAGE_FILL_PAINT.patrol },
}

export const gapsAreaFill: FillLayerSpecification = {
  id: 'coverage-gaps-area',
  type: 'fill',
  source: GAPS_SOURCE,
  filter: ['==', ['get', 'kind'], 'area'],
  paint: { 'fill-pattern': GAP_HATCH_IMAGE },
}

/** The gap kind of the buildings each network misses. */
const GAP_BUILDINGS: Record<CoverageNetwork, string> = { patrol: 'building', captain: 'captainless' }

/** The filter of `gapsBuildingLine` for a network. */
export function gapsBuildingFilter(network: CoverageNetwork): FilterSpecification {
  return ['==', ['get', 'kind'], GAP_BUILDINGS[network]]
}

/** Buildings outside patrol coverage (patrol) or without an active captain (captain). */
export const gapsBuildingLine: LineLayerSpecification = {
  id: 'coverage-gaps-building',
  type: 'line',
  source: GAPS_SOURCE,
  filter: gapsBuildingFilter('patrol'),
  paint: { 'line-color': COVERAGE_COLORS.gap, 'line-width': ['interpolate', ['linear'], ['zoom'], 14, 1, 17, 2] },
}

export const gapsPriorityLine: LineLayerSpecification = {
  id: 'coverage-gaps-priority',
  type: 'line',
  source: GAPS_SOURCE,
  filter: ['==', ['get', 'kind'], 'priority'],
  paint: { 'line-color': COVERAGE_COLORS.priority, 'line-width': 2.5 },
}

export const gapsPriorityRank: SymbolLayerSpecification = {
  id: 'coverage-gaps-rank',
  type: 'symbol',
  source: GAPS_SOURCE,
  filter: ['==', ['get', 'kind'], 'priority'],
  layout: {
    'text-field': ['to-string', ['get', 'rank']],
    'text-font': FONT_BOLD,
    'text-size': 15,
    'text-allow-overlap': true,
    'text-ignore-placement': true,
  },
  paint: { 'text-color': '#ffffff', 'text-halo-color': COVERAGE_COLORS.priority, 'text-halo-width': 2.5 },
}

/** The filter of `zoneHighlight` outlining the zone with this code (null: none). */
export function zoneHighlightFilter(code: string | null): FilterSpecification {
  return ['==', ['get', 'code'], code ?? '']
}

/** The zone under the pointer in the per-zone table (filter set by code). */
export const zoneHighlight: LineLayerSpecification = {
  id: 'coverage-zone-highlight',
  type: 'line',
  source: SOURCE.zones,
  filter: zoneHighlightFilter(null),
  paint: { 'line-color': COVERAGE_COLORS.highlight, 'line-width': 4 },
}

/** The coverage layers, bottom first. */
export const COVERAGE_LAYERS: LayerSpecification[] = [coverageFill, gapsAreaFill, gapsBuildingLine, gapsPriorityLine, zoneHighlight, gapsPriorityRank]

/** Layers of the patrol network only: gap area and priority gaps (the captain network has neither). */
export const PATROL_ONLY_LAYERS: readonly string[] = [gapsAreaFill.id, gapsPriorityLine.id, gapsPriorityRank.id]

/** Below zone borders, routes, incidents and labels, like the hot spot cells. */
export const COVERAGE_BEFORE = zonesOutline.id

/**
 * The hatching of gap areas: 8 × 8 px, a translucent wash of the warning colour with opaque
 * 2-px diagonal stripes, set pixel by pixel (no anti-aliasing, so the stripe is the exact colour).
 */
export function gapHatchImage(hex: string): { width: number; height: number; data: Uint8Array } {
  const size = 8
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]
  const data = new Uint8Array(size * size * 4)
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const stripe = (x + y) % size < 2
      const k = (y * size + x) * 4
      data[k] = r
      data[k + 1] = g
      data[k + 2] = b
      data[k + 3] = stripe ? 255 : 36
    }
  return { width: size, height: size, data }
}

const emptySource = (): GeoJSONSourceSpecification => ({ type: 'geojson', data: { type: 'FeatureCollection', features: [] } })

/** Adds the image, sources and layers when the map does not have them yet (a new style drops them). */
export function ensureCoverageLayers(map: MapLibreMap): void {
  if (!map.hasImage(GAP_HATCH_IMAGE)) map.addImage(GAP_HATCH_IMAGE, gapHatchImage(COVERAGE_COLORS.gap), { pixelRatio: 1 })
  if (map.getSource(COVERAGE_SOURCE) === undefined) map.addSource(COVERAGE_SOURCE, emptySource())
  if (map.getSource(GAPS_SOURCE) === undefined) map.addSource(GAPS_SOURCE, emptySource())
  const before = map.getLayer(COVERAGE_BEFORE) !== undefined ? COVERAGE_BEFORE : undefined
  for (const layer of COVERAGE_LAYERS) {
    if (map.getLayer(layer.id) !== undefined) continue
    // the zone outline and the numbers go on top of everything
    if (layer.id === zoneHighlight.id && map.getSource(SOURCE.zones) === undefined) continue
    map.addLayer(layer, layer.id === zoneHighlight.id || layer.id === gapsPriorityRank.id ? undefined : before)
  }
}
