/**
 * The coverage panel (issue 5): what the patrol network reaches in the shared filter's time window
 * (hours, weekdays) or what the captain network looks after, and what they miss — drawn on the map
 * (coverage as a soft fill, gap area hatched in the warning colour, uncovered buildings outlined,
 * priority gaps numbered) with the figures, the priority gaps' reasons and a per-zone table whose
 * rows outline their zone on the map under the pointer.
 *
 * Progress for tests and scripts is `data-state` on its root: loading, error, ready (drawn).
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon'
import { useEffect, useMemo, useRef, useState } from 'react'
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl'
import { fetchLayer, fetchZoneFigures, getJson, type Community, type ZoneProps } from '../api'
import type { FeatureCollection, Polygon, MultiPolygon } from 'geojson'

type ZoneCollection = FeatureCollection<Polygon | MultiPolygon, ZoneProps>
import { useI18n } from '../i18n'
import { ApiError, errorCodeKey } from '../lib/api-error'
import {
  bboxCentre,
  COVERAGE_COLORS,
  COVERAGE_NETWORKS,
  coveragePath,
  gapsPath,
  priorityGaps,
  zoneRows,
  type CoverageCollection,
  type CoverageNetwork,
  type GapsCollection,
} from '../lib/coverage'
import { SwatchIcon } from '../ui/LayerPanel'
import { COVERAGE_LAYERS, COVERAGE_SOURCE, ensureCoverageLayers, gapsAreaFill, gapsBuildingLine, gapsPriorityLine, gapsPriorityRank, GAPS_SOURCE, zoneHighlight } from './layers'
import './coverage.css'

export interface CoveragePanelProps {
  community: Community
  map: MapLibreMap | null
  /** The app's shared filters as query parameters (hours and weekdays make the patrol window). */
  filterParams: URLSearchParams
}

interface Loaded {
  key: string
  patrol: CoverageCollection
  captain: CoverageCollection
  gaps: GapsCollection
}

type Result = Loaded | { key: string; error: ApiError }

const DEBOUNCE_MS = 250
const EMPTY = { type: 'FeatureCollection' as const, features: [] }

