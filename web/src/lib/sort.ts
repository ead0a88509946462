/**
 * Sorting a list by a column (issue 12: the people panel's lists; the same rules as the coverage
 * panel's zone table): numbers by value, text in natural order for the UI language (G2 before G10),
 * a row without a value last in either direction, ties in the list's own order.
 */

export type SortDirection = 'ascending' | 'descending'

/** A column's value in a row: a number, text, or null (nothing to sort by). */
export type SortValue = number | string | null

/** What a list is sorted by; column null: as the server listed it (its own order, e.g. overdue first). */
export interface SortState<K extends string> {
  column: K | null
  direction: SortDirection
}

/** The next state after a click on `column`: the other direction of the same column, else `column` in its first direction. */
export function nextSort<K extends string>(s: SortState<K>, column: K, first: SortDirection = 'ascending'): SortState<K> {
  return s.column === column ? { column, direction: s.direction === 'ascending' ? 'descending' : 'ascending' } : { column, direction: first }
}

/** `rows` sorted by `value` (a new array; the rows keep their order among equals). */
export function sortRows<T>(rows: readonly T[], value: (row: T) => SortValue, direction: SortDirection, locale = 'en'): T[] {
  const sign = direction === 'ascending' ? 1 : -1
  const collator = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' })
  return rows
    .map((row, index) => ({ row, index, v: value(row) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.index - b.index : a.v === null ? 1 : -1
      const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : collator.compare(String(a.v), String(b.v))
      return sign * c || a.index - b.index
    })
    .map((x) => x.row)
}
