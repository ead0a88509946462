/**
 * The details of what the planner clicked: a building (address, households, captain, incidents
 * nearby, zone), a zone (grid worker, team, buildings, households, captain coverage, incidents), a
 * route (team, shifts, reach), an incident (category, time — or that it is unknown —, address), a
 * captain, or a cluster of incidents (how many of each category).
 */
import { useCan } from '../auth/context'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { fetchBuildingFigures, fetchZoneFigures, type BuildingFigures, type Community, type Shift, type ZoneFigures, type ZoneProps } from '../api'
import { formatDate } from '../lib/dates'
import { useI18n, type MessageKey } from '../i18n'
import { filterQuery, isUnfiltered, type IncidentFilter } from '../lib/filters'
import { categoryKey } from '../lib/legend'
import { BASE, categoryColor, type TeamColor } from '../lib/palette'
import { dayRanges, shiftClass, shiftInService } from '../lib/shifts'
import { clusterCategories, type Selection } from '../map/selection'
import { SwatchIcon } from './LayerPanel'

export interface DetailsPanelProps {
  selection: Selection
  community: Community
  teams: readonly TeamColor[]
  filter: IncidentFilter
  onSelect: (selection: Selection) => void
  onClose: () => void
}

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  )
}

/**
 * The figures of the selected zone or building under the current filter, fetched for the one
 * feature shown (null while loading or for other kinds; 'failed' when the server could not say).
 */
function useFigures(selection: Selection, community: Community, filter: IncidentFilter) {
  const [figures, setFigures] = useState<{ key: string; value: ZoneFigures | BuildingFigures | 'failed' } | null>(null)
  const query = filterQuery(filter)
  const key = `${selection.kind}:${selection.id}?${query}`
  // incidents near one building are for roles that see incidents one by one
  const buildingFigures = useCan(community.id, 'exactIncidents')
  useEffect(() => {
    if (selection.kind !== 'zone' && (selection.kind !== 'building' || !buildingFigures)) return
    const abort = new AbortController()
    const request = selection.kind === 'zone' ? fetchZoneFigures(community.id, selection.id, query, abort.signal) : fetchBuildingFigures(community.id, selection.id, query, abort.signal)
    request.then(
      (value) => setFigures({ key, value }),
      () => {
        if (!abort.signal.aborted) setFigures({ key, value: 'failed' })
      },
    )
    return () => abort.abort()
  }, [community.id, selection.kind, selection.id, query, key, buildingFigures])
  return figures !== null && figures.key === key ? figures.value : null
}

