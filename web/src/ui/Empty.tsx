/**
 * An empty community (issue 10): a community starts with only its boundary, and every view says
 * what it is missing — "no grid zones yet — import or draw them" — instead of an empty map, a blank
 * panel or an error. What the community holds comes from its record counts (refreshed after an
 * import or a save); roles that may import get a button that opens the import panel, the others
 * are told to ask their administrator.
 */
import { createContext, useContext, type ReactNode } from 'react'
import type { Community } from '../api'
import { useI18n } from '../i18n'

/** What a community may be missing, in the order the map's notice lists it. */
export const CONTENTS = ['zones', 'buildings', 'routes', 'captains', 'incidents', 'disputes'] as const
export type Content = (typeof CONTENTS)[number]
/** What the map's notice lists (disputes are not on the map: the people panel says so). */
export const MAP_CONTENTS: readonly Content[] = ['zones', 'buildings', 'routes', 'captains', 'incidents']

export interface ContentsValue {
  /** the community's record counts; null before they are known (then nothing is said missing) */
  counts: Community['counts'] | null
  /** the user may import (admins, planners): the notices offer the import panel */
  mayImport: boolean
  /** opens the import panel */
  openImport: () => void
}

export const ContentsContext = createContext<ContentsValue>({ counts: null, mayImport: false, openImport: () => {} })

/** What the community holds, and how to fill it. */
export const useContents = () => useContext(ContentsContext)

/** True when the community is known to hold none of `what`. */
export function useMissing(what: Content): boolean {
  const { counts } = useContents()
  return counts !== null && counts[what] === 0
}

/**
 * A panel's line saying what is missing, with the import button (or "ask your administrator") and
 * an optional action of the panel's own (e.g. the plan panel's "draw a zone").
 */
export function Missing({ what, because, children }: { what: Content | readonly Content[]; because?: string; children?: ReactNode }) {
  const { t } = useI18n()
  const { mayImport, openImport } = useContents()
  const all = typeof what === 'string' ? [what] : what
  const id = all.join('-')
  return (
    <div className="empty-note" role="status" data-testid={`empty-${id}`}>
      {all.map((c, k) => (
        <p key={c}>
          <strong>{t(`empty.${c}`)}</strong>
          {because !== undefined && k === all.length - 1 && <> {because}</>}
        </p>
      ))}
      <div className="empty-actions">
        {children}
        {mayImport ? (
          <button type="button" data-testid={`empty-${id}-import`} onClick={openImport}>
            {t('empty.import')}
          </button>
        ) : (
          <span className="empty-ask">{t('empty.ask')}</span>
        )}
      </div>
    </div>
  )
}

/** The map's notice: every layer the community has nothing in yet, with the import button; it can be folded away. */
export function MapNotice({ folded, onFold, left, right }: { folded: boolean; onFold: (folded: boolean) => void; left: number; right: number }) {
  const { t } = useI18n()
  const { counts, mayImport, openImport } = useContents()
  if (counts === null) return null
  const missing = MAP_CONTENTS.filter((c) => counts[c] === 0)
  if (missing.length === 0) return null
  // centred over the part of the map the panels leave free, clear of the zoom buttons left of the dock (`right`: the dock's box, its bar too)
  const place = { left: left + 12, right: right + 56 }
  if (folded)
    return (
      <button style={place} type="button" className="empty-map-unfold" data-testid="empty-map-unfold" onClick={() => onFold(false)}>
        {t('empty.map.folded', { n: missing.length })}
      </button>
    )
  return (
    <div className="empty-map" style={place} role="status" data-testid="empty-map" data-missing={missing.join(' ')}>
      <div className="empty-map-head">
        <strong>{t('empty.map.title')}</strong>
        <button type="button" className="empty-map-fold" aria-label={t('empty.map.fold')} title={t('empty.map.fold')} data-testid="empty-map-fold" onClick={() => onFold(true)}>
          ×
        </button>
      </div>
      <ul>
        {missing.map((c) => (
          <li key={c} data-testid={`empty-map-${c}`}>
            {t(`empty.${c}`)}
          </li>
        ))}
      </ul>
      {mayImport ? (
        <button type="button" className="primary" data-testid="empty-map-import" onClick={openImport}>
          {t('empty.import')}
        </button>
      ) : (
        <p className="empty-ask">{t('empty.ask')}</p>
      )}
    </div>
  )
}
