import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ZoneFigures as ContractZoneFigures } from '../../server/src/contract.js'
import fs from 'node:fs'
import { booleanPointInPolygon, point } from '@turf/turf'
import type { FeatureCollection, MultiPolygon } from 'geojson'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'
import { countMatching, demoIncidents } from '../support/demo-incidents.js'

/** What the zone endpoint answers: the contract's figures and the filter they were counted under. */
type ZoneFigures = ContractZoneFigures & { filter: Record<string, unknown> }

// The Mission District demo: 13 sample zones (ids 1–13), 1,152 buildings, 1,565 incidents.
describe.each(testModes())('figures of a zone or building in %s mode', (mode) => {
  let demo: DemoHandle
  beforeAll(async () => {
    demo = await openDemo(mode)
  })
  afterAll(() => demo.close())

  async function get<T>(path: string): Promise<T> {
    const res = await demo.app.request(path)
    expect(res.status, path).toBe(200)
    return (await res.json()) as T
  }
  const allZones = (query = '') => Promise.all(Array.from({ length: 13 }, (_, i) => get<ZoneFigures>(`/api/communities/sf-mission/zones/${i + 1}/figures?${query}`)))

  it('gives a zone its buildings, households, captain coverage and incidents', async () => {
    expect(await get<ZoneFigures>('/api/communities/sf-mission/zones/7/figures')).toEqual({
      id: 7,
      code: 'G07',
      buildings: 112,
      households: 2003,
      captainedBuildings: 65,
      captainedHouseholds: 957,
      incidents: 208,
      incidentsAll: 208,
      timeUnknown: 104,
      filter: { from: null, to: null, categories: null, hours: null, weekdays: null },
    })
  })

  it('counts a zone’s incidents as the reference places them: all inside it, and of those on its edge only some', () => {
    // G07's polygon from the sample file; SFPD's points lie on street centre lines, and zones are cut
    // along streets, so an incident on the edge belongs to one of the zones it touches.
    const zones = JSON.parse(fs.readFileSync(new URL('../../fixtures/sf-mission/sample/zones.geojson', import.meta.url), 'utf8')) as FeatureCollection<MultiPolygon, { code: string }>
    const g07 = zones.features.find((f) => f.properties.code === 'G07')!
    const inside = (strict: boolean) => demoIncidents().filter((i) => booleanPointInPolygon(point([i.lon, i.lat]), g07, { ignoreBoundary: strict }))
    expect(inside(true).length).toBeLessThanOrEqual(208)
    expect(inside(false).length).toBeGreaterThanOrEqual(208)
    expect(inside(true).filter((i) => !i.timeKnown).length).toBeLessThanOrEqual(104)
    expect(inside(false).filter((i) => !i.timeKnown).length).toBeGreaterThanOrEqual(104)
  })

  it('counts every building in one zone and every incident in one zone, so the zones add up', async () => {
    const zones = await allZones()
    // Every footprint has one zone: the one holding its point on surface, or — for the 11 cut by the
    // edge of the map, whose point lies outside every zone — the nearest one.
    expect(zones.reduce((a, z) => a + z.buildings, 0)).toBe(1152)
    // Every incident lies in a zone; those on a shared border count once.
    expect(zones.reduce((a, z) => a + z.incidentsAll, 0)).toBe(countMatching())
    for (const z of zones) {
      expect(z.captainedBuildings).toBeLessThanOrEqual(z.buildings)
      expect(z.captainedHouseholds).toBeLessThanOrEqual(z.households)
    }
    // Captained buildings agree with the buildings layer's own flag, and every building's zone there
    // is the zone that counts it here.
    const layer = await get<{ features: { properties: { captained: boolean; zoneId: number | null } }[] }>('/api/communities/sf-mission/layers/buildings?limit=50000')
    expect(zones.reduce((a, z) => a + z.captainedBuildings, 0)).toBe(layer.features.filter((f) => f.properties.captained).length)
    for (const z of zones) expect(layer.features.filter((f) => f.properties.zoneId === z.id).length).toBe(z.buildings)
  })

  it('gives a building the same zone in its figures, the buildings layer, the coverage per zone and the gaps', async () => {
    const layer = await get<{ features: { properties: { id: number; zoneId: number | null; zoneCode: string | null } }[] }>('/api/communities/sf-mission/layers/buildings?limit=50000')
    const coverage = await get<{ meta: { zones: { id: number; code: string; buildings: number }[] } }>('/api/communities/sf-mission/coverage?network=patrol')
    for (const z of coverage.meta.zones) expect(layer.features.filter((f) => f.properties.zoneId === z.id).length).toBe(z.buildings)
    const gaps = await get<{ features: { properties: { kind: string; buildingId?: number; zoneCode?: string | null } }[] }>('/api/communities/sf-mission/gaps?network=captain')
    const zoneCodeOf = new Map(layer.features.map((f) => [f.properties.id, f.properties.zoneCode]))
    const captainless = gaps.features.filter((f) => f.properties.kind === 'captainless')
    expect(captainless.length).toBeGreaterThan(0)
    for (const g of captainless) expect(g.properties.zoneCode).toBe(zoneCodeOf.get(g.properties.buildingId!))
    // A building whose point on surface lies outside every zone still gets the nearest zone, in every view.
    const outside = await demo.sql<{ id: number }[]>`
      select b.id from buildings as b where b.community_id = 'sf-mission'
        and not exists (select 1 from grid_zones as z where z.community_id = b.community_id and ST_Intersects(z.geom, ST_PointOnSurface(b.geom)))`
    expect(outside.length).toBe(11)
    const ids = new Set([...outside.map((r) => r.id), 1, 2, 3])
    for (const f of layer.features.filter((x) => ids.has(x.properties.id))) {
      const figures = await get<{ zoneId: number | null; zoneCode: string | null }>(`/api/communities/sf-mission/buildings/${f.properties.id}/figures`)
      expect([figures.zoneId, figures.zoneCode]).toEqual([f.properties.zoneId, f.properties.zoneCode])
    }
    expect(layer.features.every((f) => f.properties.zoneId !== null)).toBe(true)
  })

  it.each(['categories=ROBBERY', 'from=2012-07-01&to=2012-09-30&weekdays=6,7', 'hours=22-02', 'categories=ROBBERY,VANDALISM&hours=20-04'])(
    'applies the shared filters (%s) so that the zones add up to the incident summary',
    async (query) => {
      const zones = await allZones(query)
      const summary = await get<{ total: number; timeUnknown: number }>(`/api/communities/sf-mission/incidents/summary?${query}`)
      expect(zones.reduce((a, z) => a + z.incidents, 0)).toBe(summary.total)
      expect(zones.reduce((a, z) => a + z.timeUnknown, 0)).toBe(summary.timeUnknown)
      expect(zones.every((z) => z.incidents <= z.incidentsAll)).toBe(true)
    },
  )

  it('gives a building the incidents within 25 m, filtered and in all, as its tile property counts them', async () => {
    const layer = await get<{ features: { properties: { id: number; incidents: number } }[] }>('/api/communities/sf-mission/layers/buildings?limit=50000')
    const busiest = [...layer.features].sort((a, b) => b.properties.incidents - a.properties.incidents).slice(0, 5)
    for (const b of busiest) {
      const all = await get<{ id: number; radiusM: number; incidents: number; incidentsAll: number }>(`/api/communities/sf-mission/buildings/${b.properties.id}/figures`)
      expect(all).toMatchObject({ id: b.properties.id, radiusM: 25, incidents: b.properties.incidents, incidentsAll: b.properties.incidents })
      // Filtered by each category in turn, the counts add up to all of them.
      let sum = 0
      for (const category of new Set(demoIncidents().map((i) => i.category))) {
        const one = await get<{ incidents: number; incidentsAll: number }>(
          `/api/communities/sf-mission/buildings/${b.properties.id}/figures?categories=${encodeURIComponent(category)}`,
        )
        expect(one.incidentsAll).toBe(b.properties.incidents)
        sum += one.incidents
      }
      expect(sum).toBe(b.properties.incidents)
    }
    expect(busiest[0]!.properties.incidents).toBe(136) // 91 before the December 2018 reports were loaded
  })

  it.each([
    ['/api/communities/sf-mission/zones/99/figures', 404, 'not_found'],
    ['/api/communities/sf-mission/buildings/999999/figures', 404, 'not_found'],
    ['/api/communities/atlantis/zones/7/figures', 404, 'community_not_found'],
    ['/api/communities/sf-mission/zones/seven/figures', 400, 'invalid_parameter'],
    ['/api/communities/sf-mission/zones/0/figures', 400, 'invalid_parameter'],
    ['/api/communities/sf-mission/zones/7/figures?hours=22-22', 400, 'invalid_parameter'],
    ['/api/communities/sf-mission/buildings/2/figures?from=2012-12-31&to=2012-07-01', 400, 'invalid_parameter'],
  ])('answers %s with %i %s', async (path, status, code) => {
    const res = await demo.app.request(path)
    expect(res.status).toBe(status)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code)
  })
})
