/**
 * The people side of the programme (issue 12) in the dock: dispute figures per zone for the filter
 * bar's period — screened, mediation rate, success rate, resolved within the community,
 * escalations, petitions, each rate with what it is made of ("9 of 9"); and, for the roles that work
 * with records, the disputes (record one, move it along reported → mediating → agreed | failed |
 * referred, follow-up visits), the early warnings the mediator works through, the key problems
 * (overdue first, progress notes) and — for administrators and the care role only — the care files,
 * every read of which the server audits. Viewers see the figures and disputes as counts per zone.
 *
 * Progress for tests is `data-state` on each section (loading, ready, error).
 */
import { Fragment, useEffect, useMemo, useState, type ReactNode } from 'react'
import type { Feature, FeatureCollection, Point } from 'geojson'
import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl'
import { DISPUTE_FOUND_HOW, DISPUTE_KINDS, DISPUTE_LEVELS, DISPUTE_TRANSITIONS, type DisputeLevel, type DisputeStatus } from '../../../server/src/contract'
import { fetchLayer, type Community } from '../api'
import { useCan } from '../auth/context'
import { useI18n, type MessageKey } from '../i18n'
import { ApiError } from '../lib/api-error'
import { ApiErrorLine } from '../ui/ApiErrorLine'
import { formatDate, localToday } from '../lib/dates'
import { DISPUTE_STATUS_COLORS } from '../lib/palette'
import { buildingsFill } from '../map/layers'
import { useMapPick } from '../map/useMapPick'
import { PanelHead } from '../ui/Dock'
import { Missing, useMissing } from '../ui/Empty'
import { SortHeaders, useSort } from '../ui/SortHeader'
import { DisputeDensityControls, useDisputeDensity } from './DisputeDensity'
import {
  addCareVisit,
  addFollowUp,
  addProblemNote,
  changeDispute,
  createDispute,
  fetchCareCounts,
  fetchCareFiles,
  fetchDispute,
  fetchDisputeFigures,
  fetchDeadline,
  fetchDisputes,
  fetchProblems,
  fetchWarnings,
  saveDeadline,
  type CareFile,
  type Dispute,
  type DisputeFigures,
  type DisputeWarning,
  type Problem,
  type Ratio,
} from './api'
import { usePeopleLayer } from './usePeopleLayer'
import '../plan/plan.css'
import './people.css'

export interface PeoplePanelProps {
  community: Community
  map: MapLibreMap | null
  open: boolean
  onClose: () => void
  /** the filter bar's period (local dates; null: all data) */
  from: string | null
  to: string | null
  /** true while the panel takes the map's clicks (placing a new dispute) */
  onBusy: (busy: boolean) => void
  onPlace: (bbox: [number, number, number, number]) => void
}

type Tab = 'figures' | 'disputes' | 'warnings' | 'problems' | 'care'

const asError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, 'network', String(e)))

/** Loads `load()` for `key` (again when `reload` changes); the answer, or why there is none. */
function useLoad<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>, reload = 0): T | ApiError | null {
  const [answer, setAnswer] = useState<{ key: string; value: T | ApiError } | null>(null)
  useEffect(() => {
    if (key === null) return
    const abort = new AbortController()
    load(abort.signal).then(
      (value) => setAnswer({ key, value }),
      (e: unknown) => !abort.signal.aborted && setAnswer({ key, value: asError(e) }),
    )
    return () => abort.abort()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the key names what is loaded
  }, [key, reload])
  return answer !== null && answer.key === key ? answer.value : null
}

const stateOf = (v: unknown) => (v === null ? 'loading' : v instanceof ApiError ? 'error' : 'ready')

