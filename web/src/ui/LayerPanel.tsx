import { useId } from 'react'
import { useI18n } from '../i18n'
import type { CoverageNetwork } from '../lib/coverage'
import { groupNameKey, legendEntries, LEGEND_GROUPS, SAMPLE_GROUPS, type LegendGroup, type LegendLabel, type Swatch } from '../lib/legend'
import type { TeamColor } from '../lib/palette'
import type { BuildingColoring } from '../lib/url-state'
import { BUILDINGS_MIN_ZOOM } from '../map/style'

/** A legend swatch as a small inline SVG, drawn from the same constants as the map. */
export function SwatchIcon({ swatch }: { swatch: Swatch }) {
  const patternId = useId()
  return (
    <svg className="swatch" width="18" height="14" viewBox="0 0 18 14" aria-hidden="true">
      {swatch.kind === 'fill' && (
        <rect x="1.5" y="1.5" width="15" height="11" rx="1.5" fill={swatch.color} stroke={swatch.stroke ?? swatch.color} strokeWidth="1" />
      )}
      {swatch.kind === 'hatch' && (
        <>
          <defs>
            <pattern id={patternId} width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <line x1="0" y1="0" x2="0" y2="4" stroke={swatch.hatch ?? swatch.stroke ?? '#000'} strokeWidth="1.3" />
            </pattern>
          </defs>
          <rect x="1.5" y="1.5" width="15" height="11" rx="1.5" fill={swatch.color} stroke={swatch.stroke ?? swatch.color} strokeWidth="1" />
          <rect x="1.5" y="1.5" width="15" height="11" rx="1.5" fill={`url(#${patternId})`} />
        </>
      )}
      {swatch.kind === 'line' && (
        <>
          {swatch.stroke !== undefined && <line x1="1" y1="7" x2="17" y2="7" stroke={swatch.stroke} strokeWidth="6" strokeLinecap="round" />}
          <line
            x1="2"
            y1="7"
            x2="16"
            y2="7"
            stroke={swatch.color}
            strokeWidth={swatch.stroke !== undefined ? 4 : 3}
            strokeLinecap="round"
            strokeDasharray={swatch.dash !== undefined && swatch.dash[1] !== 0 ? swatch.dash.map((d) => Math.max(d * 3, 0.01)).join(' ') : undefined}
          />
        </>
      )}
      {swatch.kind === 'circle' && <circle cx="9" cy="7" r="4.5" fill={swatch.color} stroke={swatch.stroke ?? swatch.color} strokeWidth="1.5" />}
      {swatch.kind === 'cluster' && (
        <>
          <circle cx="9" cy="7" r="6.2" fill={swatch.color} stroke={swatch.stroke ?? swatch.color} strokeWidth="1" />
          <text x="9" y="9.6" textAnchor="middle" fontSize="7.5" fontWeight="700" fill="#fff">
            n
          </text>
        </>
      )}
    </svg>
  )
}

export interface LayerPanelProps {
  visible: Record<LegendGroup, boolean>
  opacity: Record<LegendGroup, number>
  teams: readonly TeamColor[]
  buildings: BuildingColoring
  /** incident categories the filter keeps (null: all) — the legend lists only those */
  categories: readonly string[] | null
  /** current map zoom (buildings appear from BUILDINGS_MIN_ZOOM) */
  zoom: number | null
  open: boolean
  /** the quiet base map of the coverage view, showing this network (the legend says what is drawn then); null: none */
  quiet: CoverageNetwork | null
  onOpen: (open: boolean) => void
  onToggle: (group: LegendGroup, visible: boolean) => void
  onOpacity: (group: LegendGroup, opacity: number) => void
  onBuildings: (coloring: BuildingColoring) => void
  /** the user's role sees incidents as points (false: counts per cell; no colouring of buildings by incidents) */
  exactIncidents: boolean
  /** the community's zones, routes and captains were generated for the demo (marked as sample data) */
  sample: boolean
}

