/**
 * Incident hot spots of a community, computed in PostGIS on a grid of square or hexagonal cells
 * in the community's metric CRS (true metres). The study area is the union of the community's grid
 * zones (its boundary when it has none); every cell that intersects it counts in n, with or without
 * incidents, and every method uses the same cells, so figures can be checked cell by cell.
 *
 * - count:    incidents per cell;
 * - gistar:   Getis-Ord Gi* z-scores (self + ring-1 neighbours, or a distance band), binary weights;
 * - kde:      quartic-kernel density at cell centres, incidents per km² (the kernel terms summed by
 *             the server from the points PostGIS reads: collectCells);
 * - emerging: Gi* per time slice (week or month) — trends and categories are computed by the caller.
 */
import type postgres from 'postgres'
import { isDateOnly, type CellShape, type HotspotSource, type IncidentFilter, type TimeSlice } from '../contract.js'
import { GRID_SETTINGS, inAnalysis, runAnalysis, type RunOptions } from './analysis.js'
import type { Sql } from './connect.js'
import { disputeConditions, incidentConditions } from './filters.js'

type Fragment = postgres.PendingQuery<postgres.Row[]>

export interface GridSpec {
  community: string
  filter: IncidentFilter
  /** cell size in metres: a square's side, a hexagon's side (= circumradius) */
  cell: number
  shape: CellShape
  /** neighbours within this many metres of a cell's centre (null: ring 1) */
  band: number | null
  /** the points analysed (default incidents): disputes are placed at their point, dated when reported */
  source?: HotspotSource
}

/**
 * The disputes of the spec's community in its period, as the points an analysis bins (columns as
 * `pts` has them for incidents): x, y in metres — ST_Transform of the point, exactly as incidents'
 * geom_m is kept —, the local day reported, and a time of day always known.
 */
function disputePoints(sql: Sql, spec: GridSpec): Fragment {
  const s = spec.cell
  const tz = tzOf(sql, spec.community)
  return sql`
      select ST_X(g.m) as x, ST_Y(g.m) as y, (d.reported_at at time zone ${tz})::date as local_day, true as time_known,
             floor(ST_X(g.m) / ${s}::float8)::int as i, floor(ST_Y(g.m) / ${s}::float8)::int as j
      from disputes as d
      cross join lateral (select ST_Transform(d.geom, (select metric_srid from communities where id = ${spec.community})) as m) as g
      where d.community_id = ${spec.community} ${disputeConditions(sql, spec.filter, tz)}`
}

/** How many points of the spec's source the community has, whatever the filter (the KDE work bound). */
export function sourceTotal(sql: Sql, spec: Pick<GridSpec, 'source'>, community: Fragment): Fragment {
  return spec.source === 'disputes'
    ? sql`(select count(*) from disputes where community_id = ${community})`
    : sql`(select count(*) from incidents where community_id = ${community})`
}

/**
 * How many cells a request would make at most (cells of the boundary's bounding box), from the
 * community row alone so the check costs next to nothing. Null when the community does not exist.
 */
export async function estimateCells(sql: Sql, community: string, cell: number, shape: CellShape): Promise<number | null> {
  const [row] = await sql<{ width: number; height: number }[]>`
    select ST_XMax(b) - ST_XMin(b) as width, ST_YMax(b) - ST_YMin(b) as height
    from (select ST_Transform(boundary, metric_srid) as b from communities where id = ${community}) as t`
  if (!row) return null
  const cellArea = shape === 'square' ? cell * cell : (3 * Math.sqrt(3) * cell * cell) / 2
  return Math.ceil(((row.width + 2 * cell) * (row.height + 2 * cell)) / cellArea)
}

/**
 * The CTEs every method shares: `params` (metric srid, time zone, study area in metres), `cells`
 * (i, j, cx, cy, geom in metres), `pts` (x, y in metres, occurred_at, local_day) of the incidents
 * matching the filter, and `binned` (cell index of each point).
 *
 * Points are assigned to exactly one cell arithmetically: squares by floor(x / size); hexagons
 * (PostGIS's flat-topped ST_HexagonGrid: centre x = 1.5·s·i, y = √3·s·(j + ½·(i mod 2))) by the
 * nearer centre of the two candidate columns, ties to the lower column — no point counts twice.
 */
