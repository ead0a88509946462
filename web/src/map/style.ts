/**
 * Builds the map style in code. Everything comes from our own server: vector tiles for streets,
 * buildings and incidents, GeoJSON (set by the app after fetching) for the sample assignments.
 * There is deliberately no `glyphs` URL: MapLibre then draws label glyphs locally from system fonts
 * (see FONT_REGULAR), so the map works offline and renders both Latin and CJK text.
 */
import type { GeoJSONSourceSpecification, StyleSpecification, VectorSourceSpecification } from 'maplibre-gl'
import type { Lang } from '../lib/i18n'
import { ALL_LAYERS, SOURCE, zoneLabelField, zonesLabel } from './layers'

/**
 * Zooms the server's tiles are fetched at; MapLibre over-zooms beyond the maximum. Streets (main
 * roads only below z12) and incidents (clustered up to z12) start at city scale; buildings only
 * from BUILDINGS_MIN_ZOOM: below it a footprint is a pixel or two, and a tile of a dense city would
 * hold tens of thousands of them (see test/bench/map.bench.ts for the sizes).
 */
export const TILE_MIN_ZOOM = 10
export const TILE_MAX_ZOOM = 16
export const BUILDINGS_MIN_ZOOM = 14

/**
 * The tile URL template of one tile layer. Must be absolute — tiles are fetched from a worker —
 * and is built by concatenation because `new URL()` would percent-encode the `{z}` placeholders.
 * `query` adds parameters (the incident filters: `filterQuery(filter)`).
 */
export function tileUrl(origin: string, layer: 'streets' | 'buildings' | 'incidents', communityId: string, query = ''): string {
  return `${origin}/tiles/${layer}/{z}/{x}/{y}.mvt?community=${encodeURIComponent(communityId)}${query ? `&${query}` : ''}`
}

function vectorSource(origin: string, layer: 'streets' | 'buildings' | 'incidents', communityId: string, promoteId?: string, query = ''): VectorSourceSpecification {
  return {
    type: 'vector',
    tiles: [tileUrl(origin, layer, communityId, query)],
    minzoom: layer === 'buildings' ? BUILDINGS_MIN_ZOOM : TILE_MIN_ZOOM,
    maxzoom: TILE_MAX_ZOOM,
    ...(promoteId !== undefined ? { promoteId } : {}),
  }
}

function emptyGeoJson(): GeoJSONSourceSpecification {
  return { type: 'geojson', data: { type: 'FeatureCollection', features: [] } }
}

/** Options of `buildStyle`. */
export interface StyleOptions {
  /** The community whose data the map shows, e.g. "sf-mission". */
  communityId: string
  /** Where the server is, e.g. `location.origin`. */
  origin: string
  /** the incident filters as query parameters (`filterQuery(filter)`), '' for none */
  incidentQuery?: string
  /** the building tiles' parameters (`buildingQuery(lang)`: their captains' names in the UI language) */
  buildingQuery?: string
  /** the zone label's "no patrol" text in the UI language (useMapLanguage sets it again on a switch) */
  zoneUnpatrolled?: string
}

/**
 * The building tiles' query: names (of their captains) in `lang`; `dataVersion` (after a planner
 * saved) asks for new tiles rather than the ones the browser and the map hold.
 */
export const buildingQuery = (lang: Lang, dataVersion = 0) => `lang=${lang}${dataVersion > 0 ? `&v=${dataVersion}` : ''}`

/** The complete style of the planner's map for one community. */
export function buildStyle({ communityId, origin, incidentQuery = '', buildingQuery = '', zoneUnpatrolled = '' }: StyleOptions): StyleSpecification {
  return {
    version: 8,
    name: 'safegrid',
    // Paint changes (team colours, opacities, highlights) take effect in the next frame rather than
    // animating over 300 ms: every frame of an animation is a whole redraw, slow without a GPU.
    transition: { duration: 0, delay: 0 },
    sources: {
      [SOURCE.streets]: vectorSource(origin, 'streets', communityId),
      [SOURCE.buildings]: vectorSource(origin, 'buildings', communityId, 'id', buildingQuery),
      [SOURCE.incidents]: vectorSource(origin, 'incidents', communityId, 'id', incidentQuery),
      [SOURCE.zones]: emptyGeoJson(),
      [SOURCE.zoneLabels]: emptyGeoJson(),
      [SOURCE.routes]: emptyGeoJson(),
      [SOURCE.captains]: emptyGeoJson(),
    },
    // The labels as the language wants them from the start: a layout change after the first drawing
    // would lay the source's tiles out again (seconds of drawing without a GPU).
    layers: ALL_LAYERS.map((layer) => (layer.id === zonesLabel.id ? { ...zonesLabel, layout: { ...zonesLabel.layout, 'text-field': zoneLabelField(zoneUnpatrolled) } } : layer)),
  }
}
