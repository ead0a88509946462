/**
 * Issue 10, "Export", against a real listening server: personal access tokens (issued once, listed
 * without the secret, read-only, revocable, expiring, audited), the layer files (GeoJSON, CSV,
 * .xlsx — the same features and role view as the layers API), OGC API – Features at /ogc, and
 * GDAL's `ogrinfo` (driver OAPIF) reading it with a token: the collections and the same feature
 * counts as the layers API, and its paging. ogrinfo is required in CI and when SAFEGRID_REQUIRE
 * names gdal; a dev machine without it skips only that check.
 */
import { execFile, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LAYERS } from '../../server/src/contract.js'
import { testModes } from '../support/db.js'
import { startTestServer, type TestServer } from '../support/server.js'

const run = promisify(execFile)
const GDAL = spawnSync('ogrinfo', ['--version'], { stdio: 'ignore' }).status === 0
const GDAL_REQUIRED = (process.env.SAFEGRID_REQUIRE ?? '').split(',').includes('gdal') || process.env.SAFEGRID_TEST_GDAL === 'required' || !!process.env.CI
const PERIOD = 'from=2012-07-01&to=2012-12-31'

interface Collection {
  type: string
  features: { id: number; geometry: { type: string; coordinates: unknown } | null; properties: Record<string, unknown> }[]
  numberMatched: number
  numberReturned: number
  links: { rel: string; href: string; type: string }[]
  meta: { count: number }
}