export function CoveragePanel({ community, map, filterParams }: CoveragePanelProps) {
  const { lang, t } = useI18n()
  const [open, setOpen] = useState(false)
  const [network, setNetwork] = useState<CoverageNetwork>('patrol')
  const [result, setResult] = useState<Result | null>(null)
  const [drawn, setDrawn] = useState<string | null>(null)
  const [zonesFc, setZonesFc] = useState<ZoneCollection | null>(null)
  const [incidents, setIncidents] = useState<{ key: string; byZone: Map<string, number> } | null>(null)
  const [hover, setHover] = useState<string | null>(null)
  const query = filterParams.toString()
  const key = `${community.id}?${query}`
  const fmt = useMemo(() => new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 1 }), [lang])
  const pctText = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${fmt.format(v)} %`)

  // Coverage of both networks and the gaps, for the shared filters.
  useEffect(() => {
    if (!open) return
    const abort = new AbortController()
    const filters = new URLSearchParams(query)
    const timer = window.setTimeout(() => {
      Promise.all([
        getJson<CoverageCollection>(coveragePath(community.id, 'patrol', filters), abort.signal),
        getJson<CoverageCollection>(coveragePath(community.id, 'captain', filters), abort.signal),
        getJson<GapsCollection>(gapsPath(community.id, filters), abort.signal),
      ])
        .then(([patrol, captain, gaps]) => setResult({ key, patrol, captain, gaps }))
        .catch((err: unknown) => {
          if (!abort.signal.aborted) setResult({ key, error: err instanceof ApiError ? err : new ApiError(0, 'network', String(err)) })
        })
    }, DEBOUNCE_MS)
    return () => {
      window.clearTimeout(timer)
      abort.abort()
    }
  }, [open, community.id, query, key])

  // The zones' shapes (to place priority gaps in zones), once.
  useEffect(() => {
    if (!open || zonesFc !== null) return
    const abort = new AbortController()
    fetchLayer(community.id, 'zones', abort.signal).then(setZonesFc, () => {})
    return () => abort.abort()
  }, [open, community.id, zonesFc])

  // Incidents per zone under the filters (the zone figures endpoint); the column stays empty on failure.
  const loaded = result !== null && 'patrol' in result ? result : null
  const zoneIds = useMemo(() => (loaded?.patrol.meta.zones ?? []).map((z) => ({ id: z.id, code: z.code })), [loaded])
  useEffect(() => {
    if (!open || zoneIds.length === 0) return
    const abort = new AbortController()
    Promise.all(zoneIds.map((z) => fetchZoneFigures(community.id, z.id, query, abort.signal).then((f) => [z.code, f.incidents] as const)))
      .then((pairs) => setIncidents({ key, byZone: new Map(pairs) }))
      .catch(() => {})
    return () => abort.abort()
  }, [open, community.id, zoneIds, query, key])

  const priority = useMemo(() => priorityGaps(loaded?.gaps ?? null), [loaded])
  const priorityByZone = useMemo(() => {
    const m = new Map<string, number>()
    if (zonesFc === null) return m
    for (const p of priority) {
      const c = bboxCentre(p.geometry)
      const z = zonesFc.features.find((f) => booleanPointInPolygon(c, f))
      if (z !== undefined) m.set(z.properties.code, (m.get(z.properties.code) ?? 0) + 1)
    }
    return m
  }, [priority, zonesFc])
  const rows = useMemo(
    () => zoneRows(loaded?.patrol.meta ?? null, loaded?.captain.meta ?? null, priorityByZone, incidents !== null && incidents.key === loaded?.key ? incidents.byZone : null),
    [loaded, priorityByZone, incidents],
  )

  // The map: sources, filters per network, visibility; `drawn` once the first idle after setData.
  const drawKey = loaded === null ? null : `${loaded.key}#${network}`
  useEffect(() => {
    if (map === null) return
    let cancelled = false
    const apply = () => {
      ensureCoverageLayers(map)
      const cov = loaded === null ? EMPTY : network === 'patrol' ? loaded.patrol : loaded.captain
      map.getSource<GeoJSONSource>(COVERAGE_SOURCE)?.setData(cov)
      map.getSource<GeoJSONSource>(GAPS_SOURCE)?.setData(loaded?.gaps ?? EMPTY)
      map.setPaintProperty('coverage-fill', 'fill-color', network === 'patrol' ? COVERAGE_COLORS.patrol : COVERAGE_COLORS.captain)
      map.setPaintProperty('coverage-fill', 'fill-opacity', network === 'patrol' ? 0.22 : 0.4)
      map.setFilter(gapsBuildingLine.id, ['==', ['get', 'kind'], network === 'patrol' ? 'building' : 'captainless'])
      for (const layer of COVERAGE_LAYERS) {
        if (map.getLayer(layer.id) === undefined) continue
        const patrolOnly = layer.id === gapsAreaFill.id || layer.id === gapsPriorityLine.id || layer.id === gapsPriorityRank.id
        map.setLayoutProperty(layer.id, 'visibility', open && (!patrolOnly || network === 'patrol') ? 'visible' : 'none')
      }
    }
    apply()
    const onStyle = () => {
      if (map.getSource(COVERAGE_SOURCE) === undefined) apply()
    }
    map.on('styledata', onStyle)
    let onIdle: (() => void) | null = null
    if (open && drawKey !== null) {
      const k = drawKey
      onIdle = () => {
        if (!map.isSourceLoaded(COVERAGE_SOURCE) || !map.isSourceLoaded(GAPS_SOURCE)) return
        map.off('idle', onIdle!)
        if (!cancelled) setDrawn(k)
      }
      map.on('idle', onIdle)
      map.triggerRepaint()
    }
    return () => {
      cancelled = true
      if (onIdle !== null) map.off('idle', onIdle)
      map.off('styledata', onStyle)
    }
  }, [map, loaded, network, open, drawKey])

  // The zone under the pointer in the table, outlined on the map.
  useEffect(() => {
    if (map === null || map.getLayer(zoneHighlight.id) === undefined) return
    map.setFilter(zoneHighlight.id, ['==', ['get', 'code'], open && hover !== null ? hover : ''])
  }, [map, hover, open, drawn])

  const panel = useRef<HTMLElement>(null)
  if (!open) {
    return (
      <button type="button" className="coverage-open" data-testid="coverage-open" onClick={() => setOpen(true)}>
        {t('coverage.open')}
      </button>
    )
  }

  const current = result !== null && result.key === key ? result : null
  const state = current === null ? 'loading' : 'error' in current ? 'error' : drawn === `${current.key}#${network}` ? 'ready' : 'loading'
  const meta = loaded === null ? null : network === 'patrol' ? loaded.patrol.meta : loaded.captain.meta
  const counts = loaded?.gaps.meta.counts ?? {}
  const insufficient = loaded?.gaps.meta.priority?.insufficient === true

  return (
    <aside ref={panel} className="coverage" data-testid="coverage" data-state={state} data-network={network} aria-labelledby="coverage-title">
      <div className="analysis-head">
        <h2 id="coverage-title">{t('coverage.title')}</h2>
        <button type="button" className="analysis-close" data-testid="coverage-close" aria-label={t('coverage.close')} title={t('coverage.close')} onClick={() => setOpen(false)}>
          ×
        </button>
      </div>
      <div className="coverage-networks" role="radiogroup" aria-label={t('coverage.network')}>
        {COVERAGE_NETWORKS.map((n) => (
          <button key={n} type="button" role="radio" aria-checked={n === network} data-testid={`coverage-network-${n}`} onClick={() => setNetwork(n)}>
            {t(n === 'patrol' ? 'coverage.network.patrol' : 'coverage.network.captain')}
          </button>
        ))}
      </div>
      <p className="coverage-window" data-testid="coverage-window">
        {network === 'patrol' ? t('coverage.window', { window: describeWindow(filterParams, t) }) : t('coverage.captainNote', { n: loaded?.captain.meta.maxBuildings ?? 15 })}
      </p>

      <section className={state === 'loading' ? 'coverage-result analysis-stale' : 'coverage-result'} aria-live="polite">
        {state === 'loading' && <p className="analysis-status">{t('coverage.loading')}</p>}
        {current !== null && 'error' in current && (
          <div className="analysis-error" role="alert" data-error-code={current.error.code}>
            <strong>{t('coverage.failed')}</strong> {current.error.code === 'network' ? t('error.network') : t(errorCodeKey(current.error.code), { status: current.error.status })}
          </div>
        )}
        {meta !== null && loaded !== null && (
          <>
            <dl className="coverage-figures" data-testid="coverage-figures">
              {network === 'patrol' && (
                <>
                  <dt>{t('coverage.area')}</dt>
                  <dd data-testid="coverage-area-pct">{pctText(meta.areaCoveredPct)}</dd>
                  <dt>{t('coverage.routesInService')}</dt>
                  <dd data-testid="coverage-routes">{meta.routesInService?.length ?? 0}</dd>
                </>
              )}
              <dt>{t('coverage.buildings')}</dt>
              <dd>{pctText(meta.buildingsCoveredPct)}</dd>
              <dt>{t('coverage.households')}</dt>
              <dd>{pctText(meta.householdsCoveredPct)}</dd>
              {network === 'captain' && (
                <>
                  <dt>{t('coverage.captainsOverLimit')}</dt>
                  <dd>{meta.captainsOverLimit ?? 0}</dd>
                </>
              )}
            </dl>
            <ul className="legend coverage-legend">
              <li>
                <SwatchIcon swatch={{ kind: 'fill', color: network === 'patrol' ? COVERAGE_COLORS.patrol : COVERAGE_COLORS.captain }} />
                <span>{t(network === 'patrol' ? 'coverage.legend.covered' : 'coverage.legend.captained')}</span>
              </li>
              {network === 'patrol' && (
                <li>
                  <span className="coverage-hatch-swatch" aria-hidden="true" />
                  <span>{t('coverage.legend.gapArea', { n: counts.area ?? 0 })}</span>
                </li>
              )}
              <li>
                <SwatchIcon swatch={{ kind: 'fill', color: 'none', stroke: COVERAGE_COLORS.gap }} />
                <span>{t(network === 'patrol' ? 'coverage.legend.gapBuilding' : 'coverage.legend.captainless', { n: (network === 'patrol' ? counts.building : counts.captainless) ?? 0 })}</span>
              </li>
              {network === 'patrol' && (
                <li>
                  <span className="coverage-rank-swatch" aria-hidden="true">1</span>
                  <span>{t('coverage.legend.priority')}</span>
                </li>
              )}
            </ul>
            {network === 'patrol' && (
              <>
                <h3>{t('coverage.priority.title')}</h3>
                {insufficient && <p className="analysis-note">{t('coverage.priority.insufficient')}</p>}
                {!insufficient && priority.length === 0 && <p className="analysis-note">{t('coverage.priority.none')}</p>}
                <ol className="coverage-priority" data-testid="coverage-priority">
                  {priority.map((p) => (
                    <li key={p.properties.rank} data-rank={p.properties.rank}>
                      <span className="coverage-rank-swatch">{p.properties.rank}</span>
                      <span>{lang === 'zh' ? p.properties.reasonZh : p.properties.reason}</span>
                    </li>
                  ))}
                </ol>
              </>
            )}
            <h3>{t('coverage.zones.title')}</h3>
            <table className="coverage-zones" data-testid="coverage-zones" onMouseLeave={() => setHover(null)}>
              <thead>
                <tr>
                  <th>{t('coverage.zones.zone')}</th>
                  <th>{t('coverage.zones.patrol')}</th>
                  <th>{t('coverage.zones.captain')}</th>
                  <th>{t('coverage.zones.incidents')}</th>
                  <th>{t('coverage.zones.priority')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr
                    key={r.code}
                    data-zone={r.code}
                    data-patrol-pct={r.patrolPct ?? ''}
                    className={hover === r.code ? 'coverage-hover' : undefined}
                    onMouseEnter={() => setHover(r.code)}
                    onFocus={() => setHover(r.code)}
                    tabIndex={0}
                  >
                    <th scope="row" title={r.name}>
                      {r.code}
                    </th>
                    <td className={r.patrolPct !== null && r.patrolPct < 50 ? 'coverage-low' : undefined}>{pctText(r.patrolPct)}</td>
                    <td className={r.captainPct !== null && r.captainPct < 50 ? 'coverage-low' : undefined}>{pctText(r.captainPct)}</td>
                    <td>{r.incidents === null ? '–' : fmt.format(r.incidents)}</td>
                    <td>{r.priority === 0 ? '' : r.priority}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="analysis-note">{t('coverage.zones.hint')}</p>
          </>
        )}
      </section>
    </aside>
  )
}

/** The patrol window in words, from the shared filters' hours and weekdays. */
function describeWindow(filters: URLSearchParams, t: ReturnType<typeof useI18n>['t']): string {
  const hours = filters.get('hours')
  const weekdays = filters.get('weekdays')
  const h = hours === null ? t('coverage.window.allDay') : hours.replace('-', '–').replace(/\b(\d{1,2})\b(?!:)/g, (d) => `${d.padStart(2, '0')}:00`)
  const d = weekdays === null ? t('coverage.window.allWeek') : t('coverage.window.weekdays', { days: weekdays })
  return `${h}, ${d}`
}
