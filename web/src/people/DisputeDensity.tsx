/**
 * Dispute density on the map (issue 12): the hot spot analysis of the incidents — Gi* hot spots,
 * kernel density or counts on 100 m squares — run over the disputes of the filter bar's period
 * (`GET …/hotspots?source=disputes`), drawn by the analysis panel's own layer code in a set of cell
 * layers of its own (analysis/layers.ts, DISPUTE_DENSITY_CELLS), so both can be on the map at once.
 * 100 m cells are what every role may see (incident hot spots' rule); the server says so too.
 *
 * `useDisputeDensity` (in the panel, so the layer stays while its tabs change) fetches and draws;
 * `DisputeDensityControls` (in the figures tab) switches it and shows its legend. Progress for
 * tests: `data-state` on the controls — off, loading, insufficient, error, ready (cells drawn).
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { base, type Community } from '../api'
import { fetchHotspots } from '../analysis/api'
import { DEFAULT_OPACITY, DISPUTE_DENSITY_CELLS } from '../analysis/layers'
import { useHotspotLayer } from '../analysis/useHotspotLayer'
import { useI18n, type MessageKey } from '../i18n'
import { ApiError } from '../lib/api-error'
import { analysisLegend, binLabel, cellFillColor, classesFor, NO_FILL, pText, type HotspotCellProps, type HotspotCollection } from '../lib/hotspots'
import { ApiErrorLine } from '../ui/ApiErrorLine'
import { SwatchIcon } from '../ui/LayerPanel'
import '../analysis/analysis.css'

export const DENSITY_METHODS = ['gistar', 'kde', 'count'] as const
export type DensityMethod = (typeof DENSITY_METHODS)[number]

/** What the people panel shows of dispute density: off, or a method. */
export interface DensitySettings {
  on: boolean
  method: DensityMethod
}

/** The cell size of the view: the smallest every role may ask for. */
export const DENSITY_CELL = 100

/** The request of a dispute density view. */
export function densityPath(communityId: string, method: DensityMethod, from: string | null, to: string | null): string {
  const q = new URLSearchParams({ source: 'disputes', method, cell: String(DENSITY_CELL), shape: 'square' })
  if (from) q.set('from', from)
  if (to) q.set('to', to)
  return `${base(communityId)}/hotspots?${q.toString()}`
}

export interface DisputeDensity {
  settings: DensitySettings
  setSettings: (s: DensitySettings) => void
  /** the answer shown (its path), or why there is none; null while off or loading */
  result: { path: string; fc: HotspotCollection } | { path: string; error: ApiError } | null
  /** off, loading, insufficient, error, ready */
  state: string
}

/** Fetches and draws the dispute density while the panel is open and the view is on. */
export function useDisputeDensity(map: MapLibreMap | null, community: Community, open: boolean, from: string | null, to: string | null): DisputeDensity {
  const { t, lang } = useI18n()
  const [settings, setSettings] = useState<DensitySettings>({ on: false, method: 'gistar' })
  const [result, setResult] = useState<DisputeDensity['result']>(null)
  const [drawn, setDrawn] = useState<string | null>(null)
  const active = open && settings.on
  const path = densityPath(community.id, settings.method, from, to)

  useEffect(() => {
    if (!active) return
    const abort = new AbortController()
    fetchHotspots(path, abort.signal).then(
      (fc) => setResult({ path, fc }),
      (e: unknown) => !abort.signal.aborted && setResult({ path, error: e instanceof ApiError ? e : new ApiError(0, 'network', String(e)) }),
    )
    return () => abort.abort()
  }, [active, path])

  const current = result !== null && result.path === path ? result : null
  const fc = current !== null && 'fc' in current && !current.fc.meta.insufficient ? current.fc : null
  const classes = useMemo(() => (fc === null ? [] : classesFor(fc)), [fc])
  const fillColor = useMemo(() => (fc === null ? NO_FILL : cellFillColor(fc.meta.method, classes)), [fc, classes])
  const data = useMemo(() => (fc === null ? null : { key: path, fc }), [fc, path])
  const format = useMemo(() => new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 2 }), [lang])
  const describeCell = useCallback(
    (p: HotspotCellProps): string[] => {
      const lines = [t('people.density.cell.count', { count: p.count })]
      if (typeof p.bin === 'number') {
        lines.unshift(t(binLabel(p.bin).key, binLabel(p.bin).params))
        if (typeof p.z === 'number') lines.push(t('analysis.cellInfo.z', { z: format.format(p.z), p: pText(p.p) }))
      }
      if (typeof p.density === 'number') lines.unshift(t('people.density.cell.density', { density: format.format(p.density) }))
      return lines
    },
    [t, format],
  )
  useHotspotLayer(map, { visible: active && fc !== null, data, fillColor, opacity: DEFAULT_OPACITY, onDrawn: setDrawn, describeCell, cells: DISPUTE_DENSITY_CELLS })

  const state = !active ? 'off' : current === null ? 'loading' : 'error' in current ? 'error' : current.fc.meta.insufficient ? 'insufficient' : drawn === path ? 'ready' : 'loading'
  return { settings, setSettings, result: current, state }
}