export function PeoplePanel({ community, map, open, onClose, from, to, onBusy, onPlace }: PeoplePanelProps) {
  const { t, lang } = useI18n()
  const records = useCan(community.id, 'disputeRecords')
  const mediate = useCan(community.id, 'mediate')
  const care = useCan(community.id, 'careFiles')
  const settings = useCan(community.id, 'communitySettings')
  const density = useDisputeDensity(map, community, open, from, to)
  const [tab, setTab] = useState<Tab>('figures')
  const [selected, setSelected] = useState<number | null>(null)
  const [reload, setReload] = useState(0)
  const today = localToday(community.timeZone)
  const tabs: Tab[] = ['figures', ...(records ? (['disputes', 'warnings', 'problems'] as const) : []), ...(care ? (['care'] as const) : [])]

  // the disputes on the map: records for roles that see them, counts per zone for the others
  const disputes = useLoad(open && records ? `${community.id}#${reload}` : null, (s) => fetchDisputes(community.id, s), reload)
  const counts = useLoad(open && !records ? `${community.id}:${lang}` : null, (s) => fetchLayer(community.id, 'disputes' as never, lang, s) as Promise<unknown> as Promise<FeatureCollection<Point, { count?: number }>>)
  const layer = useMemo((): FeatureCollection | null => {
    if (!open) return null
    if (records)
      return {
        type: 'FeatureCollection',
        features:
          disputes === null || disputes instanceof ApiError
            ? []
            : disputes.disputes.map((d): Feature => ({ type: 'Feature', geometry: { type: 'Point', coordinates: d.location }, properties: { id: d.id, status: d.status, selected: d.id === selected } })),
      }
    return counts === null || counts instanceof ApiError ? { type: 'FeatureCollection', features: [] } : { type: 'FeatureCollection', features: counts.features.map((f) => ({ ...f, properties: { count: f.properties.count ?? 0 } })) }
  }, [open, records, disputes, counts, selected])
  usePeopleLayer(map, layer)

  // a click on a dispute on the map opens it
  useEffect(() => {
    if (map === null || !open || !records) return
    const onClick = (e: MapMouseEvent) => {
      const [f] = map.queryRenderedFeatures(e.point, { layers: ['people-disputes'] })
      if (f !== undefined) {
        setSelected(Number(f.properties.id))
        setTab('disputes')
      }
    }
    map.on('click', onClick)
    return () => {
      map.off('click', onClick)
    }
  }, [map, open, records])

  // an empty community: no disputes yet (one recorded here since counts it, before the counts are read again)
  const noneRecorded = useMissing('disputes')
  if (!open) return null
  const list = disputes !== null && !(disputes instanceof ApiError) ? disputes.disputes : []
  const noDisputes = noneRecorded && list.length === 0

  return (
    <section className="people dock-panel" data-testid="people" aria-labelledby="people-title">
      <PanelHead id="people-title" title={t('people.title')} closeLabel={t('people.close')} closeTestId="people-close" onClose={onClose} />
      {noDisputes && <Missing what="disputes" because={t('empty.people')} />}
      {tabs.length > 1 && (
        <div className="people-tabs" role="tablist" aria-label={t('people.title')}>
          {tabs.map((x) => (
            <button key={x} type="button" role="tab" aria-selected={x === tab} data-testid={`people-tab-${x}`} onClick={() => setTab(x)}>
              {t(`people.tab.${x}` as MessageKey)}
            </button>
          ))}
        </div>
      )}
      {tab === 'figures' && <DisputeDensityControls density={density} />}
      {tab === 'figures' && <Figures community={community} from={from} to={to} reload={reload} />}
      {tab === 'disputes' && records && (
        <Disputes
          community={community}
          map={map}
          list={disputes}
          listed={list}
          mediate={mediate}
          selected={selected}
          onSelect={(id) => {
            setSelected(id)
            const d = list.find((x) => x.id === id)
            if (d) onPlace([d.location[0] - 0.0008, d.location[1] - 0.0006, d.location[0] + 0.0008, d.location[1] + 0.0006])
          }}
          onChanged={() => setReload((r) => r + 1)}
          onBusy={onBusy}
          today={today}
        />
      )}
      {tab === 'warnings' && records && (
        <Warnings
          community={community}
          asOf={to ?? today}
          settings={settings}
          onDispute={(id) => {
            setSelected(id)
            setTab('disputes')
          }}
        />
      )}
      {tab === 'problems' && records && <Problems community={community} asOf={to ?? today} mediate={mediate} today={today} />}
      {tab === 'care' && care && <CareFiles community={community} today={today} />}
      {!records && <CareCountsLine community={community} />}
      <ul className="legend people-legend">
        {records ? (
          Object.entries(DISPUTE_STATUS_COLORS).map(([s, c]) => (
            <li key={s}>
              <span className="people-dot" style={{ background: c }} aria-hidden="true" />
              {t(`people.status.${s}` as MessageKey)}
            </li>
          ))
        ) : (
          <li>
            <span className="people-dot people-count-dot" style={{ borderColor: DISPUTE_STATUS_COLORS.reported }} aria-hidden="true" />
            {t('people.countsOnly')}
          </li>
        )}
      </ul>
    </section>
  )
}

/** "9 / 9 · 100 %", or "–" when there is nothing to divide by (never 0 % or 100 % of nothing). */
function RatioText({ r }: { r: Ratio }) {
  const { lang } = useI18n()
  if (r.rate === null) return <span className="muted">–</span>
  const pct = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 1 }).format(r.rate * 100)
  return (
    <span>
      {r.numerator} / {r.denominator} <small className="muted">· {pct} %</small>
    </span>
  )
}

