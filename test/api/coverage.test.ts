import { execFileSync } from 'node:child_process'
import type { FeatureCollection } from 'geojson'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/src/app.js'
import { RECT } from '../../fixtures/golden/rect.js'
import { migrate } from '../../server/src/db/migrate.js'
import { at, box, createFixture, type XY } from '../support/coverage-fixtures.js'
import { adminClient, type Client } from '../support/clients.js'
import { openDemo, openEmpty, testModes, type DemoHandle } from '../support/db.js'
import { countMatching } from '../support/demo-incidents.js'

type Answer = FeatureCollection & { meta: Record<string, any> }

/** shapely is the independent reference; scripts/test.mjs says whether Debian's python3-shapely is there (CI requires it). */
const SHAPELY = process.env.SAFEGRID_TEST_SHAPELY === '1'

const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7]
const DAY = { days: ALL_WEEK, start: '08:00', end: '16:00' }

/**
 * Area (m²) of the union of the lines' buffers, intersected with a box, by shapely (Debian's
 * python3-shapely) — an implementation independent of PostGIS. Same buffer resolution (8 segments
 * a quarter circle) as ST_Buffer's default.
 */
function shapelyCoveredArea(lines: { line: XY[]; reach: number }[], clip: [number, number, number, number]): number {
  const script = `
import json, sys
from shapely.geometry import LineString, box
from shapely.ops import unary_union
spec = json.loads(sys.argv[1])
u = unary_union([LineString(l['line']).buffer(l['reach'], resolution=8) for l in spec['lines']])
print(u.intersection(box(*spec['clip'])).area)
`
  return Number(execFileSync('/usr/bin/python3', ['-c', script, JSON.stringify({ lines, clip })], { encoding: 'utf8' }).trim())
}

