/**
 * An empty community (issue 10): created with nothing but a boundary, every analysis, layer,
 * meeting and export endpoint answers it with 200 and an empty answer that says so (no incidents →
 * `insufficient`, no zones → no coverage figures, no data in the period → zeros) — never a 4xx or
 * 5xx that the web app would show as a failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'

const C = '/api/communities/empty-test'
const x = 121.45
const y = 31.23
const square = (s: number) => ({ type: 'Polygon', coordinates: [[[x - s, y - s], [x + s, y - s], [x + s, y + s], [x - s, y + s], [x - s, y - s]]] })
const NOV = 'from=2026-11-01&to=2026-11-30'

/** Every read a view of the web app makes of a community, and the exports. */
const PATHS = [
  C,
  `${C}/boundary`,
  ...['buildings', 'streets', 'zones', 'routes', 'captains', 'incidents', 'disputes'].map((l) => `${C}/layers/${l}`),
  `${C}/incidents/summary`,
  `${C}/incidents/period`,
  `${C}/search?q=a`,
  ...['count', 'gistar', 'kde', 'emerging'].flatMap((m) => [`${C}/hotspots?method=${m}`, `${C}/hotspots?source=disputes&method=${m}`]),
  `${C}/hotspots?method=gistar&fdr=true&band=300`,
  `${C}/coverage`,
  `${C}/coverage?network=captain`,
  `${C}/coverage?basis=logged&${NOV}`,
  ...['patrol', 'captain', 'all'].map((n) => `${C}/gaps?network=${n}`),
  `${C}/patrols/summary?${NOV}`,
  `${C}/patrols`,
  ...['', '/figures', '/warnings', '/escalations', '/deadline'].map((p) => `${C}/disputes${p}`),
  `${C}/problems`,
  `${C}/care`,
  `${C}/care/counts`,
  `${C}/briefing?${NOV}`,
  `${C}/briefing?${NOV}&compare=year`,
  `${C}/briefing.csv?${NOV}`,
  `${C}/briefing.csv?${NOV}&table=scorecard`,
  `${C}/briefing.xlsx?${NOV}&lang=en`,
  `${C}/targets/2026`,
  `${C}/briefings`,
  ...['buildings', 'streets', 'zones', 'routes', 'captains', 'incidents', 'disputes'].flatMap((l) => ['geojson', 'csv', 'xlsx'].map((f) => `${C}/export/${l}.${f}`)),
  '/ogc/collections/empty-test-buildings',
  '/ogc/collections/empty-test-incidents/items',
  `${C}/imports`,
]

describe.each(testModes())('an empty community, in %s mode', (mode) => {
  let demo: DemoHandle
  const answers = new Map<string, { status: number; body: string }>()
  const json = <T>(path: string) => JSON.parse(answers.get(path)!.body) as T
  beforeAll(async () => {
    demo = await openDemo(mode)
    const res = await demo.app.request('/api/communities', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'empty-test', name: 'Empty', nameZh: '空社区', timeZone: 'Asia/Shanghai', boundary: square(0.01) }),
    })
    if (res.status !== 201) throw new Error(await res.text())
    for (const p of PATHS) {
      const r = await demo.app.request(p)
      answers.set(p, { status: r.status, body: await r.text() })
    }
  })
  afterAll(() => demo.close())

  it('answers every analysis, layer, meeting and export endpoint with 200', () => {
    const failing = PATHS.filter((p) => answers.get(p)!.status !== 200).map((p) => `${answers.get(p)!.status} ${p}: ${answers.get(p)!.body.slice(0, 200)}`)
    expect(failing).toEqual([])
  })

  it('answers empty layers, no hot spots (insufficient, with a reason), no coverage, zeros in the meeting pack', () => {
    for (const l of ['buildings', 'streets', 'zones', 'routes', 'captains', 'incidents', 'disputes']) {
      expect(json<{ features: unknown[] }>(`${C}/layers/${l}`).features, l).toEqual([])
      expect(json<{ features: unknown[] }>(`${C}/export/${l}.geojson`).features, l).toEqual([])
      // a table with its header and no rows
      expect(answers.get(`${C}/export/${l}.csv`)!.body.trim().split('\n'), l).toHaveLength(1)
    }
    // the boundary the map draws: the square it was created with
    const boundary = json<{ type: string; geometry: { type: string; coordinates: number[][][][] } }>(`${C}/boundary`)
    expect(boundary.geometry.type).toBe('MultiPolygon')
    const ring = boundary.geometry.coordinates[0]![0]!
    expect(Math.min(...ring.map((p) => p[0]!))).toBeCloseTo(x - 0.01, 6)
    expect(Math.max(...ring.map((p) => p[1]!))).toBeCloseTo(y + 0.01, 6)
    expect(json(`${C}/incidents/summary`)).toMatchObject({ total: 0, byCategory: {} })
    expect(json(`${C}/incidents/period`)).toEqual({ first: null, last: null, count: 0, months: [] })
    for (const m of ['gistar', 'kde', 'emerging']) {
      const hot = json<{ features: unknown[]; meta: { insufficient: boolean; insufficientReason: string | null; incidents: number } }>(`${C}/hotspots?method=${m}`)
      expect(hot.features, m).toEqual([])
      expect(hot.meta, m).toMatchObject({ insufficient: true, incidents: 0 })
      expect(hot.meta.insufficientReason, m).toBeTruthy()
    }
    // counting needs no minimum: every cell of the boundary, each 0
    const counted = json<{ features: { properties: { count: number } }[] }>(`${C}/hotspots?method=count`)
    expect(counted.features.length).toBeGreaterThan(0)
    expect(counted.features.every((f) => f.properties.count === 0)).toBe(true)
    const coverage = json<{ features: unknown[]; meta: { zones: unknown[] } }>(`${C}/coverage`)
    expect(coverage.features).toEqual([])
    expect(json<{ features: unknown[] }>(`${C}/gaps?network=all`).features).toEqual([])
    expect(json(`${C}/coverage?network=captain`)).toMatchObject({ features: [], meta: { buildings: 0 } })
    expect(json(`${C}/disputes`)).toMatchObject({ disputes: [], total: 0 })
    const pack = json<{ zones: unknown[]; overall: { incidents: { total: { count: number } } }; compare: { available: boolean }; priorityGaps: unknown[] }>(`${C}/briefing?${NOV}`)
    expect(pack.zones).toEqual([])
    expect(pack.priorityGaps).toEqual([])
    expect(pack.overall.incidents.total.count).toBe(0)
    expect(pack.compare.available).toBe(false)
    expect(json(`${C}/briefings`)).toMatchObject({ briefings: [], total: 0 })
    expect(json(`/ogc/collections/empty-test-incidents/items`)).toMatchObject({ features: [], numberMatched: 0, numberReturned: 0 })
  })

  it('previews a first zone drawn into the empty community, and its tiles are empty (204)', async () => {
    const tile = await demo.app.request('/tiles/buildings/14/13707/6698.mvt?community=empty-test')
    expect(tile.status).toBe(204)
    const res = await demo.app.request(`${C}/plans/preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ changes: [{ entity: 'zone', set: { code: 'Z1', name: 'First zone', geometry: square(0.004) } }] }),
    })
    expect(res.status, await res.clone().text()).toBe(200)
    const preview = (await res.json()) as { before: unknown; after: unknown }
    expect(preview.before).toBeTruthy()
    expect(preview.after).toBeTruthy()
  })
})