/** The switch, the method and the legend of the dispute density view. */
export function DisputeDensityControls({ density }: { density: DisputeDensity }) {
  const { t, lang } = useI18n()
  const { settings, setSettings, result, state } = density
  const format = useMemo(() => new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 3 }), [lang])
  const fc = result !== null && 'fc' in result ? result.fc : null
  const meta = fc?.meta ?? null
  const legend = useMemo(() => (fc === null || fc.meta.insufficient ? [] : analysisLegend(fc, classesFor(fc), (n) => format.format(n))), [fc, format])
  return (
    <section className="people-density" data-testid="people-density" data-state={state} data-method={settings.method}>
      <label className="analysis-check">
        <input type="checkbox" checked={settings.on} data-testid="people-density-toggle" onChange={(e) => setSettings({ ...settings, on: e.currentTarget.checked })} />
        <span>{t('people.density.show')}</span>
      </label>
      {settings.on && (
        <>
          <div className="analysis-methods" role="radiogroup" aria-label={t('people.density.method')}>
            {DENSITY_METHODS.map((m) => (
              <button key={m} type="button" role="radio" aria-checked={m === settings.method} data-testid={`people-density-${m}`} onClick={() => setSettings({ ...settings, method: m })}>
                {t(`people.density.${m}` as MessageKey)}
              </button>
            ))}
          </div>
          {state === 'loading' && <p className="analysis-status">{t('analysis.loading')}</p>}
          {result !== null && 'error' in result && <ApiErrorLine error={result.error} />}
          {meta !== null && meta.insufficient && (
            <p className="analysis-note" data-testid="people-density-insufficient">
              {t('people.density.insufficient', { disputes: meta.incidents, min: meta.minIncidents })}
            </p>
          )}
          {meta !== null && !meta.insufficient && (
            <>
              <p className="analysis-note" data-testid="people-density-summary" data-disputes={meta.incidents} data-cells={meta.cells}>
                {t('people.density.summary', { disputes: meta.incidents, cells: meta.cells, cell: meta.cell })}
              </p>
              {meta.method !== 'gistar' && <h3>{t(meta.method === 'kde' ? 'people.density.legend.kde' : 'people.density.legend.count')}</h3>}
              <ul className="legend analysis-legend people-density-legend" data-testid="people-density-legend">
                {legend.map((row, k) => (
                  <li key={k} data-color={row.color} data-cells={row.cells}>
                    <SwatchIcon swatch={row.color === NO_FILL ? { kind: 'fill', color: 'none', stroke: '#9c978c' } : { kind: 'fill', color: row.color }} />
                    <span>{'text' in row.label ? row.label.text : t(row.label.key, row.label.params)}</span>
                    <span className="analysis-cells">{row.cells}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  )
}

