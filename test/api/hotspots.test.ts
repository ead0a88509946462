import type { FeatureCollection } from 'geojson'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/src/app.js'
import { LIMITS } from '../../server/src/contract.js'
import { migrate } from '../../server/src/db/migrate.js'
import { cellCentre, createRectCommunity, placeIncidents } from '../support/analysis.js'
import { adminClient, type Client } from '../support/clients.js'
import { openDemo, openEmpty, testModes, type DemoHandle } from '../support/db.js'
import { countMatching } from '../support/demo-incidents.js'
import { connectUrl } from '../../server/src/db/connect.js'

type Cells = FeatureCollection & { meta: Record<string, unknown> }

/** The Gi* z of a cell from the definition in DESIGN.md, for binary weights. */
function giStar(xs: number[], neighbourSum: number, w: number): number {
  const n = xs.length
  const mean = xs.reduce((a, b) => a + b, 0) / n
  const s = Math.sqrt(xs.reduce((a, b) => a + b * b, 0) / n - mean * mean)
  return (neighbourSum - mean * w) / (s * Math.sqrt((n * w - w * w) / (n - 1)))
}

describe.each(testModes())('hot spot edge cases in %s mode', (mode) => {
  let db: Awaited<ReturnType<typeof openEmpty>>
  let app: Client
  const get = async (community: string, query: string) => {
    const res = await app.request(`/api/communities/${community}/hotspots?${query}`)
    expect(res.status).toBe(200)
    return (await res.json()) as Cells
  }

  beforeAll(async () => {
    db = await openEmpty(mode)
    await migrate(db.sql)
    app = await adminClient(createApp({ sql: db.sql, mode }), db.sql)
  })
  afterAll(() => db.close())

  it('puts all incidents of one cell in that cell and scores it as the definition says', async () => {
    await createRectCommunity(db.sql, 'one-cell')
    const c = cellCentre('square', 5514, 41804)
    await placeIncidents(db.sql, 'one-cell', Array.from({ length: 40 }, () => c))
    const count = await get('one-cell', 'method=count&cell=100')
    expect(count.meta).toMatchObject({ cells: 120, incidents: 40, insufficient: false })
    const nonZero = count.features.filter((f) => f.properties!.count > 0)
    expect(nonZero.map((f) => [f.properties!.i, f.properties!.j, f.properties!.count])).toEqual([[5514, 41804, 40]])
    const gi = await get('one-cell', 'method=gistar&cell=100')
    const xs = gi.features.map((f) => f.properties!.count as number)
    const at = (i: number, j: number) => gi.features.find((f) => f.properties!.i === i && f.properties!.j === j)!.properties!
    expect(at(5514, 41804).z).toBeCloseTo(giStar(xs, 40, 9), 9)
    expect(at(5515, 41805).z).toBeCloseTo(giStar(xs, 40, 9), 9) // a neighbour sees the same sum
    expect(at(5510, 41800).z).toBeCloseTo(giStar(xs, 0, 4), 9) // a corner cell has 3 neighbours + itself
    expect(at(5514, 41804).bin).toBe(3)
  })

  it('answers an empty time window with zero incidents and an explicit insufficient state', async () => {
    const gi = await get('one-cell', 'method=gistar&from=2030-01-01&to=2030-12-31')
    expect(gi.features).toEqual([])
    expect(gi.meta).toMatchObject({ incidents: 0, insufficient: true, insufficientReason: 'too_few_incidents', cells: 120 })
  })

  it('needs 30 incidents: 29 are not enough, 30 are', async () => {
    await createRectCommunity(db.sql, 'thirty')
    const spots = [cellCentre('square', 5512, 41803), cellCentre('square', 5518, 41806), cellCentre('square', 5519, 41806)]
    await placeIncidents(db.sql, 'thirty', [
      ...Array.from({ length: 29 }, (_, k) => ({ ...spots[k % 3]!, category: 'A' })),
      { ...spots[0]!, category: 'B' },
    ])
    for (const method of ['gistar', 'kde', 'emerging']) {
      const few = await get('thirty', `method=${method}&categories=A`)
      expect(few.meta, method).toMatchObject({ incidents: 29, insufficient: true, insufficientReason: 'too_few_incidents' })
      expect(few.features).toEqual([])
    }
    const enough = await get('thirty', 'method=gistar')
    expect(enough.meta).toMatchObject({ incidents: 30, insufficient: false })
    expect(enough.features).toHaveLength(120)
  })

  it('counts a 22:00–02:00 window across midnight and keeps incidents without a time apart', async () => {
    await createRectCommunity(db.sql, 'night')
    const p = cellCentre('square', 5515, 41805)
    await placeIncidents(db.sql, 'night', [
      { ...p, at: '2020-03-10 21:59' },
      { ...p, at: '2020-03-10 22:00' },
      { ...p, at: '2020-03-10 23:30' },
      { ...p, at: '2020-03-11 01:59' },
      { ...p, at: '2020-03-11 02:00' },
      { ...p, at: '2020-03-11 12:00' },
      { ...p, at: '2020-03-11' },
      { ...p, at: '2020-03-12' },
    ])
    const night = await get('night', 'method=count&hours=22-02')
    expect(night.meta).toMatchObject({ incidents: 3, timeUnknown: 2, timeUnknownExcluded: true, filter: { hours: '22:00-02:00' } })
    const all = await get('night', 'method=count')
    expect(all.meta).toMatchObject({ incidents: 8, timeUnknown: 2, timeUnknownExcluded: false })
    const day = await get('night', 'method=count&hours=02:00-22:00')
    expect(day.meta).toMatchObject({ incidents: 3 })
  })

  it('makes one cell of a cell larger than the area, where Gi* is undefined', async () => {
    const count = await get('one-cell', 'method=count&cell=5000')
    expect(count.meta).toMatchObject({ cells: 1, incidents: 40 })
    expect(count.features[0]!.properties!.count).toBe(40)
    const gi = await get('one-cell', 'method=gistar&cell=5000')
    expect(gi.meta).toMatchObject({ cells: 1, insufficient: true, insufficientReason: 'too_few_cells' })
    expect(gi.features).toEqual([])
  })

  it('uses the same cells for every method', async () => {
    const keys = async (q: string) => (await get('thirty', q)).features.map((f) => f.id).sort()
    const counts = await keys('method=count')
    expect(counts).toHaveLength(120)
    expect(await keys('method=gistar')).toEqual(counts)
    expect(await keys('method=kde')).toEqual(counts)
    expect(await keys('method=emerging&slice=month&from=2020-01-01&to=2020-03-31')).toEqual(counts)
  })

  it('gives kernel density in incidents per km² that integrates to the incident count', async () => {
    const kde = await get('one-cell', 'method=kde&cell=100&bandwidth=300')
    expect(kde.meta).toMatchObject({ bandwidth: 300, bandwidthSource: 'parameter', densityUnit: 'incidents/km²' })
    // 40 incidents at one point; the kernel lies wholly inside the rectangle: Σ density × cell area ≈ 40.
    const total = kde.features.reduce((a, f) => a + (f.properties!.density as number) * 0.01, 0)
    expect(total).toBeGreaterThan(38)
    expect(total).toBeLessThan(42)
    const peak = Math.max(...kde.features.map((f) => f.properties!.density as number))
    // At distance d from the point the density is 40·3/(π h²)·(1 − d²/h²)² per m²; the nearest centre is 0 m away.
    expect(peak).toBeCloseTo(((40 * 3) / (Math.PI * 300 * 300)) * 1e6, 6)
  })

  it('reports emerging categories on monthly slices', async () => {
    await createRectCommunity(db.sql, 'emerging')
    const hot = cellCentre('square', 5516, 41804)
    const months = ['2020-01', '2020-02', '2020-03', '2020-04', '2020-05', '2020-06']
    const background = months.flatMap((m, k) => [5511, 5513, 5518, 5520].map((i) => ({ ...cellCentre('square', i, 41800 + k), at: `${m}-10 12:00` })))
    // A cell that becomes hot only in the last month: new.
    await placeIncidents(db.sql, 'emerging', [...background, ...Array.from({ length: 12 }, () => ({ ...hot, at: '2020-06-20 20:00' }))])
    const em = await get('emerging', 'method=emerging&slice=month&from=2020-01-01&to=2020-06-30')
    expect(em.meta).toMatchObject({ slices: 6, firstSlice: '2020-01-01', incidents: 36 })
    const cell = em.features.find((f) => f.properties!.i === 5516 && f.properties!.j === 41804)!
    expect(cell.properties!.category).toBe('new')
    expect(cell.properties!.counts).toEqual([0, 0, 0, 0, 0, 12])
  })

  it('cuts emerging slices by the local date of an instant, however the instant is written', async () => {
    await createRectCommunity(db.sql, 'instants')
    const c = (i: number) => cellCentre('square', 5511 + i, 41801)
    // 40 incidents over February 2020, and 10 on the evening of 29 February, local time (UTC-8)
    await placeIncidents(db.sql, 'instants', [
      ...Array.from({ length: 40 }, (_, k) => ({ ...c(k % 7), at: `2020-02-${String(1 + (k % 28)).padStart(2, '0')} 10:00` })),
      ...Array.from({ length: 10 }, (_, k) => ({ ...c(k % 3), at: '2020-02-29 20:30' })),
      // and 5 at 23:30 local on 31 January: the first day of a period that starts at 23:00 local
      ...Array.from({ length: 5 }, () => ({ ...c(1), at: '2020-01-31 23:30' })),
    ])
    const utc = await get('instants', 'method=emerging&slice=week&from=2020-01-31T23:00:00-08:00&to=2020-03-01T05:00:00Z')
    const local = await get('instants', 'method=emerging&slice=week&from=2020-02-01T07:00:00Z&to=2020-02-29T21:00:00-08:00')
    expect(local.features).toEqual(utc.features)
    expect({ ...local.meta, filter: null }).toEqual({ ...utc.meta, filter: null })
    // every matched incident lies in a slice: those late on the first day and on the last evening
    expect(utc.meta).toMatchObject({ incidents: 55, firstSlice: '2020-01-27', slices: 5 })
    expect(utc.features.reduce((a, f) => a + (f.properties!.counts as number[]).reduce((x, y) => x + y, 0), 0)).toBe(55)
  })
})

