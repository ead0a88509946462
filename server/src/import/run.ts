/**
 * One import, from the uploaded bytes to the report (issue 10) — the same for the API and the
 * command line: read the file (encoding, format), match its headers to the layer's columns, check
 * every row's fields and times, read and convert its geometry (PostGIS for EPSG codes, ours for
 * GCJ-02 and BD-09), then check, repair and write in one transaction (db/imports.ts) — or run that
 * transaction and roll it back for a dry run. Any rejected row means nothing is written.
 */
import { createHash } from 'node:crypto'
import { IMPORT_LIMITS, type ImportEncoding, type ImportFormat, type ImportIssue, type ImportLayer, type ImportReport, type Lang } from '../contract.js'
import type { Sql } from '../db/connect.js'
import { applyImport, readGeometries, sridKnown, type StagedRow } from '../db/imports.js'
import { ApiError } from '../errors.js'
import { bd09ToWgs84, gcj02ToWgs84 } from './china-coords.js'
import { columnsOf, GEOMETRY_KIND, matchHeaders, type ColumnSpec } from './columns.js'
import { reason, type ReasonCode } from './messages.js'
import { DEPTH, positionsOf } from './positions.js'
import { FileError, detectFormat, readFile, type Cell, type FileRow } from './read.js'
import { readShifts } from './shifts.js'
import { instantsOfWallTime, readTime, zoneOffsetMinutes, type ReadTime } from './times.js'

/** A coordinate system as the caller names it. */
export type Crs = { label: string; kind: 'epsg'; srid: number } | { label: 'GCJ-02' | 'BD-09'; kind: 'gcj02' | 'bd09' }

/**
 * Reads `crs`: EPSG:4326 (WGS 84, the default), EPSG:4490 (CGCS2000: the same as WGS 84 within a few
 * centimetres, and PostGIS treats it so), GCJ-02, BD-09, or any EPSG code PostGIS knows (projected
 * data, e.g. EPSG:4547 CGCS2000 / 3-degree Gauss-Kruger CM 114E, or a UTM zone). Null when unreadable.
 */
export function parseCrs(raw: string | undefined): Crs | null {
  const s = (raw ?? 'EPSG:4326').trim().toUpperCase().replace(/[\s_]/g, '')
  if (/^(WGS84|WGS-84)$/.test(s)) return { label: 'EPSG:4326', kind: 'epsg', srid: 4326 }
  if (s === 'CGCS2000') return { label: 'EPSG:4490', kind: 'epsg', srid: 4490 }
  if (/^GCJ-?02$/.test(s)) return { label: 'GCJ-02', kind: 'gcj02' }
  if (/^BD-?09$/.test(s)) return { label: 'BD-09', kind: 'bd09' }
  const m = /^(?:EPSG:)?(\d{4,6})$/.exec(s)
  if (m) return { label: `EPSG:${Number(m[1])}`, kind: 'epsg', srid: Number(m[1]) }
  return null
}

export interface ImportRequest {
  community: string
  layer: ImportLayer
  format: ImportFormat
  crs: Crs
  encoding: ImportEncoding
  dryRun: boolean
  source: string
  fileName: string | null
  bytes: Uint8Array
  lang: Lang
  editor: { userId: number | null; username: string | null; ip: string | null }
}

// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
const INT_LIMITS: Record<string, number> = { floors: 300, households: 1_000_000, residents: 10_000_000 }
/** A captain's buildings listed in one cell, at most. */
const MAX_BUILDINGS = 2000
/** A field of a staged row. */
type FieldValue = string | number | boolean | null | string[] | { days: number[]; start: string; end: string }[]

