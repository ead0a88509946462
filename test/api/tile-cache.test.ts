/**
 * What tiles are built from and kept by (issue 16): building_facts (a building's captain and its
 * incidents within 25 m, kept by triggers, migration 00009) always equal what the layer measured on
 * every request before; tiles kept in the process are never served after an edit of what they show,
 * whoever makes it (here: SQL straight to the database, as an import or another server would); and
 * the cache keeps tiles of different views and languages apart.
 */
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUILDING_INCIDENT_RADIUS_M } from '../../server/src/contract.js'
import type { Sql } from '../../server/src/db/connect.js'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'

const INNER = '/tiles/buildings/16/10482/25333.mvt?community=sf-mission'
const INCIDENTS = '/tiles/incidents/16/10482/25333.mvt?community=sf-mission'

/** Thrown to roll a transaction back after its checks. */
class RolledBack extends Error {}

function decode(buf: ArrayBuffer, layer: string): Map<number, Record<string, unknown>> {
  const l = new VectorTile(new PbfReader(new Uint8Array(buf))).layers[layer]
  const out = new Map<number, Record<string, unknown>>()
  if (l) for (let i = 0; i < l.length; i++) out.set(l.feature(i).id!, l.feature(i).properties)
  return out
}

describe.each(testModes())('tile facts and the tile cache in %s mode', (mode) => {
  let demo: DemoHandle
  beforeAll(async () => {
    demo = await openDemo(mode)
  })
  afterAll(() => demo.close())

  /** Buildings whose stored facts differ from the facts measured now, as the layer did before 00009. */
  async function driftedFacts(sql: Sql = demo.sql) {
    return sql<{ id: number; captainId: number | null; stored: number | null; measured: number; storedNear: number | null }[]>`
      select b.id, cap.id as captain_id, f.captain_id as stored, near.n as measured, f.incidents_near as stored_near
      from buildings as b
      join communities as c on c.id = b.community_id
      left join building_facts as f on f.community_id = b.community_id and f.building_id = b.id
      left join lateral (
        select k.id from captain_buildings as cb
        join captains as k on k.community_id = cb.community_id and k.id = cb.captain_id and k.active
        where cb.community_id = b.community_id and cb.building_id = b.id order by k.id limit 1
      ) as cap on true
      cross join lateral (
        select count(*)::int as n from incidents as i
        where i.community_id = b.community_id and i.geom && safegrid_metre_box(b.geom, ${BUILDING_INCIDENT_RADIUS_M}::float8)
          and ST_DWithin(ST_Transform(i.geom, c.metric_srid), ST_Transform(b.geom, c.metric_srid), ${BUILDING_INCIDENT_RADIUS_M}::float8)
      ) as near
      where f.building_id is null or f.captain_id is distinct from cap.id or f.incidents_near <> near.n
      order by b.id`
  }

  it('keeps every building\'s captain and nearby incidents equal to a fresh measurement, through edits', async () => {
    const [row] = await demo.sql<{ n: number }[]>`select count(*)::int as n from building_facts where incidents_near > 0 and captain_id is not null`
    expect(row!.n).toBeGreaterThan(50)
    // A building with a captain and incidents around it.
    const [b] = await demo.sql<{ id: number; captainId: number; lon: number; lat: number }[]>`
      select f.building_id as id, f.captain_id, ST_X(ST_PointOnSurface(b.geom)) as lon, ST_Y(ST_PointOnSurface(b.geom)) as lat
      from building_facts as f join buildings as b on b.community_id = f.community_id and b.id = f.building_id
      where f.community_id = 'sf-mission' and f.incidents_near > 0 and f.captain_id is not null order by f.building_id limit 1`
    await demo.sql.begin(async (tx) => {
      // incidents: two new on the building, one moved onto it, one deleted
      await tx`insert into incidents (community_id, category, occurred_at, time_known, geom, source, source_id)
               select 'sf-mission', 'TEST', now(), true, ST_SetSRID(ST_Point(${b!.lon}::float8, ${b!.lat}::float8), 4326), 'test', s::text from generate_series(1, 2) as s`
      await tx`update incidents set geom = ST_SetSRID(ST_Point(${b!.lon}::float8, ${b!.lat}::float8), 4326)
               where community_id = 'sf-mission' and id = (select min(id) from incidents where community_id = 'sf-mission' and source <> 'test')`
      await tx`delete from incidents where community_id = 'sf-mission' and id = (select max(id) from incidents where community_id = 'sf-mission' and source <> 'test')`
      // captains: this building's captain steps down, another captain's links change
      await tx`update captains set active = false where community_id = 'sf-mission' and id = ${b!.captainId}`
      await tx`delete from captain_buildings where community_id = 'sf-mission' and building_id = (select min(building_id) from captain_buildings where community_id = 'sf-mission')`
      // buildings: a new one on the incidents, one moved
      await tx`insert into buildings (community_id, geom, source, source_id)
               values ('sf-mission', ST_Multi(ST_Buffer(ST_SetSRID(ST_Point(${b!.lon}::float8, ${b!.lat}::float8), 4326), 0.00005)), 'test', 'b1')`
      await tx`update buildings set geom = ST_Translate(geom, 0.0003, 0) where community_id = 'sf-mission' and id = (select max(id) from buildings where community_id = 'sf-mission' and source <> 'test')`
      expect(await driftedFacts(tx as unknown as Sql)).toEqual([])
      // a community's new metric CRS moves every metric copy
      await tx`update communities set metric_srid = 3310 where id = 'sf-mission'`
      expect(await driftedFacts(tx as unknown as Sql)).toEqual([])
      throw new RolledBack()
    }).catch((e: unknown) => {
      if (!(e instanceof RolledBack)) throw e
    })
  })

  it('never serves a kept tile after an edit of its buildings, captains or incidents', async () => {
    const planner = demo.as('planner')
    const get = async (path: string) => {
      const res = await planner.request(path)
      return { etag: res.headers.get('etag'), buf: await res.arrayBuffer() }
    }
    const first = await get(INNER)
    const props = decode(first.buf, 'buildings')
    const [id, p] = [...props].find(([, q]) => q.captained === true)!
    expect((await get(INNER)).etag).toBe(first.etag)

    await demo.sql`update captains set active = false where community_id = 'sf-mission' and id = ${p.captainId as number}`
    const afterCaptain = await get(INNER)
    expect(afterCaptain.etag).not.toBe(first.etag)
    expect(decode(afterCaptain.buf, 'buildings').get(id)!.captained).toBe(false)

    await demo.sql`update buildings set address = 'test address' where community_id = 'sf-mission' and id = ${id}`
    expect(decode((await get(INNER)).buf, 'buildings').get(id)!.address).toBe('test address')

    const before = decode((await get(INNER)).buf, 'buildings').get(id)!.incidents as number
    const [pt] = await demo.sql<{ lon: number; lat: number }[]>`select ST_X(ST_PointOnSurface(geom)) as lon, ST_Y(ST_PointOnSurface(geom)) as lat from buildings where community_id = 'sf-mission' and id = ${id}`
    const incidentsBefore = decode((await get(INCIDENTS)).buf, 'incidents').size
    await demo.sql`insert into incidents (community_id, category, occurred_at, time_known, geom, source, source_id)
                   values ('sf-mission', 'TEST', now(), true, ST_SetSRID(ST_Point(${pt!.lon}::float8, ${pt!.lat}::float8), 4326), 'test', 'cache')`
    expect(decode((await get(INNER)).buf, 'buildings').get(id)!.incidents).toBe(before + 1)
    expect(decode((await get(INCIDENTS)).buf, 'incidents').size).toBe(incidentsBefore + 1)

    // a zone's code is on its buildings
    const zoneId = decode((await get(INNER)).buf, 'buildings').get(id)!.zoneId as number
    await demo.sql`update grid_zones set code = 'TEST-CODE' where community_id = 'sf-mission' and id = ${zoneId}`
    expect(decode((await get(INNER)).buf, 'buildings').get(id)!.zoneCode).toBe('TEST-CODE')
  })

  it('keeps the tiles of different views and languages apart', async () => {
    const planner = decode(await (await demo.as('planner').request(INNER)).arrayBuffer(), 'buildings')
    const viewer = decode(await (await demo.as('viewer').request(INNER)).arrayBuffer(), 'buildings')
    const plannerAgain = decode(await (await demo.as('planner').request(INNER)).arrayBuffer(), 'buildings')
    expect([...planner.values()].some((q) => typeof q.incidents === 'number')).toBe(true)
    for (const q of viewer.values()) expect(q.incidents).toBeUndefined()
    expect(plannerAgain).toEqual(planner)
    const captain = { id: [...planner.values()].find((q) => q.captained === true)!.captainId as number }
    await demo.sql`update captains set names = '{"en": "Test Captain", "zh": "测试楼长"}' where community_id = 'sf-mission' and id = ${captain!.id}`
    const names = async (lang: string) => {
      const res = await demo.as('planner').request(`${INNER}&lang=${lang}`)
      return [...decode(await res.arrayBuffer(), 'buildings').values()].filter((q) => q.captainId === captain!.id).map((q) => q.captainName)
    }
    for (let round = 0; round < 2; round++) {
      expect(new Set(await names('en'))).toEqual(new Set(['Test Captain']))
      expect(new Set(await names('zh'))).toEqual(new Set(['测试楼长']))
    }
  })
})
