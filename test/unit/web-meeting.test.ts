import { describe, expect, test } from 'vitest'
import type { MeetingPack, MeetingZone } from '../../web/src/meeting/api'
import { sortRows } from '../../web/src/lib/sort'
import { metresPerPixel, monthOf, presetOf, presetPeriod, projectorPages, quarterOf, scaleBar, sortZones, stepPage, formatLength } from '../../web/src/meeting/model'

describe('the meeting view’s periods', () => {
  test('months and quarters, across year ends and leap years', () => {
    expect(monthOf('2012-11-17')).toEqual({ from: '2012-11-01', to: '2012-11-30' })
    expect(monthOf('2012-01-05', -1)).toEqual({ from: '2011-12-01', to: '2011-12-31' })
    expect(monthOf('2024-03-31', -1)).toEqual({ from: '2024-02-01', to: '2024-02-29' })
    expect(monthOf('2023-03', -1)).toEqual({ from: '2023-02-01', to: '2023-02-28' })
    expect(monthOf('2018-12-31', 1)).toEqual({ from: '2019-01-01', to: '2019-01-31' })
    expect(quarterOf('2012-11-17')).toEqual({ from: '2012-10-01', to: '2012-12-31' })
    expect(quarterOf('2012-02-17', -1)).toEqual({ from: '2011-10-01', to: '2011-12-31' })
    expect(quarterOf('2012-06-30')).toEqual({ from: '2012-04-01', to: '2012-06-30' })
  })

  test('presets count from the latest date with data, and a period names its preset', () => {
    expect(presetPeriod('month', '2018-12-20')).toEqual({ from: '2018-12-01', to: '2018-12-31' })
    expect(presetPeriod('previousMonth', '2018-12-20')).toEqual({ from: '2018-11-01', to: '2018-11-30' })
    expect(presetPeriod('previousQuarter', '2018-12-20')).toEqual({ from: '2018-07-01', to: '2018-09-30' })
    expect(presetOf({ from: '2018-10-01', to: '2018-12-31' }, '2018-12-20')).toBe('quarter')
    expect(presetOf({ from: '2018-10-02', to: '2018-12-31' }, '2018-12-20')).toBeNull()
  })
})

const zone = (code: string | null, count: number, night: number | null, mediation: [number, number] = [0, 0]): MeetingZone =>
  ({
    zoneId: code === null ? null : Number(code.slice(1)),
    zoneCode: code,
    zoneName: null,
    incidents: { total: { count, previous: 0, rateRatio: null, p: null, verdict: 'unknown' }, byCategory: {} },
    hotspots: { new: 0, persistent: 0, gone: 0 },
    coverage: night === null ? null : { windows: { night: { areaCoveredPct: night, buildingsCoveredPct: 0, householdsCoveredPct: 0 } }, captainedBuildingsPct: 0, captainedHouseholdsPct: 0, buildings: 0, buildingsCaptained: 0 },
    priorityGaps: 0,
    patrols: null,
    disputes: { screened: 0, mediationRate: { numerator: mediation[0], denominator: mediation[1], rate: mediation[1] === 0 ? null : mediation[0] / mediation[1] }, successRate: { numerator: 0, denominator: 0, rate: null }, resolvedInCommunity: { numerator: 0, denominator: 0, rate: null }, escalations: 0, petitions: 0 },
    problems: { open: 0, overdue: 0 },
  }) as MeetingZone

describe('the per-zone table', () => {
  const pack = { zones: [zone('G10', 5, 40, [1, 2]), zone('G2', 9, null, [0, 0]), zone('G3', 5, 80, [3, 3]), zone(null, 2, null)] } as unknown as MeetingPack
  const codes = (zs: MeetingZone[]) => zs.map((z) => z.zoneCode)

  test('codes in natural order, figures by value with ties by code, the unzoned line always last', () => {
    expect(codes(sortZones(pack, 'zone', 'ascending'))).toEqual(['G2', 'G3', 'G10', null])
    expect(codes(sortZones(pack, 'zone', 'descending'))).toEqual(['G10', 'G3', 'G2', null])
    expect(codes(sortZones(pack, 'incidents', 'descending'))).toEqual(['G2', 'G3', 'G10', null])
    expect(codes(sortZones(pack, 'incidents', 'ascending'))).toEqual(['G3', 'G10', 'G2', null])
  })

  test('a zone without a figure (no coverage, a rate over nothing) goes last either way', () => {
    expect(codes(sortZones(pack, 'night', 'descending'))).toEqual(['G3', 'G10', 'G2', null])
    expect(codes(sortZones(pack, 'night', 'ascending'))).toEqual(['G10', 'G3', 'G2', null])
    expect(codes(sortZones(pack, 'mediation', 'ascending'))).toEqual(['G10', 'G3', 'G2', null])
    expect(sortRows([3, null, 1], (v) => v, 'descending')).toEqual([3, 1, null])
  })
})

describe('the projector', () => {
  test('the topics, then a page per zone by code; the keys step within bounds', () => {
    const pack = { zones: [zone('G10', 1, 0), zone('G2', 1, 0), zone(null, 1, null)] } as unknown as MeetingPack
    const pages = projectorPages(pack)
    expect(pages.map((p) => (p.kind === 'zone' ? `zone:${p.zoneId}` : p.kind))).toEqual(['title', 'scorecard', 'incidents', 'hotspots', 'coverage', 'gaps', 'people', 'zone:2', 'zone:10'])
    expect(stepPage('ArrowRight', 0, 9)).toBe(1)
    expect(stepPage('ArrowRight', 8, 9)).toBe(8)
    expect(stepPage('ArrowLeft', 0, 9)).toBe(0)
    expect(stepPage('PageUp', 5, 9)).toBe(4)
    expect(stepPage('End', 2, 9)).toBe(8)
    expect(stepPage('Home', 7, 9)).toBe(0)
    expect(stepPage('a', 3, 9)).toBeNull()
  })
})

describe('the printed map’s scale bar', () => {
  test('metres per pixel of web mercator with 512-pixel tiles', () => {
    expect(metresPerPixel(0, 0)).toBeCloseTo(78271.517, 3)
    expect(metresPerPixel(15, 60)).toBeCloseTo(78271.517 / 2 ** 15 / 2, 6)
  })

  test('the longest round length that fits a quarter of the picture, and its share of the width', () => {
    expect(scaleBar(1, 1000)).toEqual({ metres: 200, fraction: 0.2 })
    expect(scaleBar(2.5, 800)).toEqual({ metres: 500, fraction: 0.25 })
    expect(scaleBar(0.7, 600)).toEqual({ metres: 100, fraction: 100 / 420 })
    expect(formatLength(500)).toBe('500 m')
    expect(formatLength(2000)).toBe('2 km')
  })
})