/** Runs an import (or its dry run) and answers the report; `ok` is false when rows were rejected. */
export async function runImport(sql: Sql, req: ImportRequest): Promise<{ report: ImportReport; ok: boolean }> {
  const [community] = await sql<{ timeZone: string }[]>`select time_zone from communities where id = ${req.community}`
  if (!community) throw new ApiError('community_not_found', `community "${req.community}" does not exist`, { id: req.community })
  if (req.crs.kind === 'epsg' && !(await sridKnown(sql, req.crs.srid))) throw new ApiError('invalid_parameter', `crs ${req.crs.label} is not a coordinate system PostGIS knows`, { parameter: 'crs' })
  const format = detectFormat(req.format, req.fileName, req.bytes)
  let table
  try {
    table = await readFile(req.bytes, format, req.encoding, IMPORT_LIMITS.rows, req.layer)
  } catch (e) {
    if (e instanceof FileError) throw new ApiError('bad_request', e.message, { format })
    throw e
  }
  // a Shapefile whose .prj said what it is in comes converted to WGS 84 (the .prj wins over `crs`)
  // (so does a GeoPackage's spatial reference when it is an EPSG code PostGIS knows)
  const crs: Crs = table.wgs84
    ? { label: 'EPSG:4326', kind: 'epsg', srid: 4326 }
    : typeof table.srid === 'number' && (await sridKnown(sql, table.srid))
      ? { label: `EPSG:${table.srid}`, kind: 'epsg', srid: table.srid }
      : req.crs
  const lang = req.lang
  const rejected: ImportIssue[] = []
  const warnings: ImportIssue[] = []
  const reject = (row: number, column: string | null, code: ReasonCode, values: Record<string, string | number> = {}) =>
    rejected.push({ row, column, code, reason: reason(code, lang, { column: column ?? '', ...values }) })

  const { columns, unknown } = matchHeaders(req.layer, table.headers)
  if (unknown.length > 0) warnings.push({ row: 1, column: null, code: 'unknown_columns', reason: reason('unknown_columns', lang, { value: unknown.slice(0, 20).join(', ') }) })
  const specs = columnsOf(req.layer)
  const headerRow = format === 'geojson' || format === 'shp' || format === 'gpkg' ? 0 : 1
  for (const spec of specs.filter((s) => s.required && !columns.has(s.name))) reject(headerRow, spec.name, 'missing_column', { aliases: [spec.name, ...spec.aliases].join(', ') })
  const spatial = GEOMETRY_KIND[req.layer] !== 'none'
  const byGeoJson = format === 'geojson' || format === 'shp' || format === 'gpkg'
  const byLonLat = columns.has('lon') && columns.has('lat')
  const byWkt = columns.has('wkt')
  if (spatial && !byGeoJson && !byLonLat && !byWkt) reject(headerRow, 'lon', 'missing_column', { aliases: 'lon + lat, 经度 + 纬度, wkt' })
  const base = (counts: { valid: number; new: number; changed: number; unchanged: number }, features: string[] = [], truncated = false, importId: number | null = null): ImportReport => {
    const rows = new Set(rejected.map((r) => r.row))
    const headerLevel = rejected.some((r) => r.row <= headerRow)
    return {
      dryRun: req.dryRun,
      importId,
      community: req.community,
      layer: req.layer,
      format,
      crs: crs.label,
      encoding: table.encoding,
      fileName: req.fileName,
      source: req.source,
      counts: { read: table.rows.length, valid: counts.valid, rejected: headerLevel ? table.rows.length : [...rows].filter((r) => r > headerRow).length, new: counts.new, changed: counts.changed, unchanged: counts.unchanged },
      rejected: rejected.sort((a, b) => a.row - b.row).slice(0, IMPORT_LIMITS.listed),
      warnings: warnings.sort((a, b) => a.row - b.row).slice(0, IMPORT_LIMITS.listed),
      listedTruncated: rejected.length > IMPORT_LIMITS.listed || warnings.length > IMPORT_LIMITS.listed,
      features: { type: 'FeatureCollection', features: features.map((f) => JSON.parse(f)), meta: { truncated } },
    }
  }
  if (rejected.length > 0) return { report: base({ valid: 0, new: 0, changed: 0, unchanged: 0 }), ok: false }

  // fields and times, row by row
  interface Pending { file: FileRow; fields: Record<string, FieldValue>; time?: { value: string; local: boolean }; geometry: { k: 'geojson' | 'wkt' | 'wkb'; t: string } | null }
  const pending: Pending[] = []
  for (const file of table.rows) {
    const before = rejected.length
    const fields: Pending['fields'] = {}
    let time: Pending['time']
    let declaredTimeKnown: boolean | null = null
    for (const spec of specs) {
      if (spec.name === 'lon' || spec.name === 'lat' || spec.name === 'wkt') continue
      const header = columns.get(spec.name)
      const raw = header === undefined ? null : (file.cells[header] ?? null)
      const value = checkCell(spec, raw, file.row, header ?? spec.name, reject)
      if (spec.name === 'time_known') declaredTimeKnown = typeof value === 'boolean' ? value : null
      else if (spec.kind === 'time' && typeof value === 'string' && req.layer !== 'incidents') {
        // a dispute's dates: instants, so that their order can be checked here
        const t = readTime(value, community.timeZone)
        const at = t.ok ? instantOf(t, community.timeZone) : null
        if (!t.ok) reject(file.row, header ?? spec.name, t.code, { value, timeZone: community.timeZone })
        else if (at === null) reject(file.row, header ?? spec.name, 'time_nonexistent', { value, timeZone: community.timeZone })
        else fields[spec.name] = at
      } else if (spec.kind === 'time' && typeof value === 'string') {
        const t = readTime(value, community.timeZone)
        if (!t.ok) reject(file.row, header ?? spec.name, t.code, { value, timeZone: community.timeZone })
        else {
          time = { value: t.value, local: t.local }
          fields.time_known = t.timeKnown
        }
      } else if (spec.name !== 'id') fields[spec.name] = value
      else if (value !== null) fields.id = value as string
    }
    // an incident whose file says only its date is known (as the export writes them): the local date, time unknown
    if (req.layer === 'incidents' && declaredTimeKnown === false && time !== undefined && fields.time_known === true) {
      time = { value: `${localDate(time, community.timeZone)} 00:00:00`, local: true }
      fields.time_known = false
    }
    if (rejected.length === before) checkLayerRow(req.layer, fields, file.row, columns, lang, reject)
    let geometry: Pending['geometry'] = null
    if (file.wkb === false) reject(file.row, 'geometry', 'bad_geometry', { crs: crs.label })
    else if (file.wkb) geometry = { k: 'wkb', t: Buffer.from(file.wkb).toString('hex') }
    else if (byGeoJson && file.geometry !== null && file.geometry !== undefined) geometry = { k: 'geojson', t: JSON.stringify(file.geometry) }
    else if (byWkt && file.cells[columns.get('wkt')!] !== null && file.cells[columns.get('wkt')!] !== undefined) geometry = { k: 'wkt', t: String(file.cells[columns.get('wkt')!]) }
    else if (byLonLat) {
      const x = toNumber(file.cells[columns.get('lon')!] ?? null)
      const y = toNumber(file.cells[columns.get('lat')!] ?? null)
      if (x === undefined) reject(file.row, columns.get('lon')!, 'not_number', { value: String(file.cells[columns.get('lon')!]).slice(0, 40) })
      else if (y === undefined) reject(file.row, columns.get('lat')!, 'not_number', { value: String(file.cells[columns.get('lat')!]).slice(0, 40) })
      else if (x !== null && y !== null) geometry = { k: 'geojson', t: JSON.stringify({ type: 'Point', coordinates: [x, y] }) }
    }
    if (spatial && geometry === null && rejected.length === before) reject(file.row, null, 'no_geometry')
    if (rejected.length === before) pending.push({ file, fields, time, geometry })
  }

  // geometry: read and transformed by PostGIS, GCJ-02/BD-09 converted here, then in degrees
  const srid = crs.kind === 'epsg' ? crs.srid : 4326
  const geoms = spatial ? await readGeometries(sql, pending.map((p) => ({ r: p.file.row, k: p.geometry!.k, t: p.geometry!.t })), srid) : new Map<number, string | null>()
  const staged: StagedRow[] = []
  const seen = new Map<string, number>()
  const hashes = new Map<string, number>()
  const codes = new Map<string, number>()
  for (const p of pending) {
    const text = spatial ? (geoms.get(p.file.row) ?? null) : null
    let g: { type: string; coordinates: unknown } | null = null
    if (spatial) {
      const column = byGeoJson ? 'geometry' : byWkt && p.geometry!.k === 'wkt' ? columns.get('wkt')! : null
      // PostGIS writes infinite or NaN coordinates as bare words: not JSON, not a place
      g = text === null ? null : jsonOrNull(text)
      if (g === null) {
        reject(p.file.row, column, 'bad_geometry', { crs: crs.label })
        continue
      }
      if (crs.kind !== 'epsg') convertPositions(g.coordinates, crs.kind === 'gcj02' ? gcj02ToWgs84 : bd09ToWgs84)
      const positions = DEPTH[g.type] === undefined ? null : positionsOf(g.coordinates, DEPTH[g.type]!)
      if (positions === null || positions.some(([x, y]) => Math.abs(x!) > 180 || Math.abs(y!) > 90)) {
        reject(p.file.row, column, positions === null ? 'wrong_geometry_type' : 'out_of_range', { crs: crs.label, layer: req.layer, expected: expected(req.layer, lang), actual: g.type })
        continue
      }
    }
    const id = p.fields.id
    delete p.fields.id
    let sourceId: string
    if (id !== null && id !== undefined) {
      sourceId = String(id)
      const first = seen.get(sourceId)
      if (first !== undefined) {
        reject(p.file.row, columns.get('id') ?? 'id', 'duplicate_id', { value: sourceId, first })
        continue
      }
      seen.set(sourceId, p.file.row)
    } else {
      // no id in the file: a stable hash of the row's content (the n-th identical row gets #n)
      const h = createHash('sha256').update(JSON.stringify([req.layer, p.fields, p.time?.value ?? null, text])).digest('hex').slice(0, 32)
      const n = (hashes.get(h) ?? 0) + 1
      hashes.set(h, n)
      sourceId = n === 1 ? `sha256:${h}` : `sha256:${h}#${n}`
    }
    // zone codes and team names are unique in a community
    const key = req.layer === 'zones' ? 'code' : req.layer === 'teams' ? 'name' : null
    const unique = key === null ? null : p.fields[key]
    if (key !== null && typeof unique === 'string') {
      const first = codes.get(unique)
      if (first !== undefined) {
        reject(p.file.row, columns.get(key) ?? key, key === 'code' ? 'duplicate_code' : 'duplicate_name', { value: unique, first })
        continue
      }
      codes.set(unique, p.file.row)
    }
    staged.push({ row: p.file.row, sourceId, fields: p.fields, geojson: g === null ? null : JSON.stringify(g), ...(p.time ? { time: p.time } : {}) })
  }

  const result = await applyImport(sql, {
    community: req.community,
    layer: req.layer,
    source: req.source,
    rows: staged,
    dryRun: req.dryRun,
    rejectedBefore: rejected.length,
    record: { ...req.editor, fileName: req.fileName, format, crs: crs.label, encoding: table.encoding, rowsRead: table.rows.length },
  })
  const geomColumn = byGeoJson ? 'geometry' : byWkt ? (columns.get('wkt') ?? null) : null
  for (const i of result.issues) {
    const values = { m2: i.distance ?? 0, distance: i.distance ?? 0, limit: IMPORT_LIMITS.outsideM, why: i.why ?? '', actual: i.actual ?? '', value: i.value ?? '', first: i.first ?? 0, layer: req.layer, expected: expected(req.layer, lang) }
    if (i.code === 'repaired') warnings.push({ row: i.row, column: geomColumn, code: i.code, reason: reason(i.code, lang, values) })
    else reject(i.row, issueColumn(i.code, columns) ?? geomColumn, i.code, values)
  }
  const ok = rejected.length === 0
  const rejectedRows = new Set(rejected.map((r) => r.row)).size
  const valid = table.rows.length - rejectedRows
  return { report: base({ valid, ...result.counts }, result.features, result.truncated, ok ? result.importId : null), ok }
}

