/**
 * The pack's small charts, drawn by Observable Plot as SVG (crisp in print and on a projector):
 * an indicator's trend over 12 months with its target, and incidents by category in this period
 * against the other one.
 */
import { useEffect, useMemo, useRef } from 'react'
import * as Plot from '@observablehq/plot'

/**
 * Mounts a Plot chart in a div, replaced whenever `make` changes. Plot puts a <style> element in
 * each chart; the server's Content-Security-Policy refuses inline styles, so it is taken out before
 * the chart is attached (meeting.css has its two rules).
 */
function PlotBox({ make, className, label }: { make: () => SVGSVGElement | HTMLElement; className: string; label: string }) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = ref.current
    if (el === null) return
    const chart = make()
    for (const style of chart.querySelectorAll('style')) style.remove()
    el.replaceChildren(chart)
    return () => chart.remove()
  }, [make])
  return <div ref={ref} className={className} role="img" aria-label={label} />
}

export interface TrendPoint {
  month: string
  value: number | null
}

/**
 * An indicator's values month by month (a gap where a month has none), the last one marked, and the
 * target as a dashed line.
 */
export function Sparkline({ points, target, unit, label, width = 140, height = 34 }: { points: readonly TrendPoint[]; target: number | null; unit: '%' | 'count'; label: string; width?: number; height?: number }) {
  // one chart per distinct input (the pack's arrays are new objects on each answer, equal or not)
  const key = JSON.stringify([points, target, unit, width, height])
  const make = useMemo(() => {
    const values = points.map((p) => p.value).filter((v): v is number => v !== null)
    const top = Math.max(unit === '%' ? 100 : 1, target ?? 0, ...values)
    const data = points.map((p, k) => ({ k, value: p.value ?? Number.NaN }))
    const known = data.filter((d) => Number.isFinite(d.value))
    return () =>
      Plot.plot({
        width,
        height,
        margin: 4,
        x: { axis: null, domain: [0, Math.max(1, points.length - 1)] },
        y: { axis: null, domain: [0, top] },
        marks: [
          ...(target === null ? [] : [Plot.ruleY([target], { stroke: '#777', strokeDasharray: '3,2' })]),
          Plot.lineY(data, { x: 'k', y: 'value', stroke: '#2d3e8c', strokeWidth: 1.6 }),
          Plot.dot(known, { x: 'k', y: 'value', r: 1.6, fill: '#2d3e8c' }),
          ...(known.length > 0 ? [Plot.dot([known[known.length - 1]], { x: 'k', y: 'value', r: 3, fill: '#111' })] : []),
        ],
      })
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` is the inputs' value
  }, [key])
  return <PlotBox make={make} className="meeting-spark" label={label} />
}

/** This period dark, the other pale: one hue, read by lightness (in grey print too). */
const BAR_COLORS = { this: '#2d3e8c', other: '#b9c2e6' } as const

export interface CategoryBar {
  label: string
  count: number
  previous: number | null
}

/** Incidents per category, this period (dark) over the other one (pale), one row per category. */
export function CategoryBars({ rows, thisLabel, otherLabel, label, width = 420 }: { rows: readonly CategoryBar[]; thisLabel: string; otherLabel: string; label: string; width?: number }) {
  const key = JSON.stringify([rows, thisLabel, otherLabel, width])
  const make = useMemo(() => {
    const data = rows.flatMap((r) => [
      { category: r.label, period: thisLabel, count: r.count },
      ...(r.previous === null ? [] : [{ category: r.label, period: otherLabel, count: r.previous }]),
    ])
    const longest = Math.max(0, ...rows.map((r) => [...r.label].length))
    return () =>
      Plot.plot({
        width,
        height: Math.max(60, rows.length * 34 + 40),
        marginLeft: Math.min(180, 14 + longest * 12),
        marginRight: 36,
        x: { grid: true, label: null },
        y: { label: null, axis: null },
        fy: { label: null, domain: rows.map((r) => r.label) },
        color: { domain: [thisLabel, otherLabel], range: [BAR_COLORS.this, BAR_COLORS.other] },
        style: { fontSize: '12px', fontFamily: 'inherit' },
        marks: [
          Plot.barX(data, { x: 'count', y: 'period', fy: 'category', fill: 'period' }),
          Plot.text(data, { x: 'count', y: 'period', fy: 'category', text: (d: { count: number }) => String(d.count), textAnchor: 'start', dx: 4 }),
          Plot.ruleX([0]),
        ],
      })
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` is the inputs' value
  }, [key])
  return (
    <div className="meeting-bars-box">
      <p className="meeting-legend">
        <span className="meeting-legend-item">
          <span className="meeting-swatch" style={{ background: BAR_COLORS.this }} aria-hidden="true" />
          {thisLabel}
        </span>
        <span className="meeting-legend-item">
          <span className="meeting-swatch" style={{ background: BAR_COLORS.other }} aria-hidden="true" />
          {otherLabel}
        </span>
      </p>
      <PlotBox make={make} className="meeting-bars" label={label} />
    </div>
  )
}
