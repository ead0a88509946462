/**
 * Filed briefings (issue 13, "Snapshots"): a planner files October 2012's pack (the demo's busy
 * months); it reopens exactly as the live pack answered, in Chinese and English, and as CSV and
 * .xlsx; then October's data change (incidents added by SQL) — the reopened briefing does not, and
 * November's pack, whose other period is October, compares with the October that was filed (counts
 * per zone and category, hot cells) unless `against=data`. The database refuses to change or remove
 * a filed briefing, except when its community goes. Packs take about a second: five per mode.
 */
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BriefingListSchema, BriefingMetaSchema, BriefingSchema, ErrorBodySchema, INDICATORS, MeetingPackSchema, type Briefing, type BriefingMeta, type MeetingPack } from '../../server/src/contract.js'
import { latestFiled } from '../../server/src/db/briefings.js'
import type { Client } from '../support/clients.js'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'

const C = '/api/communities/sf-mission'
/** October 2012: the 30 days before November 2012, which the November pack compares with. */
const OCT = { from: '2012-10-02', to: '2012-10-31' }
const NOV = 'from=2012-11-01&to=2012-11-30'
const WINDOWS = { day: '07:00-18:00', evening: '18:00-22:00', night: '22:00-07:00' }

async function get<T>(client: Client, path: string): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await client.request(path)
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer())
  return { status: res.status, body: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T, headers: res.headers }
}

