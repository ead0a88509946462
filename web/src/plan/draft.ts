/**
 * A planner's draft: the changes to zones, routes, shifts, teams and captains not yet saved, in the
 * order the server will apply them (POST …/plans and …/plans/preview take them in this order and
 * check each against what the ones before it left — e.g. a merge deletes the absorbed zone before
 * the other grows over it). Pure functions over an immutable list; the panel keeps the list.
 */
import type { Change, PlanEntity } from '../../../server/src/contract'

/** One change of the draft, with what the planner sees of it. */
export interface DraftChange {
  /** `${entity}:${id}` for a row that exists, `new:${n}` for one the draft creates */
  key: string
  entity: PlanEntity
  /** the row changed or deleted (none: the draft creates it) */
  id?: number
  /** the version the change was made on */
  version?: number
  delete?: true
  /** the fields set, by the layers' camelCase names */
  set: Record<string, unknown>
  /** the row's name or code, for the list and for messages */
  label: string
}

export type Draft = readonly DraftChange[]

/** The draft key of an existing row. */
export const rowKey = (entity: PlanEntity, id: number) => `${entity}:${id}`

/** A key for a row the draft creates, unused in `draft`. */
export function newKey(draft: Draft): string {
  let n = draft.length + 1
  while (draft.some((c) => c.key === `new:${n}`)) n++
  return `new:${n}`
}

/**
 * Adds `change` to the draft. A later change of the same row is merged into the earlier one (the
 * later value of each field wins) and moves to the end, where the server meets it after the changes
 * it may depend on. Deleting a row drops its other changes; deleting a row the draft created drops
 * its creation altogether.
 */
export function addChange(draft: Draft, change: DraftChange): Draft {
  const earlier = draft.find((c) => c.key === change.key)
  const rest = draft.filter((c) => c.key !== change.key)
  if (earlier === undefined) return [...rest, change]
  if (change.delete) return earlier.id === undefined ? rest : [...rest, { ...change, set: {}, version: earlier.version ?? change.version }]
  return [...rest, { ...earlier, set: { ...earlier.set, ...change.set }, label: change.label }]
}

/**
 * Puts the change a form made to row `key` in place of the one the draft held (keeping its place in
 * the order); `change` null, or one that sets nothing and deletes nothing, takes it out.
 */
export function putChange(draft: Draft, key: string, change: DraftChange | null): Draft {
  const keep = change !== null && (change.delete === true || Object.keys(change.set).length > 0 || change.id === undefined)
  const i = draft.findIndex((c) => c.key === key)
  if (!keep) return i < 0 ? draft : draft.filter((c) => c.key !== key)
  if (i < 0) return [...draft, change]
  return draft.map((c, j) => (j === i ? change : c))
}

/** The draft without the change of row `key`. */
export const removeChange = (draft: Draft, key: string): Draft => draft.filter((c) => c.key !== key)

/** The change the draft holds for row `key`, if any. */
export const changeOf = (draft: Draft, key: string): DraftChange | undefined => draft.find((c) => c.key === key)

/** The body of POST …/plans and …/plans/preview. */
export function planBody(draft: Draft): { changes: Change[] } {
  return {
    changes: draft.map((c) => ({
      entity: c.entity,
      ...(c.id !== undefined ? { id: c.id, version: c.version } : {}),
      ...(c.delete ? { delete: true as const } : { set: c.set }),
    })),
  }
}

/**
 * The draft with the change of row `key` made on `version` instead (the planner saw what someone
 * else saved meanwhile and applies their own change on top of it).
 */
export function rebase(draft: Draft, key: string, version: number): Draft {
  return draft.map((c) => (c.key === key ? { ...c, version } : c))
}

/**
 * The fields of `values` that differ from `row` (deep, by JSON), for a change that sets only what
 * the planner changed; `fields` are the ones the form edits.
 */
export function changedFields(row: Record<string, unknown>, values: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of fields) {
    if (values[f] === undefined) continue
    if (JSON.stringify(normalise(values[f])) !== JSON.stringify(normalise(row[f]))) out[f] = values[f]
  }
  return out
}

/** A value compared by content: object keys in order, empty names left out. */
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise)
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined && x !== '')
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, normalise(x)]),
    )
  return v
}

/** Where a failed save points: the index of the failing change (details.change), or the only change. */
export function failedChange(draft: Draft, details: unknown): DraftChange | null {
  const i = (details as { change?: unknown } | null)?.change
  if (typeof i === 'number' && draft[i] !== undefined) return draft[i]
  return draft.length === 1 ? draft[0]! : null
}
