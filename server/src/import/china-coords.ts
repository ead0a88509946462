/**
 * GCJ-02 ("Mars" coordinates of Gaode/AMap and Tencent maps) and BD-09 (Baidu) to WGS 84, with
 * gcoord — the well-kept library for China's coordinate systems. Its GCJ-02 → WGS 84 is an iterated
 * inverse of the published forward offset (to 1e-6°: a round trip lands within 0.13 m); BD-09 → GCJ-02 is the published
 * inverse rotation and shift. Outside mainland China (gcoord's box) GCJ-02 is WGS 84. The tests check
 * gcoord's own vectors and that points land within a metre of their WGS 84 positions.
 */
import gcoord from 'gcoord'

type LonLat = [number, number]
type Crs = Parameters<typeof gcoord.transform>[1]
const to = (from: Crs, into: Crs) => (lon: number, lat: number): LonLat => gcoord.transform([lon, lat] as LonLat, from, into) as LonLat

/** WGS 84 → GCJ-02. */
export const wgs84ToGcj02 = to(gcoord.WGS84, gcoord.GCJ02)
/** GCJ-02 → BD-09. */
export const gcj02ToBd09 = to(gcoord.GCJ02, gcoord.BD09)
/** GCJ-02 → WGS 84. */
export const gcj02ToWgs84 = to(gcoord.GCJ02, gcoord.WGS84)
/** BD-09 → GCJ-02. */
export const bd09ToGcj02 = to(gcoord.BD09, gcoord.GCJ02)
/** BD-09 → WGS 84. */
export const bd09ToWgs84 = to(gcoord.BD09, gcoord.WGS84)