const expected = (layer: ImportLayer, lang: Lang) =>
  GEOMETRY_KIND[layer] === 'point'
    ? lang === 'zh' ? '点（Point）' : 'Point'
    : GEOMETRY_KIND[layer] === 'line'
      ? lang === 'zh' ? '线（LineString）' : 'LineString'
      : lang === 'zh' ? '面（Polygon 或 MultiPolygon）' : 'Polygon or MultiPolygon'

/** The column a database check's issue is about (null: the geometry's). */
function issueColumn(code: string, columns: Map<string, string>): string | null {
  if (code === 'code_taken') return columns.get('code') ?? 'code'
  if (code === 'name_taken') return columns.get('name') ?? 'name'
  if (code === 'unknown_team') return columns.get('team_id') ?? columns.get('team') ?? 'team'
  if (code === 'unknown_building' || code === 'ambiguous_building' || code === 'building_twice') return columns.get('building_ids') ?? columns.get('building') ?? 'building'
  return null
}

/** The instant (ISO, UTC) of a time read from a cell; null when the local time does not exist. */
function instantOf(t: Extract<ReadTime, { ok: true }>, timeZone: string): string | null {
  if (!t.local) return new Date(t.value).toISOString()
  const [d, hms] = t.value.split(' ') as [string, string]
  const [y, mo, day] = d.split('-').map(Number) as [number, number, number]
  const [h, mi, s] = hms.split(':').map(Number) as [number, number, number]
  // a date alone is its local midnight (the first, should the clocks pass it twice)
  const at = instantsOfWallTime(timeZone, Date.UTC(y, mo - 1, day, h, mi, s))[0]
  return at === undefined ? null : new Date(at).toISOString()
}

