import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RECT } from '../../fixtures/golden/rect.js'
import { migrate } from '../../server/src/db/migrate.js'
import { coveredHours, shiftInWindow, type ShiftMinutes } from '../../server/src/rules/shifts.js'
import { box, createFixture } from '../support/coverage-fixtures.js'
import { openEmpty, testModes } from '../support/db.js'

// Each domain rule has one home; where it has a twin (SQL and the TypeScript the web app shares),
// the two must give the same answers.
describe.each(testModes())('domain rules in %s mode', (mode) => {
  let db: Awaited<ReturnType<typeof openEmpty>>
  beforeAll(async () => {
    db = await openEmpty(mode)
    await migrate(db.sql)
  }, 180_000)
  afterAll(() => db.close())

  it('a shift is in service in a window exactly when safegrid_shift_in_window says so', async () => {
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
    const shifts: ShiftMinutes[] = [
      { days: [1, 2, 3, 4, 5], start: 8 * 60, end: 16 * 60 },
      { days: [5, 6], start: 22 * 60, end: 6 * 60 },
      { days: [7], start: 22 * 60, end: 2 * 60 },
      { days: [3], start: 20 * 60, end: 0 },
      { days: [1, 4, 7], start: 0, end: 30 },
      { days: [2], start: 23 * 60 + 30, end: 23 * 60 },
    ]
    const hours = [null, { start: 22 * 60, end: 2 * 60 }, { start: 8 * 60, end: 9 * 60 }, { start: 16 * 60, end: 22 * 60 }, { start: 22 * 60, end: 0 }, { start: 0, end: 60 }, { start: 23 * 60 + 59, end: 1 }]
    const weekdays = [null, [1], [6, 7], [7], [1, 5], [2, 3, 4]]
    const cases = shifts.flatMap((s, si) => hours.flatMap((h, hi) => weekdays.map((w, wi) => ({ si, hi, wi, s, h, w }))))
    const rows = await db.sql<{ k: number; on: boolean }[]>`
      select t.k, safegrid_shift_in_window(t.days::smallint[], t.start_time::time, t.end_time::time, t.weekdays, t.hs, t.he) as on
      from jsonb_to_recordset(${db.sql.json(
        cases.map((c, k) => ({ k, days: c.s.days, start_time: hhmm(c.s.start), end_time: hhmm(c.s.end), weekdays: c.w, hs: c.h?.start ?? null, he: c.h?.end ?? null })) as never,
      )}) as t (k int, days int[], start_time text, end_time text, weekdays int[], hs int, he int)
      order by t.k`
    expect(rows).toHaveLength(cases.length)
    let on = 0
    for (const [k, c] of cases.entries()) {
      const ts = shiftInWindow(c.s, { weekdays: c.w, hours: c.h })
      expect(rows[k]!.on, JSON.stringify(c)).toBe(ts)
      if (ts) on++
    }
    // both answers occur often enough for the comparison to mean something
    expect(on).toBeGreaterThan(cases.length / 5)
    expect(on).toBeLessThan((cases.length * 4) / 5)
  })

  it('the hours a night shift covers are the hours the rule finds it in service', () => {
    const night = { days: [6], start: 22 * 60, end: 6 * 60 }
    expect(coveredHours([night], [6]).map((c, h) => (c ? h : -1)).filter((h) => h >= 0)).toEqual([22, 23])
    expect(coveredHours([night], [7]).map((c, h) => (c ? h : -1)).filter((h) => h >= 0)).toEqual([0, 1, 2, 3, 4, 5])
    expect(coveredHours([night], null).filter(Boolean)).toHaveLength(8)
  })

  it('keeps the zone of buildings and incidents when zones are drawn, reshaped and removed', async () => {
    await createFixture(db.sql, 'zoning', {
      zones: { A: box(0, 0, 600, 1000) },
      buildings: [{ box: box(100, 100, 120, 120), households: 1 }, { box: box(700, 100, 720, 120), households: 1 }, { box: box(1150, 500, 1190, 520), households: 1 }],
    })
    const pt = (dx: number, dy: number) => db.sql`ST_Transform(ST_SetSRID(ST_Point(${RECT.xmin + dx}::float8, ${RECT.ymin + dy}::float8), ${RECT.srid}::int), 4326)`
    await db.sql`insert into incidents (community_id, category, occurred_at, time_known, geom, source, source_id)
                 values ('zoning', 'T', now(), true, ${pt(110, 300)}, 't', '1'), ('zoning', 'T', now(), true, ${pt(650, 300)}, 't', '2'), ('zoning', 'T', now(), true, ${pt(590, 600)}, 't', '3')`
    const zones = async () => {
      const b = await db.sql<{ sourceId: string; code: string | null }[]>`
        select b.source_id, z.code from buildings as b left join grid_zones as z on z.community_id = b.community_id and z.id = b.zone_id where b.community_id = 'zoning' order by b.source_id`
      const i = await db.sql<{ sourceId: string; code: string | null }[]>`
        select i.source_id, z.code from incidents as i left join grid_zones as z on z.community_id = i.community_id and z.id = i.zone_id where i.community_id = 'zoning' order by i.source_id`
      return { buildings: b.map((r) => r.code), incidents: i.map((r) => r.code) }
    }
    // Building 2 sticks out of A by 100 m: no zone (beyond ~100 m); building 3 is far away.
    expect(await zones()).toEqual({ buildings: ['A', null, null], incidents: ['A', null, 'A'] })
    await db.sql`insert into grid_zones (community_id, code, name, geom) values ('zoning', 'B', 'B', ST_Multi(ST_Transform(ST_MakeEnvelope(${RECT.xmin + 600}::float8, ${RECT.ymin}::float8, ${RECT.xmin + 1000}::float8, ${RECT.ymin + 1000}::float8, ${RECT.srid}::int), 4326)))`
    // B takes building 2 and incident 2.
    expect(await zones()).toEqual({ buildings: ['A', 'B', null], incidents: ['A', 'B', 'A'] })
    await db.sql`update grid_zones set geom = ST_Multi(ST_Transform(ST_MakeEnvelope(${RECT.xmin + 600}::float8, ${RECT.ymin}::float8, ${RECT.xmin + 1140}::float8, ${RECT.ymin + 1000}::float8, ${RECT.srid}::int), 4326)) where community_id = 'zoning' and code = 'B'`
    // Reshaped, B reaches within 10 m of building 3: its nearest zone.
    expect(await zones()).toEqual({ buildings: ['A', 'B', 'B'], incidents: ['A', 'B', 'A'] })
    await db.sql`delete from grid_zones where community_id = 'zoning' and code = 'A'`
    // Without A, building 1 (480 m from B) and incidents 1 and 3 have no zone.
    expect(await zones()).toEqual({ buildings: [null, 'B', 'B'], incidents: [null, 'B', null] })
    // And every stored zone is what the rule says now.
    const [row] = await db.sql<{ stale: number }[]>`
      select (select count(*) from buildings where zone_id is distinct from safegrid_zone_of(community_id, geom))
           + (select count(*) from incidents where zone_id is distinct from safegrid_zone_containing(community_id, geom)) as stale`
    expect(row!.stale).toBe(0)
  })
})
