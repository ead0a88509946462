/**
 * The analysis panel: hot spots (Gi*), density (KDE), emerging hot spots and plain counts on a
 * grid of true-metre cells, from the hotspots API, drawn as a layer of the map. It says in words
 * what the colours mean, how to read them, and refuses to draw a map when the server says there is
 * not enough data.
 *
 * It lives in the dock (ui/Dock.tsx); what it analyses is the app's state (`settings`, kept in the
 * URL), so a link reopens the same analysis. The panel exposes its progress for tests and scripts
 * as `data-state` on its root: invalid (an input the server would refuse), loading, error,
 * insufficient, ready (cells drawn).
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import type { Map as MapLibreMap } from 'maplibre-gl'
import type { Community } from '../api'
import { useI18n, type Translate } from '../i18n'
import { ApiError, errorCodeKey } from '../lib/api-error'
import { formatDate } from '../lib/dates'
import {
  analysisLegend,
  binLabel,
  cellFillColor,
  classesFor,
  CELL_SIZES,
  EMERGING_SLOW_CELLS,
  estimateCells,
  HOTSPOT_METHODS,
  insufficientLabel,
  LIMITS,
  NO_FILL,
  pText,
  withinLimits,
  type AnalysisParams,
  type HotspotCellProps,
  type HotspotCollection,
  type Label,
} from '../lib/hotspots'
import type { AnalysisState } from '../lib/url-state'
import { PanelHead } from '../ui/Dock'
import { Missing, useMissing } from '../ui/Empty'
import { SwatchIcon } from '../ui/LayerPanel'
import { fetchHotspots, hotspotsPath } from './api'
import { DEFAULT_OPACITY } from './layers'
import { useHotspotLayer } from './useHotspotLayer'
import './analysis.css'

export interface AnalysisPanelProps {
  community: Community
  /** the live map (null until its style has loaded) */
  map: MapLibreMap | null
  /** The app's shared incident filters as query parameters (from, to, categories, hours, weekdays). */
  filterParams: URLSearchParams
  /** open or closed, and the analysis chosen */
  settings: AnalysisState
  /** a change of the settings (band and bandwidth only once what is typed is a valid number, or empty) */
  onChange: (patch: Partial<AnalysisState>) => void
  /** sets the shared filter's period (from the "analyse the period with data" offer) */
  onPeriod: (from: string, to: string) => void
}

type Result = { path: string; fc: HotspotCollection } | { path: string; error: ApiError }

/** How long typing may pause before the analysis is asked for. */
const DEBOUNCE_MS = 350

function parseMetres(text: string): number | null {
  const v = Number(text.trim())
  return text.trim() === '' || !Number.isFinite(v) ? null : v
}

function useNumberFormat(lang: string, maxFractionDigits: number): (n: number) => string {
  return useMemo(() => {
    const f = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: maxFractionDigits })
    return (n: number) => f.format(n)
  }, [lang, maxFractionDigits])
}

/** "Calculating…", with the seconds waited once it takes a while (emerging hot spots can take minutes). */
function Waiting({ since, t }: { since: string; t: Translate }) {
  const [seconds, setSeconds] = useState(0)
  useEffect(() => {
    setSeconds(0)
    const start = Date.now()
    const timer = window.setInterval(() => setSeconds(Math.floor((Date.now() - start) / 1000)), 1000)
    return () => window.clearInterval(timer)
  }, [since])
  return <p className="analysis-status">{seconds >= 3 ? t('analysis.loadingFor', { s: seconds }) : t('analysis.loading')}</p>
}

const say = (t: Translate, l: Label | { text: string }) => ('text' in l ? l.text : t(l.key, l.params))

