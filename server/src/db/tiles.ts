/**
 * Mapbox Vector Tiles of the big layers. The features of a tile are the layer's selection
 * (layers.ts) within the tile; server mode encodes them with ST_AsMVT, embedded mode (PGlite's
 * PostGIS has no protobuf) clips in PostGIS and encodes here with vt-pbf — the same features,
 * ids and properties either way.
 */
import Point from '@mapbox/point-geometry'
import { fromVectorTileJs, type VectorTileFeatureLike } from '@maplibre/vt-pbf'
import type { Geometry, Position } from 'geojson'
import type { IncidentFilter, TileLayerName } from '../contract.js'
import type { View } from '../http/context.js'
import type { DbMode, Sql } from './connect.js'
import { incidentConditions } from './filters.js'
import { layerSelection, type Fragment } from './layers.js'

export const EXTENT = 4096
/** Pixels (in tile units) of geometry kept beyond the tile edge so strokes join across tiles. */
export const BUFFER = 64
export const MAX_ZOOM = 22

/**
 * Incident tiles up to this zoom carry clusters, not points: MapLibre cannot cluster vector tile
 * points, so the tile SQL does it. At z12 a tile is ~10 km wide at 30–40° latitude (a whole city
 * district), where single points would pile up in the thousands.
 */
export const CLUSTER_MAX_ZOOM = 12
/**
 * From z13 to DENSE_MAX_ZOOM a tile is clustered only when it holds more than DENSE_TILE_POINTS
 * incidents (a dense city centre: tens of thousands of points, megabytes of tile); a community
 * like the demo still gets every incident as itself there. From z15 every incident is sent.
 */
export const DENSE_MAX_ZOOM = 14
export const DENSE_TILE_POINTS = 3000
/** Side of a cluster cell in tile units (4096 per tile): 16 × 16 cells, 32 px apart on a 512 px tile. */
export const CLUSTER_CELL = 256

/**
 * Street tiles below STREET_DETAIL_MIN_ZOOM leave out footways, service roads and other paths;
 * below STREET_MAIN_MIN_ZOOM they hold main roads only (OSM `highway` classes). The map draws
 * neither class at those zooms, and a city-wide tile stays small.
 */
export const STREET_DETAIL_MIN_ZOOM = 14
export const STREET_MAIN_MIN_ZOOM = 12
const MINOR_PATHS = ['footway', 'service', 'path', 'steps', 'cycleway', 'corridor', 'track', 'bridleway', 'pedestrian', 'platform', 'construction', 'proposed']
const MAIN_ROADS = ['motorway', 'motorway_link', 'trunk', 'trunk_link', 'primary', 'primary_link', 'secondary', 'secondary_link', 'tertiary', 'tertiary_link']

export interface TileRequest {
  layer: TileLayerName
  z: number
  x: number
  y: number
  /** only features of this community; null for all */
  community: string | null
  /** incidents only: the shared filters */
  filter?: IncidentFilter | null
  /** what the caller's role may see: without exact incidents, incidents come as counts per metric cell */
  view: View
}

/**
 * Side (m) of the metric cells incidents are counted in for roles without exact incidents, at zoom
 * 14 and above; below, it doubles with each zoom level out (a z10 tile spans ~40 km).
 */
export const AGGREGATE_CELL_M = 100
export const aggregateCellSize = (z: number) => AGGREGATE_CELL_M * 2 ** Math.max(0, 14 - z)

/** Geometry dimension of each tiled layer (ST_CollectionExtract type: 1 points, 2 lines, 3 polygons). */
const DIMENSION: Record<TileLayerName, 1 | 2 | 3> = { buildings: 3, incidents: 1, streets: 2 }

/**
 * Encodes one tile; an empty Uint8Array when the tile has no features.
 *
 * Both modes share one geometry pipeline in SQL — clip to the buffered tile, scale to tile units,
 * snap to the integer grid, drop what collapses, wind rings as the MVT spec wants — and differ
 * only in the encoder (ST_AsMVT, or vt-pbf here), so they produce the same features.
 */
