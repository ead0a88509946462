/**
 * Plan previews of route and shift changes (issue 11), both database modes: the fast paths — one
 * side whole (today's figures, kept between previews while their rows do not change; or, with
 * `features`, the draft's answers to draw), the other only for the zones, buildings and hot cells the
 * draft's routes reach — answer exactly what computing everything on both sides answers, and the
 * buildings the draft brings into or leaves out of coverage are those that leave or join the building
 * gaps; the zones skipped are the same before and after when computed in full; the API answers the
 * same as for a draft that takes the full path; and a saved change is never previewed from stale
 * figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { captainCoverage, patrolCoverage } from '../../server/src/analysis/coverage.js'
import { analyseGaps } from '../../server/src/analysis/gaps.js'
import { previewDataVersion, previewDraft, PreviewCache, type Preview, type PreviewOptions } from '../../server/src/analysis/preview.js'
import { DEFAULTS, parseHours, type Change, type EditAnswer } from '../../server/src/contract.js'
import { createApp } from '../../server/src/app.js'
import { connectUrl, type Sql } from '../../server/src/db/connect.js'
import { applyChange } from '../../server/src/db/plans.js'
import { clientFor, DEMO_USER } from '../support/clients.js'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'

type Json = Record<string, unknown>
type Feature = { geometry: unknown; properties: Json }
const C = 'sf-mission'
const features = (text: unknown) => JSON.parse(`[${typeof text === 'string' ? text : new TextDecoder().decode(text as Uint8Array)}]`) as Feature[]
/** Features as a set (the database may hand pieces over in another order). */
const asSet = (f: unknown[]) => f.map((x) => JSON.stringify(x)).sort()

class Rollback {}

