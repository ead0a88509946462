/**
 * Priority gaps: hot cells that no patrol covers in the hours when their incidents happen. Pure
 * logic over a cell's incidents per hour of day and the hours the routes reaching it are in service
 * (rules/shifts.ts, coveredHours).
 */
import { formatMinutes } from '../contract.js'

export interface UncoveredRun {
  /** first uncovered hour and the hour after the last (may wrap past midnight) */
  from: number
  to: number
  /** incidents in this run */
  incidents: number
  /** the hours spanned by those incidents: first incident hour to last + 1 */
  incidentsFrom: number
  incidentsTo: number
}

export interface PriorityJudgement {
  incidents: number
  uncovered: number
  runs: UncoveredRun[]
  /** plain reasons for people, in English and Chinese */
  reason: string
  reasonZh: string
}

const hh = (h: number) => formatMinutes((h % 24) * 60)

/**
 * Judges one hot cell: of its incidents (per hour of day, time known), how many fall in hours no
 * route reaching it is in service, grouped into runs of uncovered hours (wrapping past midnight).
 * `timeUnknown` incidents cannot be judged by hour and are mentioned apart.
 */
export function judgeCell(hourly: readonly number[], covered: readonly boolean[], timeUnknown = 0): PriorityJudgement {
  const incidents = hourly.reduce((a, b) => a + b, 0)
  const runs: UncoveredRun[] = []
  if (covered.every((c) => !c)) {
    if (incidents > 0) {
      const hours = hourly.map((n, h) => (n > 0 ? h : -1)).filter((h) => h >= 0)
      runs.push({ from: 0, to: 24, incidents, incidentsFrom: hours[0]!, incidentsTo: hours[hours.length - 1]! + 1 })
    }
  } else {
    // Start scanning just after a covered hour so that runs crossing midnight stay whole.
    const start = covered.findIndex((c) => c) + 1
    let run: UncoveredRun | null = null
    for (let k = 0; k < 24; k++) {
      const h = (start + k) % 24
      if (!covered[h]) {
        run ??= { from: start + k, to: start + k, incidents: 0, incidentsFrom: -1, incidentsTo: -1 }
        run.to = start + k + 1
        if (hourly[h]! > 0) {
          run.incidents += hourly[h]!
          if (run.incidentsFrom < 0) run.incidentsFrom = start + k
          run.incidentsTo = start + k + 1
        }
      } else if (run) {
        if (run.incidents > 0) runs.push(run)
        run = null
      }
    }
    if (run && run.incidents > 0) runs.push(run)
  }
  runs.sort((a, b) => b.incidents - a.incidents)
  const uncovered = runs.reduce((a, r) => a + r.incidents, 0)
  const unknownEn = timeUnknown > 0 ? `; ${timeUnknown} more without a time of day` : ''
  const unknownZh = timeUnknown > 0 ? `；另有 ${timeUnknown} 起时间不详` : ''
  if (runs.length === 0)
    return { incidents, uncovered, runs, reason: `${incidents} incidents, all in hours a route covers${unknownEn}`, reasonZh: `${incidents} 起警情，均在有巡逻覆盖的时段${unknownZh}` }
  const all = covered.every((c) => !c)
  const top = runs[0]!
  const span = `${hh(top.incidentsFrom)}–${hh(top.incidentsTo)}`
  const gap = `${hh(top.from)}–${hh(top.to)}`
  return {
    incidents,
    uncovered,
    runs,
    reason: all
      ? `${incidents} incidents; no route covers this cell at any time${unknownEn}`
      : `${incidents} incidents, ${top.incidents} of them ${span}; no route covers this cell ${gap}${runs.length > 1 ? ` (${uncovered} in uncovered hours in all)` : ''}${unknownEn}`,
    reasonZh: all
      ? `${incidents} 起警情；任何时段都没有巡逻路线覆盖此格${unknownZh}`
      : `${incidents} 起警情，其中 ${top.incidents} 起发生在 ${span}；${gap} 没有巡逻路线覆盖此格${runs.length > 1 ? `（无覆盖时段共 ${uncovered} 起）` : ''}${unknownZh}`,
  }
}
