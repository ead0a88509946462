/** The meeting tables as .xlsx, read back with the same library (exceljs). */
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import type { Table } from '../../server/src/export/tables.js'
import { xlsxWriter, type ExcelLib } from '../../server/src/export/xlsx.js'

const lib = ExcelJS as unknown as ExcelLib

/** What the tests read back with (exceljs's Workbook, reading). */
interface Read {
  xlsx: { load(b: Uint8Array): Promise<unknown> }
  worksheets: { name: string; rowCount: number; getRow(i: number): { values: unknown[] }; views: { state?: string; ySplit?: number }[] }[]
}
const reader = (): Read => new (lib.Workbook as unknown as new () => Read)()

const zones: Table = {
  name: { zh: '网格', en: 'Zones' },
  columns: [
    { zh: '网格', en: 'Zone' },
    { zh: '警情（本期）', en: 'Incidents (this period)' },
    { zh: 'p 值', en: 'p' },
    { zh: '变化', en: 'Change' },
  ],
  rows: [
    ['G01', 4, 0.6875, '无明显变化'],
    ['G02', 12, 0.0004883, '上升'],
    ['全社区', 16, null, '上升'],
  ],
}
const scorecard: Table = { name: { zh: '指标', en: 'Scorecard' }, columns: [{ zh: '指标', en: 'Indicator' }, { zh: '目标', en: 'Target' }], rows: [['调解率', 100]] }

describe('the meeting tables as .xlsx (exceljs)', () => {
  it('writes a sheet per table that reads back with the same headers and numbers, the header row frozen', async () => {
    const bytes = await xlsxWriter(lib)([zones, scorecard], 'zh')
    const wb = reader()
    await wb.xlsx.load(bytes)
    expect(wb.worksheets.map((w) => w.name)).toEqual(['网格', '指标'])
    const ws = wb.worksheets[0]!
    expect(ws.rowCount).toBe(4)
    expect(ws.getRow(1).values.slice(1)).toEqual(['网格', '警情（本期）', 'p 值', '变化'])
    expect(ws.getRow(2).values.slice(1)).toEqual(['G01', 4, 0.6875, '无明显变化'])
    expect(ws.getRow(4).values.slice(1, 3)).toEqual(['全社区', 16])
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
  })

  it('names the sheets and headers in English on request', async () => {
    const wb = reader()
    await wb.xlsx.load(await xlsxWriter(lib)([zones], 'en'))
    expect(wb.worksheets[0]!.name).toBe('Zones')
    expect(wb.worksheets[0]!.getRow(1).values[1]).toBe('Zone')
  })
})
