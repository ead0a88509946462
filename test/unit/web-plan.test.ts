/** The planner's draft and the drafting helpers (web/src/plan): order, merging, what a form sends, split and merge of zones. */
import type { Polygon } from 'geojson'
import { describe, expect, test } from 'vitest'
import { addChange, changedFields, failedChange, newKey, planBody, putChange, rebase, removeChange, type Draft, type DraftChange } from '../../web/src/plan/draft'
import { areaM2, cleanNames, editablePolygon, mergeZones, nextZoneCode, parseClock, reachOf, recordedName, splitZone } from '../../web/src/plan/model'

const zoneChange = (id: number, set: Record<string, unknown>, version = 1): DraftChange => ({ key: `zone:${id}`, entity: 'zone', id, version, set, label: `G0${id}` })

describe('the draft', () => {
  test('a later change of the same row merges into it and moves to the end (where the server meets it after what it depends on)', () => {
    let d: Draft = [zoneChange(1, { name: 'a' }), zoneChange(2, { name: 'b' })]
    d = addChange(d, zoneChange(1, { teamId: 3 }))
    expect(d.map((c) => c.key)).toEqual(['zone:2', 'zone:1'])
    expect(d[1]!.set).toEqual({ name: 'a', teamId: 3 })
  })

  test('deleting a row drops its other changes; deleting a row the draft created drops its creation', () => {
    let d: Draft = [zoneChange(1, { name: 'a' }), { key: 'new:2', entity: 'route', set: { name: 'r' }, label: 'r' }]
    d = addChange(d, { ...zoneChange(1, {}), delete: true })
    expect(d.find((c) => c.key === 'zone:1')).toMatchObject({ delete: true, set: {} })
    d = addChange(d, { key: 'new:2', entity: 'route', delete: true, set: {}, label: 'r' })
    expect(d.map((c) => c.key)).toEqual(['zone:1'])
  })

  test('a form puts its change in place; a change back to the saved values leaves the draft', () => {
    let d: Draft = [zoneChange(1, { name: 'a' }), zoneChange(2, { name: 'b' })]
    d = putChange(d, 'zone:1', zoneChange(1, { name: 'c' }))
    expect(d.map((c) => [c.key, c.set.name])).toEqual([
      ['zone:1', 'c'],
      ['zone:2', 'b'],
    ])
    d = putChange(d, 'zone:1', zoneChange(1, {}))
    expect(d.map((c) => c.key)).toEqual(['zone:2'])
    expect(putChange(d, 'zone:9', null)).toBe(d)
  })

  test('the body: creations without id, changes with id and version, deletions without fields', () => {
    const d: Draft = [{ key: 'new:1', entity: 'team', set: { name: 'T', kind: 'police' }, label: 'T' }, zoneChange(2, { code: 'G9' }, 4), { ...zoneChange(3, {}, 2), delete: true }]
    expect(planBody(d)).toEqual({
      changes: [
        { entity: 'team', set: { name: 'T', kind: 'police' } },
        { entity: 'zone', id: 2, version: 4, set: { code: 'G9' } },
        { entity: 'zone', id: 3, version: 2, delete: true },
      ],
    })
    expect(newKey(d)).toBe('new:4')
  })

  test('a conflict: re-applying on their version, or taking theirs; the failing change is found by index', () => {
    const d: Draft = [zoneChange(1, { name: 'a' }, 1), zoneChange(2, { name: 'b' }, 1)]
    expect(rebase(d, 'zone:2', 5)[1]!.version).toBe(5)
    expect(removeChange(d, 'zone:1').map((c) => c.key)).toEqual(['zone:2'])
    expect(failedChange(d, { change: 1, current: {} })!.key).toBe('zone:2')
    expect(failedChange(d, {})).toBeNull()
    expect(failedChange([d[0]!], {})!.key).toBe('zone:1')
  })

  test('only the fields that differ from the saved row are sent, names compared by content', () => {
    const row = { name: 'A', names: { zh: '甲', en: 'A' }, teamId: 1, shifts: [{ days: [1], start: '22:00', end: '02:00' }] }
    expect(changedFields(row, { ...row, names: { en: 'A', zh: '甲' } }, ['name', 'names', 'teamId', 'shifts'])).toEqual({})
    expect(changedFields(row, { ...row, teamId: 2, names: { zh: '甲' } }, ['names', 'teamId'])).toEqual({ teamId: 2, names: { zh: '甲' } })
  })
})

