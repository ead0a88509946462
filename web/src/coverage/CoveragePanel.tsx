/**
 * The coverage panel (issue 5): what the patrol network reaches in the shared filter's time window
 * (hours, weekdays) or what the captain network looks after, and what they miss — drawn on the map
 * (coverage as a soft fill, gap area hatched in the warning colour, uncovered buildings outlined,
 * priority gaps numbered) with the figures, the priority gaps' reasons and a per-zone table whose
 * rows outline their zone on the map under the pointer. For the captain network it lists the
 * captains by load, flagging those over the chosen limit (`maxBuildings`); a click on one selects
 * them and flies to their buildings.
 *
 * It lives in the dock (ui/Dock.tsx); network and limit are the app's state (kept in the URL).
 * Progress for tests and scripts is `data-state` on its root: loading, error, ready (drawn).
 */
import { useEffect, useMemo, useState, type CSSProperties } from 'react'
import type { Map as MapLibreMap } from 'maplibre-gl'
import type { PatrolSummary } from '../../../server/src/contract'
import { getJson, type Community } from '../api'
import { useI18n, type MessageKey } from '../i18n'
import { ApiError, errorCodeKey } from '../lib/api-error'
import {
  captainBuildingsBbox,
  captainsByLoad,
  COVERAGE_COLORS,
  COVERAGE_NETWORKS,
  coveragePath,
  gapsPath,
  MAX_BUILDINGS_LIMITS,
  featureBbox,
  firstDirection,
  priorityGaps,
  sortZoneRows,
  ZONE_COLUMNS,
  zoneRows,
  type SortDirection,
  type ZoneColumn,
  type CaptainCoverageCollection,
  type GapsCollection,
  type PatrolCoverageCollection,
} from '../lib/coverage'
import type { CoverageState } from '../lib/url-state'
import { PanelHead } from '../ui/Dock'
import { Missing, useMissing } from '../ui/Empty'
import { SortHeader } from '../ui/SortHeader'
import { SwatchIcon } from '../ui/LayerPanel'
import { useCoverageLayer } from './useCoverageLayer'
import './coverage.css'

export interface CoveragePanelProps {
  community: Community
  map: MapLibreMap | null
  /** The app's shared filters as query parameters (hours and weekdays make the patrol window). */
  filterParams: URLSearchParams
  /** open or closed, the network shown and the captain load limit */
  settings: CoverageState
  onChange: (patch: Partial<CoverageState>) => void
  /** a captain chosen in the list, with the box of their buildings (null: not known) */
  onCaptain: (id: number, bbox: [number, number, number, number] | null) => void
  /** a zone chosen in the table: select it (its details) and fly to it */
  onZone: (id: number) => void
  /** a priority gap chosen in the list: fly to its cell */
  onPlace: (bbox: [number, number, number, number]) => void
}

/** An answer for one request key, or why there is none. */
type Result<T> = ({ key: string } & T) | { key: string; error: ApiError }

const DEBOUNCE_MS = 250

/**
 * Fetches `load()` for `key` while `open`, a moment after the key last changed; a newer key
 * cancels the older request.
 */
