/**
 * Checks the committed demo sample (fixtures/sf-mission/sample/*), written by fixtures/generate-demo.ts:
 * zones tile the study box, routes run on real streets and leave gaps, captains cover about two thirds
 * of the buildings, disputes have a consistent mediation state — and the generator reproduces the files.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { area, booleanPointInPolygon, booleanValid, featureCollection, intersect, polygon } from '@turf/turf'
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Position } from 'geojson'
import { describe, expect, it } from 'vitest'
import type {
  SampleBuilding,
  SampleCaptain,
  SampleCommunity,
  SampleDisputes,
  SampleRoutes,
  SampleTeam,
  SampleZones,
} from '../../fixtures/sample-types'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const DEMO = path.join(ROOT, 'fixtures/sf-mission')
const SAMPLE = path.join(DEMO, 'sample')
const BOX = { w: -122.425, s: 37.7605, e: -122.408, n: 37.7765 }

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T
const readSample = <T>(name: string): T => readJson<T>(path.join(SAMPLE, name))

// Local planar metres around the box centre (error well under 0.1 % across the box).
type XY = [number, number]
const LAT0 = (BOX.s + BOX.n) / 2
const LON0 = (BOX.w + BOX.e) / 2
const MX = 111320 * Math.cos((LAT0 * Math.PI) / 180)
const MY = 110574
const toXY = (p: Position): XY => [((p[0] as number) - LON0) * MX, ((p[1] as number) - LAT0) * MY]

function pointSegment(p: XY, a: XY, b: XY): number {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const len2 = dx * dx + dy * dy
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2))
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)
}
function segmentsCross(a: XY, b: XY, c: XY, d: XY): boolean {
  const orient = (p: XY, q: XY, r: XY): number => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]))
  return orient(a, b, c) !== orient(a, b, d) && orient(c, d, a) !== orient(c, d, b)
}
function segmentSegment(a: XY, b: XY, c: XY, d: XY): number {
  if (segmentsCross(a, b, c, d)) return 0
  return Math.min(pointSegment(a, c, d), pointSegment(b, c, d), pointSegment(c, a, b), pointSegment(d, a, b))
}
const segmentsOf = (line: readonly Position[]): [XY, XY][] =>
  line.slice(1).map((p, i) => [toXY(line[i] as Position), toXY(p)])

function createStreetSegments(): [XY, XY][] {
  const fc = readJson<FeatureCollection<Geometry>>(path.join(DEMO, 'streets.geojson'))
  return fc.features.flatMap((f) => {
    const g = f.geometry
    if (g.type === 'LineString') return segmentsOf(g.coordinates)
    if (g.type === 'MultiLineString') return g.coordinates.flatMap(segmentsOf)
    return []
  })
}

/** Points every `step` metres along a line (planar), ends included. */
function createSamplesAlong(line: readonly Position[], step: number): XY[] {
  const out: XY[] = []
  for (const [a, b] of segmentsOf(line)) {
    const n = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / step))
    for (let i = 0; i < n; i++) out.push([a[0] + ((b[0] - a[0]) * i) / n, a[1] + ((b[1] - a[1]) * i) / n])
  }
  const last = line[line.length - 1]
  if (last) out.push(toXY(last))
  return out
}

/** Planar distance in metres between a route and a zone (0 when the route enters the zone). */
function routeZoneDistance(route: readonly Position[], zone: Feature<MultiPolygon>): number {
  if (route.some((p) => booleanPointInPolygon(p, zone))) return 0
  const routeSegs = segmentsOf(route)
  const zoneSegs = zone.geometry.coordinates.flatMap((poly) => poly.flatMap(segmentsOf))
  let best = Infinity
  for (const [a, b] of routeSegs) for (const [c, d] of zoneSegs) best = Math.min(best, segmentSegment(a, b, c, d))
  return best
}

function createBoxPolygon() {
  return polygon([[[BOX.w, BOX.s], [BOX.e, BOX.s], [BOX.e, BOX.n], [BOX.w, BOX.n], [BOX.w, BOX.s]]])
}

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

