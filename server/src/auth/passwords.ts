/**
 * Passwords: hashed with scrypt (memory-hard; Node's crypto), compared in constant time. A stored
 * hash reads `scrypt$N$r$p$salt$hash` (salt and hash base64url), so the parameters can be raised
 * later without breaking old hashes. N = 2^15, r = 8, p = 1 costs 32 MiB and ~100 ms per check: slow
 * for a password guesser, quick for a person logging in.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto'

const N = 2 ** 15
const R = 8
const P = 1
const KEY_LENGTH = 32
const SALT_LENGTH = 16

export { PASSWORD_LIMITS } from '../contract.js'

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFC'), salt, keyLength, { ...options, maxmem: 256 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  )
}

/** A new hash of `password`, with a fresh salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH)
  const key = await scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P })
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

/** A hash no password matches, checked when there is no such user so both cases take as long. */
let decoy: Promise<string> | null = null

/**
 * Whether `password` matches `stored` (a hash from hashPassword); null `stored` (no such user) is
 * checked against a decoy, so that "no such user" and "wrong password" take the same time.
 */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  decoy ??= hashPassword(randomBytes(24).toString('base64url'))
  const hash = stored ?? (await decoy)
  const parts = hash.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string]
  const expected = Buffer.from(key, 'base64url')
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) })
  return timingSafeEqual(actual, expected) && stored !== null
}

/** A random password for a generated account: 20 characters of base64url, ~120 bits. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url')
}
