import { describe, expect, test } from 'vitest'
import { gapHatchImage } from '../../web/src/coverage/layers'
import { en } from '../../web/src/i18n/en'
import { zh } from '../../web/src/i18n/zh'
import type { CaptainCoverageMeta, PatrolCoverageMeta } from '../../server/src/contract'
import {
  captainBuildingsBbox,
  captainsByLoad,
  coveragePath,
  gapsPath,
  priorityGaps,
  zoneRows,
  type CaptainCoverageCollection,
  type CaptainLoad,
  type GapsCollection,
} from '../../web/src/lib/coverage'

describe('coverage on the map: requests, table and hatching', () => {
  test('paths carry the shared filters and the network', () => {
    const f = new URLSearchParams('hours=22-02&weekdays=1,2')
    expect(coveragePath('sf mission', 'patrol', f)).toBe('/api/communities/sf%20mission/coverage?hours=22-02&weekdays=1%2C2&network=patrol')
    expect(gapsPath('x', f)).toBe('/api/communities/x/gaps?hours=22-02&weekdays=1%2C2&network=all')
    expect(f.has('network')).toBe(false) // the caller's parameters are not changed
    expect(coveragePath('x', 'captain', new URLSearchParams(), 5)).toBe('/api/communities/x/coverage?network=captain&maxBuildings=5')
    expect(coveragePath('x', 'patrol', new URLSearchParams(), 5)).toBe('/api/communities/x/coverage?network=patrol')
  })

  test('captains by load: most buildings first, then most households, then name', () => {
    const c = (id: number, name: string, buildings: number, households: number): CaptainLoad => ({ id, name, active: true, buildings, households, overLimit: false })
    const sorted = captainsByLoad([c(1, 'b', 3, 10), c(2, 'a', 9, 5), c(3, 'c', 3, 40), c(4, 'a', 3, 10)])
    expect(sorted.map((x) => x.id)).toEqual([2, 3, 4, 1])
  })

  test('a captain’s buildings box spans their buildings only; none for a captain without any', () => {
    const square = (x: number, y: number) => ({ type: 'Polygon' as const, coordinates: [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]] })
    const fc = {
      type: 'FeatureCollection',
      meta: {},
      features: [
        { type: 'Feature', geometry: square(0, 0), properties: { kind: 'captained', captainId: 7 } },
        { type: 'Feature', geometry: square(5, 2), properties: { kind: 'captained', captainId: 7 } },
        { type: 'Feature', geometry: square(-9, -9), properties: { kind: 'captained', captainId: 8 } },
      ],
    } as unknown as CaptainCoverageCollection
    expect(captainBuildingsBbox(fc, 7)).toEqual([0, 0, 6, 3])
    expect(captainBuildingsBbox(fc, 9)).toBeNull()
  })

  test('one row per zone, by code, with the captain column joined by code and the priority gaps the server placed', () => {
    const patrol = { network: 'patrol', zones: [{ id: 2, code: 'G02', name: 'b', areaCoveredPct: 0, incidents: 7 }, { id: 1, code: 'G01', name: 'a', areaCoveredPct: 51.5, incidents: 0 }] } as unknown as PatrolCoverageMeta
    const captain = { network: 'captain', zones: [{ id: 1, code: 'G01', name: 'a', buildingsCoveredPct: 88.8, incidents: 0 }] } as unknown as CaptainCoverageMeta
    const gap = (rank: number, zoneCode: string | null) => ({ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [0, 0] }, properties: { kind: 'priority', rank, zoneCode } })
    const priority = priorityGaps({ type: 'FeatureCollection', meta: { counts: {} }, features: [gap(1, 'G02'), gap(2, 'G02'), gap(3, null)] } as unknown as GapsCollection)
    const rows = zoneRows(patrol, captain, priority)
    expect(rows.map((r) => [r.code, r.patrolPct, r.captainPct, r.incidents, r.priority])).toEqual([
      ['G01', 51.5, 88.8, 0, 0],
      ['G02', 0, null, 7, 2],
    ])
  })

  test('priority gaps by rank', () => {
    const sq = { type: 'Polygon' as const, coordinates: [[[0, 0], [2, 0], [2, 4], [0, 4], [0, 0]]] }
    const fc = {
      type: 'FeatureCollection',
      meta: { counts: {} },
      features: [
        { type: 'Feature', geometry: sq, properties: { kind: 'priority', rank: 2 } },
        { type: 'Feature', geometry: sq, properties: { kind: 'area' } },
        { type: 'Feature', geometry: sq, properties: { kind: 'priority', rank: 1 } },
      ],
    } as unknown as GapsCollection
    expect(priorityGaps(fc).map((f) => f.properties.rank)).toEqual([1, 2])
  })

  test('the gap hatching: opaque stripes of exactly the warning colour over a faint wash', () => {
    const img = gapHatchImage('#D55E00')
    expect(img.data.length).toBe(8 * 8 * 4)
    expect([...img.data.slice(0, 4)]).toEqual([0xd5, 0x5e, 0x00, 255])
    expect(img.data[(0 * 8 + 4) * 4 + 3]).toBeLessThan(64)
  })

  test('every coverage message exists in both languages', () => {
    const keys = Object.keys(en).filter((k) => k.startsWith('coverage.'))
    expect(keys.length).toBeGreaterThan(20)
    for (const k of keys) expect((zh as Record<string, string>)[k], k).toBeTruthy()
  })
})

describe('sorting the per-zone table (issue 14, item 6)', () => {
  const row = (code: string, patrolPct: number | null, incidents: number, priority = 0) => ({ id: Number(code.slice(1)), code, name: code, patrolPct, captainPct: null, incidents, priority })
  const rows = [row('G10', 40, 5), row('G2', null, 9, 1), row('G1', 80, 5, 2), row('G3', 10, 0)]

  test('by code in natural order, both ways', async () => {
    const { sortZoneRows } = await import('../../web/src/lib/coverage')
    expect(sortZoneRows(rows, 'code', 'ascending').map((r) => r.code)).toEqual(['G1', 'G2', 'G3', 'G10'])
    expect(sortZoneRows(rows, 'code', 'descending').map((r) => r.code)).toEqual(['G10', 'G3', 'G2', 'G1'])
  })

  test('by a figure, ties in code order, zones without the figure last either way', async () => {
    const { sortZoneRows } = await import('../../web/src/lib/coverage')
    expect(sortZoneRows(rows, 'patrolPct', 'descending').map((r) => r.code)).toEqual(['G1', 'G10', 'G3', 'G2'])
    expect(sortZoneRows(rows, 'patrolPct', 'ascending').map((r) => r.code)).toEqual(['G3', 'G10', 'G1', 'G2'])
    expect(sortZoneRows(rows, 'incidents', 'descending').map((r) => r.code)).toEqual(['G2', 'G1', 'G10', 'G3'])
    expect(sortZoneRows(rows, 'priority', 'descending').map((r) => r.code)).toEqual(['G1', 'G2', 'G3', 'G10'])
  })

  test('a new column starts with codes A→Z and figures largest first; the rows given are not changed', async () => {
    const { firstDirection, sortZoneRows, ZONE_COLUMNS } = await import('../../web/src/lib/coverage')
    expect(ZONE_COLUMNS.map(firstDirection)).toEqual(['ascending', 'descending', 'descending', 'descending', 'descending'])
    const before = rows.map((r) => r.code)
    sortZoneRows(rows, 'incidents', 'ascending')
    expect(rows.map((r) => r.code)).toEqual(before)
  })
})