describe.each(testModes())('patrol and captain coverage in %s mode', (mode) => {
  let db: Awaited<ReturnType<typeof openEmpty>>
  let app: Client
  const get = async (path: string): Promise<Answer> => {
    const res = await app.request(path)
    expect(res.status, await res.clone().text()).toBe(200)
    return (await res.json()) as Answer
  }

  beforeAll(async () => {
    db = await openEmpty(mode)
    await migrate(db.sql)
    app = await adminClient(createApp({ sql: db.sql, mode }), db.sql)
  }, 180_000)
  afterAll(() => db.close())

  it('BuildingOnZoneEdge counts in the one zone holding most of it', async () => {
    await createFixture(db.sql, 'edge', {
      zones: { A: box(0, 0, 600, 1000), B: box(600, 0, 1200, 1000) },
      routes: [{ line: [at(100, 500), at(1100, 500)], reachM: 60, shifts: [DAY] }],
      buildings: [{ box: box(570, 480, 610, 520), households: 10 }],
    })
    const cov = await get('/api/communities/edge/coverage?network=patrol')
    const [a, b] = cov.meta.zones
    expect([a.buildings, b.buildings]).toEqual([1, 0])
    expect(cov.meta).toMatchObject({ buildings: 1, buildingsCovered: 1, householdsCovered: 10, buildingsCoveredPct: 100 })
  })

  it('RouteEdited: moving, widening or deleting a route, or adding buildings, changes coverage at once', async () => {
    await createFixture(db.sql, 'edited', {
      zones: { A: box(0, 0, 1200, 1000) },
      routes: [{ line: [at(100, 500), at(1100, 500)], reachM: 60, shifts: [DAY] }],
      buildings: [
        { box: box(500, 540, 520, 560), households: 1 }, // 40 m north of the route
        { box: box(500, 800, 520, 820), households: 2 }, // 300 m north
      ],
    })
    // What the triggers keep must equal the definition (ST_DWithin in metres), after every change.
    const stored = async () => {
      const kept = await db.sql<{ r: number; b: number }[]>`
        select route_id as r, building_id as b from route_reach_buildings where community_id = 'edited' order by 1, 2`
      const direct = await db.sql<{ r: number; b: number }[]>`
        select r.id as r, b.id as b from patrol_routes as r join buildings as b on b.community_id = r.community_id
        join communities as c on c.id = r.community_id
        where r.community_id = 'edited' and ST_DWithin(ST_Transform(b.geom, c.metric_srid), ST_Transform(r.geom, c.metric_srid), r.reach_m)
        order by 1, 2`
      expect(kept).toEqual(direct)
      return kept.length
    }
    const gapAddresses = async () =>
      (await get('/api/communities/edited/gaps?network=patrol')).features.filter((f) => f.properties!.kind === 'building').map((f) => f.properties!.address).sort()
    const covered = async () => (await get('/api/communities/edited/coverage?network=patrol')).meta

    expect(await stored()).toBe(1)
    expect(await gapAddresses()).toEqual(['2 Test St'])

    // move the route 300 m north: now it passes the second building
    await db.sql`update patrol_routes set geom = ST_Transform(ST_Translate(ST_Transform(geom, ${RECT.srid}::int), 0, 300), 4326) where community_id = 'edited'`
    expect(await stored()).toBe(1)
    expect(await gapAddresses()).toEqual(['1 Test St'])

    // widen its reach to 300 m: both
    await db.sql`update patrol_routes set reach_m = 300 where community_id = 'edited'`
    expect(await stored()).toBe(2)
    expect(await covered()).toMatchObject({ buildings: 2, buildingsCovered: 2, householdsCovered: 3 })

    // a new building within reach and one beyond it
    const [n, f] = [box(600, 780, 620, 790), box(600, 100, 620, 110)]
    await db.sql`insert into buildings (community_id, households, geom, source, source_id) values
      ('edited', 4, ST_Multi(ST_Transform(ST_MakeEnvelope(${n[0]}, ${n[1]}, ${n[2]}, ${n[3]}, ${RECT.srid}::int), 4326)), 'test', 'near'),
      ('edited', 8, ST_Multi(ST_Transform(ST_MakeEnvelope(${f[0]}, ${f[1]}, ${f[2]}, ${f[3]}, ${RECT.srid}::int), 4326)), 'test', 'far')`
    expect(await stored()).toBe(3)
    expect(await covered()).toMatchObject({ buildings: 4, buildingsCovered: 3, householdsCovered: 7 })

    // no route at all: every building is a gap
    await db.sql`delete from patrol_routes where community_id = 'edited'`
    expect(await stored()).toBe(0)
    expect(await covered()).toMatchObject({ buildings: 4, buildingsCovered: 0, areaCoveredPct: 0 })
  })

  it.runIf(SHAPELY)('RouteCrossingZoneBoundary covers both zones, with areas as shapely computes them', async () => {
    const line: XY[] = [at(500, 500), at(700, 500)]
    await createFixture(db.sql, 'crossing', {
      zones: { A: box(0, 0, 600, 1000), B: box(600, 0, 1200, 1000) },
      routes: [{ line, reachM: 50, shifts: [DAY] }],
    })
    const cov = await get('/api/communities/crossing/coverage?network=patrol')
    const [a, b] = cov.meta.zones
    const expectA = shapelyCoveredArea([{ line, reach: 50 }], box(0, 0, 600, 1000))
    const expectB = shapelyCoveredArea([{ line, reach: 50 }], box(600, 0, 1200, 1000))
    // Tolerance 0.5 %: two implementations approximate the round caps with the same number of segments.
    expect(a.coveredM2).toBeGreaterThan(0)
    expect(Math.abs(a.coveredM2 - expectA) / expectA).toBeLessThan(0.005)
    expect(Math.abs(b.coveredM2 - expectB) / expectB).toBeLessThan(0.005)
    expect(a.areaCoveredPct).toBeCloseTo((100 * expectA) / 600_000, 1)
  })

  it.runIf(SHAPELY)('TwoOverlappingBuffers count the shared area once', async () => {
    const l1: XY[] = [at(300, 400), at(900, 400)]
    const l2: XY[] = [at(300, 440), at(900, 440)]
    await createFixture(db.sql, 'overlap', {
      zones: { A: box(0, 0, 1200, 1000) },
      routes: [
        { line: l1, reachM: 50, shifts: [DAY] },
        { line: l2, reachM: 50, shifts: [DAY] },
      ],
    })
    const cov = await get('/api/communities/overlap/coverage?network=patrol')
    const union = shapelyCoveredArea([{ line: l1, reach: 50 }, { line: l2, reach: 50 }], box(0, 0, 1200, 1000))
    const single = shapelyCoveredArea([{ line: l1, reach: 50 }], box(0, 0, 1200, 1000))
    expect(union).toBeLessThan(2 * single - 10_000)
    expect(Math.abs(cov.meta.coveredM2 - union) / union).toBeLessThan(0.005)
    expect(cov.meta.areaCoveredPct).toBeCloseTo((100 * union) / 1_200_000, 1)
  })

  it('ShiftAcrossMidnight covers 23:00 and the next morning, not 07:00', async () => {
    await createFixture(db.sql, 'night', {
      zones: { A: box(0, 0, 1200, 1000) },
      routes: [{ line: [at(100, 500), at(1100, 500)], reachM: 100, shifts: [{ days: [1], start: '22:00', end: '06:00' }] }],
      buildings: [{ box: box(590, 520, 610, 540), households: 4 }],
    })
    const inService = async (q: string) => (await get(`/api/communities/night/coverage?network=patrol&${q}`)).meta.routesInService.length
    expect(await inService('hours=23:00-23:01&weekdays=1')).toBe(1) // Monday 23:00
    expect(await inService('hours=05:00-05:01&weekdays=2')).toBe(1) // Tuesday 05:00, the same shift
    expect(await inService('hours=05:00-05:01&weekdays=1')).toBe(0) // Monday 05:00: Sunday had no shift
    expect(await inService('hours=07:00-07:01')).toBe(0)
    expect(await inService('hours=23:00-23:01&weekdays=3')).toBe(0)
    expect(await inService('hours=21-23')).toBe(1) // a window overlapping the start
    const at23 = await get('/api/communities/night/coverage?network=patrol&hours=23:00-23:01&weekdays=1')
    expect(at23.meta).toMatchObject({ buildingsCovered: 1, householdsCovered: 4 })
    const at07 = await get('/api/communities/night/coverage?network=patrol&hours=07:00-07:01')
    expect(at07.meta).toMatchObject({ buildingsCovered: 0, coveredM2: 0, areaCoveredPct: 0 })
    expect(at07.features).toEqual([])
    const gaps = await get('/api/communities/night/gaps?network=patrol&hours=07:00-07:01')
    expect(gaps.features.filter((f) => f.properties!.kind === 'building')).toHaveLength(1)
  })

  it('ZoneWithNoRoute is a gap over its whole area', async () => {
    await createFixture(db.sql, 'noroute', {
      zones: { A: box(0, 0, 600, 1000), B: box(600, 0, 1200, 1000) },
      routes: [{ line: [at(100, 500), at(400, 500)], reachM: 80, shifts: [DAY] }],
    })
    const cov = await get('/api/communities/noroute/coverage?network=patrol')
    expect(cov.meta.zones[1]).toMatchObject({ code: 'B', coveredM2: 0, areaCoveredPct: 0 })
    const gaps = await get('/api/communities/noroute/gaps?network=patrol')
    const areaB = gaps.features.filter((f) => f.properties!.kind === 'area' && f.properties!.zoneCode === 'B')
    const total = areaB.reduce((s, f) => s + (f.properties!.areaM2 as number), 0)
    expect(Math.abs(total - 600_000)).toBeLessThan(1)
    expect(gaps.meta.uncoveredAreaM2).toBeCloseTo(1_200_000 - cov.meta.coveredM2, 0)
  })

  it('InactiveCaptain leaves the building uncovered and listed without a captain', async () => {
    await createFixture(db.sql, 'captains', {
      zones: { A: box(0, 0, 1200, 1000) },
      buildings: [
        { box: box(100, 100, 130, 130), households: 6, captain: { name: '张三', active: true } },
        { box: box(200, 100, 230, 130), households: 8, captain: { name: '李四', active: false } },
        { box: box(300, 100, 330, 130), households: 5 },
      ],
    })
    const cov = await get('/api/communities/captains/coverage?network=captain')
    expect(cov.meta).toMatchObject({ buildings: 3, buildingsCovered: 1, households: 19, householdsCovered: 6, captainsInactive: 1 })
    expect(cov.meta.buildingsCoveredPct).toBeCloseTo(33.33, 2)
    expect(cov.meta.captains.map((c: { name: string; active: boolean }) => [c.name, c.active])).toEqual([['张三', true], ['李四', false]])
    const gaps = await get('/api/communities/captains/gaps?network=captain')
    expect(gaps.features.map((f) => f.properties!.address).sort()).toEqual(['2 Test St', '3 Test St'])
    const loads = await get('/api/communities/captains/coverage?network=captain&maxBuildings=1')
    expect(loads.meta.captainsOverLimit).toBe(0)
  })
})

