/**
 * The importer's pure parts: GCJ-02 and BD-09 (gcoord) against gcoord's published test vectors (its
 * test/unit/crs/GCJ02.spec.ts and BD09.spec.ts, to 5 decimals as there) and round trips within half
 * a metre (the issue asks for a metre);
 * local times across daylight saving changes; CRS names.
 */
import { describe, expect, it } from 'vitest'
import { bd09ToGcj02, bd09ToWgs84, gcj02ToBd09, gcj02ToWgs84, wgs84ToGcj02 } from '../../server/src/import/china-coords.js'
import { parseCrs } from '../../server/src/import/run.js'
import { instantsOfWallTime, readTime } from '../../server/src/import/times.js'

describe('GCJ-02 and BD-09', () => {
  it('agrees with gcoord’s published vectors', () => {
    const close = (got: [number, number], want: [number, number]) => {
      expect(got[0]).toBeCloseTo(want[0], 5)
      expect(got[1]).toBeCloseTo(want[1], 5)
    }
    close(gcj02ToWgs84(123, 45), [122.99395597, 44.99804071])
    close(gcj02ToBd09(123, 45), [123.00636499, 45.00636899])
    close(bd09ToGcj02(123, 45), [122.99363304, 44.9936543])
    close(bd09ToWgs84(123, 45), [122.9876221, 44.9917154])
    expect(gcj02ToWgs84(183, 45)).toEqual([183, 45])
  })

  it('inverts the forward formulas within half a metre across China, and leaves points outside China alone', () => {
    // metres between two positions (an equirectangular approximation: exact enough at this scale)
    const metres = (a: [number, number], lon: number, lat: number) => Math.hypot((a[0] - lon) * 111_320 * Math.cos((lat * Math.PI) / 180), (a[1] - lat) * 110_574)
    for (let lon = 74; lon <= 134; lon += 6.3)
      for (let lat = 18; lat <= 53; lat += 4.7) {
        const g = wgs84ToGcj02(lon, lat)
        expect(Math.hypot(g[0] - lon, g[1] - lat)).toBeGreaterThan(1e-4) // a real shift (≥ 10 m)
        const back = gcj02ToWgs84(g[0], g[1])
        expect(metres(back, lon, lat)).toBeLessThan(0.5)
        const b = gcj02ToBd09(g[0], g[1])
        const back2 = bd09ToWgs84(b[0], b[1])
        expect(metres(back2, lon, lat)).toBeLessThan(0.5)
      }
    expect(wgs84ToGcj02(-122.4, 37.77)).toEqual([-122.4, 37.77])
  })
})

describe('local times', () => {
  it('finds none, one or two instants for a wall time', () => {
    expect(instantsOfWallTime('America/Los_Angeles', Date.UTC(2024, 2, 10, 2, 30))).toEqual([])
    expect(instantsOfWallTime('America/Los_Angeles', Date.UTC(2024, 10, 3, 1, 30))).toEqual([Date.UTC(2024, 10, 3, 8, 30), Date.UTC(2024, 10, 3, 9, 30)])
    expect(instantsOfWallTime('Asia/Shanghai', Date.UTC(2024, 2, 10, 2, 30))).toEqual([Date.UTC(2024, 2, 9, 18, 30)])
  })

  it('reads the ways offices write times', () => {
    expect(readTime('2024-05-06', 'Asia/Shanghai')).toEqual({ ok: true, value: '2024-05-06 00:00:00', local: true, timeKnown: false })
    expect(readTime('2024/5/4 23:40', 'Asia/Shanghai')).toEqual({ ok: true, value: '2024-05-04 23:40:00', local: true, timeKnown: true })
    expect(readTime('2024年5月7日 08:05', 'Asia/Shanghai')).toMatchObject({ ok: true, value: '2024-05-07 08:05:00' })
    expect(readTime('2024-11-03T01:30:00-0800', 'America/Los_Angeles')).toEqual({ ok: true, value: '2024-11-03T01:30:00-08:00', local: false, timeKnown: true })
    expect(readTime('2024-11-03 01:30', 'America/Los_Angeles')).toEqual({ ok: false, code: 'time_ambiguous' })
    expect(readTime('2024-03-10 02:00', 'America/Los_Angeles')).toEqual({ ok: false, code: 'time_nonexistent' })
    for (const bad of ['2024-02-30', '2024-07-32', '24-07-01', '2024-07-01 25:00', 'yesterday', '2024-07-01+08:00']) expect(readTime(bad, 'Asia/Shanghai').ok, bad).toBe(false)
  })

  it('names coordinate systems as offices do', () => {
    expect(parseCrs(undefined)).toEqual({ label: 'EPSG:4326', kind: 'epsg', srid: 4326 })
    expect(parseCrs('cgcs2000')).toEqual({ label: 'EPSG:4490', kind: 'epsg', srid: 4490 })
    expect(parseCrs('gcj02')?.kind).toBe('gcj02')
    expect(parseCrs('BD-09')?.kind).toBe('bd09')
    expect(parseCrs('4547')).toEqual({ label: 'EPSG:4547', kind: 'epsg', srid: 4547 })
    expect(parseCrs('mars')).toBeNull()
  })
})
