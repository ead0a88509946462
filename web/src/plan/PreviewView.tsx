/**
 * The draft's effect beside today's, as the server computed it (the draft applied and rolled back,
 * the real coverage and gaps SQL): patrol coverage of area, buildings and households overall and
 * for every zone the draft changes, captain coverage, gap counts, and the priority gaps the draft
 * closes or opens — for the window of the shared filters.
 */
import { useMemo } from 'react'
import { useI18n, type MessageKey } from '../i18n'
import { errorCodeKey, type ApiError } from '../lib/api-error'
import type { PlanPreview, Shares } from './api'

export interface PreviewViewProps {
  filterParams: URLSearchParams
  /** null while the server computes it */
  preview: { value: PlanPreview } | { error: ApiError } | null
}

const SHARES: { key: keyof Shares; label: MessageKey }[] = [
  { key: 'areaCoveredPct', label: 'plan.preview.area' },
  { key: 'buildingsCoveredPct', label: 'plan.preview.buildings' },
  { key: 'householdsCoveredPct', label: 'plan.preview.households' },
]
const GAPS: { key: 'area' | 'building' | 'captainless' | 'priority'; label: MessageKey }[] = [
  { key: 'area', label: 'plan.preview.gapAreas' },
  { key: 'building', label: 'plan.preview.gapBuildings' },
  { key: 'captainless', label: 'plan.preview.captainless' },
  { key: 'priority', label: 'plan.preview.priority' },
]

/** Two shares differ when they differ by a tenth of a point or more (what the table shows). */
const differs = (a: number | undefined, b: number | undefined) => a !== b && (a === undefined || b === undefined || Math.abs(a - b) >= 0.05)

