/**
 * Issue 12, the rest: dispute density and hot spots by the incidents' analysis (`source=disputes`),
 * and the community's dispute deadline (read by the roles with records, set by admins, If-Match,
 * audited, used by the early warnings). One demo database per mode.
 *
 * The density check is the Gi* golden approach: disputes placed at the points of the golden
 * square-dense case must give R spdep's localG z-scores, and exactly — feature for feature, bit for
 * bit — the answer the incident analysis gives for incidents placed at the same points.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { FeatureCollection } from 'geojson'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT_DIR } from '../../server/src/config.js'
import { DisputeDeadlineSchema, DisputeWarningsSchema, ErrorBodySchema, type HotspotMeta } from '../../server/src/contract.js'
import type { Sql } from '../../server/src/db/connect.js'
import { cellCentre, createRectCommunity, placeIncidents, RECT } from '../support/analysis.js'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'

const GOLDEN = path.join(ROOT_DIR, 'fixtures/golden')
const readCsv = (name: string): Record<string, string>[] => {
  const [head, ...lines] = fs.readFileSync(path.join(GOLDEN, name), 'utf8').trim().split('\n')
  const cols = head!.split(',')
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, k) => [cols[k]!, v])))
}

/** Disputes at metric points of the rectangle, reported on local `day` (status reported). */
async function placeDisputes(sql: Sql, community: string, points: { x: number; y: number }[], day: string): Promise<void> {
  await sql`
    insert into disputes (community_id, geom, kind, reported_at, status)
    select ${community}, ST_Transform(ST_SetSRID(ST_Point(r.x, r.y), ${RECT.srid}), 4326), 'neighbour', (${day}::date::timestamp + interval '12 hours') at time zone c.time_zone, 'reported'
    from jsonb_to_recordset(${sql.json(points as never)}) as r (x float8, y float8) join communities as c on c.id = ${community}`
}

type Answer = FeatureCollection & { meta: HotspotMeta }

