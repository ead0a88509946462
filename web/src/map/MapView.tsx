/**
 * The MapLibre map of one community: built from our own style, sized to the community's bbox (or
 * the view of a shared link), with the GeoJSON layers fetched once. Everything the user chooses —
 * layers, opacity, building colouring, incident filters, selection, language — comes in as props
 * and is applied to the running map without rebuilding it; clicks, hovers and moves go out as
 * callbacks.
 */
import { useEffect, useRef, useState } from 'react'
import {
  AttributionControl,
  Map as MapLibreMap,
  NavigationControl,
  ScaleControl,
  type FeatureIdentifier,
  type GeoJSONSource,
  type MapGeoJSONFeature,
  type MapMouseEvent,
  type PaddingOptions,
  type VectorTileSource,
} from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'
import { booleanPointInPolygon, centroid, pointOnFeature } from '@turf/turf'
import type { Feature, FeatureCollection, LineString, MultiLineString, MultiPolygon, Point, Polygon } from 'geojson'
import {
  fetchBuilding,
  fetchLayer,
  type BuildingProps,
  type CaptainProps,
  type ClusterProps,
  type Community,
  type GeoJsonLayerName,
  type IncidentProps,
  type RouteProps,
  type ZoneProps,
} from '../api'
import type { Translate } from '../i18n'
import { ApiError, parseApiError } from '../lib/api-error'
import type { CoverageNetwork } from '../lib/coverage'
import { filterQuery, type IncidentFilter } from '../lib/filters'
import { assignTeamColors, BASE, teamColorExpression, type TeamColor } from '../lib/palette'
import { routeFeatures, routePartId, type RouteInput } from '../lib/route-features'
import { routeShiftClasses } from '../lib/shifts'
import type { BuildingColoring, MapViewState } from '../lib/url-state'
import {
  buildingFillColor,
  buildingsHatch,
  quietFactor,
  CLICKABLE_LAYERS,
  HATCH_IMAGE,
  LAYER_GROUPS,
  opacityPaint,
  SOURCE,
  TEAM_COLORED,
  zoneLabelField,
  type LayerGroup,
} from './layers'
import type { FocusRequest, Selection } from './selection'
import { buildStyle, tileUrl } from './style'
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
  /** the view to open at (a shared link); null fits the community */
  initialView: MapViewState | null
  visible: Record<LayerGroup, boolean>
  opacity: Record<LayerGroup, number>
  buildings: BuildingColoring
  filter: IncidentFilter
  selection: Selection | null
  focus: FocusRequest | null
  /**
   * Room the panels take over the map (the layer list on the left, the dock on the right or, on
   * narrow screens, at the bottom): the map's padding, so centring and fitting use the rest.
   */
  insets: MapInsets
  /**
   * The quiet base map of the coverage view, showing this network: plain buildings, no zone tint,
   * faded incidents (and captains, for patrol). null: the usual map.
   */
  quiet: CoverageNetwork | null
  onTeams: (teams: TeamColor[]) => void
  onProblem: (problem: MapProblem) => void
  onSelect: (selection: Selection | null) => void
  onView: (view: MapViewState) => void
  /** The map once its style has loaded, and null when it goes away (for layers added by other parts of the app). */
  onMap?: (map: MapLibreMap | null) => void
}

/** Pixels the panels cover on each side of the map. */
export interface MapInsets {
  left: number
  right: number
  bottom: number
}

const GEOJSON_LAYERS: GeoJsonLayerName[] = ['zones', 'routes', 'captains']

/**
 * Above this many captains (a city has 100,000) the captains layer is loaded for the view only,
 * from the zoom where it is drawn, instead of whole.
 */
export const CAPTAINS_WHOLE_MAX = 5000
const CAPTAINS_MIN_ZOOM = 14

type Box = [number, number, number, number]

