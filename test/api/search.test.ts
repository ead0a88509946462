import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'
import { countMatching, demoIncidents } from '../support/demo-incidents.js'

interface SearchBody {
  query: string
  results: { kind: 'zone' | 'team' | 'building'; id: number; label: string; detail: string | null; code: string | null; bbox: number[]; center: number[] }[]
}

// Figures of the Mission District demo: 13 sample zones G01…G13 (fixtures/sf-mission/sample/zones.geojson)
// and 1,152 buildings whose (sample) addresses are in fixtures/sf-mission/sample/buildings.json.
describe.each(testModes())('search in %s mode', (mode) => {
  let demo: DemoHandle
  beforeAll(async () => {
    demo = await openDemo(mode)
  })
  afterAll(() => demo.close())

  async function search(query: string): Promise<SearchBody> {
    const res = await demo.app.request(`/api/communities/sf-mission/search?${query}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    return (await res.json()) as SearchBody
  }

  it('finds a zone by its code, with its extent and a point inside it to fly to', async () => {
    const body = await search('q=G07')
    expect(body.query).toBe('G07')
    expect(body.results).toHaveLength(1)
    const [zone] = body.results
    expect(zone).toMatchObject({ kind: 'zone', id: 7, label: 'G07', code: 'G07', detail: '13th–16th St · Valencia St–South Van Ness Ave' })
    const [w, s, e, n] = zone!.bbox as [number, number, number, number]
    expect([w, s, e, n].map((v) => Number(v.toFixed(4)))).toEqual([-122.4224, 37.7649, -122.4175, 37.77])
    const [lon, lat] = zone!.center as [number, number]
    expect(lon).toBeGreaterThan(w)
    expect(lon).toBeLessThan(e)
    expect(lat).toBeGreaterThan(s)
    expect(lat).toBeLessThan(n)
  })

  it('is case-insensitive and ranks codes starting with the query first', async () => {
    const body = await search('q=g1')
    expect(body.results.map((r) => r.label)).toEqual(['G10', 'G11', 'G12', 'G13'])
  })

  it('finds a zone by its grid worker’s name', async () => {
    const body = await search(`q=${encodeURIComponent('陈强')}`)
    expect(body.results.map((r) => [r.kind, r.label])).toEqual([['zone', 'G07']])
    const liu = await search(`q=${encodeURIComponent('刘')}`)
    expect(liu.results.map((r) => r.label)).toEqual(['G03', 'G11']) // 刘淑珍, 刘杰
  })

  it('finds zones, teams and grid workers by their Chinese and by their English names, labelled in the asked language', async () => {
    const q = (text: string, extra = '') => search(`q=${encodeURIComponent(text)}${extra}`)
    const pick = (b: SearchBody) => b.results.map((r) => [r.kind, r.label, r.detail])
    // a team by its Chinese name, and by its English one; labelled in lang, its zones as the detail
    expect(pick(await q('义务巡防'))).toEqual([['team', '米慎义务巡防队', 'G01, G06, G10']])
    expect(pick(await q('义务巡防', '&lang=en'))).toEqual([['team', 'Mission Volunteer Patrol', 'G01, G06, G10']])
    expect(pick(await q('volunteer patrol', '&lang=zh'))).toEqual([['team', '米慎义务巡防队', 'G01, G06, G10']])
    const team = (await q('volunteer')).results[0]!
    // the team's extent holds its zones (G01 lies in the north-west corner of the demo)
    expect(team.bbox[0]).toBeLessThanOrEqual(-122.425)
    // zones by their Chinese names, labelled by code, with the name in lang
    expect(pick(await q('第十六街以南', '&lang=zh'))).toEqual([
      ['zone', 'G10', '第十六街以南 · 瓦伦西亚街以西'],
      ['zone', 'G11', '第十六街以南 · 瓦伦西亚街至南云尼斯大道'],
      ['zone', 'G12', '第十六街以南 · 南云尼斯大道至夏里臣街'],
      ['zone', 'G13', '第十六街以南 · 夏里臣街以东'],
    ])
    expect(pick(await q('市场街', '&lang=en'))).toEqual([
      ['zone', 'G01', 'west of Market St'],
      ['zone', 'G02', 'Market St–Duboce Ave · west of South Van Ness Ave'],
    ])
    // a grid worker by the pinyin of their name: the zone, and whose it is, in lang
    expect(pick(await q('chen qiang', '&lang=en'))).toEqual([['zone', 'G07', '13th–16th St · Valencia St–South Van Ness Ave · Chen Qiang']])
    expect(pick(await q('chen qiang', '&lang=zh'))).toEqual([['zone', 'G07', '第十三街至第十六街 · 瓦伦西亚街至南云尼斯大道 · 陈强']])
    // found by code: no grid worker in the detail
    expect(pick(await q('G07', '&lang=zh'))).toEqual([['zone', 'G07', '第十三街至第十六街 · 瓦伦西亚街至南云尼斯大道']])
  })

  it('rejects a language it does not speak with 400 invalid_parameter, and says which language it answered in', async () => {
    const bad = await demo.app.request('/api/communities/sf-mission/search?q=G07&lang=fr')
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { code: string; details: unknown } }).error).toMatchObject({ code: 'invalid_parameter', details: { parameter: 'lang' } })
    const zh = await demo.app.request('/api/communities/sf-mission/search?q=G07&lang=zh')
    expect(zh.headers.get('content-language')).toBe('zh-CN')
  })

  it('finds a building by its address, whatever the order of the words', async () => {
    for (const q of ['114 Valencia', 'valencia 114', '114 VALENCIA ST']) {
      const body = await search(`q=${encodeURIComponent(q)}`)
      expect(body.results.map((r) => [r.kind, r.id, r.label])).toEqual([['building', 321, '114 Valencia St, San Francisco, CA 94103']])
    }
  })

  it('lists zones before buildings and honours the limit', async () => {
    const body = await search('q=valencia&limit=6')
    expect(body.results.map((r) => r.kind)).toEqual(['zone', 'zone', 'zone', 'zone', 'building', 'building'])
    expect(body.results.slice(0, 4).map((r) => r.label)).toEqual(['G06', 'G07', 'G10', 'G11'])
    expect(body.results.slice(4).every((r) => r.label.includes('Valencia St'))).toBe(true)
    const all = await search('q=valencia&limit=50')
    expect(all.results.filter((r) => r.kind === 'building')).toHaveLength(34)
  })

  it('orders buildings of one street by the shortest, then alphabetically first address', async () => {
    const body = await search(`q=${encodeURIComponent('mission st')}&limit=3`)
    expect(body.results.map((r) => r.label)).toEqual([
      '1311 Mission St, San Francisco, CA 94103',
      '1352 Mission St, San Francisco, CA 94103',
      '1512 Mission St, San Francisco, CA 94103',
    ])
    expect((await search(`q=${encodeURIComponent('mission st')}&limit=50`)).results).toHaveLength(33)
  })

  it('takes LIKE wildcards in the query literally', async () => {
    expect((await search('q=%25')).results).toEqual([])
    expect((await search('q=_')).results).toEqual([])
    expect((await search(`q=${encodeURIComponent('G0_')}`)).results).toEqual([])
  })

  it('answers an empty list when nothing matches', async () => {
    expect(await search('q=Nowhere%20Boulevard')).toEqual({ query: 'Nowhere Boulevard', results: [] })
  })

  it.each([
    ['', 'q (what to search for) is required'],
    ['q=', 'q must not be empty'],
    ['q=%20%20', 'q must not be empty'],
    [`q=${'a'.repeat(101)}`, 'at most 100 characters'],
    ['q=G07&limit=0', 'limit must be at least 1'],
    ['q=G07&limit=51', 'limit must be at most 50'],
  ])('rejects "%s" with 400 invalid_parameter', async (query, message) => {
    const res = await demo.app.request(`/api/communities/sf-mission/search?${query}`)
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('invalid_parameter')
    expect(body.error.message).toContain(message)
  })

  it('answers 404 community_not_found for an unknown community', async () => {
    const res = await demo.app.request('/api/communities/atlantis/search?q=G07')
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('community_not_found')
  })

  it('gives the span of the incident data in local dates for the filter bar', async () => {
    const res = await demo.app.request('/api/communities/sf-mission/incidents/period')
    expect(res.status).toBe(200)
    // The 2012 file starts on 1 July; the last 2019 robbery is on 30 Dec 19:30 Pacific (31 Dec UTC).
    const body = (await res.json()) as { first: string; last: string; count: number; months: { month: string; count: number; timeKnown: number }[] }
    expect(body).toMatchObject({ first: '2012-07-01', last: '2019-12-30', count: countMatching() })
    // the months with data, newest first, each as the reference counts it
    const reference = new Map<string, { count: number; timeKnown: number }>()
    for (const i of demoIncidents()) {
      const m = reference.get(i.date.slice(0, 7)) ?? { count: 0, timeKnown: 0 }
      reference.set(i.date.slice(0, 7), { count: m.count + 1, timeKnown: m.timeKnown + (i.timeKnown ? 1 : 0) })
    }
    expect(body.months).toEqual([...reference.entries()].sort((a, b) => b[0].localeCompare(a[0])).map(([month, v]) => ({ month, ...v })))
    expect(body.months.find((m) => m.month === '2018-12')).toEqual({ month: '2018-12', count: 651, timeKnown: 626 })
    expect(body.months.at(-1)).toEqual({ month: '2012-07', count: 125, timeKnown: 0 })
    const missing = await demo.app.request('/api/communities/atlantis/incidents/period')
    expect(missing.status).toBe(404)
  })
})
