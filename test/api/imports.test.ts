/**
 * Bringing a community's own data (issue 10, server half): an admin creates an empty community —
 * every read endpoint answers it without failing — and files are imported into it: dry run first,
 * then all or nothing, idempotent, in the encodings and coordinate systems offices have. Fixtures
 * in fixtures/import/ (README there says what each holds and why).
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import initSqlJs from 'sql.js'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/src/app.js'
import { ROOT_DIR } from '../../server/src/config.js'
import { CommunitySchema, ErrorBodySchema, ImportListSchema, ImportReportSchema, type ImportReport } from '../../server/src/contract.js'
import { clientFor, TEST_ADMIN, type Client } from '../support/clients.js'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'

/** A square boundary of `side` degrees around a centre (Shanghai's Jing'an by default). */
const square = (x = 121.45, y = 31.23, side = 0.02) => ({
  type: 'Polygon',
  coordinates: [[[x - side / 2, y - side / 2], [x + side / 2, y - side / 2], [x + side / 2, y + side / 2], [x - side / 2, y + side / 2], [x - side / 2, y - side / 2]]],
})

async function post(client: Client, path: string, body: unknown) {
  const res = await client.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

const fixture = (name: string) => fs.readFileSync(path.join(ROOT_DIR, 'fixtures/import', name))
/** The community the import fixtures are placed in: 4 km around 123°E 45°N (Tongyu, Jilin), where gcoord's test vectors lie. */
const T = '/api/communities/tongyu-test'

/** Uploads a file (raw body) and answers the status and the report (or the error's report). */
async function upload(client: Client, query: string, body: Uint8Array | string, headers: Record<string, string> = {}) {
  const res = await client.request(`${T}/imports?${query}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', ...headers }, body: body as unknown as BodyInit })
  const json = (await res.json()) as ImportReport & { error?: { code: string; message: string; details?: { report: ImportReport } } }
  return { status: res.status, json, report: res.status === 200 ? ImportReportSchema.parse(json) : json.error?.details?.report ? ImportReportSchema.parse(json.error.details.report) : null }
}

describe.each(testModes())('creating a community and importing into it, in %s mode', (mode) => {
  let demo: DemoHandle
  beforeAll(async () => {
    demo = await openDemo(mode)
    const res = await post(demo.app, '/api/communities', { id: 'tongyu-test', name: 'Tongyu test', nameZh: '通榆测试', timeZone: 'Asia/Shanghai', boundary: square(123, 45, 0.04) })
    if (res.status !== 201) throw new Error(JSON.stringify(res.body))
    await demo.sql`insert into community_roles (community_id, user_id, role) select 'tongyu-test', id, 'planner' from users where username = 'demo-planner'`
  })
  afterAll(() => demo.close())

  it('creates an empty community with the UTM zone of its centre, audited, and refuses the same id again', async () => {
    const created = await post(demo.app, '/api/communities', { id: 'jingan-test', name: 'Jing’an test', nameZh: '静安测试', timeZone: 'Asia/Shanghai', boundary: square() })
    expect(created.status).toBe(201)
    const community = CommunitySchema.parse(created.body.community)
    expect(community).toMatchObject({ id: 'jingan-test', nameZh: '静安测试', timeZone: 'Asia/Shanghai', metricSrid: 32651 })
    expect(community.counts).toEqual({ buildings: 0, zones: 0, routes: 0, captains: 0, incidents: 0, disputes: 0 })
    expect(community.sample).toBe(false)
    expect(created.body.repaired).toBe(false)
    const [entry] = await demo.sql`select action, username, after from audit_log where entity = 'community' and entity_id = 'jingan-test'`
    expect(entry).toMatchObject({ action: 'community_created', username: 'test-admin' })
    const again = await post(demo.app, '/api/communities', { id: 'jingan-test', name: 'x', timeZone: 'Asia/Shanghai', boundary: square() })
    expect(again.status).toBe(409)
    expect(ErrorBodySchema.parse(again.body).error.code).toBe('conflict')
  })

  it('repairs a self-intersecting boundary (a bow tie) as the seed does, south of the equator in zone 327zz', async () => {
    const bowTie = { type: 'Polygon', coordinates: [[[-47.0, -15.8], [-46.98, -15.78], [-46.98, -15.8], [-47.0, -15.78], [-47.0, -15.8]]] }
    const res = await post(demo.app, '/api/communities', { id: 'bowtie-test', name: 'Bow tie', timeZone: 'America/Sao_Paulo', boundary: bowTie })
    expect(res.status).toBe(201)
    expect(res.body.repaired).toBe(true)
    expect((res.body.community as { metricSrid: number }).metricSrid).toBe(32723)
    const [row] = await demo.sql<{ valid: boolean; parts: number }[]>`select ST_IsValid(boundary) as valid, ST_NumGeometries(boundary) as parts from communities where id = 'bowtie-test'`
    expect(row).toEqual({ valid: true, parts: 2 })
  })

  it('refuses a bad time zone, a boundary in metres, a line and a boundary with no area, and a planner', async () => {
    const cases: [unknown, number, string][] = [
      [{ id: 'tz-test', name: 'x', timeZone: 'Mars/Olympus', boundary: square() }, 400, 'invalid_parameter'],
      [{ id: 'tz-test', name: 'x', timeZone: '+08:00', boundary: square() }, 400, 'invalid_parameter'],
      [{ id: 'metres-test', name: 'x', timeZone: 'Asia/Shanghai', boundary: square(500000, 3400000, 1000) }, 400, 'invalid_geometry'],
      [{ id: 'line-test', name: 'x', timeZone: 'Asia/Shanghai', boundary: { type: 'LineString', coordinates: [[121, 31], [121.1, 31.1]] } }, 400, 'invalid_parameter'],
      [{ id: 'flat-test', name: 'x', timeZone: 'Asia/Shanghai', boundary: { type: 'Polygon', coordinates: [[[121, 31], [121.1, 31], [121.2, 31], [121, 31]]] } }, 400, 'invalid_geometry'],
      [{ id: 'Bad_Id', name: 'x', timeZone: 'Asia/Shanghai', boundary: square() }, 400, 'invalid_parameter'],
    ]
    for (const [body, status, code] of cases) {
      const res = await post(demo.app, '/api/communities', body)
      expect([res.status, (res.body.error as { code?: string } | undefined)?.code], JSON.stringify(body).slice(0, 80)).toEqual([status, code])
    }
    expect((await post(demo.as('planner'), '/api/communities', { id: 'planner-test', name: 'x', timeZone: 'Asia/Shanghai', boundary: square() })).status).toBe(403)
    const [row] = await demo.sql<{ n: number }[]>`select count(*)::int as n from communities where id in ('tz-test', 'metres-test', 'line-test', 'flat-test', 'planner-test')`
    expect(row?.n).toBe(0)
  })

  it('answers every read endpoint of the empty community without failing', async () => {
    const c = '/api/communities/jingan-test'
    const paths = [
      c,
      ...['buildings', 'streets', 'zones', 'routes', 'captains', 'incidents', 'disputes'].map((l) => `${c}/layers/${l}`),
      `${c}/incidents/summary`,
      `${c}/incidents/period`,
      `${c}/coverage`,
      `${c}/coverage?network=captain`,
      `${c}/gaps`,
      `${c}/hotspots`,
      `${c}/hotspots?method=kde`,
      `${c}/briefing?from=2026-11-01&to=2026-11-30`,
      `${c}/imports`,
    ]
    for (const p of paths) {
      const res = await demo.app.request(p)
      expect(res.status, `${p}: ${await res.clone().text().then((t) => t.slice(0, 300))}`).toBe(200)
    }
    const hot = (await (await demo.app.request(`${c}/hotspots`)).json()) as { meta: { insufficient: boolean } }
    expect(hot.meta.insufficient).toBe(true)
  })

  const count = async (table: string, source: string) =>
    Number((await demo.sql.unsafe(`select count(*)::int as n from ${table} where community_id = 'tongyu-test' and source = $1`, [source]))[0]!.n)

  it('reads a GBK CSV with Chinese headers: dry run changes nothing, the import stores the Chinese text, and the same file again adds nothing', async () => {
    const file = fixture('incidents-gbk-chinese-headers.csv')
    const q = 'layer=incidents&source=gbk&fileName=incidents-gbk-chinese-headers.csv'
    const dry = await upload(demo.app, q, file)
    expect(dry.status).toBe(200)
    expect(dry.report).toMatchObject({ dryRun: true, importId: null, format: 'csv', encoding: 'gb18030', crs: 'EPSG:4326', counts: { read: 4, valid: 4, rejected: 0, new: 4, changed: 0, unchanged: 0 }, rejected: [] })
    expect(dry.report!.features.features.map((f) => f.properties.row)).toEqual([2, 3, 4, 5])
    expect(await count('incidents', 'gbk')).toBe(0)
    const done = await upload(demo.app, `${q}&dryRun=false`, file)
    expect(done.status).toBe(200)
    expect(done.report!.importId).toEqual(expect.any(Number))
    const rows = await demo.sql<{ sourceId: string; category: string; at: string; timeKnown: boolean; description: string }[]>`
      select source_id, category, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as at, time_known, description
      from incidents where community_id = 'tongyu-test' and source = 'gbk' order by source_id`
    expect(rows).toEqual([
      { sourceId: 'TY-001', category: '盗窃', at: '2024-05-03 13:15', timeKnown: true, description: '电动车被盗' },
      { sourceId: 'TY-002', category: '打架斗殴', at: '2024-05-04 15:40', timeKnown: true, description: '两人口角后动手' },
      // a date without a time: the local day at 00:00, time unknown (as the demo's)
      { sourceId: 'TY-003', category: '噪音扰民', at: '2024-05-05 16:00', timeKnown: false, description: '装修噪音（时间不详）' },
      { sourceId: 'TY-004', category: '盗窃', at: '2024-05-07 00:05', timeKnown: true, description: '自行车被盗' },
    ])
    const again = await upload(demo.app, `${q}&dryRun=false`, file)
    expect(again.report!.counts).toEqual({ read: 4, valid: 4, rejected: 0, new: 0, changed: 0, unchanged: 4 })
    expect(await count('incidents', 'gbk')).toBe(4)
    const list = ImportListSchema.parse(await (await demo.app.request(`${T}/imports`)).json())
    expect(list.imports.slice(0, 2).map((i) => [i.fileName, i.layer, i.username, i.counts.new, i.counts.unchanged])).toEqual([
      ['incidents-gbk-chinese-headers.csv', 'incidents', 'test-admin', 0, 4],
      ['incidents-gbk-chinese-headers.csv', 'incidents', 'test-admin', 4, 0],
    ])
    const [audited] = await demo.sql<{ n: number }[]>`select count(*)::int as n from audit_log where community_id = 'tongyu-test' and action = 'import'`
    expect(audited!.n).toBe(2)
  })

  it('imports nothing from a file with bad rows in the middle, saying which row, column and why in the caller’s language', async () => {
    const before = await count('incidents', 'office')
    const bad = await upload(demo.as('planner'), 'layer=incidents&source=office&dryRun=false', fixture('incidents-bad-row.csv'))
    expect(bad.status).toBe(422)
    expect(bad.json.error!.code).toBe('import_rejected')
    expect(bad.report!.counts).toMatchObject({ read: 5, valid: 3, rejected: 2 })
    expect(bad.report!.rejected.map((r) => [r.row, r.column, r.code])).toEqual([
      [4, 'occurred_at', 'bad_time'],
      [5, 'lat', 'not_number'],
    ])
    expect(await count('incidents', 'office')).toBe(before)
    const zh = await upload(demo.as('planner'), 'layer=incidents&source=office', fixture('incidents-bad-row.csv'), { 'accept-language': 'zh-CN,zh;q=0.9' })
    expect(zh.report!.rejected[1]!.reason).toBe('lat 应为数字，而不是“north”')
    const en = await upload(demo.as('planner'), 'layer=incidents&source=office&lang=en', fixture('incidents-bad-row.csv'), { 'accept-language': 'zh-CN' })
    expect(en.report!.rejected[1]!.reason).toBe('lat must be a number, not "north"')
  })

  it('updates only the changed rows of a corrected file', async () => {
    const first = await upload(demo.as('planner'), 'layer=incidents&source=office&dryRun=false', fixture('incidents.csv'))
    expect(first.report!.counts).toMatchObject({ read: 5, new: 5, changed: 0, unchanged: 0 })
    expect(first.report!.encoding).toBe('utf-8')
    const before = await demo.sql<{ sourceId: string; id: number }[]>`select source_id, id from incidents where community_id = 'tongyu-test' and source = 'office' order by source_id`
    const dry = await upload(demo.as('planner'), 'layer=incidents&source=office', fixture('incidents-corrected.csv'))
    expect(dry.report!.features.features.filter((f) => f.properties.status === 'changed').map((f) => f.properties.sourceId)).toEqual(['P-102', 'P-104'])
    const fixed = await upload(demo.as('planner'), 'layer=incidents&source=office&dryRun=false', fixture('incidents-corrected.csv'))
    expect(fixed.report!.counts).toEqual({ read: 5, valid: 5, rejected: 0, new: 0, changed: 2, unchanged: 3 })
    const after = await demo.sql<{ sourceId: string; id: number; category: string; x: number }[]>`
      select source_id, id, category, round(ST_X(geom)::numeric, 4)::float8 as x from incidents where community_id = 'tongyu-test' and source = 'office' order by source_id`
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id))
    expect(after.find((r) => r.sourceId === 'P-102')!.category).toBe('VANDALISM')
    expect(after.find((r) => r.sourceId === 'P-104')!.x).toBe(123.0041)
  })

  it('places GCJ-02 and BD-09 points within 1 m of their known WGS-84 positions (gcoord’s published vectors)', async () => {
    for (const [name, crs, source] of [['incidents-gcj02.csv', 'GCJ-02', 'gaode'], ['incidents-bd09.csv', 'BD-09', 'baidu']] as const) {
      const res = await upload(demo.app, `layer=incidents&crs=${crs}&source=${source}&dryRun=false`, fixture(name))
      expect(res.status, JSON.stringify(res.json).slice(0, 300)).toBe(200)
      expect(res.report!.warnings.map((w) => w.code)).toEqual(['unknown_columns'])
      const expected = fixture(name).toString('utf8').trim().split('\n').slice(1).map((l) => l.split(','))
      for (const cols of expected) {
        const [row] = await demo.sql<{ m: number }[]>`
          select ST_Distance(geom::geography, ST_SetSRID(ST_Point(${Number(cols[5])}::float8, ${Number(cols[6])}::float8), 4326)::geography) as m
          from incidents where community_id = 'tongyu-test' and source = ${source} and source_id = ${cols[0]!}`
        expect(row!.m, `${name} ${cols[0]}`).toBeLessThan(1)
      }
    }
  })

  it('reads buildings from an .xlsx in CGCS2000, and repairs a self-intersecting zone with a warning', async () => {
    const xlsx = await upload(demo.app, 'layer=buildings&crs=EPSG:4490&fileName=buildings.xlsx&dryRun=false', fixture('buildings.xlsx'))
    expect(xlsx.status, JSON.stringify(xlsx.json).slice(0, 300)).toBe(200)
    expect(xlsx.report).toMatchObject({ format: 'xlsx', encoding: null, counts: { read: 3, valid: 3, new: 3 } })
    const b = await demo.sql`select name, address, households, residents, floors, zone_id from buildings where community_id = 'tongyu-test' order by source_id`
    expect(b.map((r) => [r.name, r.households, r.residents, r.floors])).toEqual([['1号楼', 24, 61, 6], ['2号楼', 36, 90, 6], ['3号楼', 18, 40, 18]])
    const zones = await upload(demo.app, 'layer=zones&dryRun=false', fixture('zones-self-intersecting.geojson'))
    expect(zones.status, JSON.stringify(zones.json).slice(0, 300)).toBe(200)
    expect(zones.report!.warnings.map((w) => [w.row, w.code])).toEqual([[1, 'repaired']])
    expect(zones.report!.warnings[0]!.reason).toMatch(/Self-intersection/)
    const z = await demo.sql`select code, name, grid_worker, ST_IsValid(geom) as valid, ST_NumGeometries(geom) as parts from grid_zones where community_id = 'tongyu-test' order by code`
    expect(z).toEqual([
      { code: 'TY-01', name: '通榆一网格', gridWorker: '王芳', valid: true, parts: 2 },
      { code: 'TY-02', name: '通榆二网格', gridWorker: '李强', valid: true, parts: 1 },
    ])
    // the buildings were placed in the imported zones by the triggers
    expect((await demo.sql`select count(*)::int as n from buildings where community_id = 'tongyu-test' and zone_id is not null`)[0]!.n).toBe(3)
  })

  it('rejects a point far outside the community, a polygon for an incident, bad WKT, and reads a UTM point and a multipart upload', async () => {
    const [utm] = await demo.sql<{ x: number; y: number }[]>`select ST_X(p) as x, ST_Y(p) as y from ST_Transform(ST_SetSRID(ST_Point(123.005, 45.005), 4326), 32651) as p`
    const csv = `id,category,occurred_at,wkt\nX-1,THEFT,2024-08-01 10:00,POINT(124 45)\nX-2,THEFT,2024-08-01 10:00,"POLYGON((123 45,123.001 45,123.001 45.001,123 45))"\nX-3,THEFT,2024-08-01 10:00,POINT(123 oops)\n`
    const res = await upload(demo.app, 'layer=incidents&source=x&dryRun=false', csv)
    expect(res.status).toBe(422)
    expect(res.report!.rejected.map((r) => [r.row, r.code])).toEqual([[2, 'outside_boundary'], [3, 'wrong_geometry_type'], [4, 'bad_geometry']])
    expect(res.report!.rejected[0]!.reason).toMatch(/^the feature lies 7\d{4} m outside/)
    const projected = `id,category,occurred_at,x,y\nU-1,THEFT,2024-08-01 10:00,${utm!.x},${utm!.y}\n`
    const form = new FormData()
    form.set('file', new Blob([projected], { type: 'text/csv' }), 'utm.csv')
    const multi = await demo.app.request(`${T}/imports?layer=incidents&crs=EPSG:32651&source=utm&dryRun=false`, { method: 'POST', body: form })
    const report = ImportReportSchema.parse(await multi.json())
    expect([report.fileName, report.counts.new]).toEqual(['utm.csv', 1])
    const [d] = await demo.sql<{ m: number }[]>`select ST_Distance(geom::geography, ST_SetSRID(ST_Point(123.005, 45.005), 4326)::geography) as m from incidents where community_id = 'tongyu-test' and source = 'utm'`
    expect(d!.m).toBeLessThan(0.01)
    for (const [query, code] of [['layer=incidents&crs=EPSG:99999', 'invalid_parameter'], ['layer=incidents&crs=mars', 'invalid_parameter'], ['layer=roads', 'invalid_parameter'], ['layer=incidents&format=geojson', 'bad_request']] as const) {
      const r = await upload(demo.app, query, csv)
      expect([r.status, r.json.error?.code], query).toEqual([400, code])
    }
  })

  it('reads 3D GeoJSON as 2D, and rejects a zone code given twice, a point for a zone and zones that overlap others', async () => {
    const poly = (x: number) => ({ type: 'Polygon', coordinates: [[[x, 45.01, 12], [x + 0.001, 45.01, 12], [x + 0.001, 45.011, 12], [x, 45.01, 12]]] })
    const file = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: 'Z-9', name: 'Nine' }, geometry: poly(123.001) },
        { type: 'Feature', properties: { code: 'Z-9', name: 'Nine again' }, geometry: poly(123.003) },
        { type: 'Feature', properties: { code: 'Z-8', name: 'A point' }, geometry: { type: 'Point', coordinates: [123.0, 45.0] } },
        // inside the stored zone TY-02, and over Z-9 of this file
        { type: 'Feature', properties: { code: 'Z-7', name: 'Over TY-02' }, geometry: { type: 'Polygon', coordinates: [[[123.005, 44.99], [123.01, 44.99], [123.01, 44.995], [123.005, 44.99]]] } },
        { type: 'Feature', properties: { code: 'Z-6', name: 'Over Z-9' }, geometry: poly(123.0015) },
      ],
    })
    const res = await upload(demo.app, 'layer=zones&source=z3d', file)
    expect(res.report!.rejected.map((r) => [r.row, r.column, r.code])).toEqual([
      [2, 'code', 'duplicate_code'],
      [3, 'geometry', 'wrong_geometry_type'],
      [4, 'geometry', 'zones_overlap'],
      [5, 'geometry', 'zones_overlap'],
    ])
    expect(res.report!.rejected[2]!.reason).toMatch(/^the zone overlaps TY-02 by \d+ m²$/)
    expect(res.report!.rejected[3]!.reason).toMatch(/^the zone overlaps Z-9 by \d+ m²$/)
    expect(res.report!.counts).toMatchObject({ read: 5, valid: 1, rejected: 4, new: 1 })
    expect(res.report!.features.features[0]!.geometry).toMatchObject({ type: 'MultiPolygon', coordinates: [[[[123.001, 45.01], [123.002, 45.01], [123.002, 45.011], [123.001, 45.01]]]] })
  })

  it('answers hostile files with a 4xx or a report, never a 500', async () => {
    const bodies: [string, string | Uint8Array][] = [
      ['format=auto', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])],
      ['format=auto', new Uint8Array(Array.from({ length: 512 }, (_, i) => (i * 37) % 256))],
      ['format=geojson', '[1, 2, 3]'],
      ['format=geojson', '{"type":"FeatureCollection","features":[null, 7, {"type":"Feature"}, {"type":"Feature","geometry":{"type":"Point","coordinates":["a"]},"properties":{"category":"x","occurred_at":"2024-01-01"}}]}'],
      ['format=geojson', '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[1e308,1e308]]]},"properties":{"category":"x","occurred_at":"2024-01-01"}}]}'],
      ['format=csv', 'category,occurred_at,lon,lat\n"unterminated,2024-01-01,1,2\n'],
      ['format=csv', 'category,occurred_at,wkt\nx,2024-01-01,POINT(1e400 1)\nx,2024-01-01,GEOMETRYCOLLECTION EMPTY\nx,2024-01-01,POINT EMPTY\n'],
      ['format=csv&crs=EPSG:32651', 'category,occurred_at,x,y\nx,2024-01-01,1e30,1e30\n'],
      ['format=xlsx', 'not a workbook'],
      ['format=csv&encoding=utf-8', new Uint8Array([0xc0, 0xe0, 0xb1, 0xf0, 0x0a])],
    ]
    for (const [query, body] of bodies) {
      const res = await upload(demo.app, `layer=incidents&source=hostile&dryRun=false&${query}`, body)
      expect(res.status, `${query}: ${JSON.stringify(res.json).slice(0, 200)}`).toBeGreaterThanOrEqual(400)
      expect(res.status, `${query}: ${JSON.stringify(res.json).slice(0, 200)}`).toBeLessThan(500)
    }
    expect(await count('incidents', 'hostile')).toBe(0)
  })

  it('imports patrol teams (no geometry) with their kinds in Chinese, and rejects an unknown kind and a name given twice', async () => {
    const res = await upload(demo.app, 'layer=teams&dryRun=false&fileName=teams.csv', fixture('teams.csv'))
    expect(res.status, JSON.stringify(res.json).slice(0, 300)).toBe(200)
    expect(res.report).toMatchObject({ counts: { read: 3, valid: 3, new: 3 }, features: { features: [] } })
    const teams = await demo.sql`select name, kind, members, phone, names from patrol_teams where community_id = 'tongyu-test' order by name`
    expect(teams.map((t) => [t.name, t.kind, t.members, t.phone, t.names])).toEqual([
      ['物业保安队', 'security', 6, null, { en: 'Estate Security' }],
      ['红袖标志愿队', 'volunteer', 12, '+86 138-0000-0001', { en: 'Red Armband Volunteers' }],
      ['通榆派出所巡逻组', 'police', 2, '+86 138-0000-0003', {}],
    ])
    const bad = await upload(demo.app, 'layer=teams&source=other', '名称,类型\n猫头鹰队,夜猫子\n夜巡队,保安\n夜巡队,保安\n红袖标志愿队,志愿者\n')
    expect(bad.report!.rejected.map((r) => [r.row, r.column, r.code])).toEqual([[2, '类型', 'not_choice'], [4, '名称', 'duplicate_name'], [5, '名称', 'name_taken']])
  })

  // routes, captains and disputes lean on the teams and buildings imported above (teams.csv, buildings.xlsx)
  it('imports routes with shifts written in Chinese and English (crossing midnight), adds nothing again, updates only a corrected route, and rejects bad rows', async () => {
    const shiftsOf = async () =>
      (
        await demo.sql<{ id: string; version: number; reach: number; team: string; shifts: string[] }[]>`
          select r.source_id as id, r.version, r.reach_m as reach, t.name as team,
                 array(select array_to_string(s.days, ',') || ' ' || to_char(s.start_time, 'HH24:MI') || '-' || to_char(s.end_time, 'HH24:MI')
                       from patrol_shifts as s where s.community_id = r.community_id and s.route_id = r.id order by 1) as shifts
          from patrol_routes as r join patrol_teams as t on t.community_id = r.community_id and t.id = r.team_id
          where r.community_id = 'tongyu-test' and r.source = 'routes' order by r.source_id`
      ).map((r) => ({ ...r, reach: Number(r.reach) }))
    const dry = await upload(demo.as('planner'), 'layer=routes&source=routes', fixture('routes-shifts.csv'))
    expect(dry.report).toMatchObject({ counts: { read: 3, valid: 3, rejected: 0, new: 3 } })
    expect(dry.report!.features.features.map((f) => f.geometry?.type)).toEqual(['LineString', 'LineString', 'LineString'])
    expect(await shiftsOf()).toEqual([])
    const done = await upload(demo.as('planner'), 'layer=routes&source=routes&dryRun=false', fixture('routes-shifts.csv'))
    expect(done.status, JSON.stringify(done.json).slice(0, 400)).toBe(200)
    const first = await shiftsOf()
    expect(first).toEqual([
      { id: 'R-1', version: 1, reach: 80, team: '红袖标志愿队', shifts: ['1,2,3,4,5 22:00-02:00', '6,7 08:00-12:00'] },
      { id: 'R-2', version: 1, reach: 100, team: '物业保安队', shifts: ['1,2,3,4,5 08:00-18:00', '6,7 09:00-12:00'] },
      { id: 'R-3', version: 1, reach: 150, team: '通榆派出所巡逻组', shifts: ['1,2,3,4,5 20:00-06:00'] },
    ])
    // the layers API shows them as a planner's route
    const layer = (await (await demo.as('planner').request(`${T}/layers/routes`)).json()) as { features: { properties: { shifts: unknown[]; reachM: number } }[] }
    expect(layer.features.map((f) => f.properties.shifts.length)).toEqual([2, 2, 1])
    const again = await upload(demo.as('planner'), 'layer=routes&source=routes&dryRun=false', fixture('routes-shifts.csv'))
    expect(again.report!.counts).toMatchObject({ new: 0, changed: 0, unchanged: 3 })
    const corrected = await upload(demo.as('planner'), 'layer=routes&source=routes&dryRun=false', fixture('routes-corrected.csv'))
    expect(corrected.report!.counts).toMatchObject({ new: 0, changed: 1, unchanged: 2 })
    expect(corrected.report!.features.features.map((f) => f.properties.status)).toEqual(['unchanged', 'changed', 'unchanged'])
    expect(await shiftsOf()).toEqual([first[0], { ...first[1], version: 2, shifts: ['1,2,3,4,5,6 08:00-18:00', '7 09:00-12:00'] }, first[2]])

    const bad = await upload(demo.as('planner'), 'layer=routes&source=routes&dryRun=false&lang=en', fixture('routes-bad-rows.csv'))
    expect(bad.status).toBe(422)
    expect(bad.report!.rejected.map((r) => [r.row, r.column, r.code])).toEqual([
      [3, 'shifts', 'shift_same_times'],
      [4, 'team', 'unknown_team'],
      [5, 'wkt', 'wrong_geometry_type'],
      [6, 'wkt', 'outside_boundary'],
    ])
    expect(bad.report!.rejected[1]!.reason).toContain('Owl patrol')
    const zh = await upload(demo.as('planner'), 'layer=routes&source=routes&lang=zh', fixture('routes-bad-rows.csv'))
    expect(zh.report!.rejected[0]!.reason).toContain('结束时间与开始时间相同')
    expect(await shiftsOf()).toHaveLength(3)
    const [row] = await demo.sql<{ n: number }[]>`select count(*)::int as n from patrol_routes where community_id = 'tongyu-test' and source_id = 'R-10'`
    expect(row!.n).toBe(0)
  })

  it('gives a zone its patrol team (分片包干) by the team’s name, and rejects a team the community does not have', async () => {
    const zone = (id: string, code: string, x: number, team: string) => ({
      type: 'Feature',
      id,
      properties: { 网格编号: code, 网格名称: `${code} 网格`, 包干队伍: team },
      geometry: { type: 'Polygon', coordinates: [[[x, 44.99], [x + 0.002, 44.99], [x + 0.002, 44.992], [x, 44.992], [x, 44.99]]] },
    })
    const file = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features })
    const bad = await upload(demo.as('planner'), 'layer=zones&source=zone-teams&dryRun=false&lang=en', file(zone('Z-9', 'TY-09', 123.016, '物业保安队'), zone('Z-10', 'TY-10', 123.019, 'Nobody')))
    expect(bad.status).toBe(422)
    expect(bad.report!.rejected.map((r) => [r.row, r.column, r.code])).toEqual([[2, '包干队伍', 'unknown_team']])
    expect(await demo.sql`select 1 from grid_zones where community_id = 'tongyu-test' and source = 'zone-teams'`).toHaveLength(0)
    const done = await upload(demo.as('planner'), 'layer=zones&source=zone-teams&dryRun=false', file(zone('Z-9', 'TY-09', 123.016, '物业保安队')))
    expect(done.status, JSON.stringify(done.json).slice(0, 400)).toBe(200)
    const layer = (await (await demo.as('planner').request(`${T}/layers/zones`)).json()) as { features: { properties: { code: string; teamName: string | null } }[] }
    expect(layer.features.find((f) => f.properties.code === 'TY-09')?.properties.teamName).toBe('物业保安队')
    // the same file again changes nothing; another team is a change
    expect((await upload(demo.as('planner'), 'layer=zones&source=zone-teams&dryRun=false', file(zone('Z-9', 'TY-09', 123.016, '物业保安队')))).report!.counts).toMatchObject({ unchanged: 1, changed: 0 })
    expect((await upload(demo.as('planner'), 'layer=zones&source=zone-teams', file(zone('Z-9', 'TY-09', 123.016, '红袖标志愿队')))).report!.counts).toMatchObject({ unchanged: 0, changed: 1 })
  })

  it('imports captains with their buildings by id or address, and rejects an unknown building and a building given to two captains', async () => {
    const linked = async () =>
      demo.sql<{ id: string; active: boolean; phone: string | null; buildings: string[] }[]>`
        select c.source_id as id, c.active, c.phone, array(select b.source_id from captain_buildings as cb join buildings as b on b.community_id = cb.community_id and b.id = cb.building_id
                                                  where cb.community_id = c.community_id and cb.captain_id = c.id order by 1) as buildings
        from captains as c where c.community_id = 'tongyu-test' and c.source = 'import' order by c.source_id`
    const done = await upload(demo.as('planner'), 'layer=captains&dryRun=false', fixture('captains.csv'))
    expect(done.status, JSON.stringify(done.json).slice(0, 400)).toBe(200)
    expect(done.report).toMatchObject({ counts: { read: 2, valid: 2, new: 2 }, features: { features: [] } })
    expect(await linked()).toEqual([
      { id: 'C-1', active: true, phone: '+86 139-0000-0001', buildings: ['B-1', 'B-2'] },
      { id: 'C-2', active: false, phone: null, buildings: ['B-3'] },
    ])
    expect((await upload(demo.as('planner'), 'layer=captains&dryRun=false', fixture('captains.csv'))).report!.counts).toMatchObject({ new: 0, changed: 0, unchanged: 2 })
    const corrected = await upload(demo.as('planner'), 'layer=captains&dryRun=false', fixture('captains-corrected.csv'))
    expect(corrected.report!.counts).toMatchObject({ new: 0, changed: 1, unchanged: 1 })
    expect((await linked())[1]).toEqual({ id: 'C-2', active: true, phone: '+86 139-0000-0002', buildings: ['B-3'] })
    const bad = await upload(demo.as('planner'), 'layer=captains&dryRun=false', fixture('captains-bad-rows.csv'), { 'accept-language': 'zh-CN' })
    expect(bad.status).toBe(422)
    expect(bad.report!.rejected.map((r) => [r.row, r.column, r.code])).toEqual([
      [3, '负责楼栋', 'unknown_building'],
      [4, '负责楼栋', 'building_twice'],
    ])
    expect(bad.report!.rejected[0]!.reason).toContain('B-9')
    // nothing written: C-1 still has both its buildings
    expect((await linked())[0]!.buildings).toEqual(['B-1', 'B-2'])
  })

  it('imports disputes from GeoJSON with Chinese values and checks their steps and dates', async () => {
    // a planner plans, an admin (or a mediator: issue 12) records disputes
    const planner = await demo.as('planner').request(`${T}/imports?layer=disputes`, { method: 'POST', body: fixture('disputes.geojson') as unknown as BodyInit })
    expect(planner.status).toBe(403)
    const done = await upload(demo.app, 'layer=disputes&dryRun=false', fixture('disputes.geojson'))
    expect(done.status, JSON.stringify(done.json).slice(0, 400)).toBe(200)
    expect(done.report!.counts).toMatchObject({ read: 3, new: 3 })
    const rows = await demo.sql`
      select d.source_id as id, d.kind, d.status, d.level, d.found_how as how, d.mediator, b.source_id as building,
             to_char(d.reported_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as reported,
             to_char(d.ended_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as ended, d.parties
      from disputes as d left join buildings as b on b.community_id = d.community_id and b.id = d.building_id
      where d.community_id = 'tongyu-test' order by d.source_id`
    expect(rows.map((r) => [r.id, r.kind, r.status, r.level, r.how, r.mediator, r.building, r.reported, r.ended, r.parties])).toEqual([
      ['D-1', 'neighbour', 'reported', null, 'captain_report', null, 'B-1', '2024-05-02 19:30', null, []],
      ['D-2', 'property', 'mediating', 'community', null, '社区调委会', null, '2024-05-03 00:00', null, []],
      ['D-3', 'labour', 'agreed', 'grid', null, null, 'B-3', '2024-05-05 09:00', '2024-05-06 16:00', []],
    ])
    expect((await upload(demo.app, 'layer=disputes&dryRun=false', fixture('disputes.geojson'))).report!.counts).toMatchObject({ new: 0, unchanged: 3 })
    const corrected = await upload(demo.app, 'layer=disputes&dryRun=false', fixture('disputes-corrected.geojson'))
    expect(corrected.report!.counts).toMatchObject({ new: 0, changed: 1, unchanged: 2 })
    const [d1] = await demo.sql`select status, level, version from disputes where community_id = 'tongyu-test' and source_id = 'D-1'`
    expect(d1).toEqual({ status: 'mediating', level: 'building', version: 2 })
    const csv = 'id,kind,occurred_at,status,level,mediation_started_at,ended_at,building,lon,lat\n' +
      'D-9,family,2024-06-01 10:00,agreed,community,2024-06-01 11:00,,,123.001,45.001\n' +
      'D-10,other,2024-06-02 10:00,failed,community,2024-06-01 11:00,2024-06-03 11:00,,123.001,45.001\n' +
      'D-11,other,2024-06-02 10:00,reported,,,,通榆路99号,123.001,45.001\n'
    const bad = await upload(demo.app, 'layer=disputes&dryRun=false&lang=en', csv)
    expect(bad.status).toBe(422)
    expect(bad.report!.rejected.map((r) => [r.row, r.column, r.code])).toEqual([[2, 'status', 'dispute_steps'], [3, 'mediation_started_at', 'dispute_dates'], [4, 'building', 'unknown_building']])
  })

  it('reports local times the clocks skipped or passed twice (America/Los_Angeles)', async () => {
    const csv = 'id,category,occurred_at,lon,lat\nD-1,THEFT,2024-03-10 02:30,-122.418,37.765\nD-2,THEFT,2024-11-03 01:30,-122.418,37.765\nD-3,THEFT,2024-11-03 01:30-08:00,-122.418,37.765\n'
    const res = await demo.app.request('/api/communities/sf-mission/imports?layer=incidents&source=dst', { method: 'POST', body: csv })
    const report = ImportReportSchema.parse(await res.json())
    expect(report.rejected.map((r) => [r.row, r.column, r.code])).toEqual([[2, 'occurred_at', 'time_nonexistent'], [3, 'occurred_at', 'time_ambiguous']])
    expect(report.counts).toMatchObject({ read: 3, valid: 1, rejected: 2 })
  })

  it('answers an upload over IMPORT_MAX_MB with 413 in the one error shape', async () => {
    const small = clientFor(createApp({ sql: demo.sql, mode, importMaxBytes: 1000 }), TEST_ADMIN)
    const res = await small.request(`${T}/imports?layer=incidents`, { method: 'POST', body: 'x'.repeat(2000) })
    expect(res.status).toBe(413)
    expect(ErrorBodySchema.parse(await res.json()).error.code).toBe('payload_too_large')
  })

  // The command line reaches a server database by DATABASE_URL (an embedded one is its own data
  // directory, which the running server holds): a test of server mode only, not a skipped one.
  if (mode === 'server') {
    it('imports from the command line, and exits 1 with the rejected rows for a bad file', { timeout: 60_000 }, async () => {
      const run = (...args: string[]) =>
        new Promise<{ code: number; out: string }>((resolve) =>
          execFile(path.join(ROOT_DIR, 'node_modules/.bin/tsx'), ['server/src/cli/import.ts', '--community', 'tongyu-test', '--layer', 'incidents', '--source', 'cli', ...args], { cwd: ROOT_DIR, env: { ...process.env, DATABASE_URL: demo.url } }, (err, stdout, stderr) =>
            resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
          ),
        )
      const ok = await run('fixtures/import/incidents.csv')
      expect(ok.code, ok.out).toBe(0)
      expect(ok.out).toMatch(/read 5, valid 5, rejected 0; new 5, changed 0, unchanged 0/)
      const bad = await run('--lang', 'zh', 'fixtures/import/incidents-bad-row.csv')
      expect(bad.code).toBe(1)
      expect(bad.out).toContain('row 5 [lat]: lat 应为数字，而不是“north”')
      expect(await count('incidents', 'cli')).toBe(5)
      const [who] = await demo.sql<{ username: string }[]>`select username from imports where community_id = 'tongyu-test' and source = 'cli'`
      expect(who!.username).toMatch(/^cli:/)
    })
  }

  it('reads a zipped Shapefile: its .prj (UTM 10N) converted to WGS 84, its .cpg (CP936) or a chosen or detected GBK; without a .prj the crs parameter says', async () => {
    const source = JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'fixtures/sf-mission/buildings.geojson'), 'utf8')) as { features: { properties: { building_id: string }; geometry: { coordinates: unknown } }[] }
    const S = '/api/communities/sf-mission'
    const send = async (name: string, query: string) => {
      const res = await demo.app.request(`${S}/imports?layer=buildings&source=shp-test&fileName=${name}&${query}`, { method: 'POST', headers: { 'content-type': 'application/zip' }, body: fixture(name) as unknown as BodyInit })
      const json = (await res.json()) as ImportReport & { error?: { code: string } }
      return { status: res.status, json }
    }
    // the fixture: five demo buildings well inside the boundary, named in Chinese (docs/import.md, the fixtures)
    const names: Record<string, string> = { 'sfb-59391': '阳光公寓', 'sfb-59392': '和平楼', 'sfb-59398': '幸福里', 'sfb-59400': '友谊大厦', 'sfb-59401': '春晖苑' }
    // every corner of each footprint lands within a centimetre of a corner of the original, and back
    const corners = (c: unknown): [number, number][] => (Array.isArray(c) && typeof c[0] === 'number' ? [[c[0] as number, c[1] as number]] : Array.isArray(c) ? c.flatMap(corners) : [])
    const apart = (a: [number, number][], b: [number, number][]) => Math.max(...a.map(([x, y]) => Math.min(...b.map(([u, v]) => Math.hypot((u - x) * 88_000, (v - y) * 111_000)))))
    const check = (report: ImportReport, label: string) => {
      expect(report.counts).toMatchObject({ read: 5, valid: 5, rejected: 0, new: 5 })
      const features = (report.features as { features: { properties: Record<string, unknown>; geometry: { coordinates: unknown } }[] }).features
      expect(features).toHaveLength(5)
      for (const f of features) {
        const k = source.features.findIndex((s) => s.properties.building_id === f.properties.sourceId)
        expect(k, JSON.stringify(f.properties)).toBeGreaterThanOrEqual(0)
        expect(f.properties.name).toBe(names[f.properties.sourceId as string])
        const [mine, theirs] = [corners(f.geometry.coordinates), corners(source.features[k]!.geometry.coordinates)]
        expect(Math.max(apart(mine, theirs), apart(theirs, mine)), label).toBeLessThan(0.01)
      }
    }
    const withPrj = await send('buildings-utm-gbk.zip', 'format=shp&lang=zh')
    expect(withPrj.status, JSON.stringify(withPrj.json).slice(0, 300)).toBe(200)
    expect(withPrj.json).toMatchObject({ format: 'shp', encoding: 'gbk', crs: 'EPSG:4326', dryRun: true })
    check(ImportReportSchema.parse(withPrj.json), 'with .prj')
    // no .prj and no .cpg: the crs says what the coordinates are; GBK is found (UTF-8 leaves undecodable bytes)
    const bare = await send('buildings-utm-gbk-no-prj-no-cpg.zip', 'crs=EPSG:32610')
    expect(bare.status, JSON.stringify(bare.json).slice(0, 300)).toBe(200)
    expect(bare.json).toMatchObject({ format: 'shp', encoding: 'gb18030', crs: 'EPSG:32610' })
    check(ImportReportSchema.parse(bare.json), 'crs=EPSG:32610')
    // …and without the crs the metres are no degrees: every row reported, nothing kept
    const wrong = await send('buildings-utm-gbk-no-prj-no-cpg.zip', 'dryRun=false')
    expect(wrong.status).toBe(422)
    expect(await demo.sql`select 1 from buildings where source = 'shp-test'`).toHaveLength(0)
    // a zip that is no Shapefile, and bytes that are no zip
    expect((await demo.app.request(`${S}/imports?layer=buildings&format=shp`, { method: 'POST', headers: { 'content-type': 'application/zip' }, body: fixture('buildings.xlsx') as unknown as BodyInit })).status).toBe(400)
    expect((await demo.app.request(`${S}/imports?layer=buildings&format=shp`, { method: 'POST', headers: { 'content-type': 'application/zip' }, body: 'PK not a zip' })).status).toBe(400)
    // bytes that start like a zip but have no zip directory (a zip reader could loop forever on them)
    expect((await demo.app.request(`${S}/imports?layer=buildings`, { method: 'POST', headers: { 'content-type': 'application/zip' }, body: `PK${'P'.repeat(300)}` })).status).toBe(400)
  })

  it('reads a GeoPackage: its spatial reference (UTM 10N) converted to WGS 84, UTF-8 names, heights dropped; its table chosen by the layer; a broken geometry a rejected row', async () => {
    const source = JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'fixtures/sf-mission/buildings.geojson'), 'utf8')) as { features: { properties: { building_id: string }; geometry: { coordinates: unknown } }[] }
    const S = '/api/communities/sf-mission'
    const send = async (body: Uint8Array, query: string, name = 'buildings-utm.gpkg') => {
      const res = await demo.app.request(`${S}/imports?layer=buildings&source=gpkg-test&fileName=${name}&${query}`, { method: 'POST', headers: { 'content-type': 'application/geopackage+sqlite3' }, body: body as unknown as BodyInit })
      return { status: res.status, json: (await res.json()) as ImportReport & { error?: { code: string; message: string } } }
    }
    const corners = (c: unknown): [number, number][] => (Array.isArray(c) && typeof c[0] === 'number' ? [[c[0] as number, c[1] as number]] : Array.isArray(c) ? c.flatMap(corners) : [])
    const apart = (a: [number, number][], b: [number, number][]) => Math.max(...a.map(([x, y]) => Math.min(...b.map(([u, v]) => Math.hypot((u - x) * 88_000, (v - y) * 111_000)))))
    const bytes = new Uint8Array(fixture('buildings-utm.gpkg'))
    // asked for nothing: the format from the name (and, without one, from the SQLite header), the crs from the file
    for (const name of ['buildings-utm.gpkg', 'upload.bin']) {
      const r = await send(bytes, 'lang=zh', name)
      expect(r.status, JSON.stringify(r.json).slice(0, 300)).toBe(200)
      expect(r.json).toMatchObject({ format: 'gpkg', encoding: 'utf-8', crs: 'EPSG:32610', counts: { read: 5, valid: 5, rejected: 0, new: 5 } })
      const features = (r.json.features as { features: { properties: Record<string, unknown>; geometry: { coordinates: unknown } }[] }).features
      expect(features.map((f) => f.properties.name).sort()).toStrictEqual(['和平楼', '幸福里', '春晖苑', '友谊大厦', '阳光公寓'].sort())
      for (const f of features) {
        const k = source.features.findIndex((s) => s.properties.building_id === f.properties.sourceId)
        expect(k, JSON.stringify(f.properties)).toBeGreaterThanOrEqual(0)
        const [mine, theirs] = [corners(f.geometry.coordinates), corners(source.features[k]!.geometry.coordinates)]
        expect(Math.max(apart(mine, theirs), apart(theirs, mine))).toBeLessThan(0.01)
      }
    }
    // the same file changed with SQLite itself: heights on every corner, a second feature table, a broken blob
    const SQL = await initSqlJs()
    const edit = (sqlText: string) => {
      const db = new SQL.Database(bytes)
      db.run(sqlText)
      const out = db.export()
      db.close()
      return out
    }
    // heights: GeoPackage binary with an XYZ envelope-less header and ISO WKB PolygonZ (1003), every z 12.5
    const withZ = (() => {
      const db = new SQL.Database(bytes)
      const rows = db.exec('select fid, geom from buildings')[0]!.values as [number, Uint8Array][]
      for (const [fid, blob] of rows) {
        const flags = blob[3]!
        const envelope = [0, 32, 48, 48, 64][(flags >> 1) & 7]!
        const wkb = new DataView(blob.buffer, blob.byteOffset + 8 + envelope)
        const le = wkb.getUint8(0) === 1
        const rings = wkb.getUint32(5, le)
        const parts: number[] = []
        let at = 9
        const out: number[][] = []
        for (let r = 0; r < rings; r++) {
          const n = wkb.getUint32(at, le)
          parts.push(n)
          at += 4
          for (let p = 0; p < n; p++, at += 16) out.push([wkb.getFloat64(at, le), wkb.getFloat64(at + 8, le)])
        }
        const z = new DataView(new ArrayBuffer(8 + 9 + 4 * rings + 24 * out.length))
        z.setUint8(0, 0x47), z.setUint8(1, 0x50), z.setUint8(2, 0), z.setUint8(3, 1), z.setInt32(4, 32610, true)
        z.setUint8(8, 1), z.setUint32(9, 1003, true), z.setUint32(13, rings, true)
        let o = 17
        let k = 0
        for (const n of parts) {
          z.setUint32(o, n, true)
          o += 4
          for (let p = 0; p < n; p++, o += 24, k++) z.setFloat64(o, out[k]![0]!, true), z.setFloat64(o + 8, out[k]![1]!, true), z.setFloat64(o + 16, 12.5, true)
        }
        db.run('update buildings set geom = ? where fid = ?', [new Uint8Array(z.buffer), fid])
      }
      const b = db.export()
      db.close()
      return b
    })()
    const z = await send(withZ, 'lang=en')
    expect(z.status, JSON.stringify(z.json).slice(0, 300)).toBe(200)
    expect(z.json.counts).toMatchObject({ read: 5, valid: 5, rejected: 0 })
    const positions = (c: unknown): unknown[][] => (Array.isArray(c) && typeof c[0] === 'number' ? [c] : Array.isArray(c) ? c.flatMap(positions) : [])
    const zPositions = (z.json.features as { features: { geometry: { coordinates: unknown } }[] }).features.flatMap((f) => positions(f.geometry.coordinates))
    expect(zPositions.length).toBeGreaterThan(20)
    expect(zPositions.every((p) => p.length === 2)).toBe(true)
    // a second feature table: the one named like the layer is read; with neither, 400 naming both
    const two = (table: string) =>
      edit(`create table ${table} (fid integer primary key, geom blob, name text);
            insert into gpkg_contents (table_name, data_type, identifier, srs_id) values ('${table}', 'features', '${table}', 32610);
            insert into gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) values ('${table}', 'geom', 'POLYGON', 32610, 0, 0);`)
    expect((await send(two('other_things'), '')).json.counts).toMatchObject({ read: 5, valid: 5 })
    const renamed = edit(`alter table buildings rename to footprints; update gpkg_contents set table_name = 'footprints' where table_name = 'buildings'; update gpkg_geometry_columns set table_name = 'footprints' where table_name = 'buildings';
      create table other_things (fid integer primary key, geom blob); insert into gpkg_contents (table_name, data_type, identifier, srs_id) values ('other_things', 'features', 'x', 32610);
      insert into gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) values ('other_things', 'geom', 'POLYGON', 32610, 0, 0);`)
    const ambiguous = await send(renamed, '')
    expect(ambiguous.status).toBe(400)
    expect(ambiguous.json.error!.message).toMatch(/footprints, other_things/)
    // a broken geometry blob in the third row: that row rejected, nothing written
    const broken = await send(edit(`update buildings set geom = x'4750000199' where fid = 3`), 'dryRun=false&lang=en')
    expect(broken.status, JSON.stringify(broken.json).slice(0, 400)).toBe(422)
    expect((broken.json.error as unknown as { details: { report: ImportReport } }).details.report.rejected).toMatchObject([{ row: 3, column: 'geometry', code: 'bad_geometry' }])
    // SQLite that is no GeoPackage, and a GeoPackage without feature tables: 400
    const db = new SQL.Database()
    db.run('create table t (a int)')
    expect((await send(db.export(), '')).status).toBe(400)
    db.close()
    expect((await send(edit(`delete from gpkg_geometry_columns; delete from gpkg_contents;`), '')).status).toBe(400)
    // a damaged file (its pages cut off half way): 400, not a 500
    const cut = await send(bytes.slice(0, Math.floor(bytes.length / 2)), '')
    expect(cut.status, JSON.stringify(cut.json).slice(0, 300)).toBe(400)
    expect(cut.json.error!.code).toBe('bad_request')
    expect(await demo.sql`select 1 from buildings where source = 'gpkg-test'`).toHaveLength(0)
  })
})
