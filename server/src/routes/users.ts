/**
 * /api/users: system administrators list, create and change users — display name, password reset,
 * roles per community, disabled, admin — and end a user's sessions. Every change is audited with
 * the user before and after (never a password hash).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { PASSWORD_LIMITS, ROLES, UserListSchema, UserSchema, type UserSummary } from '../contract.js'
import { hashPassword } from '../auth/passwords.js'
import { deleteUserSessions, findAccount, getUser, insertUser, listUsers, setRoles, updateUser } from '../db/accounts.js'
import { audit } from '../db/audit.js'
import { listCommunities } from '../db/communities.js'
import type { Sql } from '../db/connect.js'
import { routeModule } from '../env.js'
import { ApiError } from '../errors.js'
import { clientIp } from '../http/auth.js'
import { errorResponses, jsonAnswer } from '../http/openapi.js'
import { communityId, plainText } from '../http/params.js'

const username = z
  .string()
  .regex(/^[A-Za-z0-9_.@-]{3,64}$/, 'username must be 3–64 letters, digits or . _ @ -')
  .meta({ example: 'li.ming' })
const RoleGrant = z.object({ community: communityId, role: z.enum(ROLES) })
const roles = z
  .array(RoleGrant)
  .max(500)
  .refine((rs) => new Set(rs.map((r) => r.community)).size === rs.length, { message: 'one role per community' })

const NewUserBody = z
  .object({
    username,
    password: plainText('password', PASSWORD_LIMITS.min, PASSWORD_LIMITS.max),
    displayName: plainText('displayName', 1, 200).nullable().default(null),
    roles: roles.default([]),
    admin: z.boolean().default(false),
    mustChangePassword: z.boolean().default(true).meta({ description: 'the user must choose their own password at first login (default: yes)' }),
  })
  .meta({ id: 'NewUser' })

const UserChangesBody = z
  .object({
    displayName: plainText('displayName', 1, 200).nullable().optional(),
    password: plainText('password', PASSWORD_LIMITS.min, PASSWORD_LIMITS.max).optional().meta({ description: 'a reset: the user must choose a new one at next login; their sessions end' }),
    roles: roles.optional(),
    disabled: z.boolean().optional().meta({ description: 'a disabled user cannot log in; their sessions end' }),
    admin: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'UserChanges' })

const usernameParam = z.string().openapi({ param: { name: 'username', in: 'path' }, example: 'li.ming' })
const json = <S extends z.ZodType>(schema: S) => ({ body: { required: true, content: { 'application/json': { schema } } } })

/** 400 unless every community named exists. */
async function checkCommunities(sql: Sql, grants: { community: string }[]) {
  const known = new Set((await listCommunities(sql)).map((c) => c.id))
  const unknown = grants.map((g) => g.community).filter((id) => !known.has(id))
  if (unknown.length > 0) throw new ApiError('invalid_parameter', `no such community: ${unknown.join(', ')}`, { communities: unknown })
}

/** 409 when a change would leave no enabled system administrator. */
async function keepAnAdmin(sql: Sql) {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from users where admin and not disabled`
  if (row!.n === 0) throw new ApiError('conflict', 'this would leave no enabled system administrator')
}

export const users = routeModule()
  .openapi(createRoute({ method: 'get', path: '/', tags: ['users'], summary: 'Every user with their roles', responses: jsonAnswer('users', UserListSchema) }), async (c) =>
    c.json({ users: await listUsers(c.var.sql) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['users'],
      summary: 'Create a user with roles per community',
      request: json(NewUserBody),
      responses: { 201: { description: 'created', content: { 'application/json': { schema: z.object({ user: UserSchema }) } } }, ...errorResponses },
    }),
    async (c) => {
      const b = c.req.valid('json')
      await checkCommunities(c.var.sql, b.roles)
      if (await findAccount(c.var.sql, b.username)) throw new ApiError('conflict', `the username "${b.username}" is taken`, { username: b.username })
      const passwordHash = await hashPassword(b.password)
      const user = await c.var.sql.begin(async (tx) => {
        const sql = tx as unknown as Sql
        await insertUser(sql, { username: b.username, passwordHash, displayName: b.displayName, admin: b.admin, mustChangePassword: b.mustChangePassword, roles: b.roles })
        const created = (await getUser(sql, b.username))!
        await audit(sql, { userId: c.var.user!.id, username: c.var.user!.username, action: 'user_created', entity: 'user', entityId: b.username, after: created, ip: clientIp(c) })
        return created
      })
      return c.json({ user }, 201)
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/{username}',
      tags: ['users'],
      summary: 'Change a user: display name, password reset, roles, disabled, admin',
      request: { params: z.object({ username: usernameParam }), ...json(UserChangesBody) },
      responses: { 200: { description: 'the user after the change', content: { 'application/json': { schema: z.object({ user: UserSchema }) } } }, ...errorResponses },
    }),
    async (c) => {
      const name = c.req.valid('param').username
      const b = c.req.valid('json')
      const account = await findAccount(c.var.sql, name)
      if (!account) throw new ApiError('not_found', `no user "${name}"`, { username: name })
      if (b.roles) await checkCommunities(c.var.sql, b.roles)
      const passwordHash = b.password === undefined ? undefined : await hashPassword(b.password)
      const user = await c.var.sql.begin(async (tx): Promise<UserSummary> => {
        const sql = tx as unknown as Sql
        const before = (await getUser(sql, name))!
        await updateUser(sql, account.id, {
          displayName: b.displayName,
          passwordHash,
          mustChangePassword: passwordHash === undefined ? undefined : true,
          disabled: b.disabled,
          admin: b.admin,
        })
        if (b.roles) await setRoles(sql, account.id, b.roles)
        if (b.disabled === true || b.admin === false) await keepAnAdmin(sql)
        // a reset password or a disabled account ends the user's sessions
        if (passwordHash !== undefined || b.disabled === true) await deleteUserSessions(sql, account.id)
        const after = (await getUser(sql, name))!
        await audit(sql, {
          userId: c.var.user!.id,
          username: c.var.user!.username,
          action: passwordHash !== undefined ? 'user_password_reset' : 'user_changed',
          entity: 'user',
          entityId: account.username,
          before,
          after,
          ip: clientIp(c),
        })
        return after
      })
      return c.json({ user }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{username}/sessions',
      tags: ['users'],
      summary: 'Log a user out everywhere: end all their sessions',
      request: { params: z.object({ username: usernameParam }) },
      responses: { 204: { description: 'done' }, ...errorResponses },
    }),
    async (c) => {
      const name = c.req.valid('param').username
      const account = await findAccount(c.var.sql, name)
      if (!account) throw new ApiError('not_found', `no user "${name}"`, { username: name })
      const ended = await deleteUserSessions(c.var.sql, account.id)
      await audit(c.var.sql, { userId: c.var.user!.id, username: c.var.user!.username, action: 'user_logged_out_everywhere', entity: 'user', entityId: account.username, after: { sessionsEnded: ended }, ip: clientIp(c) })
      return c.body(null, 204)
    },
  )
