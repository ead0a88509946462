/**
 * The search box: buildings by address, zones by code, name or grid worker. Suggestions appear as
 * the planner types; Enter or a click flies the map to the result and opens its details.
 */
import { useEffect, useId, useRef, useState } from 'react'
import { search, type SearchResult } from '../api'
import { useI18n } from '../i18n'

export interface SearchProps {
  communityId: string
  onChoose: (result: SearchResult) => void
}

/** How long typing may pause before the server is asked. */
const DEBOUNCE_MS = 180

export function Search({ communityId, onChoose }: SearchProps) {
  const { t, lang } = useI18n()
  const [q, setQ] = useState('')
  const [results, setResults] = useState<SearchResult[] | null>(null)
  const [active, setActive] = useState(0)
  const [open, setOpen] = useState(false)
  const [failed, setFailed] = useState(false)
  const listId = useId()
  const root = useRef<HTMLDivElement>(null)

  useEffect(() => {
    const query = q.trim()
    if (query === '') {
      setResults(null)
      return
    }
    const abort = new AbortController()
    const timer = setTimeout(() => {
      search(communityId, query, lang, abort.signal)
        .then((r) => {
          setResults(r)
          setActive(0)
          setFailed(false)
        })
        .catch(() => {
          if (!abort.signal.aborted) setFailed(true)
        })
    }, DEBOUNCE_MS)
    return () => {
      clearTimeout(timer)
      abort.abort()
    }
  }, [q, communityId, lang])

  useEffect(() => {
    const onDown = (e: PointerEvent) => {
      if (root.current !== null && !root.current.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('pointerdown', onDown)
    return () => document.removeEventListener('pointerdown', onDown)
  }, [])

  const choose = (r: SearchResult) => {
    onChoose(r)
    setOpen(false)
    setQ(r.kind === 'zone' ? `${r.label} ${r.detail ?? ''}`.trim() : r.label)
  }
  const list = results ?? []
  const showList = open && q.trim() !== '' && results !== null

  return (
    <div className="search" ref={root} role="search">
      <input
        type="search"
        value={q}
        placeholder={t('search.placeholder')}
        aria-label={t('search.label')}
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList && list[active] ? `${listId}-${active}` : undefined}
        data-testid="search-input"
        onChange={(e) => {
          setQ(e.currentTarget.value)
          setOpen(true)
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault()
            setActive((a) => Math.min(a + 1, list.length - 1))
          } else if (e.key === 'ArrowUp') {
            e.preventDefault()
            setActive((a) => Math.max(a - 1, 0))
          } else if (e.key === 'Enter') {
            const r = list[active]
            if (r) choose(r)
          } else if (e.key === 'Escape') setOpen(false)
        }}
      />
      {showList && (
        <ul className="search-results" id={listId} role="listbox" data-testid="search-results">
          {list.length === 0 && <li className="search-empty">{failed ? t('search.failed') : t('search.none')}</li>}
          {list.map((r, i) => (
            <li
              key={`${r.kind}-${r.id}`}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              data-kind={r.kind}
              data-id={r.id}
              onPointerDown={(e) => e.preventDefault()}
              onClick={() => choose(r)}
              onMouseEnter={() => setActive(i)}
            >
              <span className="search-kind">{t(`search.kind.${r.kind}`)}</span>
              <span className="search-label">{r.label}</span>
              {r.detail && <span className="search-detail">{r.detail}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
