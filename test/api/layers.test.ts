import type { FeatureCollection } from 'geojson'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'
import { demoIncidents } from '../support/demo-incidents.js'

// Exact figures of the Mission District demo (fixtures/sf-mission): 1,152 footprints; the 2012 file
// has 1,151 rows for 814 distinct incidents (SFPD repeats a row per offence code), 100 robberies of
// 2019, and 651 incidents of December 2018 (956 reports: one per incident number, inside the boundary).
const BUILDINGS = 1152
const INCIDENTS = 814 + 100 + 651
const BOX = [-122.42, 37.764, -122.419, 37.766] as const
const KNOWN_BBOX = BOX.map((v) => v.toFixed(4)).join(',')

async function getJson(demo: DemoHandle, path: string) {
  const res = await demo.app.request(path)
  return { res, body: (await res.json()) as FeatureCollection & { meta: Record<string, unknown> } }
}

describe.each(testModes())('layers in %s mode', (mode) => {
  let demo: DemoHandle
  beforeAll(async () => {
    demo = await openDemo(mode)
  })
  afterAll(() => demo.close())

  it('lists the demo community with its extent and exact counts', async () => {
    const res = await demo.app.request('/api/communities')
    expect(res.status).toBe(200)
    const { communities } = (await res.json()) as { communities: { id: string; bbox: number[]; metricSrid: number; timeZone: string; counts: Record<string, number>; sample: boolean }[] }
    expect(communities.map((c) => c.id)).toEqual(['sf-mission'])
    const c = communities[0]!
    expect(c.metricSrid).toBe(32610)
    expect(c.timeZone).toBe('America/Los_Angeles')
    // its zones, routes and captains are generated for the demo: the map marks them as sample data
    expect(c.sample).toBe(true)
    expect(c.bbox.map((v) => Number(v.toFixed(4)))).toEqual([-122.425, 37.7605, -122.408, 37.7765])
    expect(c.counts.buildings).toBe(BUILDINGS)
    expect(c.counts.incidents).toBe(INCIDENTS)
  })

  it('serves every demo building as geojson with the geo+json content type', async () => {
    const { res, body } = await getJson(demo, '/api/communities/sf-mission/layers/buildings?limit=50000')
    expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/)
    expect(body.type).toBe('FeatureCollection')
    expect(body.features).toHaveLength(BUILDINGS)
    expect(body.meta).toMatchObject({ layer: 'buildings', community: 'sf-mission', count: BUILDINGS, truncated: false })
    const f = body.features[0]!
    expect(f.geometry.type).toBe('MultiPolygon')
    expect(Object.keys(f.properties!)).toEqual(expect.arrayContaining(['id', 'address', 'households', 'captained', 'captainName']))
  })

  it('counts the incidents in a known bbox exactly and finds a known incident there', async () => {
    const { body } = await getJson(demo, `/api/communities/sf-mission/layers/incidents?bbox=${KNOWN_BBOX}`)
    // the reference's incidents in the box (test/support/demo-incidents.ts): 103 of 2012, 11 of 2019 and the December 2018 ones
    const inBox = demoIncidents().filter((i) => i.lon >= BOX[0] && i.lat >= BOX[1] && i.lon <= BOX[2] && i.lat <= BOX[3])
    expect(inBox.filter((i) => i.source !== 'sfpd-reports-2018-12')).toHaveLength(114)
    expect(body.features).toHaveLength(inBox.length)
    const known = body.features.find((f) => f.properties!.source === 'sfpd-incidents-2003-2018' && f.properties!.sourceId === '120522647')
    // A date without time of day is local midnight (PDT in July: 07:00 UTC) and marked as such.
    expect(known?.properties).toMatchObject({ category: 'ROBBERY', address: '2000 Block of MISSION ST', occurredOn: '2012-07-02', timeKnown: false, occurredAt: '2012-07-02T07:00:00Z' })
    expect(known?.geometry).toEqual({ type: 'Point', coordinates: [-122.419619, 37.764061] })
  })

  it('keeps times of day only where the source has them', async () => {
    const { body } = await getJson(demo, '/api/communities/sf-mission/layers/incidents?limit=50000')
    const known = body.features.filter((f) => f.properties!.timeKnown)
    // the 2019 robberies and the December 2018 reports not written at 00:00 (SFPD's "time unknown")
    expect(known).toHaveLength(demoIncidents().filter((i) => i.timeKnown).length)
    expect(known.filter((f) => f.properties!.source === 'sfpd-incidents-2018-present').every((f) => f.properties!.category === 'ROBBERY')).toBe(true)
    expect(body.features.filter((f) => f.properties!.source === 'sfpd-incidents-2003-2018').every((f) => !f.properties!.timeKnown)).toBe(true)
    const first = known.find((f) => f.properties!.occurredAt === '2019-01-14T15:47:00Z')
    expect(first?.properties!.occurredOn).toBe('2019-01-14')
    // a December 2018 report: local wall-clock time (PST) kept as the instant, keyed by its incident number
    const report = body.features.find((f) => f.properties!.source === 'sfpd-incident-reports-2018-present' && f.properties!.sourceId === '186278575')
    expect(report?.properties).toMatchObject({ category: 'LARCENY/THEFT', occurredOn: '2018-12-01', timeKnown: false })
    const timed = body.features.find((f) => f.properties!.sourceId === '180906304')
    expect(timed?.properties).toMatchObject({ category: 'LARCENY/THEFT', timeKnown: true, occurredAt: '2018-12-01T10:10:00Z', occurredOn: '2018-12-01' })
    // a report just outside the community's boundary (37.76024° N) is not one of its incidents
    expect(body.features.some((f) => f.properties!.sourceId === '186295814')).toBe(false)
  })

  it('truncates at the limit and says so', async () => {
    const { body } = await getJson(demo, '/api/communities/sf-mission/layers/buildings?limit=7')
    expect(body.features).toHaveLength(7)
    expect(body.meta).toMatchObject({ count: 7, limit: 7, truncated: true })
    const ids = body.features.map((f) => f.id as number)
    expect(ids).toEqual([...ids].sort((a, b) => a - b))
  })

  it('returns an empty collection for a bbox outside the community', async () => {
    const { res, body } = await getJson(demo, '/api/communities/sf-mission/layers/buildings?bbox=116.3,39.9,116.4,40.0')
    expect(res.status).toBe(200)
    expect(body.features).toEqual([])
    expect(body.meta).toMatchObject({ count: 0, truncated: false })
  })

  it('serves zones, routes with shifts and captains with their buildings', async () => {
    const zones = (await getJson(demo, '/api/communities/sf-mission/layers/zones')).body
    expect(zones.features.length).toBeGreaterThanOrEqual(8)
    expect(zones.features.length).toBeLessThanOrEqual(15)
    expect(zones.features.every((f) => /^G\d\d$/.test(String(f.properties!.code)))).toBe(true)
    const routes = (await getJson(demo, '/api/communities/sf-mission/layers/routes')).body
    expect(routes.features.length).toBeGreaterThan(0)
    for (const r of routes.features) {
      expect(r.geometry.type).toBe('LineString')
      expect(r.properties!.reachM).toBeGreaterThan(0)
      const shifts = r.properties!.shifts as { days: number[]; start: string; end: string }[]
      expect(shifts.length).toBeGreaterThan(0)
      for (const s of shifts) expect(s.start).toMatch(/^\d\d:\d\d$/)
    }
    const crossesMidnight = routes.features.some((r) => (r.properties!.shifts as { start: string; end: string }[]).some((s) => s.end <= s.start))
    expect(crossesMidnight).toBe(true)
    const captains = (await getJson(demo, '/api/communities/sf-mission/layers/captains')).body
    const covered = new Set(captains.features.filter((f) => f.properties!.active).flatMap((f) => f.properties!.buildingIds as number[]))
    const buildings = (await getJson(demo, '/api/communities/sf-mission/layers/buildings?limit=50000')).body
    const captained = buildings.features.filter((f) => f.properties!.captained).map((f) => f.id)
    expect(new Set(captained)).toEqual(covered)
  })

  it('names zones, teams, routes, captains and grid workers in the asked language, else as recorded', async () => {
    const zone = async (lang: string) => {
      const { res, body } = await getJson(demo, `/api/communities/sf-mission/layers/zones${lang ? `?lang=${lang}` : ''}`)
      return { language: res.headers.get('content-language'), g07: body.features.find((f) => f.properties!.code === 'G07')!.properties! }
    }
    // as recorded: the zone's name in English, the team's and the grid worker's in Chinese (the sample's own forms)
    expect((await zone('')).g07).toMatchObject({ name: '13th–16th St · Valencia St–South Van Ness Ave', teamName: '米慎警区徒步巡逻组', gridWorker: '陈强' })
    expect(await zone('zh')).toMatchObject({
      language: 'zh-CN',
      g07: { name: '第十三街至第十六街 · 瓦伦西亚街至南云尼斯大道', teamName: '米慎警区徒步巡逻组', gridWorker: '陈强' },
    })
    expect(await zone('en')).toMatchObject({
      language: 'en',
      g07: { name: '13th–16th St · Valencia St–South Van Ness Ave', teamName: 'Mission Police Foot Beat', gridWorker: 'Chen Qiang' },
    })
    const route = async (lang: string) => (await getJson(demo, `/api/communities/sf-mission/layers/routes?lang=${lang}`)).body.features[0]!.properties!
    expect(await route('zh')).toMatchObject({ name: '米慎街、第十八街、瓦伦西亚街、第十六街（环线）', teamName: '米慎警区徒步巡逻组' })
    expect(await route('en')).toMatchObject({ name: 'Mission St, 18th St, Valencia St, 16th St (loop)', teamName: 'Mission Police Foot Beat' })
    const captain = async (lang: string) => (await getJson(demo, `/api/communities/sf-mission/layers/captains?lang=${lang}`)).body.features[0]!.properties!.name
    expect([await captain('zh'), await captain('en')]).toEqual(['董少华', 'Dong Shaohua'])
    // a building's captain, in the tiles' selection too
    const building = async (lang: string) =>
      (await getJson(demo, `/api/communities/sf-mission/layers/buildings?limit=50000&lang=${lang}`)).body.features.find((f) => f.properties!.captainId === 1)!.properties!.captainName
    expect([await building('zh'), await building('en')]).toEqual(['董少华', 'Dong Shaohua'])
  })

  it('refuses names in a language it does not speak, and a name that is not text', async () => {
    const res = await demo.app.request('/api/communities/sf-mission/layers/zones?lang=de')
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_parameter')
    // the database keeps names per language to zh/en keys and non-empty text
    await expect(demo.sql`update grid_zones set names = '{"fr": "Zone"}' where id = 1`).rejects.toThrow(/check/)
    await expect(demo.sql`update grid_zones set names = '{"zh": ""}' where id = 1`).rejects.toThrow(/check/)
    await expect(demo.sql`update patrol_teams set names = '{"en": 3}' where id = 1`).rejects.toThrow(/check/)
  })
})
