/**
 * The meeting tables as an .xlsx workbook (issue 13, "Spreadsheet"): one sheet per table, the header
 * row bold and frozen, columns sized to their text, numbers kept as numbers. Written with exceljs
 * (`xlsxWriter(ExcelJS)`): the `SheetWriter` that takes the same tables as the CSV — a workbook and a
 * CSV cannot disagree.
 */
import ExcelJS from 'exceljs'
import type { Lang } from '../contract.js'
import type { SheetWriter, Table } from './tables.js'

/** The part of exceljs this writer uses (its `Workbook` class). */
export interface ExcelLib {
  Workbook: new () => {
    creator: string
    created: Date
    addWorksheet(name: string, options?: { views?: { state: 'frozen'; ySplit: number }[] }): {
      addRow(values: (string | number | null)[]): { font: unknown }
      columns: { width?: number }[]
    }
    xlsx: { writeBuffer(): Promise<ArrayBuffer | Uint8Array> }
  }
}

/** Sheet names: at most 31 characters, none of : \ / ? * [ ]. */
const sheetName = (s: string) => s.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31)

/** A writer of `tables` into one workbook, headers in `lang`. */
export function xlsxWriter(lib: ExcelLib): SheetWriter {
  return async (tables: Table[], lang: Lang) => {
    const wb = new lib.Workbook()
    wb.creator = 'safegrid'
    wb.created = new Date()
    for (const t of tables) {
      const ws = wb.addWorksheet(sheetName(t.name[lang]), { views: [{ state: 'frozen', ySplit: 1 }] })
      const header = ws.addRow(t.columns.map((c) => c[lang]))
      header.font = { bold: true }
      for (const r of t.rows) ws.addRow(r)
      ws.columns = t.columns.map((c, k) => ({ width: Math.min(40, Math.max(8, ...[c[lang], ...t.rows.map((r) => String(r[k] ?? ''))].map((s) => [...s].length + 2))) }))
    }
    const buf = await wb.xlsx.writeBuffer()
    return buf instanceof Uint8Array ? buf : new Uint8Array(buf)
  }
}

/** The workbook writer of the server. */
export const excelWriter: SheetWriter = xlsxWriter(ExcelJS as unknown as ExcelLib)
