/**
 * The one filter bar every view shares: period (with presets), incident categories, time of day
 * (a window may cross midnight) and weekdays, and what they match — the count from the server,
 * and the incidents whose time of day is unknown, said apart rather than dropped silently.
 */
import type { IncidentPeriod, IncidentSummary } from '../api'
import { useI18n, type MessageKey } from '../i18n'
import {
  crossesMidnight,
  formatMinutes,
  isIsoDate,
  isUnfiltered,
  matchMonth,
  matchPreset,
  monthRange,
  NO_FILTER,
  PERIOD_PRESETS,
  presetRange,
  weekdaySetName,
  type HoursWindow,
  type IncidentFilter,
  type PeriodPreset,
} from '../lib/filters'
import { formatDate, formatMonth } from '../lib/dates'
import { categoryKey } from '../lib/legend'
import { categoryColor } from '../lib/palette'
import { DateField } from './DateField'
import { Popover } from './Popover'

export interface FilterBarProps {
  filter: IncidentFilter
  onChange: (filter: IncidentFilter) => void
  /** span of the data (presets count back from its last day) */
  period: IncidentPeriod | null
  /** the categories the community's incidents have */
  categories: readonly string[]
  /** counts matching the filter; null while loading */
  summary: IncidentSummary | null
  /** all incidents of the community (to say "n of all") */
  total: number | null
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const
const HOUR_PRESETS: { key: MessageKey; hours: HoursWindow }[] = [
  { key: 'filters.hours.day', hours: { start: 6 * 60, end: 18 * 60 } },
  { key: 'filters.hours.evening', hours: { start: 18 * 60, end: 22 * 60 } },
  { key: 'filters.hours.night', hours: { start: 22 * 60, end: 6 * 60 } },
]

export function FilterBar({ filter, onChange, period, categories, summary, total }: FilterBarProps) {
  const { t, lang } = useI18n()
  const anchor = period?.last ?? null
  // A month with data (the period answer lists them) is a choice of its own, "month:YYYY-MM".
  const months = period?.months ?? []
  const month = matchMonth(filter.from, filter.to, months.map((m) => m.month))
  const presetMatch = matchPreset(filter.from, filter.to, anchor)
  const preset = presetMatch === 'custom' && month !== null ? `month:${month}` : presetMatch
  const set = (patch: Partial<IncidentFilter>) => onChange({ ...filter, ...patch })
  const n = (v: number) => v.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en')
  const categoryName = (c: string) => {
    const key = categoryKey(c)
    return key === null ? c : t(key)
  }
  const dayName = (d: number) => t(`weekday.short.${d}` as MessageKey)

  // period
  const choosePreset = (p: string) => {
    if (p.startsWith('month:')) return set(monthRange(p.slice('month:'.length)))
    if (p === 'custom' || anchor === null) return
    set(presetRange(p as PeriodPreset, anchor))
  }
  // A date typed or picked changes only its own end; one that would make the period run backwards
  // is refused in its field (said there), never by moving the other end.
  const setDate = (which: 'from' | 'to', value: string | null) => {
    if (value !== null && !isIsoDate(value)) return
    onChange({ ...filter, [which]: value })
  }
  const checkFrom = (v: string): MessageKey | null => (filter.to !== null && v > filter.to ? 'filters.date.afterEnd' : null)
  const checkTo = (v: string): MessageKey | null => (filter.from !== null && v < filter.from ? 'filters.date.beforeStart' : null)
  const date = (iso: string | null | undefined) => (iso == null ? '' : formatDate(iso, lang))

  // categories
  const chosen = filter.categories
  const toggleCategory = (c: string, on: boolean) => {
    const current = chosen ?? [...categories]
    const next = on ? [...new Set([...current, c])] : current.filter((x) => x !== c)
    if (next.length === 0) return // at least one category: "none" would be an empty map, not a filter
    set({ categories: categories.every((x) => next.includes(x)) ? null : next })
  }
  const categorySummary =
    chosen === null ? t('filters.all') : chosen.length <= 2 ? chosen.map(categoryName).join(lang === 'zh' ? '、' : ', ') : t('filters.categories.some', { n: chosen.length })

  // time of day
  const hours = filter.hours
  const setHours = (h: HoursWindow | null) => set({ hours: h !== null && h.start % 1440 === h.end % 1440 ? null : h })
  const hoursText = (h: HoursWindow) => `${formatMinutes(h.start)}–${formatMinutes(h.end === 0 ? 1440 : h.end)}`
  const hoursSummary = hours === null ? t('filters.hours.allDay') : hoursText(hours)

  // weekdays
  const days = filter.weekdays
  const toggleDay = (d: number, on: boolean) => {
    const current = days ?? [...WEEKDAYS]
    const next = on ? [...new Set([...current, d])].sort() : current.filter((x) => x !== d)
    set({ weekdays: next.length === 0 || next.length === 7 ? null : next })
  }
  const setName = weekdaySetName(days)
  const weekdaySummary =
    setName === 'all' ? t('filters.all') : setName === 'workdays' ? t('filters.weekdays.workdays') : setName === 'weekend' ? t('filters.weekdays.weekend') : (days ?? []).map(dayName).join(lang === 'zh' ? '、' : ' ')

  const counting = summary === null
  return (
    <div className="filterbar" role="toolbar" aria-label={t('filters.title')} data-testid="filter-bar">
      <div className="filter-period" role="group" aria-label={t('filters.period')}>
        <label className="filter-field">
          <span className="filter-label">{t('filters.period')}</span>
          <select
            data-testid="filter-preset"
            value={preset}
            title={anchor !== null ? t('filters.anchorNote', { first: date(period?.first), last: date(anchor) }) : undefined}
            onChange={(e) => choosePreset(e.currentTarget.value)}>
            {PERIOD_PRESETS.map((p) => (
              <option key={p} value={p} disabled={anchor === null && p !== 'all'}>
                {t(`filters.preset.${p}`)}
              </option>
            ))}
            {months.length > 0 && (
              <optgroup label={t('filters.preset.months')}>
                {months.map((m) => (
                  <option key={m.month} value={`month:${m.month}`} data-time-known={m.timeKnown}>
                    {t('filters.preset.month', { month: formatMonth(m.month, lang), n: m.count })}
                  </option>
                ))}
              </optgroup>
            )}
            <option value="custom" disabled>
              {t('filters.preset.custom')}
            </option>
          </select>
        </label>
        <DateField
          label={t('filters.from')}
          placeholder={t('filters.from.empty')}
          testId="filter-from"
          value={filter.from}
          check={checkFrom}
          min={period?.first ?? undefined}
          max={filter.to ?? period?.last ?? undefined}
          onCommit={(v) => setDate('from', v)}
        />
        <span className="filter-dash">–</span>
        <DateField
          label={t('filters.to')}
          placeholder={t('filters.to.empty')}
          testId="filter-to"
          value={filter.to}
          check={checkTo}
          min={filter.from ?? period?.first ?? undefined}
          max={period?.last ?? undefined}
          onCommit={(v) => setDate('to', v)}
        />
      </div>

      <Popover label={t('filters.categories')} summary={categorySummary} active={chosen !== null} testId="filter-categories">
        <ul className="check-list">
          {categories.map((c) => (
            <li key={c}>
              <label>
                <input type="checkbox" data-category={c} checked={chosen === null || chosen.includes(c)} disabled={chosen !== null && chosen.length === 1 && chosen[0] === c} onChange={(e) => toggleCategory(c, e.currentTarget.checked)} />
                <span className="dot" style={{ background: categoryColor(c) }} aria-hidden="true" />
                {categoryName(c)}
              </label>
            </li>
          ))}
        </ul>
        <div className="popover-actions">
          <button type="button" onClick={() => set({ categories: null })}>
            {t('filters.selectAll')}
          </button>
        </div>
      </Popover>

      <Popover label={t('filters.hours')} summary={hoursSummary} active={hours !== null} testId="filter-hours">
        <div className="hours-row">
          <label>
            <span>{t('filters.hours.from')}</span>
            <select
              data-testid="filter-hours-start"
              value={hours === null ? '' : String(hours.start / 60)}
              onChange={(e) => {
                const v = e.currentTarget.value
                if (v === '') setHours(null)
                else setHours({ start: Number(v) * 60, end: hours?.end ?? ((Number(v) + 1) % 24) * 60 })
              }}
            >
              <option value="">{t('filters.hours.allDay')}</option>
              {Array.from({ length: 24 }, (_, h) => (
                <option key={h} value={h}>
                  {formatMinutes(h * 60)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('filters.hours.to')}</span>
            <select
              data-testid="filter-hours-end"
              disabled={hours === null}
              value={hours === null ? '' : String(hours.end === 0 ? 24 : hours.end / 60)}
              onChange={(e) => hours !== null && setHours({ start: hours.start, end: (Number(e.currentTarget.value) * 60) % 1440 })}
            >
              {hours === null && <option value="" />}
              {Array.from({ length: 24 }, (_, i) => i + 1).map((h) => (
                <option key={h} value={h} disabled={hours !== null && h % 24 === hours.start / 60}>
                  {formatMinutes(h * 60)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {hours !== null && crossesMidnight(hours) && <p className="hint">{t('filters.hours.crossesMidnight')}</p>}
        <div className="popover-actions">
          {HOUR_PRESETS.map((p) => (
            <button key={p.key} type="button" onClick={() => setHours(p.hours)}>
              {t(p.key)} {hoursText(p.hours)}
            </button>
          ))}
          <button type="button" onClick={() => setHours(null)}>
            {t('filters.hours.allDay')}
          </button>
        </div>
        <p className="hint">{t('filters.hours.unknownNote')}</p>
      </Popover>

      <Popover label={t('filters.weekdays')} summary={weekdaySummary} active={days !== null} testId="filter-weekdays">
        <div className="day-toggles" role="group" aria-label={t('filters.weekdays')}>
          {WEEKDAYS.map((d) => (
            <label key={d} className="day-toggle">
              <input type="checkbox" data-weekday={d} checked={days === null || days.includes(d)} onChange={(e) => toggleDay(d, e.currentTarget.checked)} />
              <span>{dayName(d)}</span>
            </label>
          ))}
        </div>
        <div className="popover-actions">
          <button type="button" onClick={() => set({ weekdays: [1, 2, 3, 4, 5] })}>
            {t('filters.weekdays.workdays')}
          </button>
          <button type="button" onClick={() => set({ weekdays: [6, 7] })}>
            {t('filters.weekdays.weekend')}
          </button>
          <button type="button" onClick={() => set({ weekdays: null })}>
            {t('filters.all')}
          </button>
        </div>
      </Popover>

      <div className="filter-count" aria-live="polite" data-testid="filter-count" data-total={summary?.total ?? ''} data-time-unknown={summary?.timeUnknown ?? ''}>
        {counting ? (
          <span className="muted">{t('filters.counting')}</span>
        ) : (
          <>
            <strong data-testid="filter-total">
              {total !== null && !isUnfiltered(filter)
                ? t('filters.count.of', { n: n(summary.total), all: n(total) })
                : t('filters.count', { n: n(summary.total) })}
            </strong>
            {summary.timeUnknown > 0 && (
              <span className={summary.timeUnknownExcluded ? 'time-unknown excluded' : 'time-unknown'} data-testid="filter-time-unknown">
                {summary.timeUnknownExcluded
                  ? t('filters.timeUnknown.excluded', { n: n(summary.timeUnknown) })
                  : t('filters.timeUnknown.included', { n: n(summary.timeUnknown) })}
              </span>
            )}
          </>
        )}
      </div>

      {!isUnfiltered(filter) && (
        <button type="button" className="filter-reset" data-testid="filter-reset" onClick={() => onChange(NO_FILTER)}>
          {t('filters.reset')}
        </button>
      )}
      {anchor !== null && preset !== 'all' && preset !== 'custom' && (
        <p className="filter-note" data-testid="filter-anchor">
          {t('filters.anchorNote', { first: date(period?.first), last: date(anchor) })}
        </p>
      )}
    </div>
  )
}