describe('the demo community sample for the Mission District', () => {
  it('describes the community as the study box with its time zone and UTM zone', () => {
    const community = readSample<SampleCommunity>('community.json')
    expect(community.id).toBe('sf-mission')
    expect(community.timeZone).toBe('America/Los_Angeles')
    expect(community.metricSrid).toBe(32610)
    expect(community.boundary.type).toBe('MultiPolygon')
    expect(area(community.boundary)).toBeCloseTo(area(createBoxPolygon()), -1)
  })

  it('has 8 to 15 valid grid zones with codes in order, names, grid workers and mostly a team', () => {
    const zones = readSample<SampleZones>('zones.geojson')
    const teams = readSample<SampleTeam[]>('teams.json').map((t) => t.key)
    expect(zones.features.length).toBeGreaterThanOrEqual(8)
    expect(zones.features.length).toBeLessThanOrEqual(15)
    zones.features.forEach((z, i) => {
      expect(z.geometry.type).toBe('MultiPolygon')
      expect(booleanValid(z), `${z.properties.code} is valid`).toBe(true)
      for (const poly of z.geometry.coordinates) {
        expect(area(polygon(poly)), `${z.properties.code} has no sliver`).toBeGreaterThan(1000)
      }
      expect(z.properties.code).toBe(`G${String(i + 1).padStart(2, '0')}`)
      expect(z.properties.name).toMatch(/St|Ave/)
      expect(z.properties.gridWorker).toMatch(/^\p{Script=Han}{2,3}$/u)
      if (z.properties.teamKey !== null) expect(teams).toContain(z.properties.teamKey)
    })
    const withTeam = zones.features.filter((z) => z.properties.teamKey !== null).length
    expect(withTeam).toBeGreaterThan(zones.features.length / 2)
    expect(withTeam).toBeLessThan(zones.features.length)
  })

  it('has zones that do not overlap and together cover the study box', () => {
    const zones = readSample<SampleZones>('zones.geojson').features
    const total = zones.reduce((s, z) => s + area(z), 0)
    const box = area(createBoxPolygon())
    expect(Math.abs(total - box) / box).toBeLessThan(0.005)
    for (let i = 0; i < zones.length; i++) {
      for (let j = i + 1; j < zones.length; j++) {
        const overlap = intersect(featureCollection([zones[i] as Feature<MultiPolygon>, zones[j] as Feature<MultiPolygon>]))
        expect(overlap ? area(overlap) : 0, `${zones[i]?.properties.code} × ${zones[j]?.properties.code}`).toBeLessThan(1)
      }
    }
  })

  it('has 6 to 12 patrol routes, each a valid LineString within 50 m of a real street', () => {
    const routes = readSample<SampleRoutes>('routes.geojson').features
    const teams = readSample<SampleTeam[]>('teams.json').map((t) => t.key)
    const streets = createStreetSegments()
    expect(routes.length).toBeGreaterThanOrEqual(6)
    expect(routes.length).toBeLessThanOrEqual(12)
    for (const r of routes) {
      expect(r.geometry.type).toBe('LineString')
      expect(booleanValid(r), `${r.properties.key} is valid`).toBe(true)
      expect(teams).toContain(r.properties.teamKey)
      expect(r.properties.reachM).toBeGreaterThanOrEqual(60)
      expect(r.properties.reachM).toBeLessThanOrEqual(150)
      const points = createSamplesAlong(r.geometry.coordinates, 10)
      const near = (p: XY): boolean =>
        streets.some(([a, b]) => Math.abs(a[0] - p[0]) < 400 && Math.abs(a[1] - p[1]) < 400 && pointSegment(p, a, b) <= 50)
      const off = points.filter((p) => !near(p))
      expect(off.length, `${r.properties.key} points further than 50 m from a street`).toBe(0)
    }
    expect(routes.filter((r) => r.properties.reachM === 100).length).toBeGreaterThan(routes.length / 2)
  })

  it('has shifts in local time, at least one crossing midnight, and fewer routes on duty at night than by day', () => {
    const routes = readSample<SampleRoutes>('routes.geojson').features
    const shifts = routes.flatMap((r) => r.properties.shifts)
    for (const s of shifts) {
      expect(s.start).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/)
      expect(s.end).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/)
      expect(s.days.length).toBeGreaterThan(0)
      for (const d of s.days) expect([1, 2, 3, 4, 5, 6, 7]).toContain(d)
    }
    expect(shifts.some((s) => toMinutes(s.end) <= toMinutes(s.start))).toBe(true)
    const onDuty = (day: number, minute: number): number =>
      routes.filter((r) =>
        r.properties.shifts.some((s) => {
          const start = toMinutes(s.start)
          const end = toMinutes(s.end)
          if (end > start) return s.days.includes(day) && minute >= start && minute < end
          return (s.days.includes(day) && minute >= start) || (s.days.includes(day === 1 ? 7 : day - 1) && minute < end)
        }),
      ).length
    const wednesdayMorning = onDuty(3, 10 * 60)
    const wednesdayNight = onDuty(3, 2 * 60)
    expect(wednesdayNight).toBeGreaterThan(0)
    expect(wednesdayNight).toBeLessThan(wednesdayMorning)
    expect(routes.some((r) => r.properties.shifts.every((s) => s.days.every((d) => d >= 6)))).toBe(true)
  })

  it('leaves at least one zone with no route within reach', () => {
    const zones = readSample<SampleZones>('zones.geojson').features
    const routes = readSample<SampleRoutes>('routes.geojson').features
    const unreached = zones.filter((z) =>
      routes.every((r) => routeZoneDistance(r.geometry.coordinates, z) > r.properties.reachM),
    )
    expect(unreached.length).toBeGreaterThanOrEqual(1)
    expect(unreached.length).toBeLessThan(zones.length / 2)
  })

  it('gives every footprint, in sourceId order, an address, floors, households and residents', () => {
    const footprints = readJson<FeatureCollection<Geometry, { building_id: string }>>(path.join(DEMO, 'buildings.geojson'))
    const buildings = readSample<SampleBuilding[]>('buildings.json')
    const ids = footprints.features.map((f) => f.properties.building_id).sort()
    expect(buildings.map((b) => b.sourceId)).toEqual(ids)
    for (const b of buildings) {
      expect(b.address).toMatch(/^\d+[A-Z]? [\w .]+, San Francisco, CA 941\d\d$/)
      expect(b.floors).toBeGreaterThanOrEqual(1)
      expect(b.floors).toBeLessThanOrEqual(6)
      expect(b.households).toBeGreaterThanOrEqual(0)
      expect(b.residents).toBeGreaterThanOrEqual(b.households)
    }
    expect(buildings.some((b) => b.households === 0)).toBe(true)
    expect(new Set(buildings.map((b) => b.address)).size).toBe(buildings.length)
  })

  it('has captains covering 60 to 75 % of the buildings, no building twice, all buildings real', () => {
    const captains = readSample<SampleCaptain[]>('captains.json')
    const footprints = readJson<FeatureCollection<Geometry, { building_id: string }>>(path.join(DEMO, 'buildings.geojson'))
    const known = new Set(footprints.features.map((f) => f.properties.building_id))
    const assigned = captains.flatMap((c) => c.buildings)
    for (const id of assigned) expect(known.has(id), id).toBe(true)
    expect(new Set(assigned).size).toBe(assigned.length)
    const share = assigned.length / known.size
    expect(share).toBeGreaterThanOrEqual(0.6)
    expect(share).toBeLessThanOrEqual(0.75)
    const activeShare = captains.filter((c) => c.active).reduce((s, c) => s + c.buildings.length, 0) / known.size
    expect(activeShare).toBeGreaterThanOrEqual(0.6)
    expect(activeShare).toBeLessThan(share)
  })

  it('has inactive and overloaded captains, with invented names and fictional phone numbers', () => {
    const captains = readSample<SampleCaptain[]>('captains.json')
    expect(captains.filter((c) => !c.active).length).toBeGreaterThanOrEqual(2)
    const overloaded = captains.filter((c) => c.buildings.length > 15).length
    expect(overloaded).toBeGreaterThanOrEqual(1)
    expect(overloaded).toBeLessThanOrEqual(2)
    const loads = captains.map((c) => c.buildings.length).sort((a, b) => a - b)
    const median = loads[Math.floor(loads.length / 2)] ?? 0
    expect(median).toBeGreaterThanOrEqual(3)
    expect(median).toBeLessThanOrEqual(10)
    for (const c of captains) {
      expect(c.phone).toMatch(/^\+1 (415|628)-555-01\d\d$/)
      expect(c.name).toMatch(/^\p{Script=Han}{2,3}$/u)
    }
    expect(new Set(captains.map((c) => c.phone)).size).toBe(captains.length)
    expect(new Set(captains.map((c) => c.key)).size).toBe(captains.length)
  })

  it('has 30 to 50 disputes at real buildings in the second half of 2012 with the local offset of the day', () => {
    const disputes = readSample<SampleDisputes>('disputes.geojson').features
    const footprints = readJson<FeatureCollection<Geometry, { building_id: string }>>(path.join(DEMO, 'buildings.geojson'))
    const byId = new Map(footprints.features.map((f) => [f.properties.building_id, f]))
    expect(disputes.length).toBeGreaterThanOrEqual(30)
    expect(disputes.length).toBeLessThanOrEqual(50)
    const offsetOf = (iso: string): string => (iso.slice(0, 10) < '2012-11-04' ? '-07:00' : '-08:00')
    for (const d of disputes) {
      const p = d.properties
      const footprint = byId.get(p.buildingSourceId ?? '')
      expect(footprint, `${p.key} building`).toBeDefined()
      expect(p.reportedAt >= '2012-07-01' && p.reportedAt < '2013-01-01', p.reportedAt).toBe(true)
      expect(p.reportedAt).toMatch(/^2012-\d\d-\d\dT\d\d:\d\d:00[+-]\d\d:\d\d$/)
      expect(p.reportedAt.slice(-6)).toBe(offsetOf(p.reportedAt))
      if (p.resolvedAt) {
        expect(p.resolvedAt.slice(-6)).toBe(offsetOf(p.resolvedAt))
        expect(Date.parse(p.resolvedAt)).toBeGreaterThan(Date.parse(p.reportedAt))
      }
    }
    const times = disputes.map((d) => Date.parse(d.properties.reportedAt))
    expect(times).toEqual([...times].sort((a, b) => a - b))
  })

  it('keeps each dispute status consistent with its resolution time and outcome', () => {
    const disputes = readSample<SampleDisputes>('disputes.geojson').features
    for (const { properties: p } of disputes) {
      if (p.status === 'resolved') {
        expect(p.resolvedAt, p.key).not.toBeNull()
        expect(p.outcome, p.key).not.toBeNull()
      } else if (p.status === 'escalated') {
        expect(p.outcome, p.key).toBe('failed')
      } else {
        expect(p.resolvedAt, p.key).toBeNull()
        expect(p.outcome, p.key).toBeNull()
      }
    }
    const statuses = new Set(disputes.map((d) => d.properties.status))
    expect([...statuses].sort()).toEqual(['escalated', 'mediating', 'reported', 'resolved'])
  })

  it(
    'writes byte-identical files when the generator runs again',
    () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'safegrid-sample-'))
      try {
        execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['fixtures/generate-demo.ts', out], {
          cwd: ROOT,
          stdio: 'pipe',
        })
        const committed = fs.readdirSync(SAMPLE).sort()
        expect(fs.readdirSync(out).sort()).toEqual(committed)
        for (const name of committed) {
          expect(fs.readFileSync(path.join(out, name)).equals(fs.readFileSync(path.join(SAMPLE, name))), name).toBe(true)
        }
      } finally {
        fs.rmSync(out, { recursive: true, force: true })
      }
    },
    120_000,
  )
})
