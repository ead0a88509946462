import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ACCESS, type Access } from '../../server/src/access.js'
import { PLAN_ENTITIES, ROLES, type Role } from '../../server/src/contract.js'
import { clientFor, TEST_OUTSIDER, TEST_PASSWORD, type Client } from '../support/clients.js'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'

type Caller = Role | 'system-admin' | 'outsider' | 'anonymous'
const CALLERS: Caller[] = ['anonymous', 'outsider', 'system-admin', ...ROLES]

/**
 * One request for every route of the app (keyed as in the access table). A route without a sample
 * here fails the first test, as does one without a line in server/src/access.ts. `ok`: the status
 * of an allowed call (default 200).
 */
interface Sample {
  path: string
  init?: () => RequestInit
  ok?: number
  /** the status for a caller, when the access table alone does not say it */
  expect?: (caller: Caller) => number | undefined
}

/** A 404 of the route itself (not_found, below) for the roles allowed, as the table says for the others. */
const notInHistory = (caller: Caller): number | undefined => (caller === 'admin' || caller === 'planner' || caller === 'system-admin' ? 404 : undefined)

const json = (method: string, body: unknown) => () => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
let created = 0

const SAMPLES: Record<string, Sample> = {
  'GET /api/health': { path: '/api/health' },
  'GET /api/openapi.json': { path: '/api/openapi.json' },
  'POST /api/session': { path: '/api/session', init: json('POST', { username: 'demo-viewer', password: TEST_PASSWORD }), ok: 204 },
  'GET /api/session': { path: '/api/session' },
  'DELETE /api/session': { path: '/api/session', init: () => ({ method: 'DELETE' }), ok: 204 },
  // a wrong current password: the route is reached (400), nothing changes
  'PUT /api/session/password': { path: '/api/session/password', init: json('PUT', { currentPassword: 'not the password', newPassword: 'a brand new password' }), ok: 400 },
  'GET /api/users': { path: '/api/users' },
  'POST /api/users': { path: '/api/users', init: () => json('POST', { username: `matrix-${++created}-${Date.now()}`, password: TEST_PASSWORD, roles: [] })(), ok: 201 },
  'PATCH /api/users/:username': { path: `/api/users/${TEST_OUTSIDER}`, init: json('PATCH', { displayName: 'Test outsider' }) },
  'DELETE /api/users/:username/sessions': { path: '/api/users/matrix-nobody/sessions', init: () => ({ method: 'DELETE' }), ok: 404 },
  'GET /api/audit': {
    path: '/api/audit?community=sf-mission',
    // system administrators and the community's own admin read it; other users may not
    expect: (caller) => (caller === 'anonymous' ? 401 : caller === 'system-admin' || caller === 'admin' ? 200 : 403),
  },
  'GET /api/communities': { path: '/api/communities' },
  'GET /api/communities/:id': { path: '/api/communities/sf-mission' },
  'GET /api/communities/:id/layers/:layer': { path: '/api/communities/sf-mission/layers/incidents' },
  'GET /api/communities/:id/incidents/summary': { path: '/api/communities/sf-mission/incidents/summary' },
  'GET /api/communities/:id/incidents/period': { path: '/api/communities/sf-mission/incidents/period' },
  'GET /api/communities/:id/search': { path: '/api/communities/sf-mission/search?q=G0' },
  'GET /api/communities/:id/zones/:zoneId/figures': { path: '/api/communities/sf-mission/zones/7/figures' },
  'GET /api/communities/:id/buildings/:buildingId/figures': { path: '/api/communities/sf-mission/buildings/2/figures' },
  'GET /api/communities/:id/hotspots': { path: '/api/communities/sf-mission/hotspots' },
  'GET /api/communities/:id/coverage': { path: '/api/communities/sf-mission/coverage' },
  'GET /api/communities/:id/gaps': { path: '/api/communities/sf-mission/gaps' },
  'GET /tiles/:layer/:z/:x/:y': { path: '/tiles/incidents/14/2620/6333.mvt?community=sf-mission' },
  // planning: requests that reach the route and change nothing (an empty draft, a missing or stale version)
  'POST /api/communities/:id/plans': { path: '/api/communities/sf-mission/plans', init: json('POST', { changes: [] }), ok: 400 },
  'POST /api/communities/:id/plans/preview': { path: '/api/communities/sf-mission/plans/preview', init: json('POST', { changes: [] }), ok: 400 },
  // patrols: a snap, a patrol on a route that does not exist and a deletion of one that does not (nothing changes), the log, the summary, a roster
  'POST /api/communities/:id/routes/snap': {
    path: '/api/communities/sf-mission/routes/snap',
    init: json('POST', { geometry: { type: 'LineString', coordinates: [[-122.42205, 37.76695], [-122.42185, 37.76395]] } }),
  },
  'POST /api/communities/:id/patrols': { path: '/api/communities/sf-mission/patrols', init: json('POST', { routeId: 999999, date: '2018-12-01', start: '22:00', end: '06:00' }), ok: 400 },
  'GET /api/communities/:id/patrols': { path: '/api/communities/sf-mission/patrols?from=2018-12-01&to=2018-12-31&limit=5' },
  'DELETE /api/communities/:id/patrols/:patrolId': { path: '/api/communities/sf-mission/patrols/999999999', init: () => ({ method: 'DELETE' }), ok: 404, expect: notInHistory },
  'GET /api/communities/:id/patrols/summary': { path: '/api/communities/sf-mission/patrols/summary?from=2018-12-01&to=2018-12-31' },
  'GET /api/communities/:id/teams/:teamId/roster': { path: '/api/communities/sf-mission/teams/1/roster' },
  // the people side (issue 12): reads of the demo's rows, writes that reach the route and change nothing
  'GET /api/communities/:id/disputes': { path: '/api/communities/sf-mission/disputes' },
  'POST /api/communities/:id/disputes': { path: '/api/communities/sf-mission/disputes', init: json('POST', {}), ok: 400 },
  'GET /api/communities/:id/disputes/figures': { path: '/api/communities/sf-mission/disputes/figures?from=2012-07-01&to=2012-12-31' },
  'GET /api/communities/:id/disputes/warnings': { path: '/api/communities/sf-mission/disputes/warnings?asOf=2012-12-31' },
  'GET /api/communities/:id/disputes/escalations': { path: '/api/communities/sf-mission/disputes/escalations' },
  'POST /api/communities/:id/disputes/escalations': { path: '/api/communities/sf-mission/disputes/escalations', init: json('POST', {}), ok: 400 },
  'GET /api/communities/:id/disputes/:disputeId': { path: '/api/communities/sf-mission/disputes/1' },
  'PATCH /api/communities/:id/disputes/:disputeId': { path: '/api/communities/sf-mission/disputes/1', init: json('PATCH', {}), ok: 428 },
  'GET /api/communities/:id/disputes/:disputeId/history': { path: '/api/communities/sf-mission/disputes/1/history' },
  'POST /api/communities/:id/disputes/:disputeId/follow-ups': { path: '/api/communities/sf-mission/disputes/1/follow-ups', init: json('POST', {}), ok: 400 },
  'GET /api/communities/:id/problems': { path: '/api/communities/sf-mission/problems' },
  'POST /api/communities/:id/problems': { path: '/api/communities/sf-mission/problems', init: json('POST', {}), ok: 400 },
  'GET /api/communities/:id/problems/:problemId': { path: '/api/communities/sf-mission/problems/1' },
  'PATCH /api/communities/:id/problems/:problemId': { path: '/api/communities/sf-mission/problems/1', init: json('PATCH', {}), ok: 428 },
  'GET /api/communities/:id/problems/:problemId/history': { path: '/api/communities/sf-mission/problems/1/history' },
  'POST /api/communities/:id/problems/:problemId/notes': { path: '/api/communities/sf-mission/problems/1/notes', init: json('POST', {}), ok: 400 },
  'GET /api/communities/:id/care': { path: '/api/communities/sf-mission/care' },
  'POST /api/communities/:id/care': { path: '/api/communities/sf-mission/care', init: json('POST', {}), ok: 400 },
  'GET /api/communities/:id/care/counts': { path: '/api/communities/sf-mission/care/counts' },
  'GET /api/communities/:id/care/:fileId': { path: '/api/communities/sf-mission/care/1' },
  'PATCH /api/communities/:id/care/:fileId': { path: '/api/communities/sf-mission/care/1', init: json('PATCH', {}), ok: 428 },
  'POST /api/communities/:id/care/:fileId/visits': { path: '/api/communities/sf-mission/care/1/visits', init: json('POST', {}), ok: 400 },
  'GET /api/communities/:id/disputes/deadline': { path: '/api/communities/sf-mission/disputes/deadline' },
  'PUT /api/communities/:id/disputes/deadline': { path: '/api/communities/sf-mission/disputes/deadline', init: () => ({ ...json('PUT', { days: 30 })(), headers: { 'content-type': 'application/json', 'if-match': '"999"' } }), ok: 409 },
  // the meeting pack (issue 13): a week's pack and its CSV, the sample targets, a write with a stale version (nothing changes)
  'GET /api/communities/:id/briefing': { path: '/api/communities/sf-mission/briefing?from=2012-11-01&to=2012-11-07' },
  // the spreadsheets reach their routes and stop at the period (backwards): the pack itself is the JSON route's, above
  'GET /api/communities/:id/briefing.csv': { path: '/api/communities/sf-mission/briefing.csv?from=2012-11-07&to=2012-11-01', ok: 400 },
  'GET /api/communities/:id/briefing.xlsx': { path: '/api/communities/sf-mission/briefing.xlsx?from=2012-11-07&to=2012-11-01', ok: 400 },
  'GET /api/communities/:id/targets/:year': { path: '/api/communities/sf-mission/targets/2012' },
  'PUT /api/communities/:id/targets/:year': { path: '/api/communities/sf-mission/targets/2012', init: () => ({ ...json('PUT', { stage: 'create', targets: {} })(), headers: { 'content-type': 'application/json', 'if-match': '"999"' } }), ok: 409 },
  // filed briefings (issue 13): a filing that reaches the route and files nothing (no period), the list, and reads that reach the routes (a malformed id)
  'POST /api/communities/:id/briefings': { path: '/api/communities/sf-mission/briefings', init: json('POST', {}), ok: 400 },
  'GET /api/communities/:id/briefings': { path: '/api/communities/sf-mission/briefings' },
  'GET /api/communities/:id/briefings/:briefingId': { path: '/api/communities/sf-mission/briefings/0', ok: 400 },
  'GET /api/communities/:id/briefings/:briefingId{.+\\.csv}': { path: '/api/communities/sf-mission/briefings/0.csv', ok: 400 },
  'GET /api/communities/:id/briefings/:briefingId{.+\\.xlsx}': { path: '/api/communities/sf-mission/briefings/0.xlsx', ok: 400 },

  // issue 10: a new community for each system administrator's call (others are refused before anything is read)
  'POST /api/communities': {
    path: '/api/communities',
    init: () => json('POST', { id: `matrix-${++created}-${Date.now()}`, name: 'Matrix', timeZone: 'Asia/Shanghai', boundary: { type: 'Polygon', coordinates: [[[121.4, 31.2], [121.41, 31.2], [121.41, 31.21], [121.4, 31.2]]] } })(),
    ok: 201,
  },
  // a dry run of a one-row file (nothing changes) and the list of imports
  'POST /api/communities/:id/imports': {
    path: '/api/communities/sf-mission/imports?layer=incidents',
    init: () => ({ method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'id,category,occurred_at,lon,lat\nA-1,THEFT,2024-05-01 10:00,-122.418,37.765\n' }),
  },
  'GET /api/communities/:id/imports': { path: '/api/communities/sf-mission/imports' },
  ...Object.fromEntries(
    PLAN_ENTITIES.flatMap((e): [string, Sample][] => [
      [`GET /api/communities/:id/${e}s/:itemId`, { path: `/api/communities/sf-mission/${e}s/1` }],
      [`GET /api/communities/:id/${e}s/:itemId/history`, { path: `/api/communities/sf-mission/${e}s/1/history` }],
      // a change that is not in the row's history: the route is reached (404), nothing changes
      [`POST /api/communities/:id/${e}s/:itemId/history/:auditId/revert`, { path: `/api/communities/sf-mission/${e}s/1/history/999999999/revert`, init: json('POST', {}), ok: 404, expect: notInHistory }],
      [`POST /api/communities/:id/${e}s`, { path: `/api/communities/sf-mission/${e}s`, init: json('POST', {}), ok: 400 }],
      [`PATCH /api/communities/:id/${e}s/:itemId`, { path: `/api/communities/sf-mission/${e}s/1`, init: json('PATCH', {}), ok: 428 }],
      [
        `DELETE /api/communities/:id/${e}s/:itemId`,
        { path: `/api/communities/sf-mission/${e}s/1`, init: () => ({ method: 'DELETE', headers: { 'if-match': '"999"' } }), ok: 409 },
      ],
    ]),
  ),
  // export (issue 10): a layer file, access tokens (an issue, the list, a revocation that reaches the route), OGC API – Features
  'GET /api/communities/:id/export/:file': { path: '/api/communities/sf-mission/export/incidents.csv' },
  'POST /api/users/:username/tokens': { path: `/api/users/${TEST_OUTSIDER}/tokens`, init: json('POST', { name: 'access matrix' }), ok: 201 },
  'GET /api/users/:username/tokens': { path: `/api/users/${TEST_OUTSIDER}/tokens` },
  'DELETE /api/users/:username/tokens/:tokenId': { path: '/api/users/matrix-nobody/tokens/1', init: () => ({ method: 'DELETE' }), ok: 404 },
  'GET /ogc': { path: '/ogc' },
  'GET /ogc/conformance': { path: '/ogc/conformance' },
  'GET /ogc/api': { path: '/ogc/api' },
  'GET /ogc/collections': { path: '/ogc/collections' },
  // a collection names its community: an outsider gets 404, as for `:id`
  'GET /ogc/collections/:collectionId': { path: '/ogc/collections/sf-mission-zones', expect: (caller) => (caller === 'outsider' ? 404 : undefined) },
  'GET /ogc/collections/:collectionId/items': { path: '/ogc/collections/sf-mission-incidents/items', expect: (caller) => (caller === 'outsider' ? 404 : undefined) },
  'GET /ogc/collections/:collectionId/items/:featureId': { path: '/ogc/collections/sf-mission-zones/items/7', expect: (caller) => (caller === 'outsider' ? 404 : undefined) },
  'GET /api/communities/:id/boundary': { path: '/api/communities/sf-mission/boundary' },
}

