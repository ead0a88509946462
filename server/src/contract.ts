/**
 * The API's contract with its clients, written once: every answer's shape (zod schemas, with the
 * TypeScript types inferred from them), every `meta`, the enums, error codes, limits and defaults
 * that the server answers with and the web app (web/src) reads. The server builds its answers with
 * `satisfies` these types and documents them in OpenAPI from these schemas; the API tests validate
 * whole answers against them. Plain `zod` and pure code only, so the browser bundle takes it as it is.
 */
import type { Geometry } from 'geojson'
import { z } from 'zod'

// ---------------------------------------------------------------------------------------------
// Errors

/** Every error code the API can answer with, and its HTTP status. */
export const ERRORS = {
  bad_request: 400,
  invalid_parameter: 400,
  invalid_bbox: 400,
  invalid_tile: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  unknown_layer: 404,
  community_not_found: 404,
  method_not_allowed: 405,
  password_change_required: 403,
  conflict: 409,
  version_conflict: 409,
  zones_overlap: 409,
  invalid_geometry: 400,
  payload_too_large: 413,
  uri_too_long: 414,
  precondition_required: 428,
  too_many_requests: 429,
  internal: 500,
  database_unavailable: 503,
  analysis_timeout: 503,
  invalid_transition: 409,
  /** an import whose file has rejected rows: nothing was imported (issue 10) */
  import_rejected: 422,
} as const
export type ErrorCode = keyof typeof ERRORS
export const ERROR_CODES = Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]]

/** The JSON body of every 4xx/5xx answer. */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' })
export type ErrorBody = z.infer<typeof ErrorBodySchema>

// ---------------------------------------------------------------------------------------------
// Limits and defaults the server applies (the web app checks input against the same numbers)

export const LIMITS = {
  /** features of one layer request */
  layer: { default: 10_000, max: 50_000 },
  /** search results, and the length of a query */
  search: { default: 10, max: 50, queryMax: 100 },
  /** hot spot cell size, Gi* distance band and KDE bandwidth, metres */
  cell: { min: 10, max: 5000 },
  band: { min: 10, max: 10_000 },
  bandwidth: { min: 10, max: 20_000 },
  /** the hot spot grid of priority gaps, metres */
  gapCell: { min: 25, max: 2000 },
  /** captain load above which a captain is flagged */
  maxBuildings: { min: 1, max: 1000 },
  /**
   * Patrols (issue 11): a page of the patrol log; the longest period the log and its summary are
   * asked about (days); a log entry's notes and members present; a route snapped to the streets
   * (clicked points, and how far a point may be from a street to be snapped, metres).
   */
  patrols: { pageDefault: 100, pageMax: 1000, periodDays: 366, notesMax: 2000, membersMax: 200 },
  snap: { points: 200, toleranceDefault: 30, toleranceMax: 100 },
  /**
   * How much work one analysis may ask for, per database mode — refused up front beyond it (embedded
   * mode cannot interrupt a query and runs one at a time, so its limits keep every analysis short):
   * cells; cells × time slices (emerging); cells × columns of a Gi* distance band's stencil (each
   * cell looks up two running sums per column); cells × neighbours within a distance band
   * (emerging); incidents × cells within a KDE kernel's reach (kernel terms).
   */
  work: {
    server: { cells: 250_000, cellSlices: 1_000_000, bandColumns: 5_000_000, neighbourPairs: 5_000_000, kernelTerms: 30_000_000 },
    embedded: { cells: 15_000, cellSlices: 60_000, bandColumns: 300_000, neighbourPairs: 300_000, kernelTerms: 6_000_000 },
  },
} as const

export const DEFAULTS = {
  hotspots: { method: 'gistar', cell: 100, shape: 'square', fdr: false, slice: 'month' },
  gaps: { network: 'all', cell: 100, fdr: false },
  coverage: { network: 'patrol', maxBuildings: 15, basis: 'plan' },
} as const

/** Fewer matching incidents than this: an explicit "not enough data" answer, never a map. */
export const MIN_INCIDENTS = 30
/** A slice (emerging) or a cell (priority gaps) counts as hot at this two-sided p-value or below: 95 %. */
export const HOT_ALPHA = 0.05
/** Incidents count towards a building within this many metres of its footprint. */
export const BUILDING_INCIDENT_RADIUS_M = 25

// ---------------------------------------------------------------------------------------------
// Enums

export const LAYERS = ['buildings', 'streets', 'zones', 'routes', 'captains', 'incidents', 'disputes'] as const
export type LayerName = (typeof LAYERS)[number]
export const TILE_LAYERS = ['buildings', 'incidents', 'streets'] as const satisfies readonly LayerName[]
export type TileLayerName = (typeof TILE_LAYERS)[number]

export const HOTSPOT_METHODS = ['gistar', 'kde', 'emerging', 'count'] as const
export type HotspotMethod = (typeof HOTSPOT_METHODS)[number]
export const CELL_SHAPES = ['square', 'hex'] as const
export type CellShape = (typeof CELL_SHAPES)[number]
export const TIME_SLICES = ['week', 'month'] as const
export type TimeSlice = (typeof TIME_SLICES)[number]
/** The points a hot spot analysis runs over (issue 12): incidents, or disputes (their point, the building's when recorded by building; dated when reported). */
export const HOTSPOT_SOURCES = ['incidents', 'disputes'] as const
export type HotspotSource = (typeof HOTSPOT_SOURCES)[number]

/** Why an analysis answered no cells (`meta.insufficientReason`). */
export const INSUFFICIENT_REASONS = ['too_few_incidents', 'no_variance', 'too_few_cells', 'too_few_slices'] as const
export type InsufficientReason = (typeof INSUFFICIENT_REASONS)[number]

/** ArcGIS confidence bins of Gi*: ±3 = 99 %, ±2 = 95 %, ±1 = 90 %, 0 = not significant. */
export const GI_BIN_LABELS = { 3: 'hot99', 2: 'hot95', 1: 'hot90', 0: 'none', [-1]: 'cold90', [-2]: 'cold95', [-3]: 'cold99' } as const
export type GiBin = -3 | -2 | -1 | 0 | 1 | 2 | 3

/** Emerging hot spot categories (ArcGIS Emerging Hot Spot Analysis, as sfdep implements them), in this order. */
export const EMERGING_CATEGORIES = ['new', 'consecutive', 'intensifying', 'persistent', 'diminishing', 'sporadic', 'oscillating', 'historical', 'none'] as const
export type EmergingCategory = (typeof EMERGING_CATEGORIES)[number]

export const COVERAGE_NETWORKS = ['patrol', 'captain'] as const
/**
 * What patrol coverage is of: `plan` — routes with a shift in service during the window; `logged` —
 * routes with at least one logged patrol in the period (`from`–`to`, local dates) that overlaps the
 * window.
 */
export const COVERAGE_BASES = ['plan', 'logged'] as const
export type CoverageBasis = (typeof COVERAGE_BASES)[number]
export type CoverageNetwork = (typeof COVERAGE_NETWORKS)[number]
export const GAP_NETWORKS = ['patrol', 'captain', 'all'] as const
export type GapNetwork = (typeof GAP_NETWORKS)[number]
export const GAP_KINDS = ['area', 'building', 'captainless', 'priority'] as const
export type GapKind = (typeof GAP_KINDS)[number]

export const TEAM_KINDS = ['volunteer', 'security', 'police', 'grid_worker'] as const
export type TeamKind = (typeof TEAM_KINDS)[number]

/**
 * Roles per community (DESIGN.md, "Security"): admin (everything in the community), planner (edit
 * the networks), mediator (disputes, key problems), care (care files; granted on its own), viewer
 * (the meeting view: incidents aggregated, no phone numbers).
 */
/**
 * The languages answers can name things in (`lang` parameter): a zone, team, route, captain or grid
 * worker shows its form in that language, else the name it was recorded with.
 */
export const LANGUAGES = ['zh', 'en'] as const
export type Lang = (typeof LANGUAGES)[number]

export const ROLES = ['admin', 'planner', 'mediator', 'care', 'viewer'] as const
export type Role = (typeof ROLES)[number]

/** The shortest and longest password accepted (the longest bounds the hashing work of a request). */
export const PASSWORD_LIMITS = { min: 10, max: 200 } as const

// ---------------------------------------------------------------------------------------------
// The shared incident filters (DESIGN.md): the same names and meaning on every endpoint

/** A time-of-day window in minutes after local midnight: [start, end), crossing midnight when end <= start. */
export interface HoursWindow {
  start: number
  end: number
}

/**
 * Reads an `hours` parameter, "22-02" or "08:30-17:00" (local time of day, [start, end)), into
 * minutes; null when malformed or empty (start = end). 24 is midnight.
 */
export function parseHours(raw: string): HoursWindow | null {
  const m = /^(\d{1,2})(?::(\d{2}))?-(\d{1,2})(?::(\d{2}))?$/.exec(raw.trim())
  if (!m) return null
  const [h1, m1, h2, m2] = [Number(m[1]), Number(m[2] ?? 0), Number(m[3]), Number(m[4] ?? 0)]
  if (h1 > 24 || h2 > 24 || m1 > 59 || m2 > 59) return null
  const start = (h1 * 60 + m1) % 1440
  const end = (h2 * 60 + m2) % 1440
  return start === end ? null : { start, end }
}

/** "HH:MM" of minutes after midnight (1440 is "24:00"). */
export function formatMinutes(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
}

/** True when `s` is a date without time ('YYYY-MM-DD': a local calendar day, in the community's time zone). */
export const isDateOnly = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s)

/** Years a date may have: what every part of the system (PostgreSQL, JavaScript, the calendar UI) holds alike. */
export const YEARS = { min: 1000, max: 9999 } as const

const INSTANT_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?(Z|([+-])(\d{2}):?(\d{2})))?$/

/**
 * Whether `s` is a real day ('2012-07-01') or instant with an offset ('2012-07-01T22:00:00-07:00')
 * within YEARS: no 31 September, no hour 25, no offset beyond ±14:00 — nothing a database would
 * shift silently to another day.
 */
export function isRealInstant(s: string): boolean {
  const m = INSTANT_RE.exec(s)
  if (!m) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (year < YEARS.min || year > YEARS.max || month < 1 || month > 12 || day < 1) return false
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (day > daysInMonth) return false
  if (m[4] === undefined) return true
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)]
  if (hour > 23 || minute > 59 || second > 59) return false
  if (m[8] !== 'Z') {
    const offset = Number(m[10]) * 60 + Number(m[11])
    if (Number(m[11]) > 59 || offset > 14 * 60) return false
  }
  return true
}