/** The layer list: per layer group a checkbox, an opacity slider and its legend; topmost group first. */
export function LayerPanel(p: LayerPanelProps) {
  const { t } = useI18n()
  const label = (l: LegendLabel) => ('key' in l ? t(l.key, l.params) : l.text)
  const groups = [...LEGEND_GROUPS].reverse()
  if (!p.open)
    return (
      <button type="button" className="panel-open" data-testid="layers-open" onClick={() => p.onOpen(true)} aria-expanded="false">
        {t('layers.title')}
      </button>
    )
  return (
    <aside className="panel" aria-labelledby="layers-title" data-testid="layer-panel">
      <div className="panel-head">
        <h2 id="layers-title">{t('layers.title')}</h2>
        <button type="button" className="panel-close" data-testid="layers-close" aria-label={t('layers.hide')} title={t('layers.hide')} onClick={() => p.onOpen(false)}>
          ‹
        </button>
      </div>
      {p.quiet && (
        <p className="layer-quiet" data-testid="layers-quiet">
          {t(p.quiet === 'patrol' ? 'layers.quiet.patrol' : 'layers.quiet.captain')}
        </p>
      )}
      <ul className="layer-list">
        {groups.map((group) => {
          const entries = legendEntries(group, { teams: p.teams, buildings: p.buildings, categories: p.categories, quiet: p.quiet !== null })
          const name = t(groupNameKey(group))
          return (
            <li key={group} className="layer" data-group={group}>
              <div className="layer-row">
                <label className="layer-toggle">
                  <input type="checkbox" checked={p.visible[group]} data-testid={`toggle-${group}`} onChange={(e) => p.onToggle(group, e.currentTarget.checked)} />
                  <span className="layer-name">{name}</span>
                  {p.sample && SAMPLE_GROUPS.has(group) && <span className="sample-tag">{t('layers.sample')}</span>}
                </label>
                {p.visible[group] && (
                  <input
                    type="range"
                    className="opacity"
                    min={0}
                    max={100}
                    step={10}
                    value={Math.round(p.opacity[group] * 100)}
                    aria-label={t('layers.opacity', { layer: name })}
                    title={t('layers.opacityValue', { pct: Math.round(p.opacity[group] * 100) })}
                    data-testid={`opacity-${group}`}
                    onChange={(e) => p.onOpacity(group, Number(e.currentTarget.value) / 100)}
                  />
                )}
              </div>
              {p.visible[group] && group === 'buildings' && p.exactIncidents && (
                <div className="segmented" role="radiogroup" aria-label={t('layers.buildings.colourBy')}>
                  {(['captain', 'incidents'] as const).map((c) => (
                    <button
                      key={c}
                      type="button"
                      role="radio"
                      aria-checked={p.buildings === c}
                      disabled={p.quiet !== null}
                      data-testid={`buildings-by-${c}`}
                      onClick={() => p.onBuildings(c)}
                    >
                      {t(`layers.buildings.by.${c}`)}
                    </button>
                  ))}
                </div>
              )}
              {p.visible[group] && entries.length > 0 && (
                <ul className="legend" data-testid={`legend-${group}`}>
                  {entries.map((entry, i) => (
                    <li key={i}>
                      <SwatchIcon swatch={entry.swatch} />
                      <span>{label(entry.label)}</span>
                    </li>
                  ))}
                </ul>
              )}
              {p.visible[group] && group === 'buildings' && p.buildings === 'incidents' && p.quiet === null && <p className="layer-note">{t('layers.buildings.incidentsNote')}</p>}
              {p.visible[group] && group === 'buildings' && p.zoom !== null && p.zoom < BUILDINGS_MIN_ZOOM && (
                <p className="layer-note" data-testid="buildings-zoom-hint">
                  {t('layers.buildings.zoomIn', { zoom: BUILDINGS_MIN_ZOOM })}
                </p>
              )}
              {p.visible[group] && group === 'incidents' && (
                <p className="layer-note" data-testid="incidents-note">
                  {t(p.exactIncidents ? 'layers.incidents.clusterNote' : 'layers.incidents.aggregatedNote')}
                </p>
              )}
            </li>
          )
        })}
      </ul>
      {p.sample && <p className="sample-note">{t('header.sampleNote')}</p>}
    </aside>
  )
}