describe.each(testModes())('dispute density and the dispute deadline in %s mode', (mode) => {
  let demo: DemoHandle
  const get = async (who: Parameters<DemoHandle['as']>[0], url: string) => {
    const res = await demo.as(who).request(url)
    return { status: res.status, body: (await res.json()) as Answer & Record<string, unknown>, etag: res.headers.get('etag') }
  }
  beforeAll(async () => {
    demo = await openDemo(mode)
  })
  afterAll(() => demo.close())

  it('runs the incident analyses over disputes: R’s Gi*, and the same cells as incidents at the same points', { timeout: 180_000 }, async () => {
    const cells = readCsv('square-dense.csv')
    const points = cells.flatMap((cell) => Array.from({ length: Number(cell.count) }, () => cellCentre('square', Number(cell.i), Number(cell.j))))
    const later = points.slice(0, 7)
    await createRectCommunity(demo.sql, 'density-incidents')
    await createRectCommunity(demo.sql, 'density-disputes')
    await placeIncidents(demo.sql, 'density-incidents', points)
    await placeDisputes(demo.sql, 'density-disputes', points, '2020-01-15')
    // reported after the period asked for: only the time filter keeps them out
    await placeDisputes(demo.sql, 'density-disputes', later, '2020-03-02')

    const period = 'from=2020-01-01&to=2020-01-31'
    const run = (community: string, query: string) => get('system-admin', `/api/communities/${community}/hotspots?cell=100&shape=square&${query}&${period}`)
    const expected = readCsv('gistar-expected.csv').filter((e) => e.case === 'square-dense-ring1')
    for (const method of ['gistar', 'kde', 'count'] as const) {
      const inc = await run('density-incidents', `method=${method}`)
      const dis = await run('density-disputes', `method=${method}&source=disputes`)
      expect(inc.status, method).toBe(200)
      expect(dis.status, method).toBe(200)
      expect(dis.body.meta.source).toBe('disputes')
      expect(inc.body.meta.source).toBe('incidents')
      expect(dis.body.meta.incidents).toBe(points.length)
      expect(dis.body.meta.insufficient).toBe(false)
      // every cell and figure as the incident analysis answers them
      expect(dis.body.features).toStrictEqual(inc.body.features)
      const { source: _s, densityUnit, ...disMeta } = dis.body.meta
      const { source: _i, densityUnit: incUnit, ...incMeta } = inc.body.meta
      expect(disMeta).toStrictEqual(incMeta)
      if (method === 'kde') expect([densityUnit, incUnit]).toStrictEqual(['disputes/km²', 'incidents/km²'])
      if (method === 'gistar') {
        expect(dis.body.features).toHaveLength(expected.length)
        const got = new Map(dis.body.features.map((f) => [`${f.properties!.i}_${f.properties!.j}`, f.properties!]))
        for (const e of expected) {
          expect(got.get(`${e.i}_${e.j}`)!.count).toBe(Number(e.count))
          expect(Math.abs((got.get(`${e.i}_${e.j}`)!.z as number) - Number(e.z)), `z of ${e.i},${e.j}`).toBeLessThan(1e-6)
        }
      }
    }

    // without the period the later disputes count, in their cells
    const all = await get('system-admin', '/api/communities/density-disputes/hotspots?method=count&cell=100&source=disputes')
    expect(all.body.meta.incidents).toBe(points.length + later.length)
    const first = cellCentre('square', Number(cells.find((c) => Number(c.count) > 0)!.i), Number(cells.find((c) => Number(c.count) > 0)!.j))
    const inFirst = later.filter((p) => p.x === first.x && p.y === first.y).length
    const cellOf = (fc: Answer, x: number, y: number) => fc.features.find((f) => f.properties!.i === Math.floor(x / 100) && f.properties!.j === Math.floor(y / 100))!.properties!.count as number
    const dated = await run('density-disputes', 'method=count&source=disputes')
    expect(cellOf(all.body, first.x, first.y) - cellOf(dated.body, first.x, first.y)).toBe(inFirst)
  })

  it('shows the demo’s dispute density to every role at the aggregation incidents allow, and refuses incident filters', async () => {
    const C = '/api/communities/sf-mission/hotspots?source=disputes'
    const n = (await demo.sql<{ n: number }[]>`select count(*)::int as n from disputes where community_id = 'sf-mission'`)[0]!.n
    const counted = await get('viewer', `${C}&method=count&cell=100`)
    expect(counted.status).toBe(200)
    expect(counted.body.meta.source).toBe('disputes')
    // every dispute counted once: in a cell, or outside the study area
    expect(counted.body.features.reduce((a, f) => a + (f.properties!.count as number), 0)).toBe(counted.body.meta.incidents)
    expect(counted.body.meta.incidents + counted.body.meta.outsideArea).toBe(n)
    expect(n).toBeGreaterThan(0)
    for (const who of ['viewer', 'care'] as const) {
      const fine = await get(who, `${C}&method=count&cell=50`)
      expect(fine.status, who).toBe(403)
      expect(ErrorBodySchema.parse(fine.body).error.code).toBe('forbidden')
    }
    for (const who of ['mediator', 'planner'] as const) expect((await get(who, `${C}&method=count&cell=50`)).status, who).toBe(200)
    const kde = await get('viewer', `${C}&method=kde&cell=200`)
    expect(kde.status).toBe(200)
    expect(kde.body.meta.densityUnit).toBe('disputes/km²')
    // emerging hot spots too: monthly slices from the first to the last dispute reported
    const emerging = await get('viewer', `${C}&method=emerging&cell=200&slice=month`)
    expect(emerging.status).toBe(200)
    expect(emerging.body.meta.source).toBe('disputes')
    const [span] = await demo.sql<{ first: string; months: number }[]>`
      select to_char(date_trunc('month', min(reported_at at time zone 'America/Los_Angeles')), 'YYYY-MM-DD') as first,
             (extract(year from age(date_trunc('month', max(reported_at at time zone 'America/Los_Angeles')), date_trunc('month', min(reported_at at time zone 'America/Los_Angeles')))) * 12
              + extract(month from age(date_trunc('month', max(reported_at at time zone 'America/Los_Angeles')), date_trunc('month', min(reported_at at time zone 'America/Los_Angeles')))) + 1)::int as months
      from disputes where community_id = 'sf-mission'`
    expect([emerging.body.meta.firstSlice, emerging.body.meta.slices]).toStrictEqual([span!.first, span!.months])
    for (const bad of ['categories=ROBBERY', 'hours=22-02', 'weekdays=1,2', 'source=people']) {
      const res = await get('planner', `/api/communities/sf-mission/hotspots?source=disputes&${bad}`)
      expect(res.status, bad).toBe(400)
      expect(ErrorBodySchema.parse(res.body).error.code).toBe('invalid_parameter')
    }
  })

  it('keeps the dispute deadline per community: admins set it (If-Match, audited), the early warnings use it', async () => {
    const D = '/api/communities/sf-mission/disputes/deadline'
    const send = async (who: Parameters<DemoHandle['as']>[0], body: unknown, ifMatch?: string) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (ifMatch !== undefined) headers['if-match'] = ifMatch
      const res = await demo.as(who).request(D, { method: 'PUT', headers, body: JSON.stringify(body) })
      return { status: res.status, body: (await res.json()) as Record<string, unknown>, etag: res.headers.get('etag') }
    }
    const read = await get('mediator', D)
    expect(read.status).toBe(200)
    expect(DisputeDeadlineSchema.parse(read.body)).toStrictEqual({ days: 30, defaultDays: 30, version: 1 })
    expect(read.etag).toBe('"1"')

    // a dispute open for 40 days on 2031-02-10
    const location = await demo.sql<{ x: number; y: number }[]>`select ST_X(ST_PointOnSurface(geom)) as x, ST_Y(ST_PointOnSurface(geom)) as y from grid_zones where community_id = 'sf-mission' order by id limit 1`
    const created = await demo.as('mediator').request('/api/communities/sf-mission/disputes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'family', reportedAt: '2031-01-01', location: [location[0]!.x, location[0]!.y] }),
    })
    expect(created.status).toBe(201)
    const id = ((await created.json()) as { id: number }).id
    const overdue = async () => {
      const w = await get('mediator', '/api/communities/sf-mission/disputes/warnings?asOf=2031-02-10')
      expect(w.status).toBe(200)
      const answer = DisputeWarningsSchema.parse(w.body)
      expect(answer.deadlineSource).toBe('community')
      return { days: answer.deadlineDays, flagged: answer.warnings.some((x) => x.kind === 'overdue' && x.disputeIds.includes(id)) }
    }
    expect(await overdue()).toStrictEqual({ days: 30, flagged: true })

    expect((await send('mediator', { days: 45 }, '"1"')).status).toBe(403)
    expect((await send('planner', { days: 45 }, '"1"')).status).toBe(403)
    expect((await send('admin', { days: 45 })).status).toBe(428)
    for (const bad of [{ days: 0 }, { days: 366 }, { days: 4.5 }, { days: '45' }, {}, { days: 45, extra: 1 }]) {
      const res = await send('admin', bad, '"1"')
      expect(res.status, JSON.stringify(bad)).toBe(400)
      expect(ErrorBodySchema.parse(res.body).error.code).toBe('invalid_parameter')
    }
    expect((await send('admin', { days: 45 }, 'nonsense')).status).toBe(400)
    const saved = await send('admin', { days: 45 }, '"1"')
    expect(saved.status).toBe(200)
    expect(saved.body).toStrictEqual({ days: 45, defaultDays: 30, version: 2 })
    expect(saved.etag).toBe('"2"')
    const stale = await send('admin', { days: 20 }, '"1"')
    expect(stale.status).toBe(409)
    expect(ErrorBodySchema.parse(stale.body).error.code).toBe('version_conflict')
    expect((stale.body.error as { details: { current: unknown } }).details.current).toStrictEqual({ days: 45, defaultDays: 30, version: 2 })
    expect((await get('viewer', D)).status).toBe(403)
    expect((await get('planner', D)).body).toStrictEqual({ days: 45, defaultDays: 30, version: 2 })
    expect(await overdue()).toStrictEqual({ days: 45, flagged: false })

    const audit = await demo.sql<{ action: string; username: string; before: unknown; after: unknown }[]>`
      select action, username, before, after from audit_log where community_id = 'sf-mission' and entity = 'dispute_deadline' order by id`
    expect(audit.map((r) => ({ ...r }))).toStrictEqual([{ action: 'dispute_deadline_updated', username: 'demo-admin', before: { days: 30 }, after: { days: 45 } }])
    // another community's deadline is its own
    expect((await get('system-admin', '/api/communities/density-disputes/disputes/deadline')).body).toMatchObject({ days: 30, version: 1 })
  })
})
