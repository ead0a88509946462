import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT_DIR } from '../../server/src/config.js'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'

/** fixtures/hostile/inputs.json: the classes of malformed values. */
interface Inputs {
  classes: Record<string, { mustRefuse: boolean; values: string[] }>
  dateParameters: string[]
  numberParameters: string[]
}
const INPUTS = JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'fixtures/hostile/inputs.json'), 'utf8')) as Inputs
const value = (v: string) => (v.startsWith('@x') ? 'x'.repeat(Number(v.slice(2))) : v)

/** A valid value for each path parameter, so that only the parameter under test is wrong. */
const PATH_VALUES: Record<string, string> = { id: 'sf-mission', layer: 'incidents', zoneId: '7', buildingId: '2', z: '14', x: '2620', y: '6333', username: 'test-outsider', itemId: '1', teamId: '1', disputeId: '1', problemId: '1', fileId: '1', year: '2012' }
// a filed briefing (issue 13): the demo has none, so a valid id answers 404
PATH_VALUES.briefingId = '1'
// export (issue 10): a layer file, an OGC collection and feature, an access token
Object.assign(PATH_VALUES, { file: 'buildings.csv', collectionId: 'sf-mission-zones', featureId: '7', tokenId: '1' })
/** A valid value for query parameters an endpoint requires. */
const REQUIRED_QUERY: Record<string, Record<string, string>> = { '/api/communities/{id}/search': { q: 'G0' }, '/tiles/{layer}/{z}/{x}/{y}.mvt': { community: 'sf-mission' },
  '/api/communities/{id}/patrols/summary': { from: '2018-12-01', to: '2018-12-31' },
  '/api/communities/{id}/briefing': { from: '2012-11-01', to: '2012-11-07' },
  '/api/communities/{id}/briefing.csv': { from: '2012-11-01', to: '2012-11-07' },
  '/api/communities/{id}/briefing.xlsx': { from: '2012-11-01', to: '2012-11-07' },
}

interface Operation {
  path: string
  parameters: { name: string; in: 'path' | 'query' }[]
}

/** Every GET operation of the OpenAPI document with its parameters (so a new endpoint is covered too). */
async function operations(demo: DemoHandle): Promise<Operation[]> {
  const doc = (await (await demo.app.request('/api/openapi.json')).json()) as { paths: Record<string, { get?: { parameters?: { name: string; in: 'path' | 'query' }[] } }> }
  return Object.entries(doc.paths)
    .filter(([, ops]) => ops.get !== undefined)
    .map(([p, ops]) => ({ path: p, parameters: (ops.get!.parameters ?? []).filter((x) => x.in === 'path' || x.in === 'query') }))
}

function url(op: Operation, override: { name: string; in: 'path' | 'query'; value: string } | null, repeat = false): string {
  let p = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(override?.in === 'path' && override.name === name ? override.value : PATH_VALUES[name]!))
  const q = new URLSearchParams(REQUIRED_QUERY[op.path] ?? {})
  if (override?.in === 'query') {
    q.set(override.name, override.value)
    if (repeat) q.append(override.name, override.value)
  }
  const search = q.toString()
  if (search) p += `?${search}`
  return p
}