/** "HH:MM-HH:MM" of a window, as `meta.filter.hours` echoes it. */
export const formatHours = (w: HoursWindow) => `${formatMinutes(w.start)}-${formatMinutes(w.end)}`

/**
 * The shared incident filters: `null` means no restriction. The UI holds local days; the API also
 * takes ISO timestamps with an offset in `from`/`to`.
 */
export interface IncidentFilter {
  /** 'YYYY-MM-DD' (local day, inclusive) or an ISO timestamp */
  from: string | null
  to: string | null
  categories: string[] | null
  hours: HoursWindow | null
  /** ISO weekdays, 1 = Monday */
  weekdays: number[] | null
}

/** The filter as answers echo it in `filter` / `meta.filter` (what was actually used). */
export const FilterEchoSchema = z
  .object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    categories: z.array(z.string()).nullable(),
    hours: z.string().nullable().meta({ description: 'HH:MM-HH:MM, local time of day' }),
    weekdays: z.array(z.number().int()).nullable(),
  })
  .meta({ id: 'FilterEcho' })
export type FilterEcho = z.infer<typeof FilterEchoSchema>

/** The echo of a filter. */
export function describeFilter(f: IncidentFilter): FilterEcho {
  return { from: f.from, to: f.to, categories: f.categories, hours: f.hours ? formatHours(f.hours) : null, weekdays: f.weekdays }
}

/** When the patrol network is asked about: ISO weekdays and a time-of-day window (null = all). */
export const WindowEchoSchema = z.object({ weekdays: z.array(z.number().int()).nullable(), hours: z.string().nullable() }).meta({ id: 'WindowEcho' })
export type WindowEcho = z.infer<typeof WindowEchoSchema>

// ---------------------------------------------------------------------------------------------
// Small shared pieces

/** [west, south, east, north] in degrees. */
export type BBox = [number, number, number, number]

const int = () => z.number().int()
const bbox = z.tuple([z.number(), z.number(), z.number(), z.number()]).meta({ description: '[west, south, east, north], degrees' })
const lonLat = z.tuple([z.number(), z.number()]).meta({ description: '[lon, lat], degrees' })
const pct = () => z.number().meta({ description: 'percent, two decimals; 0 when there is nothing to cover' })

const GEOMETRY_TYPES = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']
/** A GeoJSON geometry: its type is checked, its coordinates are PostGIS's business. */
const GeometrySchema = z
  .custom<Geometry>((v) => typeof v === 'object' && v !== null && GEOMETRY_TYPES.includes((v as { type?: string }).type ?? '') && ('coordinates' in v || 'geometries' in v), {
    message: 'a GeoJSON geometry',
  })
  .meta({ description: 'GeoJSON geometry (EPSG:4326)', type: 'object' })

/** A FeatureCollection of features with `properties`, plus `meta`. */
export function featureCollection<P extends z.ZodType, M extends z.ZodType>(properties: P, meta: M) {
  return z.object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.object({ type: z.literal('Feature'), id: z.union([z.number(), z.string()]).optional(), geometry: GeometrySchema, properties })),
    meta,
  })
}

// ---------------------------------------------------------------------------------------------
// Service and communities

export const HealthSchema = z
  .object({
    status: z.literal('ok'),
    db: z.object({
      mode: z.enum(['embedded', 'server']),
      postgres: z.string().meta({ example: '15.18' }),
      postgis: z.string().meta({ example: '3.3.2' }),
      migration: int(),
      busy: z.boolean().optional().meta({ description: 'the database is busy with a long query: these are the last readings' }),
    }),
  })
  .meta({ id: 'Health' })
export type Health = z.infer<typeof HealthSchema>

export const CommunitySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    nameZh: z.string().nullable(),
    timeZone: z.string(),
    metricSrid: int(),
    bbox,
    center: lonLat,
    counts: z.object({ buildings: int(), zones: int(), routes: int(), captains: int(), incidents: int(), disputes: int() }),
    sample: z.boolean().meta({ description: 'some of its zones, routes, captains or building attributes were generated for the demo (the map marks them as sample data)' }),
  })
  .meta({ id: 'Community' })
export type Community = z.infer<typeof CommunitySchema>
export const CommunityListSchema = z.object({ communities: z.array(CommunitySchema) }).meta({ id: 'CommunityList' })

// ---------------------------------------------------------------------------------------------
// Layers (GET /api/communities/:id/layers/:layer, and the same properties in tiles)

export const ShiftSchema = z
  .object({
    days: z.array(int()).meta({ description: 'ISO weekdays the shift starts on, 1 = Monday' }),
    start: z.string().meta({ example: '22:00' }),
    end: z.string().meta({ example: '06:00', description: 'end ≤ start runs past midnight into the next day' }),
  })
  .meta({ id: 'Shift' })
export type Shift = z.infer<typeof ShiftSchema>

export const BuildingPropsSchema = z.object({
  id: int(),
  name: z.string().nullable(),
  address: z.string().nullable(),
  households: int().nullable(),
  residents: int().nullable(),
  floors: int().nullable(),
  captained: z.boolean(),
  captainId: int().nullable(),
  captainName: z.string().nullable(),
  zoneId: int().nullable().meta({ description: 'the zone holding the building (DESIGN: its point on surface)' }),
  zoneCode: z.string().nullable(),
  isSample: z.boolean(),
  incidents: int().nullable().meta({ description: `incidents within ${BUILDING_INCIDENT_RADIUS_M} m of the footprint, all dates and categories (null for roles that do not see incidents individually)` }),
})
export type BuildingProps = z.infer<typeof BuildingPropsSchema>

export const StreetPropsSchema = z.object({ id: int(), name: z.string().nullable(), highway: z.string().nullable() })

export const ZonePropsSchema = z.object({
  id: int(),
  code: z.string(),
  name: z.string(),
  /** the name's forms per language, as planners set them (null: none in that language; `name` is the one in the answer's language) */
  nameZh: z.string().nullable(),
  nameEn: z.string().nullable(),
  gridWorker: z.string().nullable(),
  teamId: int().nullable(),
  teamName: z.string().nullable(),
  areaM2: z.number(),
  version: int(),
  isSample: z.boolean(),
})
export type ZoneProps = z.infer<typeof ZonePropsSchema>

export const RoutePropsSchema = z.object({
  id: int(),
  name: z.string(),
  /** the name's forms per language, as planners set them (null: none in that language; `name` is the one in the answer's language) */
  nameZh: z.string().nullable(),
  nameEn: z.string().nullable(),
  teamId: int(),
  teamName: z.string(),
  teamKind: z.enum(TEAM_KINDS),
  reachM: z.number(),
  lengthM: z.number(),
  shifts: z.array(ShiftSchema),
  version: int(),
  isSample: z.boolean(),
})
export type RouteProps = z.infer<typeof RoutePropsSchema>

export const CaptainPropsSchema = z.object({
  id: int(),
  name: z.string(),
  /** the name's forms per language, as planners set them (null: none in that language; `name` is the one in the answer's language) */
  nameZh: z.string().nullable(),
  nameEn: z.string().nullable(),
  phone: z.string().nullable(),
  active: z.boolean(),
  buildingIds: z.array(int()).nullable(),
  buildings: int(),
  households: int(),
  isSample: z.boolean(),
})
export type CaptainProps = z.infer<typeof CaptainPropsSchema>

export const IncidentPropsSchema = z.object({
  id: int(),
  category: z.string(),
  description: z.string().nullable(),
  occurredAt: z.string().meta({ description: 'UTC ISO timestamp; local midnight when the time of day is unknown' }),
  occurredOn: z.string().meta({ description: 'local date' }),
  timeKnown: z.boolean(),
  address: z.string().nullable(),
  status: z.string().nullable(),
  source: z.string(),
  sourceId: z.string().nullable(),
  zoneId: int().nullable().meta({ description: 'the zone containing the incident (on a border: the lower id)' }),
})
export type IncidentProps = z.infer<typeof IncidentPropsSchema>

export const DisputePropsSchema = z.object({
  id: int(),
  kind: z.string(),
  topic: z.string().nullable(),
  status: z.string().meta({ description: 'reported, mediating, agreed, failed, referred' }),
  level: z.string().nullable(),
  buildingId: int().nullable(),
  zoneId: int().nullable(),
  reportedAt: z.string(),
  mediationStartedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  isSample: z.boolean(),
})

/** Incidents or disputes as counts per zone, for roles that do not see the records (`meta.aggregated: 'zone'`). */
export const ZoneCountPropsSchema = z.object({
  zoneId: int(),
  zoneCode: z.string(),
  count: int(),
  breakdown: z.record(z.string(), int()).meta({ description: 'per incident category, or per dispute kind' }),
})
export type ZoneCountProps = z.infer<typeof ZoneCountPropsSchema>

/** Properties of each layer, by name. */
export const LAYER_PROPERTIES = {
  buildings: BuildingPropsSchema,
  streets: StreetPropsSchema,
  zones: ZonePropsSchema,
  routes: RoutePropsSchema,
  captains: CaptainPropsSchema,
  incidents: z.union([IncidentPropsSchema, ZoneCountPropsSchema]),
  disputes: z.union([DisputePropsSchema, ZoneCountPropsSchema]),
} as const satisfies Record<LayerName, z.ZodType>

export const LayerMetaSchema = z
  .object({
    layer: z.enum(LAYERS),
    community: z.string(),
    count: int(),
    limit: int(),
    truncated: z.boolean().meta({ description: 'more than `limit` features matched' }),
    bbox: bbox.nullable(),
    filter: FilterEchoSchema.optional().meta({ description: 'incidents layer: the shared filters used' }),
    aggregated: z.literal('zone').optional().meta({ description: 'the features are counts per zone (roles that do not see the records)' }),
  })
  .meta({ id: 'LayerMeta' })
export type LayerMeta = z.infer<typeof LayerMetaSchema>

/** The answer of one layer. */
export const layerCollection = <L extends LayerName>(layer: L) => featureCollection(LAYER_PROPERTIES[layer], LayerMetaSchema)
export const LayerCollectionSchema = featureCollection(z.record(z.string(), z.unknown()), LayerMetaSchema).meta({ id: 'LayerCollection' })

/** A cluster of incidents in an incidents tile at low zoom (a lone incident carries `cluster: false, count: 1`). */
export interface ClusterProps {
  cluster: true
  count: number
  /** the most frequent category */
  category: string
  /** "ROBBERY:3,VANDALISM:1", most frequent first */
  categories: string
  timeUnknown: number
}

// ---------------------------------------------------------------------------------------------
// Incidents, search, figures