export async function loadTile(sql: Sql, mode: DbMode, req: TileRequest, options: { densePoints?: number } = {}): Promise<Uint8Array> {
  const { z, x, y } = req
  // Filter in 4326 so the GiST index on geom is used; the 3857 envelope drives clipping.
  const envelope = (margin: number) => sql`ST_Transform(ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int, margin => ${margin}::float8), 4326)`
  const env4326 = envelope(BUFFER / EXTENT)
  const aggregated = req.layer === 'incidents' && !req.view.exactIncidents
  let clustered = req.layer === 'incidents' && z <= CLUSTER_MAX_ZOOM
  if (req.layer === 'incidents' && !aggregated && !clustered && z <= DENSE_MAX_ZOOM) {
    const dense = options.densePoints ?? DENSE_TILE_POINTS
    const [row] = await sql<{ n: number }[]>`
      select count(*) as n from (select 1 from (${incidentPoints(sql, req.community, env4326, req.filter ?? null)}) as p limit ${dense + 1}) as q`
    clustered = (row?.n ?? 0) > dense
  }
  // Buildings and streets by bounding box: a feature that only comes near the tile is clipped away below.
  let selection = layerSelection(sql, req.layer, req.community, env4326, req.filter ?? null, req.view, { boxOnly: req.layer !== 'incidents' })
  if (req.layer === 'streets' && z < STREET_DETAIL_MIN_ZOOM) {
    const keep = z < STREET_MAIN_MIN_ZOOM ? sql`(f.props->>'highway') = any(${MAIN_ROADS}::text[])` : sql`coalesce(f.props->>'highway', '') <> all(${MINOR_PATHS}::text[])`
    selection = sql`select f.* from (${selection}) as f where ${keep}`
  }
  const dim = DIMENSION[req.layer]
  // Clusters take the points of the tile itself (no buffer: a point is counted in one tile only).
  const tileGeometries = aggregated
    ? cellCounts(sql, z, x, y, req.community, req.filter ?? null)
    : clustered
      ? clusterGeometries(sql, z, x, y, req.community, incidentPoints(sql, req.community, envelope(1 / EXTENT), req.filter ?? null), req.view)
      : sql`
    with env as (
      select ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int) as box,
             ${EXTENT}::float8 / (ST_XMax(ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int)) - ST_XMin(ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int))) as scale
    ),
    -- materialized: each geometry is computed once, not again inside every condition below that uses it
    projected as materialized (
      select f.id, f.props,
             ST_ForcePolygonCCW(ST_RemoveRepeatedPoints(ST_SnapToGrid(ST_Affine(
               ST_CollectionExtract(${dim === 1 ? sql`ST_Transform(f.geom, 3857)` : sql`ST_ClipByBox2D(ST_Transform(f.geom, 3857), ST_Expand(env.box, ${BUFFER}::float8 / env.scale))`}, ${dim}::int),
               env.scale, 0, 0, -env.scale, -ST_XMin(env.box) * env.scale, ST_YMax(env.box) * env.scale), 1))) as geom
      from (${selection}) as f, env
    )
    select id, props, geom from projected
    where not ST_IsEmpty(geom) ${dim === 3 ? sql`and ST_Area(geom) > 0` : dim === 2 ? sql`and ST_Length(geom) > 0` : sql``}`
  if (mode === 'server') {
    // (JIT is off on every connection, sqlOptions: it would spend up to a second compiling a tile
    // query that runs in tens of milliseconds.)
    const [row] = await sql.begin(async (tx) => {
      // Room to group a city's incidents into clusters in memory; no parallel workers: starting
      // them costs more than they save on a tile, and takes them from the analyses.
      await tx`select set_config('work_mem', '32MB', true), set_config('max_parallel_workers_per_gather', '0', true)`
      // raw: the tile's hex text as bytes, decoded here without a 200 kB string per tile
      return tx`select ST_AsMVT(t, ${req.layer}, ${EXTENT}::int, 'geom', 'id') as mvt from (${tileGeometries}) as t`.raw()
    })
    const mvt = row?.[0] as Uint8Array | null | undefined
    return mvt ? unhexBytea(mvt) : new Uint8Array()
  }
  const rows = await sql<{ id: number | null; props: Record<string, unknown>; geojson: string }[]>`
    select t.id, t.props, ST_AsGeoJSON(t.geom) as geojson from (${tileGeometries}) as t`
  const features: VectorTileFeatureLike[] = []
  for (const row of rows) {
    const encoded = encodeGeometry(JSON.parse(row.geojson) as Geometry, (p) => [p[0]!, p[1]!])
    if (!encoded) continue
    // clusters have no id (as ST_AsMVT leaves it out for a null id)
    features.push({ id: row.id ?? undefined, type: encoded.type, properties: scalarProps(row.props), extent: EXTENT, loadGeometry: () => encoded.rings })
  }
  if (features.length === 0) return new Uint8Array()
  return fromVectorTileJs({
    layers: { [req.layer]: { version: 2, name: req.layer, extent: EXTENT, length: features.length, feature: (i) => features[i]! } },
  })
}

