/**
 * The pointer on the map: a click selects the topmost clickable feature (or clears the selection),
 * hovering shows what is clickable and names the captain whose buildings to outline.
 */
import { useEffect, useEffectEvent, useState } from 'react'
import type { Map as MapLibreMap, MapGeoJSONFeature, MapMouseEvent } from 'maplibre-gl'
import { CELL_FILL_LAYERS } from '../analysis/layers'
import { isColouredCell, type HotspotCellProps } from '../lib/hotspots'
import { findCaptain, findRoute, findZone, pointOf, tileProps, zoneOf, type LoadedData } from './data'
import { buildingsFill, captainsCircle, CLICKABLE_LAYERS, incidentsCircle, incidentsCluster, routesLine, zonesFill } from './layers'
import type { Selection } from './selection'
import { isPicking } from './useMapPick'

/** Clickable areas: hit where the pointer is exactly (points and lines are hit within a few pixels). */
const AREA_LAYERS: readonly string[] = [buildingsFill.id, zonesFill.id]
/** How far from a point or line a click still hits it, in pixels. */
const NEAR_PX = 5

/**
 * Whether an analysis cell with a colour (lib/hotspots.ts `isColouredCell`) is under the pointer:
 * the analysis the user is looking at wins the click (it shows the cell's figures), so nothing
 * beneath it — a route, a building — is selected as well.
 */
function analysisCellAt(map: MapLibreMap, e: MapMouseEvent): boolean {
  const layers = CELL_FILL_LAYERS.filter((id) => map.getLayer(id) !== undefined && map.getLayoutProperty(id, 'visibility') !== 'none')
  if (layers.length === 0) return false
  return map.queryRenderedFeatures(e.point, { layers }).some((f) => isColouredCell(f.properties as Partial<HotspotCellProps>))
}

/** The topmost clickable feature at a point: small things (points, lines) within a few pixels, areas exactly. */
function hit(map: MapLibreMap, e: MapMouseEvent): MapGeoJSONFeature | null {
  const layers = CLICKABLE_LAYERS.filter((id) => map.getLayer(id) !== undefined && map.getLayoutProperty(id, 'visibility') !== 'none')
  if (layers.length === 0) return null
  const { x, y } = e.point
  const near = map.queryRenderedFeatures(
    [
      [x - NEAR_PX, y - NEAR_PX],
      [x + NEAR_PX, y + NEAR_PX],
    ],
    { layers: layers.filter((id) => !AREA_LAYERS.includes(id)) },
  )
  const under = map.queryRenderedFeatures(e.point, { layers: layers.filter((id) => AREA_LAYERS.includes(id)) })
  for (const id of CLICKABLE_LAYERS) {
    const f = (AREA_LAYERS.includes(id) ? under : near).find((h) => h.layer.id === id)
    if (f) return f
  }
  return null
}

/** What clicking a feature selects (a cluster also zooms in, by the caller). */
function selectionOf(f: MapGeoJSONFeature, lngLat: [number, number], data: LoadedData): Selection | null {
  const fp = f.properties
  switch (f.layer.id) {
    case incidentsCluster.id: {
      const at = pointOf(f)
      return at === null ? null : { kind: 'cluster', id: 0, props: tileProps('clusters', f), lngLat: at }
    }
    case incidentsCircle.id: {
      const props = tileProps('incidents', f)
      return { kind: 'incident', id: Number(fp.id), props, zone: zoneOf(data, props) }
    }
    case captainsCircle.id:
      return { kind: 'captain', id: Number(fp.id), props: findCaptain(data, Number(fp.id))?.properties ?? null }
    case routesLine.id: {
      const id = Number(fp.routeId)
      return { kind: 'route', id, props: findRoute(data, id) }
    }
    case buildingsFill.id: {
      const props = tileProps('buildings', f)
      return { kind: 'building', id: Number(fp.id), props, zone: zoneOf(data, props) }
    }
    case zonesFill.id: {
      const id = Number(f.id)
      return { kind: 'zone', id, props: findZone(data, id) }
    }
  }
  return null
}

/** The captain whose buildings a feature under the pointer stands for (a captain, or a building's captain). */
function hoveredCaptain(f: MapGeoJSONFeature | null): number | null {
  if (f?.layer.id === captainsCircle.id) return Number(f.properties.id)
  if (f?.layer.id === buildingsFill.id && f.properties.captainId != null) return Number(f.properties.captainId)
  return null
}

/**
 * Handles clicks and hovers on `map` while `enabled` (not while the planner draws or picks);
 * returns the captain under the pointer (null: none).
 */
export function usePointer(map: MapLibreMap | null, data: LoadedData, onSelect: (selection: Selection | null) => void, enabled = true): number | null {
  const [hoverCaptain, setHoverCaptain] = useState<number | null>(null)
  const isEnabled = useEffectEvent(() => enabled)
  const select = useEffectEvent((e: MapMouseEvent) => {
    if (map === null || !enabled || isPicking(map) || analysisCellAt(map, e)) return
    const f = hit(map, e)
    if (f === null) {
      onSelect(null)
      return
    }
    const selection = selectionOf(f, [e.lngLat.lng, e.lngLat.lat], data)
    if (selection === null) return
    onSelect(selection)
    if (selection.kind === 'cluster') map.easeTo({ center: selection.lngLat, zoom: Math.min(Math.max(map.getZoom() + 2, 13.2), 16) })
  })

  useEffect(() => {
    if (map === null) return
    let frame = 0
    let lastEvent: MapMouseEvent | null = null
    const onClick = (e: MapMouseEvent) => select(e)
    const onMove = (e: MapMouseEvent) => {
      lastEvent = e
      if (frame !== 0) return
      frame = requestAnimationFrame(() => {
        frame = 0
        if (lastEvent === null || !isEnabled()) return
        const cell = analysisCellAt(map, lastEvent)
        const f = cell ? null : hit(map, lastEvent)
        map.getCanvas().style.cursor = f || cell ? 'pointer' : ''
        setHoverCaptain(hoveredCaptain(f))
      })
    }
    const onLeave = () => {
      lastEvent = null
      map.getCanvas().style.cursor = ''
      setHoverCaptain(null)
    }
    map.on('click', onClick)
    map.on('mousemove', onMove)
    map.on('mouseout', onLeave)
    return () => {
      cancelAnimationFrame(frame)
      map.off('click', onClick)
      map.off('mousemove', onMove)
      map.off('mouseout', onLeave)
    }
  }, [map])

  return hoverCaptain
}
