/**
 * Snapping a drawn route to the community's streets (issue 11). Each clicked point moves to the
 * nearest point of a street within the tolerance (metres, the community's metric CRS) and stays
 * where it is otherwise. Then:
 *
 * - `pgrouting` (server mode, where the pgRouting extension is installed — Debian's
 *   postgresql-15-pgrouting; migration 00010 creates it): between consecutive snapped points the
 *   line follows the street network — the streets near the route noded at their crossings and at
 *   the snapped points, the shortest path by length (pgr_dijkstra, undirected). A leg whose
 *   ends are not both snapped, or that has no path, stays a straight line (`routed[i]` false).
 * - `vertex` (PGlite, which has no pgRouting, or when asked): the snapped points joined by straight
 *   lines.
 */
import type { LineString, Position } from 'geojson'
import type { SnapAnswer, SnapMethod } from '../contract.js'
import { ApiError } from '../errors.js'
import type { Sql } from './connect.js'

/** How far around the clicked points streets are taken into the network (metres). */
const NETWORK_MARGIN_M = 500

/** Whether the database has pgRouting installed. */
export async function hasPgRouting(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ ok: boolean }[]>`select exists (select 1 from pg_extension where extname = 'pgrouting') as ok`
  return row?.ok ?? false
}

interface Vertex {
  snapped: boolean
  distanceM: number | null
  street: string | null
  /** the point after snapping, [lon, lat] */
  at: Position
}

/** The clicked points, each snapped to the nearest street within `toleranceM` (or left). */
async function snapVertices(sql: Sql, community: string, points: Position[], toleranceM: number): Promise<Vertex[]> {
  const rows = await sql<{ ord: number; distanceM: number | null; street: string | null; snapped: boolean; at: LineString }[]>`
    with c as (select metric_srid as srid from communities where id = ${community}),
    pts as (
      select p.ord, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326) as g4, ST_Transform(ST_SetSRID(ST_MakePoint(p.x, p.y), 4326), c.srid) as g
      from unnest(${points.map((p) => p[0]!)}::float8[], ${points.map((p) => p[1]!)}::float8[]) with ordinality as p (x, y, ord) cross join c
    )
    select p.ord, n.d as distance_m, n.name as street, n.d is not null as snapped,
           ST_AsGeoJSON(ST_Transform(coalesce(n.q, p.g), 4326), 7)::jsonb as at
    from pts as p
    left join lateral (
      select st.name, ST_Distance(m.g, p.g) as d, ST_ClosestPoint(m.g, p.g) as q
      from streets as st cross join c cross join lateral (select ST_Transform(st.geom, c.srid) as g) as m
      where st.community_id = ${community} and st.geom && safegrid_metre_box(p.g4, ${toleranceM}) and ST_DWithin(m.g, p.g, ${toleranceM})
      order by ST_Distance(m.g, p.g), st.id
      limit 1
    ) as n on true
    order by p.ord`
  return rows.map((r) => ({ snapped: r.snapped, distanceM: r.distanceM === null ? null : Math.round(r.distanceM * 100) / 100, street: r.street, at: (r.at as unknown as { coordinates: Position }).coordinates }))
}

