/**
 * A sortable column header (issue 12): a button in the `th` that sorts by its column — a click, or
 * Enter or Space once focused — with `aria-sort` on the header and an arrow: ▲ ascending,
 * ▼ descending, ↕ not sorted by it. `useSort` keeps what a list is sorted by and sorts its rows
 * (lib/sort.ts).
 */
import { useMemo, useState, type ReactNode } from 'react'
import './sort.css'
import { useI18n } from '../i18n'
import { nextSort, sortRows, type SortDirection, type SortState, type SortValue } from '../lib/sort'

export interface Sorted<T, K extends string> {
  rows: T[]
  sort: SortState<K>
  /** a click on the header of `column` */
  sortBy: (column: K) => void
}

/**
 * `rows` sorted by the chosen column (none at first: as given, unless `initial` names one):
 * `values[column](row)` gives a row's value; `first` the direction a column starts in when chosen
 * (default ascending).
 */
export function useSort<T, K extends string>(
  rows: readonly T[],
  values: Record<K, (row: T) => SortValue>,
  initial: SortState<NoInfer<K>>,
  first: Partial<Record<NoInfer<K>, SortDirection>> = {},
): Sorted<T, K> {
  const { lang } = useI18n()
  const [sort, setSort] = useState(initial)
  const value = sort.column === null ? null : values[sort.column]
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `values` is a new object each render; the column names the function
  const sorted = useMemo(() => (value === null ? [...rows] : sortRows(rows, value, sort.direction, lang === 'zh' ? 'zh-CN' : 'en')), [rows, sort, lang])
  return { rows: sorted, sort, sortBy: (column: K) => setSort((s) => nextSort(s, column, first[column] ?? 'ascending')) }
}

export interface SortHeaderProps<K extends string> {
  column: K
  sort: SortState<K>
  onSort: (column: K) => void
  children: ReactNode
  /** the button's test id (default `sort-<column>`) */
  testId?: string
  title?: string
  className?: string
}

/** A `th` (scope col) whose button sorts by `column`. */
export function SortHeader<K extends string>({ column, sort, onSort, children, testId, title, className }: SortHeaderProps<K>) {
  const current = sort.column === column ? sort.direction : 'none'
  return (
    <th scope="col" aria-sort={current} data-column={column} title={title} className={className}>
      <button type="button" className="sort-header" data-testid={testId ?? `sort-${column}`} onClick={() => onSort(column)}>
        {children}
        <span className="sort-mark" aria-hidden="true">
          {current === 'ascending' ? '▲' : current === 'descending' ? '▼' : '↕'}
        </span>
      </button>
    </th>
  )
}

/** A header row of sortable columns: each column's key, its label and its button's test id. */
export function SortHeaders<K extends string>({ columns, sorted }: { columns: readonly { column: K; label: string; testId?: string }[]; sorted: Pick<Sorted<unknown, K>, 'sort' | 'sortBy'> }) {
  return (
    <tr>
      {columns.map((c) => (
        <SortHeader key={c.column} column={c.column} sort={sorted.sort} onSort={sorted.sortBy} testId={c.testId}>
          {c.label}
        </SortHeader>
      ))}
    </tr>
  )
}
