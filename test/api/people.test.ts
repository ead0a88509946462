/**
 * The people side (issue 12): disputes and their lifecycle, the figures per zone on named fixtures
 * with exact expectations (a dispute reported in one period and agreed in the next; a referred one;
 * a zone with none; one on a zone border), early warnings, key problems, care files (every read
 * audited, counts suppressed below 3) and who sees what. Fixtures are dated 2030, where the demo has
 * no disputes, in the demo's zones (America/Los_Angeles).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CareCountsSchema,
  CareFileSchema,
  DisputeFiguresAnswerSchema,
  DisputeListSchema,
  DisputeSchema,
  DisputeWarningsSchema,
  ErrorBodySchema,
  ProblemListSchema,
  ProblemSchema,
  type DisputeFigures,
  type DisputeFiguresAnswer,
} from '../../server/src/contract.js'
import type { Client } from '../support/clients.js'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'

const C = '/api/communities/sf-mission'

interface Answer<T = Record<string, unknown>> {
  status: number
  body: T
  etag: string | null
}

async function call<T = Record<string, unknown>>(client: Client, method: string, path: string, body?: unknown, ifMatch?: string): Promise<Answer<T>> {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (ifMatch !== undefined) headers['if-match'] = ifMatch
  const res = await client.request(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  return { status: res.status, body: (await res.json()) as T, etag: res.headers.get('etag') }
}

/** Named places in the demo: two zones sharing a vertex, that vertex, a point inside each, a zone with nothing, a building of the first. */
interface Places {
  low: { id: number; code: string; inside: [number, number] }
  high: { id: number; code: string; inside: [number, number] }
  border: [number, number]
  empty: { id: number; code: string }
  building: number
}

async function findPlaces(demo: DemoHandle): Promise<Places> {
  const [pair] = await demo.sql<{ low: number; high: number; x: number; y: number }[]>`
    select a.id as low, b.id as high, ST_X(p.geom) as x, ST_Y(p.geom) as y
    from grid_zones as a join grid_zones as b on b.community_id = a.community_id and b.id > a.id
    cross join lateral (select (ST_DumpPoints(a.geom)).geom) as p
    where a.community_id = 'sf-mission' and ST_Intersects(b.geom, p.geom)
      and (select count(*) from grid_zones as z where z.community_id = a.community_id and ST_Intersects(z.geom, p.geom)) = 2
    order by a.id, b.id limit 1`
  const zone = async (id: number) => {
    const [z] = await demo.sql<{ code: string; x: number; y: number }[]>`
      select code, ST_X(ST_PointOnSurface(geom)) as x, ST_Y(ST_PointOnSurface(geom)) as y from grid_zones where community_id = 'sf-mission' and id = ${id}`
    return { id, code: z!.code, inside: [z!.x, z!.y] as [number, number] }
  }
  const low = await zone(Number(pair!.low))
  const high = await zone(Number(pair!.high))
  const [empty] = await demo.sql<{ id: number; code: string }[]>`
    select z.id, z.code from grid_zones as z where z.community_id = 'sf-mission' and z.id not in (${low.id}, ${high.id})
      and not exists (select 1 from buildings as b join care_files as f on f.community_id = b.community_id and f.building_id = b.id where b.zone_id = z.id)
      and (select count(*) from buildings as b where b.zone_id = z.id) >= 3
    order by z.id limit 1`
  const [building] = await demo.sql<{ id: number }[]>`select id from buildings where community_id = 'sf-mission' and zone_id = ${low.id} order by id limit 1`
  return { low, high, border: [pair!.x, pair!.y], empty: { id: Number(empty!.id), code: empty!.code }, building: Number(building!.id) }
}

const ratio = (numerator: number, denominator: number) => ({ numerator, denominator, rate: denominator === 0 ? null : numerator / denominator })
const NONE: DisputeFigures = { screened: 0, mediationRate: ratio(0, 0), successRate: ratio(0, 0), resolvedInCommunity: ratio(0, 0), escalations: 0, petitions: 0 }
const zoneOf = (answer: DisputeFiguresAnswer, id: number) => {
  const { zoneId: _, zoneCode: __, zoneName: ___, ...figures } = answer.zones.find((z) => z.zoneId === id)!
  return figures
}

