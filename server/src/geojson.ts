/**
 * The one GeoJSON writer. Analyses and layers build their features as JSON text — most of it
 * written by PostGIS — and a `meta` object; the answer is spliced together here rather than parsed
 * and serialised again, so a 40,000-cell answer costs the server nothing per cell.
 */
import type { Context } from 'hono'

/** Features as JSON text joined by commas (no brackets), as text or as the database's UTF-8 bytes. */
export type FeaturesText = string | Uint8Array<ArrayBuffer>

/** A FeatureCollection answer: its features and its `meta` (a contract type). */
export interface GeoJsonAnswer<M> {
  features: FeaturesText
  meta: M
}

export const GEOJSON_TYPE = 'application/geo+json; charset=utf-8'

/** One GeoJSON Feature as JSON text, around a geometry already written as GeoJSON text. */
export function feature(geometry: string | null, properties: object, id?: string | number): string {
  return `{"type":"Feature",${id === undefined ? '' : `"id":${JSON.stringify(id)},`}"geometry":${geometry ?? 'null'},"properties":${JSON.stringify(properties)}}`
}

/** The answer's body: `{"type":"FeatureCollection","features":[…],"meta":{…}}`. */
export function collectionBody(answer: GeoJsonAnswer<unknown>): string | Uint8Array<ArrayBuffer> {
  const head = '{"type":"FeatureCollection","features":['
  const tail = `],"meta":${JSON.stringify(answer.meta)}}`
  if (typeof answer.features === 'string') return head + answer.features + tail
  return new Uint8Array(Buffer.concat([Buffer.from(head), answer.features, Buffer.from(tail)]))
}

/** Writes a FeatureCollection answer as `application/geo+json`. */
export function writeGeoJson(c: Context, answer: GeoJsonAnswer<unknown>): Response {
  const body = collectionBody(answer)
  return typeof body === 'string' ? c.body(body, 200, { 'content-type': GEOJSON_TYPE }) : c.body(body, 200, { 'content-type': GEOJSON_TYPE })
}
