/**
 * Plan previews of route and shift changes (issue 11), both database modes: the fast path — the
 * draft computed whole, today's figures recomputed only for the zones, buildings and hot cells the
 * draft's routes reach — answers exactly what computing everything on both sides answers; the zones
 * it skips are the same before and after when computed in full; and the API answers the same as
 * for a draft that takes the full path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { captainCoverage, patrolCoverage } from '../../server/src/analysis/coverage.js'
import { analyseGaps } from '../../server/src/analysis/gaps.js'
import { previewDraft, type Preview } from '../../server/src/analysis/preview.js'
import { DEFAULTS, parseHours, type Change } from '../../server/src/contract.js'
import type { Sql } from '../../server/src/db/connect.js'
import { applyChange } from '../../server/src/db/plans.js'
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

  it('recomputes today only where the routes reach, and answers what computing everything answers', async () => {
    const filter = { from: null, to: null, categories: null, hours: parseHours('22-02'), weekdays: null }
    const run = { mode, timeoutMs: 0 }
    // route 6 (Hayes Valley, 60 m reach) moved a little and walked at night; a night shift added to route 3 (16th St)
    const [r6] = await demo.sql<{ version: number; moved: unknown; teamId: number }[]>`
      select version, team_id, ST_AsGeoJSON(ST_Translate(geom, 0.0004, 0.0002))::jsonb as moved from patrol_routes where community_id = ${C} and id = 6`
    const changes: Change[] = [
      { entity: 'route', id: 6, version: r6!.version, set: { geometry: r6!.moved, shifts: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '21:00', end: '03:00' }] } },
      { entity: 'shift', set: { routeId: 3, days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '02:00' } },
    ]
    const everything = async (tx: Sql) => ({
      patrol: await patrolCoverage(tx, C, filter, null, run),
      gaps: await analyseGaps(tx, C, { network: 'all', cell: DEFAULTS.gaps.cell, fdr: DEFAULTS.gaps.fdr, filter }, run),
      captain: await captainCoverage(tx, C, DEFAULTS.coverage.maxBuildings, filter, null, run),
    })
    let preview: Preview | undefined
    let today: Awaited<ReturnType<typeof everything>> | undefined
    let draft: typeof today
    await demo.sql
      .begin(async (raw) => {
        const tx = raw as unknown as Sql
        today = await everything(tx)
        const who = { userId: null, username: 'test', ip: null }
        preview = await previewDraft(tx, C, changes, filter, null, run, who)
        // (the fast path leaves the transaction as it found it: the draft again, to compute everything on it)
        for (const change of changes) await applyChange(tx, C, change, who, DEFAULTS.coverage.maxBuildings)
        draft = await everything(tx)
        throw new Rollback()
      })
      .catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e
      })
    const p = preview!

    // only some zones were computed again for today
    const zones = today!.patrol.meta.zones
    expect(p.scope!.length).toBeGreaterThan(0)
    expect(p.scope!.length).toBeLessThan(zones.length)

    // today: the same figures as computing everything
    expect(p.before.patrol.meta).toEqual(today!.patrol.meta)
    expect(p.before.gaps.meta).toEqual(today!.gaps.meta)
    expect(p.before.captain.meta).toEqual(today!.captain.meta)
    expect(p.before.patrolGaps.parts.priority).toEqual(features(today!.gaps.features).filter((f) => f.properties.kind === 'priority').map((f) => f.properties))
    // the draft: the same answers, features and all
    expect(p.after.patrol.meta).toEqual(draft!.patrol.meta)
    expect(asSet(features(p.after.patrol.features))).toEqual(asSet(features(draft!.patrol.features)))
    expect(p.after.gaps.meta).toEqual(draft!.gaps.meta)
    expect(asSet(features(p.after.gaps.features))).toEqual(asSet(features(draft!.gaps.features)))
    expect(p.after.captain.meta).toEqual(draft!.captain.meta)

    // the zones skipped as out of reach are the same before and after, computed in full: figures, area gaps and uncovered buildings
    const skipped = zones.filter((z) => !p.scope!.includes(z.id)).map((z) => z.id)
    expect(skipped.length).toBeGreaterThan(0)
    const inZones = (f: Feature[]) => asSet(f.filter((x) => x.properties.kind !== 'priority' && skipped.includes(x.properties.zoneId as number)))
    for (const id of skipped) expect(draft!.patrol.meta.zones.find((z) => z.id === id)).toEqual(zones.find((z) => z.id === id))
    expect(inZones(features(draft!.gaps.features))).toEqual(inZones(features(today!.gaps.features)))
    // and something changed where the routes reach
    expect(draft!.patrol.meta.coveredM2).toBeGreaterThan(today!.patrol.meta.coveredM2)
    expect(p.coverage.added!.areaM2 - (p.coverage.removed?.areaM2 ?? 0)).toBeCloseTo(draft!.patrol.meta.coveredM2 - today!.patrol.meta.coveredM2, -1)

    // through the API: the same answer as a draft that takes the full path (one more change, of a team's phone, which moves no figure)
    const ask = async (draft: Change[]) => {
      const res = await demo.as('planner').request(`/api/communities/${C}/plans/preview?hours=22-02`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ changes: draft }),
      })
      expect(res.status).toBe(200)
      const body = (await res.json()) as { differences: Json; before: Json; after: Record<string, { features: unknown[] }> }
      for (const k of ['patrol', 'gaps', 'captain']) body.after[k]!.features = asSet(body.after[k]!.features)
      return { differences: body.differences, before: body.before, after: body.after }
    }
    const [team] = await demo.sql<{ version: number }[]>`select version from patrol_teams where community_id = ${C} and id = ${r6!.teamId}`
    const fast = await ask(changes)
    const full = await ask([...changes, { entity: 'team', id: r6!.teamId, version: team!.version, set: { phone: '415-555-0142' } }])
    expect(fast).toEqual(full)
    expect(fast.differences.gaps).toEqual(
      Object.fromEntries(['area', 'building', 'captainless', 'priority'].map((k) => [k, { before: today!.gaps.meta.counts[k as 'area'] ?? 0, after: draft!.gaps.meta.counts[k as 'area'] ?? 0 }])),
    )
  })
})