function gridCtes(sql: Sql, spec: GridSpec): Fragment {
  const s = spec.cell
  // Cells come from generate_series over the area's extent rather than ST_SquareGrid/ST_HexagonGrid:
  // the same cells (PostGIS's layout, anchored at the CRS origin), but the planner then knows there
  // are many of them and hash-joins counts and neighbours instead of nesting loops over them.
  const h = (Math.sqrt(3) * s) / 2
  const grid =
    spec.shape === 'square'
      ? sql`
        select i, j, ST_MakeEnvelope(i * ${s}::float8, j * ${s}::float8, (i + 1) * ${s}::float8, (j + 1) * ${s}::float8) as geom,
               -- the cell less a micrometre all round: it meets the area exactly when the cell's interior does
               ST_MakeEnvelope(i * ${s}::float8 + 1e-6, j * ${s}::float8 + 1e-6, (i + 1) * ${s}::float8 - 1e-6, (j + 1) * ${s}::float8 - 1e-6) as probe
        from params as p,
             generate_series(floor(ST_XMin(p.area) / ${s}::float8)::int, floor(ST_XMax(p.area) / ${s}::float8)::int) as i,
             generate_series(floor(ST_YMin(p.area) / ${s}::float8)::int, floor(ST_YMax(p.area) / ${s}::float8)::int) as j`
      : sql`
        select i, j, ST_MakePolygon(ST_MakeLine(array[
                 ST_Point(x + ${s}::float8, y), ST_Point(x + ${s / 2}::float8, y + ${h}::float8), ST_Point(x - ${s / 2}::float8, y + ${h}::float8),
                 ST_Point(x - ${s}::float8, y), ST_Point(x - ${s / 2}::float8, y - ${h}::float8), ST_Point(x + ${s / 2}::float8, y - ${h}::float8),
                 ST_Point(x + ${s}::float8, y)])) as geom,
               null::geometry as probe
        from (
          select i, j, 1.5 * ${s}::float8 * i as x, ${2 * h}::float8 * (j + 0.5 * mod(mod(i, 2) + 2, 2)) as y
          from params as p,
               generate_series(floor((ST_XMin(p.area) - ${s}::float8) / ${1.5 * s}::float8)::int, ceil((ST_XMax(p.area) + ${s}::float8) / ${1.5 * s}::float8)::int) as i,
               generate_series(floor(ST_YMin(p.area) / ${2 * h}::float8)::int - 1, ceil(ST_YMax(p.area) / ${2 * h}::float8)::int + 1) as j
        ) as hex`
  const centre =
    spec.shape === 'square'
      ? sql`(g.i + 0.5) * ${s}::float8 as cx, (g.j + 0.5) * ${s}::float8 as cy`
      : sql`1.5 * ${s}::float8 * g.i as cx, sqrt(3) * ${s}::float8 * (g.j + 0.5 * mod(mod(g.i, 2) + 2, 2)) as cy`
  const assign =
    spec.shape === 'square'
      ? sql`select i, j, x, y, local_day, time_known from pts`
      : sql`
        select distinct on (pt.n) cand.i, cand.j, pt.x, pt.y, pt.local_day, pt.time_known
        from (select row_number() over () as n, x, y, local_day, time_known from pts) as pt
        cross join lateral (
          select c.i, round((pt.y / (sqrt(3) * ${s}::float8)) - 0.5 * mod(mod(c.i, 2) + 2, 2))::int as j
          from (values (floor(pt.x / (1.5 * ${s}::float8))::int), (floor(pt.x / (1.5 * ${s}::float8))::int + 1)) as c (i)
        ) as cand
        order by pt.n,
          (pt.x - 1.5 * ${s}::float8 * cand.i) ^ 2 + (pt.y - sqrt(3) * ${s}::float8 * (cand.j + 0.5 * mod(mod(cand.i, 2) + 2, 2))) ^ 2,
          cand.i`
  return sql`
    params as (
      select c.metric_srid as srid, c.time_zone as tz,
             ST_Transform(coalesce((select ST_Union(z.geom) from grid_zones as z where z.community_id = c.id), c.boundary), c.metric_srid) as area
      from communities as c where c.id = ${spec.community}
    ),
    -- every cell of the grid over the area's bounding box, and whether it is in the study area
    lattice as materialized (
      select g.i, g.j, ${centre}, ST_SetSRID(g.geom, p.srid) as geom,
             -- interiors must meet: a cell that only touches the area along an edge is not in it
             ${spec.shape === 'square'
               ? sql`ST_Intersects(ST_SetSRID(g.probe, p.srid), p.area)`
               : sql`ST_Intersects(ST_SetSRID(g.geom, p.srid), p.area) and ST_Relate(ST_SetSRID(g.geom, p.srid), p.area, 'T********')`} as in_area
      from params as p, (${grid}) as g
    ),
    cells as (select i, j, cx, cy, geom from lattice where in_area),
    -- A plain scan of the community's incidents (the time zone is an init plan, not a join), so the
    -- planner can bin a million points in parallel.
    pts as (${spec.source === 'disputes' ? sql`${disputePoints(sql, spec)} offset 0` : sql`
      select ST_X(i.geom_m) as x, ST_Y(i.geom_m) as y, (i.occurred_at at time zone ${tzOf(sql, spec.community)})::date as local_day, i.time_known,
             -- the square cell, computed here so that parallel workers do it (unused for hexagons)
             floor(ST_X(i.geom_m) / ${s}::float8)::int as i, floor(ST_Y(i.geom_m) / ${s}::float8)::int as j
      from incidents as i
      where i.community_id = ${spec.community} ${incidentConditions(sql, spec.filter, tzOf(sql, spec.community))}
      -- A fence: seen through it, the planner would estimate one cell per incident from the geometry
      -- column's statistics and size the binning hash table for a million cells, which makes it slower.
      offset 0`}
    ),
    binned as (${assign})`
}

/**
 * Matching incidents without a time of day. With an hours window they are excluded from the
 * analysis and counted by a query of their own; without one they are part of it and `inAnalysis`
 * (an expression over the analysis's own aggregates) counts them.
 */
function unknownCount(sql: Sql, spec: GridSpec, inAnalysis: Fragment): Fragment {
  if (!spec.filter.hours) return inAnalysis
  if (spec.source === 'disputes') return sql`0`
  return sql`(select count(*)::int from incidents as i
              where i.community_id = ${spec.community} and not i.time_known
                ${incidentConditions(sql, spec.filter, tzOf(sql, spec.community), { ignoreHours: true })})`
}

/** The community's time zone as a scalar subquery (evaluated once per statement). */
const tzOf = (sql: Sql, community: string) => sql`(select time_zone from communities where id = ${community})`

