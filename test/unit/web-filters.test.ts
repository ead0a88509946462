import { describe, expect, test } from 'vitest'
import {
  addDays,
  crossesMidnight,
  filterQuery,
  formatHours,
  isIsoDate,
  isUnfiltered,
  matchMonth,
  matchPreset,
  monthRange,
  NO_FILTER,
  parseFilter,
  parseHours,
  presetRange,
  weekdaySetName,
} from '../../web/src/lib/filters'

describe('period presets', () => {
  test('count back from the latest day of the data, inclusive', () => {
    expect(presetRange('last7', '2019-12-30')).toEqual({ from: '2019-12-24', to: '2019-12-30' })
    expect(presetRange('last30', '2019-12-30')).toEqual({ from: '2019-12-01', to: '2019-12-30' })
    expect(presetRange('last90', '2019-12-30')).toEqual({ from: '2019-10-02', to: '2019-12-30' })
    expect(presetRange('all', '2019-12-30')).toEqual({ from: null, to: null })
  })

  test('this month runs to the anchor, last month is the whole month before', () => {
    expect(presetRange('thisMonth', '2019-12-30')).toEqual({ from: '2019-12-01', to: '2019-12-30' })
    expect(presetRange('lastMonth', '2019-12-30')).toEqual({ from: '2019-11-01', to: '2019-11-30' })
    expect(presetRange('lastMonth', '2020-03-15')).toEqual({ from: '2020-02-01', to: '2020-02-29' })
    expect(presetRange('lastMonth', '2019-01-10')).toEqual({ from: '2018-12-01', to: '2018-12-31' })
  })

  test('a from/to pair is recognised as its preset, anything else is custom', () => {
    expect(matchPreset('2019-12-01', '2019-12-30', '2019-12-30')).toBe('last30')
    expect(matchPreset(null, null, '2019-12-30')).toBe('all')
    expect(matchPreset('2019-11-01', '2019-11-30', '2019-12-30')).toBe('lastMonth')
    expect(matchPreset('2012-07-01', '2012-09-30', '2019-12-30')).toBe('custom')
    expect(matchPreset('2019-12-01', '2019-12-30', null)).toBe('custom')
  })

  test('date arithmetic crosses months and leap days', () => {
    expect(addDays('2012-03-01', -1)).toBe('2012-02-29')
    expect(addDays('2019-12-31', 1)).toBe('2020-01-01')
    expect(isIsoDate('2019-02-29')).toBe(false)
    expect(isIsoDate('2020-02-29')).toBe(true)
    expect(isIsoDate('2020-2-9')).toBe(false)
  })
})

describe('months with data', () => {
  test('a month is its first to its last day, leap years and December included', () => {
    expect(monthRange('2018-12')).toEqual({ from: '2018-12-01', to: '2018-12-31' })
    expect(monthRange('2012-02')).toEqual({ from: '2012-02-01', to: '2012-02-29' })
    expect(monthRange('2019-02')).toEqual({ from: '2019-02-01', to: '2019-02-28' })
    expect(monthRange('2019-04')).toEqual({ from: '2019-04-01', to: '2019-04-30' })
  })

  test('a period is a month only when it is exactly that whole month', () => {
    const months = ['2019-12', '2018-12', '2012-07']
    expect(matchMonth('2018-12-01', '2018-12-31', months)).toBe('2018-12')
    expect(matchMonth('2018-12-01', '2018-12-30', months)).toBeNull()
    expect(matchMonth('2018-11-01', '2018-11-30', months)).toBeNull() // a month without data is not offered
    expect(matchMonth(null, '2018-12-31', months)).toBeNull()
  })
})

describe('time of day', () => {
  test('windows parse like the server’s and may cross midnight', () => {
    expect(parseHours('22-02')).toEqual({ start: 1320, end: 120 })
    expect(parseHours('08:30-17:00')).toEqual({ start: 510, end: 1020 })
    expect(parseHours('22-24')).toEqual({ start: 1320, end: 0 })
    expect(parseHours('22-22')).toBeNull()
    expect(parseHours('25-02')).toBeNull()
    expect(parseHours('night')).toBeNull()
    expect(crossesMidnight({ start: 1320, end: 120 })).toBe(true)
    expect(crossesMidnight({ start: 1320, end: 0 })).toBe(true)
    expect(crossesMidnight({ start: 510, end: 1020 })).toBe(false)
  })

  test('whole hours are written short, others with minutes', () => {
    expect(formatHours({ start: 1320, end: 120 })).toBe('22-02')
    expect(formatHours({ start: 510, end: 1020 })).toBe('08:30-17:00')
  })
})

describe('filters as query parameters', () => {
  test('use the API’s names, in a fixed order, leaving out what is not restricted', () => {
    expect(filterQuery(NO_FILTER)).toBe('')
    expect(isUnfiltered(NO_FILTER)).toBe(true)
    const f = { from: '2012-07-01', to: '2012-09-30', categories: ['ROBBERY', 'DRUG/NARCOTIC'], hours: { start: 1320, end: 120 }, weekdays: [7, 6] }
    expect(filterQuery(f)).toBe('from=2012-07-01&to=2012-09-30&categories=ROBBERY%2CDRUG%2FNARCOTIC&hours=22-02&weekdays=6%2C7')
    expect(parseFilter(new URLSearchParams(filterQuery(f)))).toEqual({ ...f, weekdays: [6, 7] })
  })

  test('malformed parts of a hand-edited link are dropped, not fatal', () => {
    const f = parseFilter(new URLSearchParams('from=2012-13-01&to=2012-09-30&categories=,&hours=25-02&weekdays=0,8,x'))
    expect(f).toEqual({ from: null, to: '2012-09-30', categories: null, hours: null, weekdays: null })
    expect(parseFilter(new URLSearchParams('from=2012-09-30&to=2012-07-01'))).toMatchObject({ from: null, to: null })
    expect(parseFilter(new URLSearchParams('weekdays=1,2,3,4,5,6,7')).weekdays).toBeNull()
  })

  test('weekday sets the bar names', () => {
    expect(weekdaySetName(null)).toBe('all')
    expect(weekdaySetName([5, 4, 3, 2, 1])).toBe('workdays')
    expect(weekdaySetName([6, 7])).toBe('weekend')
    expect(weekdaySetName([1, 3])).toBeNull()
  })
})
