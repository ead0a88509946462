/**
 * Logging in: the rate limits, the password check and the new session. Failed attempts are counted
 * per account and per address (rate-limiter-flexible, in memory); while either is over its limit the
 * answer is 429 with Retry-After, before any password is checked. Every attempt is audited.
 */
import type { Context } from 'hono'
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible'
import { findAccount, insertSession } from '../db/accounts.js'
import { audit } from '../db/audit.js'
import type { AppEnv } from '../env.js'
import { ApiError } from '../errors.js'
import { clientIp, newSessionToken } from '../http/auth.js'
import { verifyPassword } from './passwords.js'

/** Failed logins allowed per account and per address in a window, before 429. */
export const LOGIN_LIMITS = { perAccount: 5, perAddress: 20, windowSeconds: 15 * 60 } as const

/** The failure counters of one app. */
export interface LoginLimiter {
  perAccount: RateLimiterMemory
  perAddress: RateLimiterMemory
}

export function createLoginLimiter(limits = LOGIN_LIMITS): LoginLimiter {
  return {
    perAccount: new RateLimiterMemory({ points: limits.perAccount, duration: limits.windowSeconds }),
    perAddress: new RateLimiterMemory({ points: limits.perAddress, duration: limits.windowSeconds }),
  }
}

const tooMany = (res: RateLimiterRes) =>
  new ApiError('too_many_requests', 'too many failed logins; try again later', { retryAfterSeconds: Math.ceil(res.msBeforeNext / 1000) })

/** Checks a username and password; on success stores a session and returns its token. */
export async function login(c: Context<AppEnv>, username: string, password: string): Promise<{ token: string }> {
  const { perAccount, perAddress } = c.var.loginLimiter
  const ip = clientIp(c)
  const accountKey = username.toLowerCase()
  const addressKey = ip ?? 'unknown'
  for (const [limiter, key] of [[perAccount, accountKey], [perAddress, addressKey]] as const) {
    const state = await limiter.get(key)
    if (state !== null && state.remainingPoints <= 0) {
      c.header('retry-after', String(Math.ceil(state.msBeforeNext / 1000)))
      throw tooMany(state)
    }
  }
  const account = await findAccount(c.var.sql, username)
  // always one scrypt check, so an unknown user takes as long as a wrong password
  const ok = (await verifyPassword(password, account?.passwordHash ?? null)) && account !== null && !account.disabled
  if (!ok || !account) {
    await Promise.all([perAccount.penalty(accountKey), perAddress.penalty(addressKey)])
    await audit(c.var.sql, { userId: account?.id ?? null, username, action: 'login_failed', entity: 'session', ip })
    throw new ApiError('unauthorized', 'wrong username or password')
  }
  await perAccount.delete(accountKey)
  const { token, hash } = newSessionToken()
  await c.var.sql.begin(async (tx) => {
    await insertSession(tx as never, { userId: account.id, tokenHash: hash, maxSeconds: c.var.auth.sessionMaxSeconds, ip, userAgent: c.req.header('user-agent')?.slice(0, 300) ?? null })
    await audit(tx as never, { userId: account.id, username: account.username, action: 'login', entity: 'session', ip })
  })
  return { token }
}