/**
 * Neighbour offsets (di, dj) of a cell, with the parity of its column for hexagons (odd columns sit
 * half a cell higher), including the cell itself (Gi* "star"). With a distance band, exactly the
 * offsets of the band's stencil (`bandStencil`), enumerated from its column runs.
 */
function neighbourJoin(sql: Sql, spec: GridSpec, a: string, b: string, table = 'counts'): Fragment {
  const A = sql(a)
  const B = sql(b)
  const T = sql(table)
  if (spec.band === null) {
    if (spec.shape === 'square')
      return sql`join (values (-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 0), (0, 1), (1, -1), (1, 0), (1, 1)) as o (di, dj) on true
                 join ${T} as ${B} on ${B}.i = ${A}.i + o.di and ${B}.j = ${A}.j + o.dj`
    // parity 0 (even column): neighbours in the next columns at j-1 and j; parity 1: at j and j+1.
    return sql`join (values (0, 0, 0), (0, 0, -1), (0, 0, 1), (0, -1, -1), (0, -1, 0), (0, 1, -1), (0, 1, 0),
                            (1, 0, 0), (1, 0, -1), (1, 0, 1), (1, -1, 0), (1, -1, 1), (1, 1, 0), (1, 1, 1)) as o (parity, di, dj)
                 on o.parity = ${parityOf(sql, a)}
               join ${T} as ${B} on ${B}.i = ${A}.i + o.di and ${B}.j = ${A}.j + o.dj`
  }
  return sql`join (select r.parity, r.di, dj from ${stencilRuns(sql, bandStencil(spec.cell, spec.shape, spec.band))}, generate_series(r.lo, r.hi) as dj) as o
               on o.parity = ${spec.shape === 'square' ? sql`0` : parityOf(sql, a)}
             join ${T} as ${B} on ${B}.i = ${A}.i + o.di and ${B}.j = ${A}.j + o.dj`
}

/** The parity of a cell's column (0 even, 1 odd; hexagons in odd columns sit half a cell higher). */
const parityOf = (sql: Sql, table: string) => sql`mod(mod(${sql(table)}.i, 2) + 2, 2)`

/** The runs of a stencil as a relation `r (parity, di, lo, hi)`. */
const stencilRuns = (sql: Sql, stencil: BandStencil) =>
  sql`unnest(${stencil.runs.map((r) => r.parity)}::int[], ${stencil.runs.map((r) => r.di)}::int[], ${stencil.runs.map((r) => r.lo)}::int[], ${stencil.runs.map((r) => r.hi)}::int[]) as r (parity, di, lo, hi)`

/** One column of a band's stencil: cells (i + di, j + lo … j + hi) are neighbours of cell (i, j) whose column has `parity`. */
export interface StencilRun {
  parity: 0 | 1
  di: number
  lo: number
  hi: number
}

export interface BandStencil {
  /** the runs of both parities (squares: parity 0 only), by parity then di */
  runs: StencilRun[]
  /** neighbour offsets (the cell itself included) of a cell of the larger parity */
  offsets: number
  /** runs (columns) of a cell of the larger parity */
  columns: number
}

/**
 * The neighbours of a cell within a distance band, as runs of consecutive cells in each column:
 * offset (di, dj) is a neighbour when the centres are at most `band` metres apart (with 1e-9 of
 * slack, so a band that is a multiple of the spacing takes the cells exactly at that distance).
 * Squares: centres s·(i + ½), s·(j + ½); hexagons (flat-topped, PostGIS's layout): 1.5·s·i,
 * √3·s·(j + ½·(i mod 2)), so the offsets depend on the parity of the cell's column. A column of
 * centres meets a disc in one interval, hence one run per column.
 */
export function bandStencil(cell: number, shape: CellShape, band: number): BandStencil {
  const limit = band * band * (1 + 1e-9)
  const dxUnit = shape === 'square' ? cell : 1.5 * cell
  const dyUnit = shape === 'square' ? cell : Math.sqrt(3) * cell
  // vertical shift (in rows) of column i + di relative to column i: ±½ for hexagons between columns of different parity
  const shift = (parity: number, di: number) => (shape === 'square' ? 0 : ((((parity + di) % 2) + 2) % 2 - parity) / 2)
  const within = (parity: number, di: number, dj: number) => (di * dxUnit) ** 2 + ((dj + shift(parity, di)) * dyUnit) ** 2 <= limit
  const reach = Math.ceil(band / dxUnit) + 1
  const runs: StencilRun[] = []
  const offsets = [0, 0]
  const columns = [0, 0]
  for (const parity of shape === 'square' ? ([0] as const) : ([0, 1] as const))
    for (let di = -reach; di <= reach; di++) {
      const rest = limit - (di * dxUnit) ** 2
      if (rest < 0) continue
      // the interval |dj + shift| ≤ √rest / dyUnit, then each end checked (and moved) by the exact test
      const t = Math.sqrt(rest) / dyUnit
      const d = shift(parity, di)
      let lo = Math.ceil(-t - d)
      let hi = Math.floor(t - d)
      while (within(parity, di, lo - 1)) lo--
      while (lo <= hi && !within(parity, di, lo)) lo++
      while (within(parity, di, hi + 1)) hi++
      while (hi >= lo && !within(parity, di, hi)) hi--
      if (lo > hi) continue
      runs.push({ parity, di, lo, hi })
      offsets[parity]! += hi - lo + 1
      columns[parity]!++
    }
  return { runs, offsets: Math.max(...offsets), columns: Math.max(...columns) }
}

