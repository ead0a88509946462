/**
 * Accounts that exist without anyone creating them: the first system administrator, on a database
 * without users, and the demo community's users, one per role. Their passwords are generated (or
 * the administrator's taken from SAFEGRID_ADMIN_PASSWORD), printed once, and in embedded mode written
 * to files only the owner can read.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Role } from '../contract.js'
import { countAdmins, findAccount, insertUser } from '../db/accounts.js'
import { audit } from '../db/audit.js'
import type { Sql } from '../db/connect.js'
import { generatePassword, hashPassword } from './passwords.js'

/** The first administrator, when one was created now. */
export interface FirstAdmin {
  username: string
  /** the generated password (null when it came from SAFEGRID_ADMIN_PASSWORD) */
  generated: string | null
}

/**
 * Creates the first system administrator when the database has none: `username`, with `password`,
 * or a generated one the administrator must change at first login. Null when one exists already.
 */
export async function ensureFirstAdmin(sql: Sql, username: string, password: string | undefined): Promise<FirstAdmin | null> {
  return sql.begin(async (tx) => {
    const t = tx as unknown as Sql
    await t`select pg_advisory_xact_lock(hashtext('safegrid:first-admin'))`
    if ((await countAdmins(t)) > 0) return null
    if (await findAccount(t, username)) throw new Error(`there is no system administrator, and the username "${username}" is taken: set SAFEGRID_ADMIN_USER to another name`)
    const generated = password === undefined ? generatePassword() : null
    await insertUser(t, { username, passwordHash: await hashPassword(password ?? generated!), displayName: null, admin: true, mustChangePassword: generated !== null, roles: [] })
    await audit(t, { username: 'system', action: 'user_created', entity: 'user', entityId: username, after: { username, admin: true } })
    return { username, generated }
  })
}

/** The demo community's users: one per role, named demo-<role>. */
export const DEMO_USERS: { username: string; role: Role; displayName: string }[] = [
  { username: 'demo-admin', role: 'admin', displayName: '演示管理员 Demo admin' },
  { username: 'demo-planner', role: 'planner', displayName: '演示规划员 Demo planner' },
  { username: 'demo-mediator', role: 'mediator', displayName: '演示调解员 Demo mediator' },
  { username: 'demo-care', role: 'care', displayName: '演示帮教员 Demo care worker' },
  { username: 'demo-viewer', role: 'viewer', displayName: '演示观众 Demo viewer' },
]

/**
 * Creates the demo users that do not exist yet (in the caller's transaction), with generated
 * passwords or `password` for all; returns those created and their passwords.
 */
export async function createDemoUsers(sql: Sql, community: string, password?: string): Promise<{ username: string; role: Role; password: string }[]> {
  const missing: typeof DEMO_USERS = []
  for (const u of DEMO_USERS) if (!(await findAccount(sql, u.username))) missing.push(u)
  // hashed all at once: scrypt runs on libuv's threads, ~100 ms each
  const created = missing.map((u) => ({ username: u.username, role: u.role, password: password ?? generatePassword() }))
  const hashes = await Promise.all(created.map((u) => hashPassword(u.password)))
  for (const [i, u] of missing.entries()) {
    await insertUser(sql, { username: u.username, passwordHash: hashes[i]!, displayName: u.displayName, roles: [{ community, role: u.role }] })
    await audit(sql, { community, username: 'system', action: 'user_created', entity: 'user', entityId: u.username, after: { username: u.username, roles: { [community]: u.role } } })
  }
  return created
}

/** Writes `text` to `dir/name` readable by the owner only (0600); returns the path. */
export async function writePrivateFile(dir: string, name: string, text: string): Promise<string> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 })
  const file = path.join(dir, name)
  await fs.writeFile(file, text, { mode: 0o600 })
  await fs.chmod(file, 0o600)
  return file
}
