/**
 * The map's layers as typed constants, referred to by id everywhere else. Drawing order is the
 * order of `ALL_LAYERS`. Colours that depend on data (team colours) start as a neutral grey and are
 * replaced with `setPaintProperty` once the teams are known; colours and opacities that depend on
 * the user's choices (building colouring, layer opacity) are set the same way.
 *
 * Feature state drives feedback without restyling: `selected` (the feature in the details panel)
 * and `captain` (a building of the captain under the pointer or selected).
 */
import type {
  BackgroundLayerSpecification,
  CircleLayerSpecification,
  DataDrivenPropertyValueSpecification,
  ExpressionSpecification,
  FillLayerSpecification,
  FilterSpecification,
  LayerSpecification,
  LineLayerSpecification,
  SymbolLayerSpecification,
} from 'maplibre-gl'
import type { LegendGroup } from '../lib/legend'
import { BASE, categoryColorExpression, incidentCountColorExpression, QUIET } from '../lib/palette'
import { SHIFT_DASH } from '../lib/shifts'

/** Source ids (see style.ts). */
export const SOURCE = {
  streets: 'streets',
  buildings: 'buildings',
  incidents: 'incidents',
  zones: 'zones',
  /** one point per zone for its label (a polygon label would repeat in every tile the zone spans) */
  zoneLabels: 'zone-labels',
  routes: 'routes',
  captains: 'captains',
} as const
export type SourceId = (typeof SOURCE)[keyof typeof SOURCE]

/** The pattern image drawn over buildings without a captain (added by the map at start). */
export const HATCH_IMAGE = 'hatch-uncaptained'

/**
 * Font stacks for labels. There is no `glyphs` URL in the style, so MapLibre draws every glyph
 * locally (TinySDF) with these CSS families, falling back to the system's sans-serif — Latin and
 * CJK alike, with no font server.
 */
