/**
 * The meeting pack on the map while the meeting view is open: its hot spot cells coloured by what
 * happened to them since the other period (new, persistent, gone) and its priority gaps numbered by
 * rank. The cells are the pack's 100 m squares, drawn around their centres.
 */
import { useMemo } from 'react'
import type { Feature, FeatureCollection } from 'geojson'
import type { LayerSpecification, Map as MapLibreMap } from 'maplibre-gl'
import { ANALYSIS } from '../lib/palette'
import { FONT_BOLD } from '../map/layers'
import { useOverlay } from '../map/useOverlay'
import type { MeetingPack } from './api'

/** What happened to a hot spot cell since the other period: the Gi* hot tones for new and persistent, a cooling blue for gone. */
export const HOT_STATUS_COLORS = { new: ANALYSIS.gi.hot95, persistent: ANALYSIS.gi.hot99, gone: ANALYSIS.gi.cold95 } as const

const SOURCE = 'meeting-pack'

export const MEETING_LAYERS: LayerSpecification[] = [
  {
    id: 'meeting-cells',
    type: 'fill',
    source: SOURCE,
    filter: ['has', 'status'],
    paint: { 'fill-color': ['match', ['get', 'status'], ...Object.entries(HOT_STATUS_COLORS).flat(), '#888888'] as never, 'fill-opacity': 0.6 },
  },
  {
    id: 'meeting-cells-outline',
    type: 'line',
    source: SOURCE,
    filter: ['has', 'status'],
    paint: { 'line-color': ['match', ['get', 'status'], ...Object.entries(HOT_STATUS_COLORS).flat(), '#888888'] as never, 'line-width': 1.5 },
  },
  {
    id: 'meeting-gaps',
    type: 'circle',
    source: SOURCE,
    filter: ['has', 'rank'],
    paint: { 'circle-color': '#ffffff', 'circle-radius': 10, 'circle-stroke-color': ANALYSIS.coverage.gap, 'circle-stroke-width': 3 },
  },
  {
    id: 'meeting-gaps-label',
    type: 'symbol',
    source: SOURCE,
    filter: ['has', 'rank'],
    layout: { 'text-field': ['to-string', ['get', 'rank']], 'text-font': FONT_BOLD, 'text-size': 12, 'text-allow-overlap': true },
    paint: { 'text-color': ANALYSIS.coverage.gap },
  },
]

/** A square of `size` metres around a point (a local plane: exact enough for 100 m cells). */
function square([lon, lat]: [number, number], size: number): [number, number][] {
  const dLat = size / 2 / 111_320
  const dLon = size / 2 / (111_320 * Math.cos((lat * Math.PI) / 180))
  return [
    [lon - dLon, lat - dLat],
    [lon + dLon, lat - dLat],
    [lon + dLon, lat + dLat],
    [lon - dLon, lat + dLat],
    [lon - dLon, lat - dLat],
  ]
}

/** The pack's cells and gaps as features. */
export function packFeatures(pack: MeetingPack): FeatureCollection {
  const cells: Feature[] = pack.hotspots.cells.map((c) => ({
    type: 'Feature',
    properties: { status: c.status, count: c.count, previous: c.previous },
    geometry: { type: 'Polygon', coordinates: [square(c.center, pack.hotspots.cell)] },
  }))
  const gaps: Feature[] = pack.priorityGaps.map((g) => ({ type: 'Feature', properties: { rank: g.rank }, geometry: { type: 'Point', coordinates: g.center } }))
  return { type: 'FeatureCollection', features: [...cells, ...gaps] }
}

/** Shows the pack on the map (null: nothing). */
export function useMeetingLayer(map: MapLibreMap | null, pack: MeetingPack | null): void {
  const data = useMemo(() => (pack === null ? null : packFeatures(pack)), [pack])
  useOverlay(map, SOURCE, MEETING_LAYERS, data)
}
