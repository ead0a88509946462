/**
 * The audit log (migration 00006): every write and every login — who, when, what, from where, and
 * for data changes the row before and after. Rows are only ever added.
 */
import type { AuditEntry } from '../contract.js'
import type { Sql } from './connect.js'

/** One event to record. */
export interface AuditEvent {
  community?: string | null
  userId?: number | null
  username?: string | null
  /** what happened: login, login_failed, logout, user_created, … */
  action: string
  /** what it happened to: session, user, zone, route… */
  entity: string
  entityId?: string | number | null
  before?: unknown
  after?: unknown
  ip?: string | null
  /** a revert: the id of the entry it reverts */
  reverts?: number | null
}

/** Records an event (in the caller's transaction, when it is one); answers its id. */
export async function audit(sql: Sql, e: AuditEvent): Promise<number> {
  const json = (v: unknown) => (v === undefined || v === null ? null : sql.json(v as never))
  const [row] = await sql<{ id: number }[]>`
    insert into audit_log (community_id, user_id, username, action, entity, entity_id, before, after, ip, reverts)
    values (${e.community ?? null}, ${e.userId ?? null}, ${e.username ?? null}, ${e.action}, ${e.entity},
            ${e.entityId === undefined || e.entityId === null ? null : String(e.entityId)}, ${json(e.before)}, ${json(e.after)}, ${e.ip ?? null}, ${e.reverts ?? null})
    returning id`
  return Number(row!.id)
}

/** Which events to read. */
export interface AuditQuery {
  /** only these communities' events (null: every event, communities or none) */
  communities: string[] | null
  username: string | null
  entity: string | null
  entityId: string | null
  from: string | null
  to: string | null
  limit: number
  /** events with an id below this (the next page) */
  before: number | null
}

/** Events, newest first. */
export async function readAudit(sql: Sql, q: AuditQuery): Promise<AuditEntry[]> {
  return sql<AuditEntry[]>`
    select id, community_id as community, username, action, entity, entity_id, before, after, ip, reverts,
           to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
    from audit_log
    where true
      ${q.communities ? sql`and community_id = any(${q.communities}::text[])` : sql``}
      ${q.username ? sql`and lower(username) = lower(${q.username})` : sql``}
      ${q.entity ? sql`and entity = ${q.entity}` : sql``}
      ${q.entityId ? sql`and entity_id = ${q.entityId}` : sql``}
      ${q.from ? sql`and at >= ${q.from}::timestamptz` : sql``}
      ${q.to ? sql`and at <= ${q.to}::timestamptz` : sql``}
      ${q.before ? sql`and id < ${q.before}` : sql``}
    order by id desc
    limit ${q.limit}`
}
