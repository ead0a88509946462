/**
 * What the planner's map reads from the layers and tiles beyond their raw records: incident counts
 * of buildings, incident clusters at low zoom, and lighter street tiles at city-wide zooms.
 */
import { VectorTile, type VectorTileFeature } from '@mapbox/vector-tile'
import { bbox, pointToPolygonDistance } from '@turf/turf'
import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson'
import { PbfReader } from 'pbf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUILDING_INCIDENT_RADIUS_M } from '../../server/src/contract.js'
import { FULL_VIEW } from '../../server/src/http/context.js'
import { CLUSTER_MAX_ZOOM, DENSE_MAX_ZOOM, DENSE_TILE_POINTS, loadTile } from '../../server/src/db/tiles.js'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'
import { countMatching, demoIncidents } from '../support/demo-incidents.js'

// The z12 tile holding the whole Mission District demo, and the z11 one around it.
const Z12 = { z: 12, x: 655, y: 1583 }
const Z11 = { z: 11, x: 327, y: 791 }
const INCIDENTS = countMatching() // 814 of 2012, 651 of December 2018, 100 of 2019 (test/support/demo-incidents.ts)

function features(tile: VectorTile, layer: string): VectorTileFeature[] {
  const l = tile.layers[layer]
  return l ? Array.from({ length: l.length }, (_, i) => l.feature(i)) : []
}

