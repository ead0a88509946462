/** The logged-in user, for the parts of the app that show it or depend on what their role sees. */
import { createContext, useContext } from 'react'
import { can, type Capability } from '../../../server/src/access'
import type { Role } from '../../../server/src/contract'
import type { SessionUser } from './session'

export interface UserContextValue {
  user: SessionUser
  signOut: () => void
  changePassword: () => void
}

export const UserContext = createContext<UserContextValue | null>(null)

/** The logged-in user (null outside the logged-in app, e.g. in tests of a single component). */
export const useUser = () => useContext(UserContext)

/** The user's role in a community: a system administrator is an administrator everywhere. */
export function roleIn(user: SessionUser | undefined, communityId: string | undefined): Role | null {
  if (user === undefined || communityId === undefined) return null
  return user.admin ? 'admin' : (user.roles[communityId] ?? null)
}

/** Whether the logged-in user's role in a community has a capability (what it sees beyond the meeting view). */
export function useCan(communityId: string | undefined, capability: Capability): boolean {
  return can(roleIn(useUser()?.user, communityId), capability)
}