describe.each(testModes())('hot spots of the demo in %s mode', (mode) => {
  let demo: DemoHandle
  beforeAll(async () => {
    demo = await openDemo(mode)
  })
  afterAll(() => demo.close())

  it('finds significant hot spots along Mission Street with bins, p-values and FDR', async () => {
    const res = await demo.app.request('/api/communities/sf-mission/hotspots?method=gistar&cell=100')
    expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/)
    const fc = (await res.json()) as Cells
    expect(fc.meta).toMatchObject({ incidents: countMatching(), cells: 292, shape: 'square', cell: 100, timeUnknown: 814 + 25, insufficient: false })
    const hottest = [...fc.features].sort((a, b) => (b.properties!.z as number) - (a.properties!.z as number))[0]!
    expect(hottest.properties!.bin).toBe(3)
    expect(hottest.properties!.p).toBeLessThan(0.001)
    const fdr = (await (await demo.app.request('/api/communities/sf-mission/hotspots?method=gistar&cell=100&fdr=true')).json()) as Cells
    const significant = (c: Cells) => c.features.filter((f) => Math.abs(f.properties!.bin as number) >= 2).length
    expect(significant(fdr)).toBeLessThanOrEqual(significant(fc))
    expect(fdr.features.every((f) => (f.properties!.pAdjusted as number) >= (f.properties!.p as number))).toBe(true)
  })

  it('scores square ring-1 neighbours (window sums) as the same neighbours taken as a distance band (joins)', async () => {
    // The demo's study area is the union of its zones, irregular, so the lattice over its bounding box
    // has cells outside the area between cells inside it. For 100 m squares a band of 142 m holds
    // exactly the eight ring-1 neighbours, computed by the other code path.
    const get = async (q: string) => (await (await demo.app.request(`/api/communities/sf-mission/hotspots?method=gistar&cell=100&${q}`)).json()) as Cells
    const ring = await get('fdr=true')
    const band = await get('band=142&fdr=true')
    expect(ring.meta.cells).toBe(292)
    expect(band.features).toHaveLength(ring.features.length)
    const byCell = new Map(band.features.map((f) => [f.id, f.properties!]))
    const edgeCells = ring.features.filter((f) => (f.properties!.neighbours as number) < 9).length
    expect(edgeCells).toBeGreaterThan(20) // the irregular edge is really exercised
    for (const f of ring.features) {
      const b = byCell.get(f.id)!
      expect(b.neighbours, `neighbours of ${f.id}`).toBe(f.properties!.neighbours)
      expect(Math.abs((b.z as number) - (f.properties!.z as number)), `z of ${f.id}`).toBeLessThan(1e-9)
      expect(b.bin).toBe(f.properties!.bin)
      expect(b.pAdjusted).toBeCloseTo(f.properties!.pAdjusted as number, 12)
    }
  })

  it.each([
    ['method=magic', 'method'],
    ['cell=5', 'cell'],
    ['cell=abc', 'cell'],
    ['shape=triangle', 'shape'],
    ['bandwidth=-3', 'bandwidth'],
    ['slice=year', 'slice'],
    ['hours=24-24', 'hours'],
  ])('rejects %s with 400 invalid_parameter', async (query, fragment) => {
    const res = await demo.app.request(`/api/communities/sf-mission/hotspots?${query}`)
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('invalid_parameter')
    expect(body.error.message).toContain(fragment)
  })

  it('says when most emerging slices are empty, and which period has the data', async () => {
    const whole = (await (await demo.app.request('/api/communities/sf-mission/hotspots?method=emerging&cell=200')).json()) as Cells
    const slices = whole.meta.slices as number
    expect(slices).toBeGreaterThan(80)
    expect(whole.meta.emptySlices as number).toBeGreaterThan(slices / 2)
    expect(whole.meta.dataPeriod).toEqual({ from: '2012-07-01', to: '2012-12-31', slices: 6 })
    const period = (await (await demo.app.request('/api/communities/sf-mission/hotspots?method=emerging&cell=200&from=2012-07-01&to=2012-12-31')).json()) as Cells
    expect(period.meta).toMatchObject({ slices: 6, emptySlices: 0, dataPeriod: null })
  })

  it('refuses an emerging analysis of too many cell-slices up front, before any work', async () => {
    // 15 m cells: within the mode's cell limit, but over 90 months too many cell-slices
    const res = await demo.app.request('/api/communities/sf-mission/hotspots?method=emerging&cell=15')
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { code: string; message: string; details: { slices: number; max: number } } }
    expect(body.error.code).toBe('invalid_parameter')
    expect(body.error.message).toMatch(/90 monthly slices .* cell-slices/)
    expect(body.error.details).toMatchObject({ slices: 90, max: LIMITS.work[mode].cellSlices })
    // the same cells over one year are within the limit
    const year = await demo.app.request('/api/communities/sf-mission/hotspots?method=emerging&cell=25&from=2012-01-01&to=2012-12-31')
    expect(year.status).toBe(200)
    expect(((await year.json()) as Cells).meta).toMatchObject({ slices: 12, insufficient: false })
  })

  it('answers an unknown community with 404', async () => {
    const missing = await demo.app.request('/api/communities/atlantis/hotspots')
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('community_not_found')
  })
})