export const IncidentSummarySchema = z
  .object({
    total: int().meta({ description: 'incidents matching every filter' }),
    byCategory: z.record(z.string(), int()),
    timeUnknown: int().meta({ description: 'incidents without a time of day among those matching the other filters' }),
    timeUnknownExcluded: z.boolean().meta({ description: 'with an `hours` window, `timeUnknown` incidents are not in `total`' }),
    filter: FilterEchoSchema,
  })
  .meta({ id: 'IncidentSummary' })
export type IncidentSummary = z.infer<typeof IncidentSummarySchema>

export const IncidentPeriodSchema = z
  .object({
    first: z.string().nullable().meta({ description: 'local date of the first incident' }),
    last: z.string().nullable().meta({ description: 'local date of the latest incident' }),
    count: int(),
    months: z
      .array(z.object({ month: z.string().meta({ description: 'YYYY-MM, local' }), count: int(), timeKnown: int().meta({ description: 'of them with a time of day' }) }))
      .meta({ description: 'the local months that have incidents, newest first — so a period with data can be chosen in one step' }),
  })
  .meta({ id: 'IncidentPeriod' })
export type IncidentPeriod = z.infer<typeof IncidentPeriodSchema>

/** What search finds: grid zones (by code, name or grid worker), patrol teams (by name), buildings (by address or name). */
export const SEARCH_KINDS = ['zone', 'team', 'building'] as const
export type SearchKind = (typeof SEARCH_KINDS)[number]

export const SearchResultSchema = z
  .object({
    kind: z.enum(SEARCH_KINDS),
    id: int(),
    label: z.string().meta({ description: 'zone: its code; team: its name; building: its address (or name, or "#id")' }),
    detail: z
      .string()
      .nullable()
      .meta({ description: 'zone: its name (and its grid worker, when found by them); team: the codes of its zones; building: its name when it has one besides the address' }),
    code: z.string().nullable().meta({ description: 'zone code of a zone, null otherwise' }),
    bbox,
    center: lonLat,
  })
  .meta({ id: 'SearchResult' })
export type SearchResult = z.infer<typeof SearchResultSchema>
export const SearchAnswerSchema = z.object({ query: z.string(), results: z.array(SearchResultSchema) }).meta({ id: 'SearchAnswer' })

const incidentFigures = {
  incidents: int().meta({ description: 'incidents matching every filter' }),
  incidentsAll: int().meta({ description: 'all incidents of the place, whatever the filters' }),
  timeUnknown: int().meta({ description: 'incidents without a time of day among those matching the other filters' }),
  filter: FilterEchoSchema,
}

export const ZoneFiguresSchema = z
  .object({
    id: int(),
    code: z.string(),
    buildings: int().meta({ description: 'buildings of the zone (DESIGN: the zone holding their point on surface)' }),
    households: int(),
    captainedBuildings: int(),
    captainedHouseholds: int(),
    ...incidentFigures,
  })
  .meta({ id: 'ZoneFigures' })
export type ZoneFigures = z.infer<typeof ZoneFiguresSchema>

export const BuildingFiguresSchema = z
  .object({ id: int(), radiusM: z.number(), zoneId: int().nullable(), zoneCode: z.string().nullable(), ...incidentFigures })
  .meta({ id: 'BuildingFigures' })
export type BuildingFigures = z.infer<typeof BuildingFiguresSchema>
/** Incident counts of a place under the filter bar's filters. */
export type IncidentFigures = Pick<ZoneFigures, 'incidents' | 'incidentsAll' | 'timeUnknown'>

// ---------------------------------------------------------------------------------------------
// Hot spots (GET /api/communities/:id/hotspots)

export const HotspotCellPropsSchema = z.object({
  i: int(),
  j: int(),
  count: int(),
  // gistar
  neighbours: int().optional(),
  z: z.number().nullable().optional(),
  p: z.number().nullable().optional(),
  pAdjusted: z.number().nullable().optional(),
  bin: z.union([z.literal(-3), z.literal(-2), z.literal(-1), z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).optional(),
  // kde
  density: z.number().optional(),
  // emerging
  category: z.enum(EMERGING_CATEGORIES).optional(),
  hotSlices: int().optional(),
  coldSlices: int().optional(),
  trendZ: z.number().optional(),
  trendP: z.number().optional(),
  tau: z.number().optional(),
  counts: z.array(int()).optional(),
  zs: z.array(z.number().nullable()).optional(),
})
export type HotspotCellProps = z.infer<typeof HotspotCellPropsSchema>

export const HotspotMetaSchema = z
  .object({
    method: z.enum(HOTSPOT_METHODS),
    cell: z.number(),
    shape: z.enum(CELL_SHAPES),
    neighbours: z.string().meta({ description: '"ring1" or "band N m"' }),
    filter: FilterEchoSchema,
    minIncidents: int(),
    incidents: int().meta({ description: 'matching incidents in the study area' }),
    outsideArea: int(),
    timeUnknown: int(),
    timeUnknownExcluded: z.boolean(),
    cells: int(),
    insufficient: z.boolean(),
    insufficientReason: z.enum(INSUFFICIENT_REASONS).nullable(),
    // gistar
    fdr: z.boolean().optional(),
    bins: z.record(z.string(), int()).optional(),
    // kde
    bandwidth: z.number().nullable().optional(),
    bandwidthSource: z.enum(['data', 'parameter']).optional(),
    densityUnit: z.enum(['incidents/km²', 'disputes/km²']).optional(),
    source: z.enum(HOTSPOT_SOURCES).optional().meta({ description: 'the points analysed (default incidents); with disputes, `incidents` and the other counts are disputes' }),
    // emerging
    slice: z.enum(TIME_SLICES).optional(),
    slices: int().optional(),
    firstSlice: z.string().nullable().optional(),
    alpha: z.number().optional(),
    categories: z.partialRecord(z.enum(EMERGING_CATEGORIES), int()).optional(),
    emptySlices: int().optional().meta({ description: 'emerging: slices without a single incident in the study area' }),
    dataPeriod: z
      .object({ from: z.string(), to: z.string(), slices: int() })
      .nullable()
      .optional()
      .meta({ description: 'emerging, when most slices are empty: the run of consecutive slices with incidents that holds the most of them — a period worth analysing' }),
  })
  .meta({ id: 'HotspotMeta' })
export type HotspotMeta = z.infer<typeof HotspotMetaSchema>
export const HotspotCollectionSchema = featureCollection(HotspotCellPropsSchema, HotspotMetaSchema).meta({ id: 'HotspotCollection' })
export type HotspotCollection = z.infer<typeof HotspotCollectionSchema>

// ---------------------------------------------------------------------------------------------
// Coverage (GET /api/communities/:id/coverage)

const coverageShares = {
  buildings: int(),
  buildingsCovered: int(),
  buildingsCoveredPct: pct(),
  households: int(),
  householdsCovered: int(),
  householdsCoveredPct: pct(),
}

export const PatrolZoneCoverageSchema = z
  .object({
    id: int(),
    code: z.string(),
    name: z.string(),
    teamName: z.string().nullable(),
    areaM2: z.number(),
    coveredM2: z.number(),
    areaCoveredPct: pct(),
    ...coverageShares,
    incidents: int().meta({ description: 'incidents of the zone under the shared filters (an incident on a border counts in the zone with the lower id)' }),
  })
  .meta({ id: 'PatrolZoneCoverage' })
export type PatrolZoneCoverage = z.infer<typeof PatrolZoneCoverageSchema>

export const CaptainZoneCoverageSchema = z
  .object({ id: int(), code: z.string(), name: z.string(), ...coverageShares, incidents: PatrolZoneCoverageSchema.shape.incidents })
  .meta({ id: 'CaptainZoneCoverage' })
export type CaptainZoneCoverage = z.infer<typeof CaptainZoneCoverageSchema>

export const CaptainLoadSchema = z
  .object({ id: int(), name: z.string(), active: z.boolean(), buildings: int(), households: int(), overLimit: z.boolean().meta({ description: 'more buildings than `maxBuildings`' }) })
  .meta({ id: 'CaptainLoad' })
export type CaptainLoad = z.infer<typeof CaptainLoadSchema>

export const PatrolCoverageMetaSchema = z
  .object({
    network: z.literal('patrol'),
    basis: z.enum(COVERAGE_BASES).meta({ description: 'plan: routes with a shift in service during the window; logged: routes with a logged patrol in the period overlapping the window' }),
    window: WindowEchoSchema,
    filter: FilterEchoSchema,
    routesInService: z.array(int()),
    areaM2: z.number(),
    coveredM2: z.number(),
    areaCoveredPct: pct(),
    ...coverageShares,
    zones: z.array(PatrolZoneCoverageSchema),
  })
  .meta({ id: 'PatrolCoverageMeta' })
export type PatrolCoverageMeta = z.infer<typeof PatrolCoverageMetaSchema>

export const CaptainCoverageMetaSchema = z
  .object({
    network: z.literal('captain'),
    maxBuildings: int(),
    filter: FilterEchoSchema,
    ...coverageShares,
    zones: z.array(CaptainZoneCoverageSchema),
    captains: z.array(CaptainLoadSchema),
    captainsOverLimit: int(),
    captainsInactive: int(),
  })
  .meta({ id: 'CaptainCoverageMeta' })
export type CaptainCoverageMeta = z.infer<typeof CaptainCoverageMetaSchema>

export const CoverageMetaSchema = z.discriminatedUnion('network', [PatrolCoverageMetaSchema, CaptainCoverageMetaSchema])
export type CoverageMeta = z.infer<typeof CoverageMetaSchema>

export const CoveragePropsSchema = z.union([
  z.object({ kind: z.literal('coverage') }),
  z.object({ kind: z.literal('captained'), buildingId: int(), captainId: int(), captainName: z.string() }),
])
export type CoverageProps = z.infer<typeof CoveragePropsSchema>
export const CoverageCollectionSchema = featureCollection(CoveragePropsSchema, CoverageMetaSchema).meta({ id: 'CoverageCollection' })
export type CoverageCollection = z.infer<typeof CoverageCollectionSchema>
/** The answer for one network. */
export type PatrolCoverageCollection = CoverageCollection & { meta: PatrolCoverageMeta }
export type CaptainCoverageCollection = CoverageCollection & { meta: CaptainCoverageMeta }

// ---------------------------------------------------------------------------------------------
// Gaps (GET /api/communities/:id/gaps)

const gapBuilding = { buildingId: int(), address: z.string().nullable(), households: int(), zoneId: int().nullable(), zoneCode: z.string().nullable() }

export const PriorityGapPropsSchema = z
  .object({
    kind: z.literal('priority'),
    rank: int(),
    i: int(),
    j: int(),
    z: z.number().nullable(),
    incidents: int(),
    uncoveredIncidents: int(),
    hoursWithoutPatrol: z.array(int()),
    zoneId: int().nullable().meta({ description: 'the zone holding the cell centre (the nearest zone when none does)' }),
    zoneCode: z.string().nullable(),
    street: z.string().nullable().meta({ description: 'name of the nearest named street to the cell centre' }),
    center: lonLat,
    reason: z.string(),
    reasonZh: z.string(),
  })
  .meta({ id: 'PriorityGap' })
export type PriorityGapProps = z.infer<typeof PriorityGapPropsSchema>

export const GapPropsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('area'), zoneId: int(), zoneCode: z.string(), areaM2: z.number() }),
  z.object({ kind: z.literal('building'), ...gapBuilding }),
  z.object({ kind: z.literal('captainless'), ...gapBuilding }),
  PriorityGapPropsSchema,
])
export type GapProps = z.infer<typeof GapPropsSchema>