describe.each(testModes())('export, access tokens and OGC API – Features in %s mode', (mode) => {
  let server: TestServer
  let admin: string
  const secrets: Record<string, string> = {}
  /** GET with a bearer token (or a cookie, or nothing) */
  const get = (path: string, auth?: { token?: string; cookie?: string }, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { ...(auth?.token ? { authorization: `Bearer ${auth.token}` } : {}), ...(auth?.cookie ? { cookie: auth.cookie } : {}), ...(init.headers as Record<string, string>) } })
  const issue = async (username: string, body: object = { name: 'QGIS' }) => {
    const res = await get(`/api/users/${username}/tokens`, { cookie: admin }, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect(res.status, await res.clone().text()).toBe(201)
    return (await res.json()) as { token: { id: number; prefix: string; expiresAt: string }; secret: string }
  }
  /** The layers API's count of a layer for a role (its own session), filters as given. */
  const layerCount = async (role: 'planner' | 'viewer', layer: string, query = '') =>
    ((await (await get(`/api/communities/sf-mission/layers/${layer}?limit=50000&${query}`, { cookie: await server.login(`demo-${role}`) })).json()) as Collection).meta.count

  beforeAll(async () => {
    server = await startTestServer(mode)
    admin = await server.login()
    for (const who of ['planner', 'viewer']) secrets[who] = (await issue(`demo-${who}`, { name: `${who}'s QGIS`, expiresInDays: 30 })).secret
    secrets.outsider = (await issue('test-outsider')).secret
  })
  afterAll(() => server?.close())

  it('issues a token once, lists it without the secret, lets it read as its user only, and ends it by revocation or expiry', async () => {
    const planner = { token: secrets.planner! }
    expect(secrets.planner).toMatch(/^sgt_[A-Za-z0-9_-]{43}$/)
    const listed = await get('/api/users/demo-planner/tokens', { cookie: admin })
    const text = await listed.text()
    expect(listed.status).toBe(200)
    expect(text).not.toContain(secrets.planner!.slice(10))
    expect(JSON.parse(text).tokens[0]).toMatchObject({ name: "planner's QGIS", prefix: secrets.planner!.slice(0, 10), revokedAt: null, createdBy: 'test-admin' })
    const stored = await server.sql<{ tokenHash: string }[]>`select token_hash from access_tokens`
    expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.tokenHash) && !secrets.planner!.includes(r.tokenHash))).toBe(true)
    // the same user and roles as their session
    const session = (await (await get('/api/session', planner)).json()) as { user: { username: string; roles: Record<string, string> } }
    expect(session.user).toMatchObject({ username: 'demo-planner', roles: { 'sf-mission': 'planner' } })
    // reading only: no write, no logout, no password change
    expect((await get('/api/communities/sf-mission/plans', planner, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"changes":[]}' })).status).toBe(403)
    expect((await get('/api/session', planner, { method: 'DELETE' })).status).toBe(403)
    // unknown, malformed, revoked, expired: 401
    expect((await get('/api/session', { token: `sgt_${'x'.repeat(43)}` })).status).toBe(401)
    expect((await get('/api/session', {}, { headers: { authorization: 'Bearer not a token' } })).status).toBe(401)
    const spare = await issue('demo-planner', { name: 'spare' })
    expect((await get('/api/session', { token: spare.secret })).status).toBe(200)
    const revoked = await get(`/api/users/demo-planner/tokens/${spare.token.id}`, { cookie: admin }, { method: 'DELETE' })
    expect(((await revoked.json()) as { token: { revokedAt: string | null } }).token.revokedAt).not.toBeNull()
    expect((await get('/api/session', { token: spare.secret })).status).toBe(401)
    expect((await get(`/api/users/demo-viewer/tokens/${spare.token.id}`, { cookie: admin }, { method: 'DELETE' })).status).toBe(404) // not the viewer's
    const old = await issue('demo-planner', { name: 'old' })
    await server.sql`update access_tokens set created_at = now() - interval '2 days', expires_at = now() - interval '1 day' where id = ${old.token.id}`
    expect((await get('/api/session', { token: old.secret })).status).toBe(401)
    // a token cannot issue tokens; bad bodies are 400
    expect((await get('/api/users/demo-planner/tokens', { token: secrets.planner! })).status).toBe(403)
    for (const body of [{}, { name: '' }, { name: 'x', expiresInDays: 366 }, { name: 'x', extra: 1 }])
      expect((await get('/api/users/demo-planner/tokens', { cookie: admin }, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status).toBe(400)
    const audited = await server.sql<{ action: string; n: number }[]>`select action, count(*)::int as n from audit_log where action like 'token_%' group by 1 order by 1`
    expect(audited).toEqual([{ action: 'token_issued', n: 5 }, { action: 'token_revoked', n: 1 }])
    expect(JSON.stringify(await server.sql`select after from audit_log where action = 'token_issued'`)).not.toContain(secrets.planner!.slice(10))
  })

  it('exports a layer as GeoJSON, CSV and xlsx with the same features and role view as the layers API', async () => {
    const planner = { token: secrets.planner! }
    const viewer = { token: secrets.viewer! }
    const n = await layerCount('planner', 'incidents', PERIOD)
    expect(n).toBeGreaterThan(500)
    const gj = await get(`/api/communities/sf-mission/export/incidents.geojson?${PERIOD}`, planner)
    expect(gj.headers.get('content-type')).toMatch(/^application\/geo\+json/)
    expect(gj.headers.get('content-disposition')).toBe('attachment; filename="sf-mission-incidents.geojson"')
    const fc = (await gj.json()) as Collection
    expect(fc.features.length).toBe(n)
    const csvRes = await get(`/api/communities/sf-mission/export/incidents.csv?${PERIOD}`, planner)
    expect(csvRes.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const csv = await csvRes.text() // fetch drops the BOM when decoding; the bytes keep it
    const bytes = new Uint8Array(await (await get(`/api/communities/sf-mission/export/incidents.csv?${PERIOD}`, planner)).arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = csv.trimEnd().split('\r\n')
    const header = lines[0]!.replace(/^\uFEFF/, '').split(',')
    expect(header[0]).toBe('id')
    expect(header).toEqual(expect.arrayContaining(['category', 'occurredAt', 'description', 'lon', 'lat', 'wkt']))
    // RFC 4180: quoted fields may hold line breaks, so count records by their id column
    expect(csv.split('\r\n').filter((l) => /^\d+,/.test(l)).length).toBe(n)
    const first = fc.features[0]!
    expect(lines[1]!.startsWith(`${first.id},`)).toBe(true)
    expect(lines[1]).toContain(`POINT(${(first.geometry!.coordinates as number[]).join(' ')})`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load((await (await get(`/api/communities/sf-mission/export/incidents.xlsx?${PERIOD}`, planner)).arrayBuffer()) as ArrayBuffer)
    const sheet = wb.worksheets[0]!
    expect(sheet.rowCount).toBe(n + 1)
    expect(sheet.getRow(2).getCell(1).value).toBe(first.id)
    // a viewer's files: incidents as counts per zone, captains without phones — as their map
    const vIncidents = await (await get(`/api/communities/sf-mission/export/incidents.csv?${PERIOD}`, viewer)).text()
    const vHeader = vIncidents.split('\r\n')[0]!.replace(/^\uFEFF/, '').split(',')
    expect(vHeader).toEqual(['id', 'count', 'zoneId', 'zoneCode', 'breakdown', 'lon', 'lat', 'wkt'])
    expect(vIncidents.trimEnd().split('\r\n').length - 1).toBe(await layerCount('viewer', 'incidents', PERIOD))
    const phoneColumn = async (auth: { token: string }) => {
      const rows = (await (await get('/api/communities/sf-mission/export/captains.csv', auth)).text()).trimEnd().split('\r\n').map((l) => l.replace(/^\uFEFF/, '').split(','))
      const k = rows[0]!.indexOf('phone')
      return rows.slice(1).map((r) => r[k])
    }
    expect((await phoneColumn(viewer)).every((p) => p === '')).toBe(true)
    expect((await phoneColumn(planner)).some((p) => p !== '')).toBe(true)
    // bounded; wrong names
    const tooMany = await get(`/api/communities/sf-mission/export/incidents.geojson?${PERIOD}&limit=10`, planner)
    expect(tooMany.status).toBe(413)
    expect((await get('/api/communities/sf-mission/export/buildings.csv?limit=10', planner)).status).toBe(413)
    expect((await get('/api/communities/sf-mission/export/buildings.shp', planner)).status).toBe(400)
    expect((await get('/api/communities/sf-mission/export/people.csv', planner)).status).toBe(404)
    expect((await get('/api/communities/sf-mission/export/buildings.csv', { token: secrets.outsider! })).status).toBe(404)
    // files with personal data are audited; a viewer's counts and buildings are not
    await get('/api/communities/sf-mission/export/buildings.geojson', viewer)
    const audited = await server.sql<{ username: string; entityId: string; n: number }[]>`
      select username, entity_id, count(*)::int as n from audit_log where action = 'layer_exported' group by 1, 2 order by 1, 2`
    expect(audited).toEqual([
      { username: 'demo-planner', entityId: 'captains', n: 1 },
      { username: 'demo-planner', entityId: 'incidents', n: 4 },
      { username: 'demo-viewer', entityId: 'captains', n: 1 },
    ])
  })

  it('serves OGC API – Features: landing page, conformance, OpenAPI 3.0, collections, items with paging, bbox and datetime', async () => {
    const planner = { token: secrets.planner! }
    const viewer = { token: secrets.viewer! }
    const landing = (await (await get('/ogc')).json()) as { links: { rel: string; href: string }[] }
    expect(landing.links.map((l) => l.rel).sort()).toEqual(['conformance', 'data', 'self', 'service-desc'])
    expect(landing.links.find((l) => l.rel === 'data')!.href).toBe(`${server.url}/ogc/collections`)
    expect(((await (await get('/ogc/conformance')).json()) as { conformsTo: string[] }).conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson')
    const api = (await (await get('/ogc/api')).json()) as { openapi: string; paths: Record<string, unknown> }
    expect(api.openapi).toMatch(/^3\.0\./)
    expect(Object.keys(api.paths)).toEqual(expect.arrayContaining(['/', '/conformance', '/collections', '/collections/{collectionId}/items', '/collections/{collectionId}/items/{featureId}']))
    // the app's OpenAPI document has them too, so the hostile-input test sends them every malformed value
    const appDoc = (await (await get('/api/openapi.json')).json()) as { paths: Record<string, unknown> }
    expect(Object.keys(appDoc.paths)).toEqual(expect.arrayContaining(['/ogc/collections/{collectionId}/items', '/api/communities/{id}/export/{file}']))
    expect((await get('/ogc/collections')).status).toBe(401)
    expect(((await (await get('/ogc/collections', { token: secrets.outsider! })).json()) as { collections: unknown[] }).collections).toEqual([])
    const collections = (await (await get('/ogc/collections', viewer)).json()) as { collections: { id: string; extent: { spatial?: { bbox: number[][] }; temporal?: { interval: string[][] } } }[] }
    expect(collections.collections.map((c) => c.id)).toEqual(LAYERS.map((l) => `sf-mission-${l}`))
    const incidentsCollection = collections.collections.find((c) => c.id === 'sf-mission-incidents')!
    expect(incidentsCollection.extent.temporal!.interval[0]![0]).toMatch(/^2012-/)
    expect(incidentsCollection.extent.spatial!.bbox[0]!.length).toBe(4)
    // every collection's numberMatched is the layers API's count for the role
    for (const role of ['planner', 'viewer'] as const)
      for (const layer of LAYERS) {
        const res = await get(`/ogc/collections/sf-mission-${layer}/items?limit=1`, role === 'planner' ? planner : viewer)
        expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/)
        const page = (await res.json()) as Collection
        expect(page.numberMatched, `${role} ${layer}`).toBe(await layerCount(role, layer))
      }
    // paging: next links walk every zone once; prev goes back
    const seen: number[] = []
    let next: string | undefined = '/ogc/collections/sf-mission-zones/items?limit=3'
    let pages = 0
    while (next) {
      const page = (await (await get(next.replace(server.url, ''), planner)).json()) as Collection
      expect(page.numberReturned).toBe(page.features.length)
      seen.push(...page.features.map((f) => f.id))
      next = page.links.find((l) => l.rel === 'next')?.href
      if (pages++ === 1) expect(page.links.find((l) => l.rel === 'prev')!.href).toContain('offset=0')
    }
    expect(seen.length).toBe(await layerCount('planner', 'zones'))
    expect(new Set(seen).size).toBe(seen.length)
    expect(pages).toBe(Math.ceil(seen.length / 3))
    // datetime is the period of the shared filters; bbox as the layers API's
    const period = (await (await get('/ogc/collections/sf-mission-incidents/items?limit=1&datetime=2012-07-01/2012-12-31', planner)).json()) as Collection
    expect(period.numberMatched).toBe(await layerCount('planner', 'incidents', PERIOD))
    const open = (await (await get('/ogc/collections/sf-mission-incidents/items?limit=1&datetime=../2012-12-31', planner)).json()) as Collection
    expect(open.numberMatched).toBe(await layerCount('planner', 'incidents', 'to=2012-12-31'))
    const box = '-122.42,37.764,-122.419,37.766'
    const inBox = (await (await get(`/ogc/collections/sf-mission-buildings/items?limit=1&bbox=${box}`, planner)).json()) as Collection
    expect(inBox.numberMatched).toBe(await layerCount('planner', 'buildings', `bbox=${box}`))
    expect(inBox.numberMatched).toBeGreaterThan(0)
    // one item; the viewer's incidents are zone counts and captains have no phones
    const one = (await (await get(`/ogc/collections/sf-mission-buildings/items/${inBox.features[0]!.id}`, planner)).json()) as Collection['features'][number] & { links: unknown[] }
    expect(one).toMatchObject({ type: 'Feature', id: inBox.features[0]!.id, properties: inBox.features[0]!.properties })
    const vIncidents = (await (await get('/ogc/collections/sf-mission-incidents/items?limit=100', viewer)).json()) as Collection
    expect(vIncidents.features.every((f) => typeof f.properties.count === 'number' && f.properties.description === undefined)).toBe(true)
    const vCaptains = (await (await get('/ogc/collections/sf-mission-captains/items?limit=10000', viewer)).json()) as Collection
    expect(vCaptains.features.every((f) => f.properties.phone === null)).toBe(true)
    // 4xx: no such collection or feature, a community without a role, bad parameters
    for (const [path, status] of [
      ['/ogc/collections/sf-mission-people/items', 404],
      ['/ogc/collections/nowhere-buildings', 404],
      ['/ogc/collections/sf-mission-buildings/items?bbox=1,2,3', 400],
      ['/ogc/collections/sf-mission-buildings/items/999999999', 404],
      ['/ogc/collections/sf-mission-buildings/items/abc', 404],
      ['/ogc/collections/sf-mission-incidents/items?datetime=2012-12-31/2012-01-01', 400],
      ['/ogc/collections/sf-mission-incidents/items?datetime=../..', 400],
      ['/ogc/collections/sf-mission-incidents/items?offset=-1', 400],
      ['/ogc/collections/sf-mission-incidents/items?f=html', 400],
    ] as const)
      expect((await get(path, planner)).status, path).toBe(status)
    expect((await get('/ogc/collections/sf-mission-buildings', { token: secrets.outsider! })).status).toBe(404)
    // beyond the maximum the maximum is used (the standard's rule), not an error
    expect(((await (await get('/ogc/collections/sf-mission-zones/items?limit=99999', planner)).json()) as Collection).links.find((l) => l.rel === 'self')!.href).toContain('limit=10000')
  })

  it.runIf(GDAL || GDAL_REQUIRED)("is read by GDAL's ogrinfo (OAPIF) with a token: the collections, the layers API's counts, and paging", { timeout: 120_000 }, async () => {
    expect(GDAL, 'ogrinfo is required here (CI or SAFEGRID_REQUIRE=gdal): apt-get install gdal-bin').toBe(true)
    const gdal = (...args: string[]) =>
      run('ogrinfo', ['-ro', '--config', 'GDAL_HTTP_HEADERS', `Authorization: Bearer ${secrets.planner}`, '--config', 'GDAL_HTTP_TIMEOUT', '60', `OAPIF:${server.url}/ogc`, ...args], { maxBuffer: 64 * 1024 * 1024 })
    const ogrinfo = async (...args: string[]) => (await gdal(...args)).stdout
    const listing = await ogrinfo('-so')
    for (const layer of LAYERS) expect(listing).toContain(`sf-mission-${layer}`)
    const summary = await ogrinfo('-so', '-al')
    const counts = Object.fromEntries([...summary.matchAll(/Layer name: (\S+)[\s\S]*?Feature Count: (\d+)/g)].map((m) => [m[1], Number(m[2])]))
    for (const layer of LAYERS) expect(counts[`sf-mission-${layer}`], layer).toBe(await layerCount('planner', layer))
    // GDAL pages through the items with small pages and reads every feature once
    // (CPL_CURL_VERBOSE: GDAL writes each HTTP request it makes to stderr)
    const { stdout: zones, stderr } = await gdal('--config', 'CPL_CURL_VERBOSE', 'YES', '-al', '-q', '-oo', 'PAGE_SIZE=4', 'sf-mission-zones')
    const ids = [...zones.matchAll(/OGRFeature\(sf-mission-zones\):(\d+)/g)].map((m) => Number(m[1]))
    const zoneCount = await layerCount('planner', 'zones')
    expect(ids.length).toBe(zoneCount)
    expect(new Set(ids).size).toBe(zoneCount)
    const pages = [...stderr.matchAll(/^> GET \/ogc\/collections\/sf-mission-zones\/items\?(\S*)/gm)].map((m) => m[1])
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(zoneCount / 4))
    expect(pages.some((p) => p!.includes('offset=4'))).toBe(true)
  })
})
