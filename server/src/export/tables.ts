/**
 * The meeting pack as tables (issue 13, "Spreadsheet"): the per-zone table and the scorecard, with
 * headers in Chinese or English, written as CSV (UTF-8 with a byte-order mark, so spreadsheet
 * programs read the Chinese right; RFC 4180 quoting) — the same numbers as the JSON answer, taken
 * from it. An `.xlsx` writer takes the same `Table`s (`SheetWriter`), so a workbook and a CSV
 * cannot disagree.
 */
import type { CountChangeAnswer, Lang, MeetingPack, MeetingZone, ScorecardLine } from '../contract.js'

/** A cell: text, a number, or empty. */
export type Cell = string | number | null

/** One sheet: a name, headers in both languages, rows of cells. */
export interface Table {
  name: { zh: string; en: string }
  columns: { zh: string; en: string }[]
  rows: Cell[][]
}

/** What writes tables into a workbook (e.g. exceljs): the bytes of an .xlsx file. */
export type SheetWriter = (tables: Table[], lang: Lang) => Promise<Uint8Array>

export const MEETING_TABLES = ['zones', 'scorecard'] as const
export type MeetingTable = (typeof MEETING_TABLES)[number]

const VERDICT = { up: { zh: '上升', en: 'up' }, down: { zh: '下降', en: 'down' }, same: { zh: '无明显变化', en: 'no clear change' }, unknown: { zh: '无可比数据', en: 'no comparison' } } as const
const STATUS = { green: { zh: '绿', en: 'green' }, amber: { zh: '黄', en: 'amber' }, red: { zh: '红', en: 'red' }, none: { zh: '—', en: '—' } } as const
const col = (zh: string, en: string) => ({ zh, en })
const round = (v: number | null, digits: number) => (v === null ? null : Number(v.toFixed(digits)))

const changeCells = (c: CountChangeAnswer, lang: Lang): Cell[] => [c.count, c.previous, round(c.rateRatio, 3), c.p === null ? null : Number(c.p.toPrecision(4)), VERDICT[c.verdict][lang]]
const rate = (r: { numerator: number; denominator: number; rate: number | null }): Cell => (r.rate === null ? null : round(100 * r.rate, 2))

/** The per-zone table: a line per zone, the unzoned line, and the whole community last. */
export function zoneTable(pack: MeetingPack, lang: Lang): Table {
  const line = (z: MeetingZone, label: string | null): Cell[] => [
    label ?? z.zoneCode,
    label === null ? z.zoneName : null,
    ...changeCells(z.incidents.total, lang),
    z.hotspots.new,
    z.hotspots.persistent,
    z.hotspots.gone,
    z.coverage?.windows.day?.areaCoveredPct ?? null,
    z.coverage?.windows.evening?.areaCoveredPct ?? null,
    z.coverage?.windows.night?.areaCoveredPct ?? null,
    z.coverage?.captainedBuildingsPct ?? null,
    z.priorityGaps,
    z.patrols?.planned ?? null,
    z.patrols?.plannedDone ?? null,
    z.patrols?.logged ?? null,
    z.disputes.screened,
    rate(z.disputes.mediationRate),
    `${z.disputes.mediationRate.numerator}/${z.disputes.mediationRate.denominator}`,
    rate(z.disputes.successRate),
    `${z.disputes.successRate.numerator}/${z.disputes.successRate.denominator}`,
    z.disputes.escalations,
    z.disputes.petitions,
    z.problems.open,
    z.problems.overdue,
  ]
  return {
    name: { zh: '网格', en: 'Zones' },
    columns: [
      col('网格', 'Zone'),
      col('名称', 'Name'),
      col('警情（本期）', 'Incidents (this period)'),
      col('警情（对比期）', 'Incidents (other period)'),
      col('率比', 'Rate ratio'),
      col('p 值', 'p'),
      col('变化', 'Change'),
      col('新热点', 'New hot spots'),
      col('持续热点', 'Persistent hot spots'),
      col('消失热点', 'Hot spots gone'),
      col('日间巡逻覆盖率 %', 'Day patrol coverage %'),
      col('傍晚巡逻覆盖率 %', 'Evening patrol coverage %'),
      col('夜间巡逻覆盖率 %', 'Night patrol coverage %'),
      col('楼栋有楼长 %', 'Buildings with a captain %'),
      col('重点盲区', 'Priority gaps'),
      col('计划巡逻', 'Patrols planned'),
      col('完成计划巡逻', 'Planned patrols done'),
      col('记录巡逻', 'Patrols logged'),
      col('排查矛盾', 'Disputes screened'),
      col('调解率 %', 'Mediation rate %'),
      col('调解（分子/分母）', 'Mediation (of)'),
      col('调解成功率 %', 'Success rate %'),
      col('成功（分子/分母）', 'Success (of)'),
      col('越级', 'Escalations'),
      col('上访', 'Petitions'),
      col('未结重点问题', 'Key problems open'),
      col('逾期重点问题', 'Key problems overdue'),
    ],
    rows: [
      ...pack.zones.map((z) => line(z, z.zoneId === null ? (lang === 'zh' ? '网格外' : 'in no zone') : null)),
      line(pack.overall, lang === 'zh' ? '全社区' : 'whole community'),
    ],
  }
}

/** The scorecard: a line per indicator, with its 12 monthly values. */
export function scorecardTable(pack: MeetingPack, lang: Lang): Table {
  const months = pack.scorecard.find((s) => s.trend !== null)?.trend?.map((t) => t.month) ?? []
  const line = (s: ScorecardLine): Cell[] => [
    s.label,
    s.unit,
    s.direction === 'atLeast' ? '≥' : '≤',
    s.value === null ? null : round(s.value, 2),
    s.numerator === null ? null : `${s.numerator}/${s.denominator}`,
    s.target,
    STATUS[s.status][lang],
    ...months.map((m) => {
      const v = s.trend?.find((t) => t.month === m)?.value ?? null
      return v === null ? null : round(v, 2)
    }),
  ]
  return {
    name: { zh: '指标', en: 'Scorecard' },
    columns: [col('指标', 'Indicator'), col('单位', 'Unit'), col('方向', 'Direction'), col('本期值', 'Value'), col('分子/分母', 'Of'), col('目标', 'Target'), col('状态', 'Status'), ...months.map((m) => col(m, m))],
    rows: pack.scorecard.map(line),
  }
}

/** A meeting table by name. */
export const meetingTable = (pack: MeetingPack, table: MeetingTable, lang: Lang): Table => (table === 'zones' ? zoneTable(pack, lang) : scorecardTable(pack, lang))

/** A cell's CSV text; text that a spreadsheet would run as a formula (=, +, -, @ first) is kept as text with a leading '. */
const quote = (v: Cell): string => {
  if (v === null) return ''
  const s = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v)
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

/** A table as CSV: UTF-8 with a byte-order mark, CRLF line ends, headers in `lang`. */
export function toCsv(t: Table, lang: Lang): string {
  const lines = [t.columns.map((c) => quote(c[lang])), ...t.rows.map((r) => r.map(quote))]
  return `\uFEFF${lines.map((l) => l.join(',')).join('\r\n')}\r\n`
}
