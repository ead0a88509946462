/**
 * The draft on the map, in the planner's draft colour (PLAN.draft) so it never passes for saved
 * data: the unsaved lines and shapes of the draft (dashed), the reach of the route being drawn, the
 * buildings picked for a captain, where the draft's patrol coverage grows and shrinks (from the
 * server's preview: `kind` added or removed), and what the server refused or warned about (overlaps with other zones, parts of the
 * community no zone covers). All of it goes when the planning panel closes.
 */
import { useEffect } from 'react'
import type { Feature, FeatureCollection, Geometry } from 'geojson'
import type { ExpressionSpecification, GeoJSONSource, LayerSpecification, Map as MapLibreMap } from 'maplibre-gl'
import { PLAN } from '../lib/palette'
import { SOURCE, streetsLabel } from '../map/layers'

/** What a shape on the plan layer stands for. */
export type PlanShapeRole = 'draft' | 'reach' | 'overlap' | 'uncovered'

export interface PlanLayerData {
  /** shapes by role (lines and areas) */
  shapes: Feature<Geometry, { role: PlanShapeRole }>[]
  /** where the draft's patrol coverage grows and shrinks, `properties.kind` added or removed (null: no preview) */
  preview: FeatureCollection | null
  /** buildings picked for the captain being edited */
  picked: readonly number[]
}

const SHAPES = 'plan-shapes'
const PREVIEW = 'plan-preview'
const role = (r: PlanShapeRole): ExpressionSpecification => ['==', ['get', 'role'], r]
const isLine: ExpressionSpecification = ['match', ['geometry-type'], ['LineString', 'MultiLineString'], true, false]
const isArea: ExpressionSpecification = ['match', ['geometry-type'], ['Polygon', 'MultiPolygon'], true, false]

/** The plan's layers, bottom to top (ids are prefixed `plan-`; e2e tests read them). */
export const PLAN_LAYERS: LayerSpecification[] = [
  { id: 'plan-preview-fill', type: 'fill', source: PREVIEW, filter: ['==', ['get', 'kind'], 'added'], paint: { 'fill-color': PLAN.draft, 'fill-opacity': 0.35 } },
  { id: 'plan-preview-outline', type: 'line', source: PREVIEW, filter: ['==', ['get', 'kind'], 'added'], paint: { 'line-color': PLAN.draft, 'line-width': 1.5 } },
  { id: 'plan-removed-fill', type: 'fill', source: PREVIEW, filter: ['==', ['get', 'kind'], 'removed'], paint: { 'fill-color': PLAN.overlap, 'fill-opacity': 0.25 } },
  { id: 'plan-removed-outline', type: 'line', source: PREVIEW, filter: ['==', ['get', 'kind'], 'removed'], paint: { 'line-color': PLAN.overlap, 'line-width': 1.5, 'line-dasharray': [2, 1.5] } },
  { id: 'plan-picked', type: 'fill', source: SOURCE.buildings, 'source-layer': 'buildings', filter: ['in', ['get', 'id'], ['literal', []]], paint: { 'fill-color': PLAN.draft, 'fill-opacity': 0.75 } },
  { id: 'plan-reach', type: 'fill', source: SHAPES, filter: ['all', role('reach'), isArea], paint: { 'fill-color': PLAN.draft, 'fill-opacity': 0.12 } },
  { id: 'plan-uncovered', type: 'line', source: SHAPES, filter: ['all', role('uncovered'), isArea], paint: { 'line-color': PLAN.overlap, 'line-width': 2, 'line-dasharray': [1, 1.5] } },
  { id: 'plan-overlap', type: 'fill', source: SHAPES, filter: ['all', role('overlap'), isArea], paint: { 'fill-color': PLAN.overlap, 'fill-opacity': 0.55 } },
  { id: 'plan-draft-fill', type: 'fill', source: SHAPES, filter: ['all', role('draft'), isArea], paint: { 'fill-color': PLAN.draft, 'fill-opacity': 0.1 } },
  { id: 'plan-draft-outline', type: 'line', source: SHAPES, filter: ['all', role('draft'), isArea], paint: { 'line-color': PLAN.draft, 'line-width': 2.5, 'line-dasharray': [3, 1.5] } },
  {
    id: 'plan-draft-line',
    type: 'line',
    source: SHAPES,
    filter: ['all', role('draft'), isLine],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': PLAN.draft, 'line-width': 4, 'line-dasharray': [2, 1] },
  },
]

const empty: FeatureCollection = { type: 'FeatureCollection', features: [] }

/** Shows `data` on `map` while it is not null; removes the plan's layers when it is. */
export function usePlanLayers(map: MapLibreMap | null, data: PlanLayerData | null): void {
  const on = data !== null
  useEffect(() => {
    if (map === null || !on) return
    if (map.getSource(SHAPES) === undefined) map.addSource(SHAPES, { type: 'geojson', data: empty })
    if (map.getSource(PREVIEW) === undefined) map.addSource(PREVIEW, { type: 'geojson', data: empty })
    // under the labels, over everything else
    const before = map.getLayer(streetsLabel.id) !== undefined ? streetsLabel.id : undefined
    for (const layer of PLAN_LAYERS) if (map.getLayer(layer.id) === undefined) map.addLayer(layer, before)
    return () => {
      if (map.getStyle() === undefined) return
      for (const layer of PLAN_LAYERS) if (map.getLayer(layer.id) !== undefined) map.removeLayer(layer.id)
      for (const id of [SHAPES, PREVIEW]) if (map.getSource(id) !== undefined) map.removeSource(id)
    }
  }, [map, on])

  const shapes = data?.shapes
  const preview = data?.preview
  const picked = data?.picked
  useEffect(() => {
    if (map === null || shapes === undefined) return
    map.getSource<GeoJSONSource>(SHAPES)?.setData({ type: 'FeatureCollection', features: shapes })
  }, [map, shapes])
  useEffect(() => {
    if (map === null || preview === undefined) return
    map.getSource<GeoJSONSource>(PREVIEW)?.setData(preview ?? empty)
  }, [map, preview])
  useEffect(() => {
    if (map === null || picked === undefined || map.getLayer('plan-picked') === undefined) return
    map.setFilter('plan-picked', ['in', ['get', 'id'], ['literal', [...picked]]])
  }, [map, picked])
}
