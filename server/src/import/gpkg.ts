/**
 * Reading a GeoPackage (OGC 12-128r18, what QGIS saves by default): an SQLite file, opened with
 * sql.js (SQLite compiled to WebAssembly — no native module, nothing written to disk). The feature
 * table is the file's only one, or the one named as the layer being imported; its columns become the
 * row's cells, its geometry (GeoPackage binary: a small header, then standard WKB) is handed on as
 * WKB for PostGIS to read, and its coordinate system is the EPSG code the file's spatial reference
 * table gives (projected data included; an undefined system leaves it to the `crs` parameter).
 */
import initSqlJs, { type Database, type SqlJsStatic, type SqlValue } from 'sql.js'
import { FileError, type Cell, type FileRow, type FileTable } from './read.js'

let engine: Promise<SqlJsStatic> | null = null
/** sql.js, compiled once per process (about 30 ms) on the first GeoPackage. */
const sqlite = () => (engine ??= initSqlJs())

const SQLITE_MAGIC = 'SQLite format 3\u0000'

/** Whether the bytes are an SQLite database (a GeoPackage is one). */
export const isSqlite = (bytes: Uint8Array) => bytes.length >= 16 && new TextDecoder('latin1').decode(bytes.subarray(0, 16)) === SQLITE_MAGIC

/** An SQL identifier quoted for SQLite. */
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`

function rowsOf(db: Database, query: string, params: SqlValue[] = []): Record<string, SqlValue>[] {
  const stmt = db.prepare(query, params)
  const out: Record<string, SqlValue>[] = []
  try {
    while (stmt.step()) out.push(stmt.getAsObject())
  } finally {
    stmt.free()
  }
  return out
}

/**
 * The WKB of a GeoPackage geometry blob, or null for an empty geometry: magic "GP", version, flags
 * (bit 0 byte order of the header, bits 1–3 the envelope's kind, bit 4 empty), the srs id, the
 * envelope (0, 32, 48 or 64 bytes), then the WKB. A blob that is not one throws.
 */
export function gpkgWkb(blob: Uint8Array): Uint8Array | null {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) throw new Error('not a GeoPackage geometry')
  const flags = blob[3]!
  if ((flags >> 5) & 1) throw new Error('an extended GeoPackage geometry')
  const envelope = [0, 32, 48, 48, 64][(flags >> 1) & 7]
  if (envelope === undefined) throw new Error('an unknown envelope kind')
  if ((flags >> 4) & 1) return null
  const wkb = blob.subarray(8 + envelope)
  if (wkb.length < 5) throw new Error('a truncated geometry')
  return wkb
}

/**
 * Reads the feature table of a GeoPackage into rows (at most `maxRows`; more is a FileError): cells
 * by column name (the primary key last, so a column `id` of the data wins over SQLite's `fid`), the
 * geometry as WKB (`wkb`; a blob that is no geometry leaves it undefined and the row is reported).
 * `layer`: the table chosen when the file holds several.
 */
export async function readGeoPackage(bytes: Uint8Array, maxRows: number, layer: string): Promise<FileTable & { srid: number | null }> {
  if (!isSqlite(bytes)) throw new FileError('the file is not a GeoPackage (not an SQLite database)')
  const SQL = await sqlite()
  let db: Database
  try {
    db = new SQL.Database(bytes)
  } catch {
    throw new FileError('the GeoPackage cannot be opened')
  }
  try {
    let tables: Record<string, SqlValue>[]
    try {
      tables = rowsOf(db, `select c.table_name as name, g.column_name as geom, g.srs_id as srs from gpkg_contents as c join gpkg_geometry_columns as g using (table_name) where c.data_type = 'features' order by c.table_name`)
    } catch {
      throw new FileError('the file is an SQLite database but no GeoPackage (it has no gpkg_contents)')
    }
    if (tables.length === 0) throw new FileError('the GeoPackage has no feature table')
    const names = tables.map((t) => String(t.name))
    const chosen = tables.length === 1 ? tables[0]! : tables.find((t) => String(t.name).toLowerCase() === layer.toLowerCase())
    if (!chosen) throw new FileError(`the GeoPackage has ${tables.length} feature tables (${names.slice(0, 10).join(', ')}); keep the one to import, or name it "${layer}"`)
    const table = String(chosen.name)
    const geomColumn = String(chosen.geom)
    const [srs] = rowsOf(db, `select organization as org, organization_coordsys_id as code from gpkg_spatial_ref_sys where srs_id = ?`, [chosen.srs ?? null])
    const srid = srs && String(srs.org).toUpperCase() === 'EPSG' && Number(srs.code) > 0 ? Number(srs.code) : null

    const info = rowsOf(db, `pragma table_info(${ident(table)})`)
    const keys = info.filter((c) => Number(c.pk) > 0).map((c) => String(c.name))
    const headers = [...info.map((c) => String(c.name)).filter((n) => n !== geomColumn && !keys.includes(n)), ...keys]
    const [{ n }] = rowsOf(db, `select count(*) as n from ${ident(table)}`) as [{ n: number }]
    if (n > maxRows) throw new FileError(`the file has more than ${maxRows} rows; split it`)
    const stmt = db.prepare(`select * from ${ident(table)}`)
    const rows: FileRow[] = []
    try {
      while (stmt.step()) {
        const values = stmt.getAsObject()
        const cells: Record<string, Cell> = {}
        for (const h of headers) {
          const v = values[h]
          cells[h] = v === undefined || v === null ? null : v instanceof Uint8Array ? null : v
        }
        const blob = values[geomColumn]
        let wkb: Uint8Array | null | false = null
        if (blob instanceof Uint8Array)
          try {
            wkb = gpkgWkb(blob)
          } catch {
            wkb = false
          }
        rows.push({ row: rows.length + 1, cells, wkb })
      }
    } finally {
      stmt.free()
    }
    return { format: 'gpkg', encoding: 'utf-8', headers, rows, srid }
  } catch (e) {
    // a damaged or truncated file: SQLite says so when a page is read, wherever that is
    if (e instanceof FileError) throw e
    throw new FileError(`the GeoPackage cannot be read (${String((e as Error).message ?? e).slice(0, 120)})`)
  } finally {
    db.close()
  }
}