export const PriorityMetaSchema = z.object({
  cell: z.number(),
  fdr: z.boolean(),
  alpha: z.number(),
  incidents: int(),
  timeUnknown: int(),
  hotCells: int(),
  insufficient: z.boolean(),
  insufficientReason: z.enum(INSUFFICIENT_REASONS).nullable(),
})

export const GapsMetaSchema = z
  .object({
    network: z.enum(GAP_NETWORKS),
    window: WindowEchoSchema,
    filter: FilterEchoSchema,
    counts: z.partialRecord(z.enum(GAP_KINDS), int()),
    uncoveredAreaM2: z.number().optional(),
    householdsUncovered: int().optional(),
    householdsWithoutCaptain: int().optional(),
    priority: PriorityMetaSchema.optional(),
  })
  .meta({ id: 'GapsMeta' })
export type GapsMeta = z.infer<typeof GapsMetaSchema>
export const GapsCollectionSchema = featureCollection(GapPropsSchema, GapsMetaSchema).meta({ id: 'GapsCollection' })
export type GapsCollection = z.infer<typeof GapsCollectionSchema>

// ---------------------------------------------------------------------------------------------
// Accounts (GET /api/session, /api/users, /api/audit)

export const SessionAnswerSchema = z
  .object({
    user: z.object({
      username: z.string(),
      displayName: z.string().nullable(),
      admin: z.boolean().meta({ description: 'system administrator: every community, users and communities' }),
      mustChangePassword: z.boolean().meta({ description: 'the user must choose a new password before anything else' }),
      roles: z.record(z.string(), z.enum(ROLES)).meta({ description: 'community id → role' }),
    }),
  })
  .meta({ id: 'Session' })
export type SessionAnswer = z.infer<typeof SessionAnswerSchema>

export const UserSchema = z
  .object({
    username: z.string(),
    displayName: z.string().nullable(),
    admin: z.boolean(),
    disabled: z.boolean(),
    mustChangePassword: z.boolean(),
    roles: z.record(z.string(), z.enum(ROLES)),
    createdAt: z.string(),
    lastSeenAt: z.string().nullable().meta({ description: 'the latest request of any of their sessions' }),
  })
  .meta({ id: 'User' })
export type UserSummary = z.infer<typeof UserSchema>
export const UserListSchema = z.object({ users: z.array(UserSchema) }).meta({ id: 'UserList' })

export const AuditEntrySchema = z
  .object({
    id: int(),
    at: z.string(),
    community: z.string().nullable(),
    username: z.string().nullable(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    ip: z.string().nullable(),
    reverts: int().nullable().meta({ description: 'a revert: the id of the entry it reverted' }),
  })
  .meta({ id: 'AuditEntry' })
export type AuditEntry = z.infer<typeof AuditEntrySchema>
export const AuditPageSchema = z
  .object({ entries: z.array(AuditEntrySchema), next: int().nullable().meta({ description: 'pass as `before` for the next page' }) })
  .meta({ id: 'AuditPage' })

// ---------------------------------------------------------------------------------------------
// Planning: the rows a planner edits (zones, routes, shifts, teams, captains), drafts and previews

/** What a planner edits; each has …/{entity}s/{itemId} under a community. */
export const PLAN_ENTITIES = ['zone', 'route', 'shift', 'team', 'captain', 'member'] as const
export type PlanEntity = (typeof PLAN_ENTITIES)[number]

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `at most ${max} characters`)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters')
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day, HH:MM (00:00–23:59)')
/** A name per language (migration 00007): zh and/or en, each 1–200 characters. */
export const NamesSchema = z.object({ zh: text(200).optional(), en: text(200).optional() }).strict().meta({ id: 'Names' })
const days = z
  .array(z.number().int().min(1, 'weekdays are 1 (Monday) to 7 (Sunday)').max(7, 'weekdays are 1 (Monday) to 7 (Sunday)'))
  .min(1, 'a shift runs on at least one weekday')
  .max(7)
  .refine((d) => new Set(d).size === d.length, 'each weekday once')
const geometryOf = (...types: string[]) =>
  z
    .custom<Geometry>((v) => typeof v === 'object' && v !== null && types.includes((v as { type?: string }).type ?? '') && Array.isArray((v as { coordinates?: unknown }).coordinates), {
      message: `a GeoJSON ${types.join(' or ')}`,
    })
    .meta({ description: `GeoJSON ${types.join(' or ')} (EPSG:4326)`, type: 'object' })

/** A shift as written: its weekdays and times; end = start is refused (end < start runs past midnight). */
export const ShiftInputSchema = z
  .object({ days, start: hhmm, end: hhmm })
  .strict()
  .refine((s) => s.start !== s.end, { message: 'a shift must end at another time than it starts (end before start runs past midnight)', path: ['end'] })

/** Fields of each entity a change may set (the layers' camelCase names). Creating needs the `required` ones. */
export const PLAN_FIELDS = {
  zone: {
    schema: z
      .object({
        code: text(40),
        name: text(200),
        names: NamesSchema,
        geometry: geometryOf('Polygon', 'MultiPolygon'),
        gridWorker: text(200).nullable(),
        gridWorkerNames: NamesSchema,
        teamId: z.number().int().positive().nullable(),
      })
      .partial()
      .strict(),
    required: ['code', 'name', 'geometry'],
  },
  route: {
    schema: z
      .object({
        name: text(200),
        names: NamesSchema,
        geometry: geometryOf('LineString'),
        teamId: z.number().int().positive(),
        reachM: z.number().gt(0, 'reachM must be more than 0').max(2000, 'reachM must be at most 2000'),
        shifts: z.array(ShiftInputSchema).max(50).meta({ description: 'replaces every shift of the route' }),
      })
      .partial()
      .strict(),
    required: ['name', 'geometry', 'teamId'],
  },
  shift: {
    schema: z.object({ routeId: z.number().int().positive(), days, start: hhmm, end: hhmm }).partial().strict(),
    required: ['routeId', 'days', 'start', 'end'],
  },
  team: {
    schema: z
      .object({
        name: text(200),
        names: NamesSchema,
        kind: z.enum(TEAM_KINDS),
        members: z.number().int().min(0).max(10_000).meta({ description: 'the declared headcount (members listed by name: `listedMembers`, read only)' }),
        phone: text(40).nullable(),
        active: z.boolean(),
      })
      .partial()
      .strict(),
    required: ['name', 'kind'],
  },
  captain: {
    schema: z
      .object({
        name: text(200),
        names: NamesSchema,
        phone: text(40).nullable(),
        active: z.boolean(),
        buildingIds: z.array(z.number().int().positive()).max(5000).meta({ description: 'replaces the captain’s buildings; a building taken from another captain leaves them' }),
      })
      .partial()
      .strict(),
    required: ['name'],
  },
  member: {
    schema: z
      .object({
        teamId: z.number().int().positive(),
        name: text(200),
        names: NamesSchema,
        phone: text(40).nullable(),
        active: z.boolean(),
        shiftIds: z
          .array(z.number().int().positive())
          .max(50)
          .refine((d) => new Set(d).size === d.length, 'each shift once')
          .meta({ description: 'the shifts the member usually walks (shifts of the team’s routes); replaces them' }),
      })
      .partial()
      .strict(),
    required: ['teamId', 'name'],
  },
} as const satisfies Record<PlanEntity, { schema: z.ZodType; required: readonly string[] }>
export type PlanFields<E extends PlanEntity> = z.infer<(typeof PLAN_FIELDS)[E]['schema']>

/** One change of a draft: create (no id), change (`id`, `version`, `set`) or delete (`id`, `version`, `delete`). */
export const ChangeSchema = z
  .object({
    entity: z.enum(PLAN_ENTITIES),
    id: z.number().int().positive().optional(),
    version: z.number().int().min(1).optional().meta({ description: 'the version the change was made on (required with id)' }),
    delete: z.literal(true).optional(),
    set: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .meta({ id: 'Change' })
export type Change = z.infer<typeof ChangeSchema>
export const PlanBodySchema = z.object({ changes: z.array(ChangeSchema).min(1, 'a plan has at least one change').max(200, 'at most 200 changes at once') }).strict().meta({ id: 'Plan' })

/** A row as the planning API answers it: the fields above, its id and version (and for a route its shifts, for a captain its buildings). */
export const PlanRowSchema = z.record(z.string(), z.unknown()).meta({ id: 'PlanRow' })
export const EditAnswerSchema = z
  .object({
    entity: z.enum(PLAN_ENTITIES),
    id: int(),
    version: int().nullable().meta({ description: 'null once deleted' }),
    row: PlanRowSchema.nullable(),
    warnings: z.array(z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() })),
  })
  .meta({ id: 'EditAnswer' })
export type EditAnswer = z.infer<typeof EditAnswerSchema>
export const PlanAnswerSchema = z.object({ changes: z.array(EditAnswerSchema) }).meta({ id: 'PlanAnswer' })

// ---------------------------------------------------------------------------------------------
// Revert, rosters, the patrol log and snapping (issue 11)

/** A revert's answer: the change it made (as any edit) and the audit entry it reverted. */
export const RevertAnswerSchema = EditAnswerSchema.extend({
  reverted: int().meta({ description: 'the id of the audit entry that was reverted' }),
  auditId: int().meta({ description: 'the id of the revert’s own audit entry' }),
}).meta({ id: 'RevertAnswer' })
export type RevertAnswer = z.infer<typeof RevertAnswerSchema>