export interface CellRow {
  i: number
  j: number
  count: number
  /** number of neighbours including the cell itself (Σw) */
  neighbours: number
  /** Gi* z-score; null when undefined (no variance, or every cell a neighbour of every other) */
  z: number | null
  /** quartic kernel density, incidents per km² (kde only) */
  density: number | null
  /** two-sided p-value of z, its FDR-adjusted value and the confidence bin (testedQuery only) */
  p?: number | null
  pAdjusted?: number | null
  bin?: number
  /** GeoJSON text of the cell polygon in EPSG:4326 */
  geometry: string
}

export interface GridResult {
  rows: CellRow[]
  /** incidents in the study area matching the filter */
  incidents: number
  /** matching incidents outside the study area (not counted) */
  outside: number
  /** bandwidth used (kde), metres */
  bandwidth: number | null
  /** matching incidents without a time of day (excluded when the filter has an hours window) */
  timeUnknown: number
}

/** Gi* per cell (and counts): the SQL that the count and gistar methods run. */
export function gistarQuery(sql: Sql, spec: GridSpec): Fragment {
  return sql`
    with ${gridCtes(sql, spec)},
    per_cell as (select i, j, count(*)::int as n, count(*) filter (where not time_known)::int as u from binned group by i, j),
    counts as (
      select c.i, c.j, c.cx, c.cy, c.geom, coalesce(pc.n, 0)::float8 as x
      from cells as c left join per_cell as pc using (i, j)
    ),
    stats as materialized (
      select count(*)::float8 as n, avg(x) as xbar, sqrt(greatest(avg(x * x) - avg(x) ^ 2, 0)) as s, sum(x)::int as in_area from counts
    ),
    totals as materialized (
      select coalesce(sum(n), 0)::int as matched, ${unknownCount(sql, spec, sql`coalesce(sum(u), 0)::int`)} as time_unknown from per_cell
    ),
    ${neighbourSums(sql, spec)}
    select a.i, a.j, a.x::int as count, nb.w::int as neighbours,
           safegrid_gistar_z(nb.wx, nb.w, st.n, st.xbar, st.s) as z,
           null::float8 as density,
           ST_AsGeoJSON(ST_Transform(a.geom, 4326), 7) as geometry,
           t.matched, st.in_area, t.time_unknown
    from counts as a join nb using (i, j) cross join stats as st cross join totals as t`
}

/**
 * `nb` (i, j, wx, w): each cell's sum of counts over its neighbours and itself, and their number.
 * Every path works on the whole lattice with cells outside the area counting 0 (and not as
 * neighbours), so the sums are exact integers:
 *
 * - square cells, ring 1: the 3 × 3 block sums as two running window sums — down each column, then
 *   across the rows;
 * - a distance band: running sums down each column (`pre`), so that a run of the band's stencil
 *   (column i + di, rows j + lo … j + hi) costs two look-ups, `pre(hi) − pre(lo − 1)`, and a cell
 *   as many pairs of look-ups as the stencil has columns (2·band/cell + 1) instead of one per
 *   neighbour (π·(band/cell)²);
 * - hexagons, ring 1: each cell joined to its six neighbour offsets.
 */
function neighbourSums(sql: Sql, spec: GridSpec): Fragment {
  const lat = sql`
    lat as (
      select l.i, l.j, l.in_area, case when l.in_area then coalesce(pc.n, 0) else 0 end::float8 as x, l.in_area::int as a
      from lattice as l left join per_cell as pc using (i, j)
    )`
  if (spec.band !== null) {
    const stencil = bandStencil(spec.cell, spec.shape, spec.band)
    // Look-ups are clamped to the lattice's rows: below its first row (jlo, a zero row added to
    // each column) nothing is counted, above its last (jhi) everything is.
    const at = (offset: Fragment) => sql`least(greatest(a.j + ${offset}, (select jlo from span)), (select jhi from span))`
    return sql`
      ${lat},
      span as materialized (select min(j) - 1 as jlo, max(j) as jhi from lattice),
      pre as (
        select i, j, sum(x) over c as px, sum(a) over c as pa
        from lat window c as (partition by i order by j rows between unbounded preceding and current row)
        union all
        select i, min(j) - 1, 0, 0 from lat group by i
      ),
      nb as (
        select a.i, a.j, sum(top.px - bot.px) as wx, sum(top.pa - bot.pa)::float8 as w
        from lat as a
        join ${stencilRuns(sql, stencil)} on r.parity = ${spec.shape === 'square' ? sql`0` : parityOf(sql, 'a')}
        join pre as top on top.i = a.i + r.di and top.j = ${at(sql`r.hi`)}
        join pre as bot on bot.i = a.i + r.di and bot.j = ${at(sql`r.lo - 1`)}
        where a.in_area
        group by a.i, a.j
      )`
  }
  if (spec.shape !== 'square')
    return sql`
      nb as (
        select a.i, a.j, sum(b.x) as wx, count(*)::float8 as w
        from counts as a ${neighbourJoin(sql, spec, 'a', 'b')}
        group by a.i, a.j
      )`
  return sql`
    ${lat},
    col as (
      select i, j, in_area, sum(x) over c as x3, sum(a) over c as a3
      from lat window c as (partition by i order by j range between 1 preceding and 1 following)
    ),
    nb as (
      select i, j, wx, w
      from (select i, j, in_area, sum(x3) over r as wx, (sum(a3) over r)::float8 as w
            from col window r as (partition by j order by i range between 1 preceding and 1 following)) as t
      where in_area
    )`
}

