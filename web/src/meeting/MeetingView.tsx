/**
 * The meeting view: the briefing pack of a period beside the map (issue 13). The period (a month or
 * quarter of the data, or any dates), what it is compared with, and the coverage windows; the
 * scorecard, incidents with their honest changes, the per-zone table (sortable; a zone flies the
 * map there and opens its page), hot spots, coverage, priority gaps, disputes and problems; the
 * projector, print / PDF (A4 portrait or landscape), the spreadsheets, and filed briefings —
 * "file this briefing" keeps the figures as presented, and a filed one reopens exactly as it was.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { flushSync } from 'react-dom'
import type { Map as MapLibreMap } from 'maplibre-gl'
import type { Community } from '../api'
import { MEETING_COMPARE, MEETING_DEFAULTS, MEETING_WINDOWS } from '../../../server/src/contract'
import { useI18n } from '../i18n'
import { ApiError } from '../lib/api-error'
import { formatDate, formatDateTime } from '../lib/dates'
import type { MeetingState } from '../lib/url-state'
import { ApiErrorLine } from '../ui/ApiErrorLine'
import { DateField } from '../ui/DateField'
import { Missing, useMissing } from '../ui/Empty'
import { fetchBriefings, fetchFiled, fetchPack, fileBriefing, filedFileUrl, packFileUrl, type Briefing, type BriefingMeta, type MeetingCompare, type MeetingPack, type MeetingWindow, type PackQuery } from './api'
import { captureMap, copyMap, type MapPicture } from './capture'
import { PERIOD_PRESETS, presetOf, presetPeriod, type Period } from './model'
import { PrintDoc, type Orientation } from './PrintDoc'
import { Projector } from './Projector'
import { Coverage, Gaps, Hotspots, Incidents, People, periodText, Scorecard, Section, zoneLabel, ZonePage } from './sections'
import { useMeetingLayer } from './useMeetingLayer'
import { ZoneTable } from './ZoneTable'
import './meeting.css'

export interface MeetingViewProps {
  community: Community
  map: MapLibreMap | null
  state: MeetingState
  onChange: (patch: Partial<MeetingState>) => void
  /** the latest local date with incidents (the default period is its month) */
  latest: string | null
  /** whether the user may file briefings (admins and planners) */
  mayFile: boolean
  /** fly the map to a zone */
  onFly: (zoneId: number) => void
  /** how much of the map's width the view covers, from the left */
  onWidth: (px: number) => void
  onClose: () => void
}

type Loaded = { pack: MeetingPack; filed: Briefing | null }