describe('drafting helpers', () => {
  test('times of day as typed', () => {
    expect(['22', '2200', '22:00', '7:05', '705', '0', '23：59'].map(parseClock)).toEqual(['22:00', '22:00', '22:00', '07:05', '07:05', '00:00', '23:59'])
    expect(['24:00', '7:5', '12:60', '', 'ab', '22:00:00'].map(parseClock)).toEqual([null, null, null, null, null, null])
  })

  test('a new zone code follows the highest in use, at its width', () => {
    expect(nextZoneCode(['G01', 'G13', 'G02'])).toBe('G14')
    expect(nextZoneCode([])).toBe('G01')
    expect(nextZoneCode(['Z7'])).toBe('Z08')
  })

  test('names: the recorded one is the Chinese, else the English, else the old; empty ones are left out', () => {
    expect(recordedName({ zh: ' ', en: 'North' }, 'old')).toBe('North')
    expect(recordedName({}, 'old')).toBe('old')
    expect(cleanNames({ zh: ' 北区 ', en: '' })).toEqual({ zh: '北区' })
  })

  // a 100 m square near the demo (metres to degrees at 37.77°N)
  const dLat = 100 / 111_320
  const dLon = 100 / (111_320 * Math.cos((37.77 * Math.PI) / 180))
  const square = (x0: number, y0: number, w = 1): Polygon => ({
    type: 'Polygon',
    coordinates: [
      [
        [-122.42 + x0 * dLon, 37.77 + y0 * dLat],
        [-122.42 + (x0 + w) * dLon, 37.77 + y0 * dLat],
        [-122.42 + (x0 + w) * dLon, 37.77 + (y0 + 1) * dLat],
        [-122.42 + x0 * dLon, 37.77 + (y0 + 1) * dLat],
        [-122.42 + x0 * dLon, 37.77 + y0 * dLat],
      ],
    ],
  })

  test('splitting a zone by a drawn shape: the part inside becomes the new zone, the rest stays; the areas add up', () => {
    const zone = square(0, 0, 2)
    const parts = splitZone(zone, square(1, -0.5, 2))!
    expect(areaM2(parts.kept) + areaM2(parts.split)).toBeCloseTo(areaM2(zone), 0)
    // the cut covers x 1–3, y −0.5–0.5 of a zone x 0–2, y 0–1: a quarter of it
    expect(areaM2(parts.split) / areaM2(zone)).toBeCloseTo(0.25, 3)
    // a shape over all of the zone, or none of it, splits nothing
    expect(splitZone(zone, square(-1, -1, 4))).toBeNull()
    expect(splitZone(zone, square(5, 5))).toBeNull()
  })

  test('merging two neighbouring zones makes one shape of both areas; a one-part multipolygon is reshaped as a polygon', () => {
    const merged = mergeZones(square(0, 0), square(1, 0))!
    expect(areaM2(merged)).toBeCloseTo(areaM2(square(0, 0, 2)), 0)
    expect(editablePolygon({ type: 'MultiPolygon', coordinates: [square(0, 0).coordinates] })).toEqual(square(0, 0))
    expect(editablePolygon({ type: 'MultiPolygon', coordinates: [square(0, 0).coordinates, square(3, 0).coordinates] })).toBeNull()
  })

  test('the reach of a line as drawn: about 2 × reach × length plus the round ends', () => {
    const line = { type: 'LineString' as const, coordinates: [square(0, 0).coordinates[0]![0]!, square(0, 0).coordinates[0]![1]!] }
    const reach = reachOf(line, 50)!
    const expected = 2 * 50 * 100 + Math.PI * 50 * 50
    expect(Math.abs(areaM2(reach.geometry) - expected) / expected).toBeLessThan(0.03)
    expect(reachOf({ type: 'LineString', coordinates: [[0, 0]] }, 50)).toBeNull()
  })
})