// PostgreSQL can stop a statement; PGlite cannot (it blocks the process while it runs one, and
// embedded mode refuses work estimated too large instead — tested above in both modes).
describe.each(testModes().filter((m) => m === 'server'))('time limits of analyses in %s mode', () => {
  let demo: DemoHandle
  beforeAll(async () => {
    demo = await openDemo('server')
  })
  afterAll(() => demo.close())

  it('stops an analysis at the time limit with 503 analysis_timeout and keeps serving', async () => {
    const strict = await adminClient(createApp({ sql: demo.sql, mode: 'server', analysisTimeoutMs: 1 }), demo.sql)
    const res = await strict.request('/api/communities/sf-mission/hotspots?method=gistar&cell=25')
    expect(res.status).toBe(503)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('analysis_timeout')
    expect(body.error.message).toMatch(/stopped after 0\.001 s/)
    const after = await demo.app.request('/api/communities/sf-mission/hotspots?method=gistar&cell=100')
    expect(after.status).toBe(200)
  })

  it('stops coverage and gap analyses at the time limit too', async () => {
    const strict = await adminClient(createApp({ sql: demo.sql, mode: 'server', analysisTimeoutMs: 1 }), demo.sql)
    for (const path of ['coverage?network=patrol', 'coverage?network=captain', 'gaps?network=all']) {
      const res = await strict.request(`/api/communities/sf-mission/${path}`)
      expect(res.status, path).toBe(503)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('analysis_timeout')
    }
    expect((await demo.app.request('/api/communities/sf-mission/gaps?network=all')).status).toBe(200)
  })

  it('cancels the query of a request whose client went away', async () => {
    const watcher = connectUrl(demo.url!)
    try {
      const running = () => watcher<{ pid: number }[]>`
        select pid from pg_stat_activity where datname = current_database() and state = 'active' and query like '%lattice as materialized%' and pid <> pg_backend_pid()`
      const abort = new AbortController()
      // 10 m cells: a query that runs long enough to be seen running
      const answer = demo.app.request('/api/communities/sf-mission/hotspots?method=gistar&cell=10&shape=hex', { signal: abort.signal })
      let seen = false
      for (let k = 0; k < 400 && !seen; k++) {
        seen = (await running()).length > 0
        if (!seen) await new Promise((r) => setTimeout(r, 5))
      }
      expect(seen).toBe(true)
      abort.abort()
      const res = await answer
      expect(res.status).toBe(503)
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/abandoned/)
      expect(await running()).toEqual([])
    } finally {
      await watcher.end()
    }
  })
})