export function MeetingView({ community, map, state, onChange, latest, mayFile, onFly, onWidth, onClose }: MeetingViewProps) {
  const { t, lang } = useI18n()
  const el = useRef<HTMLElement>(null)
  const fallback = latest ?? new Date().toISOString().slice(0, 10)
  const period: Period = state.from !== null && state.to !== null ? { from: state.from, to: state.to } : presetPeriod('month', fallback)
  const [windows, setWindows] = useState<Record<MeetingWindow, string>>({ day: '', evening: '', night: '' })
  const query: PackQuery = useMemo(() => ({ from: period.from, to: period.to, compare: state.compare, windows }), [period.from, period.to, state.compare, windows])
  const [loaded, setLoaded] = useState<Loaded | ApiError | null>(null)
  const [briefings, setBriefings] = useState<BriefingMeta[] | null>(null)
  const [listVersion, setListVersion] = useState(0)
  const [chosen, setChosen] = useState<number | null>(null)
  const [projector, setProjector] = useState(false)
  const [picture, setPicture] = useState<MapPicture | null>(null)
  const [orientation, setOrientation] = useState<Orientation>('portrait')
  const [producedAt, setProducedAt] = useState(() => new Date())
  const [busy, setBusy] = useState<'print' | 'projector' | 'file' | null>(null)
  const [filing, setFiling] = useState<{ title: string; error: ApiError | null } | null>(null)
  const [notice, setNotice] = useState<string | null>(null)

  // how much of the map the view covers (nothing on a phone, where it takes the whole map area)
  const mapLeft = useCallback(() => {
    const node = el.current
    const area = node?.parentElement
    return node && area && !window.matchMedia('(max-width: 720px)').matches ? Math.round(node.getBoundingClientRect().right - area.getBoundingClientRect().left) : 0
  }, [])
  const report = useRef(onWidth)
  report.current = onWidth
  useEffect(() => {
    const node = el.current
    const area = node?.parentElement
    if (!node || !area) return
    const measure = () => report.current(mapLeft())
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(node)
    observer.observe(area)
    return () => {
      observer.disconnect()
      report.current(0)
    }
  }, [mapLeft])

  // the pack: live, or a filed briefing as it was filed
  useEffect(() => {
    const abort = new AbortController()
    setLoaded(null)
    const request =
      state.briefing !== null
        ? fetchFiled(community.id, state.briefing, lang, abort.signal).then((f): Loaded => ({ pack: f.pack, filed: f }))
        : fetchPack(community.id, query, lang, abort.signal).then((pack): Loaded => ({ pack, filed: null }))
    request.then(
      (l) => {
        setLoaded(l)
        setPicture(null)
      },
      (err: unknown) => {
        if (!abort.signal.aborted) setLoaded(err instanceof ApiError ? err : new ApiError(0, 'network', String(err)))
      },
    )
    return () => abort.abort()
  }, [community.id, query, lang, state.briefing])

  // the filed briefings
  useEffect(() => {
    const abort = new AbortController()
    fetchBriefings(community.id, abort.signal).then(
      (b) => setBriefings(b.briefings),
      () => setBriefings(null),
    )
    return () => abort.abort()
  }, [community.id, listVersion])

  const pack = loaded !== null && !(loaded instanceof ApiError) ? loaded.pack : null
  const filed = loaded !== null && !(loaded instanceof ApiError) ? loaded.filed : null
  useMeetingLayer(map, pack)

  const takePicture = useCallback(async () => {
    if (map === null) return null
    try {
      const p = await captureMap(map, community.bbox, mapLeft())
      setPicture(p)
      return p
    } catch {
      return null // a map that cannot be drawn leaves the pack without its picture, not without the pack
    }
  }, [map, community.bbox, mapLeft])

  // Ctrl+P without the print button: the map as it is now, unless the button (or the projector)
  // already fitted it to the community for this pack
  const fitted = picture?.fitted === true
  useEffect(() => {
    const before = () => {
      flushSync(() => {
        setProducedAt(new Date())
        if (map !== null && !fitted) {
          try {
            setPicture(copyMap(map, mapLeft()))
          } catch {
            // printed without the map
          }
        }
      })
    }
    window.addEventListener('beforeprint', before)
    return () => window.removeEventListener('beforeprint', before)
  }, [map, mapLeft, fitted])

  const print = async () => {
    setBusy('print')
    await takePicture()
    setProducedAt(new Date())
    // two frames: the picture is laid out in the print document before the dialog takes the page
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
    window.print()
    setBusy(null)
  }
  const project = async () => {
    setBusy('projector')
    await takePicture()
    setBusy(null)
    setProjector(true)
  }
  const file = async () => {
    if (filing === null) return
    setBusy('file')
    try {
      const f = await fileBriefing(community.id, query, filing.title)
      setFiling(null)
      setNotice(t('meeting.filed.done', { title: f.title }))
      setListVersion((v) => v + 1)
    } catch (err) {
      setFiling({ ...filing, error: err instanceof ApiError ? err : new ApiError(0, 'network', String(err)) })
    } finally {
      setBusy(null)
    }
  }

  const chooseZone = (zoneId: number) => {
    setChosen(zoneId)
    onFly(zoneId)
  }
  // the zone's page comes into view when a zone is chosen
  useEffect(() => {
    if (chosen !== null) el.current?.querySelector('[data-testid=meeting-section-zone]')?.scrollIntoView({ block: 'start', behavior: 'smooth' })
  }, [chosen])
  const zone = pack?.zones.find((z) => z.zoneId === chosen) ?? null
  const preset = presetOf(period, fallback)
  const communityName = lang === 'zh' ? community.nameZh || community.name : community.name
  const files = (kind: 'xlsx' | 'zones.csv' | 'scorecard.csv') => (filed !== null ? filedFileUrl(community.id, filed.id, lang, kind) : packFileUrl(community.id, query, lang, kind))
  const other = pack === null ? '' : t(`meeting.other.${pack.compare.kind}`)

  return (
    <section ref={el} className="meeting" data-testid="meeting" aria-label={t('meeting.title')}>
      <div className="meeting-head">
        <h2>{t('meeting.title')}</h2>
        <button type="button" className="panel-close" onClick={onClose} aria-label={t('meeting.close')} title={t('meeting.close')}>
          ×
        </button>
      </div>

      {state.briefing === null ? (
        <div className="meeting-controls">
          <label>
            {t('meeting.period')}
            <select value={preset ?? 'custom'} data-testid="meeting-preset" onChange={(e) => e.target.value !== 'custom' && onChange(presetPeriod(e.target.value as (typeof PERIOD_PRESETS)[number], fallback))}>
              {PERIOD_PRESETS.map((p) => {
                const q = presetPeriod(p, fallback)
                return (
                  <option key={p} value={p}>
                    {t(`meeting.preset.${p}`)} ({periodText(q, lang)})
                  </option>
                )
              })}
              <option value="custom">{t('meeting.preset.custom')}</option>
            </select>
          </label>
          <DateField value={period.from} onCommit={(v) => v !== null && onChange({ from: v, to: v > period.to ? v : period.to })} label={t('meeting.from')} placeholder="" testId="meeting-from" />
          <DateField value={period.to} onCommit={(v) => v !== null && onChange({ to: v, from: v < period.from ? v : period.from })} label={t('meeting.to')} placeholder="" testId="meeting-to" />
          <label>
            {t('meeting.compare')}
            <select value={state.compare} data-testid="meeting-compare" onChange={(e) => onChange({ compare: e.target.value as MeetingCompare })}>
              {MEETING_COMPARE.map((c) => (
                <option key={c} value={c}>
                  {t(`meeting.compare.${c}`)}
                </option>
              ))}
            </select>
          </label>
          <details className="meeting-windows">
            <summary>{t('meeting.windows')}</summary>
            {MEETING_WINDOWS.map((w) => (
              <label key={w}>
                {t(`meeting.window.${w}`)}
                <input
                  type="text"
                  inputMode="numeric"
                  placeholder={MEETING_DEFAULTS.windows[w]}
                  defaultValue={windows[w]}
                  data-testid={`meeting-window-${w}`}
                  onBlur={(e) => setWindows((x) => (x[w] === e.target.value ? x : { ...x, [w]: e.target.value }))}
                  onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
                />
              </label>
            ))}
            <p className="meeting-muted">{t('meeting.windows.help')}</p>
          </details>
        </div>
      ) : (
        filed !== null && (
          <p className="meeting-filed" data-testid="meeting-filed">
            {t('meeting.filed.bannerBy', { title: filed.title, when: formatDateTime(filed.filedAt, lang), who: filed.filedBy.username })}{' '}
            <button type="button" className="link" data-testid="meeting-live" onClick={() => onChange({ briefing: null })}>
              {t('meeting.filed.live')}
            </button>
          </p>
        )
      )}

      <div className="meeting-actions">
        <button type="button" data-testid="meeting-projector" disabled={pack === null || busy !== null} onClick={() => void project()}>
          {busy === 'projector' ? t('meeting.preparing') : t('meeting.projector')}
        </button>
        <span className="meeting-print-group">
          <button type="button" data-testid="meeting-print-button" disabled={pack === null || busy !== null} onClick={() => void print()}>
            {busy === 'print' ? t('meeting.preparing') : t('meeting.print')}
          </button>
          <select value={orientation} aria-label={t('meeting.print.orientation')} data-testid="meeting-orientation" onChange={(e) => setOrientation(e.target.value as Orientation)}>
            <option value="portrait">{t('meeting.print.portrait')}</option>
            <option value="landscape">{t('meeting.print.landscape')}</option>
          </select>
        </span>
        <a className={`button${pack === null ? ' disabled' : ''}`} href={files('xlsx')} download data-testid="meeting-xlsx" title={t('meeting.xlsx.title')}>
          .xlsx
        </a>
        <a className={`button${pack === null ? ' disabled' : ''}`} href={files('zones.csv')} download data-testid="meeting-csv" title={t('meeting.csv.title')}>
          CSV
        </a>
        {mayFile && state.briefing === null && (
          <button type="button" data-testid="meeting-file" disabled={pack === null || busy !== null} onClick={() => setFiling({ title: `${communityName} ${periodText(period, lang)}`, error: null })}>
            {t('meeting.file')}
          </button>
        )}
        {briefings !== null && briefings.length > 0 && (
          <label className="meeting-filed-list">
            {t('meeting.filed.list')}
            <select value={state.briefing ?? ''} data-testid="meeting-briefings" onChange={(e) => onChange({ briefing: e.target.value === '' ? null : Number(e.target.value) })}>
              <option value="">{t('meeting.filed.liveOption')}</option>
              {briefings.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.title} · {formatDate(b.filedAt.slice(0, 10), lang)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>

      {filing !== null && (
        <form
          className="meeting-file-form"
          data-testid="meeting-file-form"
          onSubmit={(e) => {
            e.preventDefault()
            void file()
          }}
        >
          <p className="meeting-note">{t('meeting.file.help')}</p>
          <label>
            {t('meeting.file.titleLabel')}
            <input type="text" maxLength={200} value={filing.title} data-testid="meeting-file-title" onChange={(e) => setFiling({ ...filing, title: e.target.value })} />
          </label>
          <button type="submit" data-testid="meeting-file-confirm" disabled={busy === 'file'}>
            {t('meeting.file.confirm')}
          </button>
          <button type="button" className="link" onClick={() => setFiling(null)}>
            {t('meeting.cancel')}
          </button>
          {filing.error && <ApiErrorLine error={filing.error} />}
        </form>
      )}
      {notice !== null && (
        <p className="meeting-notice" role="status" data-testid="meeting-notice">
          {notice}
        </p>
      )}

      <div className="meeting-body">
        {loaded === null && <p className="analysis-status" data-testid="meeting-loading">{t('meeting.loading')}</p>}
        {loaded instanceof ApiError && <ApiErrorLine error={loaded} />}
        {pack !== null && (
          <div data-testid="meeting-pack" data-from={pack.period.from} data-to={pack.period.to}>
            <p className="meeting-note" data-testid="meeting-summary">
              {t('meeting.summary', { period: periodText(pack.period, lang), days: pack.period.days })} {t('meeting.comparedWith', { other, period: periodText(pack.compare, lang) })}
              {!pack.compare.available && ` ${t('meeting.noComparison', { from: pack.compare.from })}`}
              {pack.compare.filed && (
                <span data-testid="meeting-compared-filed">
                  {' '}
                  {t('meeting.comparedWithFiled', { title: pack.compare.filed.title, when: formatDate(pack.compare.filed.filedAt.slice(0, 10), lang) })}
                </span>
              )}
            </p>
            {pack.overall.incidents.total.count === 0 && <NothingInPeriod zones={pack.zones.length} />}
            <Section title={t('meeting.section.scorecard')} testId="meeting-section-scorecard">
              <Scorecard pack={pack} />
            </Section>
            <Section title={t('meeting.section.zones')} testId="meeting-section-zones">
              <p className="meeting-muted">{t('meeting.zones.help')}</p>
              <ZoneTable pack={pack} chosen={chosen} onChoose={(z) => z.zoneId !== null && chooseZone(z.zoneId)} />
            </Section>
            {zone !== null && (
              <Section title={t('meeting.zonePage', { zone: zoneLabel(zone, t) })} testId="meeting-section-zone" className="meeting-zone">
                <button type="button" className="link" onClick={() => setChosen(null)}>
                  {t('meeting.zonePage.close')}
                </button>
                <ZonePage pack={pack} zone={zone} />
              </Section>
            )}
            <Section title={t('meeting.section.incidents')} testId="meeting-section-incidents">
              <Incidents pack={pack} line={pack.overall} />
            </Section>
            <Section title={t('meeting.section.hotspots')} testId="meeting-section-hotspots">
              <Hotspots pack={pack} />
            </Section>
            <Section title={t('meeting.section.coverage')} testId="meeting-section-coverage">
              <Coverage pack={pack} line={pack.overall} />
            </Section>
            <Section title={t('meeting.section.gaps')} testId="meeting-section-gaps">
              <Gaps pack={pack} />
            </Section>
            <Section title={t('meeting.section.people')} testId="meeting-section-people">
              <People pack={pack} line={pack.overall} />
            </Section>
          </div>
        )}
      </div>

      {pack !== null && <PrintDoc pack={pack} communityName={communityName} picture={picture} orientation={orientation} producedAt={producedAt} filed={filed} />}
      {pack !== null && projector && <Projector pack={pack} communityName={communityName} picture={picture} filed={filed} onClose={() => setProjector(false)} />}
    </section>
  )
}

/** A period without incidents: in an empty community, what it is missing; else that the period had none. */
function NothingInPeriod({ zones }: { zones: number }) {
  const { t } = useI18n()
  const noZones = useMissing('zones')
  const noIncidents = useMissing('incidents')
  if (noZones || noIncidents)
    return (
      <div data-testid="meeting-empty">
        {zones === 0 && <p className="meeting-note">{t('empty.meeting')}</p>}
        <Missing what={[...(noZones ? (['zones'] as const) : []), ...(noIncidents ? (['incidents'] as const) : [])]} />
      </div>
    )
  return (
    <p className="empty-note" data-testid="meeting-empty">
      {t('empty.meeting.incidents')}
    </p>
  )
}
