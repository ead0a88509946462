/**
 * The MapLibre map of one community: built from our own style, placed at the view of a shared link
 * (or fitted to the community) beside the panels, with its controls, the e2e hook and the events
 * that go out (moves, broken tiles).
 */
import { sessionEnded } from '../auth/session'
import { useEffect, useEffectEvent, useState, type RefObject } from 'react'
import { Map as MapLibreMap } from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'
import type { Community } from '../api'
import { ApiError, parseApiError } from '../lib/api-error'
import { BASE } from '../lib/palette'
import type { MapViewState } from '../lib/url-state'
import { HATCH_IMAGE } from './layers'
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

/** Pixels the panels cover on each side of the map. */
export interface MapInsets {
  left: number
  right: number
  bottom: number
}

/** How the map starts; read once per community (changing them later does not rebuild the map). */
export interface MapStart {
  /** the view to open at (a shared link); null fits the community */
  initialView: MapViewState | null
  /** the panels' room at the start, as the map's padding */
  insets: MapInsets
  /** the incident filters as query parameters, for the first incident tiles */
  incidentQuery: string
  /** the building tiles' parameters (the UI language), for the first building tiles */
  buildingQuery: string
  /** the zone label's "no patrol" text in the UI language */
  zoneUnpatrolled: string
}

/** The map of a community: `instance` from its creation on, `styled` once its style has loaded, `map` once it has drawn itself whole (null before). */
export interface MapInstance {
  instance: MapLibreMap | null
  /** the map once its style has loaded: GeoJSON sources may be given data, paint properties set */
  styled: MapLibreMap | null
  /** the map once it has drawn itself whole: every other change (`setLayoutProperty` and friends) */
  map: MapLibreMap | null
}

/** The padding of fitting the community into view. */
export const FIT_PADDING = 24

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

/** The diagonal hatching over buildings without a captain: 8 × 8 px, drawn once per map. */
function hatchImage(color: string): ImageData {
  const size = 8
  const canvas = document.createElement('canvas')
  canvas.width = size
  canvas.height = size
  const ctx = canvas.getContext('2d')!
  ctx.strokeStyle = color
  ctx.lineWidth = 1.25
  ctx.beginPath()
  // three strokes so the lines continue across tile edges of the pattern
  for (const o of [-size, 0, size]) {
    ctx.moveTo(o, size)
    ctx.lineTo(o + size, 0)
  }
  ctx.stroke()
  return ctx.getImageData(0, 0, size, size)
}

/**
 * Creates the map in `container` once per community and removes it when the community changes or
 * the component goes away. `start` is read at creation only.
 */
export function useMapInstance(
  container: RefObject<HTMLDivElement | null>,
  community: Community,
  start: MapStart,
  onView: (view: MapViewState) => void,
  onTileError: (error: ApiError) => void,
): MapInstance {
  const [state, setState] = useState<MapInstance>({ instance: null, styled: null, map: null })
  const readStart = useEffectEvent(() => start)
  const view = useEffectEvent(onView)
  const tileFailed = useEffectEvent(onTileError)

  useEffect(() => {
    const el = container.current
    if (el === null) return
    let removed = false
    const { initialView, insets, incidentQuery, buildingQuery, zoneUnpatrolled } = readStart()
    const m = new MapLibreMap({
      container: el,
      style: buildStyle({ communityId: community.id, origin: window.location.origin, incidentQuery, buildingQuery, zoneUnpatrolled }),
      minZoom: 9,
      maxZoom: 20,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      // Labels appear at once instead of fading in over 300 ms: without a GPU (an office PC, the
      // CI's SwiftShader) every frame of a fade is a whole redraw of 0.3–0.5 s.
      fadeDuration: 0,
    })
    m.touchZoomRotate.disableRotation()
    // The padding first, so the view (a link's centre, or the community) is placed beside the panels.
    m.setPadding({ top: 0, ...insets })
    if (initialView !== null) m.jumpTo({ center: [initialView.lon, initialView.lat], zoom: initialView.zoom })
    else m.fitBounds(community.bbox, { padding: FIT_PADDING, duration: 0 })
    // (the controls are added in the UI language by useMapLanguage)
    window.__safegrid = { map: m }
    document.body.dataset.mapReady = 'false'
    // The hatching is generated, not fetched: the style has no sprite (it works offline).
    m.setMissingStyleImageResolver((id) => {
      if (id === HATCH_IMAGE && !m.hasImage(HATCH_IMAGE)) m.addImage(HATCH_IMAGE, hatchImage(BASE.buildingUncaptainedHatch), { pixelRatio: 1 })
    })

    let reportedTileError = false
    m.on('error', (ev: { error?: unknown; sourceId?: string }) => {
      if (ev.sourceId === undefined || reportedTileError) return
      reportedTileError = true // one banner for a broken tile source, not one per tile
      void tileError(ev.error).then((error) => {
        // a session that ended shows the login page, not a broken map
        if (error.status === 401) sessionEnded()
        else tileFailed(error)
      })
    })
    m.on('moveend', () => {
      const c = m.getCenter()
      view({ zoom: m.getZoom(), lat: c.lat, lon: c.lng })
    })

    setState({ instance: m, styled: null, map: null })
    // The GeoJSON layers may be set at 'style.load' (the sources exist): they are then cut into tiles
    // while the first vector tiles load, instead of starting a second round of worker jobs and
    // drawings after them — seconds, drawing in software. Restyling (layout properties, new tile
    // URLs, new layers) waits for 'load', the first complete drawing: made while tiles were still
    // loading, it could leave a source that never reported loaded, and the map never idle.
    // (Not `isStyleLoaded()`: that is also false while any source is loading.)
    m.once('style.load', () => {
      if (!removed) setState((s) => (s.instance === m && s.map === null ? { ...s, styled: m } : s))
    })
    m.once('load', () => {
      if (!removed) setState({ instance: m, styled: m, map: m })
    })
    return () => {
      removed = true
      setState({ instance: null, styled: null, map: null })
      if (window.__safegrid?.map === m) delete window.__safegrid
      m.remove()
    }
  }, [container, community])

  return state
}
