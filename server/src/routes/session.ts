/**
 * /api/session: log in (POST), who am I (GET), log out (DELETE; `?everywhere=true` ends every
 * session of the user), and choose a new password (PUT /api/session/password).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { PASSWORD_LIMITS, SessionAnswerSchema, type SessionAnswer } from '../contract.js'
import { hashPassword, verifyPassword } from '../auth/passwords.js'
import { deleteSession, deleteUserSessions, findAccount, updateUser } from '../db/accounts.js'
import { audit } from '../db/audit.js'
import { routeModule } from '../env.js'
import { ApiError } from '../errors.js'
import { clearSessionCookie, clientIp, setSessionCookie } from '../http/auth.js'
import { login } from '../auth/login.js'
import { errorResponses, jsonAnswer } from '../http/openapi.js'
import { plainText } from '../http/params.js'

const LoginBody = z
  .object({ username: plainText('username', 1, 64), password: plainText('password', 1, PASSWORD_LIMITS.max) })
  .meta({ id: 'Login' })

const PasswordBody = z
  .object({ currentPassword: plainText('currentPassword', 1, PASSWORD_LIMITS.max), newPassword: plainText('newPassword', PASSWORD_LIMITS.min, PASSWORD_LIMITS.max) })
  .meta({ id: 'PasswordChange' })

const noContent = { 204: { description: 'done' }, ...errorResponses } as const
const json = <S extends z.ZodType>(schema: S) => ({ body: { required: true, content: { 'application/json': { schema } } } })

export const session = routeModule()
  .openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['session'],
      summary: 'Log in: sets the session cookie',
      description: 'Rate-limited per account and per address. "No such user", "wrong password" and "disabled" get the same 401.',
      request: json(LoginBody),
      responses: { ...noContent, 401: errorResponses[400], 429: errorResponses[400] },
    }),
    async (c) => {
      const { username, password } = c.req.valid('json')
      const { token } = await login(c, username, password)
      setSessionCookie(c, token)
      return c.body(null, 204)
    },
  )
  .openapi(
    createRoute({ method: 'get', path: '/', tags: ['session'], summary: 'The logged-in user and their roles per community', responses: jsonAnswer('the user', SessionAnswerSchema) }),
    (c) => {
      const u = c.var.user!
      const answer = { user: { username: u.username, displayName: u.displayName, admin: u.admin, mustChangePassword: u.mustChangePassword, roles: u.roles } } satisfies SessionAnswer
      return c.json(answer, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/',
      tags: ['session'],
      summary: 'Log out (this session, or with everywhere=true every session of the user)',
      request: { query: z.object({ everywhere: z.enum(['true', 'false']).optional().openapi({ param: { name: 'everywhere', in: 'query' } }) }) },
      responses: noContent,
    }),
    async (c) => {
      const u = c.var.user!
      const everywhere = c.req.valid('query').everywhere === 'true'
      if (everywhere) await deleteUserSessions(c.var.sql, u.id)
      else await deleteSession(c.var.sql, c.var.sessionHash!)
      await audit(c.var.sql, { userId: u.id, username: u.username, action: everywhere ? 'logout_everywhere' : 'logout', entity: 'session', ip: clientIp(c) })
      clearSessionCookie(c)
      return c.body(null, 204)
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/password',
      tags: ['session'],
      summary: 'Choose a new password (needs the current one); other sessions of the user end',
      request: json(PasswordBody),
      responses: noContent,
    }),
    async (c) => {
      const u = c.var.user!
      const { currentPassword, newPassword } = c.req.valid('json')
      const account = await findAccount(c.var.sql, u.username)
      if (!account || !(await verifyPassword(currentPassword, account.passwordHash))) throw new ApiError('invalid_parameter', 'the current password is not right', { field: 'currentPassword' })
      if (newPassword === currentPassword) throw new ApiError('invalid_parameter', 'the new password must differ from the current one', { field: 'newPassword' })
      const passwordHash = await hashPassword(newPassword)
      await c.var.sql.begin(async (tx) => {
        await updateUser(tx as never, u.id, { passwordHash, mustChangePassword: false })
        await tx`delete from sessions where user_id = ${u.id} and token_hash <> ${c.var.sessionHash!}`
        await audit(tx as never, { userId: u.id, username: u.username, action: 'password_changed', entity: 'user', entityId: u.username, ip: clientIp(c) })
      })
      return c.body(null, 204)
    },
  )