describe.each(testModes())('coverage of the demo in %s mode', (mode) => {
  let demo: DemoHandle
  beforeAll(async () => {
    demo = await openDemo(mode)
  })
  afterAll(() => demo.close())

  it('has less patrol coverage at night than in the day, and zone G05 has none', async () => {
    const day = (await (await demo.app.request('/api/communities/sf-mission/coverage?network=patrol&hours=10:00-10:01&weekdays=3')).json()) as Answer
    const night = (await (await demo.app.request('/api/communities/sf-mission/coverage?network=patrol&hours=02:00-02:01&weekdays=3')).json()) as Answer
    expect(night.meta.areaCoveredPct).toBeLessThan(day.meta.areaCoveredPct)
    expect(night.meta.routesInService.length).toBeLessThan(day.meta.routesInService.length)
    const g05 = day.meta.zones.find((z: { code: string }) => z.code === 'G05')
    expect(g05).toMatchObject({ areaCoveredPct: 0, buildingsCovered: 0 })
    const sum = day.meta.zones.reduce((s: number, z: { buildings: number }) => s + z.buildings, 0)
    expect(sum).toBe(day.meta.buildings)
  })

  it('ranks priority gaps with plain reasons', async () => {
    const gaps = (await (await demo.app.request('/api/communities/sf-mission/gaps?network=patrol')).json()) as Answer
    const priority = gaps.features.filter((f) => f.properties!.kind === 'priority')
    expect(priority.length).toBeGreaterThan(0)
    expect(priority.map((f) => f.properties!.rank)).toEqual(priority.map((_, k) => k + 1))
    for (const f of priority) {
      expect(f.properties!.reason).toMatch(/incidents/)
      expect(f.properties!.reasonZh).toMatch(/警情/)
      expect(f.properties!.uncoveredIncidents as number).toBeLessThanOrEqual(f.properties!.incidents as number)
    }
    const counts = priority.map((f) => f.properties!.uncoveredIncidents as number)
    expect(counts).toEqual([...counts].sort((a, b) => b - a))
  })

  it('finds night priority gaps in the month with times of day (December 2018), and says so honestly for the years without', async () => {
    type Meta = { priority: { incidents: number; timeUnknown: number; hotCells: number; insufficient: boolean; insufficientReason: string | null } }
    // the filter bar's night preset, 22:00–06:00
    const gapsOf = async (q: string) => (await (await demo.app.request(`/api/communities/sf-mission/gaps?network=patrol&hours=22-06&${q}`)).json()) as Answer & { meta: Meta }
    const december = await gapsOf('from=2018-12-01&to=2018-12-31')
    expect(december.meta.priority).toMatchObject({ incidents: countMatching({ from: '2018-12-01', to: '2018-12-31', hours: [22 * 60, 6 * 60] }), insufficient: false })
    expect(december.meta.priority.hotCells).toBeGreaterThan(0)
    const night = december.features.filter((f) => f.properties!.kind === 'priority')
    expect(night.length).toBeGreaterThan(0)
    for (const f of night) expect(f.properties!.reason).toMatch(/night|22:00|incidents/)
    // 2012 has dates only: at night there is nothing to judge, and the answer says why
    const y2012 = await gapsOf('from=2012-07-01&to=2012-12-31')
    expect(y2012.meta.priority).toMatchObject({ incidents: 0, timeUnknown: 814, insufficient: true })
    expect(y2012.features.filter((f) => f.properties!.kind === 'priority')).toHaveLength(0)
  })

  it.each(['network=boats', 'hours=7', 'weekdays=9', 'maxBuildings=0'])('rejects %s with 400', async (q) => {
    const res = await demo.app.request(`/api/communities/sf-mission/coverage?${q}`)
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_parameter')
  })
})
