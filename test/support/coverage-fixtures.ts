/**
 * Small named coverage fixtures on the analysis rectangle (test/support/analysis.ts): zones, teams,
 * routes with shifts, buildings and captains placed in UTM 10N metres.
 */
import { RECT } from '../../fixtures/golden/rect.js'
import type { Sql } from '../../server/src/db/connect.js'
import { createRectCommunity } from './analysis.js'

export type XY = [number, number]

export interface FixtureRoute {
  line: XY[]
  reachM: number
  shifts: { days: number[]; start: string; end: string }[]
}

export interface Fixture {
  /** zones as metric rectangles [xmin, ymin, xmax, ymax], code → box */
  zones: Record<string, [number, number, number, number]>
  routes?: FixtureRoute[]
  /** buildings as metric boxes, with households */
  buildings?: { box: [number, number, number, number]; households: number; captain?: { name: string; active: boolean } }[]
}

const X = (dx: number) => RECT.xmin + dx
const Y = (dy: number) => RECT.ymin + dy

/** Offsets from the rectangle's south-west corner to absolute metres. */
export const at = (dx: number, dy: number): XY => [X(dx), Y(dy)]
export const box = (dx1: number, dy1: number, dx2: number, dy2: number): [number, number, number, number] => [X(dx1), Y(dy1), X(dx2), Y(dy2)]

/** Creates community `id` with the fixture's records. */
export async function createFixture(sql: Sql, id: string, f: Fixture): Promise<void> {
  await createRectCommunity(sql, id)
  const [team] = await sql<{ id: number }[]>`insert into patrol_teams (community_id, name, kind) values (${id}, 'team', 'volunteer') returning id`
  for (const [code, b] of Object.entries(f.zones))
    await sql`insert into grid_zones (community_id, code, name, geom, patrol_team_id)
              values (${id}, ${code}, ${code}, ST_Multi(ST_Transform(ST_MakeEnvelope(${b[0]}, ${b[1]}, ${b[2]}, ${b[3]}, ${RECT.srid}), 4326)), ${team!.id})`
  for (const [k, r] of (f.routes ?? []).entries()) {
    const wkt = `LINESTRING(${r.line.map(([x, y]) => `${x} ${y}`).join(', ')})`
    const [route] = await sql<{ id: number }[]>`
      insert into patrol_routes (community_id, team_id, name, geom, reach_m)
      values (${id}, ${team!.id}, ${`route ${k + 1}`}, ST_Transform(ST_GeomFromText(${wkt}, ${RECT.srid}), 4326), ${r.reachM}) returning id`
    for (const s of r.shifts)
      await sql`insert into patrol_shifts (community_id, route_id, days, start_time, end_time) values (${id}, ${route!.id}, ${s.days}::smallint[], ${s.start}::time, ${s.end}::time)`
  }
  for (const [k, b] of (f.buildings ?? []).entries()) {
    const [building] = await sql<{ id: number }[]>`
      insert into buildings (community_id, address, households, geom, source, source_id)
      values (${id}, ${`${k + 1} Test St`}, ${b.households}, ST_Multi(ST_Transform(ST_MakeEnvelope(${b.box[0]}, ${b.box[1]}, ${b.box[2]}, ${b.box[3]}, ${RECT.srid}), 4326)), 'test', ${String(k)})
      returning id`
    if (b.captain) {
      const [captain] = await sql<{ id: number }[]>`insert into captains (community_id, name, active) values (${id}, ${b.captain.name}, ${b.captain.active}) returning id`
      await sql`insert into captain_buildings (community_id, captain_id, building_id) values (${id}, ${captain!.id}, ${building!.id})`
    }
  }
}