function useAnswer<T extends object>(open: boolean, key: string, load: (signal: AbortSignal) => Promise<T>): Result<T> | null {
  const [result, setResult] = useState<Result<T> | null>(null)
  useEffect(() => {
    if (!open) return
    const abort = new AbortController()
    const timer = window.setTimeout(() => {
      load(abort.signal)
        .then((value) => setResult({ key, ...value }))
        .catch((err: unknown) => {
          if (!abort.signal.aborted) setResult({ key, error: err instanceof ApiError ? err : new ApiError(0, 'network', String(err)) })
        })
    }, DEBOUNCE_MS)
    return () => {
      window.clearTimeout(timer)
      abort.abort()
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `load` is a new function each render; the key names what it fetches
  }, [open, key])
  return result
}

export function CoveragePanel({ community, map, filterParams, settings, onChange, onCaptain, onZone, onPlace }: CoveragePanelProps) {
  const { lang, t } = useI18n()
  const { open, network, maxBuildings, basis } = settings
  const [maxText, setMaxText] = useState(String(maxBuildings))
  const [drawn, setDrawn] = useState<string | null>(null)
  const [hover, setHover] = useState<string | null>(null)
  const [sort, setSort] = useState<{ column: ZoneColumn; direction: SortDirection }>({ column: 'code', direction: 'ascending' })
  // the shared filters, and names in the UI language
  const query = useMemo(() => {
    const q = new URLSearchParams(filterParams)
    q.set('lang', lang)
    return q.toString()
  }, [filterParams, lang])
  const key = `${community.id}?${query}#basis=${basis}`
  const captainKey = `${key}#maxBuildings=${maxBuildings}`
  const fmt = useMemo(() => new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 1 }), [lang])
  const pctText = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${fmt.format(v)} %`)

  // Patrol coverage and the gaps for the shared filters; captain coverage for the load limit too
  // (a new limit asks for captain coverage only: the gaps' hot spot analysis is the slow part).
  const patrolResult = useAnswer(open, key, async (signal) => {
    const filters = new URLSearchParams(query)
    const [patrol, gaps] = await Promise.all([
      getJson<PatrolCoverageCollection>(coveragePath(community.id, 'patrol', filters, undefined, basis), signal),
      getJson<GapsCollection>(gapsPath(community.id, filters), signal),
    ])
    return { patrol, gaps }
  })
  const captainResult = useAnswer(open, captainKey, async (signal) => ({
    captain: await getJson<CaptainCoverageCollection>(coveragePath(community.id, 'captain', new URLSearchParams(query), maxBuildings), signal),
  }))

  // The last answers (shown, faded, while newer ones load).
  const [lastPatrol, setLastPatrol] = useState<{ key: string; patrol: PatrolCoverageCollection; gaps: GapsCollection } | null>(null)
  const [lastCaptain, setLastCaptain] = useState<{ key: string; captain: CaptainCoverageCollection } | null>(null)
  useEffect(() => {
    if (patrolResult !== null && 'patrol' in patrolResult) setLastPatrol(patrolResult)
  }, [patrolResult])
  useEffect(() => {
    if (captainResult !== null && 'captain' in captainResult) setLastCaptain(captainResult)
  }, [captainResult])
  const loaded = useMemo(
    () => (lastPatrol !== null && lastCaptain !== null ? { key: lastPatrol.key, patrol: lastPatrol.patrol, gaps: lastPatrol.gaps, captain: lastCaptain.captain } : null),
    [lastPatrol, lastCaptain],
  )

  // Priority gaps by rank, and a row per zone: its coverage, incidents and priority gaps, all as the server placed them.
  const priority = useMemo(() => priorityGaps(loaded?.gaps ?? null), [loaded])
  const rows = useMemo(
    () => sortZoneRows(zoneRows(loaded?.patrol.meta ?? null, loaded?.captain.meta ?? null, priority), sort.column, sort.direction),
    [loaded, priority, sort],
  )
  const sortBy = (column: ZoneColumn) =>
    setSort((s) => (s.column === column ? { column, direction: s.direction === 'ascending' ? 'descending' : 'ascending' } : { column, direction: firstDirection(column) }))

  // The map: the network's coverage and the gaps; `drawn` once the map has drawn them.
  const drawKey = lastPatrol === null || lastCaptain === null ? null : network === 'patrol' ? `${lastPatrol.key}#patrol` : `${lastPatrol.key}|${lastCaptain.key}#captain`
  const layerData = useMemo(
    () => (loaded === null || drawKey === null ? null : { key: drawKey, coverage: network === 'patrol' ? loaded.patrol : loaded.captain, gaps: loaded.gaps }),
    [loaded, network, drawKey],
  )
  useCoverageLayer(map, { visible: open, network, data: layerData, highlightZone: hover, onDrawn: setDrawn })

  if (!open) return null

  const currentPatrol = patrolResult !== null && patrolResult.key === key ? patrolResult : null
  const currentCaptain = captainResult !== null && captainResult.key === captainKey ? captainResult : null
  const failed = [currentPatrol, currentCaptain].find((r) => r !== null && 'error' in r)
  const error = failed !== undefined && failed !== null && 'error' in failed ? failed.error : null
  const currentKey = network === 'patrol' ? `${key}#patrol` : `${key}|${captainKey}#captain`
  const state = error !== null ? 'error' : currentPatrol === null || currentCaptain === null ? 'loading' : drawn === currentKey ? 'ready' : 'loading'
  const patrolMeta = loaded?.patrol.meta ?? null
  const captainMeta = loaded?.captain.meta ?? null
  const meta = network === 'patrol' ? patrolMeta : captainMeta
  const counts = loaded?.gaps.meta.counts ?? {}
  const insufficient = loaded?.gaps.meta.priority?.insufficient === true
  const maxValid = isMaxBuildings(maxText)

  return (
    <section className="coverage dock-panel" data-testid="coverage" data-state={state} data-network={network} aria-labelledby="coverage-title">
      <PanelHead id="coverage-title" title={t('coverage.title')} closeLabel={t('coverage.close')} closeTestId="coverage-close" onClose={() => onChange({ open: false })} />
      <div className="coverage-networks" role="radiogroup" aria-label={t('coverage.network')}>
        {COVERAGE_NETWORKS.map((n) => (
          <button key={n} type="button" role="radio" aria-checked={n === network} data-testid={`coverage-network-${n}`} onClick={() => onChange({ network: n })}>
            {t(n === 'patrol' ? 'coverage.network.patrol' : 'coverage.network.captain')}
          </button>
        ))}
      </div>
      {network === 'patrol' && (
        <div className="coverage-networks coverage-basis" role="radiogroup" aria-label={t('coverage.basis')}>
          {(['plan', 'logged'] as const).map((b) => (
            <button key={b} type="button" role="radio" aria-checked={b === basis} data-testid={`coverage-basis-${b}`} onClick={() => onChange({ basis: b })}>
              {t(b === 'plan' ? 'coverage.basis.plan' : 'coverage.basis.logged')}
            </button>
          ))}
        </div>
      )}
      <p className="coverage-window" data-testid="coverage-window">
        {network === 'patrol' ? t(basis === 'logged' ? 'coverage.window.logged' : 'coverage.window', { window: describeWindow(filterParams, t, lang) }) : t('coverage.captainNote', { n: maxBuildings })}
      </p>
      {network === 'captain' && (
        <>
          <label className="coverage-max">
            <span>{t('coverage.maxBuildings')}</span>
            <input
              type="number"
              min={MAX_BUILDINGS_LIMITS.min}
              max={MAX_BUILDINGS_LIMITS.max}
              step={1}
              value={maxText}
              aria-invalid={!maxValid}
              data-testid="coverage-max-buildings"
              onChange={(e) => {
                const text = e.currentTarget.value
                setMaxText(text)
                if (isMaxBuildings(text)) onChange({ maxBuildings: Number(text) })
              }}
            />
            <span>{t('coverage.maxBuildings.unit')}</span>
          </label>
          {!maxValid && <p className="analysis-invalid">{t('coverage.maxBuildings.invalid', { ...MAX_BUILDINGS_LIMITS })}</p>}
        </>
      )}

      <EmptyNetwork network={network} />
      <section className={state === 'loading' ? 'coverage-result analysis-stale' : 'coverage-result'} aria-live="polite">
        {state === 'loading' && <p className="analysis-status">{t('coverage.loading')}</p>}
        {error !== null && (
          <div className="analysis-error" role="alert" data-error-code={error.code}>
            <strong>{t('coverage.failed')}</strong> {error.code === 'network' ? t('error.network') : t(errorCodeKey(error.code), { status: error.status })}
          </div>
        )}
        {meta !== null && loaded !== null && (
          <>
            <dl className="coverage-figures" data-testid="coverage-figures">
              {meta.network === 'patrol' && (
                <>
                  <dt>{t('coverage.area')}</dt>
                  <dd data-testid="coverage-area-pct">{pctText(meta.areaCoveredPct)}</dd>
                  <dt>{t('coverage.routesInService')}</dt>
                  <dd data-testid="coverage-routes">{meta.routesInService.length}</dd>
                </>
              )}
              <dt>{t('coverage.buildings')}</dt>
              <dd>{pctText(meta.buildingsCoveredPct)}</dd>
              <dt>{t('coverage.households')}</dt>
              <dd>{pctText(meta.householdsCoveredPct)}</dd>
              {meta.network === 'captain' && (
                <>
                  <dt>{t('coverage.captainsOverLimit')}</dt>
                  <dd data-testid="coverage-over-limit">{meta.captainsOverLimit}</dd>
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
                  <span className="coverage-hatch-swatch" aria-hidden="true" data-color={COVERAGE_COLORS.gap} style={{ '--gap-color': COVERAGE_COLORS.gap } as CSSProperties} />
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
                    <li key={p.properties.rank} data-rank={p.properties.rank} data-zone={p.properties.zoneCode ?? ''}>
                      <span className="coverage-rank-swatch">{p.properties.rank}</span>
                      <span>
                        <button
                          type="button"
                          className="link coverage-place"
                          data-testid="coverage-priority-place"
                          title={t('coverage.priority.flyTo')}
                          onClick={() => onPlace(featureBbox(p.geometry))}
                        >
                          {placeText(p.properties.zoneCode, p.properties.street, t)}
                        </button>
                        <span className="coverage-reason">{lang === 'zh' ? p.properties.reasonZh : p.properties.reason}</span>
                      </span>
                    </li>
                  ))}
                </ol>
              </>
            )}
            {network === 'captain' && <CaptainLoads coverage={loaded.captain} onCaptain={onCaptain} />}
            {network === 'patrol' && <PatrolsDone communityId={community.id} filterParams={filterParams} />}
            <h3>{t('coverage.zones.title')}</h3>
            <table className="coverage-zones" data-testid="coverage-zones" onMouseLeave={() => setHover(null)}>
              <thead>
                <tr>
                  {ZONE_COLUMNS.map((column) => (
                    <SortHeader key={column} column={column} sort={sort} onSort={sortBy} testId={`coverage-sort-${column}`}>
                      {t(ZONE_COLUMN_LABELS[column])}
                    </SortHeader>
                  ))}
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
                    onClick={() => onZone(r.id)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault()
                        onZone(r.id)
                      }
                    }}
                    tabIndex={0}
                    aria-label={t('coverage.zones.open', { zone: r.code })}
                  >
                    <th scope="row" title={r.name}>
                      {r.code}
                    </th>
                    <td className={r.patrolPct !== null && r.patrolPct < 50 ? 'coverage-low' : undefined}>{pctText(r.patrolPct)}</td>
                    <td className={r.captainPct !== null && r.captainPct < 50 ? 'coverage-low' : undefined}>{pctText(r.captainPct)}</td>
                    <td>{fmt.format(r.incidents)}</td>
                    <td>{r.priority === 0 ? '' : r.priority}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="analysis-note">{t('coverage.zones.hint')}</p>
          </>
        )}
      </section>
    </section>
  )
}

