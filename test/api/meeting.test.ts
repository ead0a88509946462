/**
 * The meeting pack (issue 13, server half) on named fixtures with exact expectations: a zone whose
 * incidents went 2 → 4 (no clear change, p as R gives it), a zone that went 0 → 12 (up), a period
 * the data do not reach back to (no comparison), the year-earlier comparison with 29 February, the
 * scorecard's colours against targets set through the API (versioned, audited), the CSV export read
 * back (the same numbers as the JSON), the bounds, and one answer for every role. Fixtures are
 * dated 2031, where the demo has no incidents, in two demo zones (America/Los_Angeles).
 */
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { statusOf } from '../../server/src/analysis/meeting.js'
import ExcelJS from 'exceljs'
import { ErrorBodySchema, INDICATORS, MeetingPackSchema, TargetsSchema, type MeetingPack, type MeetingZone, type Targets } from '../../server/src/contract.js'
import type { Client } from '../support/clients.js'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'

const C = '/api/communities/sf-mission'
/** February 2031 (28 days) and the 28 days before it. */
const FEB = 'from=2031-02-01&to=2031-02-28'

async function get<T>(client: Client, path: string): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await client.request(path)
  // keep a byte-order mark (Response.text() drops it)
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer())
  return { status: res.status, body: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T, headers: res.headers }
}