/** The bandwidth of a kernel density: the caller's, or the ArcGIS default from the points `inside`. */
function kdeBandwidth(sql: Sql, bandwidth: number | null): Fragment {
  return bandwidth === null
    ? sql`
    centre as (select avg(x) as mx, avg(y) as my, count(*) as n from inside),
    -- Default search radius (ArcGIS Kernel Density): 0.9 · min(SD, √(1/ln 2) · Dm) · n^-0.2, with SD the
    -- standard distance and Dm the median distance to the mean centre.
    spread as (
      select sqrt(avg((x - mx) ^ 2 + (y - my) ^ 2)) as sd,
             percentile_cont(0.5) within group (order by sqrt((x - mx) ^ 2 + (y - my) ^ 2)) as dm, max(n) as n
      from inside, centre
    ),
    bw as (select nullif(0.9 * least(sd, sqrt(1 / ln(2)) * dm) * n ^ (-0.2), 0) as h from spread)`
    : sql`
    bw as (select ${bandwidth}::float8 as h)`
}

/**
 * What a kernel density needs of the points, in one pass over them: the points of the cells in the
 * study area (x, y in metres, as pairs of 8-byte big-endian float8), the bandwidth, the span of the
 * cells' indices, the count of every cell with points (three arrays), and the totals of `meta`.
 */
export function kdePointsQuery(sql: Sql, spec: GridSpec, bandwidth: number | null): Fragment {
  return sql`
    with ${gridCtes(sql, spec)},
    inside as materialized (select b.i, b.j, b.x, b.y from binned as b join cells as c using (i, j)),
    ${kdeBandwidth(sql, bandwidth)},
    kspan as (select min(i) as imin, max(i) as imax, min(j) as jmin, max(j) as jmax from cells),
    per_cell as (select i, j, count(*)::int as n from inside group by i, j),
    totals as (
      select count(*)::int as matched, ${unknownCount(sql, spec, sql`count(*) filter (where not time_known)::int`)} as time_unknown
      from binned
    )
    select (select h from bw) as h, kspan.imin, kspan.imax, kspan.jmin, kspan.jmax,
           (select coalesce(string_agg(float8send(x) || float8send(y), ''::bytea), ''::bytea) from inside) as points,
           (select coalesce(array_agg(i), '{}') from per_cell) as count_i,
           (select coalesce(array_agg(j), '{}') from per_cell) as count_j,
           (select coalesce(array_agg(n), '{}') from per_cell) as count_n,
           t.matched, (select count(*)::int from inside) as in_area, t.time_unknown
    from kspan cross join totals as t`
}

/** The kernel sums of cells (i, j): three parallel arrays, cells without a term left out. */
export interface KernelSums {
  i: number[]
  j: number[]
  k: number[]
}

/**
 * Sums the quartic kernel (1 − d²/h²)² of every point at every cell centre within the bandwidth h
 * (d < h; a centre on the rim adds 0), for the cells of the span [imin, imax] × [jmin, jmax]: for each
 * point the columns whose centres are within h across, then in each column the rows within √(h² − dx²)
 * up or down (bounds widened by a millionth of a cell against rounding) — no pair tested and thrown
 * away. Centres as the grid places them (squares ((i + ½)·s, (j + ½)·s); PostGIS's flat-topped hexagons
 * (1.5·s·i, √3·s·(j + ½·(i mod 2)))), in the same float8 operations as the database's.
 *
 * Summed here rather than in SQL (issue 16): the database spent about 0.6 µs on each of the two
 * million terms of a city's kernel density; this loop spends a few nanoseconds.
 */
export function kernelSums(xs: Float64Array, ys: Float64Array, h: number, cell: number, shape: CellShape, span: { imin: number; imax: number; jmin: number; jmax: number }): KernelSums {
  const { imin, imax, jmin, jmax } = span
  const rows = jmax - jmin + 1
  const sums = new Float64Array((imax - imin + 1) * rows)
  const hh = h * h
  const s = cell
  const square = shape === 'square'
  const xStep = square ? s : 1.5 * s
  const xShift = square ? 0.5 : 0
  const yStep = square ? s : Math.sqrt(3) * s
  for (let p = 0; p < xs.length; p++) {
    const x = xs[p]!
    const y = ys[p]!
    const i0 = Math.max(Math.ceil((x - h) / xStep - xShift - 1e-6), imin)
    const i1 = Math.min(Math.floor((x + h) / xStep - xShift + 1e-6), imax)
    for (let ti = i0; ti <= i1; ti++) {
      const cx = square ? (ti + 0.5) * s : 1.5 * s * ti
      const dx = x - cx
      const dx2 = dx * dx
      const r = Math.sqrt(Math.max(hh - dx2, 0))
      const yShift = square ? 0.5 : 0.5 * (((ti % 2) + 2) % 2)
      const j0 = Math.max(Math.ceil((y - r) / yStep - yShift - 1e-6), jmin)
      const j1 = Math.min(Math.floor((y + r) / yStep - yShift + 1e-6), jmax)
      const base = (ti - imin) * rows - jmin
      for (let tj = j0; tj <= j1; tj++) {
        const cy = square ? (tj + 0.5) * s : yStep * (tj + yShift)
        const dy = y - cy
        const t = 1 - (dx2 + dy * dy) / hh
        if (t > 0) sums[base + tj] = sums[base + tj]! + t * t
      }
    }
  }
  const out: KernelSums = { i: [], j: [], k: [] }
  for (let a = 0; a < sums.length; a++)
    if (sums[a] !== 0) {
      out.i.push(imin + Math.floor(a / rows))
      out.j.push(jmin + (a % rows))
      out.k.push(sums[a]!)
    }
  return out
}