export function PreviewView({ filterParams, preview }: PreviewViewProps) {
  const { t, lang } = useI18n()
  const fmt = useMemo(() => new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 1 }), [lang])
  const pct = (v: number | undefined) => (v === undefined ? '–' : `${fmt.format(v)} %`)
  const delta = (a: number | undefined, b: number | undefined) => {
    if (a === undefined || b === undefined || !differs(a, b)) return ''
    const d = b - a
    return `${d > 0 ? '+' : '−'}${fmt.format(Math.abs(d))}`
  }
  const hours = filterParams.get('hours')
  const window = hours === null ? t('plan.preview.allDay') : hours.replace('-', '–')

  if (preview === null)
    return (
      <section className="plan-preview" data-testid="plan-preview" data-state="loading" aria-live="polite">
        <h3>{t('plan.preview.title', { window })}</h3>
        <p className="analysis-status">{t('plan.preview.loading')}</p>
      </section>
    )
  if ('error' in preview)
    return (
      <section className="plan-preview" data-testid="plan-preview" data-state="error" aria-live="polite">
        <h3>{t('plan.preview.title', { window })}</h3>
        <div className="analysis-error" role="alert" data-error-code={preview.error.code}>
          <strong>{t('plan.preview.failed')}</strong> {preview.error.code === 'network' ? t('error.network') : t(errorCodeKey(preview.error.code), { status: preview.error.status })}
          {preview.error.message && <small className="plan-error-detail">{preview.error.message}</small>}
        </div>
      </section>
    )

  const d = preview.value.differences
  const zones = d.patrol.zones.filter((z) => SHARES.some(({ key }) => differs(z.before[key], z.after[key])))
  const captainZones = d.captain.zones.filter((z) => differs(z.before.buildingsCoveredPct, z.after.buildingsCoveredPct))
  const warnings = preview.value.changes.flatMap((c) => c.warnings)
  const place = (p: { zoneCode: string | null; street: string | null }) => [p.zoneCode, p.street].filter(Boolean).join(' · ')

  return (
    <section className="plan-preview" data-testid="plan-preview" data-state="ready" aria-live="polite">
      <h3>{t('plan.preview.title', { window })}</h3>
      <table className="plan-compare" data-testid="plan-compare">
        <thead>
          <tr>
            <th />
            <th scope="col">{t('plan.preview.today')}</th>
            <th scope="col">{t('plan.preview.draft')}</th>
            <th scope="col">{t('plan.preview.change')}</th>
          </tr>
        </thead>
        <tbody>
          <Group title={t('plan.preview.patrol')} />
          {SHARES.map(({ key, label }) => (
            <CompareRow key={key} id={`patrol-${key}`} label={t(label)} before={d.patrol.total.before[key]} after={d.patrol.total.after[key]} show={pct} delta={delta} />
          ))}
          <Group title={t('plan.preview.captain')} />
          {SHARES.slice(1).map(({ key, label }) => (
            <CompareRow key={key} id={`captain-${key}`} label={t(label)} before={d.captain.total.before[key]} after={d.captain.total.after[key]} show={pct} delta={delta} />
          ))}
          <Group title={t('plan.preview.gaps')} />
          {GAPS.map(({ key, label }) => (
            <CompareRow key={key} id={`gaps-${key}`} label={t(label)} before={d.gaps[key].before} after={d.gaps[key].after} show={String} delta={(a, b) => (a === b ? '' : `${b! > a! ? '+' : '−'}${Math.abs(b! - a!)}`)} />
          ))}
        </tbody>
      </table>

      <p className="plan-area-change" data-testid="plan-area-change" data-added={d.coverage.added?.areaM2 ?? 0} data-removed={d.coverage.removed?.areaM2 ?? 0}>
        {d.coverage.added === null && d.coverage.removed === null
          ? t('plan.preview.areaSame')
          : t('plan.preview.areaChange', { added: fmt.format((d.coverage.added?.areaM2 ?? 0) / 10_000), removed: fmt.format((d.coverage.removed?.areaM2 ?? 0) / 10_000) })}
      </p>
      {(zones.length > 0 || captainZones.length > 0) && (
        <>
          <h4>{t('plan.preview.zones')}</h4>
          <table className="plan-compare plan-zones" data-testid="plan-preview-zones">
            <thead>
              <tr>
                <th scope="col">{t('coverage.zones.zone')}</th>
                <th scope="col">{t('plan.preview.patrolBuildings')}</th>
                <th scope="col">{t('plan.preview.captainBuildings')}</th>
              </tr>
            </thead>
            <tbody>
              {[...new Set([...zones, ...captainZones].map((z) => z.code))].sort().map((code) => {
                const p = d.patrol.zones.find((z) => z.code === code)
                const c = d.captain.zones.find((z) => z.code === code)
                return (
                  <tr key={code} data-zone={code} data-before={p?.before.buildingsCoveredPct ?? ''} data-after={p?.after.buildingsCoveredPct ?? ''}>
                    <th scope="row">{code}</th>
                    <td>
                      {pct(p?.before.buildingsCoveredPct)} → <strong>{pct(p?.after.buildingsCoveredPct)}</strong>
                    </td>
                    <td>
                      {pct(c?.before.buildingsCoveredPct)} → <strong>{pct(c?.after.buildingsCoveredPct)}</strong>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </>
      )}
      {zones.length === 0 && captainZones.length === 0 && <p className="analysis-note">{t('plan.preview.noZoneChange')}</p>}

      {d.priorityClosed.length > 0 && (
        <p className="plan-closed" data-testid="plan-priority-closed">
          {t('plan.preview.closed', { n: d.priorityClosed.length })} {d.priorityClosed.map(place).join('; ')}
        </p>
      )}
      {d.priorityOpened.length > 0 && (
        <p className="plan-opened" data-testid="plan-priority-opened">
          {t('plan.preview.opened', { n: d.priorityOpened.length })} {d.priorityOpened.map(place).join('; ')}
        </p>
      )}
      {warnings.length > 0 && (
        <ul className="plan-warnings" data-testid="plan-warnings">
          {warnings.map((w, i) => (
            <li key={i} data-code={w.code}>
              {t(warningKey(w.code), warningParams(w.details))}
            </li>
          ))}
        </ul>
      )}
      <p className="analysis-note">{t('plan.preview.note')}</p>
    </section>
  )
}

/** A heading row of the comparison table. */
function Group({ title }: { title: string }) {
  return (
    <tr className="plan-compare-group">
      <th colSpan={4}>{title}</th>
    </tr>
  )
}

/** One figure today, in the draft, and the change. */
function CompareRow({ id, label, before, after, show, delta }: { id: string; label: string; before: number | undefined; after: number | undefined; show: (v: number | undefined) => string; delta: (a: number | undefined, b: number | undefined) => string }) {
  return (
    <tr data-row={id} data-before={before ?? ''} data-after={after ?? ''}>
      <th scope="row">{label}</th>
      <td>{show(before)}</td>
      <td>{show(after)}</td>
      <td className="plan-delta">{delta(before, after)}</td>
    </tr>
  )
}

/** The message of a warning the server gave about a change. */
export function warningKey(code: string): MessageKey {
  return code === 'boundary_uncovered' ? 'plan.warning.boundary_uncovered' : code === 'captain_over_limit' ? 'plan.warning.captain_over_limit' : 'plan.warning.other'
}
export function warningParams(details: unknown): Record<string, number> {
  const d = (details ?? {}) as { areaM2?: number; buildings?: number; limit?: number }
  return { m2: Math.round(d.areaM2 ?? 0), n: d.buildings ?? 0, max: d.limit ?? 0 }
}