/** What the access table says a caller gets from a route: the sample's ok status, 401, 403 or 404. */
function expected(access: Access, sample: Sample, caller: Caller): number {
  const special = sample.expect?.(caller)
  if (special !== undefined) return special
  const ok = sample.ok ?? 200
  if (access.who === 'public') return ok
  if (caller === 'anonymous') return 401
  if (access.who === 'user') return ok
  if (access.who === 'system-admin') return caller === 'system-admin' ? ok : 403
  if (caller === 'system-admin') return ok
  if (caller === 'outsider') return 404 // a community they have no role in does not exist for them
  return access.who.includes(caller) ? ok : 403
}

describe.each(testModes())('who may call what, in %s mode', (mode) => {
  let demo: DemoHandle
  let phones: string[]
  beforeAll(async () => {
    demo = await openDemo(mode)
    phones = (await demo.sql<{ phone: string }[]>`select phone from captains where phone is not null union all select phone from team_members where phone is not null`).map((r) => r.phone)
  })
  afterAll(() => demo.close())

  /** A client of its own for each call that may end its session (logout), else the shared one. */
  const clientOf = (caller: Caller, route: string): Client => {
    if (route !== 'DELETE /api/session' || caller === 'anonymous') return demo.as(caller)
    const username = caller === 'system-admin' ? 'test-admin' : caller === 'outsider' ? TEST_OUTSIDER : `demo-${caller}`
    return clientFor(demo.raw, username)
  }

  it('has a line in the access table and a sample request for every route of the app', () => {
    const routes = demo.raw.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`)
    expect(routes.length).toBeGreaterThan(15)
    for (const route of routes) {
      expect(ACCESS[route], `${route} has no line in server/src/access.ts`).toBeDefined()
      expect(SAMPLES[route], `${route} has no sample request in this test`).toBeDefined()
    }
    expect(Object.keys(ACCESS).sort()).toEqual([...new Set(routes)].sort())
  })

  it.each(Object.keys(SAMPLES))('%s answers every caller as the table says', async (route) => {
    const sample = SAMPLES[route]!
    for (const caller of CALLERS) {
      const res = await clientOf(caller, route).request(sample.path, sample.init?.())
      const want = expected(ACCESS[route]!, sample, caller)
      expect(res.status, `${caller}: ${await res.clone().text().then((t) => t.slice(0, 200))}`).toBe(want)
      if (res.status >= 400) {
        const body = (await res.json()) as { error: { code: string } }
        const routeNotFound = route.startsWith('DELETE /api/users') || route.endsWith('/revert') || route.startsWith('DELETE /api/communities/:id/patrols') || route.endsWith('/briefing.xlsx')
        const notFound = routeNotFound && caller !== 'outsider' ? 'not_found' : 'community_not_found'
        expect(body.error.code).toBe({ 400: 'invalid_parameter', 401: 'unauthorized', 403: 'forbidden', 404: notFound, 409: 'version_conflict', 428: 'precondition_required' }[res.status])
      }
    }
  })

  it('shows a viewer incidents only as counts per zone, and the same total', async () => {
    const exact = (await (await demo.as('planner').request('/api/communities/sf-mission/layers/incidents?limit=50000')).json()) as { features: { id: number; properties: Record<string, unknown> }[] }
    for (const role of ['viewer', 'care'] as const) {
      const res = await demo.as(role).request('/api/communities/sf-mission/layers/incidents?limit=50000')
      const body = (await res.json()) as { meta: { aggregated?: string }; features: { properties: Record<string, unknown> }[] }
      expect(body.meta.aggregated).toBe('zone')
      for (const f of body.features) expect(Object.keys(f.properties).sort()).toEqual(['breakdown', 'count', 'zoneCode', 'zoneId'])
      expect(body.features.reduce((a, f) => a + (f.properties.count as number), 0)).toBe(exact.features.length)
    }
    expect(exact.features[0]!.properties).toHaveProperty('description')
  })

  it('gives a viewer incident tiles of counts at cell centres, never an incident, its id or its address', async () => {
    const path = '/tiles/incidents/15/5241/12666.mvt?community=sf-mission'
    const decode = async (client: Client) => {
      const res = await client.request(path)
      expect(res.status).toBe(200)
      const layer = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer()))).layers.incidents!
      return Array.from({ length: layer.length }, (_, i) => layer.feature(i))
    }
    const planner = await decode(demo.as('planner'))
    const viewer = await decode(demo.as('viewer'))
    expect(planner.some((f) => f.id !== undefined && f.properties.address !== undefined)).toBe(true)
    expect(viewer.length).toBeGreaterThan(0)
    for (const f of viewer) {
      expect(f.id).toBeUndefined()
      expect(f.properties.cluster).toBe(true)
      expect(f.properties.address).toBeUndefined()
      expect(f.properties.description).toBeUndefined()
    }
    // fewer points than incidents: they were counted together
    expect(viewer.length).toBeLessThan(planner.length)
  })

  it('never sends a viewer or a care worker a phone number, and sends them to planners', async () => {
    expect(phones.length).toBeGreaterThan(10)
    const paths = [
      '/api/communities/sf-mission/layers/captains?limit=50000',
      '/api/communities/sf-mission/layers/buildings?limit=50000',
      '/api/communities/sf-mission/coverage?network=captain',
      '/api/communities/sf-mission/gaps',
      '/api/communities/sf-mission/search?q=a',
      '/api/communities/sf-mission/patrols/summary?from=2018-12-01&to=2018-12-31',
      '/api/communities/sf-mission/coverage?network=patrol&basis=logged&from=2018-12-01&to=2018-12-31',
    ]
    for (const role of ['viewer', 'care'] as const)
      for (const p of paths) {
        const text = await (await demo.as(role).request(p)).text()
        for (const phone of phones) expect(text.includes(phone), `${role} ${p}`).toBe(false)
      }
    const planner = await (await demo.as('planner').request(paths[0]!)).text()
    expect(phones.some((phone) => planner.includes(phone))).toBe(true)
    // team members' phones: in the roster, which only planners and admins may read
    const roster = await (await demo.as('planner').request('/api/communities/sf-mission/teams/1/roster')).text()
    expect(roster).toMatch(/\+1 628-555-015\d/)
    for (const role of ['viewer', 'care', 'mediator'] as const) expect((await demo.as(role).request('/api/communities/sf-mission/teams/1/roster')).status).toBe(403)
  })

  it('refuses a viewer hot spot cells finer than 100 m, and counts in a bbox', async () => {
    expect((await demo.as('viewer').request('/api/communities/sf-mission/hotspots?cell=25')).status).toBe(403)
    expect((await demo.as('viewer').request('/api/communities/sf-mission/hotspots?cell=100')).status).toBe(200)
    expect((await demo.as('planner').request('/api/communities/sf-mission/hotspots?cell=25')).status).toBe(200)
    expect((await demo.as('viewer').request('/api/communities/sf-mission/incidents/summary?bbox=-122.42,37.76,-122.41,37.77')).status).toBe(403)
    const buildings = (await (await demo.as('viewer').request('/api/communities/sf-mission/layers/buildings?limit=5')).json()) as { features: { properties: { incidents: unknown } }[] }
    expect(buildings.features.every((f) => f.properties.incidents === null)).toBe(true)
  })

  it('lists only the communities a user holds a role in, and answers others 404 as if they did not exist', async () => {
    const list = async (c: Client) => ((await (await c.request('/api/communities')).json()) as { communities: { id: string }[] }).communities.map((x) => x.id)
    expect(await list(demo.as('outsider'))).toEqual([])
    expect(await list(demo.as('viewer'))).toEqual(['sf-mission'])
    const missing = await demo.as('outsider').request('/api/communities/sf-mission/layers/zones')
    const nowhere = await demo.as('outsider').request('/api/communities/atlantis/layers/zones')
    expect([missing.status, nowhere.status]).toEqual([404, 404])
    expect(((await missing.json()) as { error: { message: string } }).error.message).toBe('community "sf-mission" does not exist')
  })
})
