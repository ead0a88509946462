/**
 * The pack's parts as the screen, the projector and the print show them — one component per topic,
 * so the three forms cannot differ in a number. Every figure says on hover what it is made of.
 */
import type { ReactNode } from 'react'
import { useI18n, type Translate } from '../i18n'
import { formatDate, formatNumber } from '../lib/dates'
import type { Lang } from '../lib/i18n'
import { categoryKey } from '../lib/legend'
import type { CountChangeAnswer, MeetingPack, MeetingZone, ScorecardLine } from './api'
import { CategoryBars, Sparkline } from './charts'
import { HOT_STATUS_COLORS } from './useMeetingLayer'

// ---------------------------------------------------------------------------------------------
// Formatting

const num = formatNumber
/** A percentage with one decimal, or "–" when there is none. */
export const pctText = (v: number | null | undefined, lang: Lang) => (v === null || v === undefined ? '–' : `${num(v, lang, 1)} %`)
/** A p-value as a reader takes it: three significant digits, "< 0.001" below that. */
export const pText = (p: number | null) => (p === null ? '–' : p < 0.001 ? '< 0.001' : p.toPrecision(3).replace(/\.?0+$/, ''))
/** A ratio as "9 of 9 (100 %)". */
export function ratioText(r: { numerator: number; denominator: number }, t: Translate, lang: Lang): string {
  return r.denominator === 0 ? t('meeting.ratio.none') : t('meeting.ratio', { n: r.numerator, d: r.denominator, pct: pctText((100 * r.numerator) / r.denominator, lang) })
}
/** An incident category in the UI language. */
export function categoryText(category: string, t: Translate): string {
  const key = categoryKey(category)
  return key === null ? category : t(key)
}
/** A period as "1 Dec 2018 – 31 Dec 2018". */
export const periodText = (p: { from: string; to: string }, lang: Lang) => `${formatDate(p.from, lang)} – ${formatDate(p.to, lang)}`

/** How a change reads: "12 ▲" etc., and what it is made of on hover. */
export function Change({ c, pack, testId }: { c: CountChangeAnswer; pack: MeetingPack; testId?: string }) {
  const { t } = useI18n()
  const explain =
    c.verdict === 'unknown'
      ? t('meeting.explain.noComparison', { count: c.count, from: pack.compare.from })
      : t('meeting.explain.change', {
          count: c.count,
          days: pack.period.days,
          previous: c.previous ?? 0,
          otherDays: pack.compare.days,
          ratio: c.rateRatio === null ? '–' : c.rateRatio.toFixed(2),
          p: pText(c.p),
          verdict: t(`meeting.verdict.${c.verdict}`),
        })
  return (
    <span className={`meeting-change meeting-change-${c.verdict}`} title={explain} data-testid={testId} data-verdict={c.verdict}>
      {c.verdict === 'up' ? '▲ ' : c.verdict === 'down' ? '▼ ' : ''}
      {t(`meeting.verdict.${c.verdict}`)}
    </span>
  )
}

/** A section with a heading. */
export function Section({ title, children, testId, className = '' }: { title: string; children: ReactNode; testId: string; className?: string }) {
  return (
    <section className={`meeting-section ${className}`} data-testid={testId}>
      <h3>{title}</h3>
      {children}
    </section>
  )
}

// ---------------------------------------------------------------------------------------------
// Scorecard

const STATUS_MARK = { green: '✓', amber: '!', red: '✗', none: '–' } as const

function valueText(s: ScorecardLine, t: Translate, lang: Lang): string {
  if (s.value === null) return t('meeting.score.noValue')
  const v = s.unit === '%' ? pctText(s.value, lang) : num(s.value, lang)
  return s.numerator !== null && s.denominator !== null && s.unit === '%' ? `${v} (${t('meeting.of', { n: s.numerator, d: s.denominator })})` : v
}

