import { describe, expect, it } from 'vitest'
import { nextSort, sortRows } from '../../web/src/lib/sort'

describe('sorting a list by a column (web/src/lib/sort.ts)', () => {
  const rows = [
    { id: 1, zone: 'G10', days: 3 },
    { id: 2, zone: null, days: 40 },
    { id: 3, zone: 'G2', days: null },
    { id: 4, zone: 'g2', days: 3 },
    { id: 5, zone: 'G1', days: 12 },
  ]
  const ids = (r: typeof rows) => r.map((x) => x.id)

  it('sorts text in natural order and numbers by value, empty values last both ways, ties in the given order', () => {
    expect(ids(sortRows(rows, (r) => r.zone, 'ascending'))).toEqual([5, 3, 4, 1, 2])
    expect(ids(sortRows(rows, (r) => r.zone, 'descending'))).toEqual([1, 3, 4, 5, 2])
    expect(ids(sortRows(rows, (r) => r.days, 'ascending'))).toEqual([1, 4, 5, 2, 3])
    expect(ids(sortRows(rows, (r) => r.days, 'descending'))).toEqual([2, 5, 1, 4, 3])
    expect(ids(rows)).toEqual([1, 2, 3, 4, 5])
  })

  it('turns a column round on a second click and starts another in its first direction', () => {
    expect(nextSort({ column: 'zone', direction: 'ascending' }, 'zone')).toEqual({ column: 'zone', direction: 'descending' })
    expect(nextSort({ column: 'zone', direction: 'descending' }, 'zone')).toEqual({ column: 'zone', direction: 'ascending' })
    expect(nextSort({ column: 'zone', direction: 'descending' }, 'days', 'descending')).toEqual({ column: 'days', direction: 'descending' })
    expect(nextSort<'zone'>({ column: null, direction: 'ascending' }, 'zone')).toEqual({ column: 'zone', direction: 'ascending' })
  })
})
