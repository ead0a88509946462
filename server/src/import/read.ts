/**
 * Reading an uploaded file into rows: the text encoding (UTF-8 with or without a BOM, GBK/GB18030 —
 * what Excel in China saves CSV as — detected or chosen), then the format: GeoJSON, CSV (comma, tab
 * or semicolon separated; csv-parse), .xlsx (the first worksheet; exceljs) or a zipped Shapefile
 * (.shp, .dbf, .prj, .cpg; shpjs, its .prj read by proj4 into WGS 84) or a GeoPackage (gpkg.ts). Nothing here knows
 * layers: a row is its number in the file, its cells by header, and a GeoJSON geometry when the
 * file has one. A file that cannot be read at all is a FileError (400), never a 500.
 */
import { promisify } from 'node:util'
import { inflateRaw } from 'node:zlib'
import { unzip } from 'but-unzip'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { parseDbf, parseShp } from 'shpjs'
import type { ImportEncoding, ImportFormat } from '../contract.js'
import { isSqlite, readGeoPackage } from './gpkg.js'

/** The whole file is unreadable: what to tell the caller. */
export class FileError extends Error {
  override name = 'FileError'
}

export type Cell = string | number | boolean | null

export interface FileRow {
  /** the row's number as a person sees it: a table's line (the header is 1), a GeoJSON feature's position (from 1) */
  row: number
  cells: Record<string, Cell>
  /** a GeoJSON file's geometry (as written) */
  geometry?: unknown
  /** a GeoPackage's geometry as WKB (null: none or empty; false: a blob that is no geometry) */
  wkb?: Uint8Array | null | false
}

export interface FileTable {
  format: Exclude<ImportFormat, 'auto'>
  /** the text encoding read (null: xlsx, which has its own) */
  encoding: string | null
  headers: string[]
  rows: FileRow[]
  /** the geometry is WGS 84 already (a Shapefile's .prj said what it was in, and it was converted) */
  wgs84?: boolean
  /** the EPSG code the file says its geometry is in (a GeoPackage's spatial reference); null: it does not say */
  srid?: number | null
}

/**
 * The text of `bytes`: `encoding` as chosen, or detected — a UTF-8 BOM or valid UTF-8 is UTF-8,
 * anything else is read as GB18030 (a superset of GBK and GB2312). Bytes that are neither are
 * refused rather than stored as mojibake.
 */
export function decodeText(bytes: Uint8Array, encoding: ImportEncoding): { text: string; encoding: string } {
  const utf8 = () => new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  const gb = (label: string) => new TextDecoder(label, { fatal: true }).decode(bytes)
  try {
    if (encoding === 'utf-8') return { text: utf8(), encoding: 'utf-8' }
    if (encoding === 'gbk' || encoding === 'gb18030') return { text: gb(encoding), encoding }
  } catch {
    throw new FileError(`the file is not valid ${encoding.toUpperCase()} text`)
  }
  try {
    return { text: utf8(), encoding: 'utf-8' }
  } catch {
    try {
      return { text: gb('gb18030'), encoding: 'gb18030' }
    } catch {
      throw new FileError('the file is neither UTF-8 nor GBK/GB18030 text; choose its encoding')
    }
  }
}

/** The format of a file: as asked, else from its name, else from its first bytes. */
export function detectFormat(asked: ImportFormat, fileName: string | null, bytes: Uint8Array): Exclude<ImportFormat, 'auto'> {
  if (asked !== 'auto') return asked
  const ext = fileName?.toLowerCase().match(/\.([a-z]+)$/)?.[1]
  if (ext === 'xlsx') return 'xlsx'
  if (ext === 'zip' || ext === 'shp') return 'shp'
  if (ext === 'gpkg' || isSqlite(bytes)) return 'gpkg'
  if (ext === 'geojson' || ext === 'json') return 'geojson'
  if (ext === 'csv' || ext === 'txt' || ext === 'tsv') return 'csv'
  // PK: a zip — a workbook, or a zipped Shapefile when it holds a .shp
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    try {
      return zipEntries(bytes).some((e) => /\.shp$/i.test(e.filename)) ? 'shp' : 'xlsx'
    } catch {
      return 'xlsx' // not a readable zip: the workbook reader says so
    }
  }
  let i = 0
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++
  return bytes[i] === 0x7b ? 'geojson' : 'csv'
}

/** Reads a file into rows (at most `maxRows`; more is a FileError); `layer` chooses among a GeoPackage's tables. */
export async function readFile(bytes: Uint8Array, format: Exclude<ImportFormat, 'auto'>, encoding: ImportEncoding, maxRows: number, layer = ''): Promise<FileTable> {
  if (format === 'xlsx') return readXlsx(bytes, maxRows)
  if (format === 'gpkg') return readGeoPackage(bytes, maxRows, layer)
  if (format === 'shp') return readShapefile(bytes, encoding, maxRows)
  const decoded = decodeText(bytes, encoding)
  const text = decoded.text.replace(/^\ufeff/, '')
  const table = format === 'geojson' ? readGeoJson(text, maxRows) : readCsv(text, maxRows)
  return { format, encoding: decoded.encoding, ...table }
}

