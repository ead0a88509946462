/**
 * Drawing on the map for the planner, with terra-draw and its MapLibre adapter: a new route's
 * line, a new zone's polygon (or the part of a zone to split off, or a lasso around buildings), and
 * reshaping an existing line or polygon by dragging its vertices (midpoints add vertices, a right
 * click removes one). A line's vertices may snap to the community's streets as drawn: the nearest
 * point of a street under the pointer, from the street tiles on screen. Self-intersecting polygons
 * are refused as drawn. Every change of the shape reaches `onShape` (for the instant lengths,
 * areas and reach); a finished drawing reaches `onDone`.
 */
import { useEffect, useEffectEvent, useRef } from 'react'
import type { LineString, Polygon, Position } from 'geojson'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { nearestPointOnLine } from '@turf/turf'
import {
  TerraDraw,
  TerraDrawLineStringMode,
  TerraDrawPolygonMode,
  TerraDrawSelectMode,
  ValidateNotSelfIntersecting,
  type GeoJSONStoreFeatures,
  type HexColor,
  type TerraDrawMouseEvent,
} from 'terra-draw'
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter'
import { PLAN } from '../lib/palette'
import { streetsLine } from '../map/layers'

/** What the planner is drawing. */
export type DrawTool =
  | { kind: 'line'; snap: boolean }
  | { kind: 'polygon' }
  | { kind: 'reshape'; geometry: LineString | Polygon; snap: boolean }

/** How near a street the pointer must be for a vertex to snap to it, in pixels. */
export const SNAP_PX = 14

/** The nearest point of a street within SNAP_PX of the pointer (undefined: none near). */
export function streetSnap(map: MapLibreMap, event: Pick<TerraDrawMouseEvent, 'containerX' | 'containerY' | 'lng' | 'lat'>): Position | undefined {
  if (map.getLayer(streetsLine.id) === undefined) return undefined
  const { containerX: x, containerY: y } = event
  const streets = map.queryRenderedFeatures(
    [
      [x - SNAP_PX, y - SNAP_PX],
      [x + SNAP_PX, y + SNAP_PX],
    ],
    { layers: [streetsLine.id] },
  )
  let best: { at: Position; px: number } | null = null
  for (const f of streets) {
    if (f.geometry.type !== 'LineString' && f.geometry.type !== 'MultiLineString') continue
    const near = nearestPointOnLine(f.geometry, [event.lng, event.lat])
    const at = near.geometry.coordinates
    const p = map.project([at[0]!, at[1]!])
    const px = Math.hypot(p.x - x, p.y - y)
    if (px <= SNAP_PX && (best === null || px < best.px)) best = { at: [Number(at[0]!.toFixed(7)), Number(at[1]!.toFixed(7))], px }
  }
  return best?.at
}

const color = (c: string) => c as HexColor

/** Draws with `tool` on `map` (nothing while null); `prefix` names its map layers (one per panel that draws). */
export function usePlanDraw(
  map: MapLibreMap | null,
  tool: DrawTool | null,
  { onShape, onDone, prefix = 'plan-draw' }: { onShape: (geometry: LineString | Polygon) => void; onDone: (geometry: LineString | Polygon) => void; prefix?: string },
): void {
  const draw = useRef<TerraDraw | null>(null)
  const snapOn = useRef(false)
  const shape = useEffectEvent(onShape)
  const done = useEffectEvent(onDone)

  // One terra-draw per map, started while a tool is in use.
  const active = tool !== null
  useEffect(() => {
    if (map === null || !active) return
    const snapping = { toCustom: (e: TerraDrawMouseEvent) => (snapOn.current ? streetSnap(map, e) : undefined) }
    const editable = { feature: { draggable: false, coordinates: { draggable: true, midpoints: true, deletable: true, snappable: snapping } } }
    const td = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map, prefixId: prefix }),
      modes: [
        new TerraDrawLineStringMode({
          snapping,
          styles: { lineStringColor: color(PLAN.draft), lineStringWidth: 4, closingPointColor: color(PLAN.draft), coordinatePointColor: color(PLAN.draft), snappingPointColor: color(PLAN.snap) },
        }),
        new TerraDrawPolygonMode({
          validation: (feature) => ValidateNotSelfIntersecting(feature),
          styles: { fillColor: color(PLAN.draft), fillOpacity: 0.15, outlineColor: color(PLAN.draft), outlineWidth: 3, closingPointColor: color(PLAN.draft) },
        }),
        new TerraDrawSelectMode({
          flags: { linestring: editable, polygon: { feature: { ...editable.feature, selfIntersectable: false } } },
          allowManualDeselection: false,
          styles: {
            selectedLineStringColor: color(PLAN.draft),
            selectedLineStringWidth: 4,
            selectedPolygonColor: color(PLAN.draft),
            selectedPolygonFillOpacity: 0.15,
            selectedPolygonOutlineColor: color(PLAN.draft),
            selectedPolygonOutlineWidth: 3,
            selectionPointColor: color(PLAN.draft),
            selectionPointWidth: 5,
            midPointColor: color(PLAN.snap),
            midPointWidth: 4,
          },
        }),
      ],
    })
    td.start()
    const current = (id: string | number) => td.getSnapshotFeature(id)?.geometry
    td.on('change', (ids) => {
      for (const id of ids) {
        const g = current(id)
        if (g?.type === 'LineString' || g?.type === 'Polygon') shape(g)
      }
    })
    td.on('finish', (id, context) => {
      if (context.action !== 'draw') return
      const g = current(id)
      if (g?.type === 'LineString' || g?.type === 'Polygon') done(g)
    })
    draw.current = td
    return () => {
      draw.current = null
      td.stop()
    }
  }, [map, active, prefix])

  // The tool's mode, and the shape being reshaped.
  const reshape = tool?.kind === 'reshape' ? tool.geometry : null
  const kind = tool?.kind ?? null
  snapOn.current = tool !== null && tool.kind !== 'polygon' && tool.snap
  useEffect(() => {
    const td = draw.current
    if (td === null || kind === null) return
    td.clear()
    if (kind === 'line') td.setMode('linestring')
    else if (kind === 'polygon') td.setMode('polygon')
    else if (reshape !== null) {
      td.setMode('select')
      const feature: GeoJSONStoreFeatures = { type: 'Feature', id: td.getFeatureId(), geometry: reshape, properties: { mode: reshape.type === 'LineString' ? 'linestring' : 'polygon' } }
      const [result] = td.addFeatures([feature])
      if (result?.valid) td.selectFeature(result.id!)
    }
    // a new shape to reshape is a new tool (the panel passes the geometry once per reshape)
  }, [kind, reshape, active])
}