/**
 * The incidents of a tile as bare points (id, geom, category, time_known) with the shared filters:
 * what clustering needs, without building every incident's properties. `env` is a 4326 tile
 * envelope — a rectangle in degrees too — so the cheap bounding-box test is exact for points (and
 * keeps the planner's cost estimate low enough not to start a JIT compilation per tile).
 */
function incidentPoints(sql: Sql, community: string | null, env: Fragment, filter: IncidentFilter | null): Fragment {
  return sql`
    select i.id, i.geom, i.category, i.time_known
    from incidents as i
    join communities as c on c.id = i.community_id
    where i.geom && ${env} ${community === null ? sql`` : sql`and i.community_id = ${community}`}
      ${filter ? incidentConditions(sql, filter, sql`c.time_zone`) : sql``}`
}

/**
 * Incident clusters of one tile, in tile units: the tile's `points` (incidentPoints, the shared
 * filters already applied) grouped by cells of CLUSTER_CELL units. A cell with one incident gives
 * that incident (its id and properties, plus `cluster: false, count: 1`); a cell with more gives a
 * point at their mean position with `cluster: true`, `count`, `category` (the most frequent one,
 * ties by name), `categories` ("ROBBERY:3,VANDALISM:1", most frequent first) and `timeUnknown`
 * (how many have no time of day), and no id. Points on the tile's right or bottom edge belong to
 * the next tile, so the counts of all tiles add up to the incidents matched.
 */