export function DetailsPanel({ selection, community, teams, filter, onSelect, onClose }: DetailsPanelProps) {
  const { t, lang } = useI18n()
  const figures = useFigures(selection, community, filter)
  const exactIncidents = useCan(community.id, 'exactIncidents')
  // A new selection is shown at the top of the dock, scrolled into view.
  const root = useRef<HTMLElement>(null)
  useEffect(() => {
    root.current?.scrollIntoView({ block: 'nearest' })
  }, [selection.kind, selection.id])
  const filtered = !isUnfiltered(filter)
  const locale = lang === 'zh' ? 'zh-CN' : 'en'
  const n = (v: number | null | undefined) => (v === null || v === undefined ? t('details.unknown') : v.toLocaleString(locale))
  const pct = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 100)} %` : '–')
  const teamColor = (id: number | null | undefined) => teams.find((x) => x.id === id)?.color ?? BASE.zoneUnassigned
  const categoryName = (c: string) => {
    const key = categoryKey(c)
    return key === null ? c : t(key)
  }
  const dayName = (d: number) => t(`weekday.short.${d}` as MessageKey)
  const days = (list: number[]) =>
    list.length === 7
      ? t('details.everyDay')
      : dayRanges(list)
          .map(([a, b]) => (a === b ? dayName(a) : `${dayName(a)}–${dayName(b)}`))
          .join(lang === 'zh' ? '、' : ', ')
  const area = (m2: number) => (m2 >= 10_000 ? t('details.hectares', { ha: (m2 / 10_000).toLocaleString(locale, { maximumFractionDigits: 1 }) }) : t('details.squareMetres', { m2: n(Math.round(m2)) }))
  const length = (m: number) => (m >= 1000 ? t('details.kilometres', { km: (m / 1000).toLocaleString(locale, { maximumFractionDigits: 2 }) }) : t('details.metres', { m: n(Math.round(m)) }))
  const zoneLink = (z: ZoneProps | null | undefined) =>
    z ? (
      <button type="button" className="link" data-testid="details-zone-link" onClick={() => onSelect({ kind: 'zone', id: z.id, props: z })}>
        {z.code} · {z.teamName ?? t('map.zoneUnpatrolled')}
      </button>
    ) : (
      t('details.noZone')
    )

  /** The incident count of a zone or building: filtered (with all dates beside it) when a filter is on. */
  const incidentFigure = (f: ZoneFigures | BuildingFigures | 'failed' | null) =>
    f === null ? (
      <span className="muted">…</span>
    ) : f === 'failed' ? (
      t('details.unknown')
    ) : (
      <>
        <strong>{n(f.incidents)}</strong>
        {filtered && <small className="muted"> {t('details.incidentsOfAll', { all: n(f.incidentsAll) })}</small>}
        {filter.hours !== null && f.timeUnknown > 0 && (
          <>
            <br />
            <small className="time-unknown excluded">{t('details.timeUnknownExcluded', { n: n(f.timeUnknown) })}</small>
          </>
        )}
      </>
    )
  const zf = selection.kind === 'zone' && figures !== null && figures !== 'failed' ? (figures as ZoneFigures) : null

  let kindLabel: string
  let title: ReactNode
  let body: ReactNode
  let sample = false
  const loading = <p className="muted">{t('details.loading')}</p>

  switch (selection.kind) {
    case 'building': {
      const b = selection.props
      kindLabel = t('details.kind.building')
      title = b ? (b.address ?? b.name ?? t('details.buildingNo', { id: selection.id })) : t('details.buildingNo', { id: selection.id })
      sample = b?.isSample === true
      body = b ? (
        <dl>
          {b.name && b.address && <Row label={t('details.name')}>{b.name}</Row>}
          <Row label={t('details.households')} testId="details-households">
            {n(b.households)}
          </Row>
          <Row label={t('details.residents')}>{n(b.residents)}</Row>
          <Row label={t('details.floors')}>{n(b.floors)}</Row>
          <Row label={t('details.captain')} testId="details-captain">
            {b.captained && b.captainId != null ? (
              <button type="button" className="link" onClick={() => onSelect({ kind: 'captain', id: Number(b.captainId), props: null })}>
                {b.captainName}
              </button>
            ) : (
              <span className="gap">{t('details.noCaptain')}</span>
            )}
          </Row>
          <Row label={t(filtered ? 'details.incidentsNearFiltered' : 'details.incidentsNear')} testId="details-incidents">
            {exactIncidents ? incidentFigure(figures) : <small className="muted">{t('details.figures.notForRole')}</small>}
          </Row>
          <Row label={t('details.zone')}>{zoneLink(selection.zone)}</Row>
        </dl>
      ) : (
        loading
      )
      break
    }
    case 'zone': {
      const z = selection.props
      kindLabel = t('details.kind.zone')
      title = z ? `${z.code} · ${z.name}` : `#${selection.id}`
      sample = z?.isSample === true
      body = z ? (
        <dl>
          <Row label={t('details.gridWorker')} testId="details-grid-worker">
            {z.gridWorker ?? t('details.unknown')}
          </Row>
          <Row label={t('details.team')} testId="details-team">
            {z.teamName !== null ? (
              <span className="with-swatch">
                <SwatchIcon swatch={{ kind: 'fill', color: teamColor(z.teamId), stroke: teamColor(z.teamId) }} />
                {z.teamName}
              </span>
            ) : (
              <span className="gap">{t('legend.zones.unassigned')}</span>
            )}
          </Row>
          <Row label={t('details.area')}>{area(z.areaM2)}</Row>
          <Row label={t('details.buildings')} testId="details-buildings">
            {zf ? n(zf.buildings) : '…'}
          </Row>
          <Row label={t('details.households')}>{zf ? n(zf.households) : '…'}</Row>
          <Row label={t('details.captainCoverage')} testId="details-coverage">
            {zf ? (
              <>
                {t('details.captainCoverage.value', { captained: n(zf.captainedBuildings), buildings: n(zf.buildings), pct: pct(zf.captainedBuildings, zf.buildings) })}
                <br />
                <small>
                  {t('details.captainCoverage.households', { captained: n(zf.captainedHouseholds), households: n(zf.households), pct: pct(zf.captainedHouseholds, zf.households) })}
                </small>
              </>
            ) : (
              '…'
            )}
          </Row>
          <Row label={t('details.uncaptained')} testId="details-uncaptained">
            {zf ? <span className={zf.buildings - zf.captainedBuildings > 0 ? 'gap' : undefined}>{n(zf.buildings - zf.captainedBuildings)}</span> : '…'}
          </Row>
          <Row label={t(filtered ? 'details.incidentsInZoneFiltered' : 'details.incidentsInZone')} testId="details-incidents">
            {incidentFigure(figures)}
          </Row>
        </dl>
      ) : (
        loading
      )
      break
    }
    case 'route': {
      const r = selection.props
      kindLabel = t('details.kind.route')
      title = r?.name ?? `#${selection.id}`
      sample = r?.isSample === true
      body = r ? (
        <dl>
          <Row label={t('details.team')} testId="details-team">
            <span className="with-swatch">
              <SwatchIcon swatch={{ kind: 'line', color: teamColor(r.teamId) }} />
              {r.teamName} ({t(`teamKind.${r.teamKind}` as MessageKey)})
            </span>
          </Row>
          <Row label={t('details.shifts')} testId="details-shifts">
            {r.shifts.length === 0 ? (
              <span className="gap">{t('details.noShifts')}</span>
            ) : (
              <ul className="plain">
                {r.shifts.map((s: Shift, i) => {
                  const on = shiftInService(s, filter.hours, filter.weekdays)
                  return (
                    <li key={i} className={on ? undefined : 'faded'}>
                      {days(s.days)} {s.start}–{s.end} · {t(`legend.routes.${shiftClass(s)}`)}
                    </li>
                  )
                })}
              </ul>
            )}
          </Row>
          {(filter.hours !== null || filter.weekdays !== null) && (
            <Row label={t('details.inService')}>
              {r.shifts.some((s) => shiftInService(s, filter.hours, filter.weekdays)) ? t('details.inService.yes') : <span className="gap">{t('details.inService.no')}</span>}
            </Row>
          )}
          <Row label={t('details.reach')}>{t('details.metres', { m: n(r.reachM) })}</Row>
          <Row label={t('details.length')}>{length(r.lengthM)}</Row>
        </dl>
      ) : (
        loading
      )
      break
    }
    case 'incident': {
      const i = selection.props
      kindLabel = t('details.kind.incident')
      title = i ? (
        <span className="with-swatch">
          <SwatchIcon swatch={{ kind: 'circle', color: categoryColor(i.category), stroke: '#fff' }} />
          {categoryName(i.category)}
        </span>
      ) : (
        `#${selection.id}`
      )
      const time = i
        ? new Intl.DateTimeFormat(locale, { timeZone: community.timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(i.occurredAt))
        : ''
      body = i ? (
        <dl>
          <Row label={t('details.date')} testId="details-date">
            {formatDate(i.occurredOn, lang)}
          </Row>
          <Row label={t('details.time')} testId="details-time">
            {i.timeKnown ? time : <span className="gap">{t('details.timeUnknown')}</span>}
          </Row>
          <Row label={t('details.address')} testId="details-address">
            {i.address ?? t('details.unknown')}
          </Row>
          {i.description && <Row label={t('details.description')}>{i.description}</Row>}
          {i.status && <Row label={t('details.status')}>{i.status}</Row>}
          <Row label={t('details.zone')}>{zoneLink(selection.zone)}</Row>
          {i.source && <Row label={t('details.source')}>{i.source}</Row>}
        </dl>
      ) : (
        <p className="muted">{t('details.notInView')}</p>
      )
      break
    }
    case 'captain': {
      const c = selection.props
      kindLabel = t('details.kind.captain')
      title = c?.name ?? `#${selection.id}`
      sample = c?.isSample === true
      body = c ? (
        <dl>
          <Row label={t('details.status')}>{c.active ? t('legend.captains.active') : <span className="gap">{t('legend.captains.inactive')}</span>}</Row>
          <Row label={t('details.buildings')} testId="details-buildings">
            {n(c.buildings)}
          </Row>
          <Row label={t('details.households')}>{n(c.households)}</Row>
          <dd className="note">{t('details.captainBuildingsNote')}</dd>
        </dl>
      ) : (
        loading
      )
      break
    }
    case 'cluster': {
      const c = selection.props
      kindLabel = t('details.kind.cluster')
      title = t('details.clusterTitle', { n: n(c.count) })
      body = (
        <>
          <ul className="plain breakdown" data-testid="details-breakdown">
            {clusterCategories(c.categories).map(([cat, k]) => (
              <li key={cat} className="with-swatch">
                <SwatchIcon swatch={{ kind: 'circle', color: categoryColor(cat), stroke: '#fff' }} />
                <span>{categoryName(cat)}</span>
                <strong>{n(k)}</strong>
              </li>
            ))}
          </ul>
          {c.timeUnknown > 0 && <p className="muted">{t('details.clusterTimeUnknown', { n: n(c.timeUnknown) })}</p>}
          <p className="muted">{t('details.clusterHint')}</p>
        </>
      )
      break
    }
  }

  return (
    <section ref={root} className="details" data-testid="details" data-kind={selection.kind} aria-labelledby="details-title">
      <div className="details-head">
        <span className="details-kind">
          {kindLabel}
          {sample && <span className="sample-tag">{t('layers.sample')}</span>}
        </span>
        <button type="button" className="panel-close" data-testid="details-close" aria-label={t('details.close')} title={t('details.close')} onClick={onClose}>
          ×
        </button>
      </div>
      <h2 id="details-title" data-testid="details-title">
        {title}
      </h2>
      {body}
    </section>
  )
}