/** The scorecard: each indicator's value, target, colour and trend. */
export function Scorecard({ pack, charts = true }: { pack: MeetingPack; charts?: boolean }) {
  const { t, lang } = useI18n()
  const stage = pack.targets.stage
  return (
    <>
      <p className="meeting-note">
        {stage === null ? t('meeting.score.noTargets', { year: pack.targets.year }) : t('meeting.score.stage', { year: pack.targets.year, stage: t(`meeting.stage.${stage}`) })}
        {pack.targets.isSample && ` ${t('meeting.score.sample')}`}
      </p>
      <table className="meeting-table meeting-scorecard" data-testid="meeting-scorecard">
        <thead>
          <tr>
            <th scope="col">{t('meeting.score.indicator')}</th>
            <th scope="col" title={t('meeting.explain.value')}>{t('meeting.score.value')}</th>
            <th scope="col" title={t('meeting.explain.target')}>{t('meeting.score.target')}</th>
            <th scope="col" title={t('meeting.explain.status')}>{t('meeting.score.status')}</th>
            {charts && <th scope="col" title={t('meeting.explain.trend')}>{t('meeting.score.trend')}</th>}
          </tr>
        </thead>
        <tbody>
          {pack.scorecard.map((s) => {
            const target = s.target === null ? '–' : `${s.direction === 'atLeast' ? '≥' : '≤'} ${s.unit === '%' ? pctText(s.target, lang) : num(s.target, lang)}`
            return (
              <tr key={s.indicator} data-indicator={s.indicator} data-status={s.status}>
                <th scope="row">{t(`meeting.indicator.${s.indicator}`)}</th>
                <td className="num" title={t(`meeting.explain.indicator.${s.indicator}`)}>
                  {valueText(s, t, lang)}
                </td>
                <td className="num">{target}</td>
                <td>
                  <span className={`meeting-status meeting-status-${s.status}`} title={t(`meeting.explain.status.${s.status}`, { margin: s.margin })}>
                    <span aria-hidden="true">{STATUS_MARK[s.status]}</span> {t(`meeting.status.${s.status}`)}
                  </span>
                </td>
                {charts && (
                  <td>
                    {s.trend === null ? (
                      <span className="meeting-muted" title={t('meeting.explain.noTrend')}>
                        {t('meeting.score.noTrend')}
                      </span>
                    ) : (
                      <Sparkline points={s.trend} target={s.target} unit={s.unit} label={t('meeting.score.trendOf', { indicator: t(`meeting.indicator.${s.indicator}`) })} />
                    )}
                  </td>
                )}
              </tr>
            )
          })}
        </tbody>
      </table>
    </>
  )
}

// ---------------------------------------------------------------------------------------------
// Incidents

