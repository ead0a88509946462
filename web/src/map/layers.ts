/**
 * The map's layers as typed constants, referred to by id everywhere else. Drawing order is the
 * order of `ALL_LAYERS`. Colours that depend on data (team colours) start as a neutral grey and are
 * replaced with `setPaintProperty` once the teams are known.
 */
import type {
  BackgroundLayerSpecification,
  CircleLayerSpecification,
  ExpressionSpecification,
  FillLayerSpecification,
  FilterSpecification,
  LayerSpecification,
  LineLayerSpecification,
  SymbolLayerSpecification,
} from 'maplibre-gl'
import { BASE, categoryColorExpression } from '../lib/palette'

/** Source ids (see style.ts). */
export const SOURCE = {
  streets: 'streets',
  buildings: 'buildings',
  incidents: 'incidents',
  zones: 'zones',
  routes: 'routes',
  captains: 'captains',
} as const
export type SourceId = (typeof SOURCE)[keyof typeof SOURCE]

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

const roadFilter = highwayIn([...HIGHWAY_CLASSES.major, ...HIGHWAY_CLASSES.minor])
/**
 * Road width: main roads wider than streets. `inset` pixels are taken off each stop so the fill
 * leaves its casing showing as a border. (Zoom may only drive a top-level interpolate, so the
 * class `match` sits inside each stop.)
 */
function roadWidth(inset: number): ExpressionSpecification {
  const stop = (major: number, minor: number): ExpressionSpecification =>
    ['match', ['get', 'highway'], [...HIGHWAY_CLASSES.major], Math.max(major - inset, 0.5), Math.max(minor - inset, 0.5)]
  return ['interpolate', ['exponential', 1.6], ['zoom'], 12, stop(2, 1), 16, stop(10, 6), 19, stop(30, 18)]
}

export const background: BackgroundLayerSpecification = {
  id: 'background',
  type: 'background',
  paint: { 'background-color': BASE.land },
}

export const zonesFill: FillLayerSpecification = {
  id: 'zones-fill',
  type: 'fill',
  source: SOURCE.zones,
  // drawn over the buildings, lightly, so a zone's team shows across the whole block
  paint: { 'fill-color': BASE.zoneUnassigned, 'fill-opacity': 0.16 },
}

export const streetsPath: LineLayerSpecification = {
  id: 'streets-path',
  type: 'line',
  source: SOURCE.streets,
  'source-layer': 'streets',
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

export const buildingsFill: FillLayerSpecification = {
  id: 'buildings-fill',
  type: 'fill',
  source: SOURCE.buildings,
  'source-layer': 'buildings',
  paint: {
    'fill-color': ['case', ['==', ['get', 'captained'], true], BASE.buildingCaptained, BASE.buildingUncaptained],
  },
}

export const buildingsOutline: LineLayerSpecification = {
  id: 'buildings-outline',
  type: 'line',
  source: SOURCE.buildings,
  'source-layer': 'buildings',
  minzoom: 14,
  paint: { 'line-color': BASE.buildingOutline, 'line-width': 0.6 },
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

export const routesCasing: LineLayerSpecification = {
  id: 'routes-casing',
  type: 'line',
  source: SOURCE.routes,
  layout: { 'line-cap': 'round', 'line-join': 'round' },
  paint: { 'line-color': '#ffffff', 'line-width': 7.5, 'line-opacity': 0.9 },
}

export const routesLine: LineLayerSpecification = {
  id: 'routes-line',
  type: 'line',
  source: SOURCE.routes,
  layout: { 'line-cap': 'round', 'line-join': 'round' },
  paint: { 'line-color': BASE.zoneUnassigned, 'line-width': 4.5 },
}

export const incidentsCircle: CircleLayerSpecification = {
  id: 'incidents-circle',
  type: 'circle',
  source: SOURCE.incidents,
  'source-layer': 'incidents',
  paint: {
    'circle-color': categoryColorExpression(),
    'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 2, 15, 3.5, 18, 6],
    'circle-stroke-color': BASE.incidentStroke,
    'circle-stroke-width': 0.8,
    'circle-opacity': 0.9,
  },
}

export const captainsCircle: CircleLayerSpecification = {
  id: 'captains-circle',
  type: 'circle',
  source: SOURCE.captains,
  paint: {
    'circle-color': BASE.captainFill,
    'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 2, 15, 3.5, 18, 6],
    'circle-stroke-color': ['case', ['==', ['get', 'active'], false], BASE.captainInactive, BASE.captainActive],
    'circle-stroke-width': 2,
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
  source: SOURCE.zones,
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
  buildingsOutline,
  zonesFill,
  zonesOutline,
  routesCasing,
  routesLine,
  incidentsCircle,
  captainsCircle,
  streetsLabel,
  zonesLabel,
]

/** The layer groups the user can show or hide, bottom first, with the style layers of each. */
export const LAYER_GROUPS = {
  streets: [streetsPath.id, streetsCasing.id, streetsLine.id, streetsLabel.id],
  buildings: [buildingsFill.id, buildingsOutline.id],
  zones: [zonesFill.id, zonesOutline.id, zonesLabel.id],
  routes: [routesCasing.id, routesLine.id],
  captains: [captainsCircle.id],
  incidents: [incidentsCircle.id],
} as const satisfies Record<string, readonly string[]>

/** A user-visible layer group. */
export type LayerGroup = keyof typeof LAYER_GROUPS

/** Layers whose colour follows the patrol team (set once teams are known). */
export const TEAM_COLORED: ReadonlyArray<{ id: string; property: 'fill-color' | 'line-color' }> = [
  { id: zonesFill.id, property: 'fill-color' },
  { id: zonesOutline.id, property: 'line-color' },
  { id: routesLine.id, property: 'line-color' },
]
