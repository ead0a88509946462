/**
 * The MapLibre map of one community: built from our own style, sized to the community's bbox, with
 * the GeoJSON layers fetched and set once. Visibility, language and team colours come from props.
 */
import { useEffect, useRef, useState } from 'react'
import { AttributionControl, Map as MapLibreMap, NavigationControl, ScaleControl, type GeoJSONSource } from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'
import { fetchLayer, type Community, type GeoJsonLayerName } from '../api'
import type { Translate } from '../i18n'
import { ApiError, parseApiError } from '../lib/api-error'
import { assignTeamColors, teamColorExpression, type TeamColor } from '../lib/palette'
import { LAYER_GROUPS, SOURCE, TEAM_COLORED, zoneLabelField, type LayerGroup } from './layers'
import { buildStyle } from './style'
import './worker'

declare global {
  interface Window {
    /**
     * The e2e hook: the live map, so browser tests can call `queryRenderedFeatures`, read the
     * style and wait for rendering (test/e2e/map.test.ts). Not an API for app code.
     */
    __safegrid?: { map: MapLibreMap }
  }
}

/** A problem to show the user: a message key (with the layer name when it is about one) and the cause. */
export interface MapProblem {
  kind: 'layer' | 'map'
  layer?: GeoJsonLayerName
  error: ApiError
}

export interface MapViewProps {
  community: Community
  t: Translate
  visible: Record<LayerGroup, boolean>
  /** Room the floating panels take on the left, so the community is fitted beside them. */
  leftInset: number
  onTeams: (teams: TeamColor[]) => void
  onProblem: (problem: MapProblem) => void
}

const GEOJSON_LAYERS: GeoJsonLayerName[] = ['zones', 'routes', 'captains']

/** Reads the server's error out of a failed tile request (MapLibre's AJAXError carries the body). */
async function tileError(err: unknown): Promise<ApiError> {
  const e = err as { status?: unknown; body?: unknown; message?: unknown }
  const status = typeof e.status === 'number' ? e.status : 0
  let body: unknown = null
  if (e.body instanceof Blob) {
    const text = await e.body.text()
    try {
      body = JSON.parse(text) as unknown
    } catch {
      body = text
    }
  }
  if (status === 0) return new ApiError(0, 'network', typeof e.message === 'string' ? e.message : '')
  return parseApiError(status, body)
}

/** The map; one instance per community. */
export function MapView({ community, t, visible, leftInset, onTeams, onProblem }: MapViewProps) {
  const container = useRef<HTMLDivElement>(null)
  // the map, once its style has loaded (setPaintProperty and friends need that); null before
  const [map, setMap] = useState<MapLibreMap | null>(null)
  // callbacks change identity on every render of the parent; the effects below read the latest
  const callbacks = useRef({ onTeams, onProblem })
  callbacks.current = { onTeams, onProblem }

  // Create the map and load the GeoJSON layers once per community.
  useEffect(() => {
    const el = container.current
    if (el === null) return
    const abort = new AbortController()
    const [w, s, e, n] = community.bbox
    const m = new MapLibreMap({
      container: el,
      style: buildStyle({ communityId: community.id, origin: window.location.origin }),
      bounds: [w, s, e, n],
      fitBoundsOptions: { padding: { top: 24, bottom: 24, right: 24, left: leftInset + 24 } },
      minZoom: 11,
      maxZoom: 20,
      attributionControl: false,
    })
    m.addControl(new NavigationControl({ showCompass: false }), 'top-right')
    m.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right')
    window.__safegrid = { map: m }
    document.body.dataset.mapReady = 'false'

    let reportedTileError = false
    m.on('error', (ev: { error?: unknown; sourceId?: string }) => {
      if (ev.sourceId === undefined || reportedTileError) return
      reportedTileError = true // one banner for a broken tile source, not one per tile
      void tileError(ev.error).then((error) => callbacks.current.onProblem({ kind: 'map', error }))
    })

    // Fetch the GeoJSON layers; each failure is reported, the rest still shows.
    const loaded = Promise.all(
      GEOJSON_LAYERS.map(async (layer) => {
        try {
          return { layer, fc: await fetchLayer(community.id, layer, abort.signal) }
        } catch (err) {
          if (abort.signal.aborted) return null
          const error = err instanceof ApiError ? err : new ApiError(0, 'network', String(err))
          callbacks.current.onProblem({ kind: 'layer', layer, error })
          return null
        }
      }),
    )
    // Not `isStyleLoaded()`: that is also false while any source is loading.
    const styleLoaded = new Promise<void>((resolve) => m.once('load', () => resolve()))
    void styleLoaded.then(() => {
      if (!abort.signal.aborted) setMap(m)
    })

    void Promise.all([loaded, styleLoaded]).then(([results]) => {
      if (abort.signal.aborted) return
      const features: { properties: object | null }[] = []
      for (const r of results) {
        if (r === null) continue
        m.getSource<GeoJSONSource>(SOURCE[r.layer])?.setData(r.fc)
        features.push(...r.fc.features)
      }
      // Team colours are set before the ready flag, so a ready map is a finished one.
      const teams = assignTeamColors(features)
      for (const { id, property } of TEAM_COLORED) m.setPaintProperty(id, property, teamColorExpression(teams))
      callbacks.current.onTeams(teams)
      // Ready = the first idle after the data is in, with every source loaded.
      const onIdle = () => {
        const sources = Object.keys(m.getStyle().sources)
        if (!sources.every((id) => m.isSourceLoaded(id))) return
        m.off('idle', onIdle)
        document.body.dataset.mapReady = 'true'
      }
      m.on('idle', onIdle)
      m.triggerRepaint()
    })

    return () => {
      abort.abort()
      setMap(null)
      if (window.__safegrid?.map === m) delete window.__safegrid
      m.remove()
    }
    // leftInset only matters for the first fit; changing it must not rebuild the map
  }, [community])

  // Language: the zone label's "no patrol" text and the attribution.
  useEffect(() => {
    if (map === null) return
    const attribution = new AttributionControl({ customAttribution: t('map.attribution'), compact: false })
    map.addControl(attribution, 'bottom-right')
    map.setLayoutProperty('zones-label', 'text-field', zoneLabelField(t('map.zoneUnpatrolled')))
    return () => {
      map.removeControl(attribution)
    }
  }, [map, t])

  // Layer visibility.
  useEffect(() => {
    if (map === null) return
    for (const [group, ids] of Object.entries(LAYER_GROUPS) as [LayerGroup, readonly string[]][]) {
      for (const id of ids) map.setLayoutProperty(id, 'visibility', visible[group] ? 'visible' : 'none')
    }
  }, [map, visible])

  return <div ref={container} className="map" data-testid="map" />
}
