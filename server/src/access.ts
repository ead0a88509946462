/**
 * Who may call what — the one table (DESIGN.md, "Security"). Every route of the app has a line here:
 * the test that walks every route × role (test/api/access.test.ts) fails for a route without one,
 * and the `authorize` middleware refuses to serve it (403, logged). What each role *sees* of an
 * allowed answer — exact incident points, phone numbers — is decided by `can()` and enforced in SQL.
 */
import { PLAN_ENTITIES, type Role } from './contract.js'

export { ROLES, type Role } from './contract.js'

/**
 * - public: anyone, logged in or not;
 * - user: any logged-in user (their answers cover only what their roles reach);
 * - system-admin: users with `admin` (every community, users and communities);
 * - a list of roles: users holding one of them in the community the request names — in the path
 *   (`:id`) or, for tiles, in the `community` query parameter. A system admin holds every role.
 *   A community the user has no role in is answered 404, as if it did not exist.
 */
export type Who = 'public' | 'user' | 'system-admin' | readonly Role[]

export interface Access {
  who: Who
  /** where a community-scoped route names its community */
  community?: 'path' | 'query'
  /** allowed while the user must still choose a new password (what they need to do so) */
  beforePasswordChange?: boolean
  /** what differs by role in the answer, in words (the README's table) */
  sees?: string
}

const ALL: readonly Role[] = ['admin', 'planner', 'mediator', 'care', 'viewer']
/** Roles that work with individual records: exact incident points, phone numbers. */
const STAFF: readonly Role[] = ['admin', 'planner', 'mediator']
/** Roles that plan the networks: zones, routes, shifts, teams, captains. */
const PLANNERS: readonly Role[] = ['admin', 'planner']

/** The planning routes of each edited kind (routes/plans.ts). */
const planningAccess = (): Record<string, Access> =>
  Object.fromEntries(
    PLAN_ENTITIES.flatMap((e) => [
      [`GET /api/communities/:id/${e}s/:itemId`, { who: PLANNERS, community: 'path' }],
      [`POST /api/communities/:id/${e}s`, { who: PLANNERS, community: 'path' }],
      [`PATCH /api/communities/:id/${e}s/:itemId`, { who: PLANNERS, community: 'path' }],
      [`DELETE /api/communities/:id/${e}s/:itemId`, { who: PLANNERS, community: 'path' }],
      [`GET /api/communities/:id/${e}s/:itemId/history`, { who: PLANNERS, community: 'path' }],
      [`POST /api/communities/:id/${e}s/:itemId/history/:auditId/revert`, { who: PLANNERS, community: 'path' }],
    ]),
  )

/** What a role sees beyond the aggregated meeting view. */
export const CAPABILITIES = {
  /** incidents as exact points with address and description (others: counts per zone or cell) */
  exactIncidents: STAFF,
  /** phone numbers of captains, patrol teams and their members (and later dispute parties) */
  phones: STAFF,
  /** dispute records (others: counts per zone) */
  disputeRecords: STAFF,
  /** editing zones, routes, shifts, teams and captains (the planning panel) */
  plan: PLANNERS,
  /** recording disputes and their mediation, key problems and their progress (issue 12's writes) */
  mediate: ['admin', 'mediator'] as readonly Role[],
  /** dispute parties' names and contact (issue 12: mediators and admins only; planners see the records without them) */
  disputeParties: ['admin', 'mediator'] as readonly Role[],
  /** care files (issue 12): admins and the care role only; every read audited; others: counts per zone of 3 or more */
  careFiles: ['admin', 'care'] as readonly Role[],
  /** the community's settings: the dispute deadline of the early warnings (issue 12) */
  communitySettings: ['admin'] as readonly Role[],
} as const satisfies Record<string, readonly Role[]>
export type Capability = keyof typeof CAPABILITIES

/** Whether `role` (null: none) has a capability. */
export const can = (role: Role | null, capability: Capability): boolean => role !== null && CAPABILITIES[capability].includes(role)

/** The smallest hot spot cell (m) a role without exact incidents may ask for: finer cells would place incidents. */
export const AGGREGATE_MIN_CELL = 100