describe.each(testModes())('hostile input in %s mode', (mode) => {
  let demo: DemoHandle
  beforeAll(async () => {
    demo = await openDemo(mode)
  })
  afterAll(() => demo.close())

  async function expect4xx(target: string, must: boolean) {
    const res = await demo.app.request(target)
    expect(res.status, `${target.slice(0, 160)} → ${res.status}`).toBeLessThan(500)
    if (res.status >= 400) {
      const body = (await res.json()) as { error?: { code?: string; message?: string } }
      expect(typeof body.error?.code, target.slice(0, 160)).toBe('string')
      expect(body.error!.message!.length).toBeGreaterThan(5)
    } else if (must) expect.fail(`${target.slice(0, 160)} was accepted (${res.status})`)
    else await res.arrayBuffer()
  }

  it('covers every GET endpoint with parameters', async () => {
    const ops = await operations(demo)
    expect(ops.filter((o) => o.parameters.length > 0).length).toBeGreaterThanOrEqual(12)
  })

  it.each(Object.keys(INPUTS.classes))('answers %s in every parameter of every endpoint with a 4xx, never a 5xx', { timeout: 300_000 }, async (cls) => {
    const { mustRefuse, values } = INPUTS.classes[cls]!
    for (const op of await operations(demo))
      for (const param of op.parameters) {
        const isDate = INPUTS.dateParameters.includes(param.name)
        const isNumber = INPUTS.numberParameters.includes(param.name)
        for (const raw of values) {
          const v = value(raw)
          // a value outside its class's parameters may be valid there (a search for "%")
          const must = mustRefuse || (cls === 'datesOutOfRange' && isDate) || (cls === 'badNumbers' && isNumber)
          await expect4xx(url(op, { ...param, value: v }), must)
        }
      }
  })

  it('refuses a parameter given twice, for every parameter', async () => {
    for (const op of await operations(demo))
      for (const param of op.parameters.filter((p) => p.in === 'query')) {
        const res = await demo.app.request(url(op, { ...param, value: PATH_VALUES[param.name] ?? '7' }, true))
        expect(res.status, `${op.path} ${param.name}`).toBe(400)
      }
  })

  it('answers bodies that are not JSON, too large, of the wrong types or with control characters with a 4xx', async () => {
    const send = (method: string, p: string, body: string, type = 'application/json') => demo.app.request(p, { method, headers: { 'content-type': type }, body })
    const cases: [string, string, string, string?][] = [
      ['POST', '/api/users', '{"username": '],
      ['POST', '/api/users', JSON.stringify({ username: 'x'.repeat(100_000), password: 'long enough password' })],
      ['POST', '/api/users', `{"username":"${'y'.repeat(300_000)}"}`],
      ['POST', '/api/users', JSON.stringify({ username: 'ok-name', password: 42 })],
      ['POST', '/api/users', JSON.stringify({ username: 'ok-name', password: 'long enough password', displayName: 'a\u0000b' })],
      ['POST', '/api/users', JSON.stringify({ username: 'ok-name', password: 'long enough password', roles: [{ community: 'sf-mission', role: 'king' }] })],
      ['POST', '/api/users', 'username=a&password=b', 'application/x-www-form-urlencoded'],
      ['PATCH', '/api/users/test-outsider', JSON.stringify({ unknownField: true })],
      ['PUT', '/api/session/password', JSON.stringify({ currentPassword: '', newPassword: 'short' })],
      ['POST', '/api/session', JSON.stringify({ username: "' or 1=1 --", password: 'x'.repeat(5000) })],
      // planning: malformed JSON, wrong types, control characters, shapes PostGIS cannot read, a huge geometry
      ['POST', '/api/communities/sf-mission/teams', '{"name": '],
      ['POST', '/api/communities/sf-mission/teams', JSON.stringify({ name: 'line\nbreak', kind: 'volunteer' })],
      ['POST', '/api/communities/sf-mission/teams', JSON.stringify({ name: 42, kind: 'volunteer' })],
      ['POST', '/api/communities/sf-mission/zones', JSON.stringify({ code: 'G90', name: 'x', geometry: { type: 'Polygon', coordinates: [[['a', 'b']]] } })],
      ['POST', '/api/communities/sf-mission/zones', JSON.stringify({ code: 'G91', name: 'x', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1e308, 1e308], [0, 1], [0, 0]]] } })],
      ['POST', '/api/communities/sf-mission/routes', JSON.stringify({ name: 'x', teamId: 1, geometry: { type: 'LineString', coordinates: Array.from({ length: 30_000 }, (_, i) => [-122.42 + i * 1e-7, 37.765]) } })],
      ['POST', '/api/communities/sf-mission/shifts', JSON.stringify({ routeId: 1, days: ['mon'], start: '25:00', end: '02:00' })],
      ['POST', '/api/communities/sf-mission/plans', JSON.stringify({ changes: [{ entity: 'ship', set: {} }] })],
      ['POST', '/api/communities/sf-mission/plans/preview', JSON.stringify({ changes: Array.from({ length: 201 }, () => ({ entity: 'team', set: { name: 'x', kind: 'police' } })) })],
      ['PATCH', '/api/communities/sf-mission/teams/1', JSON.stringify({ members: 3 }), 'application/json'],
      // members, reverts, the patrol log and snapping
      ['POST', '/api/communities/sf-mission/members', JSON.stringify({ teamId: 1, name: 'x', phone: 'a\u0007b' })],
      ['POST', '/api/communities/sf-mission/members', JSON.stringify({ teamId: 'one', name: 'x' })],
      ['POST', '/api/communities/sf-mission/members', JSON.stringify({ teamId: 1, name: 'x', shiftIds: Array.from({ length: 51 }, (_, i) => i + 1) })],
      ['POST', '/api/communities/sf-mission/teams/1/history/abc/revert', '{}'],
      ['POST', '/api/communities/sf-mission/teams/1/history/1e400/revert', '{}'],
      ['POST', '/api/communities/sf-mission/patrols', '{"routeId": '],
      ['POST', '/api/communities/sf-mission/patrols', JSON.stringify({ routeId: 1, date: '0000-01-01', start: '22:00', end: '06:00' })],
      ['POST', '/api/communities/sf-mission/patrols', JSON.stringify({ routeId: 1, date: '2018-12-01', start: '22:00', end: '06:00', memberIds: Array.from({ length: 201 }, (_, i) => i + 1) })],
      ['POST', '/api/communities/sf-mission/patrols', JSON.stringify({ routeId: 1e20, date: '2018-12-01', start: '22:00', end: '06:00' })],
      ['POST', '/api/communities/sf-mission/patrols', JSON.stringify({ routeId: 1, date: '2018-12-01', start: '22:00', end: '06:00', sourceId: 'x'.repeat(201) })],
      ['DELETE', '/api/communities/sf-mission/patrols/-1', ''],
      ['POST', '/api/communities/sf-mission/routes/snap', JSON.stringify({ geometry: { type: 'LineString', coordinates: [[0, 0], [1e308, 1e308]] } })],
      ['POST', '/api/communities/sf-mission/routes/snap', JSON.stringify({ geometry: { type: 'LineString', coordinates: [[-122.42, 37.76], [-122.41, 37.76, 'z']] } })],
      ['POST', '/api/communities/sf-mission/routes/snap', JSON.stringify({ geometry: { type: 'LineString', coordinates: 'nope' } })],
      // filing a briefing (issue 13): malformed, a title too long or with control characters, a period backwards, a field it does not know
      ['POST', '/api/communities/sf-mission/briefings', '{"from": '],
      ['POST', '/api/communities/sf-mission/briefings', JSON.stringify({ from: '2012-10-01', to: '2012-10-31', title: 'x'.repeat(100_000) })],
      ['POST', '/api/communities/sf-mission/briefings', JSON.stringify({ from: '2012-10-01', to: '2012-10-31', title: 'a\u0000b' })],
      ['POST', '/api/communities/sf-mission/briefings', JSON.stringify({ from: '2012-10-31', to: '2012-10-01' })],
      ['POST', '/api/communities/sf-mission/briefings', JSON.stringify({ from: '2012-10-01', to: '2012-10-31', pack: {} })],
    ]
    for (const [method, p, body, type] of cases) {
      const res = await send(method, p, body, type)
      expect(res.status, `${method} ${p} ${body.slice(0, 60)}`).toBeGreaterThanOrEqual(400)
      expect(res.status).toBeLessThan(500)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBeTruthy()
    }
  })
})
