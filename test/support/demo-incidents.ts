/**
 * The demo's incidents computed independently of the server: read straight from the public files in
 * fixtures/sf-mission with JavaScript (JSON, csv-parse, turf, Intl in the community's time zone),
 * one incident per SFPD incident id (2012, 2019) or incident number (December 2018 reports, the
 * earliest report of each), 2018 categories mapped as sfpd-categories.json says, reports outside
 * the community's boundary left out, 00:00 read as "time unknown". Tests compare the server's
 * figures with `countMatching` over these — two implementations of the same definitions.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { booleanPointInPolygon, point } from '@turf/turf'
import { parse } from 'csv-parse/sync'
import type { MultiPolygon } from 'geojson'

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/sf-mission')
const TZ = 'America/Los_Angeles'

export interface DemoIncident {
  source: 'sfpd-2012H2' | 'sfpd-robbery-2019' | 'sfpd-reports-2018-12'
  id: string
  category: string
  /** the instant, ms since the epoch (local midnight of the date when the time is unknown) */
  instant: number
  /** local date YYYY-MM-DD */
  date: string
  /** local minute of the day (0 when the time is unknown) */
  minute: number
  /** ISO weekday of the local date, 1 = Monday */
  weekday: number
  timeKnown: boolean
  lon: number
  lat: number
}

const parts = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short' })
const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 }

/** The local date, minute and weekday of an instant. */
function local(instant: number): { date: string; minute: number; weekday: number } {
  const p = Object.fromEntries(parts.formatToParts(new Date(instant)).map((x) => [x.type, x.value]))
  return { date: `${p.year}-${p.month}-${p.day}`, minute: Number(p.hour) * 60 + Number(p.minute), weekday: WEEKDAY[p.weekday!]! }
}

/** The instant of a local wall-clock time 'YYYY-MM-DDTHH:MM' (or a date: its midnight). */
export function instantOfLocal(wall: string): number {
  const [d, t = '00:00'] = wall.split('T') as [string, string?]
  const [y, mo, da] = d.split('-').map(Number) as [number, number, number]
  const [h, mi] = t.split(':').map(Number) as [number, number]
  const asUtc = Date.UTC(y, mo - 1, da, h, mi)
  // the offset at the guess, then once more at the corrected instant (DST changes in between)
  let instant = asUtc
  for (let i = 0; i < 2; i++) {
    const l = local(instant)
    const [ly, lm, ld] = l.date.split('-').map(Number) as [number, number, number]
    const shownAsUtc = Date.UTC(ly, lm - 1, ld, Math.floor(l.minute / 60), l.minute % 60)
    instant += asUtc - shownAsUtc
  }
  return instant
}

const incident = (source: DemoIncident['source'], id: string, category: string, instant: number, timeKnown: boolean, lon: number, lat: number): DemoIncident => ({
  source,
  id,
  category,
  instant,
  ...local(instant),
  timeKnown,
  lon,
  lat,
})

let cache: DemoIncident[] | null = null

/** Every incident of the demo, as the definitions above make them. */
export function demoIncidents(): DemoIncident[] {
  if (cache !== null) return cache
  const readJson = <T>(f: string) => JSON.parse(fs.readFileSync(path.join(DEMO, f), 'utf8')) as T
  type Fc = { features: { properties: Record<string, string | number>; geometry: { coordinates: [number, number] } }[] }
  const out: DemoIncident[] = []
  const seen = new Set<string>()
  for (const f of readJson<Fc>('incidents_2012H2.geojson').features) {
    const id = String(f.properties.incident_id)
    if (seen.has(`a${id}`)) continue
    seen.add(`a${id}`)
    const [lon, lat] = f.geometry.coordinates
    out.push(incident('sfpd-2012H2', id, String(f.properties.category), instantOfLocal(String(f.properties.date)), false, lon, lat))
  }
  for (const f of readJson<Fc>('incidents_robbery_2019.geojson').features) {
    const [lon, lat] = f.geometry.coordinates
    out.push(incident('sfpd-robbery-2019', String(f.properties.incident_id), String(f.properties.category), Date.parse(String(f.properties.datetime)), true, lon, lat))
  }
  const categories = readJson<{ categories: Record<string, string> }>('sfpd-categories.json').categories
  const boundary = readJson<{ boundary: MultiPolygon }>('sample/community.json').boundary
  type Row = { source_id: string; incident_number: string; occurred_at: string; category: string; lon: string; lat: string }
  const rows = (parse(fs.readFileSync(path.join(DEMO, 'incidents_2018plus.csv'), 'utf8'), { columns: true }) as Row[]).sort(
    (a, b) => a.occurred_at.localeCompare(b.occurred_at) || Number(a.source_id) - Number(b.source_id),
  )
  const firstReport = new Map<string, Row>()
  for (const r of rows) if (!firstReport.has(r.incident_number)) firstReport.set(r.incident_number, r)
  for (const r of firstReport.values()) {
    const [lon, lat] = [Number(r.lon), Number(r.lat)]
    if (!booleanPointInPolygon(point([lon, lat]), boundary)) continue
    const category = categories[r.category]
    if (category === undefined) throw new Error(`unmapped category ${r.category}`)
    out.push(incident('sfpd-reports-2018-12', r.incident_number, category, instantOfLocal(r.occurred_at), !r.occurred_at.endsWith('T00:00'), lon, lat))
  }
  cache = out
  return out
}

/** A filter as the API's parameters say (DESIGN.md, "Filters"), in the reference's terms. */
export interface ReferenceFilter {
  /** a local date (inclusive) or an ISO instant */
  from?: string
  to?: string
  categories?: string[]
  weekdays?: number[]
  /** [start, end) local minutes; end <= start crosses midnight; incidents without a time never match */
  hours?: [number, number]
}

/** Whether an incident matches a filter. */
export function matches(i: DemoIncident, f: ReferenceFilter): boolean {
  const dateOnly = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s)
  if (f.from !== undefined && (dateOnly(f.from) ? i.date < f.from : i.instant < Date.parse(f.from))) return false
  if (f.to !== undefined && (dateOnly(f.to) ? i.date > f.to : i.instant > Date.parse(f.to))) return false
  if (f.categories !== undefined && !f.categories.includes(i.category)) return false
  if (f.weekdays !== undefined && !f.weekdays.includes(i.weekday)) return false
  if (f.hours !== undefined) {
    const [s, e] = f.hours
    if (!i.timeKnown) return false
    if (s < e ? !(i.minute >= s && i.minute < e) : !(i.minute >= s || i.minute < e)) return false
  }
  return true
}

/** How many demo incidents match `f`. */
export const countMatching = (f: ReferenceFilter = {}) => demoIncidents().filter((i) => matches(i, f)).length