describe.each(testModes())('the people side in %s mode', (mode) => {
  let demo: DemoHandle
  let places: Places
  const ids: Record<string, number> = {}

  /** Records a dispute as the mediator and takes it through `steps` (status, at, level). */
  async function dispute(input: Record<string, unknown>, steps: { status: string; at: string; level: string }[] = []): Promise<number> {
    const created = await call<{ id: number; version: number }>(demo.as('mediator'), 'POST', `${C}/disputes`, input)
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    let version = created.body.version
    for (const step of steps) {
      const moved = await call<{ version: number }>(demo.as('mediator'), 'PATCH', `${C}/disputes/${created.body.id}`, step, `"${version}"`)
      expect(moved.status, JSON.stringify(moved.body)).toBe(200)
      version = moved.body.version
    }
    return created.body.id
  }

  beforeAll(async () => {
    demo = await openDemo(mode)
    places = await findPlaces(demo)
    const { low, high, border } = places
    // d1: reported in January, mediated from January, agreed in February (grid)
    ids.d1 = await dispute({ kind: 'neighbour', location: high.inside, reportedAt: '2030-01-05T10:00:00-08:00', parties: [{ name: '测试甲', contact: '+1 415-555-0199' }] }, [
      { status: 'mediating', at: '2030-01-10T10:00:00-08:00', level: 'grid' },
      { status: 'agreed', at: '2030-02-03T10:00:00-08:00', level: 'grid' },
    ])
    // d2: on the border of the two zones (counts in the lower id), mediated, then referred to the street
    ids.d2 = await dispute({ kind: 'property', location: border, reportedAt: '2030-01-20T10:00:00-08:00' }, [
      { status: 'mediating', at: '2030-01-21T10:00:00-08:00', level: 'community' },
      { status: 'referred', at: '2030-01-25T10:00:00-08:00', level: 'street' },
    ])
    // d3: reported late on 31 January local time (1 February UTC), never mediated
    ids.d3 = await dispute({ kind: 'family', location: low.inside, reportedAt: '2030-01-31T23:00:00-08:00' })
    // d4: reported in January, mediation started in February and failed there (building level)
    ids.d4 = await dispute({ kind: 'labour', location: low.inside, reportedAt: '2030-01-02T10:00:00-08:00' }, [
      { status: 'mediating', at: '2030-02-02T10:00:00-08:00', level: 'building' },
      { status: 'failed', at: '2030-02-10T10:00:00-08:00', level: 'building' },
    ])
    // d5: referred to the courts at once, without mediation
    ids.d5 = await dispute({ kind: 'contract', location: high.inside, reportedAt: '2030-01-03T10:00:00-08:00' }, [{ status: 'referred', at: '2030-01-04T10:00:00-08:00', level: 'judicial' }])
    const esc = async (body: Record<string, unknown>) => expect((await call(demo.as('mediator'), 'POST', `${C}/disputes/escalations`, body)).status).toBe(201)
    await esc({ kind: 'escalation', disputeId: ids.d2, occurredAt: '2030-01-26T09:00:00-08:00', reached: 'district' })
    await esc({ kind: 'petition', zoneId: high.id, occurredAt: '2030-02-05T09:00:00-08:00', reached: 'city' })
    await esc({ kind: 'petition', occurredAt: '2030-01-15T09:00:00-08:00' })
  })
  afterAll(() => demo.close())

  const figures = async (query: string) => {
    const res = await call<DisputeFiguresAnswer>(demo.as('viewer'), 'GET', `${C}/disputes/figures?${query}`)
    expect(res.status).toBe(200)
    expect(DisputeFiguresAnswerSchema.safeParse(res.body).success).toBe(true)
    return res.body
  }

  it('counts January per zone: the border dispute in the lower zone, a zone without disputes has no rates', async () => {
    const jan = await figures('from=2030-01-01&to=2030-01-31')
    expect(zoneOf(jan, places.low.id)).toEqual({ screened: 3, mediationRate: ratio(1, 3), successRate: ratio(0, 1), resolvedInCommunity: ratio(0, 1), escalations: 1, petitions: 0 })
    expect(zoneOf(jan, places.high.id)).toEqual({ screened: 2, mediationRate: ratio(1, 2), successRate: ratio(0, 0), resolvedInCommunity: ratio(0, 0), escalations: 0, petitions: 0 })
    expect(zoneOf(jan, places.empty.id)).toEqual(NONE)
    expect(zoneOf(jan, places.empty.id).mediationRate.rate).toBeNull()
    expect(jan.unzoned).toEqual({ ...NONE, petitions: 1 })
    expect(jan.overall).toEqual({ screened: 5, mediationRate: ratio(2, 5), successRate: ratio(0, 1), resolvedInCommunity: ratio(0, 1), escalations: 1, petitions: 1 })
  })

  it('counts the dispute reported in January and agreed in February in February’s success rate, not January’s', async () => {
    const feb = await figures('from=2030-02-01&to=2030-02-28')
    expect(zoneOf(feb, places.high.id)).toEqual({ screened: 0, mediationRate: ratio(0, 0), successRate: ratio(1, 1), resolvedInCommunity: ratio(1, 1), escalations: 0, petitions: 1 })
    expect(zoneOf(feb, places.low.id)).toEqual({ screened: 0, mediationRate: ratio(0, 0), successRate: ratio(0, 1), resolvedInCommunity: ratio(1, 1), escalations: 0, petitions: 0 })
    expect(feb.overall).toEqual({ screened: 0, mediationRate: ratio(0, 0), successRate: ratio(1, 2), resolvedInCommunity: ratio(2, 2), escalations: 0, petitions: 1 })
    const q1 = await figures('from=2030-01-01&to=2030-03-31')
    // mediation started by the end of the period: d4 (started 2 February) counts over the quarter, not in January
    expect(q1.overall).toEqual({ screened: 5, mediationRate: ratio(3, 5), successRate: ratio(1, 3), resolvedInCommunity: ratio(2, 3), escalations: 1, petitions: 2 })
    expect(zoneOf(q1, places.low.id).mediationRate).toEqual(ratio(2, 3))
    // zones and the unzoned add up to the whole
    const sum = q1.zones.reduce((s, z) => s + z.screened, q1.unzoned.screened)
    expect(sum).toBe(q1.overall.screened)
  })

  it('takes a period of ISO timestamps: the late report of 31 January is 1 February in UTC', async () => {
    const utc = await figures('from=2030-02-01T00:00:00Z&to=2030-02-01T23:59:59Z')
    expect(utc.overall.screened).toBe(1)
    expect((await figures('from=2030-02-01&to=2030-02-01')).overall.screened).toBe(0)
  })

  it('moves disputes only along the lifecycle, with the level each step needs, and versions every change', async () => {
    const med = demo.as('mediator')
    const agreed = await call<{ version: number; status: string; level: string }>(med, 'GET', `${C}/disputes/${ids.d1}`)
    expect(agreed.body).toMatchObject({ status: 'agreed', level: 'grid' })
    expect(agreed.etag).toBe(`"${agreed.body.version}"`)
    const back = await call<{ error: { code: string; details: { allowed: string[] } } }>(med, 'PATCH', `${C}/disputes/${ids.d1}`, { status: 'mediating', level: 'grid' }, agreed.etag!)
    expect([back.status, back.body.error.code, back.body.error.details.allowed]).toEqual([409, 'invalid_transition', []])
    const fresh = await dispute({ kind: 'other', buildingId: places.building, reportedAt: '2030-05-01' })
    const skip = await call<{ error: { code: string } }>(med, 'PATCH', `${C}/disputes/${fresh}`, { status: 'agreed', level: 'grid' }, '"1"')
    expect([skip.status, skip.body.error.code]).toEqual([409, 'invalid_transition'])
    const noLevel = await call<{ error: { code: string } }>(med, 'PATCH', `${C}/disputes/${fresh}`, { status: 'mediating' }, '"1"')
    expect([noLevel.status, noLevel.body.error.code]).toEqual([400, 'invalid_parameter'])
    const inside = await call<{ error: { code: string } }>(med, 'PATCH', `${C}/disputes/${fresh}`, { status: 'referred', level: 'grid' }, '"1"')
    expect([inside.status, inside.body.error.code]).toEqual([400, 'invalid_parameter'])
    const early = await call<{ error: { code: string } }>(med, 'PATCH', `${C}/disputes/${fresh}`, { status: 'mediating', level: 'grid', at: '2030-04-01' }, '"1"')
    expect([early.status, early.body.error.code]).toEqual([400, 'invalid_parameter'])
    expect((await call(med, 'PATCH', `${C}/disputes/${fresh}`, { mediator: '测试调解员' })).status).toBe(428)
    const moved = await call<{ version: number; status: string; mediationStartedAt: string; zoneId: number }>(med, 'PATCH', `${C}/disputes/${fresh}`, { status: 'mediating', level: 'building', at: '2030-05-02T09:00:00Z' }, '"1"')
    expect(moved.body).toMatchObject({ version: 2, status: 'mediating', mediationStartedAt: '2030-05-02T09:00:00Z', zoneId: places.low.id })
    const stale = await call<{ error: { code: string; details: { current: { version: number } } } }>(med, 'PATCH', `${C}/disputes/${fresh}`, { mediator: 'x' }, '"1"')
    expect([stale.status, stale.body.error.code, stale.body.error.details.current.version]).toEqual([409, 'version_conflict', 2])
    const history = await call<{ entries: { action: string; before: unknown; after: { status: string } }[] }>(med, 'GET', `${C}/disputes/${fresh}/history`)
    expect(history.body.entries.map((e) => e.action)).toEqual(['dispute_mediating', 'dispute_created'])
    expect(history.body.entries[0]!.after.status).toBe('mediating')
  })

  it('records follow-up visits of agreed disputes only', async () => {
    const med = demo.as('mediator')
    const ok = await call<{ held: boolean }>(med, 'POST', `${C}/disputes/${ids.d1}/follow-ups`, { visitedOn: '2030-03-01', held: true, visitor: '测试' })
    expect([ok.status, ok.body.held]).toEqual([201, true])
    const before = await call<{ error: { code: string } }>(med, 'POST', `${C}/disputes/${ids.d1}/follow-ups`, { visitedOn: '2030-01-01', held: true })
    expect([before.status, before.body.error.code]).toEqual([400, 'invalid_parameter'])
    const open = await call<{ error: { code: string } }>(med, 'POST', `${C}/disputes/${ids.d3}/follow-ups`, { visitedOn: '2030-03-01', held: true })
    expect([open.status, open.body.error.code]).toEqual([409, 'invalid_transition'])
    const d1 = await call<{ followUps: unknown[] }>(med, 'GET', `${C}/disputes/${ids.d1}`)
    expect(DisputeSchema.safeParse(d1.body).success).toBe(true)
    expect(d1.body.followUps).toHaveLength(1)
  })

  it('shows parties to mediators and admins, not to planners; viewers and care workers get counts only', async () => {
    const path = `${C}/disputes/${ids.d1}`
    expect((await call<{ parties: unknown }>(demo.as('mediator'), 'GET', path)).body.parties).toEqual([{ name: '测试甲', contact: '+1 415-555-0199' }])
    expect((await call<{ parties: unknown }>(demo.as('admin'), 'GET', path)).body.parties).toEqual([{ name: '测试甲', contact: '+1 415-555-0199' }])
    const planner = await call<{ parties: unknown }>(demo.as('planner'), 'GET', path)
    expect([planner.status, planner.body.parties]).toEqual([200, null])
    const list = await call(demo.as('planner'), 'GET', `${C}/disputes?from=2012-07-01&to=2012-12-31&limit=500`)
    expect(DisputeListSchema.safeParse(list.body).success).toBe(true)
    expect(list.body).toMatchObject({ total: 42 })
    expect(JSON.stringify(list.body)).not.toContain('555-01')
    for (const role of ['viewer', 'care'] as const) {
      for (const p of [`${C}/disputes`, path, `${C}/disputes/warnings`, `${C}/disputes/escalations`]) expect((await demo.as(role).request(p)).status, `${role} ${p}`).toBe(403)
      const layer = (await (await demo.as(role).request(`${C}/layers/disputes`)).json()) as { meta: { aggregated?: string }; features: { properties: { count: number } }[] }
      expect(layer.meta.aggregated).toBe('zone')
      expect(layer.features.reduce((s, f) => s + f.properties.count, 0)).toBe(42 + 6)
    }
  })

  it('carries the demo’s 42 disputes forward, marked as samples, with their mediation', async () => {
    const rows = await demo.sql<{ status: string; n: number }[]>`select status, count(*)::int as n from disputes where is_sample group by status order by status`
    expect(rows).toEqual([
      { status: 'agreed', n: 22 },
      { status: 'failed', n: 2 },
      { status: 'mediating', n: 11 },
      { status: 'referred', n: 1 },
      { status: 'reported', n: 6 },
    ])
    const demoYear = await figures('from=2012-07-01&to=2012-12-31')
    expect(demoYear.overall.screened).toBe(42)
    expect(demoYear.overall.successRate).toEqual(ratio(22, 25))
    expect(demoYear.overall.escalations).toBe(2)
  })

  it('warns of overdue disputes, repeats at a building or of a party, and open disputes near an incident hot spot', async () => {
    const hot = (await (await demo.as('planner').request(`${C}/hotspots`)).json()) as { features: { properties: { bin: number; i: number; j: number } }[] }
    const cell = hot.features.find((f) => f.properties.bin >= 2)!.properties
    const [centre] = await demo.sql<{ x: number; y: number }[]>`
      select ST_X(p) as x, ST_Y(p) as y from (select ST_Transform(ST_SetSRID(ST_Point((${cell.i} + 0.5) * 100, (${cell.j} + 0.5) * 100), metric_srid), 4326) as p from communities where id = 'sf-mission') as c`
    ids.d6 = await dispute({ kind: 'neighbour', buildingId: places.building, reportedAt: '2030-03-10', parties: [{ name: '测试乙' }] })
    ids.d7 = await dispute({ kind: 'neighbour', buildingId: places.building, reportedAt: '2030-03-20', parties: [{ name: ' 测试乙 ' }] })
    ids.d8 = await dispute({ kind: 'other', location: [centre!.x, centre!.y], reportedAt: '2030-03-30' })
    const res = await call<{ warnings: { kind: string; disputeIds: number[]; daysOpen: number | null; party: string | null }[]; hotspot: { insufficient: boolean; hotCells: number } }>(
      demo.as('mediator'),
      'GET',
      `${C}/disputes/warnings?asOf=2030-03-31`,
    )
    expect(res.status).toBe(200)
    expect(DisputeWarningsSchema.safeParse(res.body).success).toBe(true)
    const of = (kind: string) => res.body.warnings.filter((w) => w.kind === kind)
    // the demo's 17 disputes still open since 2012 are long overdue by 2030; of the fixtures, d3 (59 days)
    expect(of('overdue')).toHaveLength(18)
    expect(of('overdue').filter((w) => w.disputeIds[0]! >= ids.d1!).map((w) => [w.disputeIds, w.daysOpen])).toEqual([[[ids.d3], 59]])
    expect(of('repeat_building').map((w) => w.disputeIds)).toEqual([[ids.d6, ids.d7]])
    expect(of('repeat_party').map((w) => [w.disputeIds, w.party])).toEqual([[[ids.d6, ids.d7], '测试乙']])
    expect(res.body.hotspot.insufficient).toBe(false)
    expect(of('near_hotspot').some((w) => w.disputeIds[0] === ids.d8)).toBe(true)
    expect(res.body.warnings[0]!.kind).toBe('overdue')
    // a longer deadline: d3 is no longer overdue (the demo's are); planners see no party names; the bound is enforced
    const longer = await call<{ warnings: { kind: string }[]; deadlineSource: string }>(demo.as('planner'), 'GET', `${C}/disputes/warnings?asOf=2030-03-31&deadlineDays=60`)
    expect(longer.body.warnings.filter((w) => w.kind === 'overdue')).toHaveLength(17)
    expect(longer.body.deadlineSource).toBe('parameter')
    expect(JSON.stringify(longer.body)).not.toContain('测试乙')
    expect((await demo.as('planner').request(`${C}/disputes/warnings?deadlineDays=0`)).status).toBe(400)
    expect((await demo.as('planner').request(`${C}/disputes/warnings?deadlineDays=366`)).status).toBe(400)
  })

  it('keeps key problems per zone and owner, overdue first, with versioned and audited changes', async () => {
    const med = demo.as('mediator')
    const make = async (body: Record<string, unknown>) => {
      const res = await call<{ id: number; version: number }>(med, 'POST', `${C}/problems`, body)
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      expect(ProblemSchema.safeParse(res.body).success).toBe(true)
      return res.body
    }
    const late = await make({ title: '测试难题一', titles: { en: 'Test problem one' }, zoneId: places.empty.id, owner: '测试网格员', deadline: '2030-01-31' })
    const later = await make({ title: '测试难题二', buildingId: places.building, ownerUsername: 'demo-mediator', helpers: ['甲', '乙'], deadline: '2030-06-30' })
    await make({ title: '测试难题三', area: { type: 'Polygon', coordinates: [[[-122.42, 37.765], [-122.419, 37.765], [-122.419, 37.766], [-122.42, 37.766], [-122.42, 37.765]]] }, owner: '测试网格员' })
    const list = await call<{ problems: { id: number; overdue: boolean; title: string; zoneId: number | null }[] }>(demo.as('planner'), 'GET', `${C}/problems?asOf=2030-03-01&owner=${encodeURIComponent('测试网格员')}&lang=en`)
    expect(ProblemListSchema.safeParse(list.body).success).toBe(true)
    expect(list.body.problems.map((p) => [p.title, p.overdue])).toEqual([
      ['Test problem one', true],
      ['测试难题三', false],
    ])
    const byZone = await call<{ problems: { id: number }[] }>(med, 'GET', `${C}/problems?zoneId=${places.low.id}&owner=demo-mediator`)
    expect(byZone.body.problems.map((p) => p.id)).toEqual([later.id])
    expect((await call(med, 'PATCH', `${C}/problems/${late.id}`, { status: 'done' })).status).toBe(428)
    const done = await call<{ status: string; overdue: boolean; version: number; closedOn: string | null }>(med, 'PATCH', `${C}/problems/${late.id}`, { status: 'done' }, `"${late.version}"`)
    expect(done.body).toMatchObject({ status: 'done', overdue: false, version: 2 })
    expect(done.body.closedOn).not.toBeNull()
    const stale = await call<{ error: { code: string } }>(med, 'PATCH', `${C}/problems/${late.id}`, { status: 'open' }, `"${late.version}"`)
    expect([stale.status, stale.body.error.code]).toEqual([409, 'version_conflict'])
    expect((await call(med, 'POST', `${C}/problems/${late.id}/notes`, { notedOn: '2030-02-01', text: '已走访。' })).status).toBe(201)
    const one = await call<{ notes: { text: string; author: string }[] }>(med, 'GET', `${C}/problems/${late.id}`)
    expect(one.body.notes).toMatchObject([{ text: '已走访。', author: 'demo-mediator' }])
    const history = await call<{ entries: { action: string }[] }>(med, 'GET', `${C}/problems/${late.id}/history`)
    expect(history.body.entries.map((e) => e.action)).toEqual(['problem_note_created', 'problem_updated', 'problem_created'])
    const twoPlaces = await call<{ error: { code: string } }>(med, 'POST', `${C}/problems`, { title: 'x', owner: 'y', zoneId: places.low.id, buildingId: places.building })
    expect([twoPlaces.status, twoPlaces.body.error.code]).toEqual([400, 'invalid_parameter'])
    expect((await demo.as('planner').request(`${C}/problems`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"x","owner":"y"}' })).status).toBe(403)
    expect((await demo.as('viewer').request(`${C}/problems`)).status).toBe(403)
  })

  it('audits every read of a care file, and shows others counts per zone, none below 3', async () => {
    const care = demo.as('care')
    const audits = async () => (await demo.sql<{ n: number }[]>`select count(*)::int as n from audit_log where entity = 'care_file' and action in ('care_file_read', 'care_files_listed')`)[0]!.n
    const start = await audits()
    const list = await call<{ files: { id: number }[]; total: number }>(care, 'GET', `${C}/care`)
    expect(list.body.total).toBe(14)
    expect(await audits()).toBe(start + 1)
    const one = await call(care, 'GET', `${C}/care/${list.body.files[0]!.id}`)
    expect(CareFileSchema.safeParse(one.body).success).toBe(true)
    const [row] = await demo.sql<{ username: string; entityId: string }[]>`select username, entity_id from audit_log where action = 'care_file_read' order by id desc limit 1`
    expect(row).toEqual({ username: 'demo-care', entityId: String(list.body.files[0]!.id) })
    expect(await audits()).toBe(start + 2)
    for (const role of ['viewer', 'planner', 'mediator'] as const) {
      expect((await demo.as(role).request(`${C}/care`)).status, role).toBe(403)
      expect((await demo.as(role).request(`${C}/care/${list.body.files[0]!.id}`)).status, role).toBe(403)
    }
    expect(await audits()).toBe(start + 2)
    // never in search, layers or tiles for anyone
    const name = (one.body as { personName: string }).personName
    expect(((await (await demo.as('admin').request(`${C}/search?q=${encodeURIComponent(name)}`)).json()) as { results: unknown[] }).results).toEqual([])
    for (const p of [`${C}/layers/buildings?limit=50000`, `${C}/layers/disputes`]) expect(await (await demo.as('admin').request(p)).text(), p).not.toContain(name)

    const counts = async () => {
      const res = await call<{ zones: { zoneId: number; count: number | null }[]; total: number | null }>(demo.as('viewer'), 'GET', `${C}/care/counts`)
      expect(CareCountsSchema.safeParse(res.body).success).toBe(true)
      return res.body
    }
    const truth = await demo.sql<{ id: number; n: number }[]>`
      select z.id, count(f.id)::int as n from grid_zones as z left join buildings as b on b.zone_id = z.id and b.community_id = z.community_id
      left join care_files as f on f.building_id = b.id and f.community_id = b.community_id where z.community_id = 'sf-mission' group by z.id order by z.id`
    const shown = await counts()
    expect(shown.zones.map((z) => [z.zoneId, z.count])).toEqual(truth.map((t) => [Number(t.id), t.n >= 3 ? t.n : null]))
    // an empty zone: 1 and 2 files stay hidden, the third shows
    const buildings = await demo.sql<{ id: number }[]>`select id from buildings where community_id = 'sf-mission' and zone_id = ${places.empty.id} order by id limit 3`
    const counted: (number | null)[] = []
    for (const b of buildings) {
      const made = await call(care, 'POST', `${C}/care`, { personName: `测试${b.id}`, buildingId: Number(b.id), periodStart: '2030-01-01', riskLevel: 'low' })
      expect(made.status).toBe(201)
      counted.push((await counts()).zones.find((z) => z.zoneId === places.empty.id)!.count)
    }
    expect(counted).toEqual([null, null, 3])
  })

  it('changes care files with If-Match, records visits, and refuses a period that ends before it starts', async () => {
    const care = demo.as('care')
    const made = await call<{ id: number; version: number }>(care, 'POST', `${C}/care`, { personName: '测试丙', periodStart: '2030-01-01', riskLevel: 'high', helpers: ['甲'] })
    expect(made.status).toBe(201)
    const changed = await call<{ riskLevel: string; version: number }>(care, 'PATCH', `${C}/care/${made.body.id}`, { riskLevel: 'medium' }, `"${made.body.version}"`)
    expect(changed.body).toMatchObject({ riskLevel: 'medium', version: 2 })
    const bad = await call<{ error: { code: string } }>(care, 'PATCH', `${C}/care/${made.body.id}`, { periodEnd: '2029-01-01' }, '"2"')
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_parameter'])
    expect((await call(care, 'POST', `${C}/care/${made.body.id}/visits`, { visitedOn: '2030-02-01', visitor: '甲', notes: '走访' })).status).toBe(201)
    const stale = await call(care, 'PATCH', `${C}/care/${made.body.id}`, { riskLevel: 'low' }, '"1"')
    expect(stale.status).toBe(409)
    expect(ErrorBodySchema.safeParse(stale.body).success).toBe(true)
  })
})
