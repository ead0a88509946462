/**
 * A small synthetic community for analysis tests: a 1.2 × 1.0 km rectangle of UTM zone 10N
 * (fixtures/golden/make-inputs.ts) with no grid zones, so its boundary is the study area, and
 * incidents placed exactly where a test says.
 */
import { RECT } from '../../fixtures/golden/rect.js'
import type { Sql } from '../../server/src/db/connect.js'

export { RECT }

/** Creates community `id` on the rectangle (shrunk by 1 cm so no outside cell touches it by rounding). */
export async function createRectCommunity(sql: Sql, id: string, timeZone = 'America/Los_Angeles'): Promise<void> {
  const e = 0.01
  await sql`
    insert into communities (id, name, time_zone, metric_srid, boundary)
    values (${id}, ${id}, ${timeZone}, ${RECT.srid},
            ST_Multi(ST_Transform(ST_MakeEnvelope(${RECT.xmin + e}, ${RECT.ymin + e}, ${RECT.xmax - e}, ${RECT.ymax - e}, ${RECT.srid}), 4326)))`
}

export interface PlacedIncident {
  /** UTM 10N metres */
  x: number
  y: number
  /** local timestamp 'YYYY-MM-DD HH:MM' (time known) or a date 'YYYY-MM-DD' (time unknown) */
  at?: string
  category?: string
}

/** Inserts incidents at metric positions; returns how many. */
export async function placeIncidents(sql: Sql, community: string, incidents: PlacedIncident[]): Promise<number> {
  const rows = incidents.map((p, k) => ({
    x: p.x,
    y: p.y,
    at: p.at ?? '2020-01-15 12:00',
    known: (p.at ?? ' ').includes(' '),
    category: p.category ?? 'TEST',
    k: String(k),
  }))
  const result = await sql`
    insert into incidents (community_id, category, occurred_at, time_known, geom, source, source_id)
    select ${community}, r.category, (r.at::timestamp at time zone c.time_zone), r.known,
           ST_Transform(ST_SetSRID(ST_Point(r.x, r.y), ${RECT.srid}), 4326), 'test', r.k
    from jsonb_to_recordset(${sql.json(rows as never)}) as r (x float8, y float8, at text, known boolean, category text, k text)
    join communities as c on c.id = ${community}`
  return result.count
}

/** Centre of cell (i, j) in metres, as PostGIS's square and flat-topped hexagonal grids lay them out. */
export function cellCentre(shape: 'square' | 'hex', i: number, j: number, size = 100): { x: number; y: number } {
  return shape === 'square' ? { x: (i + 0.5) * size, y: (j + 0.5) * size } : { x: 1.5 * size * i, y: Math.sqrt(3) * size * (j + 0.5 * (((i % 2) + 2) % 2)) }
}