/** A team member as the roster shows them: `phone` only for roles with the phones capability (null otherwise). */
export const RosterMemberSchema = z.object({ id: int(), name: z.string(), phone: z.string().nullable(), active: z.boolean() }).meta({ id: 'RosterMember' })
export type RosterMember = z.infer<typeof RosterMemberSchema>

export const RosterSchema = z
  .object({
    team: z.object({
      id: int(),
      name: z.string(),
      kind: z.enum(TEAM_KINDS),
      active: z.boolean(),
      phone: z.string().nullable(),
      headcount: int().meta({ description: 'the declared headcount (patrol_teams.members)' }),
      listedMembers: int().meta({ description: 'active members listed by name' }),
    }),
    shifts: z.array(
      ShiftSchema.extend({
        id: int(),
        routeId: int(),
        routeName: z.string(),
        members: z.array(RosterMemberSchema).meta({ description: 'the active members who usually walk this shift' }),
      }),
    ),
    days: z
      .array(z.object({ day: int(), shiftIds: z.array(int()) }))
      .meta({ description: 'ISO weekdays 1–7, each with the shifts starting that day, by start time' }),
    unassigned: z.array(RosterMemberSchema).meta({ description: 'active members on no shift' }),
  })
  .meta({ id: 'Roster' })
export type Roster = z.infer<typeof RosterSchema>

const localDate = z
  .string()
  .refine((s) => isDateOnly(s) && isRealInstant(s), { message: `a real local date, YYYY-MM-DD (years ${YEARS.min}–${YEARS.max})` })

/** One patrol done, as a team (or the office) records it. */
export const PatrolLogInputSchema = z
  .object({
    routeId: z.number().int().positive(),
    teamId: z.number().int().positive().optional().meta({ description: 'default: the route’s team' }),
    date: localDate.meta({ description: 'the local date the patrol started' }),
    start: hhmm,
    end: hhmm.meta({ description: 'end ≤ start: the patrol ran past midnight' }),
    memberIds: z
      .array(z.number().int().positive())
      .max(LIMITS.patrols.membersMax)
      .refine((d) => new Set(d).size === d.length, 'each member once')
      .optional()
      .meta({ description: 'members of the team who were there' }),
    membersCount: z.number().int().min(0).max(10_000).optional().meta({ description: 'how many walked (default: the members named); at least as many as named' }),
    notes: z
      .string()
      .max(LIMITS.patrols.notesMax, `at most ${LIMITS.patrols.notesMax} characters`)
      .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'must not contain control characters (line breaks are fine)')
      .optional(),
    source: text(100).optional().meta({ description: 'where the record comes from (default manual); with sourceId, posting it again adds nothing' }),
    sourceId: text(200).optional(),
  })
  .strict()
  .refine((p) => p.start !== p.end, { message: 'a patrol must end at another time than it starts (end before start ran past midnight)', path: ['end'] })
  .refine((p) => p.membersCount === undefined || p.membersCount >= (p.memberIds?.length ?? 0), { message: 'membersCount is less than the members named', path: ['membersCount'] })
  .meta({ id: 'PatrolLogInput' })
export type PatrolLogInput = z.infer<typeof PatrolLogInputSchema>

export const PatrolLogSchema = z
  .object({
    id: int(),
    routeId: int().nullable().meta({ description: 'null once the route was deleted (routeName keeps its name)' }),
    routeName: z.string(),
    teamId: int().nullable(),
    teamName: z.string().nullable(),
    date: z.string(),
    start: z.string(),
    end: z.string(),
    memberIds: z.array(int()),
    membersCount: int(),
    notes: z.string().nullable(),
    source: z.string(),
    sourceId: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'PatrolLog' })
export type PatrolLog = z.infer<typeof PatrolLogSchema>

export const PatrolLogPageSchema = z
  .object({
    patrols: z.array(PatrolLogSchema),
    total: int().meta({ description: 'entries matching, over every page' }),
    next: int().nullable().meta({ description: 'pass as `offset` for the next page' }),
  })
  .meta({ id: 'PatrolLogPage' })

/** A logged patrol written: the entry, and whether it was there already (same source and sourceId). */
export const PatrolLogAnswerSchema = z.object({ patrol: PatrolLogSchema, created: z.boolean() }).meta({ id: 'PatrolLogAnswer' })

/** Planned against logged patrols of a route or a zone (see PatrolSummarySchema). */
const plannedLogged = {
  planned: int().meta({ description: 'shift occurrences in the period: each shift × each date whose weekday is one of its days (in the window)' }),
  logged: int().meta({ description: 'patrols logged in the period (in the window)' }),
  plannedDone: int().meta({ description: 'planned occurrences matched by a patrol logged on the route (overlapping by at least half the shorter of the two)' }),
  plannedMissed: int().meta({ description: 'planned − plannedDone' }),
  unplanned: int().meta({ description: 'logged patrols that match no planned occurrence' }),
}
export const PatrolSummarySchema = z
  .object({
    from: z.string(),
    to: z.string(),
    days: int(),
    window: WindowEchoSchema,
    total: z.object(plannedLogged),
    routes: z.array(z.object({ id: int(), name: z.string(), teamId: int(), teamName: z.string(), ...plannedLogged })),
    zones: z.array(z.object({ id: int(), code: z.string(), name: z.string(), routes: z.array(int()), ...plannedLogged })),
    deletedRoutes: z.object({ logged: int() }).meta({ description: 'patrols logged on routes deleted since' }),
  })
  .meta({ id: 'PatrolSummary' })
export type PatrolSummary = z.infer<typeof PatrolSummarySchema>

export const SNAP_METHODS = ['pgrouting', 'vertex'] as const
export type SnapMethod = (typeof SNAP_METHODS)[number]

export const SnapInputSchema = z
  .object({
    geometry: geometryOf('LineString'),
    toleranceM: z
      .number()
      .gt(0, 'toleranceM must be more than 0')
      .max(LIMITS.snap.toleranceMax, `toleranceM must be at most ${LIMITS.snap.toleranceMax}`)
      .optional()
      .meta({ description: `how far a clicked point may be from a street to be snapped (default ${LIMITS.snap.toleranceDefault} m)` }),
    method: z.enum(['auto', 'vertex']).optional().meta({ description: 'auto (default): along the street network where the server has pgRouting; vertex: each point on its own' }),
  })
  .strict()
  .meta({ id: 'SnapInput' })

export const SnapAnswerSchema = z
  .object({
    geometry: GeometrySchema.meta({ description: 'the snapped LineString' }),
    method: z.enum(SNAP_METHODS),
    toleranceM: z.number(),
    vertices: z.array(z.object({ snapped: z.boolean(), distanceM: z.number().nullable().meta({ description: 'to the nearest street; null when none is within reach' }), street: z.string().nullable() })),
    routed: z.array(z.boolean()).optional().meta({ description: 'pgrouting: per leg between consecutive points, whether it follows the streets (else a straight line)' }),
    lengthM: z.number(),
  })
  .meta({ id: 'SnapAnswer' })
export type SnapAnswer = z.infer<typeof SnapAnswerSchema>

// The people side (issue 12): disputes and mediation, escalations and petitions, key problems,
// care files. Routes under /api/communities/:id/disputes, /problems, /care.

export const DISPUTE_KINDS = ['neighbour', 'family', 'property', 'labour', 'contract', 'other'] as const
export type DisputeKind = (typeof DISPUTE_KINDS)[number]
/** How a dispute was found: a screening round (排查), a captain's report, a walk-in, a police referral, the hotline. */
export const DISPUTE_FOUND_HOW = ['screening', 'captain_report', 'walk_in', 'police_referral', 'hotline'] as const
export type DisputeFoundHow = (typeof DISPUTE_FOUND_HOW)[number]
export const DISPUTE_STATUSES = ['reported', 'mediating', 'agreed', 'failed', 'referred'] as const
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number]
/** The level handling a dispute: building captain, grid, community people's mediation committee, street, judicial. */
export const DISPUTE_LEVELS = ['building', 'grid', 'community', 'street', 'judicial'] as const
export type DisputeLevel = (typeof DISPUTE_LEVELS)[number]
/** Levels inside the community ("小矛盾不出家，较大矛盾不出社区"): what `resolvedInCommunity` counts. */
export const COMMUNITY_LEVELS = ['building', 'grid', 'community'] as const satisfies readonly DisputeLevel[]
/** A referral hands the dispute beyond the community: to the street or the courts. */
export const REFERRAL_LEVELS = ['street', 'judicial'] as const satisfies readonly DisputeLevel[]
/** The lifecycle: which status may follow which (agreed, failed and referred are final). */
export const DISPUTE_TRANSITIONS: Record<DisputeStatus, readonly DisputeStatus[]> = {
  reported: ['mediating', 'referred'],
  mediating: ['agreed', 'failed', 'referred'],
  agreed: [],
  failed: [],
  referred: [],
}
/** Escalations beyond the community (越级) and petitions (上访), and how far up they reached. */
export const ESCALATION_KINDS = ['escalation', 'petition'] as const
export type EscalationKind = (typeof ESCALATION_KINDS)[number]
export const ESCALATION_REACHED = ['street', 'district', 'city', 'province', 'national'] as const
export const PROBLEM_STATUSES = ['open', 'in_progress', 'done', 'dropped'] as const
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number]
export const RISK_LEVELS = ['low', 'medium', 'high'] as const
export type RiskLevel = (typeof RISK_LEVELS)[number]
export const WARNING_KINDS = ['repeat_building', 'repeat_party', 'overdue', 'near_hotspot'] as const
export type WarningKind = (typeof WARNING_KINDS)[number]

/** Limits and defaults of the people side. */
export const PEOPLE_LIMITS = {
  /** records per page of a list (disputes, problems, care files, escalations) */
  list: { default: 100, max: 500 },
  /** days a dispute may stay open before it is flagged: the community's setting, or `deadlineDays` within these bounds */
  deadlineDays: { default: 30, min: 1, max: 365 },
  /** a building or party with two or more disputes reported within this many days is flagged */
  repeatWindowDays: 90,
  /** a dispute within this many metres of a 95 %+ incident hot spot cell (default Gi* settings) is flagged */
  nearHotspotM: 50,
  /** care-file counts per zone below this are not shown (null) */
  careMinCount: 3,
  /** parties of a dispute, helpers of a problem or care file */
  parties: 20,
  helpers: 20,
} as const

/** A share with what it is made of: "9 of 9". `rate` is null when there is nothing to divide by (never 0 % or 100 %). */
export const RatioSchema = z
  .object({ numerator: int(), denominator: int(), rate: z.number().nullable().meta({ description: 'numerator / denominator, unrounded; null when the denominator is 0' }) })
  .meta({ id: 'Ratio' })