const ZONE_COLUMN_LABELS: Record<ZoneColumn, MessageKey> = {
  code: 'coverage.zones.zone',
  patrolPct: 'coverage.zones.patrol',
  captainPct: 'coverage.zones.captain',
  incidents: 'coverage.zones.incidents',
  priority: 'coverage.zones.priority',
}

/** Where a priority gap is, in words: "G07 · Valencia St" (zone code and nearest street, either may be missing). */
function placeText(zoneCode: string | null, street: string | null, t: ReturnType<typeof useI18n>['t']): string {
  const zone = zoneCode === null ? t('coverage.priority.noZone') : t('coverage.priority.zone', { zone: zoneCode })
  return street === null ? zone : t('coverage.priority.place', { zone, street })
}

/** A table's head row: one translated heading a column. */
function TableHead({ columns }: { columns: MessageKey[] }) {
  const { t } = useI18n()
  return (
    <thead>
      <tr>
        {columns.map((key) => (
          <th key={key}>{t(key)}</th>
        ))}
      </tr>
    </thead>
  )
}

/** Whether typed text is a captain load limit the server accepts (a whole number within the limits). */
function isMaxBuildings(text: string): boolean {
  const v = Number(text)
  return text.trim() !== '' && Number.isInteger(v) && v >= MAX_BUILDINGS_LIMITS.min && v <= MAX_BUILDINGS_LIMITS.max
}

