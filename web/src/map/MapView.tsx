/**
 * The MapLibre map of one community: built from our own style, sized to the community's bbox (or
 * the view of a shared link), with the GeoJSON layers fetched once. Everything the user chooses —
 * layers, opacity, building colouring, incident filters, selection, language — comes in as props
 * and is applied to the running map without rebuilding it; clicks, hovers and moves go out as
 * callbacks. Each of those jobs is a hook of its own, in this folder.
 */
import { useEffect, useEffectEvent, useRef } from 'react'
import type { Map as MapLibreMap } from 'maplibre-gl'
import type { Community, GeoJsonLayerName } from '../api'
import type { Translate } from '../i18n'
import type { ApiError } from '../lib/api-error'
import type { CoverageNetwork } from '../lib/coverage'
import { filterQuery, type IncidentFilter } from '../lib/filters'
import type { Lang } from '../lib/i18n'
import type { TeamColor } from '../lib/palette'
import type { BuildingColoring, MapViewState } from '../lib/url-state'
import type { LayerGroup } from './layers'
import type { FocusRequest, Selection } from './selection'
import { useFocus } from './useFocus'
import { useGeoJsonLayers } from './useGeoJsonLayers'
import { buildingQuery } from './style'
import { useBuildingLanguage, useIncidentFilter } from './useIncidentFilter'
import { useLayerChoices } from './useLayerChoices'
import { useMapInstance, type MapInsets } from './useMapInstance'
import { useMapLanguage } from './useMapLanguage'
import { usePanelPadding } from './usePanelPadding'
import { usePointer } from './usePointer'
import { useSelectionProps } from './useSelectionProps'
import { useSelectionState } from './useSelectionState'

export type { MapInsets } from './useMapInstance'

/** A problem to show the user: a message key (with the layer name when it is about one) and the cause. */
export interface MapProblem {
  kind: 'layer' | 'map'
  layer?: GeoJsonLayerName
  error: ApiError
}

export interface MapViewProps {
  community: Community
  t: Translate
  /** the UI language: the names on the map are in it */
  lang: Lang
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
  /** false while another part of the app owns the map's clicks (the planner drawing or picking buildings) */
  interactive?: boolean
  /** changes when the data changed (a planner saved): layers and building tiles are loaded again */
  dataVersion?: number
}

/** The map; one instance per community. */
export function MapView(props: MapViewProps) {
  const { community, t, lang, initialView, visible, opacity, buildings, filter, selection, focus, insets, quiet, onTeams, onProblem, onSelect, onView, onMap, interactive = true, dataVersion = 0 } = props
  const container = useRef<HTMLDivElement>(null)
  const { instance, styled, map } = useMapInstance(
    container,
    community,
    { initialView, insets, incidentQuery: filterQuery(filter), buildingQuery: buildingQuery(lang), zoneUnpatrolled: t('map.zoneUnpatrolled') },
    onView,
    (error) => onProblem({ kind: 'map', error }),
  )
  const data = useGeoJsonLayers(instance, styled, community, lang, {
    filter,
    onTeams,
    onLayerError: (layer, error) => onProblem({ kind: 'layer', layer, error }),
    dataVersion,
  })

  const mapChanged = useEffectEvent((m: MapLibreMap | null) => onMap?.(m))
  useEffect(() => {
    mapChanged(map)
  }, [map])

  const hoverCaptain = usePointer(map, data, onSelect, interactive)
  useMapLanguage(map, t, community.sample)
  useLayerChoices(map, { visible, opacity, buildings, quiet })
  useIncidentFilter(map, community, filter, data.routes, dataVersion)
  useBuildingLanguage(map, community, lang, dataVersion)
  useSelectionState(map, data, selection, hoverCaptain)
  useSelectionProps(map, community, lang, data, selection, onSelect)
  usePanelPadding(map, community, insets)
  useFocus(map, focus, data)

  return <div ref={container} className="map" data-testid="map" />
}
