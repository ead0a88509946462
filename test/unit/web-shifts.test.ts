import { describe, expect, test } from 'vitest'
import { routeFeatures, routePartId } from '../../web/src/lib/route-features'
import { dayRanges, routeShiftClasses, shiftClass, shiftInService, SHIFT_DASH } from '../../web/src/lib/shifts'

const DAY = { days: [1, 2, 3, 4, 5], start: '08:00', end: '16:00' }
const EVENING = { days: [1, 2, 3, 4, 5, 6, 7], start: '16:00', end: '22:00' }
const NIGHT = { days: [5, 6], start: '22:00', end: '06:00' }

describe('parts of the day', () => {
  test('a shift belongs to the part of the day its middle falls in', () => {
    expect(shiftClass(DAY)).toBe('day')
    expect(shiftClass(EVENING)).toBe('evening')
    expect(shiftClass(NIGHT)).toBe('night')
    expect(shiftClass({ start: '06:00', end: '12:00' })).toBe('day')
    expect(shiftClass({ start: '12:00', end: '20:00' })).toBe('evening')
    expect(shiftClass({ start: '00:00', end: '06:00' })).toBe('night')
    expect(shiftClass({ start: '20:00', end: '23:00' })).toBe('night')
  })

  test('a route lists each part once, in day–evening–night order', () => {
    expect(routeShiftClasses([NIGHT, DAY, NIGHT])).toEqual(['day', 'night'])
    expect(routeShiftClasses([])).toEqual([])
  })

  test('day is solid, evening dashed, night dotted', () => {
    expect(SHIFT_DASH.day[1]).toBe(0)
    expect(SHIFT_DASH.evening[0]).toBeGreaterThan(SHIFT_DASH.night[0]!)
  })
})

describe('a shift in service during the filter’s hours and weekdays', () => {
  test('no hours and no weekdays: every shift is in service', () => {
    expect(shiftInService(DAY, null, null)).toBe(true)
  })

  test('windows across midnight meet night shifts, not day shifts', () => {
    const lateNight = { start: 22 * 60, end: 2 * 60 }
    expect(shiftInService(NIGHT, lateNight, null)).toBe(true)
    expect(shiftInService(DAY, lateNight, null)).toBe(false)
    expect(shiftInService(EVENING, lateNight, null)).toBe(false) // ends at 22:00 sharp
  })

  test('the part of a night shift after midnight belongs to the next weekday', () => {
    // Friday and Saturday night shifts run into Saturday and Sunday mornings.
    const early = { start: 1 * 60, end: 3 * 60 }
    expect(shiftInService(NIGHT, early, [6])).toBe(true)
    expect(shiftInService(NIGHT, early, [7])).toBe(true)
    expect(shiftInService(NIGHT, early, [5])).toBe(false)
    // Sunday night runs into Monday morning.
    expect(shiftInService({ days: [7], start: '22:00', end: '06:00' }, early, [1])).toBe(true)
  })

  test('weekdays alone select shifts on those days', () => {
    expect(shiftInService(DAY, null, [6, 7])).toBe(false)
    expect(shiftInService(EVENING, null, [6, 7])).toBe(true)
  })

  test('weekdays are written as ranges', () => {
    expect(dayRanges([1, 2, 3, 4, 5])).toEqual([[1, 5]])
    expect(dayRanges([6, 1, 3, 4])).toEqual([
      [1, 1],
      [3, 4],
      [6, 6],
    ])
  })
})

describe('routes drawn per part of the day', () => {
  function createRoutes() {
    const line = { type: 'LineString' as const, coordinates: [[0, 0], [1, 1]] }
    return {
      type: 'FeatureCollection' as const,
      features: [
        { type: 'Feature' as const, geometry: line, properties: { id: 1, name: 'R01', shifts: [EVENING, NIGHT] } },
        { type: 'Feature' as const, geometry: line, properties: { id: 2, name: 'R02', shifts: [DAY] } },
        { type: 'Feature' as const, geometry: line, properties: { id: 3, name: 'R03', shifts: [] } },
      ],
    }
  }

  test('give one feature per route and part, side by side, each with its own id', () => {
    const fc = routeFeatures(createRoutes(), { hours: null, weekdays: null })
    expect(fc.features.map((f) => [f.properties.routeId, f.properties.shiftClass, f.properties.lane, f.id])).toEqual([
      [1, 'evening', -0.5, routePartId(1, 'evening')],
      [1, 'night', 0.5, routePartId(1, 'night')],
      [2, 'day', 0, routePartId(2, 'day')],
      [3, 'day', 0, routePartId(3, 'day')],
    ])
    expect(new Set(fc.features.map((f) => f.id)).size).toBe(4)
  })

  test('mark the parts out of service in the chosen hours; a route without shifts never serves', () => {
    const fc = routeFeatures(createRoutes(), { hours: { start: 22 * 60, end: 2 * 60 }, weekdays: null })
    expect(fc.features.map((f) => [f.properties.routeId, f.properties.shiftClass, f.properties.inService])).toEqual([
      [1, 'evening', false],
      [1, 'night', true],
      [2, 'day', false],
      [3, 'day', false],
    ])
  })
})
