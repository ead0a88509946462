import { describe, expect, it } from 'vitest'
import { daysOf, lastTwelveMonths, otherPeriod, statusOf, yearEarlier } from '../../server/src/analysis/meeting.js'
import { toCsv, type Table } from '../../server/src/export/tables.js'

describe('the other period of a meeting pack', () => {
  it('is the same number of days just before: a 28-day February against 4–31 January', () => {
    expect(otherPeriod('2031-02-01', '2031-02-28', 'previous')).toEqual({ from: '2031-01-04', to: '2031-01-31' })
    expect(daysOf('2031-01-04', '2031-01-31')).toBe(28)
  })

  it('compares a 92-day quarter (July–September) with the 92 days before it', () => {
    expect(otherPeriod('2031-07-01', '2031-09-30', 'previous')).toEqual({ from: '2031-03-31', to: '2031-06-30' })
  })

  it('is the same dates a year earlier, 29 February becoming 28 February', () => {
    expect(otherPeriod('2032-02-01', '2032-02-29', 'year')).toEqual({ from: '2031-02-01', to: '2031-02-28' })
    expect(yearEarlier('2031-12-31')).toBe('2030-12-31')
  })

  it('gives the 12 months ending with the period’s month, across a new year', () => {
    const months = lastTwelveMonths('2031-02-14')
    expect(months[0]).toEqual({ month: '2030-03', from: '2030-03-01', to: '2030-03-31' })
    expect(months[11]).toEqual({ month: '2031-02', from: '2031-02-01', to: '2031-02-28' })
    expect(months).toHaveLength(12)
  })
})

describe('the scorecard’s colours', () => {
  it('is green when an "at least" target is met, amber within 10 points, red beyond', () => {
    expect(statusOf('success_rate', 95, 95)).toBe('green')
    expect(statusOf('success_rate', 85, 95)).toBe('amber')
    expect(statusOf('success_rate', 84.99, 95)).toBe('red')
  })

  it('is green when an "at most" count is within the target, amber one over, red two over', () => {
    expect(statusOf('escalations', 0, 0)).toBe('green')
    expect(statusOf('escalations', 1, 0)).toBe('amber')
    expect(statusOf('escalations', 2, 0)).toBe('red')
  })

  it('has no colour without a value (a rate over nothing) or without a target', () => {
    expect(statusOf('mediation_rate', null, 100)).toBe('none')
    expect(statusOf('mediation_rate', 100, null)).toBe('none')
  })

  it('does not call floating-point noise a miss: 100 × 29/29 against 100', () => {
    expect(statusOf('mediation_rate', (100 * 29) / 29, 100)).toBe('green')
    expect(statusOf('captained_buildings', (100 * 1) / 3 * 3, 100)).toBe('green')
  })
})

describe('CSV of a table', () => {
  const table: Table = {
    name: { zh: '表', en: 'Table' },
    columns: [
      { zh: '网格', en: 'Zone' },
      { zh: '说明', en: 'Note' },
    ],
    rows: [
      ['G01', 'a, "quoted" note'],
      ['=HYPERLINK("x")', null],
      [-3, 'line\nbreak'],
    ],
  }

  it('starts with a byte-order mark, has CRLF line ends and headers in the language asked for', () => {
    const csv = toCsv(table, 'zh')
    expect(csv.startsWith('\uFEFF网格,说明\r\n')).toBe(true)
    expect(toCsv(table, 'en').startsWith('\uFEFFZone,Note\r\n')).toBe(true)
    expect(csv.endsWith('\r\n')).toBe(true)
  })

  it('quotes commas, quotes and line breaks, leaves empty cells empty, and keeps formulas as text', () => {
    const lines = toCsv(table, 'en').slice(1).split('\r\n')
    expect(lines[1]).toBe('G01,"a, ""quoted"" note"')
    expect(lines[2]).toBe(`"'=HYPERLINK(""x"")",`)
    expect(lines[3]).toBe('-3,"line\nbreak"')
  })
})