const FIGURE_COLUMNS: { key: keyof DisputeFigures; label: MessageKey; title: MessageKey }[] = [
  { key: 'screened', label: 'people.fig.screened', title: 'people.fig.screened.title' },
  { key: 'mediationRate', label: 'people.fig.mediation', title: 'people.fig.mediation.title' },
  { key: 'successRate', label: 'people.fig.success', title: 'people.fig.success.title' },
  { key: 'resolvedInCommunity', label: 'people.fig.inCommunity', title: 'people.fig.inCommunity.title' },
  { key: 'escalations', label: 'people.fig.escalations', title: 'people.fig.escalations.title' },
  { key: 'petitions', label: 'people.fig.petitions', title: 'people.fig.petitions.title' },
]

function Figures({ community, from, to, reload }: { community: Community; from: string | null; to: string | null; reload: number }) {
  const { t, lang } = useI18n()
  const answer = useLoad(`${community.id}?${from}-${to}#${reload}`, (s) => fetchDisputeFigures(community.id, from, to, s))
  const cell = (f: DisputeFigures, key: keyof DisputeFigures): ReactNode => {
    const v = f[key]
    return typeof v === 'number' ? v : <RatioText r={v} />
  }
  const period = from === null && to === null ? t('people.period.all') : `${from ? formatDate(from, lang) : '…'} – ${to ? formatDate(to, lang) : '…'}`
  return (
    <section className="people-figures" data-testid="people-figures" data-state={stateOf(answer)}>
      <p className="analysis-note">{t('people.fig.period', { period })}</p>
      {answer instanceof ApiError && <ApiErrorLine error={answer} />}
      {answer !== null && !(answer instanceof ApiError) && (
        <>
          <dl className="coverage-figures" data-testid="people-overall">
            {FIGURE_COLUMNS.map((c) => (
              <div key={c.key} className="people-figure" title={t(c.title)} data-figure={c.key}>
                <dt>{t(c.label)}</dt>
                <dd>{cell(answer.overall, c.key)}</dd>
              </div>
            ))}
          </dl>
          <div className="people-scroll">
            <table className="coverage-zones people-zones" data-testid="people-zones">
              <thead>
                <tr>
                  <th scope="col">{t('coverage.zones.zone')}</th>
                  {FIGURE_COLUMNS.map((c) => (
                    <th key={c.key} scope="col" title={t(c.title)}>
                      {t(c.label)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {answer.zones.map((z) => (
                  <tr key={z.zoneId} data-zone={z.zoneCode} data-screened={z.screened} data-mediation={z.mediationRate.rate ?? ''}>
                    <th scope="row" title={z.zoneName}>
                      {z.zoneCode}
                    </th>
                    {FIGURE_COLUMNS.map((c) => (
                      <td key={c.key}>{cell(z, c.key)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="analysis-note">{t('people.fig.note')}</p>
        </>
      )}
    </section>
  )
}

/** Statuses in the order of the lifecycle (what sorting by status follows). */
const STATUS_ORDER: readonly DisputeStatus[] = ['reported', 'mediating', 'agreed', 'failed', 'referred']
/** Warnings in the order the server lists them: most urgent first. */
const WARNING_ORDER = ['overdue', 'repeat_building', 'repeat_party', 'near_hotspot'] as const
const RISK_ORDER = ['low', 'medium', 'high'] as const

/** The disputes: record one, open one, move it along. */
function Disputes(props: {
  community: Community
  map: MapLibreMap | null
  list: { disputes: Dispute[] } | ApiError | null
  listed: Dispute[]
  mediate: boolean
  selected: number | null
  onSelect: (id: number) => void
  onChanged: () => void
  onBusy: (busy: boolean) => void
  today: string
}) {
  const { t, lang } = useI18n()
  const { community, list, listed, mediate, selected, onSelect, onChanged, today } = props
  const [recording, setRecording] = useState(false)
  const [status, setStatus] = useState<DisputeStatus | 'open' | 'all'>('open')
  // the open dispute stays in the list when its new status no longer matches the filter
  const shown = listed.filter((d) => d.id === selected || status === 'all' || (status === 'open' ? d.status === 'reported' || d.status === 'mediating' : d.status === status))
  const sorted = useSort(
    shown,
    {
      reported: (d: Dispute) => d.reportedAt,
      kind: (d: Dispute) => t(`people.kind.${d.kind}` as MessageKey),
      zone: (d: Dispute) => d.zoneCode,
      status: (d: Dispute) => STATUS_ORDER.indexOf(d.status),
    },
    { column: 'reported', direction: 'descending' },
    { reported: 'descending' },
  )
  return (
    <section className="people-disputes" data-testid="people-disputes" data-state={stateOf(list)}>
      {mediate && !recording && (
        <button type="button" className="people-primary" data-testid="people-record" onClick={() => setRecording(true)}>
          {t('people.record')}
        </button>
      )}
      {recording && (
        <RecordDispute
          community={community}
          map={props.map}
          today={today}
          onBusy={props.onBusy}
          onDone={(d) => {
            setRecording(false)
            if (d) {
              onChanged()
              onSelect(d.id)
            }
          }}
        />
      )}
      {list instanceof ApiError && <ApiErrorLine error={list} />}
      <label className="plan-field">
        <span>{t('people.show')}</span>
        <select value={status} onChange={(e) => setStatus(e.currentTarget.value as typeof status)} data-testid="people-status-filter">
          <option value="open">{t('people.show.open')}</option>
          <option value="all">{t('people.show.all')}</option>
          {(['reported', 'mediating', 'agreed', 'failed', 'referred'] as const).map((s) => (
            <option key={s} value={s}>
              {t(`people.status.${s}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <div className="people-scroll">
        <table className="people-table" data-testid="people-dispute-list">
          <thead>
            <SortHeaders sorted={sorted} columns={[{ column: 'reported', label: t('people.col.reported'), testId: 'people-sort-reported' }, { column: 'kind', label: t('people.col.kind'), testId: 'people-sort-kind' }, { column: 'zone', label: t('people.col.zone'), testId: 'people-sort-zone' }, { column: 'status', label: t('people.col.status'), testId: 'people-sort-status' }]} />
          </thead>
          <tbody>
            {sorted.rows.map((d) => (
              <Fragment key={d.id}>
                <tr data-dispute={d.id} data-status={d.status} data-reported={d.reportedAt.slice(0, 10)} data-zone={d.zoneCode ?? ''} className={d.id === selected ? 'people-current' : undefined}>
                  <td>
                    <button type="button" className="link people-open" onClick={() => onSelect(d.id)}>
                      <span className="people-dot" style={{ background: DISPUTE_STATUS_COLORS[d.status] }} aria-hidden="true" />
                      {formatDate(d.reportedAt.slice(0, 10), lang)}
                    </button>
                  </td>
                  <td>{t(`people.kind.${d.kind}` as MessageKey)}</td>
                  <td>{d.zoneCode ?? t('people.noZone')}</td>
                  <td>
                    <span className="plan-badge">{t(`people.status.${d.status}` as MessageKey)}</span>
                  </td>
                </tr>
                {d.id === selected && (
                  <tr className="people-current people-detail-row">
                    <td colSpan={4}>
                      <DisputeDetail community={community} id={d.id} mediate={mediate} today={today} onChanged={onChanged} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length === 0 && list !== null && <p className="analysis-note">{t('people.none')}</p>}
    </section>
  )
}

/** A new dispute: kind, how it was found, when, where (a click on the map), the parties. */
function RecordDispute({ community, map, today, onBusy, onDone }: { community: Community; map: MapLibreMap | null; today: string; onBusy: (b: boolean) => void; onDone: (d: Dispute | null) => void }) {
  const { t } = useI18n()
  const [kind, setKind] = useState<string>('neighbour')
  const [foundHow, setFoundHow] = useState<string>('screening')
  const [reportedAt, setReportedAt] = useState(today)
  const [place, setPlace] = useState<{ location: [number, number]; buildingId: number | null } | null>(null)
  const [picking, setPicking] = useState(true)
  const [parties, setParties] = useState([{ name: '', contact: '' }, { name: '', contact: '' }])
  const [description, setDescription] = useState('')
  const [error, setError] = useState<ApiError | null>(null)
  useEffect(() => {
    onBusy(picking)
    return () => onBusy(false)
  }, [picking, onBusy])
  useMapPick(map, picking, (e) => {
    const [b] = map!.queryRenderedFeatures(e.point, { layers: [buildingsFill.id] })
    setPlace({ location: [Number(e.lngLat.lng.toFixed(6)), Number(e.lngLat.lat.toFixed(6))], buildingId: b ? Number(b.properties.id) : null })
    setPicking(false)
  })
  const submit = async () => {
    if (place === null) return
    try {
      const named = parties.filter((p) => p.name.trim() !== '').map((p) => ({ name: p.name.trim(), contact: p.contact.trim() || null }))
      const d = await createDispute(community.id, { kind, foundHow, reportedAt, location: place.location, buildingId: place.buildingId, parties: named, ...(description.trim() ? { description: description.trim() } : {}) })
      onDone(d)
    } catch (e) {
      setError(asError(e))
    }
  }
  return (
    <form
      className="people-form"
      data-testid="people-record-form"
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <h3>{t('people.record')}</h3>
      <p className={place === null ? 'plan-drawing' : 'analysis-note'} data-testid="people-place">
        {picking ? t('people.record.place') : place !== null ? t(place.buildingId !== null ? 'people.record.placedBuilding' : 'people.record.placed') : ''}
        {!picking && (
          <button type="button" className="link" onClick={() => setPicking(true)}>
            {' '}
            {t('people.record.again')}
          </button>
        )}
      </p>
      <label className="plan-field">
        <span>{t('people.field.kind')}</span>
        <select value={kind} onChange={(e) => setKind(e.currentTarget.value)} data-testid="people-kind">
          {DISPUTE_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`people.kind.${k}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label className="plan-field">
        <span>{t('people.field.foundHow')}</span>
        <select value={foundHow} onChange={(e) => setFoundHow(e.currentTarget.value)}>
          {DISPUTE_FOUND_HOW.map((k) => (
            <option key={k} value={k}>
              {t(`people.found.${k}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label className="plan-field">
        <span>{t('people.field.reported')}</span>
        <input type="text" inputMode="numeric" pattern="\d{4}-\d{2}-\d{2}" value={reportedAt} onChange={(e) => setReportedAt(e.currentTarget.value)} data-testid="people-reported" />
      </label>
      {parties.map((p, i) => (
        <div key={i} className="plan-field">
          <span>{t('people.field.party', { n: i + 1 })}</span>
          <span className="plan-names">
            <input placeholder={t('people.field.name')} value={p.name} maxLength={200} data-testid={`people-party-${i}`} onChange={(e) => setParties(parties.map((x, j) => (j === i ? { ...x, name: e.currentTarget.value } : x)))} />
            <input placeholder={t('people.field.contact')} value={p.contact} maxLength={200} onChange={(e) => setParties(parties.map((x, j) => (j === i ? { ...x, contact: e.currentTarget.value } : x)))} />
          </span>
        </div>
      ))}
      <label className="plan-field">
        <span>{t('people.field.description')}</span>
        <textarea rows={2} maxLength={2000} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
      </label>
      {error !== null && <ApiErrorLine error={error} />}
      <div className="plan-actions">
        <button type="submit" className="people-primary" disabled={place === null} data-testid="people-record-save">
          {t('people.record.save')}
        </button>
        <button type="button" onClick={() => onDone(null)}>
          {t('plan.cancel')}
        </button>
      </div>
    </form>
  )
}

/** One dispute: what, who (for roles that see parties), its steps, and the next step for mediators. */
function DisputeDetail({ community, id, mediate, today, onChanged }: { community: Community; id: number; mediate: boolean; today: string; onChanged: () => void }) {
  const { t, lang } = useI18n()
  const [reload, setReload] = useState(0)
  const d = useLoad(`${community.id}/${id}#${reload}`, (s) => fetchDispute(community.id, id, s))
  const [level, setLevel] = useState<DisputeLevel>('grid')
  const [at, setAt] = useState(today)
  const [error, setError] = useState<ApiError | null>(null)
  if (d === null) return <p className="analysis-status">{t('plan.item.loading')}</p>
  if (d instanceof ApiError) return <ApiErrorLine error={d} />
  const next = DISPUTE_TRANSITIONS[d.status]
  const move = async (status: DisputeStatus) => {
    try {
      const lvl = status === 'referred' ? (level === 'street' || level === 'judicial' ? level : 'street') : level
      await changeDispute(community.id, d.id, d.version, { status, level: lvl, at })
      setError(null)
      setReload((r) => r + 1)
      onChanged()
    } catch (e) {
      setError(asError(e))
    }
  }
  const date = (s: string | null) => (s === null ? '–' : formatDate(s.slice(0, 10), lang))
  return (
    <div className="people-detail" data-testid="people-dispute" data-status={d.status} data-version={d.version}>
      {d.description && <p>{d.description}</p>}
      <dl className="people-dl">
        <dt>{t('people.field.foundHow')}</dt>
        <dd>{d.foundHow ? t(`people.found.${d.foundHow}` as MessageKey) : '–'}</dd>
        <dt>{t('people.field.parties')}</dt>
        <dd data-testid="people-parties">{d.parties === null ? <span className="muted">{t('people.partiesHidden')}</span> : d.parties.map((p) => (p.contact ? `${p.name} (${p.contact})` : p.name)).join('；') || '–'}</dd>
        <dt>{t('people.field.mediator')}</dt>
        <dd>{d.mediator ?? '–'}</dd>
        <dt>{t('people.field.level')}</dt>
        <dd>{d.level ? t(`people.level.${d.level}` as MessageKey) : '–'}</dd>
        <dt>{t('people.field.steps')}</dt>
        <dd>
          {t('people.status.reported')} {date(d.reportedAt)} → {t('people.status.mediating')} {date(d.mediationStartedAt)} → {date(d.endedAt)}
        </dd>
      </dl>
      {mediate && next.length > 0 && (
        <div className="people-next">
          <label className="plan-field">
            <span>{t('people.field.level')}</span>
            <select value={level} onChange={(e) => setLevel(e.currentTarget.value as DisputeLevel)} data-testid="people-level">
              {DISPUTE_LEVELS.map((l) => (
                <option key={l} value={l}>
                  {t(`people.level.${l}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <label className="plan-field">
            <span>{t('people.field.on')}</span>
            <input type="text" inputMode="numeric" value={at} onChange={(e) => setAt(e.currentTarget.value)} data-testid="people-at" />
          </label>
          <div className="plan-actions">
            {next.map((s) => (
              <button key={s} type="button" data-testid={`people-move-${s}`} onClick={() => void move(s)}>
                {t(`people.move.${s}` as MessageKey)}
              </button>
            ))}
          </div>
        </div>
      )}
      {mediate && d.status === 'agreed' && (
        <div className="plan-actions">
          {[true, false].map((held) => (
            <button
              key={String(held)}
              type="button"
              onClick={() =>
                void addFollowUp(community.id, d.id, { visitedOn: today, held }).then(
                  () => setReload((r) => r + 1),
                  (e: unknown) => setError(asError(e)),
                )
              }
            >
              {t(held ? 'people.followUp.held' : 'people.followUp.broke')}
            </button>
          ))}
        </div>
      )}
      {(d.followUps?.length ?? 0) > 0 && (
        <p className="analysis-note">
          {t('people.followUps')}: {d.followUps!.map((f) => `${date(f.visitedOn)} ${t(f.held ? 'people.followUp.heldShort' : 'people.followUp.brokeShort')}`).join('；')}
        </p>
      )}
      {error !== null && <ApiErrorLine error={error} />}
    </div>
  )
}

function Warnings({ community, asOf, settings, onDispute }: { community: Community; asOf: string; settings: boolean; onDispute: (id: number) => void }) {
  const { t, lang } = useI18n()
  const [reload, setReload] = useState(0)
  const answer = useLoad(`${community.id}@${asOf}#${reload}`, (s) => fetchWarnings(community.id, asOf, s))
  const warnings = answer !== null && !(answer instanceof ApiError) ? answer.warnings : NO_WARNINGS
  const sorted = useSort(
    warnings,
    {
      kind: (w: DisputeWarning) => WARNING_ORDER.indexOf(w.kind),
      reason: (w: DisputeWarning) => (lang === 'zh' ? w.reasonZh : w.reason),
      days: (w: DisputeWarning) => w.daysOpen,
    },
    { column: null, direction: 'ascending' },
    { days: 'descending' },
  )
  return (
    <section data-testid="people-warnings" data-state={stateOf(answer)}>
      <p className="analysis-note">{t('people.warnings.asOf', { date: formatDate(asOf, lang) })}</p>
      <DeadlineSetting community={community} settings={settings} onChanged={() => setReload((r) => r + 1)} />
      {answer instanceof ApiError && <ApiErrorLine error={answer} />}
      {answer !== null && !(answer instanceof ApiError) && answer.warnings.length === 0 && <p className="muted">{t('people.warnings.none')}</p>}
      {answer !== null && !(answer instanceof ApiError) && answer.warnings.length > 0 && (
        <div className="people-scroll">
          <table className="people-table" data-testid="people-warning-list">
            <thead>
              <SortHeaders sorted={sorted} columns={[{ column: 'kind', label: t('people.col.warning'), testId: 'people-sort-warning' }, { column: 'reason', label: t('people.col.reason'), testId: 'people-sort-reason' }, { column: 'days', label: t('people.col.daysOpen'), testId: 'people-sort-days' }]} />
            </thead>
            <tbody>
              {sorted.rows.map((w) => (
                <tr key={`${w.kind}:${w.disputeIds.join(',')}`} data-kind={w.kind} data-days={w.daysOpen ?? ''}>
                  <td>
                    <span className="plan-badge">{t(`people.warning.${w.kind}` as MessageKey)}</span>
                  </td>
                  <td>
                    {lang === 'zh' ? w.reasonZh : w.reason}{' '}
                    {w.disputeIds.map((id) => (
                      <button key={id} type="button" className="link" onClick={() => onDispute(id)}>
                        #{id}
                      </button>
                    ))}
                  </td>
                  <td className="people-num">{w.daysOpen ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

const NO_WARNINGS: DisputeWarning[] = []

/** The deadline of open disputes: what it is, and for administrators a form to change it (If-Match on its version). */
function DeadlineSetting({ community, settings, onChanged }: { community: Community; settings: boolean; onChanged: () => void }) {
  const { t } = useI18n()
  const [reload, setReload] = useState(0)
  const answer = useLoad(`${community.id}#${reload}`, (s) => fetchDeadline(community.id, s))
  const [text, setText] = useState<string | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [saved, setSaved] = useState(false)
  if (answer === null || answer instanceof ApiError) return answer instanceof ApiError ? <ApiErrorLine error={answer} /> : null
  const value = text ?? String(answer.days)
  const days = Number(value)
  const valid = /^\d{1,3}$/.test(value.trim()) && days >= 1 && days <= 365
  const save = async () => {
    try {
      await saveDeadline(community.id, answer.version, days)
      setError(null)
      setText(null)
      setSaved(true)
      setReload((r) => r + 1)
      onChanged()
    } catch (e) {
      setError(asError(e))
      // a newer version: show it, so the next save is made on it
      if (e instanceof ApiError && e.code === 'version_conflict') setReload((r) => r + 1)
    }
  }
  return (
    <div className="people-deadline" data-testid="people-deadline" data-days={answer.days} data-version={answer.version}>
      <p className="analysis-note">{t('people.deadline.current', { days: answer.days, default: answer.defaultDays })}</p>
      {settings && (
        <form
          className="people-deadline-form"
          onSubmit={(e) => {
            e.preventDefault()
            if (valid) void save()
          }}
        >
          <label className="plan-field">
            <span>{t('people.deadline.days')}</span>
            <input
              type="number"
              inputMode="numeric"
              min={1}
              max={365}
              step={1}
              value={value}
              aria-invalid={!valid}
              data-testid="people-deadline-days"
              onChange={(e) => {
                setText(e.currentTarget.value)
                setSaved(false)
              }}
            />
          </label>
          <button type="submit" disabled={!valid || days === answer.days} data-testid="people-deadline-save">
            {t('people.deadline.save')}
          </button>
          {!valid && <p className="analysis-invalid">{t('people.deadline.invalid', { min: 1, max: 365 })}</p>}
          {saved && (
            <p className="analysis-note" role="status" data-testid="people-deadline-saved">
              {t('people.deadline.saved', { days: answer.days })}
            </p>
          )}
        </form>
      )}
      {error !== null && <ApiErrorLine error={error} />}
    </div>
  )
}

function Problems({ community, asOf, mediate, today }: { community: Community; asOf: string; mediate: boolean; today: string }) {
  const { t, lang } = useI18n()
  const [reload, setReload] = useState(0)
  const [note, setNote] = useState<{ id: number; text: string } | null>(null)
  const answer = useLoad(`${community.id}@${asOf}:${lang}#${reload}`, (s) => fetchProblems(community.id, asOf, lang, s))
  const sorted = useSort(
    answer !== null && !(answer instanceof ApiError) ? answer.problems : NO_PROBLEMS,
    {
      title: (p: Problem) => p.title,
      zone: (p: Problem) => p.zoneCode,
      owner: (p: Problem) => p.owner,
      deadline: (p: Problem) => p.deadline,
    },
    { column: null, direction: 'ascending' },
  )
  return (
    <section data-testid="people-problems" data-state={stateOf(answer)}>
      {answer instanceof ApiError && <ApiErrorLine error={answer} />}
      {answer !== null && !(answer instanceof ApiError) && (
        <div className="people-scroll">
          <table className="people-table" data-testid="people-problem-list">
            <thead>
              <SortHeaders sorted={sorted} columns={[{ column: 'title', label: t('people.col.problem'), testId: 'people-sort-title' }, { column: 'zone', label: t('people.col.zone'), testId: 'people-sort-problem-zone' }, { column: 'owner', label: t('people.col.owner'), testId: 'people-sort-owner' }, { column: 'deadline', label: t('people.col.deadline'), testId: 'people-sort-deadline' }]} />
            </thead>
            <tbody>
              {sorted.rows.map((p) => (
                <tr key={p.id} data-problem={p.id} data-overdue={p.overdue}>
                  <td className="people-wide">
                    <strong>{p.title}</strong> {p.overdue && <span className="plan-badge people-overdue">{t('people.problem.overdue')}</span>}
                    <br />
                    <small className="muted">
                      {t(`people.problem.${p.status}` as MessageKey)}
                      {p.helpers.length > 0 && ` · + ${p.helpers.join('、')}`}
                    </small>
                    {mediate && (
                      <div className="people-note">
                        {note?.id === p.id ? (
                          <form
                            onSubmit={(e) => {
                              e.preventDefault()
                              void addProblemNote(community.id, p.id, { notedOn: today, text: note.text }).then(
                                () => {
                                  setNote(null)
                                  setReload((r) => r + 1)
                                },
                                () => {},
                              )
                            }}
                          >
                            <input value={note.text} maxLength={2000} onChange={(e) => setNote({ id: p.id, text: e.currentTarget.value })} aria-label={t('people.problem.note')} />
                            <button type="submit" disabled={note.text.trim() === ''}>
                              {t('people.problem.addNote')}
                            </button>
                          </form>
                        ) : (
                          <button type="button" className="link" onClick={() => setNote({ id: p.id, text: '' })}>
                            {t('people.problem.note')}
                          </button>
                        )}
                      </div>
                    )}
                  </td>
                  <td>{p.zoneCode ?? '–'}</td>
                  <td>{p.owner}</td>
                  <td className="people-date">{p.deadline ? formatDate(p.deadline, lang) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

const NO_PROBLEMS: Problem[] = []
const NO_FILES: CareFile[] = []

function CareFiles({ community, today }: { community: Community; today: string }) {
  const { t, lang } = useI18n()
  const [reload, setReload] = useState(0)
  const answer = useLoad(`${community.id}#${reload}`, (s) => fetchCareFiles(community.id, s))
  const sorted = useSort(
    answer !== null && !(answer instanceof ApiError) ? answer.files : NO_FILES,
    {
      person: (f: CareFile) => f.personName,
      zone: (f: CareFile) => f.zoneCode,
      risk: (f: CareFile) => RISK_ORDER.indexOf(f.riskLevel),
      period: (f: CareFile) => f.periodStart,
    },
    { column: null, direction: 'ascending' },
    { risk: 'descending' },
  )
  const visit = (f: CareFile) =>
    void addCareVisit(community.id, f.id, { visitedOn: today, visitor: t('people.care.me') }).then(
      () => setReload((r) => r + 1),
      () => {},
    )
  return (
    <section data-testid="people-care" data-state={stateOf(answer)}>
      <p className="analysis-note people-audited">{t('people.care.audited')}</p>
      {answer instanceof ApiError && <ApiErrorLine error={answer} />}
      {answer !== null && !(answer instanceof ApiError) && (
        <div className="people-scroll">
          <table className="people-table" data-testid="people-care-list">
            <thead>
              <SortHeaders sorted={sorted} columns={[{ column: 'person', label: t('people.col.person'), testId: 'people-sort-person' }, { column: 'zone', label: t('people.col.zone'), testId: 'people-sort-care-zone' }, { column: 'risk', label: t('people.col.risk'), testId: 'people-sort-risk' }, { column: 'period', label: t('people.col.period'), testId: 'people-sort-period' }]} />
            </thead>
            <tbody>
              {sorted.rows.map((f) => (
                <tr key={f.id} data-file={f.id} data-risk={f.riskLevel}>
                  <td className="people-wide">
                    <strong>{f.personName}</strong>
                    <br />
                    <small className="muted">
                      {f.address ?? '–'}
                      {f.helpers.length > 0 && ` · ${f.helpers.join('、')}`}
                    </small>
                    <br />
                    <button type="button" className="link" onClick={() => visit(f)}>
                      {t('people.care.visit')}
                    </button>
                  </td>
                  <td>{f.zoneCode ?? '–'}</td>
                  <td>
                    <span className={`plan-badge people-risk-${f.riskLevel}`}>{t(`people.risk.${f.riskLevel}` as MessageKey)}</span>
                  </td>
                  <td>
                    <span className="people-date">{formatDate(f.periodStart, lang)}</span> <span className="people-date">– {f.periodEnd ? formatDate(f.periodEnd, lang) : '…'}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

/** Care files per zone for roles that may not read them: counts of 3 or more only. */
function CareCountsLine({ community }: { community: Community }) {
  const { t } = useI18n()
  const answer = useLoad(community.id, (s) => fetchCareCounts(community.id, s))
  if (answer === null || answer instanceof ApiError) return null
  const shown = answer.zones.filter((z) => z.count !== null)
  return (
    <p className="analysis-note" data-testid="people-care-counts">
      {t('people.care.counts', { min: answer.minCount })} {shown.map((z) => `${z.zoneCode}: ${z.count}`).join('，') || '–'}
    </p>
  )
}
