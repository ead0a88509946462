/**
 * Export → import round trip (issue 10, "Tests and proof"): every layer of the demo community is
 * exported as an admin sees it (nothing hidden), a new community is created with the demo's boundary
 * and time zone, the files are imported in dependency order (teams, zones with their team, buildings, routes with
 * shifts, captains, incidents, disputes) — in each of the export's formats — and the analyses of
 * the two communities must give the same figures: patrol and captain coverage, gaps and Gi* hot
 * spots (of incidents and of disputes). Ids differ (new rows); every number, and every zone's team, must not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ImportReportSchema, type ImportReport } from '../../server/src/contract.js'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'

const DEMO = '/api/communities/sf-mission'
const COPY = '/api/communities/roundtrip-copy'

/** Each layer in dependency order, and the format its file goes through (every format at least once). */
const LAYERS: [string, 'geojson' | 'csv' | 'xlsx'][] = [
  ['teams', 'xlsx'],
  ['zones', 'geojson'],
  ['buildings', 'csv'],
  ['routes', 'csv'],
  ['captains', 'xlsx'],
  ['incidents', 'csv'],
  ['disputes', 'geojson'],
]

/**
 * Keys that name rows (ids of either community) or things, or say what is not a figure; everything
 * else is compared. (`street`: a gap's nearest street — streets are OpenStreetMap reference data, no
 * layer an office imports.)
 */
const SKIP = /(^id$|Id$|Ids$|^ids$|^community$|Name$|^name$|^names$|^street$|^generatedAt$|^timing|^computedAt$|^cache)/

/** Lists of ids: compared by their length. */
const ID_LISTS = /^(routesInService)$/

type Ring = number[][]
/** Twice the signed area of a ring in degrees (shoelace). */
const ringArea = (r: Ring) => r.reduce((s, p, i) => (i === 0 ? s : s + r[i - 1]![0]! * p[1]! - p[0]! * r[i - 1]![1]!), 0)

/**
 * A polygon's shape without how it is written: the positions of its rings with an area, as a sorted
 * set. The importer makes polygons valid as the seed does (ST_MakeValid): a zero-area sliver of a
 * ring goes and a ring may start at another corner — the same building, the same figures.
 */
function shape(g: { type: string; coordinates: unknown }): unknown {
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') return g
  const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as Ring[][]
  const rings = polygons.flat().filter((r) => ringArea(r) !== 0)
  return [...new Set(rings.flat().map((p) => `${p[0]} ${p[1]}`))].sort()
}

/** An answer with ids and names taken out (lists of ids as their length, polygons as their shape), every figure kept. */
function figures(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(figures)
  if (v !== null && typeof v === 'object' && 'coordinates' in v && typeof (v as { type?: unknown }).type === 'string') return shape(v as { type: string; coordinates: unknown })
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => !SKIP.test(k))
        .map(([k, x]) => [k, ID_LISTS.test(k) && Array.isArray(x) ? x.length : figures(x)]),
    )
  return v
}

/** Where two answers' figures differ: every number equal (to 1e-9, relative for large ones; integers exactly), every other value identical. */
function differences(a: unknown, b: unknown, path = '$', out: string[] = []): string[] {
  if (typeof a === 'number' && typeof b === 'number') {
    const same = Number.isInteger(a) && Number.isInteger(b) ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a))
    if (!same) out.push(`${path}: ${a} vs ${b}`)
  } else if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: ${a.length} items vs ${b.length}`)
    else a.forEach((x, i) => differences(x, b[i], `${path}[${i}]`, out))
  } else if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)])
    for (const k of keys) differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out)
  } else if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path}: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`)
  return out
}