/** The local date (YYYY-MM-DD) of a time read from a cell. */
function localDate(time: { value: string; local: boolean }, timeZone: string): string {
  if (time.local) return time.value.slice(0, 10)
  const ms = new Date(time.value).getTime()
  return new Date(ms + zoneOffsetMinutes(timeZone, ms) * 60_000).toISOString().slice(0, 10)
}

type Reject = (row: number, column: string | null, code: ReasonCode, values?: Record<string, string | number>) => void

/** What a dispute of each status needs (the disputes table's rule of its steps, migration 00011). */
const STEP_NEEDS: Record<string, { en: string; zh: string; ok: (f: Record<string, FieldValue>) => boolean }> = {
  reported: { en: 'neither a mediation start nor an end date', zh: '不填调解开始时间和结束时间', ok: (f) => f.mediation_started_at === null && f.ended_at === null },
  mediating: { en: 'a mediation start, a level and no end date', zh: '调解开始时间和层级，且不填结束时间', ok: (f) => f.mediation_started_at !== null && f.ended_at === null && f.level !== null },
  agreed: { en: 'a mediation start, an end date and a level', zh: '调解开始时间、结束时间和层级', ok: (f) => f.mediation_started_at !== null && f.ended_at !== null && f.level !== null },
  failed: { en: 'a mediation start, an end date and a level', zh: '调解开始时间、结束时间和层级', ok: (f) => f.mediation_started_at !== null && f.ended_at !== null && f.level !== null },
  referred: { en: 'an end date and the level street or judicial', zh: '结束时间和层级（街道或司法）', ok: (f) => f.ended_at !== null && (f.level === 'street' || f.level === 'judicial') },
}