/** Every route, as `METHOD path` with Hono's path syntax. */
export const ACCESS: Record<string, Access> = {
  'GET /api/health': { who: 'public' },
  'GET /api/openapi.json': { who: 'public' },
  'POST /api/session': { who: 'public', beforePasswordChange: true },
  'GET /api/session': { who: 'user', beforePasswordChange: true },
  'DELETE /api/session': { who: 'user', beforePasswordChange: true },
  'PUT /api/session/password': { who: 'user', beforePasswordChange: true },
  'GET /api/users': { who: 'system-admin' },
  'POST /api/users': { who: 'system-admin' },
  'PATCH /api/users/:username': { who: 'system-admin' },
  'DELETE /api/users/:username/sessions': { who: 'system-admin' },
  'GET /api/audit': { who: 'user', sees: 'system admins: every event; community admins: their communities’ events; others: 403' },
  'GET /api/communities': { who: 'user', sees: 'the communities the user holds a role in' },
  'GET /api/communities/:id': { who: ALL, community: 'path' },
  'GET /api/communities/:id/layers/:layer': {
    who: ALL,
    community: 'path',
    sees: 'care, viewer: incidents and disputes as counts per zone, captains without phone numbers, buildings without nearby-incident counts',
  },
  'GET /api/communities/:id/incidents/summary': { who: ALL, community: 'path', sees: 'care, viewer: no bbox (it would place incidents)' },
  'GET /api/communities/:id/incidents/period': { who: ALL, community: 'path' },
  'GET /api/communities/:id/search': { who: ALL, community: 'path' },
  'GET /api/communities/:id/zones/:zoneId/figures': { who: ALL, community: 'path' },
  'GET /api/communities/:id/buildings/:buildingId/figures': { who: STAFF, community: 'path' },
  'GET /api/communities/:id/hotspots': { who: ALL, community: 'path', sees: `care, viewer: cells of at least ${AGGREGATE_MIN_CELL} m` },
  'GET /api/communities/:id/coverage': { who: ALL, community: 'path' },
  'GET /api/communities/:id/gaps': { who: ALL, community: 'path', sees: `care, viewer: priority gaps on cells of at least ${AGGREGATE_MIN_CELL} m` },
  'GET /tiles/:layer/:z/:x/:y': { who: ALL, community: 'query', sees: 'care, viewer: incidents as counts per 100 m cell, buildings without nearby-incident counts' },
  'POST /api/communities/:id/plans': { who: PLANNERS, community: 'path' },
  'POST /api/communities/:id/plans/preview': { who: PLANNERS, community: 'path' },
  'POST /api/communities/:id/routes/snap': { who: PLANNERS, community: 'path' },
  // Patrols (issue 11). Logging a patrol is the office's work for now (planners, admins): a team
  // leader's role, limited to the log form, waits for the phone form that needs it.
  'POST /api/communities/:id/patrols': { who: PLANNERS, community: 'path' },
  'GET /api/communities/:id/patrols': { who: PLANNERS, community: 'path' },
  'DELETE /api/communities/:id/patrols/:patrolId': { who: PLANNERS, community: 'path' },
  'GET /api/communities/:id/patrols/summary': { who: ALL, community: 'path', sees: 'counts only: the same for every role' },
  'GET /api/communities/:id/teams/:teamId/roster': { who: PLANNERS, community: 'path', sees: 'members’ phone numbers only with the phones capability' },
  ...planningAccess(),
  ...peopleAccess(),
  ...meetingAccess(),
  ...importAccess(),
}

/** The table's line for a request's route, or undefined. */
export function accessOf(method: string, path: string): Access | undefined {
  return ACCESS[`${method === 'HEAD' ? 'GET' : method} ${path}`]
}

// ---------------------------------------------------------------------------------------------
// The people side (issue 12): disputes, escalations and petitions, key problems, care files.
// Records are read by the roles with dispute records (admin, planner, mediator) and written by
// admins and mediators; parties only admins and mediators see. Care files: admins and the care
// role only. Everyone in the community gets the counts: dispute figures per zone, care files per
// zone (suppressed below 3). Declared as a function so the table above can spread it.

/** The routes of issue 12 (routes/disputes.ts, problems.ts, care.ts). */
function peopleAccess(): Record<string, Access> {
  const all: readonly Role[] = ['admin', 'planner', 'mediator', 'care', 'viewer']
  const readers: readonly Role[] = ['admin', 'planner', 'mediator']
  const mediators: readonly Role[] = ['admin', 'mediator']
  const care: readonly Role[] = ['admin', 'care']
  const parties = 'planner: parties null'
  const d = '/api/communities/:id/disputes'
  const p = '/api/communities/:id/problems'
  const k = '/api/communities/:id/care'
  const line = (who: readonly Role[], sees?: string): Access => ({ who, community: 'path', ...(sees ? { sees } : {}) })
  return {
    [`GET ${d}`]: line(readers, parties),
    [`POST ${d}`]: line(mediators),
    [`GET ${d}/figures`]: line(all, 'counts and rates per zone only'),
    [`GET ${d}/warnings`]: line(readers, 'planner: party names null'),
    [`GET ${d}/escalations`]: line(readers),
    [`POST ${d}/escalations`]: line(mediators),
    [`GET ${d}/:disputeId`]: line(readers, parties),
    [`PATCH ${d}/:disputeId`]: line(mediators),
    [`GET ${d}/:disputeId/history`]: line(mediators, 'the rows before and after hold the parties'),
    [`POST ${d}/:disputeId/follow-ups`]: line(mediators),
    [`GET ${p}`]: line(readers),
    [`POST ${p}`]: line(mediators),
    [`GET ${p}/:problemId`]: line(readers),
    [`PATCH ${p}/:problemId`]: line(mediators),
    [`GET ${p}/:problemId/history`]: line(readers),
    [`POST ${p}/:problemId/notes`]: line(mediators),
    [`GET ${k}`]: line(care, 'every read is audited'),
    [`POST ${k}`]: line(care),
    [`GET ${k}/counts`]: line(all, `counts per zone; below 3 null`),
    [`GET ${k}/:fileId`]: line(care, 'every read is audited'),
    [`PATCH ${k}/:fileId`]: line(care),
    [`POST ${k}/:fileId/visits`]: line(care),
    // the dispute deadline of the early warnings: read by the roles with records, set by admins
    [`GET ${d}/deadline`]: line(readers),
    [`PUT ${d}/deadline`]: line(CAPABILITIES.communitySettings),
  }
}

