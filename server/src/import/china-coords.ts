/**
 * GCJ-02 ("Mars" coordinates of Gaode/AMap and Tencent maps) and BD-09 (Baidu) to WGS 84.
 *
 * gcoord (the library the issue names) is not installed here, so these are the well-known public
 * formulas it implements too: the forward WGS 84 → GCJ-02 offset on the Krasovsky ellipsoid
 * (a = 6378245 m, e² = 0.00669342162296594323), and GCJ-02 → BD-09 as a rotation and scale about
 * the origin plus the constant shift (0.0065°, 0.006°). Neither has a closed inverse: GCJ-02 → WGS 84
 * and BD-09 → GCJ-02 are solved by fixed-point iteration of the forward formula until the forward
 * image of the answer lies within 1e-9° (0.1 mm) of the input — exact to well under a millimetre,
 * where the common one-step inverse is off by up to a few metres. Outside mainland China (the box
 * gcoord uses) GCJ-02 is WGS 84. The tests check gcoord's own published vectors and round trips.
 */

const A = 6378245.0
const EE = 0.00669342162296594323
const X_PI = (Math.PI * 3000.0) / 180.0

/** Whether GCJ-02 applies at this position (gcoord's box around mainland China). */
export function inChina(lon: number, lat: number): boolean {
  return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271
}

function offsetLat(x: number, y: number): number {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0
  return r
}

function offsetLon(x: number, y: number): number {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0
  return r
}

/** WGS 84 → GCJ-02 (the forward, published formula). */
export function wgs84ToGcj02(lon: number, lat: number): [number, number] {
  if (!inChina(lon, lat)) return [lon, lat]
  let dLat = offsetLat(lon - 105.0, lat - 35.0)
  let dLon = offsetLon(lon - 105.0, lat - 35.0)
  const radLat = (lat / 180.0) * Math.PI
  let magic = Math.sin(radLat)
  magic = 1 - EE * magic * magic
  const sqrtMagic = Math.sqrt(magic)
  dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI)
  dLon = (dLon * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI)
  return [lon + dLon, lat + dLat]
}

/** GCJ-02 → BD-09 (the forward, published formula). */
export function gcj02ToBd09(lon: number, lat: number): [number, number] {
  const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * X_PI)
  const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * X_PI)
  return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006]
}

/** Solves forward(p) = target by fixed-point iteration (the forward maps are small shifts). */
function invert(forward: (lon: number, lat: number) => [number, number], lon: number, lat: number): [number, number] {
  let x = lon
  let y = lat
  for (let i = 0; i < 30; i++) {
    const [fx, fy] = forward(x, y)
    const dx = fx - lon
    const dy = fy - lat
    x -= dx
    y -= dy
    if (Math.abs(dx) < 1e-9 && Math.abs(dy) < 1e-9) break
  }
  return [x, y]
}

/** GCJ-02 → WGS 84 (iterated inverse). */
export const gcj02ToWgs84 = (lon: number, lat: number): [number, number] => (inChina(lon, lat) ? invert(wgs84ToGcj02, lon, lat) : [lon, lat])

/** BD-09 → GCJ-02 (iterated inverse). */
export const bd09ToGcj02 = (lon: number, lat: number): [number, number] => invert(gcj02ToBd09, lon, lat)

/** BD-09 → WGS 84. */
export function bd09ToWgs84(lon: number, lat: number): [number, number] {
  const [x, y] = bd09ToGcj02(lon, lat)
  return gcj02ToWgs84(x, y)
}