/** Street paths between consecutive snapped points (pgRouting), as coordinate lists; null for a leg without one. */
async function routeLegs(sql: Sql, community: string, vertices: Vertex[]): Promise<(Position[] | null)[]> {
  return (await sql.begin(async (raw) => {
    const tx = raw as unknown as Sql
    const xs = vertices.map((v) => v.at[0]!)
    const ys = vertices.map((v) => v.at[1]!)
    const snapped = vertices.map((v) => (v.snapped ? 1 : 0))
    // the network: streets near the points, noded at crossings and split at the snapped points
    await tx`
      create temp table snap_edges on commit drop as
      with c as (select metric_srid as srid from communities where id = ${community}),
      pts as (
        select p.ord, ST_Transform(ST_SetSRID(ST_MakePoint(p.x, p.y), 4326), c.srid) as g
        from unnest(${xs}::float8[], ${ys}::float8[], ${snapped}::int[]) with ordinality as p (x, y, s, ord) cross join c where p.s = 1
      ),
      area as (select ST_Expand(ST_Extent(ST_Transform(ST_SetSRID(ST_MakePoint(x, y), 4326), c.srid)), ${NETWORK_MARGIN_M}) as box
               from unnest(${xs}::float8[], ${ys}::float8[]) as p (x, y) cross join c group by c.srid),
      lines as (
        select ST_Transform(st.geom, c.srid) as g
        from streets as st cross join c cross join area
        where st.community_id = ${community} and st.geom && ST_Transform(ST_SetSRID(area.box, c.srid), 4326)
      ),
      noded as (select (ST_Dump(ST_Node(ST_Collect(g)))).geom as g from lines),
      cut as (
        select (ST_Dump(case when mp.g is null then n.g else ST_Split(ST_Snap(n.g, mp.g, 0.01), mp.g) end)).geom as g
        from noded as n
        left join lateral (select ST_Collect(p.g) as g from pts as p where ST_DWithin(n.g, p.g, 0.01)) as mp on true
      )
      select row_number() over ()::bigint as id, g, ST_Length(g) as cost from cut where ST_Length(g) > 0`
    await tx`
      create temp table snap_nodes on commit drop as
      select row_number() over ()::bigint as id, g from (select distinct ST_SnapToGrid(p, 0.01) as g from snap_edges, lateral (values (ST_StartPoint(snap_edges.g)), (ST_EndPoint(snap_edges.g))) as e (p)) as d`
    await tx`
      create temp table snap_graph on commit drop as
      select e.id, a.id as source, b.id as target, e.cost, e.g
      from snap_edges as e join snap_nodes as a on a.g = ST_SnapToGrid(ST_StartPoint(e.g), 0.01) join snap_nodes as b on b.g = ST_SnapToGrid(ST_EndPoint(e.g), 0.01)`
    // the node of each snapped point
    const nodes = await tx<{ ord: number; node: number | null }[]>`
      with c as (select metric_srid as srid from communities where id = ${community})
      select p.ord, (select n.id from snap_nodes as n where ST_DWithin(n.g, ST_Transform(ST_SetSRID(ST_MakePoint(p.x, p.y), 4326), c.srid), 0.05)
                     order by ST_Distance(n.g, ST_Transform(ST_SetSRID(ST_MakePoint(p.x, p.y), 4326), c.srid)) limit 1) as node
      from unnest(${xs}::float8[], ${ys}::float8[]) with ordinality as p (x, y, ord) cross join c order by p.ord`
    const nodeOf = nodes.map((n, i) => (vertices[i]!.snapped && n.node !== null ? Number(n.node) : null))
    const pairs = nodeOf.slice(1).map((b, i) => [nodeOf[i], b] as const).filter(([a, b]) => a !== null && b !== null && a !== b) as [number, number][]
    const paths = new Map<string, Position[]>()
    if (pairs.length > 0) {
      const steps = await tx<{ startVid: number; endVid: number; node: number; edge: number; coords: Position[] }[]>`
        select d.start_vid, d.end_vid, d.path_seq, d.node, d.edge,
               (ST_AsGeoJSON(ST_Transform(case when g.source = d.node then g.g else ST_Reverse(g.g) end, 4326), 7)::jsonb -> 'coordinates') as coords
        from pgr_dijkstra('select id, source, target, cost, cost as reverse_cost from snap_graph',
                          ${`select * from (values ${pairs.map(([a, b]) => `(${a}::bigint, ${b}::bigint)`).join(', ')}) as p (source, target)`}, false) as d
        join snap_graph as g on g.id = d.edge
        order by d.start_vid, d.end_vid, d.path_seq`
      for (const s of steps) {
        const key = `${s.startVid}-${s.endVid}`
        const path = paths.get(key) ?? []
        for (const p of s.coords) if (path.length === 0 || path[path.length - 1]![0] !== p[0] || path[path.length - 1]![1] !== p[1]) path.push(p)
        paths.set(key, path)
      }
    }
    return nodeOf.slice(1).map((b, i) => {
      const a = nodeOf[i]
      if (a === null || b === null) return null
      if (a === b) return [vertices[i]!.at, vertices[i + 1]!.at]
      return paths.get(`${a}-${b}`) ?? null
    })
  })) as (Position[] | null)[]
}

/**
 * `line` snapped to the streets of `community` (see the header): `method` auto uses pgRouting when
 * the database has it. 400 invalid_geometry when the snapped line has no length.
 */
export async function snapLine(sql: Sql, community: string, line: LineString, toleranceM: number, method: 'auto' | 'vertex'): Promise<SnapAnswer> {
  const vertices = await snapVertices(sql, community, line.coordinates, toleranceM)
  const used: SnapMethod = method === 'auto' && (await hasPgRouting(sql)) ? 'pgrouting' : 'vertex'
  const coords: Position[] = []
  const push = (p: Position) => {
    const last = coords[coords.length - 1]
    if (!last || last[0] !== p[0] || last[1] !== p[1]) coords.push(p)
  }
  let routed: boolean[] | undefined
  if (used === 'pgrouting') {
    const legs = await routeLegs(sql, community, vertices)
    routed = legs.map((l) => l !== null)
    push(vertices[0]!.at)
    legs.forEach((leg, i) => (leg ?? [vertices[i]!.at, vertices[i + 1]!.at]).forEach(push))
  } else vertices.forEach((v) => push(v.at))
  if (coords.length < 2) throw new ApiError('invalid_geometry', 'the points all snap to one place: the snapped line would have no length', { field: 'geometry' })
  const geometry: LineString = { type: 'LineString', coordinates: coords }
  const [{ length }] = (await sql`
    select ST_Length(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326), c.metric_srid)) as length
    from communities as c where c.id = ${community}`) as unknown as [{ length: number }]
  return {
    geometry,
    method: used,
    toleranceM,
    vertices: vertices.map(({ snapped, distanceM, street }) => ({ snapped, distanceM, street })),
    ...(routed ? { routed } : {}),
    lengthM: Math.round(length * 100) / 100,
  }
}
