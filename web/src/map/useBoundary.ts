/**
 * The community's boundary on the map while it has no grid zones (issue 10): a community starts with
 * only its boundary, and the map shows where it is instead of an empty street map. Once zones are
 * there, their outlines show the area and the boundary goes.
 */
import { useEffect, useState } from 'react'
import type { FeatureCollection } from 'geojson'
import type { LayerSpecification, Map as MapLibreMap } from 'maplibre-gl'
import { base, getJson } from '../api'
import { useOverlay } from './useOverlay'

const LAYERS: LayerSpecification[] = [
  { id: 'community-boundary-fill', type: 'fill', source: 'community-boundary', paint: { 'fill-color': '#2b2b2b', 'fill-opacity': 0.04 } },
  { id: 'community-boundary-line', type: 'line', source: 'community-boundary', paint: { 'line-color': '#2b2b2b', 'line-width': 2.5, 'line-dasharray': [3, 2] } },
]

/** Draws the boundary of `communityId` on `map` while `show`. */
export function useBoundary(map: MapLibreMap | null, communityId: string, show: boolean): void {
  const [boundary, setBoundary] = useState<{ id: string; fc: FeatureCollection } | null>(null)
  useEffect(() => {
    if (!show) return
    const abort = new AbortController()
    getJson<FeatureCollection['features'][number]>(`${base(communityId)}/boundary`, abort.signal).then(
      (f) => setBoundary({ id: communityId, fc: { type: 'FeatureCollection', features: [f] } }),
      // without it the map still shows the community's extent: nothing to say
      () => {},
    )
    return () => abort.abort()
  }, [communityId, show])
  useOverlay(map, 'community-boundary', LAYERS, show && boundary !== null && boundary.id === communityId ? boundary.fc : null)
}