async function put(client: Client, path: string, body: unknown, ifMatch?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (ifMatch !== undefined) headers['if-match'] = ifMatch
  const res = await client.request(path, { method: 'PUT', headers, body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as Targets, etag: res.headers.get('etag') }
}

/** Two demo zones (the lowest ids with a point on their surface) and n incidents in each on a date. */
async function createIncidents(demo: DemoHandle) {
  const zones = await demo.sql<{ id: number; code: string; x: number; y: number }[]>`
    select id, code, ST_X(ST_PointOnSurface(geom)) as x, ST_Y(ST_PointOnSurface(geom)) as y from grid_zones where community_id = 'sf-mission' order by id limit 2`
  const [a, b] = zones.map((z) => ({ ...z, id: Number(z.id) })) as [(typeof zones)[0], (typeof zones)[0]]
  let n = 0
  const add = async (zone: typeof a, category: string, day: string, count: number) => {
    for (let k = 0; k < count; k++)
      await demo.sql`insert into incidents (community_id, category, occurred_at, time_known, geom, source, source_id)
                     values ('sf-mission', ${category}, ${`${day}T10:00:00-08:00`}::timestamptz, true, ST_SetSRID(ST_Point(${a === zone ? a.x : b.x}::float8, ${a === zone ? a.y : b.y}::float8), 4326), 'meeting-test', ${String(++n)})`
  }
  // zone A: 2 thefts in the 28 days before February, 4 in February; zone B: no vandalism before, 12 in February
  await add(a, 'MT_THEFT', '2031-01-10', 2)
  await add(a, 'MT_THEFT', '2031-02-10', 4)
  await add(b, 'MT_VANDALISM', '2031-02-12', 12)
  return { a, b }
}

/** exceljs: reading the .xlsx export back. */
const EXCEL = ExcelJS
interface Read {
  xlsx: { load(b: Uint8Array): Promise<unknown> }
  worksheets: { name: string; rowCount: number; getRow(i: number): { values: unknown[] } }[]
}

const lineOf = (pack: MeetingPack, zoneId: number): MeetingZone => pack.zones.find((z) => z.zoneId === zoneId)!

describe.each(testModes())('the meeting pack in %s mode', (mode) => {
  let demo: DemoHandle
  let zones: Awaited<ReturnType<typeof createIncidents>>
  beforeAll(async () => {
    demo = await openDemo(mode)
    zones = await createIncidents(demo)
  })
  afterAll(() => demo.close())

  it('calls a zone whose incidents went 2 → 4 "no clear change", with the counts and p as R gives it', async () => {
    const { status, body } = await get<MeetingPack>(demo.as('viewer'), `${C}/briefing?${FEB}`)
    expect(status).toBe(200)
    MeetingPackSchema.parse(body)
    expect(body.period).toEqual({ from: '2031-02-01', to: '2031-02-28', days: 28 })
    expect(body.compare).toMatchObject({ kind: 'previous', from: '2031-01-04', to: '2031-01-31', days: 28, available: true })
    const a = lineOf(body, zones.a.id)
    expect(a.zoneCode).toBe(zones.a.code)
    expect(a.incidents.byCategory).toEqual({ MT_THEFT: { count: 4, previous: 2, rateRatio: 2, p: expect.any(Number), verdict: 'same' } })
    // R: poisson.test(c(4, 2), c(28, 28))$p.value = 0.68749999999999989
    expect(Math.abs(a.incidents.byCategory.MT_THEFT!.p! - 0.68749999999999989) / 0.6875).toBeLessThan(1e-14)
    expect(a.incidents.total).toEqual(a.incidents.byCategory.MT_THEFT)
  })

  it('calls a zone that went 0 → 12 "up" (p 0.00048828125, as R) with no rate ratio, and the whole community 2 → 16 up', async () => {
    const { body } = await get<MeetingPack>(demo.as('viewer'), `${C}/briefing?${FEB}`)
    const b = lineOf(body, zones.b.id).incidents.byCategory.MT_VANDALISM!
    expect(b).toMatchObject({ count: 12, previous: 0, rateRatio: null, verdict: 'up' })
    expect(Math.abs(b.p! - 0.00048828125000000011) / 0.00048828125).toBeLessThan(1e-14)
    // the demo has no incidents in 2031: the whole community is the two zones
    expect(body.overall.incidents.total).toMatchObject({ count: 16, previous: 2, rateRatio: 8, verdict: 'up' })
    // R: poisson.test(c(16, 2), c(28, 28))$p.value = 0.0013122558593750009
    expect(Math.abs(body.overall.incidents.total.p! - 0.0013122558593750009) / 0.0013122558593750009).toBeLessThan(1e-14)
    expect(Object.keys(body.overall.incidents.byCategory)).toEqual(['MT_THEFT', 'MT_VANDALISM'])
  })

  it('states no change where the data do not reach back to the other period, and shows the counts', async () => {
    const { body } = await get<MeetingPack>(demo.as('viewer'), `${C}/briefing?from=1990-01-01&to=1990-01-31`)
    expect(body.compare).toMatchObject({ from: '1989-12-01', to: '1989-12-31', available: false })
    expect(body.compare.dataFrom! > '1990-01-01').toBe(true)
    expect(body.overall.incidents.total).toEqual({ count: 0, previous: null, rateRatio: null, p: null, verdict: 'unknown' })
    expect(body.hotspots.cells).toEqual([])
    expect(body.hotspots.current).toMatchObject({ incidents: 0, insufficient: true, insufficientReason: 'too_few_incidents' })
  })

  it('takes a period without a single incident between periods with incidents as a gap in the data: December 2018 against November', async () => {
    // the demo's incidents: July–December 2012, December 2018 (and robberies of 2019)
    const { body } = await get<MeetingPack>(demo.as('viewer'), `${C}/briefing?from=2018-12-01&to=2018-12-31`)
    expect(body.compare).toMatchObject({ from: '2018-10-31', to: '2018-11-30', days: 31, available: false })
    expect(body.compare.dataFrom! < '2018-10-31').toBe(true)
    expect(body.overall.incidents.total.count).toBeGreaterThan(0)
    expect(body.overall.incidents.total).toMatchObject({ previous: null, p: null, verdict: 'unknown' })
  })

  it('compares with the same dates a year earlier, 29 February with 28 February', async () => {
    const { body } = await get<MeetingPack>(demo.as('viewer'), `${C}/briefing?from=2032-02-01&to=2032-02-29&compare=year`)
    expect(body.compare).toMatchObject({ kind: 'year', from: '2031-02-01', to: '2031-02-28', days: 28, available: true })
    expect(body.period.days).toBe(29)
    // February 2031's 4 thefts in zone A against none in 2032
    expect(lineOf(body, zones.a.id).incidents.byCategory.MT_THEFT).toMatchObject({ count: 0, previous: 4, verdict: 'same' })
  })

  it('reports patrol coverage in the day, evening and night windows (defaults and chosen), and captain coverage', async () => {
    const { body } = await get<MeetingPack>(demo.as('viewer'), `${C}/briefing?${FEB}`)
    expect(body.windows).toEqual({ day: '07:00-18:00', evening: '18:00-22:00', night: '22:00-07:00' })
    const zone = lineOf(body, zones.a.id)
    expect(Object.keys(zone.coverage!.windows)).toEqual(['day', 'evening', 'night'])
    // the same figures as GET …/coverage for the night window
    const cov = await get<{ meta: { zones: { id: number; areaCoveredPct: number }[]; areaCoveredPct: number } }>(demo.as('viewer'), `${C}/coverage?network=patrol&hours=22-07&from=2031-02-01&to=2031-02-28`)
    expect(zone.coverage!.windows.night!.areaCoveredPct).toBe(cov.body.meta.zones.find((z) => z.id === zones.a.id)!.areaCoveredPct)
    expect(body.overall.coverage!.windows.night!.areaCoveredPct).toBe(cov.body.meta.areaCoveredPct)
    const custom = await get<MeetingPack>(demo.as('viewer'), `${C}/briefing?${FEB}&night=21-06&day=08:30-17:00`)
    expect(custom.body.windows).toEqual({ day: '08:30-17:00', evening: '18:00-22:00', night: '21:00-06:00' })
  })

  it('lists hot spots new, persistent and gone with their zone and street, and priority gaps, in the demo’s busy months', async () => {
    const { body } = await get<MeetingPack>(demo.as('viewer'), `${C}/briefing?from=2012-11-01&to=2012-11-30`)
    MeetingPackSchema.parse(body)
    expect(body.hotspots.current.insufficient).toBe(false)
    const byStatus = (s: string) => body.hotspots.cells.filter((c) => c.status === s).length
    expect(byStatus('new') + byStatus('persistent')).toBe(body.hotspots.current.hotCells)
    expect(byStatus('gone') + byStatus('persistent')).toBe(body.hotspots.previous.hotCells)
    expect(body.overall.hotspots).toEqual({ new: byStatus('new'), persistent: byStatus('persistent'), gone: byStatus('gone') })
    // the demo: 130 incidents in November 2012 against 154 in the 30 days before — no clear change —,
    // 15 hot cells against 13: 4 new, 11 persistent, 2 gone; the busiest new cell in G11, 4 incidents after none
    expect(body.overall.incidents.total).toMatchObject({ count: 130, previous: 154, verdict: 'same' })
    // R: poisson.test(c(130, 154), c(30, 30))$p.value = 0.17220795051737073
    expect(Math.abs(body.overall.incidents.total.p! - 0.17220795051737073) / 0.17220795051737073).toBeLessThan(1e-14)
    expect(body.overall.hotspots).toEqual({ new: 4, persistent: 11, gone: 2 })
    expect(body.hotspots.cells[0]).toMatchObject({ status: 'new', zoneCode: 'G11', count: 4, previous: 0 })
    expect(body.zones.reduce((a, z) => a + z.hotspots.new + z.hotspots.persistent + z.hotspots.gone, 0)).toBe(17)
    for (const c of body.hotspots.cells) expect(c.zoneCode === null || typeof c.street === 'string').toBe(true)
    const gaps = await get<{ features: { properties: { kind: string; zoneCode: string | null; street: string | null } }[] }>(demo.as('viewer'), `${C}/gaps?network=patrol&from=2012-11-01&to=2012-11-30`)
    const expected = gaps.body.features.filter((f) => f.properties.kind === 'priority').map((f) => [f.properties.zoneCode, f.properties.street])
    expect(body.priorityGaps.map((g) => [g.zoneCode, g.street])).toEqual(expected)
    expect(body.overall.priorityGaps).toBe(expected.length)
    // disputes: the people side's figures
    const figures = await get<{ overall: unknown }>(demo.as('viewer'), `${C}/disputes/figures?from=2012-11-01&to=2012-11-30`)
    expect(body.overall.disputes).toEqual(figures.body.overall)
  })

  it('gives every role the same pack: aggregates only', async () => {
    const viewer = await get<MeetingPack>(demo.as('viewer'), `${C}/briefing?${FEB}`)
    const admin = await get<MeetingPack>(demo.as('admin'), `${C}/briefing?${FEB}`)
    expect(viewer.body).toEqual(admin.body)
    expect(JSON.stringify(viewer.body)).not.toMatch(/phone|party|parties|address/i)
  })

  it('refuses periods backwards, too long or malformed, unknown comparisons, windows and tables, with the one error shape', async () => {
    for (const q of [
      'from=2031-02-28&to=2031-02-01',
      'from=2030-01-01&to=2031-01-02',
      'to=2031-02-28',
      'from=2031-02-01',
      'from=2031-02-30&to=2031-03-01',
      'from=2031-02-01T00:00:00Z&to=2031-02-28',
      `${FEB}&compare=decade`,
      `${FEB}&night=25-02`,
      `${FEB}&day=07-07`,
      `${FEB}&lang=fr`,
    ]) {
      const { status, body } = await get<unknown>(demo.as('viewer'), `${C}/briefing?${q}`)
      expect(status, q).toBe(400)
      ErrorBodySchema.parse(body)
    }
    expect((await get<unknown>(demo.as('viewer'), `${C}/briefing.csv?${FEB}&table=chairs`)).status).toBe(400)
    expect((await get<unknown>(demo.as('viewer'), `/api/communities/nowhere/briefing?${FEB}`)).status).toBe(404)
  })

  it('exports the zone table as CSV with a BOM, Chinese headers by default and English ones on request, the same numbers as the JSON', async () => {
    const pack = (await get<MeetingPack>(demo.as('viewer'), `${C}/briefing?${FEB}`)).body
    const zh = await get<string>(demo.as('viewer'), `${C}/briefing.csv?${FEB}`)
    expect(zh.status).toBe(200)
    expect(zh.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(zh.body.charCodeAt(0)).toBe(0xfeff)
    const rows = parse(zh.body, { bom: true }) as string[][]
    expect(rows[0]!.slice(0, 7)).toEqual(['网格', '名称', '警情（本期）', '警情（对比期）', '率比', 'p 值', '变化'])
    const a = rows.find((r) => r[0] === zones.a.code)!
    expect(a.slice(2, 7)).toEqual(['4', '2', '2', '0.6875', '无明显变化'])
    expect(rows.at(-1)![0]).toBe('全社区')
    expect(rows.at(-1)!.slice(2, 4)).toEqual([String(pack.overall.incidents.total.count), String(pack.overall.incidents.total.previous)])
    expect(rows.length).toBe(1 + pack.zones.length + 1)
    const en = parse((await get<string>(demo.as('viewer'), `${C}/briefing.csv?${FEB}&lang=en`)).body, { bom: true }) as string[][]
    expect(en[0]!.slice(0, 3)).toEqual(['Zone', 'Name', 'Incidents (this period)'])
    expect(en.find((r) => r[0] === zones.b.code)!.slice(2, 7)).toEqual(['12', '0', '', '0.0004883', 'up'])
  })

  it('exports both tables as one .xlsx workbook that reads back with the numbers of the CSV', async () => {
    const res = await demo.as('viewer').request(`${C}/briefing.xlsx?${FEB}&lang=en`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const wb = new (EXCEL.Workbook as unknown as new () => Read)()
    await wb.xlsx.load(new Uint8Array(await res.arrayBuffer()))
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Zones', 'Scorecard'])
    const csv = parse((await get<string>(demo.as('viewer'), `${C}/briefing.csv?${FEB}&lang=en`)).body, { bom: true }) as string[][]
    const sheet = wb.worksheets[0]!
    expect(sheet.rowCount).toBe(csv.length)
    for (let r = 0; r < csv.length; r++) {
      const values = sheet.getRow(r + 1).values.slice(1)
      expect(csv[r]!.map((cell, k) => (values[k] === undefined || values[k] === null ? '' : String(values[k]))), `row ${r + 1}`).toEqual(csv[r])
    }
  })

  it('keeps targets per year with the stage, versioned and audited; planners and admins set them, viewers read them', async () => {
    const sample = await get<Targets>(demo.as('viewer'), `${C}/targets/2012`)
    expect(sample.status).toBe(200)
    TargetsSchema.parse(sample.body)
    expect(sample.body).toMatchObject({ year: 2012, stage: 'create', version: 1, isSample: true, targets: { mediation_rate: 100, success_rate: 95, escalations: 0, night_coverage_min_zone: 50, captained_buildings: 100 } })
    expect(sample.headers.get('etag')).toBe('"1"')
    const none = await get<Targets>(demo.as('viewer'), `${C}/targets/2031`)
    expect(none.body).toEqual({ year: 2031, stage: null, version: 0, isSample: false, targets: {} })

    const input = { stage: 'consolidate', targets: { escalations: 0, petitions: 2, mediation_rate: 90, overdue_problems: 0 } }
    expect((await put(demo.as('viewer'), `${C}/targets/2031`, input, '"0"')).status).toBe(403)
    expect((await put(demo.as('mediator'), `${C}/targets/2031`, input, '"0"')).status).toBe(403)
    expect((await put(demo.as('planner'), `${C}/targets/2031`, input)).status).toBe(428)
    expect((await put(demo.as('planner'), `${C}/targets/2031`, { ...input, targets: { mediation_rate: 120 } }, '"0"')).status).toBe(400)
    expect((await put(demo.as('planner'), `${C}/targets/2031`, { ...input, targets: { happiness: 3 } }, '"0"')).status).toBe(400)
    const created = await put(demo.as('planner'), `${C}/targets/2031`, input, '"0"')
    expect(created.status).toBe(200)
    expect(created.body).toEqual({ year: 2031, stage: 'consolidate', version: 1, isSample: false, targets: { escalations: 0, mediation_rate: 90, overdue_problems: 0, petitions: 2 } })
    const stale = await put(demo.as('admin'), `${C}/targets/2031`, input, '"0"')
    expect(stale.status).toBe(409)
    const changed = await put(demo.as('admin'), `${C}/targets/2031`, { stage: 'model', targets: { ...input.targets, petitions: 0 } }, '"1"')
    expect(changed.body).toMatchObject({ version: 2, stage: 'model', targets: { petitions: 0 } })
    const [row] = await demo.sql<{ n: number }[]>`select count(*)::int as n from audit_log where community_id = 'sf-mission' and entity = 'targets' and entity_id = '2031'`
    expect(row!.n).toBe(2)
    // the sample year loses its sample mark once changed
    const edited = await put(demo.as('admin'), `${C}/targets/2012`, { stage: 'create', targets: sample.body.targets }, '"1"')
    expect(edited.body).toMatchObject({ version: 2, isSample: false })
  })

  it('colours the scorecard against the year’s targets, with 12 monthly values where the data have a history', async () => {
    await put(demo.as('admin'), `${C}/targets/2030`, { stage: 'create', targets: { escalations: 0, petitions: 0, mediation_rate: 100 } }, '"0"')
    const { body } = await get<MeetingPack>(demo.as('viewer'), `${C}/briefing?from=2030-12-01&to=2030-12-31`)
    expect(body.scorecard.map((s) => s.indicator)).toEqual([...INDICATORS])
    expect(body.targets).toEqual({ year: 2030, stage: 'create', isSample: false })
    const line = (k: string) => body.scorecard.find((s) => s.indicator === k)!
    // no escalations in December 2030 against a target of none: green; no disputes: no mediation rate, no colour
    expect(line('escalations')).toMatchObject({ value: 0, target: 0, status: 'green' })
    expect(line('mediation_rate')).toMatchObject({ value: null, numerator: 0, denominator: 0, target: 100, status: 'none' })
    expect(line('success_rate')).toMatchObject({ target: null, status: 'none' })
    expect(line('escalations').trend!.map((t) => t.month)).toEqual(['2030-01', '2030-02', '2030-03', '2030-04', '2030-05', '2030-06', '2030-07', '2030-08', '2030-09', '2030-10', '2030-11', '2030-12'])
    expect(line('captained_buildings').trend).toBeNull()
    for (const s of body.scorecard) expect(s.status).toBe(statusOf(s.indicator, s.value, s.target))
    const csv = parse((await get<string>(demo.as('viewer'), `${C}/briefing.csv?from=2030-12-01&to=2030-12-31&table=scorecard&lang=en`)).body, { bom: true }) as string[][]
    expect(csv[0]!.slice(0, 7)).toEqual(['Indicator', 'Unit', 'Direction', 'Value', 'Of', 'Target', 'Status'])
    expect(csv[0]!.length).toBe(7 + 12)
    expect(csv.find((r) => r[0] === 'Escalations')!.slice(1, 7)).toEqual(['count', '≤', '0', '', '0', 'green'])
  })
})
