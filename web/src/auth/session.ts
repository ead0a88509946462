/**
 * The session as the web app knows it: who is logged in (GET /api/session), logging in and out,
 * choosing a new password — and the one place an expired session is noticed: any answer 401 from
 * the API (getJson, map tiles) calls `sessionEnded()`, and the app shows the login page over the
 * same URL, so the map comes back as it was after logging in again.
 */
import { useCallback, useEffect, useState } from 'react'
import type { SessionAnswer } from '../../../server/src/contract'
import { requestJson } from '../api'
import { ApiError } from '../lib/api-error'

export type SessionUser = SessionAnswer['user']

export type SessionState =
  | { status: 'loading' }
  /** `ended`: a session existed and has ended (expired, or logged out elsewhere) */
  | { status: 'anonymous'; ended: boolean }
  | { status: 'user'; user: SessionUser }

const ended = new Set<() => void>()

/** Tells the app its session is over (an answer 401). */
export function sessionEnded(): void {
  for (const listener of ended) listener()
}

/** A request of the session API: its 401 is an answer (wrong password, no session), not the end of the app's session. */
const send = (method: string, path: string, body?: unknown) => requestJson<unknown>(path, { method, body, endsSession: false })

/** The logged-in user, or null. */
export async function fetchSession(): Promise<SessionUser | null> {
  try {
    return ((await send('GET', '/api/session')).body as SessionAnswer).user
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null
    throw e
  }
}

export const login = (username: string, password: string) => send('POST', '/api/session', { username, password }).then(() => undefined)
export const logout = () => send('DELETE', '/api/session').then(() => undefined)
export const changePassword = (currentPassword: string, newPassword: string) => send('PUT', '/api/session/password', { currentPassword, newPassword }).then(() => undefined)

/** The session, refreshed on demand and ended by any 401. */
export function useSession(): { session: SessionState; refresh: () => void; signOut: () => void } {
  const [session, setSession] = useState<SessionState>({ status: 'loading' })
  const [generation, setGeneration] = useState(0)
  const refresh = useCallback(() => setGeneration((g) => g + 1), [])
  useEffect(() => {
    let live = true
    fetchSession().then(
      (user) => live && setSession(user === null ? { status: 'anonymous', ended: false } : { status: 'user', user }),
      () => live && setSession({ status: 'anonymous', ended: false }),
    )
    return () => {
      live = false
    }
  }, [generation])
  useEffect(() => {
    const onEnded = () => setSession((s) => (s.status === 'user' ? { status: 'anonymous', ended: true } : s))
    ended.add(onEnded)
    return () => {
      ended.delete(onEnded)
    }
  }, [])
  const signOut = useCallback(() => {
    logout().finally(() => setSession({ status: 'anonymous', ended: false }))
  }, [])
  return { session, refresh, signOut }
}
