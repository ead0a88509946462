/**
 * The synthetic city of the coverage and preview benches: 100,000 buildings, 1,000 routes (a third
 * of them walked at night), 100 zones, 50,000 incidents, on a 10 × 10 km street grid of UTM 10N.
 */
import type { Sql } from '../../server/src/db/connect.js'

const X0 = 540000
const Y0 = 4170000
const KM = 10

/** A 10 × 10 km city on a 100 m street grid, deterministic (setseed). */
export async function patrolCity(sql: Sql, id: string): Promise<void> {
  const size = KM * 1000
  await sql`insert into communities (id, name, time_zone, metric_srid, boundary)
            values (${id}, ${id}, 'America/Los_Angeles', 32610, ST_Multi(ST_Transform(ST_MakeEnvelope(${X0}, ${Y0}, ${X0 + size}, ${Y0 + size}, 32610), 4326)))`
  await sql`select setseed(0.17)`
  const teams = await sql<{ id: number }[]>`
    insert into patrol_teams (community_id, name, kind) select ${id}, 'team ' || k, 'volunteer' from generate_series(1, 10) as k returning id`
  // 100 zones of 1 km².
  await sql`
    insert into grid_zones (community_id, code, name, geom, patrol_team_id)
    select ${id}, 'Z' || lpad((i * 10 + j)::text, 3, '0'), 'zone ' || i || '-' || j,
           ST_Multi(ST_Transform(ST_MakeEnvelope(${X0} + i * 1000, ${Y0} + j * 1000, ${X0} + (i + 1) * 1000, ${Y0} + (j + 1) * 1000, 32610), 4326)),
           ${teams[0]!.id}
    from generate_series(0, 9) as i, generate_series(0, 9) as j`
  // 100,000 buildings: 10 m × 12 m footprints scattered inside 100 m blocks.
  await sql`
    insert into buildings (community_id, households, geom, source, source_id)
    select ${id}, 1 + (random() * 20)::int,
           ST_Multi(ST_Transform(ST_MakeEnvelope(x, y, x + 10, y + 12, 32610), 4326)), 'synthetic', g::text
    from (select g, ${X0} + (g % 100) * 100 + 5 + random() * 80 as x, ${Y0} + ((g / 100) % 100) * 100 + 5 + random() * 80 as y
          from generate_series(0, 99999) as g) as p`
  // 1,000 routes: L-shaped walks of 300–800 m along the street grid, reach 100 m, day or night shifts.
  await sql`
    with r as (
      select k, ${X0} + (random() * 95)::int * 100 as x, ${Y0} + (random() * 95)::int * 100 as y,
             300 + (random() * 5)::int * 100 as a, 300 + (random() * 5)::int * 100 as b
      from generate_series(1, 1000) as k
    ), ins as (
      insert into patrol_routes (community_id, team_id, name, geom, reach_m, source, source_id)
      select ${id}, ${teams[0]!.id}, 'route ' || k,
             ST_Transform(ST_MakeLine(array[ST_SetSRID(ST_Point(x, y), 32610), ST_SetSRID(ST_Point(least(x + a, ${X0 + size}), y), 32610),
                                            ST_SetSRID(ST_Point(least(x + a, ${X0 + size}), least(y + b, ${Y0 + size})), 32610)]), 4326),
             100, 'synthetic', k::text
      from r
      returning id, source_id
    )
    insert into patrol_shifts (community_id, route_id, days, start_time, end_time)
    select ${id}, id, '{1,2,3,4,5,6,7}', case when source_id::int % 3 = 0 then '22:00'::time else '08:00'::time end,
           case when source_id::int % 3 = 0 then '06:00'::time else '16:00'::time end
    from ins`
  await sql`
    insert into incidents (community_id, category, occurred_at, time_known, geom, source, source_id)
    select ${id}, 'THEFT', timestamptz '2024-01-01 00:00-08' + g * interval '7 minutes', true,
           ST_Transform(ST_SetSRID(ST_Point(${X0} + random() * ${size}, ${Y0} + random() * ${size}), 32610), 4326), 'synthetic', g::text
    from generate_series(1, 50000) as g`
  await sql`analyze`
}

