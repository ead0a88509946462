/**
 * Patrol routes as the map draws them: one feature per route and part of the day it is patrolled
 * (day, evening, night), drawn as parallel lines — solid, dashed, dotted — so a planner sees at a
 * glance who walks a street at night. Each feature says whether any of its shifts falls in the
 * filter bar's hours and weekdays (`inService`).
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson'
import type { IncidentFilter } from './filters'
import { routeShiftClasses, shiftClass, shiftInService, SHIFT_CLASSES, type ShiftClass, type ShiftLike } from './shifts'

/** Properties of a route as the routes layer gives them (the ones used here; the others are kept). */
export interface RouteInput {
  id: number
  shifts: ShiftLike[]
}

/** What a drawn route part adds to its route's properties. */
export interface RoutePart {
  /** the route's own id (the feature id is per part) */
  routeId: number
  shiftClass: ShiftClass
  /** offset of this part from the route's line, in line spacings (…, -0.5, 0, 0.5, …) */
  lane: number
  /** false when no shift of this part is on during the filter's hours and weekdays */
  inService: boolean
}

/** Properties of a drawn route part: its route's, and where and when it is drawn. */
export type RoutePartProps<P extends RouteInput = RouteInput> = P & RoutePart

/** The feature id of one part: route id × 4 + part of the day (so parts of a route are found again). */
export function routePartId(routeId: number, c: ShiftClass): number {
  return routeId * 4 + SHIFT_CLASSES.indexOf(c)
}

/** Splits routes into parts per part of the day; a route without shifts is one (day) part, out of service. */
export function routeFeatures<G extends Geometry, P extends RouteInput>(
  fc: FeatureCollection<G, P>,
  filter: Pick<IncidentFilter, 'hours' | 'weekdays'>,
): FeatureCollection<G, RoutePartProps<P>> {
  const features: Feature<G, RoutePartProps<P>>[] = []
  for (const f of fc.features) {
    const shifts = f.properties.shifts ?? []
    const classes = shifts.length > 0 ? routeShiftClasses(shifts) : (['day'] as ShiftClass[])
    classes.forEach((c, i) => {
      const mine = shifts.filter((s) => shiftClass(s) === c)
      features.push({
        type: 'Feature',
        id: routePartId(f.properties.id, c),
        geometry: f.geometry,
        properties: {
          ...f.properties,
          routeId: f.properties.id,
          shiftClass: c,
          lane: i - (classes.length - 1) / 2,
          inService: mine.some((s) => shiftInService(s, filter.hours, filter.weekdays)),
        },
      })
    })
  }
  return { type: 'FeatureCollection', features }
}
