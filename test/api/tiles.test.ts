import { VectorTile, type VectorTileFeature } from '@mapbox/vector-tile'
import { area } from '@turf/turf'
import type { FeatureCollection } from 'geojson'
import { PbfReader } from 'pbf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ringArea } from '../../server/src/db/tiles.js'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'

/** Longitude/latitude of a tile corner (web mercator, as in every slippy map). */
function tileCorner(z: number, x: number, y: number): [number, number] {
  const n = 2 ** z
  const lon = (x / n) * 360 - 180
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI
  return [lon, lat]
}

/** The tile's bbox grown by `margin` of its size (as the server selects with a 64/4096 buffer). */
function tileBBox(z: number, x: number, y: number, margin = 0): string {
  const [w, n] = tileCorner(z, x - margin, y - margin)
  const [e, s] = tileCorner(z, x + 1 + margin, y + 1 + margin)
  return [w, s, e, n].join(',')
}

/** Projects lon/lat into tile units (0…4096) of tile z/x/y. */
function toTileUnits(z: number, x: number, y: number, lon: number, lat: number): [number, number] {
  const n = 2 ** z
  const px = ((lon + 180) / 360) * n
  const py = ((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * n
  return [(px - x) * 4096, (py - y) * 4096]
}

function features(tile: VectorTile, layer: string): VectorTileFeature[] {
  const l = tile.layers[layer]
  if (!l) return []
  return Array.from({ length: l.length }, (_, i) => l.feature(i))
}

// z16 tile inside the demo (around Mission St & 16th St), and the z14 tile holding most of it.
const INNER = { z: 16, x: 10482, y: 25333 }
const WIDE = { z: 14, x: 2620, y: 6333 }
const MARGIN = 64 / 4096

describe.each(testModes())('vector tiles in %s mode', (mode) => {
  let demo: DemoHandle
  beforeAll(async () => {
    demo = await openDemo(mode)
  })
  afterAll(() => demo.close())

  async function fetchTile(layer: string, t: { z: number; x: number; y: number }, headers: Record<string, string> = {}) {
    const res = await demo.app.request(`/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt?community=sf-mission`, { headers })
    return { res, tile: new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer()))) }
  }

  /** Ids of the layer's features within bbox, leaving out those under `minAreaM2` (slivers that collapse in a tile). */
  async function layerIdsIn(layer: string, bbox: string, minAreaM2 = 0): Promise<number[]> {
    const res = await demo.app.request(`/api/communities/sf-mission/layers/${layer}?limit=50000&bbox=${bbox}`)
    const fc = (await res.json()) as FeatureCollection
    return fc.features.filter((f) => minAreaM2 === 0 || area(f) >= minAreaM2).map((f) => f.id as number).sort((a, b) => a - b)
  }

  it('serves the incidents of a tile exactly, at their positions, with their properties', async () => {
    const { res, tile } = await fetchTile('incidents', INNER)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile')
    const layer = tile.layers.incidents!
    expect(layer.extent).toBe(4096)
    const got = features(tile, 'incidents')
    const expected = await layerIdsIn('incidents', tileBBox(INNER.z, INNER.x, INNER.y, MARGIN))
    expect(expected.length).toBeGreaterThan(20)
    expect(got.map((f) => f.id!).sort((a, b) => a - b)).toEqual(expected)
    const geo = (await (await demo.app.request(`/api/communities/sf-mission/layers/incidents?limit=50000&bbox=${tileBBox(INNER.z, INNER.x, INNER.y, MARGIN)}`)).json()) as FeatureCollection
    const byId = new Map(geo.features.map((f) => [f.id as number, f]))
    for (const f of got) {
      expect(f.type).toBe(1)
      const source = byId.get(f.id!)!
      expect(f.properties).toMatchObject({ id: f.id, category: source.properties!.category, timeKnown: source.properties!.timeKnown, occurredAt: source.properties!.occurredAt })
      const [lon, lat] = (source.geometry as unknown as { coordinates: [number, number] }).coordinates
      const [ex, ey] = toTileUnits(INNER.z, INNER.x, INNER.y, lon, lat)
      const p = f.loadGeometry()[0]![0]!
      expect(Math.abs(p.x - ex)).toBeLessThanOrEqual(1)
      expect(Math.abs(p.y - ey)).toBeLessThanOrEqual(1)
    }
  })

  it('serves the buildings of a tile as polygons with exterior rings first and clipped to the buffer', async () => {
    const { res, tile } = await fetchTile('buildings', WIDE)
    expect(res.status).toBe(200)
    const got = features(tile, 'buildings')
    // Inset by 4 units so that no building merely grazing the edge (and collapsing there) counts,
    // and leave out slivers under 5 m² (a unit is ~0.5 m at z14: a 0.25 m wide sliver collapses).
    const inside = await layerIdsIn('buildings', tileBBox(WIDE.z, WIDE.x, WIDE.y, -4 / 4096), 5)
    expect(inside.length).toBeGreaterThan(500)
    const withMargin = await layerIdsIn('buildings', tileBBox(WIDE.z, WIDE.x, WIDE.y, MARGIN))
    const ids = got.map((f) => f.id!).sort((a, b) => a - b)
    expect(ids.length).toBeGreaterThan(500)
    // Every building within the tile is there; none beyond the buffer.
    expect(inside.every((id) => ids.includes(id))).toBe(true)
    expect(ids.every((id) => withMargin.includes(id))).toBe(true)
    for (const f of got) {
      expect(f.type).toBe(3)
      const rings = f.loadGeometry()
      expect(ringArea(rings[0]!)).toBeGreaterThan(0)
      for (const ring of rings) for (const p of ring) {
        expect(p.x).toBeGreaterThanOrEqual(-64)
        expect(p.x).toBeLessThanOrEqual(4096 + 64)
        expect(p.y).toBeGreaterThanOrEqual(-64)
        expect(p.y).toBeLessThanOrEqual(4096 + 64)
      }
      expect(typeof f.properties.captained).toBe('boolean')
    }
  })

  it('answers a tile without features with 204 and a repeated request with 304', async () => {
    const empty = await demo.app.request('/tiles/buildings/10/100/100.mvt?community=sf-mission')
    expect(empty.status).toBe(204)
    const first = await demo.app.request(`/tiles/incidents/${INNER.z}/${INNER.x}/${INNER.y}.mvt?community=sf-mission`)
    const etag = first.headers.get('etag')
    expect(etag).toMatch(/^"[\w-]+"$/)
    expect(first.headers.get('cache-control')).toContain('max-age')
    const again = await demo.app.request(`/tiles/incidents/${INNER.z}/${INNER.x}/${INNER.y}.mvt?community=sf-mission`, { headers: { 'if-none-match': etag! } })
    expect(again.status).toBe(304)
  })

  it('draws streets with their names', async () => {
    const { tile } = await fetchTile('streets', INNER)
    const names = new Set(features(tile, 'streets').map((f) => f.properties.name))
    expect(names).toContain('Mission Street')
    expect(names).toContain('16th Street')
  })
})

