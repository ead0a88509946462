/**
 * The user's layer choices on the running map: which layer groups show, how opaque each is, and
 * how buildings are coloured — and what the quiet base map of the coverage view takes away. Only
 * what changes is set (restyle.ts): the first choices are the style's, and cost no frame.
 */
import { useEffect } from 'react'
import type { Map as MapLibreMap } from 'maplibre-gl'
import type { CoverageNetwork } from '../lib/coverage'
import type { BuildingColoring } from '../lib/url-state'
import { setLayout, setPaint } from './restyle'
import { BASE_OPACITY, buildingFillColor, buildingsFill, buildingsHatch, LAYER_GROUPS, opacityPaint, quietFactor, type LayerGroup } from './layers'

export interface LayerChoices {
  visible: Record<LayerGroup, boolean>
  opacity: Record<LayerGroup, number>
  buildings: BuildingColoring
  /** the network of the quiet map of the coverage view; null: the usual map */
  quiet: CoverageNetwork | null
}

/** Every layer group with the style layers of each. */
const groups = () => Object.entries(LAYER_GROUPS) as [LayerGroup, readonly string[]][]

/** Applies the layer panel's choices to `map`. */
export function useLayerChoices(map: MapLibreMap | null, { visible, opacity, buildings, quiet }: LayerChoices): void {
  // Visibility (the hatching only belongs to the captain colouring, and not to the quiet map).
  useEffect(() => {
    if (map === null) return
    for (const [group, ids] of groups()) {
      for (const id of ids) {
        const on = visible[group] && (id !== buildingsHatch.id || (buildings === 'captain' && quiet === null))
        setLayout(map, id, 'visibility', on ? 'visible' : 'none')
      }
    }
  }, [map, visible, buildings, quiet])

  // Opacity (the user's, less what the quiet map takes).
  useEffect(() => {
    if (map === null) return
    for (const [group, ids] of groups()) {
      for (const id of ids) {
        const factor = opacity[group] * quietFactor(id, quiet)
        for (const [prop, value] of opacityPaint(id, factor)) setPaint(map, id, prop, value, BASE_OPACITY[id]?.[prop])
      }
    }
  }, [map, opacity, quiet])

  // Building colouring.
  useEffect(() => {
    if (map === null) return
    setPaint(map, buildingsFill.id, 'fill-color', buildingFillColor(buildings, quiet !== null))
  }, [map, buildings, quiet])
}