/** What kdePointsQuery found, with the kernel sums made from it: all a kernel density's cells need. */
export interface Kernel {
  h: number | null
  sums: KernelSums
  counts: { i: number[]; j: number[]; n: number[] }
  matched: number
  inArea: number
  timeUnknown: number
}

/**
 * Quartic kernel density at cell centres (incidents per km²) from the kernel sums and bandwidth, and
 * the cells' counts and totals as the points query found them: the points are not read again.
 */
export function kdeQuery(sql: Sql, spec: GridSpec, kernel: Kernel): Fragment {
  const { h, sums, counts } = kernel
  return sql`
    with ${gridCtes(sql, spec)},
    bw as (select ${h}::float8 as h),
    dens as (select * from unnest(${sums.i}::int[], ${sums.j}::int[], ${sums.k}::float8[]) as d (i, j, k)),
    per_cell as (select * from unnest(${counts.i}::int[], ${counts.j}::int[], ${counts.n}::int[]) as n (i, j, n))
    select c.i, c.j, coalesce(pc.n, 0)::int as count, 0 as neighbours, null::float8 as z,
           coalesce(3 / (pi() * bw.h * bw.h) * d.k * 1e6, 0) as density,
           ST_AsGeoJSON(ST_Transform(c.geom, 4326), 7) as geometry,
           ${kernel.matched}::int as matched, ${kernel.inArea}::int as in_area, ${kernel.timeUnknown}::int as time_unknown,
           bw.h as bandwidth
    from cells as c cross join bw
    left join dens as d using (i, j)
    left join per_cell as pc using (i, j)`
}

/**
 * Benjamini–Hochberg adjusted p-values (as R's p.adjust(p, "BH")) of the column `p` of `rows`, as
 * a column `p_adjusted`: going from the largest p down, the running minimum of p·m/rank, capped at 1.
 * Rows whose p is null stay null and do not count in m. Comparing an adjusted value with α keeps the
 * false discovery rate at α.
 */
export function bhAdjusted(sql: Sql, rows: Fragment): Fragment {
  return sql`
    select r.*, case when r.p is not null then least(1, min(r.p * r.m / r.rank) over (order by r.rank desc rows between unbounded preceding and current row)) end as p_adjusted
    from (
      select x.*, count(x.p) over () as m, count(x.p) over () - row_number() over (order by x.p desc nulls last) + 1 as rank
      from (${rows}) as x
    ) as r`
}

/**
 * Gi* cells with their two-sided p-value, the Benjamini–Hochberg adjusted one when `fdr`, and the
 * ArcGIS confidence bin: ±3 at 99 %, ±2 at 95 %, ±1 at 90 % (of the adjusted p when `fdr`), 0 otherwise
 * or when z is undefined.
 */
export function testedQuery(sql: Sql, spec: GridSpec, fdr: boolean): Fragment {
  const withP = sql`select g.*, safegrid_two_sided_p(g.z) as p from (${gistarQuery(sql, spec)}) as g`
  const adjusted = fdr ? bhAdjusted(sql, withP) : sql`select w.*, null::float8 as p_adjusted from (${withP}) as w`
  const p = fdr ? sql`t.p_adjusted` : sql`t.p`
  return sql`
    select t.*,
           case when t.z is null then 0
                else sign(t.z)::int * case when ${p} < 0.01 then 3 when ${p} < 0.05 then 2 when ${p} < 0.1 then 1 else 0 end
           end as bin
    from (${adjusted}) as t`
}

export type CollectionMethod = 'count' | 'gistar' | 'kde'

/** What the database says about the cells of a collection, for `meta`. */
export interface CollectionFigures {
  cells: number
  /** matching incidents, in the study area or not */
  matched: number
  inArea: number
  timeUnknown: number
  bandwidth: number | null
  /** every z undefined */
  allZNull: boolean
  /** every cell a neighbour of every other */
  allNeighbours: boolean
  /** cells per confidence bin (gistar) */
  bins: Record<string, number> | null
}

/**
 * The count, gistar or kde answer built whole in SQL: one row of `features` — each cell as a GeoJSON
 * Feature, joined by commas, in (i, j) order — and `figures` (JSON, see CollectionFigures). The server
 * wraps the features in a FeatureCollection as they come, so a 40,000-cell answer costs it nothing
 * per cell.
 */