export const FONT_REGULAR = ['Noto Sans Regular', 'Helvetica Neue', 'Arial', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', 'sans-serif']
export const FONT_BOLD = ['Noto Sans Bold', 'Helvetica Neue', 'Arial', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', 'sans-serif']

/** OSM `highway` values by how the map draws them. */
export const HIGHWAY_CLASSES = {
  major: ['motorway', 'motorway_link', 'trunk', 'trunk_link', 'primary', 'primary_link', 'secondary', 'secondary_link'],
  minor: ['tertiary', 'tertiary_link', 'residential', 'unclassified', 'living_street', 'pedestrian', 'busway', 'road'],
  path: ['footway', 'service', 'path', 'steps', 'cycleway', 'corridor', 'track', 'bridleway'],
} as const

function highwayIn(values: readonly string[]): FilterSpecification {
  return ['match', ['get', 'highway'], [...values], true, false] as FilterSpecification
}

/** Line width growing with zoom: `w` pixels at zoom 16, about a quarter of that at 12. */
function widthByZoom(w: number): ExpressionSpecification {
  return ['interpolate', ['exponential', 1.6], ['zoom'], 12, w * 0.25, 16, w, 19, w * 3]
}

const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false]
const captainHighlight: ExpressionSpecification = ['boolean', ['feature-state', 'captain'], false]

const roadFilter = highwayIn([...HIGHWAY_CLASSES.major, ...HIGHWAY_CLASSES.minor])
/**
 * Road width: main roads wider than streets. `inset` pixels are taken off each stop so the fill
 * leaves its casing showing as a border. (Zoom may only drive a top-level interpolate, so the
 * class `match` sits inside each stop.)
 */
function roadWidth(inset: number): ExpressionSpecification {
  const stop = (major: number, minor: number): ExpressionSpecification =>
    ['match', ['get', 'highway'], [...HIGHWAY_CLASSES.major], Math.max(major - inset, 0.5), Math.max(minor - inset, 0.5)]
  return ['interpolate', ['exponential', 1.6], ['zoom'], 10, stop(1.6, 0.8), 12, stop(3, 1.6), 16, stop(10, 6), 19, stop(30, 18)]
}

export const background: BackgroundLayerSpecification = {
  id: 'background',
  type: 'background',
  paint: { 'background-color': BASE.land },
}

export const streetsPath: LineLayerSpecification = {
  id: 'streets-path',
  type: 'line',
  source: SOURCE.streets,
  'source-layer': 'streets',
  minzoom: 14,
  filter: highwayIn(HIGHWAY_CLASSES.path),
  layout: { 'line-cap': 'round', 'line-join': 'round' },
  paint: { 'line-color': BASE.path, 'line-width': widthByZoom(1.2) },
}

export const streetsCasing: LineLayerSpecification = {
  id: 'streets-casing',
  type: 'line',
  source: SOURCE.streets,
  'source-layer': 'streets',
  filter: roadFilter,
  layout: { 'line-cap': 'round', 'line-join': 'round' },
  paint: {
    'line-color': ['match', ['get', 'highway'], [...HIGHWAY_CLASSES.major], BASE.majorStreetCasing, BASE.streetCasing],
    'line-width': roadWidth(0),
  },
}

export const streetsLine: LineLayerSpecification = {
  id: 'streets-line',
  type: 'line',
  source: SOURCE.streets,
  'source-layer': 'streets',
  filter: roadFilter,
  layout: { 'line-cap': 'round', 'line-join': 'round' },
  paint: {
    'line-color': ['match', ['get', 'highway'], [...HIGHWAY_CLASSES.major], BASE.majorStreet, BASE.street],
    'line-width': roadWidth(1.5),
  },
}

/** Building fill by captain status: solid with a captain, pale (and hatched, below) without. */
export const BUILDING_CAPTAIN_COLOR: ExpressionSpecification = [
  'case',
  ['==', ['get', 'captained'], true],
  BASE.buildingCaptained,
  BASE.buildingUncaptained,
]

/** The fill colour of buildings for each colouring; one plain colour in the quiet map of the coverage view. */
export function buildingFillColor(coloring: 'captain' | 'incidents', quiet: boolean): ExpressionSpecification | string {
  if (quiet) return QUIET.building
  return coloring === 'incidents' ? incidentCountColorExpression() : BUILDING_CAPTAIN_COLOR
}

export const buildingsFill: FillLayerSpecification = {
  id: 'buildings-fill',
  type: 'fill',
  source: SOURCE.buildings,
  'source-layer': 'buildings',
  paint: { 'fill-color': BUILDING_CAPTAIN_COLOR },
}

/** Hatching over buildings without an active captain (captain colouring only). */
export const buildingsHatch: FillLayerSpecification = {
  id: 'buildings-hatch',
  type: 'fill',
  source: SOURCE.buildings,
  'source-layer': 'buildings',
  filter: ['!=', ['get', 'captained'], true],
  paint: { 'fill-pattern': HATCH_IMAGE },
}

export const buildingsOutline: LineLayerSpecification = {
  id: 'buildings-outline',
  type: 'line',
  source: SOURCE.buildings,
  'source-layer': 'buildings',
  minzoom: 15,
  paint: { 'line-color': BASE.buildingOutline, 'line-width': 0.6 },
}

export const zonesFill: FillLayerSpecification = {
  id: 'zones-fill',
  type: 'fill',
  source: SOURCE.zones,
  // drawn over the buildings, lightly, so a zone's team shows across the whole block
  paint: { 'fill-color': BASE.zoneUnassigned, 'fill-opacity': ['case', selected, 0.3, 0.14] },
}

export const zonesOutline: LineLayerSpecification = {
  id: 'zones-outline',
  type: 'line',
  source: SOURCE.zones,
  layout: { 'line-join': 'round' },
  // dashed, so a zone's edge is not taken for the (solid) route of the same team
  paint: {
    'line-color': BASE.zoneUnassigned,
    'line-width': ['interpolate', ['linear'], ['zoom'], 12, 1, 16, 2.5],
    'line-dasharray': [2, 1.5],
  },
}

/** The buildings of the captain under the pointer (or selected): darkened, so the group reads as one. */
export const buildingsCaptain: FillLayerSpecification = {
  id: 'buildings-captain',
  type: 'fill',
  source: SOURCE.buildings,
  'source-layer': 'buildings',
  paint: { 'fill-color': BASE.captainBuildings, 'fill-opacity': ['case', captainHighlight, 0.35, 0] },
}

/** Outlines: the selected building (thick), the buildings of the highlighted captain (thin). */
export const buildingsHighlight: LineLayerSpecification = {
  id: 'buildings-highlight',
  type: 'line',
  source: SOURCE.buildings,
  'source-layer': 'buildings',
  layout: { 'line-join': 'round' },
  paint: {
    'line-color': ['case', selected, BASE.selection, BASE.captainBuildings],
    'line-width': ['case', selected, 4, captainHighlight, 1.5, 0],
    'line-opacity': ['case', ['any', selected, captainHighlight], 1, 0],
  },
}

/** The selected zone's border. */
export const zonesSelected: LineLayerSpecification = {
  id: 'zones-selected',
  type: 'line',
  source: SOURCE.zones,
  layout: { 'line-join': 'round' },
  paint: { 'line-color': BASE.selection, 'line-width': ['case', selected, 4, 0], 'line-opacity': ['case', selected, 0.9, 0] },
}

/**
 * Patrol routes come as one feature per route and part of the day (see routeFeatures in
 * lib/route-features.ts): `lane` shifts parallel parts apart, `shiftClass` picks the dash, and
 * `inService` (false when the filter's hours or weekdays miss every shift) fades the line.
 */
const laneOffset: ExpressionSpecification = ['interpolate', ['linear'], ['zoom'], 13, ['*', ['get', 'lane'], 3], 17, ['*', ['get', 'lane'], 6]]

export const routesCasing: LineLayerSpecification = {
  id: 'routes-casing',
  type: 'line',
  source: SOURCE.routes,
  layout: { 'line-cap': 'round', 'line-join': 'round' },
  paint: {
    'line-color': ['case', selected, BASE.selection, '#ffffff'],
    'line-width': ['case', selected, 9, 6.5],
    'line-opacity': ['case', selected, 0.9, ['==', ['get', 'inService'], false], 0.3, 0.85],
    'line-offset': laneOffset,
  },
}

export const routesLine: LineLayerSpecification = {
  id: 'routes-line',
  type: 'line',
  source: SOURCE.routes,
  layout: { 'line-cap': 'round', 'line-join': 'round' },
  paint: {
    'line-color': BASE.zoneUnassigned,
    'line-width': ['interpolate', ['linear'], ['zoom'], 13, 2.5, 16, 4],
    'line-opacity': ['case', ['==', ['get', 'inService'], false], 0.3, 1],
    'line-offset': laneOffset,
    'line-dasharray': [
      'match',
      ['get', 'shiftClass'],
      'evening',
      ['literal', [...SHIFT_DASH.evening]],
      'night',
      ['literal', [...SHIFT_DASH.night]],
      ['literal', [...SHIFT_DASH.day]],
    ] as unknown as DataDrivenPropertyValueSpecification<number[]>,
  },
}

const isCluster: FilterSpecification = ['==', ['get', 'cluster'], true]

export const incidentsCircle: CircleLayerSpecification = {
  id: 'incidents-circle',
  type: 'circle',
  source: SOURCE.incidents,
  'source-layer': 'incidents',
  filter: ['!', isCluster] as FilterSpecification,
  paint: {
    'circle-color': categoryColorExpression(),
    'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 2.5, 15, 4, 18, 7],
    'circle-stroke-color': ['case', selected, BASE.selection, BASE.incidentStroke],
    'circle-stroke-width': ['case', selected, 3, 0.8],
    'circle-opacity': 0.9,
  },
}

/** Clusters (low zoom): a neutral disc whose area grows with the count. */
export const incidentsCluster: CircleLayerSpecification = {
  id: 'incidents-cluster',
  type: 'circle',
  source: SOURCE.incidents,
  'source-layer': 'incidents',
  filter: isCluster,
  paint: {
    'circle-color': BASE.cluster,
    'circle-radius': ['interpolate', ['linear'], ['get', 'count'], 2, 8, 10, 11, 50, 15, 200, 20, 1000, 26, 10000, 34],
    'circle-stroke-color': BASE.clusterStroke,
    'circle-stroke-width': 1.5,
    'circle-opacity': 0.85,
  },
}

export const incidentsClusterCount: SymbolLayerSpecification = {
  id: 'incidents-cluster-count',
  type: 'symbol',
  source: SOURCE.incidents,
  'source-layer': 'incidents',
  filter: isCluster,
  layout: {
    // 1234 → "1.2k": a cluster label stays as narrow as its disc
    'text-field': [
      'case',
      ['>=', ['get', 'count'], 1000],
      ['concat', ['to-string', ['/', ['round', ['/', ['get', 'count'], 100]], 10]], 'k'],
      ['to-string', ['get', 'count']],
    ],
    'text-font': FONT_BOLD,
    'text-size': 11,
    'text-allow-overlap': true,
    'text-ignore-placement': true,
  },
  paint: { 'text-color': BASE.clusterText },
}

export const captainsCircle: CircleLayerSpecification = {
  id: 'captains-circle',
  type: 'circle',
  source: SOURCE.captains,
  // below z14 the dots would bury the map (one per few buildings)
  minzoom: 14,
  paint: {
    'circle-color': BASE.captainFill,
    'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 2, 15, ['case', selected, 6, 3.5], 18, ['case', selected, 9, 6]],
    'circle-stroke-color': ['case', ['==', ['get', 'active'], false], BASE.captainInactive, BASE.captainActive],
    'circle-stroke-width': ['case', selected, 3, 2],
  },
}

export const streetsLabel: SymbolLayerSpecification = {
  id: 'streets-label',
  type: 'symbol',
  source: SOURCE.streets,
  'source-layer': 'streets',
  minzoom: 14,
  filter: ['all', ['has', 'name'], roadFilter] as FilterSpecification,
  layout: {
    'symbol-placement': 'line',
    'text-field': ['get', 'name'],
    'text-font': FONT_REGULAR,
    'text-size': ['interpolate', ['linear'], ['zoom'], 14, 10, 16, 12, 18, 14],
    'text-max-angle': 30,
    'symbol-spacing': 300,
  },
  paint: { 'text-color': BASE.streetLabel, 'text-halo-color': BASE.labelHalo, 'text-halo-width': 1.5 },
}

/**
 * The zone label: code on the first line, the patrol team (or "no patrol") on the second. The
 * "no patrol" text is language-dependent, so the app sets it with `zoneLabelField(text)`.
 */
export function zoneLabelField(unpatrolled: string): ExpressionSpecification {
  return ['concat', ['get', 'code'], '\n', ['coalesce', ['get', 'teamName'], unpatrolled]]
}

export const zonesLabel: SymbolLayerSpecification = {
  id: 'zones-label',
  type: 'symbol',
  source: SOURCE.zoneLabels,
  minzoom: 13,
  layout: {
    'text-field': zoneLabelField(''),
    'text-font': FONT_BOLD,
    'text-size': ['interpolate', ['linear'], ['zoom'], 13, 11, 17, 15],
    'text-max-width': 20,
    'symbol-sort-key': 0,
  },
  paint: { 'text-color': BASE.zoneLabel, 'text-halo-color': BASE.labelHalo, 'text-halo-width': 2 },
}

/** Every layer in drawing order (bottom first). */
export const ALL_LAYERS: LayerSpecification[] = [
  background,
  streetsPath,
  streetsCasing,
  streetsLine,
  buildingsFill,
  buildingsHatch,
  buildingsOutline,
  zonesFill,
  zonesOutline,
  buildingsCaptain,
  buildingsHighlight,
  zonesSelected,
  routesCasing,
  routesLine,
  incidentsCircle,
  incidentsCluster,
  captainsCircle,
  streetsLabel,
  zonesLabel,
  incidentsClusterCount,
]

/** The layer groups the user can show or hide, bottom first, with the style layers of each. */
export const LAYER_GROUPS = {
  streets: [streetsPath.id, streetsCasing.id, streetsLine.id, streetsLabel.id],
  buildings: [buildingsFill.id, buildingsHatch.id, buildingsOutline.id, buildingsCaptain.id, buildingsHighlight.id],
  zones: [zonesFill.id, zonesOutline.id, zonesSelected.id, zonesLabel.id],
  routes: [routesCasing.id, routesLine.id],
  captains: [captainsCircle.id],
  incidents: [incidentsCircle.id, incidentsCluster.id, incidentsClusterCount.id],
} as const satisfies Record<LegendGroup, readonly string[]>

/** A user-visible layer group. */
export type LayerGroup = keyof typeof LAYER_GROUPS

/** Layers whose colour follows the patrol team (set once teams are known). */
export const TEAM_COLORED: ReadonlyArray<{ id: string; property: 'fill-color' | 'line-color' }> = [
  { id: zonesFill.id, property: 'fill-color' },
  { id: zonesOutline.id, property: 'line-color' },
  { id: routesLine.id, property: 'line-color' },
]

/** Layers the user can click for details, topmost first as drawn (the first hit wins). */
export const CLICKABLE_LAYERS = [
  captainsCircle.id,
  incidentsCluster.id,
  incidentsCircle.id,
  routesLine.id,
  buildingsFill.id,
  zonesFill.id,
] as const

type OpacityValue = number | ExpressionSpecification
type OpacityProperty = 'fill-opacity' | 'line-opacity' | 'circle-opacity' | 'circle-stroke-opacity' | 'text-opacity' | 'icon-opacity'

/** The opacity paint properties the layer panel's slider scales, by layer type. */
const OPACITY_PROPERTIES: Partial<Record<LayerSpecification['type'], readonly OpacityProperty[]>> = {
  fill: ['fill-opacity'],
  line: ['line-opacity'],
  circle: ['circle-opacity', 'circle-stroke-opacity'],
  symbol: ['text-opacity'],
}

/** Highlight layers: left alone by the slider, so feedback stays visible. */
const HIGHLIGHT_LAYERS: readonly string[] = [buildingsCaptain.id, buildingsHighlight.id, zonesSelected.id]

/** A layer's own value of an opacity paint property (1 when its spec leaves it out). */
function specOpacity(layer: LayerSpecification, prop: OpacityProperty): OpacityValue {
  const v: unknown = layer.type === 'background' ? undefined : (layer.paint as Partial<Record<OpacityProperty, unknown>> | undefined)?.[prop]
  if (typeof v === 'number') return v
  if (Array.isArray(v)) return v as ExpressionSpecification
  return 1
}

/**
 * The opacity paint properties of each layer at full layer opacity, as its spec has them. The
 * layer panel's slider multiplies them (`opacityPaint`). Highlight layers are left alone: feedback
 * stays visible.
 */
export const BASE_OPACITY: Record<string, Partial<Record<OpacityProperty, OpacityValue>>> = Object.fromEntries(
  ALL_LAYERS.filter((layer) => Object.values(LAYER_GROUPS).some((ids: readonly string[]) => ids.includes(layer.id)) && !HIGHLIGHT_LAYERS.includes(layer.id)).map(
    (layer) => [layer.id, Object.fromEntries((OPACITY_PROPERTIES[layer.type] ?? []).map((prop) => [prop, specOpacity(layer, prop)]))],
  ),
)

const QUIET_OPACITY: Readonly<Record<string, number>> = {
  [zonesFill.id]: 0,
  [incidentsCircle.id]: QUIET.incidentOpacity,
  [incidentsCluster.id]: QUIET.incidentOpacity,
  [incidentsClusterCount.id]: QUIET.incidentOpacity,
}

/**
 * What is left of a layer's opacity (0…1) in the quiet base map of the coverage view, showing
 * `network` (lib/palette.ts QUIET): the zones' tint goes (their outlines stay), incidents fade, and
 * so do captains while patrol coverage is shown. Other layers keep theirs; null = not quiet.
 */
export function quietFactor(layerId: string, network: 'patrol' | 'captain' | null): number {
  if (network === null) return 1
  if (layerId === captainsCircle.id) return network === 'patrol' ? QUIET.captainOpacity : 1
  return QUIET_OPACITY[layerId] ?? 1
}

/** The opacity paint values of a layer at `factor` (0…1) of its full opacity. */
export function opacityPaint(layerId: string, factor: number): [OpacityProperty, OpacityValue][] {
  const base = BASE_OPACITY[layerId]
  if (base === undefined) return []
  return (Object.entries(base) as [OpacityProperty, OpacityValue][]).map(([prop, v]) => [
    prop,
    typeof v === 'number' ? Math.round(v * factor * 1000) / 1000 : factor === 1 ? v : ['*', factor, v],
  ])
}