const post = (client: Client, body: unknown) => client.request(`${C}/briefings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

/** exceljs: reading a workbook back. */
interface Read {
  xlsx: { load(b: Uint8Array): Promise<unknown> }
  worksheets: { name: string; rowCount: number }[]
}

const cellKeys = (pack: MeetingPack, statuses: string[]) =>
  pack.hotspots.cells
    .filter((c) => statuses.includes(c.status))
    .map((c) => `${c.i}_${c.j}`)
    .sort()

describe.each(testModes())('filed briefings in %s mode', (mode) => {
  let demo: DemoHandle
  /** the October filing (meta), its reopened answer before the data changed, and the live pack it was */
  let filed: BriefingMeta
  let reopened: Briefing
  let live: MeetingPack
  /** the zone that gets 10 more October incidents */
  let zone: { id: number; code: string; x: number; y: number }

  beforeAll(async () => {
    demo = await openDemo(mode)
    const [z] = await demo.sql<{ id: number; code: string; x: number; y: number }[]>`
      select id, code, ST_X(ST_PointOnSurface(geom)) as x, ST_Y(ST_PointOnSurface(geom)) as y from grid_zones where community_id = 'sf-mission' order by code limit 1`
    zone = { ...z!, id: Number(z!.id) }
  })
  afterAll(() => demo.close())

  it('files a pack for admins and planners only (403 for others), validated as the pack’s query, audited, 201 with Location', async () => {
    for (const role of ['viewer', 'mediator', 'care'] as const) expect((await post(demo.as(role), OCT)).status, role).toBe(403)
    for (const bad of [
      {},
      { from: '2012-10-31', to: '2012-10-02' },
      { ...OCT, compare: 'decade' },
      { ...OCT, night: '25-02' },
      { ...OCT, title: 'x'.repeat(201) },
      { ...OCT, title: '   ' },
      { ...OCT, title: 'a\u0007b' },
      { ...OCT, lang: 'en' },
      { from: '2011-01-01', to: '2012-10-31' },
    ]) {
      const res = await post(demo.as('planner'), bad)
      expect(res.status, JSON.stringify(bad)).toBe(400)
      ErrorBodySchema.parse(await res.json())
    }
    const res = await post(demo.as('planner'), OCT)
    expect(res.status).toBe(201)
    filed = BriefingMetaSchema.parse(await res.json())
    expect(res.headers.get('location')).toBe(`${C}/briefings/${filed.id}`)
    expect(filed).toMatchObject({
      community: 'sf-mission',
      period: { from: OCT.from, to: OCT.to, days: 30 },
      compare: { kind: 'previous', from: '2012-09-02', to: '2012-10-01', days: 30 },
      windows: WINDOWS,
      title: '2012-10-02 – 2012-10-31',
      filedBy: { username: 'demo-planner' },
      headline: { incidents: 154 },
    })
    expect(filed.filedBy.userId).toEqual(expect.any(Number))
    expect(Date.now() - Date.parse(filed.filedAt)).toBeLessThan(120_000)
    const [a] = await demo.sql<{ action: string; username: string }[]>`select action, username from audit_log where entity = 'briefing' and entity_id = ${String(filed.id)}`
    expect(a).toEqual({ action: 'briefing_filed', username: 'demo-planner' })
  })

  it('reopens it for every role exactly as the live pack answered, in Chinese by default and in English', async () => {
    const one = await get<Briefing>(demo.as('viewer'), `${C}/briefings/${filed.id}`)
    expect(one.status).toBe(200)
    reopened = BriefingSchema.parse(one.body)
    live = (await get<MeetingPack>(demo.as('viewer'), `${C}/briefing?from=${OCT.from}&to=${OCT.to}&lang=zh`)).body
    expect(one.body.pack).toEqual(live)
    expect(JSON.stringify(one.body.pack)).toBe(JSON.stringify(live))
    const { pack, ...meta } = one.body
    expect(meta).toEqual(filed)
    expect(pack.compare.filed).toBeNull()
    expect(pack.overall.incidents.total.count).toBe(filed.headline.incidents)
    expect(pack.hotspots.current.hotCells).toBe(filed.headline.hotCells)
    expect(pack.priorityGaps.length).toBe(filed.headline.priorityGaps)
    // English: the same figures, English labels
    const en = (await get<Briefing>(demo.as('care'), `${C}/briefings/${filed.id}?lang=en`)).body
    MeetingPackSchema.parse(en.pack)
    expect(en.pack.scorecard.map((s) => s.label)).toContain('Mediation rate')
    expect(pack.scorecard.map((s) => s.label)).toContain('调解率')
    expect(en.pack.overall).toEqual(pack.overall)
    expect(en.pack.hotspots).toEqual(pack.hotspots)
    // aggregates only, as the live pack
    expect(JSON.stringify(one.body)).not.toMatch(/phone|party|parties|address/i)
  })

  it('lists briefings newest first with headline figures, bounded; answers 404 for an unknown id or one of another community', async () => {
    // a later filing for the same period (a copy by SQL, a minute later) comes first and is the one the next pack compares with
    const [copy] = await demo.sql<{ id: number }[]>`
      insert into briefings (community_id, period_from, period_to, compare, compare_from, compare_to, windows, title, filed_by, filed_by_username,
                             filed_at, incidents, hot_cells, priority_gaps, pack_zh, pack_en, grid)
      select community_id, period_from, period_to, compare, compare_from, compare_to, windows, '十月复核', filed_by, filed_by_username,
             filed_at + interval '1 minute', incidents, hot_cells, priority_gaps, pack_zh, pack_en, grid
      from briefings where id = ${filed.id} returning id`
    const list = await get<{ briefings: BriefingMeta[]; total: number; limit: number; offset: number }>(demo.as('viewer'), `${C}/briefings`)
    expect(list.status).toBe(200)
    BriefingListSchema.parse(list.body)
    expect(list.body.briefings.map((b) => [b.id, b.title])).toEqual([
      [Number(copy!.id), '十月复核'],
      [filed.id, filed.title],
    ])
    expect(list.body).toMatchObject({ total: 2, limit: 50, offset: 0 })
    expect(list.body.briefings[1]).toEqual(filed)
    expect((await get<{ briefings: BriefingMeta[] }>(demo.as('viewer'), `${C}/briefings?limit=1&offset=1`)).body.briefings.map((b) => b.id)).toEqual([filed.id])
    expect((await get(demo.as('viewer'), `${C}/briefings?limit=1000`)).status).toBe(400)
    expect((await latestFiled(demo.sql, 'sf-mission', OCT.from, OCT.to, WINDOWS))!.ref.id).toBe(Number(copy!.id))
    // other windows, another period: not this filing
    expect(await latestFiled(demo.sql, 'sf-mission', OCT.from, OCT.to, { ...WINDOWS, night: '21:00-06:00' })).toBeNull()
    expect(await latestFiled(demo.sql, 'sf-mission', OCT.from, '2012-10-30', WINDOWS)).toBeNull()

    // another community's briefing is not found here
    await demo.sql`insert into communities (id, name, metric_srid, boundary) select 'briefing-elsewhere', 'Elsewhere', metric_srid, boundary from communities where id = 'sf-mission'`
    const [other] = await demo.sql<{ id: number }[]>`
      insert into briefings (community_id, period_from, period_to, compare, compare_from, compare_to, windows, title, filed_by, filed_by_username, incidents, hot_cells, priority_gaps, pack_zh, pack_en, grid)
      select 'briefing-elsewhere', period_from, period_to, compare, compare_from, compare_to, windows, title, filed_by, filed_by_username, incidents, hot_cells, priority_gaps, pack_zh, pack_en, grid
      from briefings where id = ${filed.id} returning id`
    for (const path of [`${C}/briefings/${other!.id}`, `${C}/briefings/999999`, `${C}/briefings/${other!.id}.csv`, `${C}/briefings/999999.xlsx`]) {
      const res = await get<{ error: { code: string } }>(demo.as('viewer'), path)
      expect([res.status, res.body.error.code], path).toEqual([404, 'not_found'])
    }
    expect((await get(demo.app, `/api/communities/briefing-elsewhere/briefings/${other!.id}`)).status).toBe(200)
    for (const path of [`${C}/briefings/x1`, `${C}/briefings/1x.csv`, `${C}/briefings/-1.xlsx`, `${C}/briefings/${filed.id}.csv?table=chairs`, `${C}/briefings/${filed.id}?lang=fr`])
      expect((await get(demo.as('viewer'), path)).status, path).toBe(400)

    // the database refuses to change or remove a filed briefing; removing its community removes it
    await expect(demo.sql`update briefings set title = 'corrected' where id = ${filed.id}`).rejects.toThrow(/cannot be changed or removed/)
    await expect(demo.sql`update briefings set pack_zh = '{}'::json where community_id = 'sf-mission'`).rejects.toThrow(/cannot be changed or removed/)
    await expect(demo.sql`delete from briefings where id = ${filed.id}`).rejects.toThrow(/cannot be changed or removed/)
    await expect(demo.sql`truncate briefings`).rejects.toThrow(/cannot be removed/)
    await demo.sql`delete from communities where id = 'briefing-elsewhere'`
    expect((await demo.sql`select id from briefings where id = ${other!.id}`).length).toBe(0)
    const [still] = await demo.sql<{ title: string }[]>`select title from briefings where id = ${filed.id}`
    expect(still!.title).toBe(filed.title)
  })

  it('compares November with the October that was filed, after October’s data changed; against=data with the data; the filing stays as it was', async () => {
    // October's data change: 10 more incidents in one zone
    for (let k = 0; k < 10; k++)
      await demo.sql`insert into incidents (community_id, category, occurred_at, time_known, geom, source, source_id)
                     values ('sf-mission', 'BRIEFING_TEST', '2012-10-15T10:00:00-07:00'::timestamptz, true, ST_SetSRID(ST_Point(${zone.x}::float8, ${zone.y}::float8), 4326), 'briefings-test', ${String(k)})`
    const asFiled = (await get<MeetingPack>(demo.as('viewer'), `${C}/briefing?${NOV}`)).body
    const asData = (await get<MeetingPack>(demo.as('viewer'), `${C}/briefing?${NOV}&against=data`)).body
    MeetingPackSchema.parse(asFiled)
    const octPack = reopened.pack
    const latest = (await get<{ briefings: BriefingMeta[] }>(demo.as('viewer'), `${C}/briefings?limit=1`)).body.briefings[0]!
    expect(asFiled.compare).toMatchObject({ from: OCT.from, to: OCT.to, available: true, filed: { id: latest.id, filedAt: latest.filedAt, filedBy: latest.filedBy, title: '十月复核' } })
    expect(asData.compare.filed).toBeNull()
    // incidents: the filed 154 against the 164 the data now hold; November itself the same
    expect(asFiled.overall.incidents.total).toMatchObject({ count: 130, previous: 154, verdict: 'same' })
    expect(Math.abs(asFiled.overall.incidents.total.p! - 0.17220795051737073) / 0.17220795051737073).toBeLessThan(1e-14)
    expect(asData.overall.incidents.total).toMatchObject({ count: 130, previous: 164 })
    expect(asData.overall.incidents.byCategory.BRIEFING_TEST).toMatchObject({ count: 0, previous: 10 })
    expect(asFiled.overall.incidents.byCategory.BRIEFING_TEST).toBeUndefined()
    // per zone and category: each previous count is the filed one
    for (const line of asFiled.zones) {
      const then = octPack.zones.find((z) => z.zoneId === line.zoneId)
      for (const [cat, c] of Object.entries(line.incidents.byCategory)) expect(c.previous, `${line.zoneCode} ${cat}`).toBe(then?.incidents.byCategory[cat]?.count ?? 0)
    }
    const changed = asData.zones.find((z) => z.zoneId === zone.id)!
    const kept = asFiled.zones.find((z) => z.zoneId === zone.id)!
    expect(changed.incidents.total.previous).toBe(kept.incidents.total.previous! + 10)
    expect(kept.incidents.total.previous).toBe(octPack.zones.find((z) => z.zoneId === zone.id)!.incidents.total.count)
    // hot cells: the filed October's (its new and persistent cells are the hot ones) with their counts
    expect(asFiled.hotspots.previous).toEqual(octPack.hotspots.current)
    expect(asData.hotspots.previous.incidents).toBe(164)
    expect(cellKeys(octPack, ['new', 'persistent']).length).toBe(octPack.hotspots.current.hotCells)
    expect(octPack.hotspots.current.hotCells).toBeGreaterThan(5)
    expect(cellKeys(asFiled, ['persistent', 'gone'])).toEqual(cellKeys(octPack, ['new', 'persistent']))
    for (const c of asFiled.hotspots.cells.filter((x) => x.status !== 'new')) {
      const then = octPack.hotspots.cells.find((x) => x.i === c.i && x.j === c.j)!
      expect(c.previous, `${c.i}_${c.j}`).toBe(then.count)
    }
    // November's own figures do not depend on where October's come from
    expect(cellKeys(asFiled, ['new', 'persistent'])).toEqual(cellKeys(asData, ['new', 'persistent']))
    expect(asFiled.hotspots.current).toEqual(asData.hotspots.current)
    expect(asFiled.scorecard).toEqual(asData.scorecard)

    // the filing is unchanged, as JSON, CSV and workbook
    const again = (await get<Briefing>(demo.as('viewer'), `${C}/briefings/${filed.id}`)).body
    expect(again).toEqual(reopened)
    const csv = await get<string>(demo.as('viewer'), `${C}/briefings/${filed.id}.csv`)
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(csv.body.charCodeAt(0)).toBe(0xfeff)
    const rows = parse(csv.body, { bom: true }) as string[][]
    expect(rows[0]!.slice(0, 3)).toEqual(['网格', '名称', '警情（本期）'])
    expect(rows.at(-1)!.slice(0, 3)).toEqual(['全社区', '', '154'])
    expect(rows.length).toBe(1 + reopened.pack.zones.length + 1)
    const score = parse((await get<string>(demo.as('viewer'), `${C}/briefings/${filed.id}.csv?table=scorecard&lang=en`)).body, { bom: true }) as string[][]
    expect(score[0]![0]).toBe('Indicator')
    expect(score.length).toBe(1 + INDICATORS.length)
    const xlsx = await demo.as('viewer').request(`${C}/briefings/${filed.id}.xlsx?lang=en`)
    expect(xlsx.status).toBe(200)
    const wb = new (ExcelJS.Workbook as unknown as new () => Read)()
    await wb.xlsx.load(new Uint8Array(await xlsx.arrayBuffer()))
    expect(wb.worksheets.map((w) => [w.name, w.rowCount])).toEqual([
      ['Zones', rows.length],
      ['Scorecard', score.length],
    ])
  })
})