/** Incidents by category of a line (a zone or the whole community): a chart and the table of changes. */
export function Incidents({ pack, line, chart = true, chartWidth }: { pack: MeetingPack; line: MeetingZone; chart?: boolean; chartWidth?: number }) {
  const { t, lang } = useI18n()
  const cats = Object.entries(line.incidents.byCategory).sort(([, a], [, b]) => b.count - a.count || (b.previous ?? 0) - (a.previous ?? 0))
  const thisLabel = t('meeting.thisPeriod')
  const otherLabel = t(pack.compare.kind === 'year' ? 'meeting.yearEarlier' : 'meeting.previousPeriod')
  return (
    <>
      <p className="meeting-note">
        {t('meeting.incidents.total', { count: line.incidents.total.count })} <Change c={line.incidents.total} pack={pack} testId="meeting-incidents-change" />
      </p>
      {chart && cats.length > 0 && (
        <CategoryBars rows={cats.map(([c, x]) => ({ label: categoryText(c, t), count: x.count, previous: x.previous }))} thisLabel={thisLabel} otherLabel={otherLabel} label={t('meeting.incidents.chart')} {...(chartWidth ? { width: chartWidth } : {})} />
      )}
      <table className="meeting-table" data-testid="meeting-categories">
        <thead>
          <tr>
            <th scope="col">{t('meeting.col.category')}</th>
            <th scope="col" className="num" title={t('meeting.explain.incidents')}>{thisLabel}</th>
            <th scope="col" className="num" title={t('meeting.explain.previous')}>{otherLabel}</th>
            <th scope="col" className="num" title={t('meeting.explain.ratio')}>{t('meeting.col.ratio')}</th>
            <th scope="col" className="num" title={t('meeting.explain.p')}>p</th>
            <th scope="col" title={t('meeting.explain.verdict')}>{t('meeting.col.change')}</th>
          </tr>
        </thead>
        <tbody>
          {cats.map(([c, x]) => (
            <tr key={c} data-category={c}>
              <th scope="row">{categoryText(c, t)}</th>
              <td className="num">{num(x.count, lang)}</td>
              <td className="num">{x.previous === null ? '–' : num(x.previous, lang)}</td>
              <td className="num">{x.rateRatio === null ? '–' : x.rateRatio.toFixed(2)}</td>
              <td className="num">{pText(x.p)}</td>
              <td>
                <Change c={x} pack={pack} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

// ---------------------------------------------------------------------------------------------
// Hot spots, coverage, gaps, people

/** Hot spot cells new, persistent and gone since the other period, with where they are. */
export function Hotspots({ pack, limit = 20, zoneCode }: { pack: MeetingPack; limit?: number; zoneCode?: string | null }) {
  const { t, lang } = useI18n()
  const h = pack.hotspots
  const cells = h.cells.filter((c) => zoneCode === undefined || c.zoneCode === zoneCode)
  if (h.current.insufficient || h.previous.insufficient || !pack.compare.available)
    return <p className="meeting-note">{t('meeting.hot.notComparable', { now: h.current.incidents, before: h.previous.incidents })}</p>
  const count = (s: 'new' | 'persistent' | 'gone') => cells.filter((c) => c.status === s).length
  return (
    <>
      <p className="meeting-legend" title={t('meeting.explain.hot', { cell: h.cell, level: Math.round((1 - h.alpha) * 100) })}>
        {(['new', 'persistent', 'gone'] as const).map((s) => (
          <span key={s} className="meeting-legend-item" data-testid={`meeting-hot-${s}`} data-count={count(s)}>
            <span className="meeting-swatch" style={{ background: HOT_STATUS_COLORS[s] }} aria-hidden="true" />
            {t(`meeting.hot.${s}`)} {count(s)}
          </span>
        ))}
      </p>
      {cells.length > 0 && (
        <table className="meeting-table">
          <thead>
            <tr>
              <th scope="col">{t('meeting.hot.status')}</th>
              <th scope="col">{t('meeting.col.zone')}</th>
              <th scope="col">{t('meeting.gaps.street')}</th>
              <th scope="col" className="num">{t('meeting.thisPeriod')}</th>
              <th scope="col" className="num">{t(pack.compare.kind === 'year' ? 'meeting.yearEarlier' : 'meeting.previousPeriod')}</th>
            </tr>
          </thead>
          <tbody>
            {cells.slice(0, limit).map((c) => (
              <tr key={`${c.i}_${c.j}`}>
                <td>
                  <span className="meeting-swatch" style={{ background: HOT_STATUS_COLORS[c.status] }} aria-hidden="true" /> {t(`meeting.hot.${c.status}`)}
                </td>
                <td>{c.zoneCode ?? t('meeting.noZone')}</td>
                <td>{c.street ?? '–'}</td>
                <td className="num">{num(c.count, lang)}</td>
                <td className="num">{num(c.previous, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cells.length > limit && <p className="meeting-muted">{t('meeting.more', { n: cells.length - limit })}</p>}
    </>
  )
}

/** Patrol coverage by window and captain coverage of a line. */
export function Coverage({ pack, line }: { pack: MeetingPack; line: MeetingZone }) {
  const { t, lang } = useI18n()
  const c = line.coverage
  if (c === null) return <p className="meeting-note">{t('meeting.coverage.none')}</p>
  return (
    <table className="meeting-table" data-testid="meeting-coverage">
      <thead>
        <tr>
          <th scope="col">{t('meeting.coverage.window')}</th>
          <th scope="col" className="num" title={t('meeting.explain.area')}>{t('meeting.coverage.area')}</th>
          <th scope="col" className="num" title={t('meeting.explain.buildingsCovered')}>{t('meeting.coverage.buildings')}</th>
          <th scope="col" className="num" title={t('meeting.explain.households')}>{t('meeting.coverage.households')}</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(pack.windows).map(([w, hours]) => {
          const x = c.windows[w]
          return (
            <tr key={w} data-window={w}>
              <th scope="row">
                {t(`meeting.window.${w as 'day' | 'evening' | 'night'}`)} <span className="meeting-muted">{hours}</span>
              </th>
              <td className="num">{pctText(x?.areaCoveredPct, lang)}</td>
              <td className="num">{pctText(x?.buildingsCoveredPct, lang)}</td>
              <td className="num">{pctText(x?.householdsCoveredPct, lang)}</td>
            </tr>
          )
        })}
        <tr>
          <th scope="row" title={t('meeting.explain.captained')}>{t('meeting.coverage.captains')}</th>
          <td className="num">–</td>
          <td className="num">
            {pctText(c.captainedBuildingsPct, lang)} <span className="meeting-muted">({t('meeting.of', { n: c.buildingsCaptained, d: c.buildings })})</span>
          </td>
          <td className="num">{pctText(c.captainedHouseholdsPct, lang)}</td>
        </tr>
      </tbody>
    </table>
  )
}

/** The priority gaps: rank, where (zone and nearest street), incidents, why. */
export function Gaps({ pack, zoneCode, limit = 30 }: { pack: MeetingPack; zoneCode?: string | null; limit?: number }) {
  const { t, lang } = useI18n()
  const gaps = pack.priorityGaps.filter((g) => zoneCode === undefined || g.zoneCode === zoneCode)
  if (gaps.length === 0) return <p className="meeting-note">{t('meeting.gaps.none')}</p>
  return (
    <table className="meeting-table" data-testid="meeting-gaps">
      <thead>
        <tr>
          <th scope="col" className="num">#</th>
          <th scope="col">{t('meeting.col.zone')}</th>
          <th scope="col">{t('meeting.gaps.street')}</th>
          <th scope="col" className="num" title={t('meeting.explain.gapIncidents')}>{t('meeting.gaps.incidents')}</th>
          <th scope="col">{t('meeting.gaps.reason')}</th>
        </tr>
      </thead>
      <tbody>
        {gaps.slice(0, limit).map((g) => (
          <tr key={g.rank}>
            <td className="num">{g.rank}</td>
            <td>{g.zoneCode ?? t('meeting.noZone')}</td>
            <td>{g.street ?? '–'}</td>
            <td className="num">
              {num(g.uncoveredIncidents, lang)} / {num(g.incidents, lang)}
            </td>
            <td>{lang === 'zh' ? g.reasonZh : g.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** Patrols planned and done, disputes and mediation, key problems of a line. */
export function People({ pack, line, overdueList = true }: { pack: MeetingPack; line: MeetingZone; overdueList?: boolean }) {
  const { t, lang } = useI18n()
  const d = line.disputes
  const p = line.patrols
  const rows: [string, string, string][] = [
    [t('meeting.people.patrols'), p === null ? '–' : p.planned === 0 ? t('meeting.ratio.none') : ratioText({ numerator: p.plannedDone, denominator: p.planned }, t, lang), t('meeting.explain.patrols', { logged: p?.logged ?? 0, unplanned: p?.unplanned ?? 0 })],
    [t('meeting.people.screened'), num(d.screened, lang), t('meeting.explain.screened')],
    [t('meeting.indicator.mediation_rate'), ratioText(d.mediationRate, t, lang), t('meeting.explain.indicator.mediation_rate')],
    [t('meeting.indicator.success_rate'), ratioText(d.successRate, t, lang), t('meeting.explain.indicator.success_rate')],
    [t('meeting.indicator.resolved_in_community'), ratioText(d.resolvedInCommunity, t, lang), t('meeting.explain.indicator.resolved_in_community')],
    [t('meeting.indicator.escalations'), num(d.escalations, lang), t('meeting.explain.indicator.escalations')],
    [t('meeting.indicator.petitions'), num(d.petitions, lang), t('meeting.explain.indicator.petitions')],
    [t('meeting.people.problems'), t('meeting.people.problemsValue', { open: line.problems.open, overdue: line.problems.overdue }), t('meeting.explain.problems', { asOf: pack.problems.asOf })],
  ]
  return (
    <>
      <table className="meeting-table meeting-figures" data-testid="meeting-people">
        <tbody>
          {rows.map(([label, value, explain]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td className="num" title={explain}>
                {value}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {overdueList && pack.problems.overdueList.length > 0 && (
        <>
          <h4>{t('meeting.people.overdue')}</h4>
          <ul className="meeting-list">
            {pack.problems.overdueList.map((o) => (
              <li key={o.id}>
                {o.title} <span className="meeting-muted">{[o.zoneCode, o.deadline === null ? null : formatDate(o.deadline, lang)].filter(Boolean).join(' · ')}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  )
}

/** One zone's page: its figures under each topic, in two columns on the projector (incidents and where; coverage and people). */
export function ZonePage({ pack, zone, listed = 8 }: { pack: MeetingPack; zone: MeetingZone; listed?: number }) {
  const { t } = useI18n()
  return (
    <div className="meeting-zone-page" data-testid="meeting-zone-page" data-zone={zone.zoneCode ?? ''}>
      <div className="meeting-zone-column">
        <Section title={t('meeting.section.incidents')} testId="meeting-zone-incidents">
          <Incidents pack={pack} line={zone} chart={false} />
        </Section>
        <Section title={t('meeting.section.hotspots')} testId="meeting-zone-hotspots">
          <Hotspots pack={pack} zoneCode={zone.zoneCode} limit={listed} />
        </Section>
        <Section title={t('meeting.section.gaps')} testId="meeting-zone-gaps">
          <Gaps pack={pack} zoneCode={zone.zoneCode} limit={listed} />
        </Section>
      </div>
      <div className="meeting-zone-column">
        <Section title={t('meeting.section.coverage')} testId="meeting-zone-coverage">
          <Coverage pack={pack} line={zone} />
        </Section>
        <Section title={t('meeting.section.people')} testId="meeting-zone-people">
          <People pack={pack} line={zone} overdueList={false} />
        </Section>
      </div>
    </div>
  )
}

/** A zone's name in the table and on its page: "G03 Name". */
export const zoneLabel = (z: MeetingZone, t: Translate) => (z.zoneId === null ? t('meeting.noZone') : [z.zoneCode, z.zoneName].filter(Boolean).join(' '))
