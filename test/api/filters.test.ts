import type { FeatureCollection } from 'geojson'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'
import { countMatching, type ReferenceFilter } from '../support/demo-incidents.js'

// Expected figures computed independently from fixtures/sf-mission (test/support/demo-incidents.ts:
// JavaScript's Intl in America/Los_Angeles, distinct incident ids and numbers; the 2012 file has
// dates only, the December 2018 reports and the 2019 robberies have times).
const NIGHT: [number, number] = [22 * 60, 2 * 60]
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

  it.each<[string, ReferenceFilter]>([
    ['categories=ROBBERY', { categories: ['ROBBERY'] }],
    ['from=2012-07-01&to=2012-07-31', { from: '2012-07-01', to: '2012-07-31' }],
    ['from=2018-12-01&to=2018-12-31', { from: '2018-12-01', to: '2018-12-31' }],
    ['from=2019-01-01&to=2019-01-31', { from: '2019-01-01', to: '2019-01-31' }],
    ['weekdays=6,7', { weekdays: [6, 7] }],
    ['categories=DRUG/NARCOTIC,VANDALISM&from=2012-07-01&to=2012-09-30&weekdays=1,2,3,4,5', { categories: ['DRUG/NARCOTIC', 'VANDALISM'], from: '2012-07-01', to: '2012-09-30', weekdays: [1, 2, 3, 4, 5] }],
    ['hours=22-02', { hours: NIGHT }],
    ['hours=22-02&weekdays=6,7', { hours: NIGHT, weekdays: [6, 7] }],
    ['categories=LARCENY/THEFT&hours=22-02&from=2018-12-01&to=2018-12-31', { categories: ['LARCENY/THEFT'], hours: NIGHT, from: '2018-12-01', to: '2018-12-31' }],
    ['from=2012-07-01T00:00:00-07:00&to=2012-07-31T23:59:59-07:00', { from: '2012-07-01T00:00:00-07:00', to: '2012-07-31T23:59:59-07:00' }],
    ['from=2018-12-15T06:00:00Z&to=2018-12-16T05:59:59Z', { from: '2018-12-15T06:00:00Z', to: '2018-12-16T05:59:59Z' }],
  ])('finds exactly the incidents of %s', async (query, reference) => {
    expect(await count(query)).toBe(countMatching(reference))
  })

  it('has the demo’s night story: December 2018 brings incidents with a time of day, night ones among them', () => {
    // figures of the files themselves (SOURCES.md): a check that the reference reads them as documented
    expect(countMatching({ from: '2018-12-01', to: '2018-12-31' })).toBe(651)
    expect(countMatching({ hours: NIGHT, from: '2018-12-01', to: '2018-12-31' })).toBe(101)
    expect(countMatching({ hours: NIGHT })).toBe(106) // and 5 robberies of 2019
  })

  it('counts incidents without a time of day apart instead of dropping them silently', async () => {
    const res = await demo.app.request('/api/communities/sf-mission/incidents/summary?hours=22-02')
    const body = (await res.json()) as { total: number; timeUnknown: number; timeUnknownExcluded: boolean; byCategory: Record<string, number>; filter: { hours: string } }
    const unknown = countMatching() - countMatching({ hours: [0, 1440] }) // 814 of 2012, 25 reports at 00:00
    expect(body).toMatchObject({ total: countMatching({ hours: NIGHT }), timeUnknown: unknown, timeUnknownExcluded: true, filter: { hours: '22:00-02:00' } })
    expect(body.byCategory.ROBBERY).toBe(countMatching({ hours: NIGHT, categories: ['ROBBERY'] }))
    const all = (await (await demo.app.request('/api/communities/sf-mission/incidents/summary')).json()) as typeof body
    expect(all).toMatchObject({ total: countMatching(), timeUnknown: unknown, timeUnknownExcluded: false })
    expect(Object.values(all.byCategory).reduce((a, b) => a + b, 0)).toBe(countMatching())
  })

  it('filters the incidents of vector tiles the same way', async () => {
    const { VectorTile } = await import('@mapbox/vector-tile')
    const { PbfReader } = await import('pbf')
    const tileCount = async (q: string) => {
      const res = await demo.app.request(`/tiles/incidents/13/1310/3166.mvt?community=sf-mission&${q}`)
      if (res.status === 204) return 0
      return new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer()))).layers.incidents?.length ?? 0
    }
    expect(await tileCount('')).toBe(countMatching())
    expect(await tileCount('categories=ROBBERY')).toBe(countMatching({ categories: ['ROBBERY'] }))
    expect(await tileCount('hours=22-02')).toBe(countMatching({ hours: NIGHT }))
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
