/**
 * Projector mode: the pack full screen in large type, one topic or one zone per page — title,
 * scorecard, incidents, hot spots (with the map), coverage, priority gaps, disputes and problems,
 * then each zone. Arrow keys, Page Up/Down, space, Home and End step through; Escape leaves.
 * Made for 1280 × 720.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { formatDateTime } from '../lib/dates'
import { useI18n } from '../i18n'
import type { MeetingPack } from './api'
import type { MapPicture } from './capture'
import { projectorPages, stepPage } from './model'
import { Coverage, Gaps, Hotspots, Incidents, People, periodText, Scorecard, zoneLabel, ZonePage } from './sections'
import { MapFigure } from './MapFigure'

export interface ProjectorProps {
  pack: MeetingPack
  communityName: string
  picture: MapPicture | null
  /** a filed briefing's title and when it was filed (null: the live figures) */
  filed: { title: string; filedAt: string } | null
  onClose: () => void
}

export function Projector({ pack, communityName, picture, filed, onClose }: ProjectorProps) {
  const { t, lang } = useI18n()
  const pages = projectorPages(pack)
  const [page, setPage] = useState(0)
  const el = useRef<HTMLDivElement>(null)
  const close = useRef(onClose)
  close.current = onClose

  const onKey = useCallback(
    (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault()
        close.current()
        return
      }
      const next = stepPage(e.key, page, pages.length)
      if (next === null) return
      e.preventDefault()
      setPage(next)
    },
    [page, pages.length],
  )
  useEffect(() => {
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onKey])
  // full screen where the browser allows it (not in every embedding); the overlay covers the window anyway
  useEffect(() => {
    const node = el.current
    node?.focus()
    if (node?.requestFullscreen && document.fullscreenElement === null) node.requestFullscreen().catch(() => {})
    const left = () => {
      if (document.fullscreenElement === null) close.current()
    }
    const timer = window.setTimeout(() => document.addEventListener('fullscreenchange', left), 0)
    return () => {
      window.clearTimeout(timer)
      document.removeEventListener('fullscreenchange', left)
      if (document.fullscreenElement !== null) document.exitFullscreen().catch(() => {})
    }
  }, [])

  const current = pages[page]!
  const other = t(`meeting.other.${pack.compare.kind}`)
  let title: string
  let body
  switch (current.kind) {
    case 'title':
      title = t('meeting.title')
      body = (
        <div className="projector-cover">
          <p className="projector-community">{communityName}</p>
          <p>{periodText(pack.period, lang)}</p>
          <p className="meeting-muted">
            {t('meeting.comparedWith', { other, period: periodText(pack.compare, lang) })}
          </p>
          {filed && <p className="meeting-muted">{t('meeting.filed.banner', { title: filed.title, when: formatDateTime(filed.filedAt, lang) })}</p>}
        </div>
      )
      break
    case 'scorecard':
      title = t('meeting.section.scorecard')
      body = <Scorecard pack={pack} />
      break
    case 'incidents':
      title = t('meeting.section.incidents')
      body = <Incidents pack={pack} line={pack.overall} chartWidth={560} />
      break
    case 'hotspots':
      title = t('meeting.section.hotspots')
      body = (
        <div className="projector-split">
          {picture && <MapFigure picture={picture} />}
          <div>
            <Hotspots pack={pack} limit={8} />
          </div>
        </div>
      )
      break
    case 'coverage':
      title = t('meeting.section.coverage')
      body = <Coverage pack={pack} line={pack.overall} />
      break
    case 'gaps':
      title = t('meeting.section.gaps')
      body = <Gaps pack={pack} limit={8} />
      break
    case 'people':
      title = t('meeting.section.people')
      body = <People pack={pack} line={pack.overall} />
      break
    case 'zone': {
      const zone = pack.zones.find((z) => z.zoneId === current.zoneId)!
      title = zoneLabel(zone, t)
      body = <ZonePage pack={pack} zone={zone} listed={4} />
      break
    }
  }
  return (
    <div ref={el} className="projector" role="dialog" aria-modal="true" aria-label={t('meeting.projector')} tabIndex={-1} data-testid="projector" data-page={page} data-kind={current.kind}>
      <header className="projector-head">
        <h2>{title}</h2>
        <span className="projector-where">
          {communityName} · {periodText(pack.period, lang)}
        </span>
      </header>
      <div className="projector-body">{body}</div>
      <footer className="projector-foot">
        <button type="button" onClick={() => setPage((p) => Math.max(0, p - 1))} disabled={page === 0} aria-label={t('meeting.projector.previous')}>
          ◀
        </button>
        <span data-testid="projector-count">{t('meeting.projector.page', { page: page + 1, pages: pages.length })}</span>
        <button type="button" onClick={() => setPage((p) => Math.min(pages.length - 1, p + 1))} disabled={page === pages.length - 1} aria-label={t('meeting.projector.next')}>
          ▶
        </button>
        <span className="meeting-muted">{t('meeting.projector.keys')}</span>
        <button type="button" className="projector-close" onClick={onClose}>
          {t('meeting.projector.exit')}
        </button>
      </footer>
    </div>
  )
}
