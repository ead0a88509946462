/** The parts of shpjs (no types published) the importer uses. */
declare module 'shpjs' {
  /** The geometries of a .shp as GeoJSON, converted to WGS 84 when `prj` (a .prj's text) is given. */
  export function parseShp(shp: Uint8Array, prj?: string): unknown[]
  /** The records of a .dbf, text decoded with the `cpg` label. */
  export function parseDbf(dbf: Uint8Array, cpg?: string): Record<string, unknown>[]
}
