/**
 * Whole answers checked against the contract (server/src/contract.ts), as tipg checks its answers
 * with its models: every field the schema names, with its type, and no field it does not name
 * (parsing strips unknown keys, so an answer with one more field does not equal its parse).
 */
import { expect } from 'vitest'
import type { z } from 'zod'

/** Asserts that `body` is exactly an answer of `schema`; returns it typed. */
export function expectAnswer<S extends z.ZodType>(schema: S, body: unknown, what = 'answer'): z.infer<S> {
  const parsed = schema.safeParse(body)
  if (!parsed.success) throw new Error(`${what} does not match the contract: ${JSON.stringify(parsed.error.issues.slice(0, 5), null, 1)}`)
  expect(parsed.data, `${what} has fields the contract does not name`).toEqual(body)
  return parsed.data
}