describe.each(testModes())('export → import round trip of the demo community in %s mode', (mode) => {
  let demo: DemoHandle
  const reports: Record<string, ImportReport> = {}
  beforeAll(async () => {
    demo = await openDemo(mode)
    const [c] = await demo.sql<{ boundary: string; timeZone: string }[]>`select ST_AsGeoJSON(boundary) as boundary, time_zone from communities where id = 'sf-mission'`
    const created = await demo.app.request('/api/communities', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'roundtrip-copy', name: 'Round trip', timeZone: c!.timeZone, boundary: JSON.parse(c!.boundary) }),
    })
    if (created.status !== 201) throw new Error(await created.text())
    // the demo's admin reads the analyses of both
    await demo.sql`insert into community_roles (community_id, user_id, role) select 'roundtrip-copy', id, 'admin' from users where username = 'demo-admin'`
    const admin = demo.as('admin')
    for (const [layer, format] of LAYERS) {
      const file = await admin.request(`${DEMO}/export/${layer}.${format}?limit=50000`)
      if (file.status !== 200) throw new Error(`${layer}.${format}: ${file.status} ${await file.text()}`)
      const body = new Uint8Array(await file.arrayBuffer())
      const res = await demo.app.request(`${COPY}/imports?layer=${layer}&format=${format}&source=demo-export&dryRun=false&fileName=${layer}.${format}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: body as unknown as BodyInit,
      })
      const json = (await res.json()) as { error?: { details?: { report?: unknown } } }
      if (res.status !== 200) throw new Error(`${layer}: ${res.status} ${JSON.stringify(json.error?.details?.report ?? json).slice(0, 1500)}`)
      reports[layer] = ImportReportSchema.parse(json)
    }
  }, 240_000)
  afterAll(() => demo.close())

  it('imports every row of every exported layer, and every row again is unchanged', async () => {
    const counts = await demo.sql<{ layer: string; demo: number; copy: number }[]>`
      select l.layer, l.demo, l.copy from (
        select 'zones' as layer, count(*) filter (where community_id = 'sf-mission')::int as demo, count(*) filter (where community_id = 'roundtrip-copy')::int as copy from grid_zones
        union all select 'buildings', count(*) filter (where community_id = 'sf-mission')::int, count(*) filter (where community_id = 'roundtrip-copy')::int from buildings
        union all select 'teams', count(*) filter (where community_id = 'sf-mission')::int, count(*) filter (where community_id = 'roundtrip-copy')::int from patrol_teams
        union all select 'routes', count(*) filter (where community_id = 'sf-mission')::int, count(*) filter (where community_id = 'roundtrip-copy')::int from patrol_routes
        union all select 'shifts', count(*) filter (where community_id = 'sf-mission')::int, count(*) filter (where community_id = 'roundtrip-copy')::int from patrol_shifts
        union all select 'captains', count(*) filter (where community_id = 'sf-mission')::int, count(*) filter (where community_id = 'roundtrip-copy')::int from captains
        union all select 'captain_buildings', count(*) filter (where community_id = 'sf-mission')::int, count(*) filter (where community_id = 'roundtrip-copy')::int from captain_buildings
        union all select 'incidents', count(*) filter (where community_id = 'sf-mission')::int, count(*) filter (where community_id = 'roundtrip-copy')::int from incidents
        union all select 'incidents_time_unknown', count(*) filter (where community_id = 'sf-mission' and not time_known)::int, count(*) filter (where community_id = 'roundtrip-copy' and not time_known)::int from incidents
        union all select 'disputes', count(*) filter (where community_id = 'sf-mission')::int, count(*) filter (where community_id = 'roundtrip-copy')::int from disputes
      ) as l`
    for (const c of counts) {
      expect(c.copy, c.layer).toBe(c.demo)
      expect(c.demo, c.layer).toBeGreaterThan(0)
    }
    for (const [layer] of LAYERS) expect(reports[layer]!.counts, layer).toMatchObject({ rejected: 0, changed: 0, unchanged: 0, new: reports[layer]!.counts.read })
    // every zone keeps its team (分片包干): the same team, by name, as the demo's zone of the same code
    const teams = await demo.sql<{ code: string; demo: string | null; copy: string | null }[]>`
      select d.code, td.name as demo, tc.name as copy
      from grid_zones as d join grid_zones as c on c.community_id = 'roundtrip-copy' and c.code = d.code
      left join patrol_teams as td on td.id = d.patrol_team_id left join patrol_teams as tc on tc.id = c.patrol_team_id
      where d.community_id = 'sf-mission' order by d.code`
    expect(teams.length).toBeGreaterThan(0)
    expect(teams.filter((t) => t.demo !== null).length).toBeGreaterThan(0)
    for (const t of teams) expect(t.copy, t.code).toBe(t.demo)
    // and every zone, team, route and captain its name in each language (matched by what stays: a zone's code, the others' names)
    const names = await demo.sql<{ what: string; demo: number; same: number }[]>`
      select 'zones' as what, count(*)::int as demo, count(*) filter (where c.names = d.names and c.name = d.name)::int as same
      from grid_zones as d left join grid_zones as c on c.community_id = 'roundtrip-copy' and c.code = d.code where d.community_id = 'sf-mission'
      union all
      select 'teams', count(*)::int, count(c.id)::int from patrol_teams as d
      left join patrol_teams as c on c.community_id = 'roundtrip-copy' and c.name = d.name and c.names = d.names where d.community_id = 'sf-mission'
      union all
      select 'routes', count(*)::int, count(c.id)::int from patrol_routes as d
      left join patrol_routes as c on c.community_id = 'roundtrip-copy' and c.names = d.names and ST_Equals(c.geom, d.geom) where d.community_id = 'sf-mission'
      union all
      select 'captains', count(*)::int, count(c.id)::int from captains as d
      left join captains as c on c.community_id = 'roundtrip-copy' and c.names = d.names and c.phone is not distinct from d.phone and c.active = d.active
        and (select array_agg(b.source_id order by b.source_id) from captain_buildings as cb join buildings as b on b.id = cb.building_id where cb.captain_id = c.id)
          = (select array_agg(cb.building_id::text order by cb.building_id::text) from captain_buildings as cb where cb.captain_id = d.id)
      where d.community_id = 'sf-mission'`
    for (const n of names) {
      expect(n.demo, n.what).toBeGreaterThan(0)
      expect(n.same, n.what).toBe(n.demo)
    }
    expect((await demo.sql`select 1 from grid_zones where community_id = 'sf-mission' and names <> '{}'`).length).toBeGreaterThan(0)
  })

  it('writes the teams file with phones for staff roles only (and audits those), like the layers', async () => {
    // the demo's teams have no phone: give two one (phones change no analysis)
    const phones = await demo.sql<{ phone: string }[]>`
      update patrol_teams set phone = '+1 415 555 01' || id::text
      where community_id = 'sf-mission' and id in (select id from patrol_teams where community_id = 'sf-mission' order by id limit 2) returning phone`
    expect(phones).toHaveLength(2)
    const file = async (who: 'admin' | 'viewer') => (await (await demo.as(who).request(`${DEMO}/export/teams.csv`)).text()).replace(/^\uFEFF/, '')
    const [admin, viewer] = [await file('admin'), await file('viewer')]
    expect(admin.split('\r\n')[0]).toBe('id,name,name_zh,name_en,kind,members,phone,active,isSample')
    for (const { phone } of phones) {
      expect(admin).toContain(phone)
      expect(viewer).not.toContain(phone)
    }
    expect(viewer.trimEnd().split('\r\n')).toHaveLength(admin.trimEnd().split('\r\n').length)
    const audited = await demo.sql<{ username: string }[]>`select username from audit_log where action = 'layer_exported' and entity_id = 'teams' order by id`
    expect(audited.map((a) => a.username)).toEqual(['demo-admin', 'demo-admin'])
  })

  it('gives the same coverage, gaps and Gi* hot spots, figure for figure', async () => {
    const queries = ['coverage', 'coverage?network=captain', 'coverage?weekdays=6,7&hours=22-02', 'gaps', 'hotspots', 'hotspots?source=disputes']
    for (const q of queries) {
      const [a, b] = await Promise.all([DEMO, COPY].map(async (c) => {
        const res = await demo.as('admin').request(`${c}/${q}`)
        if (res.status !== 200) return { status: res.status, body: await res.text() }
        return figures(await res.json())
      }))
      // answers with something in them: features (covered areas, gap buildings, hot spot cells)
      const answer = a as { features?: unknown[]; meta?: { insufficient?: boolean } }
      expect(answer.features?.length ?? 0, q).toBeGreaterThan(0)
      if (q === 'hotspots') expect(answer.meta?.insufficient, q).toBe(false)
      const diff = differences(a, b, q)
      expect(diff.slice(0, 30), `${diff.length} differences`).toEqual([])
    }
  })
})
