/**
 * Patrols (issue 11), in both database modes: team members and the weekly roster (phones only for
 * roles that see them), reverting one audited change, the patrol log (writes audited, imports
 * idempotent, bad input refused with nothing changed), planned against logged patrols checked
 * against an independent count from the sample files, coverage of the patrols done, and snapping
 * a drawn route to the streets.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Feature, LineString } from 'geojson'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SampleMember, SamplePatrol, SampleRouteProps } from '../../fixtures/sample-types.js'
import { ROOT_DIR } from '../../server/src/config.js'
import {
  AuditPageSchema,
  PatrolLogPageSchema,
  PatrolSummarySchema,
  RevertAnswerSchema,
  RosterSchema,
  SnapAnswerSchema,
  type PatrolSummary,
  type Roster,
} from '../../server/src/contract.js'
import { teamRoster } from '../../server/src/db/patrols.js'
import { hasPgRouting } from '../../server/src/db/snap.js'
import { FULL_VIEW } from '../../server/src/http/context.js'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'

type Json = Record<string, any>

const SAMPLE = path.join(ROOT_DIR, 'fixtures/sf-mission/sample')
const read = <T,>(f: string) => JSON.parse(fs.readFileSync(path.join(SAMPLE, f), 'utf8')) as T
const ROUTES = read<{ features: Feature<LineString, SampleRouteProps>[] }>('routes.geojson').features
const LOG = read<SamplePatrol[]>('patrol-log.json')
const MEMBERS = read<SampleMember[]>('team-members.json')

/**
 * Planned and done occurrences of sample route `key` in December 2018, counted here from the sample
 * files — independently of the SQL: each shift × each date whose weekday is one of its days (with
 * `night`, only shifts that run past midnight); done when a logged patrol of the route overlaps it
 * by at least half the shorter of the two.
 */
function independentCounts(key: string, night = false) {
  const min = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3))
  const span = (day: number, start: string, end: string): [number, number] => {
    const a = day * 1440 + min(start)
    return [a, a + ((min(end) - min(start) + 1440) % 1440 || 1440)]
  }
  const route = ROUTES.find((r) => r.properties.key === key)!
  const occ: [number, number][] = []
  for (let d = 1; d <= 31; d++) {
    const iso = ((new Date(Date.UTC(2018, 11, d)).getUTCDay() + 6) % 7) + 1
    for (const s of route.properties.shifts) if (s.days.includes(iso) && (!night || s.end <= s.start)) occ.push(span(d, s.start, s.end))
  }
  const logs = LOG.filter((l) => l.routeKey === key).map((l) => span(Number(l.date.slice(8)), l.start, l.end))
  const match = (a: [number, number], b: [number, number]) => Math.min(a[1], b[1]) - Math.max(a[0], b[0]) >= Math.min(a[1] - a[0], b[1] - b[0]) / 2
  return { planned: occ.length, plannedDone: occ.filter((o) => logs.some((l) => match(l, o))).length, logged: logs.length }
}

// Valencia St between 15th and 17th, clicked about 12 m off the street; and a point far from any street.
const NEAR_VALENCIA = [[-122.42205, 37.76695], [-122.42185, 37.76395]]

