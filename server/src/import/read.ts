/**
 * Reading an uploaded file into rows: the text encoding (UTF-8 with or without a BOM, GBK/GB18030 —
 * what Excel in China saves CSV as — detected or chosen), then the format: GeoJSON, CSV (comma, tab
 * or semicolon separated; csv-parse) or .xlsx (the first worksheet; exceljs). Nothing here knows
 * layers: a row is its number in the file, its cells by header, and a GeoJSON geometry when the
 * file has one. A file that cannot be read at all is a FileError (400), never a 500.
 */
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import type { ImportEncoding, ImportFormat } from '../contract.js'

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
}

export interface FileTable {
  format: Exclude<ImportFormat, 'auto'>
  /** the text encoding read (null: xlsx, which has its own) */
  encoding: string | null
  headers: string[]
  rows: FileRow[]
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
  if (ext === 'geojson' || ext === 'json') return 'geojson'
  if (ext === 'csv' || ext === 'txt' || ext === 'tsv') return 'csv'
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'xlsx' // PK: a zip
  let i = 0
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++
  return bytes[i] === 0x7b ? 'geojson' : 'csv'
}

/** Reads a file into rows (at most `maxRows`; more is a FileError). */
export async function readFile(bytes: Uint8Array, format: Exclude<ImportFormat, 'auto'>, encoding: ImportEncoding, maxRows: number): Promise<FileTable> {
  if (format === 'xlsx') return readXlsx(bytes, maxRows)
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
