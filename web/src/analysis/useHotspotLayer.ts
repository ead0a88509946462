/**
 * Keeps the analysis layers of the map in step with the panel: the cells, their colours, the
 * opacity and visibility; reports when a set of cells has been drawn; shows a cell's figures on
 * click.
 */
import type { FeatureCollection } from 'geojson'
import { useEffect, useRef } from 'react'
import { Popup, type ExpressionSpecification, type GeoJSONSource, type Map as MapLibreMap, type MapLayerMouseEvent } from 'maplibre-gl'
import type { HotspotCellProps, HotspotCollection } from '../lib/hotspots'
import { ANALYSIS_CELLS, ensureHotspotLayers, type CellLayers } from './layers'

export interface HotspotLayerOptions {
  /** false: the layers are hidden (the panel is closed) */
  visible: boolean
  /** the cells to draw (null: none) and a key naming them (e.g. the request path) */
  data: { key: string; fc: HotspotCollection } | null
  fillColor: ExpressionSpecification | string
  /** 0–1 */
  opacity: number
  /** called with the data key once the map has drawn those cells */
  onDrawn: (key: string) => void
  /** the lines of the popup for a clicked cell (none: no popup) */
  describeCell: (props: HotspotCellProps) => string[]
  /** the map layers to draw in (default: the analysis panel's) */
  cells?: CellLayers
}

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] }

/** Drives the analysis layers of `map` (nothing happens before the map exists). */
export function useHotspotLayer(map: MapLibreMap | null, { visible, data, fillColor, opacity, onDrawn, describeCell, cells = ANALYSIS_CELLS }: HotspotLayerOptions): void {
  const latest = useRef({ onDrawn, describeCell })
  latest.current = { onDrawn, describeCell }

  // Everything that defines the picture is applied together, so a drawn key means these colours.
  useEffect(() => {
    // Nothing is added to the map until the analysis is first opened.
    if (map === null || (!visible && map.getSource(cells.source) === undefined)) return
    let cancelled = false
    const apply = () => {
      ensureHotspotLayers(map, cells)
      map.getSource<GeoJSONSource>(cells.source)?.setData(data?.fc ?? EMPTY)
      map.setPaintProperty(cells.fill.id, 'fill-color', fillColor)
      map.setPaintProperty(cells.fill.id, 'fill-opacity', opacity)
      for (const layer of [cells.fill, cells.outline]) map.setLayoutProperty(layer.id, 'visibility', visible ? 'visible' : 'none')
    }
    apply()
    // A style replaced underneath (setStyle) drops our layers: put them back.
    const onStyle = () => {
      if (map.getSource(cells.source) === undefined) apply()
    }
    map.on('styledata', onStyle)
    if (data !== null && visible) {
      // setData is asynchronous (worker); the first idle after it has the cells on screen.
      const key = data.key
      const onIdle = () => {
        if (!map.isSourceLoaded(cells.source)) return
        map.off('idle', onIdle)
        if (!cancelled) latest.current.onDrawn(key)
      }
      map.on('idle', onIdle)
      map.triggerRepaint()
      return () => {
        cancelled = true
        map.off('idle', onIdle)
        map.off('styledata', onStyle)
      }
    }
    return () => {
      cancelled = true
      map.off('styledata', onStyle)
    }
  }, [map, data, fillColor, opacity, visible, cells])

  // A cell's figures on click.
  useEffect(() => {
    if (map === null || !visible) return
    const popup = new Popup({ closeButton: true, maxWidth: '280px', className: 'analysis-popup' })
    const onClick = (e: MapLayerMouseEvent) => {
      const props = e.features?.[0]?.properties as HotspotCellProps | undefined
      if (props === undefined) return
      const lines = latest.current.describeCell(props)
      if (lines.length === 0) return
      const el = document.createElement('div')
      for (const line of lines) el.appendChild(document.createElement('div')).textContent = line
      popup.setLngLat(e.lngLat).setDOMContent(el).addTo(map)
    }
    // (The cursor is left to the map's own hover handling, which knows what else is clickable.)
    map.on('click', cells.fill.id, onClick)
    return () => {
      map.off('click', cells.fill.id, onClick)
      popup.remove()
    }
  }, [map, visible, cells])
}
