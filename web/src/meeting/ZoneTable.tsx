/**
 * The per-zone table of the pack: sortable by any column (click or Enter on its header; aria-sort
 * says how), a row per zone, the unzoned line and the whole community last. A click on a zone
 * chooses it (the map flies there and its page opens). Every cell says on hover what it is made of.
 * In print it is a plain table whose header repeats on each page.
 */
import { useState, type ReactNode } from 'react'
import { useI18n, type MessageKey, type Translate } from '../i18n'
import type { Lang } from '../lib/i18n'
import type { MeetingPack, MeetingZone } from './api'
import { nextSort, type SortState } from '../lib/sort'
import { SortHeader } from '../ui/SortHeader'
import { firstDirection, sortZones, ZONE_COLUMNS } from './model'
import { Change, pctText, zoneLabel } from './sections'

/** A cell of a column for a line, with its explanation. */
function cell(key: string, z: MeetingZone, pack: MeetingPack, t: Translate, lang: Lang): { text: ReactNode; title?: string } {
  const w = (name: 'day' | 'evening' | 'night') => z.coverage?.windows[name]?.areaCoveredPct ?? null
  const ratio = (r: { numerator: number; denominator: number }) => ({
    text: r.denominator === 0 ? '–' : pctText((100 * r.numerator) / r.denominator, lang),
    title: t('meeting.of', { n: r.numerator, d: r.denominator }),
  })
  switch (key) {
    case 'zone':
      // the name may be left out where room is short (the portrait print keeps the code)
      return {
        text:
          z.zoneId === null ? (
            zoneLabel(z, t)
          ) : (
            <>
              <span className="meeting-zone-code">{z.zoneCode}</span> <span className="meeting-zone-name">{z.zoneName}</span>
            </>
          ),
        title: zoneLabel(z, t),
      }
    case 'incidents':
      return { text: z.incidents.total.count }
    case 'previous':
      return { text: z.incidents.total.previous ?? '–' }
    case 'change':
      return { text: <Change c={z.incidents.total} pack={pack} /> }
    case 'hotNew':
      return { text: z.hotspots.new }
    case 'hotPersistent':
      return { text: z.hotspots.persistent }
    case 'hotGone':
      return { text: z.hotspots.gone }
    case 'day':
    case 'evening':
    case 'night':
      return { text: pctText(w(key), lang), title: `${t(`meeting.window.${key}`)} ${pack.windows[key] ?? ''}` }
    case 'captained':
      return z.coverage === null ? { text: '–' } : { text: pctText(z.coverage.captainedBuildingsPct, lang), title: t('meeting.of', { n: z.coverage.buildingsCaptained, d: z.coverage.buildings }) }
    case 'gaps':
      return { text: z.priorityGaps }
    case 'patrols':
      return z.patrols === null ? { text: '–' } : ratio({ numerator: z.patrols.plannedDone, denominator: z.patrols.planned })
    case 'disputes':
      return { text: z.disputes.screened }
    case 'mediation':
      return ratio(z.disputes.mediationRate)
    case 'success':
      return ratio(z.disputes.successRate)
    case 'escalations':
      return { text: z.disputes.escalations + z.disputes.petitions, title: t('meeting.explain.escalationsCell', { escalations: z.disputes.escalations, petitions: z.disputes.petitions }) }
    case 'overdue':
      return { text: z.problems.overdue, title: t('meeting.people.problemsValue', { open: z.problems.open, overdue: z.problems.overdue }) }
    default:
      return { text: '' }
  }
}

export interface ZoneTableProps {
  pack: MeetingPack
  /** the zone whose page is open */
  chosen?: number | null
  /** a zone was clicked (absent: the table does not choose, e.g. in print) */
  onChoose?: (zone: MeetingZone) => void
  /** sortable (the screen) or fixed in the zone-code order (print) */
  sortable?: boolean
}

export function ZoneTable({ pack, chosen = null, onChoose, sortable = true }: ZoneTableProps) {
  const { t, lang } = useI18n()
  const [sort, setSort] = useState<SortState<string>>({ column: 'zone', direction: 'ascending' })
  const rows = sortable ? sortZones(pack, sort.column ?? 'zone', sort.direction) : sortZones(pack, 'zone', 'ascending')
  const sortBy = (key: string) => setSort((s) => nextSort(s, key, firstDirection(key)))
  const overall = { ...pack.overall }
  return (
    <div className="meeting-table-wrap">
      <table className="meeting-table meeting-zones" data-testid="meeting-zones">
        <thead>
          <tr>
            {ZONE_COLUMNS.map((c) => {
              const label = t(`meeting.col.${c.key}` as MessageKey)
              const explain = t(`meeting.explain.col.${c.key}` as MessageKey)
              const className = c.key === 'zone' ? 'meeting-sticky' : 'num'
              return sortable ? (
                <SortHeader key={c.key} column={c.key} sort={sort} onSort={sortBy} testId={`meeting-sort-${c.key}`} title={explain} className={className}>
                  {label}
                </SortHeader>
              ) : (
                <th key={c.key} scope="col" title={explain} data-column={c.key} className={className}>
                  {label}
                </th>
              )
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((z) => (
            <tr
              key={z.zoneId ?? 'none'}
              data-zone={z.zoneCode ?? ''}
              aria-selected={z.zoneId !== null && z.zoneId === chosen}
              className={onChoose && z.zoneId !== null ? 'meeting-clickable' : undefined}
              onClick={onChoose && z.zoneId !== null ? () => onChoose(z) : undefined}
            >
              {ZONE_COLUMNS.map((c) => {
                const x = cell(c.key, z, pack, t, lang)
                return c.key === 'zone' ? (
                  <th key={c.key} scope="row" className="meeting-sticky" title={x.title}>
                    {onChoose && z.zoneId !== null ? (
                      <button type="button" className="link" data-testid={`meeting-zone-${z.zoneCode}`} onClick={(e) => (e.stopPropagation(), onChoose(z))}>
                        {x.text}
                      </button>
                    ) : (
                      x.text
                    )}
                  </th>
                ) : (
                  <td key={c.key} className="num" title={x.title}>
                    {x.text}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="meeting-overall">
            {ZONE_COLUMNS.map((c) => {
              const x = cell(c.key, overall, pack, t, lang)
              return c.key === 'zone' ? (
                <th key={c.key} scope="row" className="meeting-sticky">
                  {t('meeting.overall')}
                </th>
              ) : (
                <td key={c.key} className="num" title={x.title}>
                  {x.text}
                </td>
              )
            })}
          </tr>
        </tfoot>
      </table>
    </div>
  )
}