function clusterGeometries(sql: Sql, z: number, x: number, y: number, community: string | null, points: Fragment, view: View): Fragment {
  // Web Mercator in tile units, as arithmetic on lon/lat: the same numbers ST_Transform +
  // ST_Affine give, at a fraction of their cost over 100,000s of points. One pass groups the points
  // by cell and category; the cells are summed from those groups.
  const world = EXTENT * 2 ** z
  return sql`
    with projected as (
      select f.id, f.category, f.time_known, ST_X(f.geom) as lon, ST_Y(f.geom) as lat,
             (ST_X(f.geom) + 180) / 360 * ${world}::float8 - ${x * EXTENT}::float8 as px,
             (1 - ln(tan(radians(ST_Y(f.geom))) + 1 / cos(radians(ST_Y(f.geom)))) / pi()) / 2 * ${world}::float8 - ${y * EXTENT}::float8 as py
      from (${points}) as f
      offset 0 -- a fence: compute each point's position once, not in every expression that uses it
    ),
    per_category as (
      select floor(px / ${CLUSTER_CELL}::float8)::int as cx, floor(py / ${CLUSTER_CELL}::float8)::int as cy, category,
             count(*) as n, sum(px) as sx, sum(py) as sy, min(id) as first_id, min(lon) as lon, min(lat) as lat,
             count(*) filter (where not time_known) as time_unknown
      from projected
      group by 1, 2, 3
      -- cells 0…15 hold [0, 4096): a point on the right or bottom edge falls in cell 16, the next tile's
      having floor(min(px) / ${CLUSTER_CELL}::float8) between 0 and ${EXTENT / CLUSTER_CELL - 1}
         and floor(min(py) / ${CLUSTER_CELL}::float8) between 0 and ${EXTENT / CLUSTER_CELL - 1}
    ),
    cells as (
      select cx, cy, sum(n)::int as n, sum(sx) / sum(n) as px, sum(sy) / sum(n) as py, min(first_id) as first_id,
             min(lon) as lon, min(lat) as lat, sum(time_unknown)::int as time_unknown,
             string_agg(category || ':' || n, ',' order by n desc, category) as list,
             (array_agg(category order by n desc, category))[1] as top
      from per_category group by cx, cy
    )
    select case when cell.n = 1 then cell.first_id end as id,
           -- a lone incident gets the incidents layer's own properties (looked up at its point;
           -- "cell", not "c": the layer's query names the communities table c)
           case when cell.n = 1 then (
                  select s.props from (${layerSelection(sql, 'incidents', community, sql`ST_SetSRID(ST_Point(cell.lon, cell.lat), 4326)`, null, view)}) as s
                  where s.id = cell.first_id) || jsonb_build_object('cluster', false, 'count', 1)
                else jsonb_build_object('cluster', true, 'count', cell.n, 'category', cell.top, 'categories', cell.list, 'timeUnknown', cell.time_unknown) end as props,
           ST_SnapToGrid(ST_MakePoint(cell.px, cell.py), 1) as geom
    from cells as cell
    order by cell.cy, cell.cx`
}

/**
 * Incidents as counts per square cell of the community's metric grid (aggregateCellSize(z) metres),
 * each drawn at its cell's centre — never at an incident's own point — with the cluster properties
 * (`cluster: true, count, category, categories, timeUnknown`) and no id: what roles without exact
 * incidents see. A cell belongs to the tile holding its centre, so the counts of all tiles add up.
 */
function cellCounts(sql: Sql, z: number, x: number, y: number, community: string | null, filter: IncidentFilter | null): Fragment {
  const size = aggregateCellSize(z)
  const world = EXTENT * 2 ** z
  return sql`
    with cm as (select id, metric_srid as srid, time_zone as tz from communities where id = ${community}),
    per_category as (
      select floor(ST_X(i.geom_m) / ${size}::float8)::int as ci, floor(ST_Y(i.geom_m) / ${size}::float8)::int as cj, i.category,
             count(*)::int as n, (count(*) filter (where not i.time_known))::int as time_unknown
      from incidents as i cross join cm
      where i.community_id = cm.id
        and i.geom && safegrid_metre_box(ST_Transform(ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int), 4326), ${size}::float8)
        ${filter ? incidentConditions(sql, filter, sql`cm.tz`) : sql``}
      group by 1, 2, 3
    ),
    cells as (
      select ci, cj, sum(n)::int as n, sum(time_unknown)::int as time_unknown,
             string_agg(category || ':' || n, ',' order by n desc, category) as list,
             (array_agg(category order by n desc, category))[1] as top,
             ST_Transform(ST_SetSRID(ST_Point((ci + 0.5) * ${size}::float8, (cj + 0.5) * ${size}::float8), (select srid from cm)), 4326) as centre
      from per_category group by ci, cj
    ),
    projected as (
      select c.*, (ST_X(c.centre) + 180) / 360 * ${world}::float8 - ${x * EXTENT}::float8 as px,
             (1 - ln(tan(radians(ST_Y(c.centre))) + 1 / cos(radians(ST_Y(c.centre)))) / pi()) / 2 * ${world}::float8 - ${y * EXTENT}::float8 as py
      from cells as c
    )
    select null::bigint as id,
           jsonb_build_object('cluster', true, 'count', p.n, 'category', p.top, 'categories', p.list, 'timeUnknown', p.time_unknown) as props,
           ST_SnapToGrid(ST_MakePoint(p.px, p.py), 1) as geom
    from projected as p
    where p.px >= 0 and p.px < ${EXTENT}::float8 and p.py >= 0 and p.py < ${EXTENT}::float8
    order by p.py, p.px`
}