export type Ratio = z.infer<typeof RatioSchema>
/** A ratio of two counts; rate null when the denominator is 0. */
export const ratio = (numerator: number, denominator: number): Ratio => ({ numerator, denominator, rate: denominator === 0 ? null : numerator / denominator })

export const DisputeFiguresSchema = z
  .object({
    screened: int().meta({ description: 'disputes reported in the period' }),
    mediationRate: RatioSchema.meta({ description: '调解率: of the disputes reported in the period, those whose mediation started by the end of the period' }),
    successRate: RatioSchema.meta({ description: '成功率: of the disputes whose mediation ended in the period (agreed, failed, or referred after mediation started), those agreed' }),
    resolvedInCommunity: RatioSchema.meta({ description: 'of the disputes whose mediation ended in the period, those handled at building, grid or community level' }),
    escalations: int().meta({ description: '越级: escalation records dated in the period' }),
    petitions: int().meta({ description: '上访: petition records dated in the period' }),
  })
  .meta({ id: 'DisputeFigures' })
export type DisputeFigures = z.infer<typeof DisputeFiguresSchema>

export const DisputeFiguresAnswerSchema = z
  .object({
    period: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
    overall: DisputeFiguresSchema,
    zones: z.array(z.object({ zoneId: int(), zoneCode: z.string(), zoneName: z.string() }).extend(DisputeFiguresSchema.shape)),
    unzoned: DisputeFiguresSchema.meta({ description: 'disputes and escalations in no zone (overall = zones + unzoned)' }),
  })
  .meta({ id: 'DisputeFiguresAnswer' })
export type DisputeFiguresAnswer = z.infer<typeof DisputeFiguresAnswerSchema>

export const PartySchema = z.object({ name: text(200), contact: text(200).nullable().optional() }).strict().meta({ id: 'Party' })
export type Party = z.infer<typeof PartySchema>

export const FollowUpSchema = z
  .object({ id: int(), visitedOn: z.string(), held: z.boolean(), visitor: z.string().nullable(), notes: z.string().nullable(), isSample: z.boolean() })
  .meta({ id: 'FollowUp' })
export const EscalationSchema = z
  .object({
    id: int(),
    kind: z.enum(ESCALATION_KINDS),
    disputeId: int().nullable(),
    zoneId: int().nullable().meta({ description: 'the dispute’s zone when linked, else the zone recorded' }),
    occurredAt: z.string(),
    reached: z.enum(ESCALATION_REACHED).nullable(),
    notes: z.string().nullable(),
    isSample: z.boolean(),
  })
  .meta({ id: 'Escalation' })
export type Escalation = z.infer<typeof EscalationSchema>

export const DisputeSchema = z
  .object({
    id: int(),
    kind: z.enum(DISPUTE_KINDS),
    topic: z.string().nullable(),
    foundHow: z.enum(DISPUTE_FOUND_HOW).nullable(),
    description: z.string().nullable(),
    buildingId: int().nullable(),
    zoneId: int().nullable().meta({ description: 'the zone containing the point (on a border: the lower id)' }),
    zoneCode: z.string().nullable(),
    location: lonLat,
    reportedAt: z.string(),
    mediationStartedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    status: z.enum(DISPUTE_STATUSES),
    level: z.enum(DISPUTE_LEVELS).nullable(),
    mediator: z.string().nullable(),
    parties: z.array(z.object({ name: z.string(), contact: z.string().nullable() })).nullable().meta({ description: 'null for roles that may not see parties (only admins and mediators do)' }),
    version: int(),
    isSample: z.boolean(),
    followUps: z.array(FollowUpSchema).optional().meta({ description: 'one dispute only' }),
    escalations: z.array(EscalationSchema).optional().meta({ description: 'one dispute only' }),
  })
  .meta({ id: 'Dispute' })
export type Dispute = z.infer<typeof DisputeSchema>
export const DisputeListSchema = z.object({ disputes: z.array(DisputeSchema), total: int(), limit: int(), offset: int() }).meta({ id: 'DisputeList' })
export const EscalationListSchema = z.object({ escalations: z.array(EscalationSchema), total: int(), limit: int(), offset: int() }).meta({ id: 'EscalationList' })

const point = z
  .tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])
  .meta({ description: '[lon, lat], degrees' })
const when = z.string().refine(isRealInstant, 'a real date (2012-07-01) or an ISO timestamp with offset, years 1000–9999')
const day = z.string().refine((s) => isDateOnly(s) && isRealInstant(s), 'a real date, YYYY-MM-DD')
const people = (max: number) => z.array(text(200)).max(max, `at most ${max}`)

/** A new dispute: kind, when it was reported, and where (a building, a point, or both). It starts as `reported`. */
export const DisputeCreateSchema = z
  .object({
    kind: z.enum(DISPUTE_KINDS),
    topic: text(100).nullable().optional(),
    foundHow: z.enum(DISPUTE_FOUND_HOW).nullable().optional(),
    description: text(2000).nullable().optional(),
    buildingId: z.number().int().positive().nullable().optional(),
    location: point.nullable().optional(),
    reportedAt: when,
    parties: z.array(PartySchema).max(PEOPLE_LIMITS.parties).optional(),
    mediator: text(200).nullable().optional(),
  })
  .strict()
  .meta({ id: 'DisputeCreate' })
/**
 * A change of a dispute (If-Match: its version). `status` moves it along the lifecycle
 * (DISPUTE_TRANSITIONS; 409 invalid_transition otherwise) on `at` (default now): mediating and its
 * ends need the `level` handling it, a referral a level beyond the community (street, judicial).
 */
export const DisputePatchSchema = DisputeCreateSchema.partial()
  .extend({ status: z.enum(DISPUTE_STATUSES).optional(), level: z.enum(DISPUTE_LEVELS).nullable().optional(), at: when.optional() })
  .strict()
  .meta({ id: 'DisputePatch' })
export type DisputePatch = z.infer<typeof DisputePatchSchema>
export const FollowUpCreateSchema = z
  .object({ visitedOn: day, held: z.boolean(), visitor: text(200).nullable().optional(), notes: text(2000).nullable().optional() })
  .strict()
  .meta({ id: 'FollowUpCreate' })
export const EscalationCreateSchema = z
  .object({
    kind: z.enum(ESCALATION_KINDS),
    disputeId: z.number().int().positive().nullable().optional(),
    zoneId: z.number().int().positive().nullable().optional(),
    occurredAt: when,
    reached: z.enum(ESCALATION_REACHED).nullable().optional(),
    notes: text(2000).nullable().optional(),
  })
  .strict()
  .meta({ id: 'EscalationCreate' })

export const DisputeWarningSchema = z
  .object({
    kind: z.enum(WARNING_KINDS),
    disputeIds: z.array(int()),
    buildingId: int().nullable(),
    party: z.string().nullable().meta({ description: 'repeat_party: the name (null for roles that may not see parties)' }),
    zoneId: int().nullable(),
    daysOpen: int().nullable().meta({ description: 'overdue: days since reported' }),
    reason: z.string(),
    reasonZh: z.string(),
  })
  .meta({ id: 'DisputeWarning' })
export type DisputeWarning = z.infer<typeof DisputeWarningSchema>
export const DisputeWarningsSchema = z
  .object({
    asOf: z.string().meta({ description: 'the local date the warnings are for' }),
    deadlineDays: int(),
    deadlineSource: z.enum(['community', 'parameter']),
    windowDays: int(),
    hotspot: z.object({ cell: z.number(), alpha: z.number(), nearM: z.number(), incidents: int(), hotCells: int(), insufficient: z.boolean(), filter: FilterEchoSchema }),
    warnings: z.array(DisputeWarningSchema),
  })
  .meta({ id: 'DisputeWarnings' })
export type DisputeWarnings = z.infer<typeof DisputeWarningsSchema>

export const ProblemNoteSchema = z.object({ id: int(), notedOn: z.string(), text: z.string(), author: z.string().nullable(), isSample: z.boolean() }).meta({ id: 'ProblemNote' })
export const ProblemSchema = z
  .object({
    id: int(),
    title: z.string().meta({ description: 'in the `lang` asked for, else as recorded' }),
    titles: NamesSchema,
    placeKind: z.enum(['zone', 'building', 'area']).nullable(),
    placeZoneId: int().nullable(),
    buildingId: int().nullable(),
    area: GeometrySchema.nullable(),
    zoneId: int().nullable().meta({ description: 'the zone named, the building’s zone, or the zone of the drawn area' }),
    zoneCode: z.string().nullable(),
    ownerUsername: z.string().nullable(),
    owner: z.string(),
    helpers: z.array(z.string()),
    deadline: z.string().nullable(),
    status: z.enum(PROBLEM_STATUSES),
    closedOn: z.string().nullable(),
    overdue: z.boolean().meta({ description: 'open or in progress past its deadline (as of `asOf`)' }),
    version: int(),
    isSample: z.boolean(),
    notes: z.array(ProblemNoteSchema).optional().meta({ description: 'newest first; one problem only' }),
  })
  .meta({ id: 'Problem' })
export type Problem = z.infer<typeof ProblemSchema>
export const ProblemListSchema = z.object({ problems: z.array(ProblemSchema), total: int(), limit: int(), offset: int(), asOf: z.string() }).meta({ id: 'ProblemList' })
/** A key problem: a title, one place (zone, building or drawn area), the owner (a user or a grid worker by name), helpers, deadline, status. */
export const ProblemCreateSchema = z
  .object({
    title: text(200),
    titles: NamesSchema.optional(),
    zoneId: z.number().int().positive().nullable().optional(),
    buildingId: z.number().int().positive().nullable().optional(),
    area: geometryOf('Polygon', 'MultiPolygon').nullable().optional(),
    ownerUsername: z.string().max(64).regex(/^[A-Za-z0-9_.@-]{3,64}$/, 'a username').nullable().optional(),
    owner: text(200).optional().meta({ description: 'the owner’s name (a grid worker); defaults to the user’s name' }),
    helpers: people(PEOPLE_LIMITS.helpers).optional(),
    deadline: day.nullable().optional(),
    status: z.enum(PROBLEM_STATUSES).optional(),
  })
  .strict()
  .meta({ id: 'ProblemCreate' })
export const ProblemPatchSchema = ProblemCreateSchema.partial().strict().meta({ id: 'ProblemPatch' })
export const ProblemNoteCreateSchema = z.object({ notedOn: day, text: text(2000) }).strict().meta({ id: 'ProblemNoteCreate' })