/** Checks of a row across its fields, per layer (defaults filled in): a route's team, a dispute's steps and dates. */
function checkLayerRow(layer: ImportLayer, fields: Record<string, FieldValue>, row: number, columns: Map<string, string>, lang: Lang, reject: Reject): void {
  if (layer === 'routes' && fields.team_id === null && fields.team === null) reject(row, columns.get('team_id') ?? columns.get('team') ?? 'team', 'no_team')
  if (layer === 'captains' && fields.active === null) fields.active = true
  if (layer === 'disputes') {
    if (fields.status === null) fields.status = 'reported'
    const status = fields.status as string
    const needs = STEP_NEEDS[status]!
    if (!needs.ok(fields)) reject(row, columns.get('status') ?? 'status', 'dispute_steps', { value: status, needs: needs[lang] })
    else {
      const reported = Date.parse(fields.reported_at as string)
      const started = fields.mediation_started_at === null ? null : Date.parse(fields.mediation_started_at as string)
      const ended = fields.ended_at === null ? null : Date.parse(fields.ended_at as string)
      if ((started !== null && started < reported) || (ended !== null && ended < (started ?? reported)))
        reject(row, columns.get(ended !== null && ended < (started ?? reported) ? 'ended_at' : 'mediation_started_at') ?? null, 'dispute_dates')
    }
  }
}

/** A number from a cell: undefined when not a number, null when empty. */
function toNumber(v: Cell): number | null | undefined {
  if (v === null) return null
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined
  if (typeof v !== 'string' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim())) return undefined
  return Number(v)
}

