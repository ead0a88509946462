import type { FeatureCollection } from 'geojson'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'

// Expected figures computed independently from fixtures/sf-mission with JavaScript's Intl in
// America/Los_Angeles (distinct incident ids; the 2012 file has dates only, 2019 has times).
describe.each(testModes())('incident filters in %s mode', (mode) => {
  let demo: DemoHandle
  beforeAll(async () => {
    demo = await openDemo(mode)
  })
  afterAll(() => demo.close())

  async function count(query: string): Promise<number> {
    const res = await demo.app.request(`/api/communities/sf-mission/layers/incidents?limit=50000&${query}`)
    expect(res.status).toBe(200)
    return ((await res.json()) as FeatureCollection).features.length
  }

  it.each([
    ['categories=ROBBERY', 283],
    ['from=2012-07-01&to=2012-07-31', 125],
    ['from=2019-01-01&to=2019-01-31', 7],
    ['weekdays=6,7', 289],
    ['categories=DRUG/NARCOTIC,VANDALISM&from=2012-07-01&to=2012-09-30&weekdays=1,2,3,4,5', 139],
    ['hours=22-02', 5],
    ['hours=22-02&weekdays=6,7', 0],
    ['from=2012-07-01T00:00:00-07:00&to=2012-07-31T23:59:59-07:00', 125],
  ])('finds exactly the incidents of %s', async (query, expected) => {
    expect(await count(query)).toBe(expected)
  })

  it('counts incidents without a time of day apart instead of dropping them silently', async () => {
    const res = await demo.app.request('/api/communities/sf-mission/incidents/summary?hours=22-02')
    const body = (await res.json()) as { total: number; timeUnknown: number; timeUnknownExcluded: boolean; byCategory: Record<string, number>; filter: { hours: string } }
    expect(body).toMatchObject({ total: 5, timeUnknown: 814, timeUnknownExcluded: true, byCategory: { ROBBERY: 5 }, filter: { hours: '22:00-02:00' } })
    const all = (await (await demo.app.request('/api/communities/sf-mission/incidents/summary')).json()) as typeof body
    expect(all).toMatchObject({ total: 914, timeUnknown: 814, timeUnknownExcluded: false })
    expect(Object.values(all.byCategory).reduce((a, b) => a + b, 0)).toBe(914)
  })

  it('filters the incidents of vector tiles the same way', async () => {
    const { VectorTile } = await import('@mapbox/vector-tile')
    const { PbfReader } = await import('pbf')
    const tileCount = async (q: string) => {
      const res = await demo.app.request(`/tiles/incidents/13/1310/3166.mvt?community=sf-mission&${q}`)
      if (res.status === 204) return 0
      return new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer()))).layers.incidents?.length ?? 0
    }
    expect(await tileCount('')).toBe(914)
    expect(await tileCount('categories=ROBBERY')).toBe(283)
    expect(await tileCount('hours=22-02')).toBe(5)
  })

  it.each([
    ['hours=25-02', 'hours'],
    ['hours=22-22', 'hours'],
    ['weekdays=0,8', 'weekdays'],
    ['from=2012-13-01', 'from'],
    ['from=2012-12-31&to=2012-07-01', 'must not be after'],
  ])('rejects %s with 400 invalid_parameter', async (query, fragment) => {
    for (const path of [`/api/communities/sf-mission/layers/incidents?${query}`, `/api/communities/sf-mission/incidents/summary?${query}`, `/tiles/incidents/13/1310/3166.mvt?community=sf-mission&${query}`]) {
      const res = await demo.app.request(path)
      expect(res.status).toBe(400)
      const body = (await res.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('invalid_parameter')
      expect(body.error.message).toContain(fragment)
    }
  })
})