export const CareVisitSchema = z.object({ id: int(), visitedOn: z.string(), visitor: z.string(), notes: z.string().nullable(), isSample: z.boolean() }).meta({ id: 'CareVisit' })
export const CareFileSchema = z
  .object({
    id: int(),
    personName: z.string(),
    buildingId: int().nullable(),
    address: z.string().nullable(),
    zoneId: int().nullable().meta({ description: 'the zone of the building' }),
    zoneCode: z.string().nullable(),
    helpers: z.array(z.string()),
    periodStart: z.string(),
    periodEnd: z.string().nullable(),
    difficulties: z.string().nullable(),
    helpGiven: z.string().nullable(),
    riskLevel: z.enum(RISK_LEVELS),
    version: int(),
    isSample: z.boolean(),
    visits: z.array(CareVisitSchema).optional().meta({ description: 'newest first; one file only' }),
  })
  .meta({ id: 'CareFile' })
export type CareFile = z.infer<typeof CareFileSchema>
export const CareFileListSchema = z.object({ files: z.array(CareFileSchema), total: int(), limit: int(), offset: int() }).meta({ id: 'CareFileList' })
export const CareCountsSchema = z
  .object({
    minCount: int().meta({ description: 'counts below this are null' }),
    zones: z.array(z.object({ zoneId: int(), zoneCode: z.string(), count: int().nullable() })),
    total: int().nullable().meta({ description: 'null when below minCount, or when it would reveal the suppressed zones’ counts (1 or 2 between them)' }),
  })
  .meta({ id: 'CareCounts' })
export type CareCounts = z.infer<typeof CareCountsSchema>
export const CareFileCreateSchema = z
  .object({
    personName: text(200),
    buildingId: z.number().int().positive().nullable().optional(),
    address: text(300).nullable().optional(),
    helpers: people(PEOPLE_LIMITS.helpers).optional(),
    periodStart: day,
    periodEnd: day.nullable().optional(),
    difficulties: text(2000).nullable().optional(),
    helpGiven: text(2000).nullable().optional(),
    riskLevel: z.enum(RISK_LEVELS),
  })
  .strict()
  .meta({ id: 'CareFileCreate' })
export const CareFilePatchSchema = CareFileCreateSchema.partial().strict().meta({ id: 'CareFilePatch' })
export const CareVisitCreateSchema = z.object({ visitedOn: day, visitor: text(200), notes: text(2000).nullable().optional() }).strict().meta({ id: 'CareVisitCreate' })

/** The community's dispute deadline (issue 12): days a dispute may stay open before the early warnings flag it. */
export const DisputeDeadlineSchema = z
  .object({
    days: int().meta({ description: `${PEOPLE_LIMITS.deadlineDays.min}–${PEOPLE_LIMITS.deadlineDays.max}` }),
    defaultDays: int().meta({ description: 'the default of a community that never set it' }),
    version: int().meta({ description: 'the ETag; 1 + the changes made to it (each audited)' }),
  })
  .meta({ id: 'DisputeDeadline' })
export type DisputeDeadline = z.infer<typeof DisputeDeadlineSchema>
export const DisputeDeadlineInputSchema = z
  .object({
    days: z
      .number({ message: 'days must be a number' })
      .int('days must be a whole number of days')
      .min(PEOPLE_LIMITS.deadlineDays.min, `days must be at least ${PEOPLE_LIMITS.deadlineDays.min}`)
      .max(PEOPLE_LIMITS.deadlineDays.max, `days must be at most ${PEOPLE_LIMITS.deadlineDays.max}`),
  })
  .strict()
  .meta({ id: 'DisputeDeadlineInput' })
export type DisputeDeadlineInput = z.infer<typeof DisputeDeadlineInputSchema>

// ---------------------------------------------------------------------------------------------
// The meeting pack (issue 13, server half): GET /api/communities/:id/briefing, its exports
// (briefing.csv, briefing.xlsx) and the targets of the scorecard (…/targets/:year).

/** What the period is compared with: the same number of days just before it, or the same dates a year earlier. */
export const MEETING_COMPARE = ['previous', 'year'] as const
export type MeetingCompare = (typeof MEETING_COMPARE)[number]

/** The time windows patrol coverage is reported in (local time of day; [start, end), crossing midnight when end ≤ start). */
export const MEETING_WINDOWS = ['day', 'evening', 'night'] as const
export type MeetingWindow = (typeof MEETING_WINDOWS)[number]

export const MEETING_DEFAULTS = {
  compare: 'previous',
  /** default windows: day 07:00–18:00, evening 18:00–22:00, night 22:00–07:00 (parameters `day`, `evening`, `night`) */
  windows: { day: '07-18', evening: '18-22', night: '22-07' },
  /** hot spots of the pack: Gi* on square cells of this size (m), hot at 95 %+ (bin ≥ 2), no FDR */
  cell: 100,
} as const satisfies { compare: MeetingCompare; windows: Record<MeetingWindow, string>; cell: number }

export const MEETING_LIMITS = {
  /** the longest period a pack is made for (days) */
  periodDays: 366,
  /** overdue key problems listed by title (the counts are always whole) */
  problemsListed: 50,
  /** a target's value: percentages 0–100, counts 0–100000 */
  targetMax: 100_000,
  /** the years targets may be set for */
  years: { min: 2000, max: 2100 },
} as const

/** The change of a count against the other period (analysis/poisson.ts): R's poisson.test, "up"/"down" only when p < 0.05. */
export const CountChangeSchema = z
  .object({
    count: int().meta({ description: 'this period' }),
    previous: int().nullable().meta({ description: 'the other period (null: the data do not reach back that far)' }),
    rateRatio: z.number().nullable().meta({ description: '(count / days) ÷ (previous / its days); null when previous is 0 or not known' }),
    p: z.number().nullable().meta({ description: 'two-sided p of the exact conditional test of two Poisson counts (R poisson.test); null without a comparison' }),
    verdict: z.enum(['up', 'down', 'same', 'unknown']).meta({ description: 'up / down only when p < 0.05; same = no clear change; unknown = no comparison' }),
  })
  .meta({ id: 'CountChange' })
export type CountChangeAnswer = z.infer<typeof CountChangeSchema>

const incidentChanges = z.object({ total: CountChangeSchema, byCategory: z.record(z.string(), CountChangeSchema) })

/** A hot spot cell of the pack: where it is (zone, nearest street, the cell centre), its counts in both periods. */
export const MeetingHotCellSchema = z
  .object({
    i: int(),
    j: int(),
    status: z.enum(['new', 'persistent', 'gone']),
    count: int().meta({ description: 'incidents in the cell this period' }),
    previous: int().meta({ description: 'incidents in the cell in the other period' }),
    zoneCode: z.string().nullable(),
    street: z.string().nullable(),
    center: lonLat,
  })
  .meta({ id: 'MeetingHotCell' })

const hotspotPeriod = z.object({ incidents: int(), hotCells: int(), insufficient: z.boolean(), insufficientReason: z.enum(INSUFFICIENT_REASONS).nullable() })

export const MeetingZoneSchema = z
  .object({
    zoneId: int().nullable().meta({ description: 'null: the line of incidents and disputes in no zone' }),
    zoneCode: z.string().nullable(),
    zoneName: z.string().nullable(),
    incidents: incidentChanges,
    hotspots: z.object({ new: int(), persistent: int(), gone: int() }),
    coverage: z
      .object({
        windows: z.record(z.string(), z.object({ areaCoveredPct: pct(), buildingsCoveredPct: pct(), householdsCoveredPct: pct() })),
        captainedBuildingsPct: pct(),
        captainedHouseholdsPct: pct(),
        buildings: int(),
        buildingsCaptained: int(),
      })
      .nullable()
      .meta({ description: 'null on the unzoned line' }),
    priorityGaps: int(),
    patrols: z.object({ planned: int(), plannedDone: int(), plannedMissed: int(), logged: int(), unplanned: int() }).nullable(),
    disputes: DisputeFiguresSchema,
    problems: z.object({ open: int(), overdue: int() }),
  })
  .meta({ id: 'MeetingZone' })
export type MeetingZone = z.infer<typeof MeetingZoneSchema>

export const INDICATORS = [
  'mediation_rate',
  'success_rate',
  'resolved_in_community',
  'escalations',
  'petitions',
  'night_coverage_min_zone',
  'captained_buildings',
  'patrols_done',
  'overdue_problems',
] as const
export type Indicator = (typeof INDICATORS)[number]

/**
 * Each indicator: its unit, which way is good (`atLeast`: the value must reach the target; `atMost`:
 * it must not exceed it) and its amber margin — amber is a miss by no more than the margin (in the
 * indicator's unit: percentage points, or a count), red a larger miss, green the target met.
 */
export const INDICATOR_RULES = {
  mediation_rate: { unit: '%', direction: 'atLeast', margin: 10, zh: '调解率', en: 'Mediation rate' },
  success_rate: { unit: '%', direction: 'atLeast', margin: 10, zh: '调解成功率', en: 'Mediation success rate' },
  resolved_in_community: { unit: '%', direction: 'atLeast', margin: 10, zh: '矛盾不出社区率', en: 'Resolved within the community' },
  escalations: { unit: 'count', direction: 'atMost', margin: 1, zh: '越级', en: 'Escalations' },
  petitions: { unit: 'count', direction: 'atMost', margin: 1, zh: '上访', en: 'Petitions' },
  night_coverage_min_zone: { unit: '%', direction: 'atLeast', margin: 10, zh: '夜间巡逻覆盖率（最低网格）', en: 'Night patrol coverage, lowest zone' },
  captained_buildings: { unit: '%', direction: 'atLeast', margin: 10, zh: '楼栋有楼长比例', en: 'Buildings with a captain' },
  patrols_done: { unit: '%', direction: 'atLeast', margin: 10, zh: '计划巡逻完成率', en: 'Planned patrols done' },
  overdue_problems: { unit: 'count', direction: 'atMost', margin: 1, zh: '逾期重点问题', en: 'Overdue key problems' },
} as const satisfies Record<Indicator, { unit: '%' | 'count'; direction: 'atLeast' | 'atMost'; margin: number; zh: string; en: string }>

/** The programme's stage in a year: create (创建), consolidate (巩固), model (示范). */
export const TARGET_STAGES = ['create', 'consolidate', 'model'] as const
export type TargetStage = (typeof TARGET_STAGES)[number]

export const INDICATOR_STATUSES = ['green', 'amber', 'red', 'none'] as const
export type IndicatorStatus = (typeof INDICATOR_STATUSES)[number]