/** The captains by load, over-limit ones flagged; a click selects a captain and flies to their buildings. */
function CaptainLoads({ coverage, onCaptain }: { coverage: CaptainCoverageCollection; onCaptain: CoveragePanelProps['onCaptain'] }) {
  const { lang, t } = useI18n()
  const fmt = useMemo(() => new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en'), [lang])
  const captains = useMemo(() => captainsByLoad(coverage.meta.captains), [coverage])
  const max = coverage.meta.maxBuildings
  const over = captains.filter((c) => c.overLimit).length
  const most = Math.max(1, ...captains.map((c) => c.buildings))
  return (
    <>
      <h3>{t('coverage.captains.title', { n: captains.length })}</h3>
      <p className="analysis-note" data-testid="coverage-captains-summary">
        {t('coverage.captains.summary', { over, n: captains.length, max })}
      </p>
      <div className="coverage-captains-scroll">
        <table className="coverage-captains" data-testid="coverage-captains">
          <TableHead columns={['coverage.captains.captain', 'coverage.captains.buildings', 'coverage.captains.households']} />
          <tbody>
            {captains.map((c) => (
              <tr key={c.id} data-captain={c.id} data-buildings={c.buildings} data-over-limit={c.overLimit} className={c.overLimit ? 'coverage-over' : undefined}>
                <th scope="row">
                  <button type="button" className="link" onClick={() => onCaptain(c.id, captainBuildingsBbox(coverage, c.id))}>
                    {c.name}
                  </button>
                  {c.overLimit && <span className="coverage-flag">{t('coverage.captains.overLimit')}</span>}
                  {!c.active && <span className="coverage-inactive">{t('coverage.captains.inactive')}</span>}
                </th>
                <td>
                  <span className="coverage-load" aria-hidden="true">
                    <span style={{ width: `${(c.buildings / most) * 100}%` }} />
                  </span>
                  {fmt.format(c.buildings)}
                </td>
                <td>{fmt.format(c.households)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="analysis-note">{t('coverage.captains.hint')}</p>
    </>
  )
}

/** The patrol window in words, from the shared filters' hours and weekdays. */
function describeWindow(filters: URLSearchParams, t: ReturnType<typeof useI18n>['t'], lang: string): string {
  const hours = filters.get('hours')
  const weekdays = filters.get('weekdays')
  // the days as words ("Sat, Sun" / "周六、周日"), not their numbers
  const days = (weekdays ?? '')
    .split(',')
    .filter((d) => /^[1-7]$/.test(d))
    .map((d) => t(`weekday.short.${d}` as MessageKey))
    .join(lang === 'zh' ? '、' : ', ')
  const h = hours === null ? t('coverage.window.allDay') : hours.replace('-', '–').replace(/\b(\d{1,2})\b(?!:)/g, (d) => `${d.padStart(2, '0')}:00`)
  const d = weekdays === null ? t('coverage.window.allWeek') : t('coverage.window.weekdays', { days })
  return `${h}, ${d}`
}

/**
 * Planned against logged patrols in the filter's period (and window), per route: how many shift
 * occurrences the plan had, how many patrols were logged, how many planned ones were walked and
 * missed ("planned 31 night patrols on R3, 12 walked"). Needs a period of at most a year.
 */
function PatrolsDone({ communityId, filterParams }: { communityId: string; filterParams: URLSearchParams }) {
  const { t, lang } = useI18n()
  const from = filterParams.get('from')
  const to = filterParams.get('to')
  const q = new URLSearchParams()
  if (from !== null) q.set('from', from)
  if (to !== null) q.set('to', to)
  for (const k of ['hours', 'weekdays']) if (filterParams.get(k) !== null) q.set(k, filterParams.get(k)!)
  q.set('lang', lang)
  const key = q.toString()
  const [answer, setAnswer] = useState<{ key: string; value: PatrolSummary | ApiError } | null>(null)
  useEffect(() => {
    if (from === null || to === null) return
    const abort = new AbortController()
    getJson<PatrolSummary>(`/api/communities/${encodeURIComponent(communityId)}/patrols/summary?${key}`, abort.signal).then(
      (value) => setAnswer({ key, value }),
      (e: unknown) => !abort.signal.aborted && setAnswer({ key, value: e instanceof ApiError ? e : new ApiError(0, 'network', String(e)) }),
    )
    return () => abort.abort()
  }, [communityId, key, from, to])
  const current = answer !== null && answer.key === key ? answer.value : null
  const routes = current !== null && !(current instanceof ApiError) ? [...current.routes].filter((r) => r.planned > 0 || r.logged > 0).sort((a, b) => b.plannedMissed - a.plannedMissed || a.name.localeCompare(b.name)) : []
  return (
    <section className="coverage-done" data-testid="coverage-patrols-done" data-state={from === null || to === null ? 'no-period' : current === null ? 'loading' : current instanceof ApiError ? 'error' : 'ready'}>
      <h3>{t('coverage.done.title')}</h3>
      {(from === null || to === null) && <p className="analysis-note">{t('coverage.done.period')}</p>}
      {current instanceof ApiError && (
        <p className="analysis-error" role="alert" data-error-code={current.code}>
          {current.code === 'network' ? t('error.network') : current.message}
        </p>
      )}
      {current !== null && !(current instanceof ApiError) && (
        <>
          <p className="analysis-note" data-testid="coverage-done-total" data-planned={current.total.planned} data-done={current.total.plannedDone} data-logged={current.total.logged}>
            {t('coverage.done.total', { planned: current.total.planned, done: current.total.plannedDone, logged: current.total.logged, missed: current.total.plannedMissed })}
          </p>
          <table className="coverage-zones coverage-done-routes">
            <TableHead columns={['coverage.done.route', 'coverage.done.planned', 'coverage.done.walked', 'coverage.done.missed', 'coverage.done.logged']} />
            <tbody>
              {routes.map((r) => (
                <tr key={r.id} data-route={r.id} data-planned={r.planned} data-done={r.plannedDone}>
                  <th scope="row" title={`${r.name} · ${r.teamName}`}>
                    {r.name}
                  </th>
                  <td>{r.planned}</td>
                  <td>{r.plannedDone}</td>
                  <td className={r.plannedMissed > 0 ? 'coverage-low' : undefined}>{r.plannedMissed}</td>
                  <td>{r.logged}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}

/** An empty community (issue 10): the network it has nothing of yet, and the zones the figures are counted in. */
function EmptyNetwork({ network }: { network: 'patrol' | 'captain' }) {
  const { t } = useI18n()
  const noZones = useMissing('zones')
  const noRoutes = useMissing('routes')
  const noCaptains = useMissing('captains')
  return (
    <>
      {network === 'patrol' && noRoutes && <Missing what="routes" because={t('empty.coverage.routes')} />}
      {network === 'captain' && noCaptains && <Missing what="captains" because={t('empty.coverage.captains')} />}
      {noZones && <Missing what="zones" because={t('empty.coverage.zones')} />}
    </>
  )
}