const HEX_VALUE = new Uint8Array(256)
for (let i = 0; i < 16; i++) {
  HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i
  HEX_VALUE['0123456789ABCDEF'.charCodeAt(i)] = i
}

/** The bytes of a bytea in PostgreSQL's hex text format (`\x0a1b…`), given as the text's bytes. */
export function unhexBytea(text: Uint8Array): Uint8Array {
  if (text[0] !== 0x5c || text[1] !== 0x78) throw new Error('expected a bytea in hex format (bytea_output = hex)')
  const out = new Uint8Array((text.length - 2) >> 1)
  for (let i = 0, j = 2; i < out.length; i++, j += 2) out[i] = (HEX_VALUE[text[j]!]! << 4) | HEX_VALUE[text[j + 1]!]!
  return out
}

/** MVT properties are scalars; nulls are left out (as ST_AsMVT does with jsonb nulls). */
function scalarProps(props: Record<string, unknown>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {}
  for (const [k, v] of Object.entries(props)) {
    if (v === null || v === undefined) continue
    out[k] = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v)
  }
  return out
}

type Project = (p: Position) => [number, number]

/** Twice the signed area (surveyor's formula) of a closed ring in tile coordinates (y down). */
export function ringArea(ring: readonly Point[]): number {
  let sum = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += ring[j]!.x * ring[i]!.y - ring[i]!.x * ring[j]!.y
  return sum
}

function projectLine(coords: Position[], project: Project): Point[] {
  const out: Point[] = []
  for (const c of coords) {
    const [px, py] = project(c)
    const last = out[out.length - 1]
    if (!last || last.x !== px || last.y !== py) out.push(new Point(px, py))
  }
  return out
}

/**
 * Projects a GeoJSON geometry to tile coordinates (integers), drops parts that collapse, and
 * orders ring windings as the MVT spec wants (exterior positive area, holes negative). The SQL
 * pipeline has done all this already; this is the last guard before vt-pbf.
 * Returns null when nothing drawable is left.
 */
export function encodeGeometry(g: Geometry, project: Project): { type: 1 | 2 | 3; rings: Point[][] } | null {
  switch (g.type) {
    case 'Point':
      return { type: 1, rings: [[new Point(...project(g.coordinates))]] }
    case 'MultiPoint':
      return g.coordinates.length ? { type: 1, rings: g.coordinates.map((c) => [new Point(...project(c))]) } : null
    case 'LineString':
    case 'MultiLineString': {
      const lines = (g.type === 'LineString' ? [g.coordinates] : g.coordinates).map((l) => projectLine(l, project)).filter((l) => l.length >= 2)
      return lines.length ? { type: 2, rings: lines } : null
    }
    case 'Polygon':
    case 'MultiPolygon': {
      const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates
      const rings: Point[][] = []
      for (const polygon of polygons) {
        let exteriorKept = false
        polygon.forEach((coords, i) => {
          // A hole whose exterior collapsed would be read as an exterior: skip it too.
          if (i > 0 && !exteriorKept) return
          const ring = projectLine(coords, project)
          if (ring.length < 4) return
          const area = ringArea(ring)
          if (area === 0) return
          if (i === 0 ? area < 0 : area > 0) ring.reverse()
          if (i === 0) exteriorKept = true
          rings.push(ring)
        })
      }
      return rings.length ? { type: 3, rings } : null
    }
    case 'GeometryCollection': {
      const parts = g.geometries.map((p) => encodeGeometry(p, project)).filter((p) => p !== null)
      // ST_ClipByBox2D may return a collection; keep the parts of the dominant (highest) dimension.
      const type = Math.max(0, ...parts.map((p) => p.type)) as 0 | 1 | 2 | 3
      if (type === 0) return null
      return { type, rings: parts.filter((p) => p.type === type).flatMap((p) => p.rings) }
    }
  }
}
