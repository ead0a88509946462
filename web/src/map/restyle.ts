/**
 * Style changes that are made only when they change something. MapLibre draws a frame for every
 * `setPaintProperty`/`setLayoutProperty` call, equal value or not, and lays out a layer's source
 * again for a changed layout property (or `visibility` set where the style left it unset) — each a
 * whole redraw, 0.3–0.5 s on a machine without a GPU, and more frames before the map is idle.
 */
import type { Map as MapLibreMap } from 'maplibre-gl'

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** Sets a paint property of layer `id` when its value differs (`unset`: what an unset property is worth). */
export function setPaint(map: MapLibreMap, id: string, property: string, value: unknown, unset?: unknown): void {
  if (!same(map.getPaintProperty(id, property as never) ?? unset, value)) map.setPaintProperty(id, property as never, value as never)
}

/** Sets a layout property of layer `id` when its value differs (an unset `visibility` is 'visible'). */
export function setLayout(map: MapLibreMap, id: string, property: string, value: unknown): void {
  const now = map.getLayoutProperty(id, property as never) ?? (property === 'visibility' ? 'visible' : undefined)
  if (!same(now, value)) map.setLayoutProperty(id, property as never, value as never)
}
