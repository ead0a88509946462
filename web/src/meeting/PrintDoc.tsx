/**
 * The pack as an A4 document for the browser's print (and print to PDF): title, community, period,
 * the map with legend and scale bar, the scorecard, incidents, the per-zone table (its header
 * repeats on every page, rows never split), priority gaps, hot spots, disputes and problems; page
 * numbers and the time it was produced in the page margins. Hidden on screen; print shows only it.
 */
import { useLayoutEffect } from 'react'
import { createPortal } from 'react-dom'
import { formatDateTime } from '../lib/dates'
import { useI18n } from '../i18n'
import type { MeetingPack } from './api'
import type { MapPicture } from './capture'
import { MapFigure } from './MapFigure'
import { Coverage, Gaps, Hotspots, Incidents, People, periodText, Scorecard, Section } from './sections'
import { ZoneTable } from './ZoneTable'

export type Orientation = 'portrait' | 'landscape'

/**
 * A page rule in force while mounted. The server's Content-Security-Policy allows no inline <style>,
 * so the rule goes in through the CSSOM (a constructed style sheet), which it does allow; a layout
 * effect, so a print that starts right after a change already has it.
 */
function usePageRule(css: string) {
  useLayoutEffect(() => {
    const sheet = new CSSStyleSheet()
    sheet.replaceSync(css)
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]
    return () => {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet)
    }
  }, [css])
}

/** A CSS string literal. */
const cssString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, ' ')}"`

export interface PrintDocProps {
  pack: MeetingPack
  communityName: string
  picture: MapPicture | null
  orientation: Orientation
  /** when the document was produced (shown in the margin) */
  producedAt: Date
  filed: { title: string; filedAt: string; filedBy: { username: string } } | null
}

export function PrintDoc({ pack, communityName, picture, orientation, producedAt, filed }: PrintDocProps) {
  const { t, lang } = useI18n()
  const produced = t('meeting.print.produced', { when: formatDateTime(producedAt.toISOString(), lang, { dateStyle: 'medium', timeStyle: 'short' }) })
  const [before, after] = t('meeting.print.pageOf', { page: '\u0001', pages: '\u0002' }).split('\u0001') as [string, string]
  const [middle, end] = (after ?? '').split('\u0002') as [string, string]
  const pageRule = `${cssString(before)} counter(page) ${cssString(middle ?? '')} counter(pages) ${cssString(end ?? '')}`
  const other = t(`meeting.other.${pack.compare.kind}`)
  usePageRule(
    `@page { size: A4 ${orientation}; margin: 14mm 12mm 16mm 12mm; @bottom-left { content: ${cssString(produced)}; font: 8pt sans-serif; color: #555; } @bottom-right { content: ${pageRule}; font: 8pt sans-serif; color: #555; } }`,
  )
  return createPortal(
    <div className={`meeting-print meeting-print-${orientation}`} data-testid="meeting-print" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
      <header className="print-head">
        <h1>{t('meeting.print.title')}</h1>
        <p className="print-community">{communityName}</p>
        <p>
          {periodText(pack.period, lang)} · {t('meeting.comparedWith', { other, period: periodText(pack.compare, lang) })}
        </p>
        {filed && <p className="meeting-muted">{t('meeting.filed.bannerBy', { title: filed.title, when: formatDateTime(filed.filedAt, lang), who: filed.filedBy.username })}</p>}
        {!pack.compare.available && <p className="meeting-muted">{t('meeting.noComparison', { from: pack.compare.from })}</p>}
      </header>
      {picture && (
        <Section title={t('meeting.section.map')} testId="print-map" className="print-keep">
          <MapFigure picture={picture} />
        </Section>
      )}
      <Section title={t('meeting.section.scorecard')} testId="print-scorecard" className="print-keep">
        <Scorecard pack={pack} />
      </Section>
      <Section title={t('meeting.section.incidents')} testId="print-incidents">
        <Incidents pack={pack} line={pack.overall} chartWidth={orientation === 'portrait' ? 520 : 640} />
      </Section>
      <Section title={t('meeting.section.zones')} testId="print-zones" className="print-zones">
        <ZoneTable pack={pack} sortable={false} />
      </Section>
      <Section title={t('meeting.section.coverage')} testId="print-coverage" className="print-keep">
        <Coverage pack={pack} line={pack.overall} />
      </Section>
      <Section title={t('meeting.section.gaps')} testId="print-gaps">
        <Gaps pack={pack} />
      </Section>
      <Section title={t('meeting.section.hotspots')} testId="print-hotspots">
        <Hotspots pack={pack} limit={40} />
      </Section>
      <Section title={t('meeting.section.people')} testId="print-people">
        <People pack={pack} line={pack.overall} />
      </Section>
    </div>,
    document.body,
  )
}