function tooMany(maxRows: number): never {
  throw new FileError(`the file has more than ${maxRows} rows; split it`)
}

function readGeoJson(text: string, maxRows: number): Pick<FileTable, 'headers' | 'rows'> {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    throw new FileError('the file is not valid JSON')
  }
  const d = doc as { type?: string; features?: unknown }
  const features = d?.type === 'FeatureCollection' && Array.isArray(d.features) ? d.features : d?.type === 'Feature' ? [d] : null
  if (features === null) throw new FileError('a GeoJSON file must hold a FeatureCollection (or one Feature)')
  return featureTable(features, maxRows)
}

/** GeoJSON features as rows: their properties as cells (and their id as `id`), their geometry as written. */
function featureTable(features: unknown[], maxRows: number): Pick<FileTable, 'headers' | 'rows'> {
  if (features.length > maxRows) tooMany(maxRows)
  const headers: string[] = []
  const seen = new Set<string>()
  const rows = features.map((f, i): FileRow => {
    const props = (f as { properties?: unknown })?.properties
    const cells: Record<string, Cell> = {}
    if (props && typeof props === 'object' && !Array.isArray(props))
      for (const [k, v] of Object.entries(props)) {
        if (!seen.has(k)) {
          seen.add(k)
          headers.push(k)
        }
        cells[k] = v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : (v as Cell)
      }
    const id = (f as { id?: unknown })?.id
    if ((typeof id === 'string' || typeof id === 'number') && cells.id === undefined) {
      cells.id = id
      if (!seen.has('id')) {
        seen.add('id')
        headers.push('id')
      }
    }
    return { row: i + 1, cells, geometry: (f as { geometry?: unknown })?.geometry ?? null }
  })
  return { headers, rows }
}

function readCsv(text: string, maxRows: number): Pick<FileTable, 'headers' | 'rows'> {
  const firstLine = text.slice(0, text.search(/\r?\n/) >>> 0 || text.length)
  const count = (ch: string) => firstLine.split(ch).length - 1
  const delimiter = [',', '\t', ';'].sort((a, b) => count(b) - count(a))[0]!
  let records: { record: string[]; info: { lines: number } }[]
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, info: true, to: maxRows + 2 }) as never
  } catch (e) {
    throw new FileError(`the CSV cannot be read: ${(e as Error).message.slice(0, 200)}`)
  }
  if (records.length === 0) throw new FileError('the file is empty')
  if (records.length > maxRows + 1) tooMany(maxRows)
  const headers = records[0]!.record.map((h) => h.trim())
  const rows = records.slice(1).map(({ record, info }): FileRow => {
    const cells: Record<string, Cell> = {}
    headers.forEach((h, k) => (cells[h] = record[k] === undefined || record[k]!.trim() === '' ? null : record[k]!.trim()))
    return { row: info.lines, cells }
  })
  return { headers, rows }
}

const pad = (n: number) => String(n).padStart(2, '0')

/** A cell of a worksheet as text or a number: dates as the wall time Excel shows (exceljs gives them as UTC). */
function xlsxCell(cell: ExcelJS.Cell): Cell {
  const v = cell.value
  if (v === null || v === undefined) return null
  if (v instanceof Date) {
    const date = `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`
    const hasTime = /[hHs]/.test(cell.numFmt ?? '') || v.getUTCHours() + v.getUTCMinutes() + v.getUTCSeconds() > 0
    return hasTime ? `${date} ${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}` : date
  }
  if (typeof v === 'number' || typeof v === 'boolean') return v
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim()
  if (typeof v === 'object') {
    if ('result' in v) return v.result instanceof Date ? xlsxCell({ ...cell, value: v.result } as ExcelJS.Cell) : ((v.result ?? null) as Cell)
    if ('richText' in v) return v.richText.map((r) => r.text).join('').trim() || null
    if ('text' in v) return String(v.text).trim() || null
  }
  return String(v)
}

async function readXlsx(bytes: Uint8Array, maxRows: number): Promise<FileTable> {
  const book = new ExcelJS.Workbook()
  try {
    await book.xlsx.load(Buffer.from(bytes) as never)
  } catch {
    throw new FileError('the file is not a readable .xlsx workbook')
  }
  const sheet = book.worksheets[0]
  if (!sheet || sheet.rowCount === 0) throw new FileError('the workbook’s first sheet is empty')
  if (sheet.rowCount > maxRows + 1) tooMany(maxRows)
  const head = sheet.getRow(1)
  const headers: string[] = []
  for (let k = 1; k <= head.cellCount; k++) headers.push(String(xlsxCell(head.getCell(k)) ?? '').trim())
  const rows: FileRow[] = []
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r)
    if (!row.hasValues) continue
    const cells: Record<string, Cell> = {}
    headers.forEach((h, k) => {
      const v = xlsxCell(row.getCell(k + 1))
      cells[h] = typeof v === 'string' && v === '' ? null : v
    })
    rows.push({ row: r, cells })
  }
  return { format: 'xlsx', encoding: null, headers, rows }
}

// ---------------------------------------------------------------------------------------------
// Zipped Shapefiles