describe('vector tiles across modes', () => {
  it.runIf(testModes().length === 2)('carry the same features and properties in embedded and server mode', async () => {
    const decoded = async (mode: 'embedded' | 'server', layer: string, t: { z: number; x: number; y: number }) => {
      const demo = await openDemo(mode)
      try {
        const res = await demo.app.request(`/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt?community=sf-mission`)
        const tile = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())))
        return new Map(features(tile, layer).map((f) => [f.id!, { props: f.properties, geom: f.loadGeometry() }]))
      } finally {
        await demo.close()
      }
    }
    for (const [layer, t] of [['buildings', WIDE], ['incidents', INNER], ['streets', INNER]] as const) {
      const embedded = await decoded('embedded', layer, t)
      const server = await decoded('server', layer, t)
      expect([...embedded.keys()].sort()).toEqual([...server.keys()].sort())
      for (const [id, e] of embedded) {
        const s = server.get(id)!
        expect(e.props).toEqual(s.props)
        // Same shape within a unit of rounding: compare vertex counts loosely and the first vertex.
        if (layer === 'incidents') expect(e.geom).toEqual(s.geom)
        else {
          const a = e.geom[0]![0]!
          const nearest = Math.min(...s.geom.flat().map((p) => Math.hypot(p.x - a.x, p.y - a.y)))
          expect(nearest).toBeLessThanOrEqual(2)
        }
      }
    }
  })
})