export const ScorecardLineSchema = z
  .object({
    indicator: z.enum(INDICATORS),
    label: z.string(),
    unit: z.enum(['%', 'count']),
    direction: z.enum(['atLeast', 'atMost']),
    value: z.number().nullable().meta({ description: 'this period; null when there is nothing to measure (a rate over nothing)' }),
    numerator: int().nullable(),
    denominator: int().nullable(),
    target: z.number().nullable().meta({ description: 'the community’s target for the year of the period’s end; null when none is set' }),
    margin: z.number(),
    status: z.enum(INDICATOR_STATUSES).meta({ description: 'green: target met; amber: missed by no more than `margin`; red: missed by more; none: no value or no target' }),
    trend: z
      .array(z.object({ month: z.string(), value: z.number().nullable() }))
      .nullable()
      .meta({ description: 'the 12 months ending with the period’s last month, oldest first; null for indicators of the current plan (coverage, captains), which keeps no history' }),
  })
  .meta({ id: 'ScorecardLine' })
export type ScorecardLine = z.infer<typeof ScorecardLineSchema>

/** A filed briefing as the pack names it (compare.filed; filed briefings below). */
const filedBy = z.object({ userId: int().nullable(), username: z.string() })
export const FiledBriefingRefSchema = z
  .object({ id: int(), filedAt: z.string().meta({ description: 'ISO 8601, UTC' }), filedBy, title: z.string() })
  .meta({ id: 'FiledBriefingRef' })
export type FiledBriefingRef = z.infer<typeof FiledBriefingRefSchema>

export const MeetingPackSchema = z
  .object({
    community: z.string(),
    period: z.object({ from: z.string(), to: z.string(), days: int() }),
    compare: z.object({
      kind: z.enum(MEETING_COMPARE),
      from: z.string(),
      to: z.string(),
      days: int(),
      available: z.boolean().meta({ description: 'the incidents reach back to the start of the other period and it holds some (unless this period holds none either); else no change is stated' }),
      dataFrom: z.string().nullable().meta({ description: 'local date of the community’s first incident' }),
      filed: FiledBriefingRefSchema.nullable()
        .meta({
          description:
            'the filed briefing the other period’s figures come from (the latest filed for exactly that period and these windows; `against=filed`, the default): the incident counts per zone and category and the hot cells as they were reported; null: from the data as they are now',
        }),
    }),
    windows: z.record(z.string(), z.string()).meta({ description: 'window name → HH:MM-HH:MM' }),
    overall: MeetingZoneSchema,
    zones: z.array(MeetingZoneSchema).meta({ description: 'every zone by code, then the unzoned line (zoneId null) when it has anything' }),
    hotspots: z.object({
      cell: z.number(),
      alpha: z.number(),
      current: hotspotPeriod,
      previous: hotspotPeriod,
      cells: z.array(MeetingHotCellSchema),
    }),
    priorityGaps: z.array(
      z.object({ rank: int(), zoneCode: z.string().nullable(), street: z.string().nullable(), center: lonLat, incidents: int(), uncoveredIncidents: int(), reason: z.string(), reasonZh: z.string() }),
    ),
    problems: z.object({
      asOf: z.string(),
      open: int(),
      overdue: int(),
      overdueList: z.array(z.object({ id: int(), title: z.string(), zoneCode: z.string().nullable(), deadline: z.string().nullable() })),
    }),
    targets: z.object({ year: int(), stage: z.enum(TARGET_STAGES).nullable(), isSample: z.boolean() }),
    scorecard: z.array(ScorecardLineSchema),
  })
  .meta({ id: 'MeetingPack' })
export type MeetingPack = z.infer<typeof MeetingPackSchema>

export const TargetsSchema = z
  .object({
    year: int(),
    stage: z.enum(TARGET_STAGES).nullable(),
    version: int().meta({ description: '0 when no targets were set for the year (PUT with If-Match: "0" sets them)' }),
    isSample: z.boolean(),
    targets: z.partialRecord(z.enum(INDICATORS), z.number()),
  })
  .meta({ id: 'Targets' })
export type Targets = z.infer<typeof TargetsSchema>

/** The targets of a year as written: the stage and every target (replaces the year's targets). */
export const TargetsInputSchema = z
  .object({
    stage: z.enum(TARGET_STAGES),
    targets: z.partialRecord(z.enum(INDICATORS), z.number().min(0, 'a target is at least 0').max(MEETING_LIMITS.targetMax, `a target is at most ${MEETING_LIMITS.targetMax}`)),
  })
  .strict()
  .superRefine((t, ctx) => {
    for (const [k, v] of Object.entries(t.targets))
      if (INDICATOR_RULES[k as Indicator].unit === '%' && (v as number) > 100) ctx.addIssue({ code: 'custom', path: ['targets', k], message: `${k} is a percentage: at most 100` })
  })
  .meta({ id: 'TargetsInput' })
export type TargetsInput = z.infer<typeof TargetsInputSchema>

// ---------------------------------------------------------------------------------------------
// Filed briefings (issue 13, "Snapshots"): POST /api/communities/:id/briefings files the pack as
// presented (both languages, immutable, who and when); GET …/briefings lists them, GET
// …/briefings/:briefingId reopens one (also as .csv and .xlsx); the next meeting's pack compares
// with what was filed for its other period.

/** Where the other period's figures come from: the latest filed briefing of that period (default) or the data as they are now. */
export const MEETING_AGAINST = ['filed', 'data'] as const
export type MeetingAgainst = (typeof MEETING_AGAINST)[number]

export const BRIEFING_LIMITS = {
  /** a title's length */
  title: 200,
  /** briefings listed per page */
  list: { default: 50, max: 200 },
} as const

/** A filed briefing without its pack: what it covers, its title, who filed it and when, and headline figures. */
export const BriefingMetaSchema = z
  .object({
    id: int(),
    community: z.string(),
    period: z.object({ from: z.string(), to: z.string(), days: int() }),
    compare: z.object({ kind: z.enum(MEETING_COMPARE), from: z.string(), to: z.string(), days: int() }),
    windows: z.record(z.string(), z.string()).meta({ description: 'window name → HH:MM-HH:MM, as the pack shows them' }),
    title: z.string(),
    filedBy,
    filedAt: z.string().meta({ description: 'ISO 8601, UTC' }),
    headline: z
      .object({ incidents: int(), hotCells: int(), priorityGaps: int() })
      .meta({ description: 'incidents in the period (the whole community), hot cells of the period, priority gaps — as filed' }),
  })
  .meta({ id: 'BriefingMeta' })
export type BriefingMeta = z.infer<typeof BriefingMetaSchema>

export const BriefingListSchema = z
  .object({ briefings: z.array(BriefingMetaSchema).meta({ description: 'newest first' }), total: int(), limit: int(), offset: int() })
  .meta({ id: 'BriefingList' })

/** A filed briefing with its pack exactly as GET …/briefing answered it when filed, in the language asked. */
export const BriefingSchema = BriefingMetaSchema.extend({ pack: MeetingPackSchema }).meta({ id: 'Briefing' })
export type Briefing = z.infer<typeof BriefingSchema>

// Communities created by admins, and imports of a community's own files (issue 10)

/** A new community as an admin writes it: the metric CRS is derived from the boundary (the UTM zone of its centre). */
export const CommunityInputSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'id: lower-case letters, digits and dashes, 2–63 characters, starting with a letter or digit'),
    name: text(200),
    nameZh: text(200).nullable().optional(),
    timeZone: z.string().min(1).max(64).meta({ description: 'IANA time zone, e.g. Asia/Shanghai' }),
    boundary: geometryOf('Polygon', 'MultiPolygon'),
  })
  .strict()
  .meta({ id: 'CommunityInput' })
export type CommunityInput = z.infer<typeof CommunityInputSchema>

/** Layers a file may be imported into. */
export const IMPORT_LAYERS = ['buildings', 'zones', 'incidents', 'teams', 'routes', 'captains', 'disputes'] as const
export type ImportLayer = (typeof IMPORT_LAYERS)[number]
export const IMPORT_FORMATS = ['auto', 'geojson', 'csv', 'xlsx', 'shp', 'gpkg'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]
export const IMPORT_ENCODINGS = ['auto', 'utf-8', 'gbk', 'gb18030'] as const
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number]

export const IMPORT_LIMITS = {
  /** rows of one file */
  rows: 200_000,
  /** rejected rows, warnings and preview features listed in one answer */
  listed: 1000,
  features: 2000,
  /** a point or shape farther than this outside the community's boundary is rejected, metres */
  outsideM: 1000,
  /** the upload size when IMPORT_MAX_MB is not set, megabytes */
  defaultMaxMb: 50,
} as const

/** One rejected row (or a warning about one): its row number in the file (1 = the header of a table), the column, a code and the reason in the caller's language. */
export const ImportIssueSchema = z
  .object({ row: int(), column: z.string().nullable(), code: z.string(), reason: z.string() })
  .meta({ id: 'ImportIssue' })
export type ImportIssue = z.infer<typeof ImportIssueSchema>

export const ImportCountsSchema = z
  .object({ read: int(), valid: int(), rejected: int(), new: int(), changed: int(), unchanged: int() })
  .meta({ id: 'ImportCounts' })
export type ImportCounts = z.infer<typeof ImportCountsSchema>

export const ImportReportSchema = z
  .object({
    dryRun: z.boolean(),
    importId: int().nullable().meta({ description: 'the imports row of a confirmed import (null: dry run or rejected)' }),
    community: z.string(),
    layer: z.enum(IMPORT_LAYERS),
    format: z.enum(IMPORT_FORMATS),
    crs: z.string(),
    encoding: z.string().nullable(),
    fileName: z.string().nullable(),
    source: z.string(),
    counts: ImportCountsSchema,
    rejected: z.array(ImportIssueSchema),
    warnings: z.array(ImportIssueSchema),
    listedTruncated: z.boolean(),
    features: featureCollection(z.object({ row: int(), status: z.enum(['new', 'changed', 'unchanged']) }).loose(), z.object({ truncated: z.boolean() })),
  })
  .meta({ id: 'ImportReport' })
export type ImportReport = z.infer<typeof ImportReportSchema>

export const ImportListSchema = z
  .object({
    imports: z.array(
      z.object({
        id: int(),
        at: z.string(),
        username: z.string().nullable(),
        fileName: z.string().nullable(),
        layer: z.string(),
        format: z.string(),
        crs: z.string(),
        encoding: z.string().nullable(),
        source: z.string(),
        counts: ImportCountsSchema,
      }),
    ),
  })
  .meta({ id: 'ImportList' })
export type ImportList = z.infer<typeof ImportListSchema>