/** What one file inside a zip may expand to (a zip bomb is refused, not inflated into memory). */
const ZIP_ENTRY_MAX = 256 * 1024 * 1024
const inflate = promisify(inflateRaw)

/**
 * The entries of a zip (but-unzip). Its search for the zip's directory runs forever on bytes that
 * start like a zip but have no end-of-directory record, so that record is looked for here first (in
 * the last 64 kB + 22 bytes, where the format puts it).
 */
function zipEntries(bytes: Uint8Array) {
  const from = Math.max(0, bytes.length - 65_557)
  let found = false
  for (let i = bytes.length - 22; i >= from && !found; i--) found = bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x05 && bytes[i + 3] === 0x06
  if (!found) throw new FileError('the file is not a readable zip archive')
  try {
    return unzip(bytes, (raw) => inflate(raw, { maxOutputLength: ZIP_ENTRY_MAX }))
  } catch {
    throw new FileError('the file is not a readable zip archive')
  }
}

/** A .cpg's code page as a TextDecoder label (Chinese offices write 936, CP936, GBK, ANSI 936…). */
export function codePage(cpg: string): string | null {
  const c = cpg.trim().toLowerCase().replace(/^ansi\s*/, '')
  if (c === '') return null
  if (['936', 'cp936', 'gbk', 'gb2312', 'x-gbk', 'ms936', 'windows-936'].includes(c)) return 'gbk'
  if (['54936', 'gb18030', 'cp54936'].includes(c)) return 'gb18030'
  if (['65001', 'utf-8', 'utf8', 'cp65001'].includes(c)) return 'utf-8'
  try {
    return new TextDecoder(c).encoding
  } catch {
    return /^\d+$/.test(c) ? codePage(`windows-${c}`) : null
  }
}

/**
 * A zipped Shapefile: its one layer (.shp with its .dbf; several layers are refused — zip them one
 * by one), the attributes decoded as `encoding` says, else as the .cpg says, else UTF-8 unless that
 * leaves undecodable bytes (then GB18030); the geometry converted to WGS 84 when a .prj says what
 * it is in (a .prj proj4 cannot read is refused: the crs parameter must say it, without the .prj).
 */
async function readShapefile(bytes: Uint8Array, encoding: ImportEncoding, maxRows: number): Promise<FileTable> {
  const files = new Map<string, Uint8Array>()
  for (const e of zipEntries(bytes)) {
    if (e.filename.includes('__MACOSX') || e.filename.endsWith('/')) continue
    try {
      files.set(e.filename, await e.read())
    } catch {
      throw new FileError(`${e.filename} in the zip cannot be read (damaged, or larger than ${ZIP_ENTRY_MAX / 1024 / 1024} MB unpacked)`)
    }
  }
  const layers = [...files.keys()].filter((n) => /\.shp$/i.test(n))
  if (layers.length === 0) throw new FileError('the zip holds no .shp file')
  if (layers.length > 1) throw new FileError(`the zip holds ${layers.length} Shapefiles (${layers.slice(0, 5).join(', ')}); import them one at a time`)
  const base = layers[0]!.slice(0, -4)
  const part = (ext: string) => [...files.entries()].find(([n]) => n.toLowerCase() === `${base}.${ext}`.toLowerCase())?.[1]
  const shpBytes = part('shp')!
  const dbf = part('dbf')
  const prj = part('prj')
  const cpg = part('cpg')
  const prjText = prj === undefined ? null : new TextDecoder().decode(prj).trim()
  let geometries: unknown[]
  try {
    if (prjText) {
      // shpjs turns a .prj it cannot read into "no projection": say so rather than keep projected coordinates
      const proj4 = (await import('proj4')).default
      try {
        proj4(prjText)
      } catch {
        throw new FileError('the Shapefile’s .prj is not a coordinate system this importer can read; leave it out and give the crs parameter (e.g. EPSG:4547)')
      }
    }
    geometries = parseShp(shpBytes, prjText ?? undefined)
  } catch (e) {
    if (e instanceof FileError) throw e
    throw new FileError(`the .shp cannot be read: ${(e as Error).message.slice(0, 200)}`)
  }
  const chosen = encoding === 'auto' ? (cpg === undefined ? null : codePage(new TextDecoder().decode(cpg))) : encoding
  let used = chosen ?? 'utf-8'
  let attributes: Record<string, unknown>[] = []
  if (dbf !== undefined) {
    try {
      attributes = parseDbf(dbf, used)
      if (chosen === null && attributes.some((a) => Object.entries(a).some(([k, v]) => k.includes('\ufffd') || (typeof v === 'string' && v.includes('\ufffd'))))) {
        used = 'gb18030'
        attributes = parseDbf(dbf, used)
      }
    } catch (e) {
      throw new FileError(`the .dbf cannot be read: ${(e as Error).message.slice(0, 200)}`)
    }
  }
  const features = geometries.map((geometry, k) => ({ type: 'Feature', geometry, properties: attributes[k] ?? {} }))
  return { format: 'shp', encoding: dbf === undefined ? null : used, ...featureTable(features, maxRows), wgs84: prjText !== null }
}