export function collectionQuery(sql: Sql, spec: GridSpec, method: CollectionMethod, opts: { fdr: boolean; kernel?: Kernel }): Fragment {
  if (method === 'kde' && !opts.kernel) throw new Error('a kernel density collection needs its kernel sums (collectCells)')
  const rows = method === 'kde' ? kdeQuery(sql, spec, opts.kernel!) : method === 'gistar' ? testedQuery(sql, spec, opts.fdr) : gistarQuery(sql, spec)
  // concat() arguments; numbers print as PostgreSQL's shortest exact text, which is valid JSON
  const num = (col: string) => sql`coalesce(${sql(col)}::text, 'null')`
  const properties =
    method === 'count'
      ? sql`''`
      : method === 'kde'
        ? sql`',"density":', ${num('density')}`
        : sql`',"neighbours":', neighbours, ',"z":', ${num('z')}, ',"p":', ${num('p')},
              ${opts.fdr ? sql`',"pAdjusted":', ${num('p_adjusted')},` : sql``} ',"bin":', bin`
  return sql`
    with cell as materialized (${rows})
    select
      (select string_agg(concat('{"type":"Feature","id":"', i, '_', j, '","geometry":', geometry,
                                ',"properties":{"i":', i, ',"j":', j, ',"count":', count, ${properties}, '}}'), ',' order by i, j)
       from cell) as features,
      (select json_build_object(
                'cells', count(*),
                'matched', coalesce(max(matched), 0), 'inArea', coalesce(max(in_area), 0), 'timeUnknown', coalesce(max(time_unknown), 0),
                'bandwidth', ${method === 'kde' ? sql`max(bandwidth)` : sql`null::float8`},
                'allZNull', coalesce(bool_and(z is null), true),
                'allNeighbours', coalesce(bool_and(neighbours = (select count(*) from cell)), true),
                'bins', ${method === 'gistar' ? sql`(select json_object_agg(bin, k) from (select bin, count(*) as k from cell group by bin) as b)` : sql`null::json`})
       from cell) as figures`
}

type CollectionRow = (Buffer | null)[]

/** kdePointsQuery's row. */
interface KdePoints {
  h: number | null
  imin: number | null
  imax: number | null
  jmin: number | null
  jmax: number | null
  points: Uint8Array
  countI: number[]
  countJ: number[]
  countN: number[]
  matched: number
  inArea: number
  timeUnknown: number
}

/** A collectionQuery's row: the features as UTF-8 bytes (empty when there are no cells) and the figures. */
function readCollection(row: CollectionRow | undefined): { features: Uint8Array<ArrayBuffer>; figures: CollectionFigures } {
  if (!row || !row[1]) throw new Error('the collection query answered no figures')
  return { features: row[0] ? new Uint8Array(row[0].buffer as ArrayBuffer, row[0].byteOffset, row[0].byteLength) : new Uint8Array(), figures: JSON.parse(row[1].toString('utf8')) as CollectionFigures }
}

/** Runs a collectionQuery: the features as UTF-8 bytes (empty when there are no cells) and the figures. */
export async function runCollection(sql: Sql, query: Fragment, opts: RunOptions = {}): Promise<{ features: Uint8Array<ArrayBuffer>; figures: CollectionFigures }> {
  const [row] = await runAnalysis<CollectionRow[]>(sql, query, { ...opts, raw: true })
  return readCollection(row)
}

/**
 * The count, gistar or kde answer of `spec`. A kernel density reads its points and bandwidth, sums
 * the kernel (kernelSums) and builds the answer from the sums, the two queries on one snapshot.
 */
export async function collectCells(sql: Sql, spec: GridSpec, method: CollectionMethod, opts: { fdr: boolean; bandwidth: number | null }, run: RunOptions = {}): Promise<{ features: Uint8Array<ArrayBuffer>; figures: CollectionFigures }> {
  if (method !== 'kde') return runCollection(sql, collectionQuery(sql, spec, method, { fdr: opts.fdr }), run)
  return inAnalysis(
    sql,
    { ...run, snapshot: true },
    async (tx) => {
      const [row] = (await tx`${kdePointsQuery(tx, spec, opts.bandwidth)}`) as unknown as KdePoints[]
      const p = row!
      let sums: KernelSums = { i: [], j: [], k: [] }
      if (p.h !== null && p.imin !== null && p.points.byteLength > 0) {
        const view = new DataView(p.points.buffer, p.points.byteOffset, p.points.byteLength)
        const n = p.points.byteLength / 16
        const xs = new Float64Array(n)
        const ys = new Float64Array(n)
        for (let k = 0; k < n; k++) {
          xs[k] = view.getFloat64(16 * k)
          ys[k] = view.getFloat64(16 * k + 8)
        }
        sums = kernelSums(xs, ys, p.h, spec.cell, spec.shape, { imin: p.imin, imax: p.imax!, jmin: p.jmin!, jmax: p.jmax! })
      }
      const kernel: Kernel = { h: p.h, sums, counts: { i: p.countI, j: p.countJ, n: p.countN }, matched: p.matched, inArea: p.inArea, timeUnknown: p.timeUnknown }
      const [collected] = (await tx`${collectionQuery(tx, spec, 'kde', { fdr: false, kernel })}`.raw()) as unknown as CollectionRow[]
      return readCollection(collected)
    },
    GRID_SETTINGS,
  )
}

/** Runs a tested (Gi*) query and collects the figures. */
export async function runGrid(sql: Sql, query: Fragment, opts: RunOptions = {}): Promise<GridResult> {
  const rows = await runAnalysis<(CellRow & { matched: number; inArea: number; timeUnknown: number; bandwidth?: number | null })[]>(sql, query, opts)
  const first = rows[0]
  const matched = first?.matched ?? 0
  const incidents = first?.inArea ?? 0
  return { rows, incidents, outside: matched - incidents, bandwidth: first?.bandwidth ?? null, timeUnknown: first?.timeUnknown ?? 0 }
}