/** The value of a cell for a column (null: empty), rejecting it with a reason when it does not fit. */
function checkCell(spec: ColumnSpec, raw: Cell, row: number, column: string, reject: Reject): FieldValue {
  const empty = raw === null || (typeof raw === 'string' && raw.trim() === '')
  if (empty) {
    if (spec.required) reject(row, column, 'missing')
    return null
  }
  if (spec.kind === 'bool') {
    const b = typeof raw === 'boolean' ? raw : BOOLEANS[String(raw).trim().toLowerCase()]
    if (b === undefined) reject(row, column, 'not_boolean', { value: String(raw).slice(0, 40) })
    return b ?? null
  }
  if (spec.kind === 'number') {
    // reach_m: metres above 0, at most 2000 (the routes table's rule)
    const n = toNumber(raw)
    if (n === undefined || n === null || n <= 0 || n > 2000) {
      reject(row, column, 'bad_reach', { value: String(raw).slice(0, 40) })
      return null
    }
    return n
  }
  if (spec.kind === 'int') {
    const n = toNumber(raw)
    const max = INT_LIMITS[spec.name] ?? Number.MAX_SAFE_INTEGER
    if (n === undefined || n === null || !Number.isInteger(n) || n < 0 || n > max) {
      reject(row, column, 'not_integer', { value: String(raw).slice(0, 40) })
      return null
    }
    return n
  }
  const s = String(raw).trim()
  if (spec.kind === 'choice') {
    const v = spec.choices![s.toLowerCase().replace(/[\s-]+/g, '_')]
    if (v === undefined) reject(row, column, 'not_choice', { value: s.slice(0, 40), values: [...new Set(Object.values(spec.choices!))].join(', ') })
    return v ?? null
  }
  if (CONTROL.test(s)) {
    reject(row, column, 'control_characters')
    return null
  }
  if (spec.max !== undefined && s.length > spec.max) {
    reject(row, column, 'too_long', { max: spec.max })
    return null
  }
  if (spec.kind === 'shifts') {
    const read = readShifts(s)
    if (!read.ok) reject(row, column, read.code, { value: read.part })
    return read.ok ? read.shifts : null
  }
  if (spec.kind === 'list') {
    const items = listOf(s)
    if (items === null) reject(row, column, 'bad_list', { value: s.slice(0, 40) })
    else if (items.length > MAX_BUILDINGS) reject(row, column, 'too_many_buildings', { max: MAX_BUILDINGS })
    return items !== null && items.length <= MAX_BUILDINGS ? items : null
  }
  return s
}

const BOOLEANS: Record<string, boolean> = {
  true: true, yes: true, y: true, '1': true, 是: true, 在岗: true, 在任: true, 有效: true, active: true,
  false: false, no: false, n: false, '0': false, 否: false, 离岗: false, 离任: false, 无效: false, inactive: false,
}

/**
 * The items of a list cell: a JSON list (what the export writes: [12, 15]), else split at `;`, `；`,
 * `、`, `|` or new lines — or, when the cell has none of those, at commas (an address with a comma
 * then needs one of the others). Each item trimmed, each once; null when a JSON list is malformed.
 */
function listOf(s: string): string[] | null {
  let items: string[]
  if (s.startsWith('[')) {
    try {
      const list = JSON.parse(s) as unknown
      if (!Array.isArray(list) || list.some((x) => typeof x !== 'string' && typeof x !== 'number')) return null
      items = list.map(String)
    } catch {
      return null
    }
  } else items = s.split(/[;；、|\n]/.test(s) ? /[;；、|\n]+/ : /[,，]+/)
  return [...new Set(items.map((x) => x.trim()).filter((x) => x !== ''))]
}

/** Converts every [x, y] of GeoJSON coordinates in place. */
function convertPositions(coords: unknown, f: (x: number, y: number) => [number, number]): void {
  if (!Array.isArray(coords)) return
  if (typeof coords[0] === 'number') {
    const [x, y] = f(coords[0] as number, coords[1] as number)
    coords[0] = x
    coords[1] = y
    return
  }
  for (const c of coords) convertPositions(c, f)
}

/** A GeoJSON geometry from PostGIS's text, or null when it is not JSON. */
function jsonOrNull(text: string): { type: string; coordinates: unknown } | null {
  try {
    return JSON.parse(text) as { type: string; coordinates: unknown }
  } catch {
    return null
  }
}