describe.each(testModes())('map data in %s mode', (mode) => {
  let demo: DemoHandle
  beforeAll(async () => {
    demo = await openDemo(mode)
  })
  afterAll(() => demo.close())

  async function tile(layer: string, t: { z: number; x: number; y: number }, query = ''): Promise<VectorTileFeature[]> {
    const res = await demo.app.request(`/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt?community=sf-mission${query}`)
    if (res.status === 204) return []
    expect(res.status).toBe(200)
    return features(new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer()))), layer)
  }

  async function layer<P>(name: string): Promise<FeatureCollection<never, P>> {
    const res = await demo.app.request(`/api/communities/sf-mission/layers/${name}?limit=50000`)
    expect(res.status).toBe(200)
    return (await res.json()) as FeatureCollection<never, P>
  }

  async function summaryTotal(query: string): Promise<number> {
    const res = await demo.app.request(`/api/communities/sf-mission/incidents/summary?${query}`)
    return ((await res.json()) as { total: number }).total
  }

  const countOf = (f: VectorTileFeature) => Number(f.properties.count)

  it('clusters incidents at low zoom so that the clusters add up to every matching incident', async () => {
    expect(CLUSTER_MAX_ZOOM).toBe(12)
    for (const query of ['', 'categories=ROBBERY', 'from=2012-07-01&to=2012-09-30&weekdays=6,7', 'hours=22-02']) {
      const expected = await summaryTotal(query)
      for (const t of [Z12, Z11]) {
        const got = await tile('incidents', t, query ? `&${query}` : '')
        expect(got.reduce((a, f) => a + countOf(f), 0), `${query} at z${t.z}`).toBe(expected)
      }
    }
    expect(await summaryTotal('')).toBe(INCIDENTS)
  })

  it('gives a cluster its count, the most frequent category, the mix of categories and the time-unknown count', async () => {
    const got = await tile('incidents', Z12)
    const clusters = got.filter((f) => f.properties.cluster === true)
    expect(clusters.length).toBeGreaterThan(5)
    expect(got.length).toBeLessThan(INCIDENTS / 10)
    for (const c of clusters) {
      expect(c.id).toBeUndefined()
      expect(c.type).toBe(1)
      const mix = String(c.properties.categories).split(',').map((s) => {
        const i = s.lastIndexOf(':')
        return [s.slice(0, i), Number(s.slice(i + 1))] as const
      })
      expect(mix.reduce((a, [, n]) => a + n, 0)).toBe(countOf(c))
      // most frequent first; the top one is the cluster's category
      expect(mix.map(([, n]) => n)).toEqual([...mix.map(([, n]) => n)].sort((a, b) => b - a))
      expect(c.properties.category).toBe(mix[0]![0])
      expect(Number(c.properties.timeUnknown)).toBeLessThanOrEqual(countOf(c))
    }
    // Every 2012 record has no time of day, nor do the December 2018 reports written at 00:00.
    const unknown = demoIncidents().filter((i) => !i.timeKnown).length
    expect(unknown).toBe(814 + 25)
    expect(got.reduce((a, f) => a + (f.properties.cluster === true ? Number(f.properties.timeUnknown) : f.properties.timeKnown ? 0 : 1), 0)).toBe(unknown)
  })

  it('sends a lone incident in a cluster cell as itself, with its id and properties', async () => {
    const got = await tile('incidents', Z12, '&categories=ROBBERY&hours=22-02')
    const singles = got.filter((f) => f.properties.cluster === false)
    expect(singles.length).toBeGreaterThan(0)
    for (const f of singles) {
      expect(f.id).toBe(f.properties.id)
      expect(f.properties).toMatchObject({ count: 1, category: 'ROBBERY', timeKnown: true })
      expect(typeof f.properties.occurredAt).toBe('string')
    }
  })

  it('sends single incidents, not clusters, above the cluster zoom', async () => {
    const got = await tile('incidents', { z: 13, x: 1310, y: 3166 })
    expect(got).toHaveLength(INCIDENTS)
    expect(got.every((f) => f.properties.cluster === undefined && typeof f.id === 'number')).toBe(true)
  })

  it('clusters a z13–z14 tile only when it holds more incidents than the dense-tile limit', async () => {
    expect([DENSE_MAX_ZOOM, DENSE_TILE_POINTS]).toEqual([14, 3000])
    const decode = (buf: Uint8Array) => (buf.length === 0 ? [] : features(new VectorTile(new PbfReader(buf)), 'incidents'))
    const z13 = { layer: 'incidents' as const, z: 13, x: 1310, y: 3166, community: 'sf-mission', view: FULL_VIEW }
    // The demo's 1,565 incidents all lie in this tile: under a limit of 500 it is clustered, under 2,000 not.
    const dense = decode(await loadTile(demo.sql, mode, z13, { densePoints: 500 }))
    expect(dense.some((f) => f.properties.cluster === true)).toBe(true)
    expect(dense.reduce((a, f) => a + countOf(f), 0)).toBe(INCIDENTS)
    const sparse = decode(await loadTile(demo.sql, mode, z13, { densePoints: 2000 }))
    expect(sparse).toHaveLength(INCIDENTS)
    expect(sparse.every((f) => f.properties.cluster === undefined)).toBe(true)
    // From z15 every incident is sent, however dense.
    const z15 = decode(await loadTile(demo.sql, mode, { layer: 'incidents', z: 15, x: 5241, y: 12666, community: 'sf-mission', view: FULL_VIEW }, { densePoints: 1 }))
    expect(z15.length).toBeGreaterThan(1)
    expect(z15.every((f) => f.properties.cluster === undefined)).toBe(true)
  })

  it('gives the captains of a bbox exactly as the whole layer filtered to it', async () => {
    type C = FeatureCollection<Point, { id: number }>
    const whole = (await layer<{ id: number }>('captains')) as unknown as C
    expect(whole.features.length).toBeGreaterThan(100)
    for (const box of [[-122.42, 37.764, -122.415, 37.768], [-122.425, 37.7605, -122.408, 37.7765], [-122.4101, 37.7701, -122.4099, 37.7703]] as const) {
      const res = await demo.app.request(`/api/communities/sf-mission/layers/captains?bbox=${box.join(',')}&limit=50000`)
      const got = ((await res.json()) as C).features.map((f) => f.id).sort((a, b) => Number(a) - Number(b))
      const [w, s, e, n] = box
      const expected = whole.features
        .filter(({ geometry: { coordinates: [x, y] } }) => x! >= w && x! <= e && y! >= s && y! <= n)
        .map((f) => f.id)
        .sort((a, b) => Number(a) - Number(b))
      expect(got).toEqual(expected)
    }
  })

  it('leaves footways and service roads out of street tiles below z14 and keeps only main roads below z12', async () => {
    const z13 = await tile('streets', { z: 13, x: 1310, y: 3166 })
    const z11 = await tile('streets', Z11)
    const z14 = await tile('streets', { z: 14, x: 2620, y: 6333 })
    const classes = (fs: VectorTileFeature[]) => new Set(fs.map((f) => String(f.properties.highway)))
    expect(classes(z14)).toContain('footway')
    expect(classes(z14)).toContain('service')
    expect(classes(z13)).not.toContain('footway')
    expect(classes(z13)).not.toContain('service')
    expect(classes(z13)).toContain('residential')
    expect([...classes(z11)].every((c) => /^(motorway|trunk|primary|secondary|tertiary)(_link)?$/.test(c))).toBe(true)
    expect(z11.length).toBeGreaterThan(100)
  })

  it('counts the incidents within 25 m of each building footprint, as an independent geodesic measure does', async () => {
    expect(BUILDING_INCIDENT_RADIUS_M).toBe(25)
    const buildings = await layer<{ incidents: number }>('buildings')
    const incidents = (await layer<object>('incidents')) as unknown as FeatureCollection<Point>
    expect(buildings.features).toHaveLength(1152)
    let checked = 0
    for (const b of buildings.features as unknown as Feature<MultiPolygon, { incidents: number }>[]) {
      // Turf measures on the sphere, the server in UTM metres: they agree except within a few cm of 25 m.
      // Only incidents within ~30 m of the footprint's box can be within 25 m of it (0.00035° ≥ 30 m here).
      const [w, s, e, n] = bbox(b)
      const near = incidents.features
        .filter(({ geometry: { coordinates: [x, y] } }) => x! >= w - 0.00035 && x! <= e + 0.00035 && y! >= s - 0.00035 && y! <= n + 0.00035)
        .map((i) => pointToPolygonDistance(i, b, { units: 'meters' }))
      const sure = near.filter((d) => d <= BUILDING_INCIDENT_RADIUS_M - 0.1).length
      const maybe = near.filter((d) => d <= BUILDING_INCIDENT_RADIUS_M + 0.1).length
      expect(b.properties.incidents, `building ${b.id}`).toBeGreaterThanOrEqual(sure)
      expect(b.properties.incidents, `building ${b.id}`).toBeLessThanOrEqual(maybe)
      checked++
    }
    expect(checked).toBe(1152)
    const total = buildings.features.reduce((a, f) => a + (f.properties as { incidents: number }).incidents, 0)
    expect(total).toBeGreaterThan(1000) // incidents near several buildings count for each
  })

})
