import { useI18n } from '../i18n'
import { groupNameKey, legendEntries, LEGEND_GROUPS, SAMPLE_GROUPS, type LegendGroup, type LegendLabel, type Swatch } from '../lib/legend'
import type { TeamColor } from '../lib/palette'

/** A legend swatch as a small inline SVG. */
export function SwatchIcon({ swatch }: { swatch: Swatch }) {
  return (
    <svg className="swatch" width="18" height="14" viewBox="0 0 18 14" aria-hidden="true">
      {swatch.kind === 'fill' && (
        <rect x="1.5" y="1.5" width="15" height="11" rx="1.5" fill={swatch.color} stroke={swatch.stroke ?? swatch.color} strokeWidth="1" />
      )}
      {swatch.kind === 'line' && (
        <>
          {swatch.stroke !== undefined && <line x1="1" y1="7" x2="17" y2="7" stroke={swatch.stroke} strokeWidth="6" strokeLinecap="round" />}
          <line x1="1" y1="7" x2="17" y2="7" stroke={swatch.color} strokeWidth={swatch.stroke !== undefined ? 4 : 3} strokeLinecap="round" />
        </>
      )}
      {swatch.kind === 'circle' && <circle cx="9" cy="7" r="4.5" fill={swatch.color} stroke={swatch.stroke ?? swatch.color} strokeWidth="1.5" />}
    </svg>
  )
}

export interface LayerPanelProps {
  visible: Record<LegendGroup, boolean>
  teams: readonly TeamColor[]
  onToggle: (group: LegendGroup, visible: boolean) => void
}

/** The layer list: a checkbox per layer group with its legend underneath; topmost group first. */
export function LayerPanel({ visible, teams, onToggle }: LayerPanelProps) {
  const { t } = useI18n()
  const label = (l: LegendLabel) => ('key' in l ? t(l.key) : l.text)
  const groups = [...LEGEND_GROUPS].reverse()
  return (
    <aside className="panel" aria-labelledby="layers-title">
      <h2 id="layers-title">{t('layers.title')}</h2>
      <ul className="layer-list">
        {groups.map((group) => {
          const entries = legendEntries(group, teams)
          return (
            <li key={group} className="layer" data-group={group}>
              <label className="layer-toggle">
                <input
                  type="checkbox"
                  checked={visible[group]}
                  data-testid={`toggle-${group}`}
                  onChange={(e) => onToggle(group, e.currentTarget.checked)}
                />
                <span className="layer-name">{t(groupNameKey(group))}</span>
                {SAMPLE_GROUPS.has(group) && <span className="sample-tag">{t('layers.sample')}</span>}
              </label>
              {visible[group] && entries.length > 0 && (
                <ul className="legend">
                  {entries.map((entry, i) => (
                    <li key={i}>
                      <SwatchIcon swatch={entry.swatch} />
                      <span>{label(entry.label)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          )
        })}
      </ul>
      <p className="sample-note">{t('header.sampleNote')}</p>
    </aside>
  )
}