/** The panel while it is open (nothing while closed; its cells leave the map then). */
export function AnalysisPanel({ community, map, filterParams, settings, onChange, onPeriod }: AnalysisPanelProps) {
  const { lang, t } = useI18n()
  const { open, method, shape, fdr, slice, cell } = settings
  // numbers as typed, so a half-typed value is not corrected under the user's fingers
  const [bandText, setBandText] = useState(settings.band === null ? '' : String(settings.band))
  const [bandwidthText, setBandwidthText] = useState(settings.bandwidth === null ? '' : String(settings.bandwidth))
  const [opacity, setOpacity] = useState(DEFAULT_OPACITY)
  const [result, setResult] = useState<Result | null>(null)
  const [drawn, setDrawn] = useState<string | null>(null)
  const formatInt = useNumberFormat(lang, 0)
  const formatClass = useNumberFormat(lang, 3)
  const format2 = useNumberFormat(lang, 2)

  // What to ask for; null while an input is out of range.
  const band = parseMetres(bandText)
  const bandwidth = parseMetres(bandwidthText)
  const invalid: Label[] = []
  if ((method === 'gistar' || method === 'emerging') && bandText.trim() !== '' && (band === null || !withinLimits('band', band)))
    invalid.push({ key: 'analysis.invalid.band', params: { ...LIMITS.band } })
  if (method === 'kde' && bandwidthText.trim() !== '' && (bandwidth === null || !withinLimits('bandwidth', bandwidth)))
    invalid.push({ key: 'analysis.invalid.bandwidth', params: { ...LIMITS.bandwidth } })
  const params: AnalysisParams = { method, cell, shape, fdr, band, bandwidth, slice }
  const estimate = estimateCells(community.bbox, cell, shape)
  const filterQuery = filterParams.toString()
  // an empty community (no incidents): nothing is asked, the panel says what is missing
  const noIncidents = useMissing('incidents')
  const path = invalid.length > 0 || noIncidents ? null : hotspotsPath(community.id, params, new URLSearchParams(filterQuery))

  // Ask the server, a moment after the last change; a newer request cancels the older one.
  useEffect(() => {
    if (!open || path === null) return
    const abort = new AbortController()
    const timer = window.setTimeout(() => {
      fetchHotspots(path, abort.signal)
        .then((fc) => setResult({ path, fc }))
        .catch((err: unknown) => {
          if (abort.signal.aborted) return
          setResult({ path, error: err instanceof ApiError ? err : new ApiError(0, 'network', String(err)) })
        })
    }, DEBOUNCE_MS)
    return () => {
      window.clearTimeout(timer)
      abort.abort()
    }
  }, [open, path])

  const fc = result !== null && 'fc' in result ? result.fc : null
  const classes = useMemo(() => (fc === null ? [] : classesFor(fc)), [fc])
  const fillColor = useMemo(() => (fc === null ? NO_FILL : cellFillColor(fc.meta.method, classes)), [fc, classes])
  const layerData = useMemo(() => (result !== null && fc !== null ? { key: result.path, fc } : null), [result, fc])

  const describeCell = useCallback(
    (p: HotspotCellProps): string[] => {
      const lines = [t('analysis.cellInfo.count', { count: p.count })]
      if (typeof p.bin === 'number') {
        lines.unshift(say(t, binLabel(p.bin)))
        if (typeof p.z === 'number') lines.push(t('analysis.cellInfo.z', { z: format2(p.z), p: pText(p.p) }))
        if (typeof p.pAdjusted === 'number') lines.push(t('analysis.cellInfo.pAdjusted', { p: pText(p.pAdjusted) }))
      }
      if (typeof p.density === 'number') lines.unshift(t('analysis.cellInfo.density', { density: formatInt(p.density) }))
      if (typeof p.category === 'string') {
        lines.unshift(t(`hotspots.emerging.${p.category}`))
        const slices = fc?.meta.slices
        if (typeof p.hotSlices === 'number' && typeof slices === 'number')
          lines.push(t('analysis.cellInfo.slices', { hot: p.hotSlices, slices, z: typeof p.trendZ === 'number' ? format2(p.trendZ) : '–' }))
      }
      return lines
    },
    [t, fc, format2, formatInt],
  )

  useHotspotLayer(map, { visible: open, data: layerData, fillColor, opacity, onDrawn: setDrawn, describeCell })

  /** What is typed in a metres field: kept as typed, handed on once it is a number within the limits (or empty). */
  const typeMetres = (param: 'band' | 'bandwidth', text: string, setText: (t: string) => void) => {
    setText(text)
    const v = parseMetres(text)
    if (text.trim() === '') onChange({ [param]: null })
    else if (v !== null && withinLimits(param, v)) onChange({ [param]: v })
  }

  if (!open) return null

  const current = result !== null && result.path === path ? result : null
  const state = noIncidents
    ? 'empty'
    : path === null
      ? 'invalid'
      : current === null
        ? 'loading'
        : 'error' in current
          ? 'error'
          : current.fc.meta.insufficient
            ? 'insufficient'
            : drawn === current.path
              ? 'ready'
              : 'loading'
  const meta = fc?.meta ?? null
  const shown = current !== null && 'fc' in current ? current.fc.meta : null
  const legend = fc !== null && !fc.meta.insufficient ? analysisLegend(fc, classes, formatClass) : []

  return (
    <section className="analysis dock-panel" data-testid="analysis" data-state={state} data-method={method} aria-labelledby="analysis-title">
      <PanelHead id="analysis-title" title={t('analysis.title')} closeLabel={t('analysis.close')} closeTestId="analysis-close" onClose={() => onChange({ open: false })} />

      <div className="analysis-methods" role="radiogroup" aria-label={t('analysis.method')}>
        {HOTSPOT_METHODS.map((m) => (
          <button key={m} type="button" role="radio" aria-checked={m === method} data-testid={`method-${m}`} onClick={() => onChange({ method: m })}>
            {t(`analysis.method.${m}`)}
          </button>
        ))}
      </div>

      <div className="analysis-row">
        <label>
          <span>{t('analysis.cell')}</span>
          <select value={cell} data-testid="analysis-cell" onChange={(e) => onChange({ cell: Number(e.currentTarget.value) })}>
            {CELL_SIZES.map((size) => (
              <option key={size} value={size}>
                {t('analysis.cellSize', { metres: formatInt(size) })}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('analysis.shape')}</span>
          <select value={shape} data-testid="analysis-shape" onChange={(e) => onChange({ shape: e.currentTarget.value as typeof shape })}>
            <option value="square">{t('analysis.shape.square')}</option>
            <option value="hex">{t('analysis.shape.hex')}</option>
          </select>
        </label>
      </div>
      {(method === 'gistar' || method === 'emerging') && (
        <div className="analysis-row">
          <label>
            <span>{t('analysis.band')}</span>
            <span className="analysis-unit">
              <input type="number" min={LIMITS.band.min} max={LIMITS.band.max} step={10} value={bandText} placeholder={t('analysis.band.adjacent')} data-testid="analysis-band" onChange={(e) => typeMetres('band', e.currentTarget.value, setBandText)} />
              {t('analysis.metres')}
            </span>
          </label>
          {method === 'emerging' && (
            <label>
              <span>{t('analysis.slice')}</span>
              <select value={slice} data-testid="analysis-slice" onChange={(e) => onChange({ slice: e.currentTarget.value as typeof slice })}>
                <option value="month">{t('analysis.slice.month')}</option>
                <option value="week">{t('analysis.slice.week')}</option>
              </select>
            </label>
          )}
        </div>
      )}
      {method === 'emerging' && estimate * (slice === 'week' ? 4 : 1) > EMERGING_SLOW_CELLS && (
        <p className="analysis-warn" data-testid="analysis-slow">
          {t('analysis.slow', { n: formatInt(estimate) })}
        </p>
      )}
      {method === 'gistar' && (
        <label className="analysis-check">
          <input type="checkbox" checked={fdr} data-testid="analysis-fdr" onChange={(e) => onChange({ fdr: e.currentTarget.checked })} />
          <span>{t('analysis.fdr')}</span>
        </label>
      )}
      {method === 'kde' && (
        <label className="analysis-field">
          <span>{t('analysis.bandwidth')}</span>
          <span className="analysis-unit">
            <input type="number" min={LIMITS.bandwidth.min} max={LIMITS.bandwidth.max} step={10} value={bandwidthText} placeholder={t('analysis.bandwidth.auto')} data-testid="analysis-bandwidth" onChange={(e) => typeMetres('bandwidth', e.currentTarget.value, setBandwidthText)} />
            {t('analysis.metres')}
          </span>
        </label>
      )}
      {invalid.map((l) => (
        <p key={l.key} className="analysis-invalid">
          {say(t, l)}
        </p>
      ))}

      <section className={state === 'loading' ? 'analysis-result analysis-stale' : 'analysis-result'} aria-live="polite">
        {state === 'empty' && <Missing what="incidents" because={t('empty.analysis')} />}
        {state === 'loading' && <Waiting since={path ?? ''} t={t} />}
        {current !== null && 'error' in current && (
          <div className="analysis-error" role="alert" data-error-code={current.error.code}>
            <strong>{t('analysis.failed')}</strong>{' '}
            {current.error.code === 'network' ? t('error.network') : t(errorCodeKey(current.error.code), { status: current.error.status })}
            {current.error.message !== '' && current.error.code !== 'network' && <small>{t('error.details', { message: current.error.message })}</small>}
          </div>
        )}
        {shown?.insufficient === true && (
          <div className="analysis-insufficient" data-testid="analysis-insufficient" data-reason={shown.insufficientReason ?? ''}>
            <strong>{t('analysis.insufficient.title')}</strong>
            <p>{say(t, insufficientLabel(shown))}</p>
            <p>{t('analysis.insufficient.noMap')}</p>
          </div>
        )}
        {meta !== null && !meta.insufficient && (
          <>
            <p className="analysis-summary" data-testid="analysis-summary">
              {t('analysis.summary', { incidents: formatInt(meta.incidents), cells: formatInt(meta.cells), cell: formatInt(meta.cell) })}
              {meta.method === 'emerging' && typeof meta.slices === 'number' && meta.firstSlice != null && (
                <>
                  {lang === 'zh' ? '' : ' '}
                  {t('analysis.summary.slices', { slices: meta.slices, first: formatDate(meta.firstSlice, lang) })}
                </>
              )}
            </p>
            {meta.method === 'emerging' && typeof meta.slices === 'number' && typeof meta.emptySlices === 'number' && meta.emptySlices * 2 > meta.slices && (
              <div className="analysis-warn analysis-empty-slices" data-testid="analysis-empty-slices" data-empty={meta.emptySlices} data-slices={meta.slices}>
                <p>{t('analysis.emptySlices', { empty: formatInt(meta.emptySlices), slices: formatInt(meta.slices) })}</p>
                {meta.dataPeriod != null && (
                  <button
                    type="button"
                    className="analysis-data-period"
                    data-testid="analysis-data-period"
                    data-from={meta.dataPeriod.from}
                    data-to={meta.dataPeriod.to}
                    onClick={() => onPeriod(meta.dataPeriod!.from, meta.dataPeriod!.to)}
                  >
                    {t('analysis.dataPeriod', { from: formatDate(meta.dataPeriod.from, lang), to: formatDate(meta.dataPeriod.to, lang), slices: formatInt(meta.dataPeriod.slices) })}
                  </button>
                )}
              </div>
            )}
            {meta.method === 'kde' && typeof meta.bandwidth === 'number' && (
              <p className="analysis-note" data-testid="analysis-bandwidth-used">
                {t('analysis.bandwidth.used', {
                  metres: formatInt(meta.bandwidth),
                  source: t(meta.bandwidthSource === 'parameter' ? 'analysis.bandwidth.parameter' : 'analysis.bandwidth.data'),
                })}
              </p>
            )}
            <h3 className="analysis-legend-head">
              <span>{meta.method === 'kde' ? t('analysis.legend.density') : meta.method === 'count' ? t('analysis.legend.count') : t('analysis.legend')}</span>
              <span>{t('analysis.legend.cells')}</span>
            </h3>
            <ul className="legend analysis-legend" data-testid="analysis-legend">
              {legend.map((row, k) => (
                <li key={k} data-color={row.color} data-cells={row.cells}>
                  <SwatchIcon swatch={row.color === NO_FILL ? { kind: 'fill', color: 'none', stroke: '#9c978c' } : { kind: 'fill', color: row.color }} />
                  <span>{say(t, row.label)}</span>
                  <span className="analysis-cells">
                    {formatInt(row.cells)}
                  </span>
                  {row.hint !== undefined && <small>{say(t, row.hint)}</small>}
                </li>
              ))}
            </ul>
            <label className="analysis-opacity">
              <span>{t('analysis.opacity')}</span>
              <input
                type="range"
                min={0}
                max={100}
                step={5}
                value={Math.round(opacity * 100)}
                data-testid="analysis-opacity"
                onChange={(e) => setOpacity(Number(e.currentTarget.value) / 100)}
              />
              <output>{Math.round(opacity * 100)} %</output>
            </label>
          </>
        )}
        {meta !== null && (
          <div className="analysis-notes" data-testid="analysis-time-unknown">
            {meta.outsideArea > 0 && <p className="analysis-note">{t('analysis.outsideArea', { n: formatInt(meta.outsideArea) })}</p>}
            {meta.timeUnknown > 0 && (
              <p className="analysis-note">
                {t(meta.timeUnknownExcluded ? 'analysis.timeUnknown.excluded' : 'analysis.timeUnknown.included', { n: formatInt(meta.timeUnknown) })}
              </p>
            )}
          </div>
        )}
      </section>

      <details className="analysis-explain" data-testid="analysis-explain" open>
        <summary>{t('analysis.explain.title')}</summary>
        {method === 'gistar' && (
          <>
            <p>{t('analysis.explain.gistar')}</p>
            <p>{t('analysis.explain.confidence')}</p>
            <p>{t('analysis.explain.fdr')}</p>
          </>
        )}
        {method === 'kde' && (
          <>
            <p>{t('analysis.explain.kde')}</p>
            <p>{t('analysis.explain.densityNotSignificance')}</p>
          </>
        )}
        {method === 'emerging' && (
          <>
            <p>{t('analysis.explain.emerging')}</p>
          </>
        )}
        {method === 'count' && <p>{t('analysis.explain.count')}</p>}
      </details>
    </section>
  )
}
