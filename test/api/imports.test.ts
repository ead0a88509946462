/**
 * Bringing a community's own data (issue 10, server half): an admin creates an empty community —
 * every read endpoint answers it without failing — and files are imported into it: dry run first,
 * then all or nothing, idempotent, in the encodings and coordinate systems offices have. Fixtures
 * in fixtures/import/ (README there says what each holds and why).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CommunitySchema, ErrorBodySchema } from '../../server/src/contract.js'
import type { Client } from '../support/clients.js'
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

describe.each(testModes())('creating a community in %s mode', (mode) => {
  let demo: DemoHandle
  beforeAll(async () => {
    demo = await openDemo(mode)
  })
  afterAll(() => demo.close())

  it('creates an empty community with the UTM zone of its centre, audited, and refuses the same id again', async () => {
    const created = await post(demo.app, '/api/communities', { id: 'jingan-test', name: 'Jing’an test', nameZh: '静安测试', timeZone: 'Asia/Shanghai', boundary: square() })
    expect(created.status).toBe(201)
    const community = CommunitySchema.parse(created.body.community)
    expect(community).toMatchObject({ id: 'jingan-test', nameZh: '静安测试', timeZone: 'Asia/Shanghai', metricSrid: 32651 })
    expect(community.counts).toEqual({ buildings: 0, zones: 0, routes: 0, captains: 0, incidents: 0, disputes: 0 })
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
    ]
    for (const p of paths) {
      const res = await demo.app.request(p)
      expect(res.status, `${p}: ${await res.clone().text().then((t) => t.slice(0, 300))}`).toBe(200)
    }
    const hot = (await (await demo.app.request(`${c}/hotspots`)).json()) as { meta: { insufficient: boolean } }
    expect(hot.meta.insufficient).toBe(true)
  })
})
