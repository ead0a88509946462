/**
 * Personal access tokens (migration 00015): a second way to the same user and roles as a session,
 * for desktop GIS that cannot log in through a form. Only the SHA-256 hash of the secret is stored;
 * a token ends at its expiry, when revoked, or while its user is disabled.
 */
import type { Sql } from './connect.js'
import type { SessionUser } from './accounts.js'

/** A token as listed: never its secret or hash. */
export interface TokenRow {
  id: number
  name: string
  prefix: string
  createdAt: string
  createdBy: string
  expiresAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

const iso = (sql: Sql, column: string) => sql`to_char(${sql(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`
const columns = (sql: Sql) =>
  sql`id, name, prefix, ${iso(sql, 'created_at')} as created_at, created_by, ${iso(sql, 'expires_at')} as expires_at,
      case when last_used_at is null then null else ${iso(sql, 'last_used_at')} end as last_used_at,
      case when revoked_at is null then null else ${iso(sql, 'revoked_at')} end as revoked_at`

/** Stores a new token of `userId`; answers it as listed. */
export async function insertToken(sql: Sql, t: { userId: number; name: string; tokenHash: string; prefix: string; createdBy: string; days: number }): Promise<TokenRow> {
  const [row] = await sql<TokenRow[]>`
    insert into access_tokens (user_id, name, token_hash, prefix, created_by, expires_at)
    values (${t.userId}, ${t.name}, ${t.tokenHash}, ${t.prefix}, ${t.createdBy}, now() + make_interval(days => ${t.days}))
    returning ${columns(sql)}`
  return row!
}

/** A user's tokens, newest first (revoked and expired ones too, so an admin sees what existed). */
export async function listTokens(sql: Sql, userId: number, limit: number): Promise<TokenRow[]> {
  return sql<TokenRow[]>`select ${columns(sql)} from access_tokens where user_id = ${userId} order by id desc limit ${limit}`
}

/** Revokes a token of `userId`; answers it before and after, or null when the user has no such token. */
export async function revokeToken(sql: Sql, userId: number, tokenId: number): Promise<{ before: TokenRow; after: TokenRow } | null> {
  const [before] = await sql<TokenRow[]>`select ${columns(sql)} from access_tokens where user_id = ${userId} and id = ${tokenId} for update`
  if (!before) return null
  const [after] = await sql<TokenRow[]>`
    update access_tokens set revoked_at = coalesce(revoked_at, now()) where user_id = ${userId} and id = ${tokenId}
    returning ${columns(sql)}`
  return { before, after: after! }
}

/**
 * The user of a live token (its secret's hash), as `sessionUser` answers for a session — with their
 * role in `community` — or null when the token does not exist, has expired or been revoked, or its
 * user is disabled. `stale`: its last use was more than a minute ago (time to record this one).
 */
export async function tokenUser(sql: Sql, tokenHash: string, community: string | null): Promise<(SessionUser & { tokenId: number }) | null> {
  const [row] = await sql<(SessionUser & { tokenId: number })[]>`
    select u.id, u.username, u.display_name, u.admin, u.must_change_password, t.id as token_id,
           (select r.role from community_roles as r where r.user_id = u.id and r.community_id = ${community}) as role,
           exists (select 1 from communities where id = ${community}) as community_exists,
           coalesce((select jsonb_object_agg(r.community_id, r.role) from community_roles as r where r.user_id = u.id), '{}'::jsonb) as roles,
           (t.last_used_at is null or t.last_used_at < now() - interval '1 minute') as stale
    from access_tokens as t join users as u on u.id = t.user_id
    where t.token_hash = ${tokenHash} and t.expires_at > now() and t.revoked_at is null and not u.disabled`
  return row ?? null
}

/** Records a use of a token, at most once a minute (tokenUser's `stale`). */
export async function touchToken(sql: Sql, tokenId: number): Promise<void> {
  await sql`update access_tokens set last_used_at = now() where id = ${tokenId}`
}
