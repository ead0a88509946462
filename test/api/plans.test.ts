/**
 * Planning writes (issue 11): zones, routes, shifts, teams and captains through the API, in both
 * database modes — validation, versions (If-Match, 409 with the current row), roles, audit and
 * history, drafts saved whole or not at all, and previews that answer exactly what the saved plan
 * then answers while changing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EditAnswerSchema, ErrorBodySchema, PlanAnswerSchema } from '../../server/src/contract.js'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'

type Json = Record<string, unknown>
interface Edit {
  entity: string
  id: number
  version: number | null
  row: Json | null
  warnings: { code: string; message: string; details?: Json }[]
}
interface ErrorAnswer {
  error: { code: string; message: string; details?: Json }
}

// A short line along 16th St between Valencia and Mission (inside the demo community).
const LINE = { type: 'LineString', coordinates: [[-122.4216, 37.7649], [-122.4196, 37.765]] }
// A square well inside G07 (13th–16th St · Valencia St–South Van Ness Ave).
const INSIDE_G07 = { type: 'Polygon', coordinates: [[[-122.4205, 37.7665], [-122.4195, 37.7665], [-122.4195, 37.7672], [-122.4205, 37.7672], [-122.4205, 37.7665]]] }

describe.each(testModes())('planning in %s mode', (mode) => {
  let demo: DemoHandle
  beforeAll(async () => {
    demo = await openDemo(mode)
  })
  afterAll(() => demo.close())

  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, who: Parameters<DemoHandle['as']>[0] = 'planner') => {
    const res = await demo.as(who).request(`/api/communities/sf-mission${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: res.status, etag: res.headers.get('etag'), body: (await res.json()) as Json }
  }
  const auditCount = async () => Number((await demo.sql<{ n: number }[]>`select count(*)::int as n from audit_log where entity in ('zone', 'route', 'shift', 'team', 'captain')`)[0]!.n)

  it('creates a team and a route with a night shift, reads them back with their version as ETag, and audits both', async () => {
    const before = await auditCount()
    const team = await send('POST', '/teams', { name: '夜巡志愿队', names: { zh: '夜巡志愿队', en: 'Night Volunteers' }, kind: 'volunteer', members: 6, phone: '415-555-0199' })
    expect(team.status).toBe(201)
    expect(team.etag).toBe('"1"')
    const teamId = (team.body as unknown as Edit).id
    const route = await send('POST', '/routes', { name: '16th St night', teamId, reachM: 120, geometry: LINE, shifts: [{ days: [5, 6], start: '22:00', end: '02:00' }] })
    expect(route.status).toBe(201)
    const edit = route.body as unknown as Edit
    expect(EditAnswerSchema.safeParse(route.body).success).toBe(true)
    expect(edit.row).toMatchObject({ name: '16th St night', teamId, reachM: 120, version: 1, shifts: [{ days: [5, 6], start: '22:00', end: '02:00', version: 1 }] })
    const read = await send('GET', `/routes/${edit.id}`)
    expect(read).toMatchObject({ status: 200, etag: '"1"' })
    expect(read.body.geometry).toMatchObject({ type: 'LineString' })
    // the layer shows it at once, with its reach kept by the database
    const layer = (await (await demo.app.request('/api/communities/sf-mission/layers/routes')).json()) as { features: { properties: Json }[] }
    expect(layer.features.find((f) => f.properties.id === edit.id)?.properties).toMatchObject({ teamName: '夜巡志愿队', reachM: 120 })
    expect(await auditCount()).toBe(before + 2)
    const history = await send('GET', `/routes/${edit.id}/history`)
    expect((history.body.entries as Json[]).map((e) => [e.action, e.username])).toEqual([['route_created', 'demo-planner']])
  })

  it('changes a row only on the version it was read at: 428 without If-Match, 409 with the current row on a stale one', async () => {
    const created = (await send('POST', '/teams', { name: 'Versioned team', kind: 'security' })).body as unknown as Edit
    const path = `/teams/${created.id}`
    expect((await send('PATCH', path, { members: 3 })).status).toBe(428)
    const first = await send('PATCH', path, { members: 3 }, { 'if-match': '"1"' })
    expect(first).toMatchObject({ status: 200, etag: '"2"' })
    const stale = await send('PATCH', path, { members: 9 }, { 'if-match': '"1"' })
    expect(stale.status).toBe(409)
    const error = (stale.body as unknown as ErrorAnswer).error
    expect(error.code).toBe('version_conflict')
    expect(ErrorBodySchema.safeParse(stale.body).success).toBe(true)
    expect(error.details!.current).toMatchObject({ id: created.id, members: 3, version: 2 })
    // nothing of the stale change landed
    expect((await send('GET', path)).body).toMatchObject({ members: 3, version: 2 })
    // deleting needs the version too
    expect((await send('DELETE', path, undefined, { 'if-match': 'W/"1"' })).status).toBe(409)
    expect((await send('DELETE', path, undefined, { 'if-match': 'W/"2"' })).status).toBe(200)
    expect((await send('GET', path)).status).toBe(404)
  })

  it('lets exactly one of two planners who change the same route at once win; the other gets 409 and loses nothing silently', async () => {
    const route = (await send('GET', '/routes/1')).body
    const version = String(route.version)
    const [a, b] = await Promise.all([
      send('PATCH', '/routes/1', { reachM: 140 }, { 'if-match': version }),
      send('PATCH', '/routes/1', { name: 'Renamed meanwhile' }, { 'if-match': version }),
    ])
    expect([a.status, b.status].sort()).toEqual([200, 409])
    const now = (await send('GET', '/routes/1')).body
    expect(now.version).toBe(Number(version) + 1)
    // exactly the winner's change is there
    if (a.status === 200) expect(now).toMatchObject({ reachM: 140, name: route.name })
    else expect(now).toMatchObject({ reachM: route.reachM, name: 'Renamed meanwhile' })
  })

  it('refuses bad input with 4xx and changes nothing', async () => {
    const before = await auditCount()
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/shifts', { routeId: 1, days: [1], start: '22:00', end: '22:00' }, 400, 'invalid_parameter'],
      ['POST', '/shifts', { routeId: 1, days: [0, 8], start: '22:00', end: '02:00' }, 400, 'invalid_parameter'],
      ['POST', '/shifts', { routeId: 99999, days: [1], start: '22:00', end: '02:00' }, 400, 'invalid_parameter'],
      ['POST', '/routes', { name: 'far away', teamId: 1, geometry: { type: 'LineString', coordinates: [[-122.5, 37.7], [-122.49, 37.7]] } }, 400, 'invalid_geometry'],
      ['POST', '/routes', { name: 'a point', teamId: 1, geometry: { type: 'LineString', coordinates: [[-122.42, 37.765], [-122.42, 37.765]] } }, 400, 'invalid_geometry'],
      ['POST', '/routes', { name: 'no team', geometry: LINE }, 400, 'invalid_parameter'],
      ['POST', '/teams', { name: 'x', kind: 'army' }, 400, 'invalid_parameter'],
      ['POST', '/teams', { name: '米慎义务巡防队', kind: 'volunteer' }, 409, 'conflict'],
      ['POST', '/zones', { code: 'G99', name: 'overlapping', geometry: INSIDE_G07 }, 409, 'zones_overlap'],
      ['POST', '/zones', { code: 'G98', name: 'outside', geometry: { type: 'Polygon', coordinates: [[[-122.5, 37.7], [-122.49, 37.7], [-122.49, 37.71], [-122.5, 37.7]]] } }, 400, 'invalid_geometry'],
      ['POST', '/captains', { name: 'Nobody', buildingIds: [999999] }, 400, 'invalid_parameter'],
      ['POST', '/captains', { name: 'Extra', unknownField: 1 }, 400, 'invalid_parameter'],
      ['PATCH', '/zones/1', { teamId: 99999 }, 428, 'precondition_required'],
    ]
    for (const [method, path, body, status, code] of cases) {
      const res = await send(method, path, body)
      expect([res.status, (res.body as unknown as ErrorAnswer).error?.code], `${method} ${path} ${JSON.stringify(body)}`).toEqual([status, code])
    }
    for (const tag of ['abc', '"1', 'W/""', '1.5'])
      expect((await send('PATCH', '/teams/1', { members: 1 }, { 'if-match': tag })).body.error, tag).toMatchObject({ code: 'invalid_parameter' })
    expect((await send('POST', '/teams', { name: 'tab\there', kind: 'volunteer' })).status).toBe(400)
    const overlap = (await send('POST', '/zones', { code: 'G99', name: 'overlapping', geometry: INSIDE_G07 })).body as unknown as ErrorAnswer
    expect(overlap.error.details!.zones).toEqual([expect.objectContaining({ code: 'G07', overlap: expect.objectContaining({ type: expect.stringMatching(/Polygon/) }) })])
    expect((overlap.error.details!.zones as { overlapM2: number }[])[0]!.overlapM2).toBeGreaterThan(5000)
    expect(await auditCount()).toBe(before)
  })

  it('refuses writes to viewers, mediators and care workers, and to anyone outside the community', async () => {
    for (const who of ['viewer', 'mediator', 'care'] as const) expect((await send('POST', '/teams', { name: `by ${who}`, kind: 'volunteer' }, {}, who)).status).toBe(403)
    expect((await send('POST', '/teams', { name: 'by outsider', kind: 'volunteer' }, {}, 'outsider')).status).toBe(404)
    expect((await send('POST', '/teams', { name: 'by nobody', kind: 'volunteer' }, {}, 'anonymous')).status).toBe(401)
  })

  it('assigns buildings to a captain, taking them from their old captain, and warns above the load limit', async () => {
    const old = (await send('GET', '/captains/1')).body
    const taken = (old.buildingIds as number[]).slice(0, 2)
    const created = await send('POST', '/captains', { name: '新楼长', names: { en: 'New Captain' }, phone: '415-555-0150', buildingIds: taken })
    expect(created.status).toBe(201)
    expect((created.body as unknown as Edit).row).toMatchObject({ buildingIds: [...taken].sort((a, b) => a - b), active: true })
    const oldNow = (await send('GET', '/captains/1')).body
    expect(oldNow.buildingIds).toEqual((old.buildingIds as number[]).slice(2))
    // the buildings layer says who looks after them now
    const layer = (await (await demo.app.request('/api/communities/sf-mission/layers/buildings?limit=50000&lang=en')).json()) as { features: { properties: Json }[] }
    expect(layer.features.find((f) => f.properties.id === taken[0])?.properties.captainName).toBe('New Captain')
    const many = (await demo.sql<{ id: number }[]>`select building_id as id from captain_buildings order by building_id limit 20`).map((r) => Number(r.id))
    const overloaded = await send('PATCH', `/captains/${(created.body as unknown as Edit).id}`, { buildingIds: [...new Set([...taken, ...many])] }, { 'if-match': '"1"' })
    expect(overloaded.status).toBe(200)
    expect((overloaded.body as unknown as Edit).warnings.map((w) => w.code)).toEqual(['captain_over_limit'])
  })

  it('reshapes a zone: shrinking it leaves part of the community in no zone (a warning), and its buildings move to the zone now holding them', async () => {
    const zone = (await send('GET', '/zones/5')).body
    const buildingsBefore = ((await (await demo.app.request('/api/communities/sf-mission/zones/5/figures')).json()) as { buildings: number }).buildings
    // a disc of 30 m around a point inside G05: the rest of G05 is left in no zone
    const [{ disc }] = (await demo.sql`select ST_AsGeoJSON(ST_Buffer(ST_PointOnSurface(geom)::geography, 30)::geometry, 7)::jsonb as disc from grid_zones where id = 5`) as unknown as [{ disc: Json }]
    const shrunk = await send('PATCH', '/zones/5', { geometry: disc }, { 'if-match': String(zone.version) })
    expect(shrunk.status).toBe(200)
    expect((shrunk.body as unknown as Edit).warnings.map((w) => w.code)).toEqual(['boundary_uncovered'])
    // buildings in no zone now count in the nearest one — the stored zone of each follows the new shape at once
    const figures = (await (await demo.app.request('/api/communities/sf-mission/zones/5/figures')).json()) as { buildings: number }
    expect(figures.buildings).toBeLessThan(buildingsBefore)
  })

  it('previews a draft without saving it, and the saved draft then answers exactly what the preview said', async () => {
    // route 3 walks 16th St on Thursday to Saturday nights; the draft adds every night
    const route = (await send('GET', '/routes/3')).body
    const draft = { changes: [{ entity: 'route', id: 3, version: route.version, set: { shifts: [...(route.shifts as Json[]).map(({ days, start, end }) => ({ days, start, end })), { days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '02:00' }] } }] }
    const before = await auditCount()
    const coverageNow = await (await demo.app.request('/api/communities/sf-mission/coverage?network=patrol&hours=22-02&weekdays=1')).json()
    const preview = await send('POST', '/plans/preview?hours=22-02&weekdays=1', draft)
    expect(preview.status).toBe(200)
    const diff = preview.body.differences as { patrol: { total: { before: Json; after: Json } } }
    expect(diff.patrol.total.after.areaCoveredPct as number).toBeGreaterThan(diff.patrol.total.before.areaCoveredPct as number)
    // where coverage grows, as PostGIS draws it: the area added less the area taken is the change in covered area
    const change = (preview.body.differences as { coverage: { added: { areaM2: number; geometry: { type: string } } | null; removed: { areaM2: number } | null } }).coverage
    const metaOf = (side: 'before' | 'after') => (preview.body[side] as { patrol: { coveredM2: number } }).patrol
    expect(change.added!.geometry.type).toMatch(/Polygon/)
    expect(change.added!.areaM2 - (change.removed?.areaM2 ?? 0)).toBeCloseTo(metaOf('after').coveredM2 - metaOf('before').coveredM2, -1)
    // nothing was saved: the route, the coverage and the audit log are as they were
    expect((await send('GET', '/routes/3')).body).toEqual(route)
    expect(await (await demo.app.request('/api/communities/sf-mission/coverage?network=patrol&hours=22-02&weekdays=1')).json()).toEqual(coverageNow)
    expect(await auditCount()).toBe(before)
    // saving the draft answers what the preview said
    const saved = await send('POST', '/plans', draft)
    expect(saved.status).toBe(200)
    expect(PlanAnswerSchema.safeParse(saved.body).success).toBe(true)
    const coverageAfter = (await (await demo.app.request('/api/communities/sf-mission/coverage?network=patrol&hours=22-02&weekdays=1')).json()) as { meta: Json }
    // the same SQL on the same rows: counts equal, areas equal up to the order PostGIS unions the buffers in
    expectSame(coverageAfter.meta, (preview.body.after as { patrol: Json }).patrol)
    expect(await auditCount()).toBe(before + 1)
  })

  it('saves a draft whole or not at all, and says which change failed', async () => {
    const before = await auditCount()
    const draft = {
      changes: [
        { entity: 'team', set: { name: 'Draft team', kind: 'police' } },
        { entity: 'shift', set: { routeId: 1, days: [2], start: '06:00', end: '06:00' } },
      ],
    }
    const res = await send('POST', '/plans', draft)
    expect(res.status).toBe(400)
    expect((res.body as unknown as ErrorAnswer).error.message).toMatch(/^change 2 \(shift\)/)
    expect(await auditCount()).toBe(before)
    expect((await demo.sql`select 1 from patrol_teams where name = 'Draft team'`).length).toBe(0)
  })
})

/** Deep equality, numbers equal to 1e-12 relative (float sums of the same pieces in another order). */
function expectSame(actual: unknown, expected: unknown, path = ''): void {
  if (typeof actual === 'number' && typeof expected === 'number') {
    expect(Math.abs(actual - expected), path).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)))
    return
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    expect(actual.length, path).toBe(expected.length)
    actual.forEach((a, i) => expectSame(a, expected[i], `${path}[${i}]`))
    return
  }
  if (actual !== null && expected !== null && typeof actual === 'object' && typeof expected === 'object') {
    expect(Object.keys(actual).sort(), path).toEqual(Object.keys(expected).sort())
    for (const k of Object.keys(expected)) expectSame((actual as Json)[k], (expected as Json)[k], `${path}.${k}`)
    return
  }
  expect(actual, path).toEqual(expected)
}