/** The map's view grown by half its size on each side (so small pans need no new request). */
function grownView(m: MapLibreMap): Box {
  const b = m.getBounds()
  const dx = (b.getEast() - b.getWest()) / 2
  const dy = (b.getNorth() - b.getSouth()) / 2
  return [b.getWest() - dx, Math.max(-85, b.getSouth() - dy), b.getEast() + dx, Math.min(85, b.getNorth() + dy)]
}

const inside = (inner: Box, outer: Box) => inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3]

type ZoneCollection = FeatureCollection<Polygon | MultiPolygon, ZoneProps>
type RouteCollection = FeatureCollection<LineString | MultiLineString, RouteProps>
type CaptainCollection = FeatureCollection<Point, CaptainProps>

/** The GeoJSON layers as loaded, for lookups (selection, captains' buildings, a building's zone). */
interface LoadedData {
  zones: ZoneCollection | null
  routes: RouteCollection | null
  captains: CaptainCollection | null
}

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
 * One label point per zone: its centroid when that lies inside the zone, else a point on its
 * surface (an L-shaped zone's centroid may fall outside it).
 */
function zoneLabelPoints(zones: ZoneCollection): FeatureCollection<Point, ZoneProps> {
  return {
    type: 'FeatureCollection',
    features: zones.features.map((z) => {
      const c = centroid(z)
      const at = booleanPointInPolygon(c, z) ? c : pointOnFeature(z)
      return { type: 'Feature', id: z.properties.id, geometry: at.geometry, properties: z.properties }
    }),
  }
}

/** The zone containing a point, from the loaded zones (null when none or not loaded). */
function zoneAt(zones: ZoneCollection | null, lngLat: [number, number]): ZoneProps | null {
  if (zones === null) return null
  return zones.features.find((z) => booleanPointInPolygon(lngLat, z))?.properties ?? null
}

/** Parses a property that a vector tile carries as JSON text (arrays) back into its value. */
function buildingFromTile(props: Record<string, unknown>): BuildingProps {
  return props as unknown as BuildingProps
}

/** The state targets of a selection on the map (a route has one feature per part of the day). */
function selectionTargets(sel: Selection, data: LoadedData): FeatureIdentifier[] {
  switch (sel.kind) {
    case 'building':
      return [{ source: SOURCE.buildings, sourceLayer: 'buildings', id: sel.id }]
    case 'incident':
      return [{ source: SOURCE.incidents, sourceLayer: 'incidents', id: sel.id }]
    case 'zone':
      return [{ source: SOURCE.zones, id: sel.id }]
    case 'captain':
      return [{ source: SOURCE.captains, id: sel.id }]
    case 'route': {
      const route = data.routes?.features.find((f) => f.properties.id === sel.id)
      const classes = route ? routeShiftClasses(route.properties.shifts) : []
      return (classes.length > 0 ? classes : (['day'] as const)).map((c) => ({ source: SOURCE.routes, id: routePartId(sel.id, c) }))
    }
    case 'cluster':
      return []
  }
}

/** The captain whose buildings to outline for a selection (its own captain, or the captain selected). */
function captainOf(sel: Selection | null): number | null {
  if (sel === null || sel.props === null) return null
  if (sel.kind === 'captain') return sel.id
  if (sel.kind === 'building') return sel.props.captainId ?? null
  return null
}

const prefersReducedMotion = () => window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false

/** The map; one instance per community. */
export function MapView(props: MapViewProps) {
  const { community, t, visible, opacity, buildings, filter, selection, focus, insets, quiet } = props
  const container = useRef<HTMLDivElement>(null)
  // the map, once its style has loaded (setPaintProperty and friends need that); null before
  const [map, setMap] = useState<MapLibreMap | null>(null)
  // the GeoJSON layers, once loaded (state: effects that need them run again when they arrive)
  const [data, setData] = useState<LoadedData>({ zones: null, routes: null, captains: null })
  const [hoverCaptain, setHoverCaptain] = useState<number | null>(null)
  // callbacks and values the map's event handlers read; they change identity on every render
  const latest = useRef({ props, data })
  latest.current = { props, data }

  // Create the map and load the GeoJSON layers once per community.
  useEffect(() => {
    const el = container.current
    if (el === null) return
    const abort = new AbortController()
    const { initialView } = latest.current.props
    const [w, s, e, n] = community.bbox
    const m = new MapLibreMap({
      container: el,
      style: buildStyle({ communityId: community.id, origin: window.location.origin, incidentQuery: filterQuery(latest.current.props.filter) }),
      minZoom: 9,
      maxZoom: 20,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
    })
    m.touchZoomRotate.disableRotation()
    // The padding first, so the view (a link's centre, or the community) is placed beside the panels.
    m.setPadding({ top: 0, ...latest.current.props.insets })
    if (initialView !== null) m.jumpTo({ center: [initialView.lon, initialView.lat], zoom: initialView.zoom })
    else m.fitBounds([w, s, e, n], { padding: 24, duration: 0 })
    m.addControl(new NavigationControl({ showCompass: false }), 'top-right')
    m.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right')
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
      void tileError(ev.error).then((error) => latest.current.props.onProblem({ kind: 'map', error }))
    })
    m.on('moveend', () => {
      const c = m.getCenter()
      latest.current.props.onView({ zoom: m.getZoom(), lat: c.lat, lon: c.lng })
    })

    // Captains of a city come for the view: the first box now, a new one when the view leaves it.
    const captainsByView = (community.counts.captains ?? 0) > CAPTAINS_WHOLE_MAX
    let captainsBox: Box | null = null
    let captainsAbort: AbortController | null = null
    const captainsForView = () => {
      if (!captainsByView || m.getZoom() < CAPTAINS_MIN_ZOOM) return null
      const b = m.getBounds()
      if (captainsBox !== null && inside([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], captainsBox)) return null
      captainsBox = grownView(m)
      return captainsBox
    }
    m.on('moveend', () => {
      const box = captainsForView()
      if (box === null) return
      captainsAbort?.abort()
      const mine = new AbortController()
      captainsAbort = mine
      fetchLayer(community.id, 'captains', mine.signal, box).then(
        (fc) => {
          if (mine.signal.aborted || abort.signal.aborted) return
          m.getSource<GeoJSONSource>(SOURCE.captains)?.setData(fc)
          setData((d) => ({ ...d, captains: fc as unknown as CaptainCollection }))
        },
        () => {},
      )
    })

    // Fetch the GeoJSON layers; each failure is reported, the rest still shows.
    const loaded = Promise.all(
      GEOJSON_LAYERS.map(async (layer) => {
        try {
          if (layer === 'captains' && captainsByView) {
            const box = captainsForView()
            const empty = { type: 'FeatureCollection', features: [] } as unknown as CaptainCollection
            return { layer, fc: box === null ? empty : await fetchLayer(community.id, layer, abort.signal, box) }
          }
          return { layer, fc: await fetchLayer(community.id, layer, abort.signal) }
        } catch (err) {
          if (abort.signal.aborted) return null
          const error = err instanceof ApiError ? err : new ApiError(0, 'network', String(err))
          latest.current.props.onProblem({ kind: 'layer', layer, error })
          return null
        }
      }),
    )
    // Not `isStyleLoaded()`: that is also false while any source is loading.
    const styleLoaded = new Promise<void>((resolve) => m.once('load', () => resolve()))
    void styleLoaded.then(() => {
      if (abort.signal.aborted) return
      setMap(m)
    })

    void Promise.all([loaded, styleLoaded]).then(([results]) => {
      if (abort.signal.aborted) return
      const next: LoadedData = { zones: null, routes: null, captains: null }
      const features: { properties: object | null }[] = []
      for (const r of results) {
        if (r === null) continue
        if (r.layer === 'routes') {
          const routes = r.fc as unknown as RouteCollection
          next.routes = routes
          m.getSource<GeoJSONSource>(SOURCE.routes)?.setData(routeFeatures(routes as unknown as FeatureCollection<LineString | MultiLineString, RouteInput>, latest.current.props.filter))
        } else {
          m.getSource<GeoJSONSource>(SOURCE[r.layer])?.setData(r.fc)
          if (r.layer === 'zones') {
            next.zones = r.fc as unknown as ZoneCollection
            m.getSource<GeoJSONSource>(SOURCE.zoneLabels)?.setData(zoneLabelPoints(next.zones))
          } else next.captains = r.fc as unknown as CaptainCollection
        }
        features.push(...r.fc.features)
      }
      // Team colours are set before the ready flag, so a ready map is a finished one.
      const teams = assignTeamColors(features)
      for (const { id, property } of TEAM_COLORED) m.setPaintProperty(id, property, teamColorExpression(teams))
      latest.current.props.onTeams(teams)
      setData(next)
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
      captainsAbort?.abort()
      setMap(null)
      setData({ zones: null, routes: null, captains: null })
      if (window.__safegrid?.map === m) delete window.__safegrid
      m.remove()
    }
    // the insets and initial view only matter for the first fit; changing them must not rebuild the map
  }, [community])

  useEffect(() => {
    latest.current.props.onMap?.(map)
  }, [map])

  // Clicks select; the pointer shows what is clickable and outlines a captain's buildings.
  useEffect(() => {
    if (map === null) return
    const clickable = () => CLICKABLE_LAYERS.filter((id) => map.getLayer(id) !== undefined && map.getLayoutProperty(id, 'visibility') !== 'none')
    /** The topmost clickable feature at a point: small things (points, lines) within a few pixels, areas exactly. */
    const hit = (e: MapMouseEvent): MapGeoJSONFeature | null => {
      const layers = clickable()
      if (layers.length === 0) return null
      const { x, y } = e.point
      const near = map.queryRenderedFeatures(
        [
          [x - 5, y - 5],
          [x + 5, y + 5],
        ],
        { layers: layers.filter((id) => id !== 'buildings-fill' && id !== 'zones-fill') },
      )
      const under = map.queryRenderedFeatures(e.point, { layers: layers.filter((id) => id === 'buildings-fill' || id === 'zones-fill') })
      for (const id of CLICKABLE_LAYERS) {
        const f = (id === 'buildings-fill' || id === 'zones-fill' ? under : near).find((h) => h.layer.id === id)
        if (f) return f
      }
      return null
    }
    const onClick = (e: MapMouseEvent) => {
      const { props: p, data: d } = latest.current
      const f = hit(e)
      if (f === null) {
        p.onSelect(null)
        return
      }
      const lngLat: [number, number] = [e.lngLat.lng, e.lngLat.lat]
      const fp = f.properties
      switch (f.layer.id) {
        case 'incidents-cluster': {
          const at = (f.geometry as Point).coordinates as [number, number]
          p.onSelect({ kind: 'cluster', id: 0, props: fp as unknown as ClusterProps, lngLat: at })
          map.easeTo({ center: at, zoom: Math.min(Math.max(map.getZoom() + 2, 13.2), 16) })
          return
        }
        case 'incidents-circle':
          p.onSelect({ kind: 'incident', id: Number(fp.id), props: fp as unknown as IncidentProps, zone: zoneAt(d.zones, lngLat) })
          return
        case 'captains-circle': {
          const c = d.captains?.features.find((x) => x.properties.id === Number(fp.id))
          p.onSelect({ kind: 'captain', id: Number(fp.id), props: c?.properties ?? null })
          return
        }
        case 'routes-line': {
          const id = Number(fp.routeId)
          p.onSelect({ kind: 'route', id, props: d.routes?.features.find((r) => r.properties.id === id)?.properties ?? null })
          return
        }
        case 'buildings-fill':
          p.onSelect({ kind: 'building', id: Number(fp.id), props: buildingFromTile(fp), zone: zoneAt(d.zones, lngLat) })
          return
        case 'zones-fill': {
          const id = Number(f.id)
          p.onSelect({ kind: 'zone', id, props: d.zones?.features.find((z) => z.properties.id === id)?.properties ?? null })
          return
        }
      }
    }
    let frame = 0
    let lastEvent: MapMouseEvent | null = null
    const onMove = (e: MapMouseEvent) => {
      lastEvent = e
      if (frame !== 0) return
      frame = requestAnimationFrame(() => {
        frame = 0
        if (lastEvent === null) return
        const f = hit(lastEvent)
        map.getCanvas().style.cursor = f ? 'pointer' : ''
        const captain =
          f?.layer.id === 'captains-circle' ? Number(f.properties.id) : f?.layer.id === 'buildings-fill' && f.properties.captainId != null ? Number(f.properties.captainId) : null
        setHoverCaptain(captain)
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

  // Layer visibility (the hatching only belongs to the captain colouring, and not to the quiet map).
  useEffect(() => {
    if (map === null) return
    for (const [group, ids] of Object.entries(LAYER_GROUPS) as [LayerGroup, readonly string[]][]) {
      for (const id of ids) {
        const on = visible[group] && (id !== buildingsHatch.id || (buildings === 'captain' && quiet === null))
        map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none')
      }
    }
  }, [map, visible, buildings, quiet])

  // Layer opacity (the user's, less what the quiet map takes).
  useEffect(() => {
    if (map === null) return
    for (const [group, ids] of Object.entries(LAYER_GROUPS) as [LayerGroup, readonly string[]][]) {
      for (const id of ids) {
        const factor = opacity[group] * quietFactor(id, quiet)
        for (const [prop, value] of opacityPaint(id, factor)) map.setPaintProperty(id, prop, value)
      }
    }
  }, [map, opacity, quiet])

  // Building colouring.
  useEffect(() => {
    if (map === null) return
    map.setPaintProperty('buildings-fill', 'fill-color', buildingFillColor(buildings, quiet !== null))
  }, [map, buildings, quiet])

  // Incident filters: the incidents tiles, and which routes are in service in the chosen hours.
  const query = filterQuery(filter)
  useEffect(() => {
    if (map === null) return
    const source = map.getSource<VectorTileSource>(SOURCE.incidents)
    const url = tileUrl(window.location.origin, 'incidents', community.id, query)
    if (source !== undefined && source.tiles[0] !== url) source.setTiles([url])
    document.body.dataset.incidentQuery = query
  }, [map, community, query])
  const { hours, weekdays } = filter
  useEffect(() => {
    if (map === null || data.routes === null) return
    map.getSource<GeoJSONSource>(SOURCE.routes)?.setData(routeFeatures(data.routes as unknown as FeatureCollection<LineString | MultiLineString, RouteInput>, { hours, weekdays }))
  }, [map, data.routes, hours, weekdays])

  // The selection: its feature state, and its properties when only kind and id are known.
  useEffect(() => {
    if (map === null || selection === null) return
    const targets = selectionTargets(selection, data)
    for (const target of targets) map.setFeatureState(target, { selected: true })
    return () => {
      for (const target of targets) if (map.getSource(target.source) !== undefined) map.setFeatureState(target, { selected: false })
    }
  }, [map, data, selection?.kind, selection?.id])

  useEffect(() => {
    if (map === null || selection === null || selection.props !== null) return
    const { kind, id } = selection
    const onSelect = latest.current.props.onSelect
    if (kind === 'zone' || kind === 'route' || kind === 'captain') {
      const fc = kind === 'zone' ? data.zones : kind === 'route' ? data.routes : data.captains
      if (fc === null) return
      const found = (fc.features as Feature[]).find((f) => (f.properties as { id: number }).id === id)
      if (found) onSelect({ kind, id, props: found.properties } as Selection)
      return
    }
    // Buildings and incidents live in tiles: look in the loaded ones once the map is idle, then ask the server.
    const abort = new AbortController()
    const look = () => {
      if (abort.signal.aborted) return
      const source = kind === 'building' ? SOURCE.buildings : SOURCE.incidents
      const [f] = map.querySourceFeatures(source, { sourceLayer: source, filter: ['==', ['id'], id] })
      if (f) {
        const lngLat = f.geometry.type === 'Point' ? ((f.geometry as Point).coordinates as [number, number]) : null
        const zone = lngLat ? zoneAt(data.zones, lngLat) : null
        onSelect(kind === 'building' ? { kind, id, props: buildingFromTile(f.properties), zone } : { kind: 'incident', id, props: f.properties as unknown as IncidentProps, zone })
        return
      }
      if (kind !== 'building') return
      const b = map.getBounds()
      void fetchBuilding(community.id, id, [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], abort.signal)
        .then((feature) => {
          if (feature && !abort.signal.aborted) onSelect({ kind, id, props: feature.properties, zone: null })
        })
        .catch(() => {})
    }
    if (map.loaded()) look()
    map.once('idle', look)
    return () => {
      abort.abort()
      map.off('idle', look)
    }
  }, [map, data, community, selection])

  // The buildings of a captain: the one under the pointer, else the selected one's.
  const outlined = hoverCaptain ?? captainOf(selection)
  useEffect(() => {
    if (map === null || outlined === null) return
    const captain = data.captains?.features.find((c) => c.properties.id === outlined)
    const ids = captain?.properties.buildingIds ?? []
    const targets = ids.map((id) => ({ source: SOURCE.buildings, sourceLayer: 'buildings', id }))
    for (const target of targets) map.setFeatureState(target, { captain: true })
    return () => {
      if (map.getSource(SOURCE.buildings) === undefined) return
      for (const target of targets) map.setFeatureState(target, { captain: false })
    }
  }, [map, data.captains, outlined])

  // The panels' room as the map's padding. When the whole community was in view and the panels
  // now cover part of it, fit it into what is left; otherwise the centre stays where it is.
  const { left, right, bottom } = insets
  useEffect(() => {
    if (map === null) return
    const next = { top: 0, left, right, bottom }
    const old = map.getPadding()
    if (old.left === left && old.right === right && old.bottom === bottom) return
    const box = community.bbox
    const fits = (p: PaddingOptions) => {
      const { clientWidth: width, clientHeight: height } = map.getContainer()
      const a = map.project([box[0], box[3]])
      const b = map.project([box[2], box[1]])
      return a.x >= (p.left ?? 0) && a.y >= (p.top ?? 0) && b.x <= width - (p.right ?? 0) && b.y <= height - (p.bottom ?? 0)
    }
    const wasWhole = fits(old)
    map.setPadding(next)
    if (wasWhole && !fits(next)) map.fitBounds(box, { padding: 24, duration: prefersReducedMotion() ? 0 : 400 })
  }, [map, community, left, right, bottom])

  // Fly to a search result or a captain chosen in a panel (the map's padding keeps it beside the panels).
  useEffect(() => {
    if (map === null || focus === null) return
    let bbox = focus.bbox
    if (focus.kind === 'captain') {
      const at = data.captains?.features.find((c) => c.properties.id === focus.id)?.geometry.coordinates
      if (at !== undefined) {
        const [x, y] = at as [number, number]
        bbox = bbox === null ? [x, y, x, y] : [Math.min(bbox[0], x), Math.min(bbox[1], y), Math.max(bbox[2], x), Math.max(bbox[3], y)]
      }
    }
    if (bbox === null) return
    map.fitBounds(bbox, { padding: 60, maxZoom: focus.kind === 'zone' ? 16.5 : 18, duration: prefersReducedMotion() ? 0 : 1200 })
  }, [map, focus?.key])

  return <div ref={container} className="map" data-testid="map" />
}