describe.each(testModes())('plan preview of route changes in %s mode', (mode) => {
  let demo: DemoHandle
  beforeAll(async () => {
    demo = await openDemo(mode)
  })
  afterAll(() => demo.close())

  const filter = { from: null, to: null, categories: null, hours: parseHours('22-02'), weekdays: null }
  const everything = async (tx: Sql) => ({
    patrol: await patrolCoverage(tx, C, filter, null, { mode, timeoutMs: 0 }),
    gaps: await analyseGaps(tx, C, { network: 'all', cell: DEFAULTS.gaps.cell, fdr: DEFAULTS.gaps.fdr, filter }, { mode, timeoutMs: 0 }),
    captain: await captainCoverage(tx, C, DEFAULTS.coverage.maxBuildings, filter, null, { mode, timeoutMs: 0 }),
  })
  /** The preview of `changes`, and everything computed today and on the draft, in a transaction rolled back. */
  const previewAndEverything = async (changes: Change[], options: PreviewOptions = {}) => {
    let result: { p: Preview; today: Awaited<ReturnType<typeof everything>>; draft: Awaited<ReturnType<typeof everything>> } | undefined
    await demo.sql
      .begin(async (raw) => {
        const tx = raw as unknown as Sql
        const today = await everything(tx)
        const who = { userId: null, username: 'test', ip: null }
        // server mode: captain figures and the grid computed meanwhile on the pool's other connections, as the API does on its analysis pool
        const p = await previewDraft(tx, C, changes, filter, null, { mode, timeoutMs: 0 }, who, mode === 'server' ? demo.sql : null, options)
        // (the fast path leaves the transaction as it found it: the draft again, to compute everything on it)
        const again: EditAnswer[] = []
        for (const change of changes) again.push(await applyChange(tx, C, change, who, DEFAULTS.coverage.maxBuildings))
        const draft = await everything(tx)
        // a row the draft creates has another id each time (sequences do not roll back): the preview's ids as the draft's
        const ids = new Map(p.applied.map((a, i) => [a.id, again[i]!.id]))
        draft.patrol.meta.routesInService = draft.patrol.meta.routesInService.map((id) => [...ids].find(([, d]) => d === id)?.[0] ?? id)
        result = { p, today, draft }
        throw new Rollback()
      })
      .catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e
      })
    return result!
  }
  /** The preview of `changes` alone, in a transaction rolled back. */
  const previewOnly = async (changes: Change[], options: PreviewOptions) => {
    let p: Preview | undefined
    await demo.sql
      .begin(async (raw) => {
        p = await previewDraft(raw as unknown as Sql, C, changes, filter, null, { mode, timeoutMs: 0 }, { userId: null, username: 'test', ip: null }, mode === 'server' ? demo.sql : null, options)
        throw new Rollback()
      })
      .catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e
      })
    return p!
  }
  /** The fast path's figures and features are those of computing everything, today and on the draft. */
  const expectEverything = ({ p, today, draft }: Awaited<ReturnType<typeof previewAndEverything>>) => {
    expect(p.scope).not.toBeNull()
    expect(p.before.patrol.meta).toEqual(today.patrol.meta)
    expect(p.before.gaps.meta).toEqual(today.gaps.meta)
    expect(p.before.captain.meta).toEqual(today.captain.meta)
    expect(p.before.patrolGaps.parts.priority).toEqual(features(today.gaps.features).filter((f) => f.properties.kind === 'priority').map((f) => f.properties))
    expect(p.after.patrol.meta).toEqual(draft.patrol.meta)
    expect(p.after.gaps.meta).toEqual(draft.gaps.meta)
    expect(p.after.captain.meta).toEqual(draft.captain.meta)
    expect(p.after.patrolGaps.parts.priority).toEqual(features(draft.gaps.features).filter((f) => f.properties.kind === 'priority').map((f) => f.properties))
    if (p.features) {
      expect(asSet(features(p.after.patrol.features))).toEqual(asSet(features(draft.patrol.features)))
      expect(asSet(features(p.after.gaps.features))).toEqual(asSet(features(draft.gaps.features)))
    } else expect([p.after.patrol.features, p.after.gaps.features]).toEqual(['', ''])
    // the buildings brought into coverage leave the building gaps, those left outside it join them
    const uncovered = (f: unknown) => new Set(features(f).filter((x) => x.properties.kind === 'building').map((x) => x.properties.buildingId as number))
    const [was, is] = [uncovered(today.gaps.features), uncovered(draft.gaps.features)]
    expect(p.buildings.covered).toEqual([...was].filter((id) => !is.has(id)).sort((a, b) => a - b))
    expect(p.buildings.uncovered).toEqual([...is].filter((id) => !was.has(id)).sort((a, b) => a - b))
  }

  it('recomputes today only where the routes reach, and answers what computing everything answers', async () => {
    // route 6 (Hayes Valley, 60 m reach) moved a little and walked at night; a night shift added to route 3 (16th St)
    const [r6] = await demo.sql<{ version: number; moved: unknown; teamId: number }[]>`
      select version, team_id, ST_AsGeoJSON(ST_Translate(geom, 0.0004, 0.0002))::jsonb as moved from patrol_routes where community_id = ${C} and id = 6`
    const changes: Change[] = [
      { entity: 'route', id: 6, version: r6!.version, set: { geometry: r6!.moved, shifts: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '21:00', end: '03:00' }] } },
      { entity: 'shift', set: { routeId: 3, days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '02:00' } },
    ]
    // figures (today's side whole, from the cache the second time) and features (the draft's side whole)
    const cache = new PreviewCache()
    const result = await previewAndEverything(changes, { cache })
    expectEverything(result)
    // (the draft's new shift has another id each time: no answer names it)
    expectEverything({ ...result, p: await previewOnly(changes, { cache }) })
    expect([cache.misses, cache.hits]).toEqual([1, 1])
    expectEverything({ ...result, p: await previewOnly(changes, { features: true }) })
    expect(result.p.buildings.covered.length).toBeGreaterThan(0)
    const { p, today, draft } = result

    // only some zones were computed again for today
    const zones = today.patrol.meta.zones
    expect(p.scope!.length).toBeGreaterThan(0)
    expect(p.scope!.length).toBeLessThan(zones.length)

    // the zones skipped as out of reach are the same before and after, computed in full: figures, area gaps and uncovered buildings
    const skipped = zones.filter((z) => !p.scope!.includes(z.id)).map((z) => z.id)
    expect(skipped.length).toBeGreaterThan(0)
    const inZones = (f: Feature[]) => asSet(f.filter((x) => x.properties.kind !== 'priority' && skipped.includes(x.properties.zoneId as number)))
    for (const id of skipped) expect(draft.patrol.meta.zones.find((z) => z.id === id)).toEqual(zones.find((z) => z.id === id))
    expect(inZones(features(draft.gaps.features))).toEqual(inZones(features(today.gaps.features)))
    // and something changed where the routes reach
    expect(draft.patrol.meta.coveredM2).toBeGreaterThan(today.patrol.meta.coveredM2)
    expect(p.coverage.added!.areaM2 - (p.coverage.removed?.areaM2 ?? 0)).toBeCloseTo(draft.patrol.meta.coveredM2 - today.patrol.meta.coveredM2, -1)

    // through the API: the same answer as a draft that takes the full path (one more change, of a team's phone, which moves no figure)
    const ask = async (draft: Change[], client = demo.as('planner'), query = '') => {
      const res = await client.request(`/api/communities/${C}/plans/preview?hours=22-02${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ changes: draft }),
      })
      expect(res.status).toBe(200)
      const body = (await res.json()) as { differences: Json; before: Json; after: Record<string, { features?: unknown[] }> }
      for (const k of ['patrol', 'gaps', 'captain']) if (body.after[k]!.features) body.after[k]!.features = asSet(body.after[k]!.features)
      return { differences: body.differences, before: body.before, after: body.after }
    }
    const [team] = await demo.sql<{ version: number }[]>`select version from patrol_teams where community_id = ${C} and id = ${r6!.teamId}`
    const fast = await ask(changes)
    const withTeam: Change[] = [...changes, { entity: 'team', id: r6!.teamId, version: team!.version, set: { phone: '415-555-0142' } }]
    const full = await ask(withTeam)
    expect(fast).toEqual(full)
    // the figures of the draft, as computing everything on it answers them
    expect(fast.after).toEqual({ patrol: draft.patrol.meta, gaps: draft.gaps.meta, captain: draft.captain.meta })
    // with features: the same differences and figures, and the draft's answers whole
    const drawnApi = await ask(changes, undefined, '&features=true')
    expect(drawnApi.differences).toEqual(fast.differences)
    expect(drawnApi.before).toEqual(fast.before)
    expect((drawnApi.after.gaps as unknown as { meta: Json }).meta).toEqual(draft.gaps.meta)
    expect(drawnApi.after.gaps!.features).toEqual(asSet(features(draft.gaps.features)))
    if (mode === 'server') {
      // as server.ts runs it: analyses on a pool of their own, so the captain figures and the grid are computed meanwhile there
      const analysisSql = connectUrl(demo.url!, 2)
      try {
        expect(await ask(changes, clientFor(createApp({ sql: demo.sql, analysisSql, mode }), DEMO_USER.planner))).toEqual(fast)
      } finally {
        await analysisSql.end()
      }
    }
    expect((fast.differences.buildings as Json).covered).toEqual(result.p.buildings.covered)
    expect(fast.differences.gaps).toEqual(
      Object.fromEntries(['area', 'building', 'captainless', 'priority'].map((k) => [k, { before: today.gaps.meta.counts[k as 'area'] ?? 0, after: draft.gaps.meta.counts[k as 'area'] ?? 0 }])),
    )
  })

  it('answers a deleted route and a new one as computing everything does', async () => {
    const [r1] = await demo.sql<{ version: number; teamId: number }[]>`select version, team_id from patrol_routes where community_id = ${C} and id = 1`
    const line = { type: 'LineString', coordinates: [[-122.4216, 37.7649], [-122.4196, 37.765]] }
    const result = await previewAndEverything([
      { entity: 'route', id: 1, version: r1!.version, delete: true },
      { entity: 'route', set: { name: 'Draft route', teamId: r1!.teamId, reachM: 150, geometry: line, shifts: [{ days: [5, 6], start: '23:00', end: '01:00' }] } },
    ])
    expectEverything(result)
    expect(result.draft.patrol.meta.routesInService).not.toEqual(result.today.patrol.meta.routesInService)
  })

  it("previews a captain's buildings by the full path: captain figures move, patrol figures do not", async () => {
    const free = await demo.sql<{ id: number }[]>`
      select b.id from buildings as b where b.community_id = ${C}
        and not exists (select 1 from captain_buildings as cb where cb.community_id = b.community_id and cb.building_id = b.id)
      order by b.id limit 3`
    const res = await demo.as('planner').request(`/api/communities/${C}/plans/preview?hours=22-02`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ changes: [{ entity: 'captain', set: { name: 'Draft captain', buildingIds: free.map((b) => Number(b.id)) } }] }),
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { differences: { gaps: Record<string, { before: number; after: number }>; coverage: Json; patrol: { total: { before: Json; after: Json } } } }
    expect(body.differences.gaps.captainless!.after).toBe(body.differences.gaps.captainless!.before - 3)
    expect(body.differences.patrol.total.after).toEqual(body.differences.patrol.total.before)
    expect(body.differences.coverage).toEqual({ added: null, removed: null })
  })

  it('previews after a saved change from fresh figures: today is then what the draft was', async () => {
    // (last: it saves) one app, one cache of today's figures
    const client = demo.as('planner')
    const post = async (path: string, changes: Change[]) => {
      const res = await client.request(`/api/communities/${C}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ changes }) })
      expect(res.status).toBe(200)
      return (await res.json()) as { before: Json; after: Json; differences: { buildings: { covered: number[] } } }
    }
    // a route not walked at night yet
    const [day] = await demo.sql<{ id: number }[]>`
      select r.id from patrol_routes as r where r.community_id = ${C} and not exists (
        select 1 from patrol_shifts as s where s.community_id = r.community_id and s.route_id = r.id and safegrid_shift_in_window(s.days, s.start_time, s.end_time, null, 1320, 120))
      order by r.id limit 1`
    const night: Change = { entity: 'shift', set: { routeId: Number(day!.id), days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '02:00' } }
    const bad = await client.request(`/api/communities/${C}/plans/preview?features=maybe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ changes: [night] }) })
    expect(bad.status).toBe(400)
    const first = await post('plans/preview?hours=22-02', [night])
    expect(first.after).not.toEqual(first.before)
    const version = await previewDataVersion(demo.sql, C)
    await post('plans', [night])
    expect(await previewDataVersion(demo.sql, C)).not.toBe(version)
    // a draft that moves nothing now (the same shift once more): both sides are what the first preview's draft was
    const second = await post('plans/preview?hours=22-02', [night])
    expect(second.before).toEqual(first.after)
    expect(second.after).toEqual(first.after)
    expect(second.differences.buildings.covered).toEqual([])
  })
})
