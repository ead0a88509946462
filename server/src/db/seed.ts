/**
 * Loads a demo community: the real public data in fixtures/<id>/ (buildings, streets, incidents —
 * GeoJSON files, and a CSV of incident reports with times whose categories are mapped to the older ones)
 * plus the generated sample records in fixtures/<id>/sample/ (zones, teams and their members, routes,
 * captains, building attributes, disputes, a month of patrols done, and the people side: mediation,
 * problems, care files), and one demo user per role. All in one transaction; every insert
 * skips rows that already exist, so seeding twice changes nothing. Into a database without any
 * community, the row numbering starts again at 1 — sequences are not transactional, and a seed
 * killed part way must not leave the next one differently numbered.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import type { SampleCommunity, SamplePeople } from '../../../fixtures/sample-types.js'
import { createDemoUsers } from '../auth/accounts.js'
import type { Role } from '../contract.js'
import { ROOT_DIR } from '../config.js'
import type { Sql } from './connect.js'
import { runQuery } from './queries.js'

export const DEMO_DIR = path.join(ROOT_DIR, 'fixtures/sf-mission')

/** Where each public file comes from: the `source` recorded with its rows. */
export const DEMO_SOURCES = {
  buildings: { file: 'buildings.geojson', source: 'datasf-building-footprints-2013' },
  streets: { file: 'streets.geojson', source: 'osm' },
  incidents: [
    { file: 'incidents_2012H2.geojson', source: 'sfpd-incidents-2003-2018' },
    { file: 'incidents_robbery_2019.geojson', source: 'sfpd-incidents-2018-present' },
  ],
  /** SFPD incident reports with times of day (CSV, local wall-clock), one incident per incident number */
  reports: { file: 'incidents_2018plus.csv', source: 'sfpd-incident-reports-2018-present', categories: 'sfpd-categories.json' },
} as const

/** A row of incidents_2018plus.csv (fixtures/sf-mission/SOURCES.md). */
interface IncidentReportRow {
  source_id: string
  incident_number: string
  occurred_at: string
  category: string
  subcategory: string
  description: string
  lon: string
  lat: string
  neighborhood: string
}

/**
 * The incident reports of `csv` with their categories mapped to the older SFPD categories
 * (`categories`: 2018 name → older name), so a category means the same in every year. Throws on
 * a category the map does not know — a new one must be mapped, not guessed.
 */
export function incidentReports(csv: string, categories: Record<string, string>): IncidentReportRow[] {
  const rows = parse(csv, { columns: true, skip_empty_lines: true }) as IncidentReportRow[]
  return rows.map((r) => {
    const category = categories[r.category]
    if (category === undefined) throw new Error(`incident reports: category "${r.category}" (report ${r.source_id}) is not in the category map`)
    return { ...r, category }
  })
}

export interface SeedResult {
  community: string
  /** rows inserted by this run, per table (all zero when the demo was already there) */
  inserted: Record<string, number>
  /** the demo users this run created, with their generated passwords (shown once) */
  users: { username: string; role: Role; password: string }[]
}

/** Tables whose ids restart at 1 when a demo is seeded into a database without communities. */
const NUMBERED = [
  'buildings', 'streets', 'patrol_teams', 'grid_zones', 'patrol_routes', 'patrol_shifts', 'captains', 'incidents', 'disputes', 'team_members', 'patrol_logs',
  // the people side (migration 00011)
  'dispute_follow_ups', 'dispute_escalations', 'problems', 'problem_notes', 'care_files', 'care_visits',
] as const

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await fs.readFile(file, 'utf8'))
}

/**
 * Seeds the demo community from `dir` (default fixtures/sf-mission). The demo users get generated
 * passwords, or `options.password` for all of them; `users: false` leaves them out (the demo
 * snapshot, db/demo-snapshot.ts, whose copies get users of their own).
 */
export async function seedDemo(sql: Sql, dir = DEMO_DIR, options: { password?: string; users?: boolean } = {}): Promise<SeedResult> {
  const sample = (name: string) => readJson(path.join(dir, 'sample', name))
  const pub = (name: string) => readJson(path.join(dir, name))
  const community = (await sample('community.json')) as SampleCommunity
  const reportCategories = ((await pub(DEMO_SOURCES.reports.categories)) as { categories: Record<string, string> }).categories
  const reports = incidentReports(await fs.readFile(path.join(dir, DEMO_SOURCES.reports.file), 'utf8'), reportCategories)
  const people = (await sample('people.json')) as SamplePeople
  const [buildings, buildingAttrs, streets, teams, zones, routes, captains, disputes, members, patrolLog, ...incidentFiles] = await Promise.all([
    pub(DEMO_SOURCES.buildings.file),
    sample('buildings.json'),
    pub(DEMO_SOURCES.streets.file),
    sample('teams.json'),
    sample('zones.geojson'),
    sample('routes.geojson'),
    sample('captains.json'),
    sample('disputes.geojson'),
    sample('team-members.json'),
    sample('patrol-log.json'),
    ...DEMO_SOURCES.incidents.map((s) => pub(s.file)),
  ])
  const id = community.id
  const json = (v: unknown) => sql.json(v as never)
  const footprintSource = DEMO_SOURCES.buildings.source
  const inserted: Record<string, number> = {}
  let users: SeedResult['users'] = []
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('safegrid:seed'))`
    const [{ communities }] = (await tx`select count(*)::int as communities from communities`) as unknown as [{ communities: number }]
    if (communities === 0) for (const table of NUMBERED) await tx.unsafe(`alter table ${table} alter column id restart with 1`)
    inserted.communities = (await runQuery(tx, 'seed/community', [json(community)])).count
    inserted.buildings = (await runQuery(tx, 'seed/buildings', [id, json(buildings), json(buildingAttrs), footprintSource])).count
    inserted.streets = (await runQuery(tx, 'seed/streets', [id, json(streets), DEMO_SOURCES.streets.source])).count
    inserted.incidents = 0
    for (const [i, spec] of DEMO_SOURCES.incidents.entries())
      inserted.incidents += (await runQuery(tx, 'seed/incidents', [id, json(incidentFiles[i]), spec.source])).count
    inserted.incidents += (await runQuery(tx, 'seed/incident-reports', [id, json(reports), DEMO_SOURCES.reports.source])).count
    inserted.patrolTeams = (await runQuery(tx, 'seed/teams', [id, json(teams)])).count
    inserted.gridZones = (await runQuery(tx, 'seed/zones', [id, json(zones)])).count
    inserted.patrolShifts = (await runQuery(tx, 'seed/routes', [id, json(routes)])).count
    inserted.captainBuildings = (await runQuery(tx, 'seed/captains', [id, json(captains), footprintSource])).count
    inserted.disputes = (await runQuery(tx, 'seed/disputes', [id, json(disputes), footprintSource, json(people.disputes)])).count
    inserted.people = Number((await runQuery<{ inserted: number }[]>(tx, 'seed/people', [id, json(people), footprintSource]))[0]?.inserted ?? 0)
    inserted.memberShifts = (await runQuery(tx, 'seed/members', [id, json(members)])).count
    inserted.patrolLogs = (await runQuery(tx, 'seed/patrol-log', [id, json(patrolLog)])).count
    // the meeting pack's sample targets (migration 00012)
    inserted.targets = (await runQuery(tx, 'seed/targets', [id])).count
    if (options.users !== false) users = await createDemoUsers(tx as unknown as Sql, id, options.password)
    inserted.users = users.length
  })
  return { community: id, inserted, users }
}