export interface SliceRow {
  i: number
  j: number
  /** slice index in time order, 0-based */
  t: number
  count: number
  z: number | null
  /** cell polygon (GeoJSON text, EPSG:4326) on the row of slice 0 */
  geometry: string | null
  firstSlice: string
  slices: number
  matched: number
  timeUnknown: number
}

const sliceStep = (sql: Sql, slice: TimeSlice) => (slice === 'week' ? sql`interval '1 week'` : sql`interval '1 month'`)

/**
 * The start of every time slice, from `from`/`to` or, without them, the first to the last local day
 * of the relation `pts` (the matching incidents).
 */
function sliceStarts(sql: Sql, spec: GridSpec, slice: TimeSlice): Fragment {
  const unit = slice === 'week' ? sql`'week'` : sql`'month'`
  const from = spec.filter.from ? localDay(sql, spec, spec.filter.from) : sql`(select min(local_day) from pts)`
  const to = spec.filter.to ? localDay(sql, spec, spec.filter.to) : sql`(select max(local_day) from pts)`
  return sql`generate_series(date_trunc(${unit}, ${from}), date_trunc(${unit}, ${to}), ${sliceStep(sql, slice)})`
}

/**
 * The community's local calendar day of a filter bound: a date is that day; a timestamp is the day
 * its instant falls on in the community's time zone — however the instant is written
 * (2020-03-01T05:00:00Z and 2020-02-29T21:00:00-08:00 are the same day in San Francisco).
 */
function localDay(sql: Sql, spec: GridSpec, bound: string): Fragment {
  return isDateOnly(bound) ? sql`${bound}::date` : sql`(${bound}::timestamptz at time zone ${tzOf(sql, spec.community)})::date`
}

/** How many time slices an emerging hot spot analysis of `spec` makes (0 when nothing matches). */
export async function countSlices(sql: Sql, spec: GridSpec, slice: TimeSlice): Promise<number> {
  const tz = tzOf(sql, spec.community)
  const [row] = await sql<{ n: number }[]>`
    with pts as (${spec.source === 'disputes'
      ? disputePoints(sql, spec)
      : sql`
      select (i.occurred_at at time zone ${tz})::date as local_day
      from incidents as i where i.community_id = ${spec.community} ${incidentConditions(sql, spec.filter, tz)}`}
    )
    select count(*)::int as n from ${sliceStarts(sql, spec, slice)}`
  return row?.n ?? 0
}

/**
 * Gi* of every cell in every time slice (week: ISO weeks from Monday; month: calendar months, local
 * time) from `from`/`to` or, without them, the first to the last matching incident. Empty slices
 * are part of the series.
 */
export function emergingQuery(sql: Sql, spec: GridSpec, slice: TimeSlice): Fragment {
  const step = sliceStep(sql, slice)
  return sql`
    with ${gridCtes(sql, spec)},
    slices as (
      select (row_number() over (order by d) - 1)::int as t, d::date as start
      from ${sliceStarts(sql, spec, slice)} as d
    ),
    -- Only cell-slices with incidents are stored (a few hundred in a community, against cells × slices
    -- in all); each cell's neighbour sums come from joining its neighbour pairs to these, and the
    -- dense cells × slices table is made once, for the answer.
    sparse as (
      select b.i, b.j, s.t, count(*)::int as n
      from binned as b join cells as c using (i, j)
      join slices as s on b.local_day >= s.start and b.local_day < (s.start + ${step})::date
      group by b.i, b.j, s.t
    ),
    pairs as (select a.i, a.j, b.i as bi, b.j as bj from cells as a ${neighbourJoin(sql, spec, 'a', 'b', 'cells')}),
    weights as (select i, j, count(*)::float8 as w from pairs group by i, j),
    sums as (
      select p.i, p.j, sp.t, sum(sp.n)::float8 as wx
      from pairs as p join sparse as sp on sp.i = p.bi and sp.j = p.bj
      group by p.i, p.j, sp.t
    ),
    -- mean and population standard deviation of each slice over every cell, zeros included
    stats as materialized (
      select s.t, n.n, coalesce(sum(sp.n), 0) / n.n as xbar,
             sqrt(greatest(coalesce(sum(sp.n * sp.n), 0) / n.n - (coalesce(sum(sp.n), 0) / n.n) ^ 2, 0)) as s
      from slices as s cross join (select count(*)::float8 as n from cells) as n left join sparse as sp using (t)
      group by s.t, n.n
    ),
    dense as (
      select c.i, c.j, s.t, coalesce(sp.n, 0) as x, coalesce(su.wx, 0) as wx, w.w
      from cells as c cross join slices as s
      join weights as w on w.i = c.i and w.j = c.j
      left join sparse as sp on sp.i = c.i and sp.j = c.j and sp.t = s.t
      left join sums as su on su.i = c.i and su.j = c.j and su.t = s.t
    )
    select a.i, a.j, a.t, a.x as count,
           safegrid_gistar_z(a.wx, a.w, st.n, st.xbar, st.s) as z,
           case when a.t = 0 then ST_AsGeoJSON(ST_Transform(c.geom, 4326), 7) end as geometry,
           (select to_char(start, 'YYYY-MM-DD') from slices where t = 0) as first_slice,
           (select count(*) from slices)::int as slices,
           (select count(*) from binned)::int as matched,
           ${unknownCount(sql, spec, sql`(select count(*) filter (where not time_known)::int from binned)`)} as time_unknown
    from dense as a join stats as st using (t)
    left join cells as c on c.i = a.i and c.j = a.j and a.t = 0
    order by a.i, a.j, a.t`
}
