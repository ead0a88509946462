/**
 * Personal access tokens (issue 10, "Export"): desktop GIS — QGIS, GDAL's OAPIF driver — cannot log
 * in through a form, so a system administrator issues a user a token that the tool sends as
 * `Authorization: Bearer <token>` (http/auth.ts): the same user and roles as their session, for
 * reading only. The secret is answered once and stored as a SHA-256 hash; lists never show it.
 * Tokens expire (1–365 days) and can be revoked. Issuing and revoking are audited.
 */
import { randomBytes } from 'node:crypto'
import { createRoute, z } from '@hono/zod-openapi'
import { findAccount } from '../db/accounts.js'
import { audit } from '../db/audit.js'
import type { Sql } from '../db/connect.js'
import { insertToken, listTokens, revokeToken } from '../db/tokens.js'
import { routeModule } from '../env.js'
import { ApiError } from '../errors.js'
import { clientIp, hashToken } from '../http/auth.js'
import { errorResponses, jsonAnswer } from '../http/openapi.js'
import { featureIdParam, plainText } from '../http/params.js'

/** Tokens start with this, so a leaked one is recognisable (e.g. by secret scanners). */
export const TOKEN_PREFIX = 'sgt_'
/** The most tokens listed per user. */
const LIST_MAX = 200
const DAYS = { default: 90, max: 365 }

const TokenSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    prefix: z.string().meta({ description: 'the first characters of the secret, to tell tokens apart' }),
    createdAt: z.string(),
    createdBy: z.string(),
    expiresAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'AccessToken' })

const NewTokenBody = z
  .object({
    name: plainText('name', 1, 100).meta({ example: 'QGIS on the office PC' }),
    expiresInDays: z.number().int().min(1).max(DAYS.max).default(DAYS.default).meta({ description: `days until it expires (1–${DAYS.max}, default ${DAYS.default})` }),
  })
  .strict()
  .meta({ id: 'NewAccessToken' })

const usernameParam = z.string().max(64).openapi({ param: { name: 'username', in: 'path' }, example: 'li.ming' })

/** The account of a username, or 404. */
async function accountOf(sql: Sql, username: string) {
  const account = await findAccount(sql, username)
  if (!account) throw new ApiError('not_found', `no user "${username}"`, { username })
  return account
}

export const tokens = routeModule()
  .openapi(
    createRoute({
      method: 'post',
      path: '/{username}/tokens',
      tags: ['users'],
      summary: 'Issue a personal access token (for desktop GIS): the secret is answered once',
      request: { params: z.object({ username: usernameParam }), body: { required: true, content: { 'application/json': { schema: NewTokenBody } } } },
      responses: {
        201: { description: 'the token, with its secret (shown only now)', content: { 'application/json': { schema: z.object({ token: TokenSchema, secret: z.string() }) } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { username } = c.req.valid('param')
      const b = c.req.valid('json')
      const account = await accountOf(c.var.sql, username)
      if (account.disabled) throw new ApiError('conflict', `the user "${account.username}" is disabled`, { username: account.username })
      const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url')
      const token = await c.var.sql.begin(async (tx) => {
        const sql = tx as unknown as Sql
        const row = await insertToken(sql, { userId: account.id, name: b.name, tokenHash: hashToken(secret), prefix: secret.slice(0, 10), createdBy: c.var.user!.username, days: b.expiresInDays })
        await audit(sql, { userId: c.var.user!.id, username: c.var.user!.username, action: 'token_issued', entity: 'user', entityId: account.username, after: row, ip: clientIp(c) })
        return row
      })
      return c.json({ token, secret }, 201, { 'cache-control': 'no-store' })
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{username}/tokens',
      tags: ['users'],
      summary: 'A user’s access tokens, newest first (never their secrets)',
      request: { params: z.object({ username: usernameParam }) },
      responses: jsonAnswer('tokens', z.object({ tokens: z.array(TokenSchema) })),
    }),
    async (c) => {
      const account = await accountOf(c.var.sql, c.req.valid('param').username)
      return c.json({ tokens: await listTokens(c.var.sql, account.id, LIST_MAX) }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{username}/tokens/{tokenId}',
      tags: ['users'],
      summary: 'Revoke an access token',
      request: { params: z.object({ username: usernameParam, tokenId: featureIdParam('tokenId') }) },
      responses: { 200: { description: 'the token, revoked', content: { 'application/json': { schema: z.object({ token: TokenSchema }) } } }, ...errorResponses },
    }),
    async (c) => {
      const { username, tokenId } = c.req.valid('param')
      const account = await accountOf(c.var.sql, username)
      const token = await c.var.sql.begin(async (tx) => {
        const sql = tx as unknown as Sql
        const changed = await revokeToken(sql, account.id, tokenId)
        if (!changed) throw new ApiError('not_found', `user "${account.username}" has no token ${tokenId}`, { username: account.username, tokenId })
        await audit(sql, { userId: c.var.user!.id, username: c.var.user!.username, action: 'token_revoked', entity: 'user', entityId: account.username, before: changed.before, after: changed.after, ip: clientIp(c) })
        return changed.after
      })
      return c.json({ token }, 200)
    },
  )
