/**
 * The analyses give the same answers in embedded and server mode: the same cells, gaps and
 * buildings, the same counts, and areas, z-scores and percentages equal to within the differences
 * of two GEOS/PostGIS versions (PGlite's PostGIS 3.6, Debian's 3.3).
 */
import type { FeatureCollection } from 'geojson'
import { describe, expect, it } from 'vitest'
import { openDemo, testModes } from '../support/db.js'

type Answer = FeatureCollection & { meta: Record<string, unknown> }

/** Deep equality in which numbers may differ by a relative 1e-6 (absolute 1e-6 near zero). */
function expectSame(a: unknown, b: unknown, at: string): void {
  if (typeof a === 'number' && typeof b === 'number') {
    expect(Math.abs(a - b), `${at}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(a), Math.abs(b)))
    return
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    expect(a.length, `${at}.length`).toBe(b.length)
    a.forEach((x, k) => expectSame(x, b[k], `${at}[${k}]`))
    return
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    expect(Object.keys(a).sort(), `${at} keys`).toEqual(Object.keys(b).sort())
    for (const k of Object.keys(a)) expectSame((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`)
    return
  }
  expect(a, at).toEqual(b)
}

const QUERIES = [
  'hotspots?method=gistar&cell=100&fdr=true',
  'hotspots?method=gistar&cell=60&shape=hex',
  'hotspots?method=kde&cell=100',
  'hotspots?method=emerging&cell=100&from=2012-01-01&to=2012-12-31',
  'coverage?network=patrol',
  'coverage?network=patrol&hours=22-02&weekdays=6,7',
  'coverage?network=captain&maxBuildings=8',
  'gaps?network=all',
  'gaps?network=patrol&hours=02-05',
]

describe('analyses across modes', () => {
  it.runIf(testModes().length === 2)('answer the same in embedded and server mode', { timeout: 120_000 }, async () => {
    const embedded = await openDemo('embedded')
    const server = await openDemo('server')
    try {
      for (const q of QUERIES) {
        const get = async (demo: typeof embedded) => {
          const res = await demo.app.request(`/api/communities/sf-mission/${q}`)
          expect(res.status, q).toBe(200)
          return (await res.json()) as Answer
        }
        const [e, s] = [await get(embedded), await get(server)]
        expectSame(e.meta, s.meta, `${q} meta`)
        expect(e.features.length, `${q} features`).toBe(s.features.length)
        expect(e.features.length, `${q} answers something`).toBeGreaterThan(0)
        // Features in the same order with the same properties; geometries may differ in the last digit.
        e.features.forEach((f, k) => expectSame(f.properties, s.features[k]!.properties, `${q} feature ${k}`))
      }
    } finally {
      await embedded.close()
      await server.close()
    }
  })
})
