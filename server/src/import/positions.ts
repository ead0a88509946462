/** Checks on the coordinates of GeoJSON geometries written by people (a boundary, an imported file). */

/** Every position ([x, y, …]) of a GeoJSON geometry's coordinates, or null when they are not nested arrays of numbers. */
export function positionsOf(coordinates: unknown, depth: number): number[][] | null {
  if (!Array.isArray(coordinates)) return null
  if (depth === 0) return coordinates.length >= 2 && coordinates.every((n) => typeof n === 'number' && Number.isFinite(n)) ? [coordinates as number[]] : null
  const out: number[][] = []
  for (const c of coordinates) {
    const inner = positionsOf(c, depth - 1)
    if (inner === null) return null
    out.push(...inner)
  }
  return out
}

/** How deep positions are nested in each GeoJSON geometry type. */
export const DEPTH: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 }

/**
 * Why a Polygon or MultiPolygon in degrees cannot be a boundary (null: it can): its coordinates must
 * be [longitude, latitude] within ±180/±90 and each ring must have at least 4 positions.
 */
export function boundaryProblem(geometry: { type: string; coordinates: unknown }): string | null {
  const depth = DEPTH[geometry.type]
  if (depth === undefined || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) return 'the boundary must be a GeoJSON Polygon or MultiPolygon'
  const positions = positionsOf(geometry.coordinates, depth)
  if (positions === null || positions.length === 0) return 'the boundary’s coordinates must be arrays of [longitude, latitude] numbers'
  if (positions.some(([x, y]) => Math.abs(x!) > 180 || Math.abs(y!) > 90)) return 'the boundary must be in degrees (EPSG:4326): longitude within ±180, latitude within ±90'
  const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as unknown[][][]
  if (polygons.length === 0 || polygons.some((rings) => rings.length === 0 || rings.some((ring) => ring.length < 4)))
    return 'each ring of the boundary needs at least 4 positions (the first repeated at the end)'
  return null
}