describe.each(testModes())('patrols in %s mode', (mode) => {
  let demo: DemoHandle
  beforeAll(async () => {
    demo = await openDemo(mode)
  })
  afterAll(() => demo.close())

  const send = async (method: string, p: string, body?: unknown, headers: Record<string, string> = {}, who: Parameters<DemoHandle['as']>[0] = 'planner') => {
    const res = await demo.as(who).request(`/api/communities/sf-mission${p}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Json }
  }
  const count = async (table: string) => Number((await demo.sql.unsafe(`select count(*)::int as n from ${table}`))[0]!.n)

  it('seeds the sample members with their usual shifts, and shows each team its week with names and phones', async () => {
    expect(await count('team_members')).toBe(MEMBERS.length)
    const police = (await send('GET', '/teams/3/roster?lang=en')).body as Roster
    expect(RosterSchema.safeParse(police).success).toBe(true)
    const sample = MEMBERS.filter((m) => m.teamKey === 'police')
    expect(police.team).toMatchObject({ id: 3, kind: 'police', headcount: 8, listedMembers: sample.length })
    // every shift of the police routes, and on it exactly the sample's members for it
    const shifts = ROUTES.filter((r) => r.properties.teamKey === 'police').flatMap((r) => r.properties.shifts)
    expect(police.shifts).toHaveLength(shifts.length)
    for (const s of police.shifts) {
      const route = ROUTES[s.routeId - 1]!.properties
      const walkers = sample.filter((m) => m.shifts.some((x) => x.routeKey === route.key && x.start === s.start && x.end === s.end && x.days.join() === s.days.join()))
      expect(s.members.map((m) => m.name).sort(), `${route.key} ${s.start}`).toEqual(walkers.map((m) => m.names.en).sort())
      expect(s.members.every((m) => /^\+1 628-555-01\d\d$/.test(m.phone!))).toBe(true)
    }
    expect(police.unassigned.map((m) => m.name)).toEqual([sample[sample.length - 1]!.names.en])
    expect(police.days.map((d) => d.day)).toEqual([1, 2, 3, 4, 5, 6, 7])
    for (const d of police.days) expect(d.shiftIds.sort()).toEqual(police.shifts.filter((s) => s.days.includes(d.day)).map((s) => s.id).sort())
    // the roster is the office's: planners and admins only; nothing for a team that is not there
    for (const who of ['viewer', 'mediator', 'care'] as const) expect((await send('GET', '/teams/3/roster', undefined, {}, who)).status).toBe(403)
    expect((await send('GET', '/teams/999/roster')).status).toBe(404)
  })

  it('leaves phone numbers out of the roster in SQL for a view without phones', async () => {
    const withPhones = (await teamRoster(demo.sql, 'sf-mission', 1, FULL_VIEW))!
    const without = (await teamRoster(demo.sql, 'sf-mission', 1, { ...FULL_VIEW, phones: false }))!
    const phones = [...withPhones.shifts.flatMap((s) => s.members), ...withPhones.unassigned].map((m) => m.phone)
    expect(phones.length).toBeGreaterThan(3)
    expect(phones.every((p) => p !== null)).toBe(true)
    expect(JSON.stringify(without)).not.toMatch(/555-01/)
    expect([...without.shifts.flatMap((s) => s.members), ...without.unassigned].every((m) => m.phone === null)).toBe(true)
  })

  it('adds a member with their shifts through the planning API, keeps them on a shift the route keeps, and refuses a shift of another team', async () => {
    const route = (await send('GET', '/routes/4')).body // a volunteers' route
    const shiftId = route.shifts[0].id as number
    const created = await send('POST', '/members', { teamId: 1, name: '新队员', names: { en: 'New Member' }, phone: '+1 628-555-0199', shiftIds: [shiftId] })
    expect(created.status).toBe(201)
    const member = created.body.row
    expect(member).toMatchObject({ teamId: 1, name: '新队员', shiftIds: [shiftId], active: true, version: 1 })
    expect((await send('GET', '/teams/1')).body.listedMembers).toBe(MEMBERS.filter((m) => m.teamKey === 'volunteers' && m.active).length + 1)
    // a shift added to the route leaves the existing shifts (and who walks them) as they were
    const shifts = [...route.shifts.map(({ days, start, end }: Json) => ({ days, start, end })), { days: [3], start: '12:00', end: '13:00' }]
    expect((await send('PATCH', '/routes/4', { shifts }, { 'if-match': String(route.version) })).status).toBe(200)
    expect((await send('GET', `/members/${member.id}`)).body.shiftIds).toEqual([shiftId])
    const roster = (await send('GET', '/teams/1/roster?lang=en')).body as Roster
    expect(roster.shifts.find((s) => s.id === shiftId)!.members.map((m) => m.name)).toContain('New Member')
    // a police shift is not the volunteers'
    const policeShift = (await send('GET', '/routes/1')).body.shifts[0].id
    const refused = await send('PATCH', `/members/${member.id}`, { shiftIds: [policeShift] }, { 'if-match': '1' })
    expect([refused.status, refused.body.error.code]).toEqual([400, 'invalid_parameter'])
    // the route's shifts as they were (the shift walked stays, with its member)
    const now = (await send('GET', '/routes/4')).body
    expect((await send('PATCH', '/routes/4', { shifts: shifts.slice(0, -1) }, { 'if-match': String(now.version) })).status).toBe(200)
    expect((await send('GET', `/members/${member.id}`)).body.shiftIds).toEqual([shiftId])
    expect((await send('POST', '/members', { name: 'no team' })).status).toBe(400)
    expect((await send('POST', '/members', { teamId: 1, name: 'x', shiftIds: [1, 1] })).status).toBe(400)
  })

  it('reverts an update, a creation and a deletion as new audited changes that name what they revert', async () => {
    const team = (await send('POST', '/teams', { name: 'Revert team', kind: 'security', members: 4, phone: '+1 415-555-0198' })).body
    const changed = await send('PATCH', `/teams/${team.id}`, { members: 9, name: 'Renamed team' }, { 'if-match': '1' })
    expect(changed.status).toBe(200)
    const history = AuditPageSchema.parse((await send('GET', `/teams/${team.id}/history`)).body).entries
    const [update, creation] = history
    expect([update!.action, creation!.action]).toEqual(['team_updated', 'team_created'])

    const reverted = await send('POST', `/teams/${team.id}/history/${update!.id}/revert`)
    expect(reverted.status).toBe(200)
    expect(RevertAnswerSchema.safeParse(reverted.body).success).toBe(true)
    expect(reverted.body).toMatchObject({ reverted: update!.id, version: 3, row: { name: 'Revert team', members: 4, phone: '+1 415-555-0198' } })
    const revertEntry = AuditPageSchema.parse((await send('GET', `/teams/${team.id}/history`)).body).entries[0]!
    expect(revertEntry).toMatchObject({ id: reverted.body.auditId, action: 'revert', reverts: update!.id, username: 'demo-planner' })
    expect((revertEntry.before as Json).name).toBe('Renamed team')
    expect((revertEntry.after as Json).name).toBe('Revert team')

    // reverting the revert brings the change back; then the creation can no longer be reverted (changed since)
    expect((await send('POST', `/teams/${team.id}/history/${revertEntry.id}/revert`)).body.row).toMatchObject({ name: 'Renamed team', members: 9 })
    const stale = await send('POST', `/teams/${team.id}/history/${creation!.id}/revert`)
    expect(stale.status).toBe(409)
    expect(stale.body.error).toMatchObject({ code: 'version_conflict', details: { current: { id: team.id, name: 'Renamed team' }, fields: expect.arrayContaining(['name', 'members']) } })

    // a creation reverted deletes the row; that deletion reverted re-creates it under the same id
    const fresh = (await send('POST', '/teams', { name: 'Short-lived team', kind: 'volunteer' })).body
    const [made] = AuditPageSchema.parse((await send('GET', `/teams/${fresh.id}/history`)).body).entries
    const deleted = await send('POST', `/teams/${fresh.id}/history/${made!.id}/revert`)
    expect(deleted.body).toMatchObject({ version: null, row: null })
    expect((await send('GET', `/teams/${fresh.id}`)).status).toBe(404)
    const back = await send('POST', `/teams/${fresh.id}/history/${deleted.body.auditId}/revert`)
    expect(back.status).toBe(200)
    expect(back.body.row).toMatchObject({ id: fresh.id, name: 'Short-lived team', kind: 'volunteer', version: 1 })
    expect((await send('GET', `/teams/${fresh.id}`)).status).toBe(200)
  })

  it('reverts only the fields a change touched, and refuses when a later change touched the same ones', async () => {
    const route = (await send('GET', '/routes/2')).body
    const a = await send('PATCH', '/routes/2', { reachM: 130 }, { 'if-match': String(route.version) })
    const b = await send('PATCH', '/routes/2', { name: 'Renamed later' }, { 'if-match': String(a.body.version) })
    expect(b.status).toBe(200)
    const entries = AuditPageSchema.parse((await send('GET', '/routes/2/history')).body).entries
    const reachChange = entries.find((e) => (e.after as Json).reachM === 130 && (e.before as Json).reachM !== 130)!
    // the later rename touched another field: the reach goes back, the name stays
    const ok = await send('POST', `/routes/2/history/${reachChange.id}/revert`)
    expect(ok.status).toBe(200)
    expect(ok.body.row).toMatchObject({ reachM: route.reachM, name: 'Renamed later' })
    // the reach moved on since the change now: 409 with the row as it is, and nothing changes
    const c = await send('PATCH', '/routes/2', { reachM: 150 }, { 'if-match': String(ok.body.version) })
    const auditRows = await count('audit_log')
    const refused = await send('POST', `/routes/2/history/${reachChange.id}/revert`)
    expect(refused.status).toBe(409)
    expect(refused.body.error.details).toMatchObject({ current: { reachM: 150, version: c.body.version }, fields: ['reachM'] })
    expect(await count('audit_log')).toBe(auditRows)
    // not this row's change, not a change at all, nobody else's business
    expect((await send('POST', `/routes/3/history/${reachChange.id}/revert`)).status).toBe(404)
    expect((await send('POST', '/routes/2/history/99999999/revert')).status).toBe(404)
    for (const who of ['viewer', 'mediator'] as const) expect((await send('POST', `/routes/2/history/${reachChange.id}/revert`, undefined, {}, who)).status).toBe(403)
  })

  it('logs a patrol done, audited; a second post with the same source id adds nothing; a delete is audited too', async () => {
    const auditRows = await count('audit_log')
    const entry = { routeId: 3, date: '2019-01-04', start: '22:05', end: '05:50', memberIds: [15, 16], notes: '巡查正常\n无异常', source: 'phone', sourceId: 'abc-1' }
    const first = await send('POST', '/patrols', entry)
    expect(first.status).toBe(201)
    expect(first.body).toMatchObject({ created: true, patrol: { routeId: 3, teamId: 3, date: '2019-01-04', start: '22:05', end: '05:50', memberIds: [15, 16], membersCount: 2, createdBy: 'demo-planner' } })
    const again = await send('POST', '/patrols', entry)
    expect(again).toMatchObject({ status: 200, body: { created: false, patrol: { id: first.body.patrol.id } } })
    expect(await count('patrol_logs')).toBe(LOG.length + 1)
    expect(await count('audit_log')).toBe(auditRows + 1)
    const page = (await send('GET', '/patrols?from=2019-01-01&routeId=3')).body
    expect(PatrolLogPageSchema.safeParse(page).success).toBe(true)
    expect(page).toMatchObject({ total: 1, next: null, patrols: [{ id: first.body.patrol.id, notes: '巡查正常\n无异常' }] })
    expect((await send('DELETE', `/patrols/${first.body.patrol.id}`)).status).toBe(204)
    expect((await send('DELETE', `/patrols/${first.body.patrol.id}`)).status).toBe(404)
    const [deleted] = (await demo.sql`select action, before from audit_log order by id desc limit 1`) as unknown as [{ action: string; before: Json }]
    expect(deleted).toMatchObject({ action: 'patrol_log_deleted', before: { id: first.body.patrol.id, routeId: 3 } })
  })

  it('pages the log, newest first, within its bounds', async () => {
    const december = LOG.length
    const page1 = (await send('GET', '/patrols?from=2018-12-01&to=2018-12-31&limit=100')).body
    expect(page1.total).toBe(december)
    expect(page1.patrols).toHaveLength(100)
    expect(page1.next).toBe(100)
    expect(page1.patrols[0].date >= page1.patrols[99].date).toBe(true)
    const last = (await send('GET', `/patrols?from=2018-12-01&to=2018-12-31&limit=100&offset=${Math.floor(december / 100) * 100}`)).body
    expect(last.patrols).toHaveLength(december % 100)
    expect(last.next).toBeNull()
    for (const q of ['limit=1001', 'offset=-1', 'from=2018-12-32', 'from=2018-12-31&to=2018-12-01', 'routeId=abc'])
      expect((await send('GET', `/patrols?${q}`)).body.error.code, q).toBe('invalid_parameter')
  })

  it('refuses a bad patrol with a 4xx and records nothing', async () => {
    const before = await count('patrol_logs')
    const auditRows = await count('audit_log')
    const ok = { routeId: 3, date: '2019-01-05', start: '22:00', end: '06:00' }
    const cases: [Json, string][] = [
      [{ ...ok, end: '22:00' }, 'invalid_parameter'],
      [{ ...ok, routeId: 9999 }, 'invalid_parameter'],
      [{ ...ok, teamId: 9999 }, 'invalid_parameter'],
      [{ ...ok, memberIds: [1] }, 'invalid_parameter'], // a volunteer, not one of the police team
      [{ ...ok, memberIds: [15, 15] }, 'invalid_parameter'],
      [{ ...ok, memberIds: [15, 16], membersCount: 1 }, 'invalid_parameter'],
      [{ ...ok, date: '2999-01-01' }, 'invalid_parameter'],
      [{ ...ok, date: '2019-02-30' }, 'invalid_parameter'],
      [{ ...ok, start: '24:00' }, 'invalid_parameter'],
      [{ ...ok, notes: 'a\u0000b' }, 'invalid_parameter'],
      [{ ...ok, notes: 'x'.repeat(2001) }, 'invalid_parameter'],
      [{ ...ok, extra: 1 }, 'invalid_parameter'],
    ]
    for (const [body, code] of cases) {
      const res = await send('POST', '/patrols', body)
      expect([res.status, res.body.error?.code], JSON.stringify(body).slice(0, 80)).toEqual([400, code])
    }
    for (const who of ['viewer', 'mediator', 'care'] as const) expect((await send('POST', '/patrols', ok, {}, who)).status).toBe(403)
    expect(await count('patrol_logs')).toBe(before)
    expect(await count('audit_log')).toBe(auditRows)
  })

  it('counts planned against logged patrols of December 2018 as an independent count of the sample does', async () => {
    const res = await send('GET', '/patrols/summary?from=2018-12-01&to=2018-12-31', undefined, {}, 'viewer')
    expect(res.status).toBe(200)
    const summary = res.body as PatrolSummary
    expect(PatrolSummarySchema.safeParse(summary).success).toBe(true)
    expect(summary).toMatchObject({ days: 31, window: { hours: null, weekdays: null }, deletedRoutes: { logged: 0 } })
    for (const r of summary.routes) {
      const key = `R${String(r.id).padStart(2, '0')}`
      const want = independentCounts(key)
      expect({ planned: r.planned, plannedDone: r.plannedDone, logged: r.logged }, key).toEqual(want)
      expect(r.plannedMissed).toBe(r.planned - r.plannedDone)
    }
    expect(summary.total.logged).toBe(LOG.length)
    expect(summary.total.unplanned).toBe(LOG.filter((l) => l.key.endsWith('extra')).length)
    expect(summary.total.plannedMissed).toBeGreaterThan(0)
    // nights: R01 walks every night (31), R03 Thursday to Saturday nights (4 Thursdays, 4 Fridays, 5 Saturdays in December 2018)
    const nights = (await send('GET', '/patrols/summary?from=2018-12-01&to=2018-12-31&hours=22-06')).body as PatrolSummary
    const r03 = nights.routes.find((r) => r.id === 3)!
    expect(r03.planned).toBe(13)
    expect({ planned: r03.planned, plannedDone: r03.plannedDone }).toEqual({ planned: independentCounts('R03', true).planned, plannedDone: independentCounts('R03', true).plannedDone })
    expect(r03.plannedDone).toBeLessThan(r03.planned)
    // a zone adds up the routes reaching it; G05 has none
    const zones = summary.zones
    const g05 = zones.find((z) => z.code === 'G05')!
    expect(g05).toMatchObject({ routes: [], planned: 0, logged: 0 })
    for (const z of zones) expect(z.planned).toBe(z.routes.reduce((a, id) => a + summary.routes.find((r) => r.id === id)!.planned, 0))
    // bounds
    for (const q of ['from=2018-12-01', 'from=2018-01-01&to=2019-12-31', 'from=2018-12-31&to=2018-12-01', 'from=2018-12-01&to=2018-12-31&hours=25-02'])
      expect((await send('GET', `/patrols/summary?${q}`)).status, q).toBe(400)
  })

  it('shows coverage of the patrols done: the routes logged in the period and window, not the plan', async () => {
    const get = async (q: string) => (await (await demo.as('viewer').request(`/api/communities/sf-mission/coverage?network=patrol&${q}`)).json()) as { meta: Json }
    const plan = await get('from=2018-12-01&to=2018-12-31&hours=22-06')
    const logged = await get('from=2018-12-01&to=2018-12-31&hours=22-06&basis=logged')
    expect(plan.meta.basis).toBe('plan')
    expect(logged.meta.basis).toBe('logged')
    // a patrol overlaps 22:00–06:00 when it runs past midnight, or is on after 22:00 or before 06:00
    const overlapsNight = (l: SamplePatrol) => l.end <= l.start || l.end > '22:00' || l.start < '06:00'
    const routesWithNightLogs = [...new Set(LOG.filter(overlapsNight).map((l) => Number(l.routeKey.slice(1))))].sort((a, b) => a - b)
    expect(logged.meta.routesInService).toEqual(routesWithNightLogs)
    // a period without patrols logged: nothing covered
    const none = await get('from=2017-01-01&to=2017-01-31&basis=logged')
    expect(none.meta).toMatchObject({ routesInService: [], coveredM2: 0, buildingsCovered: 0 })
    expect((await demo.as('viewer').request('/api/communities/sf-mission/coverage?basis=done')).status).toBe(400)
  })

  it('snaps a drawn line to the streets, by pgRouting where the database has it, and saves the answer as a route', async () => {
    const routing = await hasPgRouting(demo.sql)
    if (mode === 'embedded') expect(routing).toBe(false)
    // in server mode, wherever the server has pgRouting installed (CI does), migration 00010 created it
    else expect(routing).toBe(((await demo.sql`select exists (select 1 from pg_available_extensions where name = 'pgrouting') as ok`) as unknown as [{ ok: boolean }])[0].ok)
    const res = await send('POST', '/routes/snap', { geometry: { type: 'LineString', coordinates: [...NEAR_VALENCIA, [-122.41, 37.7] /* far from any street */] } })
    expect(res.status).toBe(200)
    expect(SnapAnswerSchema.safeParse(res.body).success).toBe(true)
    expect(res.body.method).toBe(routing ? 'pgrouting' : 'vertex')
    expect(res.body.vertices.map((v: Json) => v.snapped)).toEqual([true, true, false])
    expect(res.body.vertices[0]).toMatchObject({ street: 'Valencia Street' })
    expect(res.body.vertices[0].distanceM).toBeGreaterThan(5)
    expect(res.body.vertices[0].distanceM).toBeLessThan(30)
    // each snapped point lies on Valencia Street
    const [first, second] = (res.body.geometry.coordinates as number[][]).filter((_, i, all) => i === 0 || i === all.length - 2)
    for (const p of [first!, second!]) {
      const [{ d }] = (await demo.sql`select min(ST_Distance(ST_Transform(geom, 32610), ST_Transform(ST_SetSRID(ST_MakePoint(${p[0]!}, ${p[1]!}), 4326), 32610))) as d from streets where name = 'Valencia Street'`) as unknown as [{ d: number }]
      expect(d).toBeLessThan(0.05)
    }
    if (routing) expect(res.body.routed).toEqual([true, false])
    // the two snapped points, saved as a route: the answer is a line the planning API takes
    const two = await send('POST', '/routes/snap', { geometry: { type: 'LineString', coordinates: NEAR_VALENCIA }, toleranceM: 30 })
    expect(two.body.lengthM).toBeGreaterThan(300)
    expect((await send('POST', '/routes', { name: 'Valencia snapped', teamId: 1, geometry: two.body.geometry })).status).toBe(201)
    // vertex snapping on request, and bad input
    expect((await send('POST', '/routes/snap', { geometry: { type: 'LineString', coordinates: NEAR_VALENCIA }, method: 'vertex' })).body.method).toBe('vertex')
    const bad: Json[] = [
      { geometry: { type: 'LineString', coordinates: [[-122.42, 37.76]] } },
      { geometry: { type: 'LineString', coordinates: Array.from({ length: 201 }, (_, i) => [-122.42 + i * 1e-5, 37.765]) } },
      { geometry: { type: 'LineString', coordinates: [[-122.42, 37.76], [500, 37.76]] } },
      { geometry: { type: 'LineString', coordinates: [[-122.42, 37.76], ['a', 37.76]] } },
      { geometry: { type: 'Point', coordinates: [-122.42, 37.76] } },
      { geometry: { type: 'LineString', coordinates: NEAR_VALENCIA }, toleranceM: 500 },
      { geometry: { type: 'LineString', coordinates: [NEAR_VALENCIA[0], NEAR_VALENCIA[0]] } },
    ]
    for (const b of bad) {
      const r = await send('POST', '/routes/snap', b)
      expect(r.status, JSON.stringify(b).slice(0, 80)).toBe(400)
      expect(['invalid_parameter', 'invalid_geometry']).toContain(r.body.error.code)
    }
    expect((await send('POST', '/routes/snap', { geometry: { type: 'LineString', coordinates: NEAR_VALENCIA } }, {}, 'viewer')).status).toBe(403)
  })
})
