/**
 * Users, their roles per community, and login sessions (migration 00006). Only a hash of a session
 * token is stored; a session ends at its absolute expiry, after `idleSeconds` without a request, at
 * logout, or when its user is disabled.
 */
import type { Role, UserSummary } from '../contract.js'
import type { Sql } from './connect.js'

/** A user as a login or a session sees it. */
export interface AccountRow {
  id: number
  username: string
  displayName: string | null
  admin: boolean
  disabled: boolean
  mustChangePassword: boolean
  passwordHash: string
}

/** How many system administrators exist (a start creates the first one when there are none). */
export async function countAdmins(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from users where admin`
  return row!.n
}

/** The account of `username` (case-insensitive), or null when there is none. */
export async function findAccount(sql: Sql, username: string): Promise<AccountRow | null> {
  const [row] = await sql<AccountRow[]>`
    select id, username, display_name, admin, disabled, must_change_password, password_hash
    from users where lower(username) = lower(${username})`
  return row ?? null
}

/** Every user with their roles, by username. */
export async function listUsers(sql: Sql): Promise<UserSummary[]> {
  return sql<UserSummary[]>`
    select u.username, u.display_name, u.admin, u.disabled, u.must_change_password,
           coalesce((select jsonb_object_agg(r.community_id, r.role) from community_roles as r where r.user_id = u.id), '{}'::jsonb) as roles,
           to_char(u.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at,
           (select to_char(max(s.last_seen_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') from sessions as s where s.user_id = u.id) as last_seen_at
    from users as u
    order by lower(u.username)`
}

/** One user as listUsers gives them; null when there is none. */
export async function getUser(sql: Sql, username: string): Promise<UserSummary | null> {
  return (await listUsers(sql)).find((u) => u.username.toLowerCase() === username.toLowerCase()) ?? null
}

export interface NewUser {
  username: string
  passwordHash: string
  displayName: string | null
  admin?: boolean
  mustChangePassword?: boolean
  roles: { community: string; role: Role }[]
}

/** Creates a user with their roles; returns the id. Throws on a taken username (unique violation). */
export async function insertUser(sql: Sql, u: NewUser): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    insert into users (username, display_name, password_hash, admin, must_change_password)
    values (${u.username}, ${u.displayName}, ${u.passwordHash}, ${u.admin ?? false}, ${u.mustChangePassword ?? false})
    returning id`
  await setRoles(sql, row!.id, u.roles)
  return row!.id
}

/** Replaces a user's roles. */
export async function setRoles(sql: Sql, userId: number, roles: { community: string; role: Role }[]): Promise<void> {
  await sql`delete from community_roles where user_id = ${userId}`
  if (roles.length > 0)
    await sql`insert into community_roles (community_id, user_id, role)
              select r.community, ${userId}, r.role from jsonb_to_recordset(${sql.json(roles as never)}) as r (community text, role text)`
}

/** What an admin may change of a user. */
export interface UserChanges {
  displayName?: string | null
  passwordHash?: string
  mustChangePassword?: boolean
  disabled?: boolean
  admin?: boolean
}

/** Changes a user's row; returns false when there is no such user. */
export async function updateUser(sql: Sql, userId: number, c: UserChanges): Promise<void> {
  await sql`
    update users set
      display_name = ${c.displayName === undefined ? sql`display_name` : sql`${c.displayName}`},
      password_hash = ${c.passwordHash === undefined ? sql`password_hash` : sql`${c.passwordHash}`},
      password_changed_at = ${c.passwordHash === undefined ? sql`password_changed_at` : sql`now()`},
      must_change_password = ${c.mustChangePassword === undefined ? sql`must_change_password` : sql`${c.mustChangePassword}`},
      disabled = ${c.disabled === undefined ? sql`disabled` : sql`${c.disabled}`},
      admin = ${c.admin === undefined ? sql`admin` : sql`${c.admin}`},
      updated_at = now(), version = version + 1
    where id = ${userId}`
}

/** A session's user, and their role in the community a request is about. */
export interface SessionUser {
  id: number
  username: string
  displayName: string | null
  admin: boolean
  mustChangePassword: boolean
  /** their role in the community asked about (null: none, or no community asked about) */
  role: Role | null
  /** the community exists (asked about one) */
  communityExists: boolean
  /** every community they hold a role in, and the role */
  roles: Record<string, Role>
  /** the session's last request was more than a minute ago: time to record this one */
  stale: boolean
}

/**
 * The user of a live session (its token's hash), with their role in `community`; null when the
 * session does not exist, has expired (absolutely, or idle for more than `idleSeconds`), or its
 * user is disabled. One round trip: this runs on every request, tiles included.
 */
export async function sessionUser(sql: Sql, tokenHash: string, idleSeconds: number, community: string | null): Promise<SessionUser | null> {
  const [row] = await sql<SessionUser[]>`
    select u.id, u.username, u.display_name, u.admin, u.must_change_password,
           (select r.role from community_roles as r where r.user_id = u.id and r.community_id = ${community}) as role,
           exists (select 1 from communities where id = ${community}) as community_exists,
           coalesce((select jsonb_object_agg(r.community_id, r.role) from community_roles as r where r.user_id = u.id), '{}'::jsonb) as roles,
           s.last_seen_at < now() - interval '1 minute' as stale
    from sessions as s join users as u on u.id = s.user_id
    where s.token_hash = ${tokenHash} and s.expires_at > now()
      and s.last_seen_at > now() - make_interval(secs => ${idleSeconds}) and not u.disabled`
  return row ?? null
}

/** Records a request of a session (for the idle expiry), at most once a minute. */
export async function touchSession(sql: Sql, tokenHash: string): Promise<void> {
  await sql`update sessions set last_seen_at = now() where token_hash = ${tokenHash}`
}

/** Stores a new session. */
export async function insertSession(sql: Sql, s: { userId: number; tokenHash: string; maxSeconds: number; ip: string | null; userAgent: string | null }): Promise<void> {
  await sql`
    insert into sessions (token_hash, user_id, expires_at, ip, user_agent)
    values (${s.tokenHash}, ${s.userId}, now() + make_interval(secs => ${s.maxSeconds}), ${s.ip}, ${s.userAgent})`
  // expired sessions are of no use to anyone
  await sql`delete from sessions where expires_at < now() - interval '1 day'`
}

/** Ends one session. */
export async function deleteSession(sql: Sql, tokenHash: string): Promise<void> {
  await sql`delete from sessions where token_hash = ${tokenHash}`
}

/** Ends every session of a user ("log out everywhere"); returns how many. */
export async function deleteUserSessions(sql: Sql, userId: number): Promise<number> {
  return (await sql`delete from sessions where user_id = ${userId}`).count
}