// ---------------------------------------------------------------------------------------------
// The meeting pack (issue 13). Viewers are the meeting's audience: every role gets the pack and
// its exports, which hold aggregates only (counts, rates, 100 m cell centres, zone codes, street
// names, key problems' titles) — the same for every role. Targets: everyone reads them, admins
// and planners set them.

/** The routes of issue 13 (routes/meeting.ts). */
function meetingAccess(): Record<string, Access> {
  const all: readonly Role[] = ['admin', 'planner', 'mediator', 'care', 'viewer']
  const same = 'aggregates only, the same for every role'
  return {
    'GET /api/communities/:id/briefing': { who: all, community: 'path', sees: same },
    'GET /api/communities/:id/briefing.csv': { who: all, community: 'path', sees: same },
    'GET /api/communities/:id/briefing.xlsx': { who: all, community: 'path', sees: same },
    'GET /api/communities/:id/targets/:year': { who: all, community: 'path' },
    'PUT /api/communities/:id/targets/:year': { who: ['admin', 'planner'], community: 'path' },
    // Filed briefings (routes/briefings.ts): the pack as presented, stored immutable. Filing is the
    // office's (admins, planners); the pack is the same aggregates for every role (the overdue key
    // problems' titles included, as in the live pack), so every role lists and reopens them. The
    // exports are plain routes whose path a suffix ends (Hono's pattern for `{briefingId}.csv`).
    'POST /api/communities/:id/briefings': { who: ['admin', 'planner'], community: 'path' },
    'GET /api/communities/:id/briefings': { who: all, community: 'path', sees: same },
    'GET /api/communities/:id/briefings/:briefingId': { who: all, community: 'path', sees: same },
    'GET /api/communities/:id/briefings/:briefingId{.+\\.csv}': { who: all, community: 'path', sees: same },
    'GET /api/communities/:id/briefings/:briefingId{.+\\.xlsx}': { who: all, community: 'path', sees: same },
  }
}

// ---------------------------------------------------------------------------------------------
// Bringing a community's own data (issue 10): system administrators create communities; admins
// and planners of a community import files into it and read its imports.

/** The routes of issue 10 (routes/communities.ts, routes/imports.ts). */
function importAccess(): Record<string, Access> {
  const planners: readonly Role[] = ['admin', 'planner']
  return {
    'POST /api/communities': { who: 'system-admin' },
    'POST /api/communities/:id/imports': { who: planners, community: 'path' },
    'GET /api/communities/:id/imports': { who: planners, community: 'path' },
  }
}

// Export (issue 10): layer files, personal access tokens for desktop GIS, OGC API – Features. A
// file or an OGC collection holds what the layers API shows the caller's role (the same selection
// and view). OGC collections name their community in the collection id (`sf-mission-buildings`),
// so those routes are open to any logged-in user (session or access token) and the handler answers
// 404 for a community the user holds no role in, as the table does for `:id`.

/** The routes of issue 10's export (routes/export.ts, tokens.ts, ogc.ts). */
export const EXPORT_ACCESS: Record<string, Access> = {
  'GET /api/communities/:id/export/:file': {
    who: ALL,
    community: 'path',
    sees: 'as the layers API: care, viewer get incidents and disputes as counts per zone, captains without phones; files with personal data are audited',
  },
  'POST /api/users/:username/tokens': { who: 'system-admin' },
  'GET /api/users/:username/tokens': { who: 'system-admin', sees: 'never the secrets' },
  'DELETE /api/users/:username/tokens/:tokenId': { who: 'system-admin' },
  'GET /ogc': { who: 'public' },
  'GET /ogc/conformance': { who: 'public' },
  'GET /ogc/api': { who: 'public' },
  'GET /ogc/collections': { who: 'user', sees: 'the collections of the communities the user holds a role in' },
  'GET /ogc/collections/:collectionId': { who: 'user', sees: 'a community without a role in it: 404' },
  'GET /ogc/collections/:collectionId/items': { who: 'user', sees: 'as the layers API for the user’s role in the collection’s community' },
  'GET /ogc/collections/:collectionId/items/:featureId': { who: 'user', sees: 'as the layers API for the user’s role in the collection’s community' },
}
Object.assign(ACCESS, EXPORT_ACCESS)

// An empty community (issue 10): the map draws the boundary of every community, also one that holds
// nothing else yet, so every role of the community reads it.
ACCESS['GET /api/communities/:id/boundary'] = { who: ALL, community: 'path' }
