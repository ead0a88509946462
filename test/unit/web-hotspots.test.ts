import { Color, createExpression } from '@maplibre/maplibre-gl-style-spec'
import { describe, expect, test } from 'vitest'
import { hotspotsPath } from '../../web/src/analysis/api'
import { en, type Messages } from '../../web/src/i18n/en'
import { zh } from '../../web/src/i18n/zh'
import { translate } from '../../web/src/lib/i18n'
import {
  analysisLegend,
  analysisSearchParams,
  binLabel,
  cellCentre,
  cellFillColor,
  classesFor,
  classRangeText,
  CELL_SIZES,
  COUNT_RAMP,
  DEFAULT_ANALYSIS,
  DENSITY_RAMP,
  EMERGING_CATEGORIES,
  EMERGING_COLORS,
  estimateCells,
  GI_BINS,
  GI_COLORS,
  graduatedClasses,
  graduatedColor,
  hottestCell,
  insufficientLabel,
  NO_FILL,
  niceBreaks,
  withinLimits,
  type GiBin,
  type HotspotCell,
  type HotspotCellProps,
  type HotspotCollection,
  type HotspotMeta,
  type HotspotMethod,
  type Label,
} from '../../web/src/lib/hotspots'

// MapLibre's style-spec (installed with maplibre-gl) evaluates the expressions as the map does.

/** The colour the map gives a cell with these properties, as "#rrggbb" or "transparent". */
function drawnColor(expression: unknown, properties: Partial<HotspotCellProps>): string {
  const parsed = createExpression(expression, { type: 'color', 'property-type': 'data-driven', expression: { interpolated: false, parameters: ['zoom', 'feature'] } } as never)
  if (parsed.result !== 'success') throw new Error(JSON.stringify(parsed.value))
  const value = parsed.value.evaluate({ zoom: 15 }, { type: 'Polygon', properties } as never) as unknown
  // constant outputs may come back as the literal string; Color.parse reads both alike
  const c = value instanceof Color ? value : Color.parse(value as string)
  if (c === undefined) throw new Error(`not a colour: ${String(value)}`)
  if (c.a === 0) return 'transparent'
  const byte = (v: number) => Math.round((v / c.a) * 255).toString(16).padStart(2, '0')
  return `#${byte(c.r)}${byte(c.g)}${byte(c.b)}`
}

const say = (dict: Messages, l: Label) => translate(dict, l.key, l.params)

function createCell(i: number, props: Partial<HotspotCellProps>, ring?: [number, number][]): HotspotCell {
  const r = ring ?? [
    [i, 0],
    [i, 1],
    [i + 1, 1],
    [i + 1, 0],
    [i, 0],
  ]
  return { type: 'Feature', geometry: { type: 'Polygon', coordinates: [r] }, properties: { i, j: 0, count: 0, ...props } }
}

function createAnswer(method: HotspotMethod, cells: HotspotCell[], meta: Partial<HotspotMeta> = {}): HotspotCollection {
  return {
    type: 'FeatureCollection',
    features: cells,
    meta: {
      method,
      cell: 100,
      shape: 'square',
      neighbours: 'ring1',
      filter: { from: null, to: null, categories: null, hours: null, weekdays: null },
      minIncidents: 30,
      incidents: 914,
      outsideArea: 0,
      timeUnknown: 814,
      timeUnknownExcluded: false,
      cells: cells.length,
      insufficient: false,
      insufficientReason: null,
      ...meta,
    },
  }
}

// Colour vision deficiency: Machado, Oliveira & Fernandes (2009), severity 1, in linear sRGB.
const DEUTERANOPIA = [
  [0.367322, 0.860646, -0.227968],
  [0.280085, 0.672501, 0.047413],
  [-0.01182, 0.04294, 0.968881],
]
const PROTANOPIA = [
  [0.152286, 1.052583, -0.204868],
  [0.114503, 0.786281, 0.099216],
  [-0.003882, -0.048116, 1.051998],
]
const toLinear = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4)
const toSrgb = (c: number) => {
  const v = Math.min(1, Math.max(0, c))
  return 255 * (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055)
}
const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
const simulate = (hex: string, m: number[][]) => {
  const l = rgb(hex).map(toLinear)
  return m.map((row) => toSrgb(row[0]! * l[0]! + row[1]! * l[1]! + row[2]! * l[2]!))
}
const distance = (a: number[], b: number[]) => Math.hypot(...a.map((x, i) => x - b[i]!))
const luminance = (hex: string) => {
  const [r, g, b] = rgb(hex).map(toLinear) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

describe('Gi* bins in words and colours', () => {
  test('each bin reads as a hot or cold spot with its confidence, in both languages', () => {
    expect(GI_BINS.map((b) => say(en, binLabel(b)))).toEqual([
      'Hot spot, 99 % confidence',
      'Hot spot, 95 % confidence',
      'Hot spot, 90 % confidence',
      'Not significant',
      'Cold spot, 90 % confidence',
      'Cold spot, 95 % confidence',
      'Cold spot, 99 % confidence',
    ])
    expect(say(zh, binLabel(3))).toBe('热点，99% 置信度')
    expect(say(zh, binLabel(-2))).toBe('冷点，95% 置信度')
    expect(say(zh, binLabel(0))).toBe('不显著')
  })

  test('the map draws each bin in its legend colour and leaves cells that are not significant unfilled', () => {
    const expression = cellFillColor('gistar')
    for (const bin of GI_BINS) {
      expect(drawnColor(expression, { bin }), `bin ${bin}`).toBe(bin === 0 ? 'transparent' : GI_COLORS[bin])
    }
    expect(drawnColor(expression, {}), 'no bin at all').toBe('transparent')
  })

  test('hot is red and cold is blue, and higher confidence is darker on both sides', () => {
    for (const b of [1, 2, 3] as const) {
      const [hr, , hb] = rgb(GI_COLORS[b])
      const [cr, , cb] = rgb(GI_COLORS[-b as GiBin])
      expect(hr! - hb!, `hot ${b}`).toBeGreaterThan(40)
      expect(cb! - cr!, `cold ${b}`).toBeGreaterThan(40)
    }
    for (const side of [1, -1]) {
      const lum = [1, 2, 3].map((b) => luminance(GI_COLORS[(b * side) as GiBin]))
      expect(lum[0]!).toBeGreaterThan(lum[1]!)
      expect(lum[1]!).toBeGreaterThan(lum[2]!)
    }
  })

  test('hot and cold spots of the same confidence stay apart for deuteranopes and protanopes', () => {
    for (const m of [DEUTERANOPIA, PROTANOPIA])
      for (const b of [1, 2, 3] as const) expect(distance(simulate(GI_COLORS[b], m), simulate(GI_COLORS[-b as GiBin], m)), `±${b}`).toBeGreaterThan(80)
  })
})

describe('emerging hot spot categories', () => {
  test('every category has a name and a hint in both languages, and its colour on the map', () => {
    const expression = cellFillColor('emerging')
    for (const c of EMERGING_CATEGORIES) {
      expect(Object.keys(en)).toContain(`hotspots.emerging.${c}`)
      expect(Object.keys(zh)).toContain(`hotspots.emerging.${c}.hint`)
      expect(drawnColor(expression, { category: c }), c).toBe(c === 'none' ? 'transparent' : EMERGING_COLORS[c].toLowerCase())
    }
  })

  test('the eight drawn categories can be told apart with deuteranopia and protanopia', () => {
    const colors = EMERGING_CATEGORIES.filter((c) => c !== 'none').map((c) => [c, EMERGING_COLORS[c]] as const)
    for (const m of [DEUTERANOPIA, PROTANOPIA])
      for (const [i, [a, ca]] of colors.entries())
        for (const [b, cb] of colors.slice(i + 1)) expect(distance(simulate(ca, m), simulate(cb, m)), `${a} vs ${b}`).toBeGreaterThan(40)
  })

  test('the legend lists the most urgent categories first, with the cells of each from meta', () => {
    const answer = createAnswer('emerging', [], { categories: { none: 279, sporadic: 8, new: 5 } })
    const rows = analysisLegend(answer, [], String)
    expect(rows.map((r) => ('key' in r.label ? r.label.key : r.label.text))[0]).toBe('hotspots.emerging.intensifying')
    expect(rows.map((r) => r.cells)).toEqual([0, 0, 0, 5, 8, 0, 0, 0, 279])
    expect(rows.every((r) => r.hint !== undefined)).toBe(true)
  })
})

describe('graduated classes for density and counts', () => {
  test('breaks are the round 1-2-5 numbers below the maximum', () => {
    expect(niceBreaks(3859.4)).toEqual([200, 500, 1000, 2000])
    expect(niceBreaks(0.8)).toEqual([0.05, 0.1, 0.2, 0.5])
    expect(niceBreaks(2000)).toEqual([100, 200, 500, 1000])
    expect(niceBreaks(0)).toEqual([])
    expect(niceBreaks(Number.NaN)).toEqual([])
  })

  test('count breaks are whole numbers above 1, so the first class is never empty', () => {
    expect(niceBreaks(17, 5, true)).toEqual([2, 5, 10])
    expect(niceBreaks(2, 5, true)).toEqual([])
    expect(niceBreaks(3, 5, true)).toEqual([2])
  })

  test('classes use the darkest colours of the ramp when there are fewer of them', () => {
    const classes = graduatedClasses([0, 1, 3, 17], COUNT_RAMP, true)
    expect(classes).toEqual([
      { from: null, to: 2, color: COUNT_RAMP[1] },
      { from: 2, to: 5, color: COUNT_RAMP[2] },
      { from: 5, to: 10, color: COUNT_RAMP[3] },
      { from: 10, to: null, color: COUNT_RAMP[4] },
    ])
    expect(graduatedClasses([0, 0], DENSITY_RAMP)).toEqual([])
  })

  test('zero draws nothing; each value gets the colour of its class, on the map as in the legend', () => {
    const classes = graduatedClasses([0, 0.5, 150, 200, 3859.4], DENSITY_RAMP)
    const expression = cellFillColor('kde', classes)
    for (const [density, expected] of [
      [0, NO_FILL],
      [0.5, DENSITY_RAMP[0]],
      [199.9, DENSITY_RAMP[0]],
      [200, DENSITY_RAMP[1]],
      [999, DENSITY_RAMP[2]],
      [1000, DENSITY_RAMP[3]],
      [3859.4, DENSITY_RAMP[4]],
    ] as const) {
      expect(graduatedColor(density, classes), `density ${density}`).toBe(expected)
      expect(drawnColor(expression, { density }), `drawn density ${density}`).toBe(expected === NO_FILL ? 'transparent' : expected)
    }
    expect(drawnColor(cellFillColor('kde', []), { density: 5 })).toBe('transparent')
  })

  test('class ranges read as intervals, counts as whole numbers', () => {
    const f = (n: number) => n.toLocaleString('en')
    expect(classRangeText({ from: null, to: 200, color: '' }, f)).toBe('< 200')
    expect(classRangeText({ from: 1000, to: 2000, color: '' }, f)).toBe('1,000–2,000')
    expect(classRangeText({ from: 2000, to: null, color: '' }, f)).toBe('≥ 2,000')
    expect(classRangeText({ from: null, to: 2, color: '' }, f, true)).toBe('1')
    expect(classRangeText({ from: 2, to: 5, color: '' }, f, true)).toBe('2–4')
    expect(classRangeText({ from: 5, to: 6, color: '' }, f, true)).toBe('5')
  })

  test('the density legend runs from dark to light and counts the cells of each class', () => {
    const answer = createAnswer('kde', [0, 50, 150, 250, 700, 1500, 2500, 3859].map((density, i) => createCell(i, { density })))
    const rows = analysisLegend(answer, classesFor(answer), (n) => n.toLocaleString('en'))
    expect(rows.map((r) => ('text' in r.label ? r.label.text : ''))).toEqual(['≥ 2,000', '1,000–2,000', '500–1,000', '200–500', '< 200'])
    expect(rows.map((r) => r.cells)).toEqual([2, 1, 1, 1, 2])
    expect(rows.map((r) => r.color)).toEqual([...DENSITY_RAMP].reverse())
  })

  test('the ramps get darker class by class', () => {
    for (const ramp of [DENSITY_RAMP, COUNT_RAMP])
      for (let k = 1; k < ramp.length; k++) expect(luminance(ramp[k]!)).toBeLessThan(luminance(ramp[k - 1]!))
  })
})

describe('asking for an analysis', () => {
  test('only the parameters of the chosen method are sent', () => {
    const base = { ...DEFAULT_ANALYSIS, band: 250, bandwidth: 300, fdr: true, slice: 'week' as const }
    expect(analysisSearchParams({ ...base, method: 'gistar' }).toString()).toBe('method=gistar&cell=100&shape=square&fdr=true&band=250')
    expect(analysisSearchParams({ ...base, method: 'kde', shape: 'hex', cell: 50 }).toString()).toBe('method=kde&cell=50&shape=hex&bandwidth=300')
    expect(analysisSearchParams({ ...base, method: 'kde', bandwidth: null }).toString()).toBe('method=kde&cell=100&shape=square')
    expect(analysisSearchParams({ ...base, method: 'emerging' }).toString()).toBe('method=emerging&cell=100&shape=square&band=250&slice=week')
    expect(analysisSearchParams({ ...base, method: 'count' }).toString()).toBe('method=count&cell=100&shape=square')
  })

  test('the request joins the analysis and the shared filters', () => {
    const path = hotspotsPath('sf-mission', DEFAULT_ANALYSIS, new URLSearchParams({ hours: '22-02', categories: 'ROBBERY,VANDALISM' }))
    expect(path).toBe('/api/communities/sf-mission/hotspots?method=gistar&cell=100&shape=square&fdr=false&hours=22-02&categories=ROBBERY%2CVANDALISM')
  })

  test('the cell estimate is close to what the server makes for the demo community', () => {
    // the demo's bbox; the server answers 292 square and 127 hexagonal cells of 100 m there
    const bbox = [-122.425, 37.7605, -122.408, 37.7765] as const
    expect(estimateCells(bbox, 100, 'square')).toBeGreaterThanOrEqual(292)
    expect(estimateCells(bbox, 100, 'square')).toBeLessThan(292 * 1.15)
    expect(estimateCells(bbox, 100, 'hex')).toBeGreaterThanOrEqual(127)
    expect(estimateCells(bbox, 100, 'hex')).toBeLessThan(127 * 1.15)
    expect(estimateCells(bbox, 50, 'square')).toBeGreaterThan(4 * 250)
    expect(CELL_SIZES.every((c) => withinLimits('cell', c))).toBe(true)
  })

  test('sizes outside what the server accepts are caught before asking', () => {
    expect(withinLimits('cell', 100)).toBe(true)
    expect(withinLimits('cell', 9)).toBe(false)
    expect(withinLimits('cell', 5001)).toBe(false)
    expect(withinLimits('bandwidth', 20000)).toBe(true)
    expect(withinLimits('band', Number.NaN)).toBe(false)
  })
})

describe('not enough data', () => {
  test('each reason the server gives has its own words, with the figures', () => {
    const meta = createAnswer('gistar', [], { insufficient: true, insufficientReason: 'too_few_incidents', incidents: 5 }).meta
    expect(say(en, insufficientLabel(meta))).toBe('Only 5 incidents match the filters; a reliable analysis needs at least 30.')
    expect(say(zh, insufficientLabel(meta))).toBe('符合筛选条件的警情只有 5 起，可靠的分析至少需要 30 起。')
    for (const reason of ['no_variance', 'too_few_cells', 'too_few_slices'] as const)
      expect(insufficientLabel({ ...meta, insufficientReason: reason }).key).toBe(`analysis.insufficient.${reason}`)
    expect(insufficientLabel({ ...meta, insufficientReason: 'something_new' as never }).key).toBe('analysis.insufficient.unknown')
  })
})

describe('cells', () => {
  test('the hottest cell is the one with the highest z, ignoring cells without one', () => {
    const cells = [createCell(0, { z: 1.2 }), createCell(1, { z: null }), createCell(2, { z: 9.6 }), createCell(3, { z: -4 })]
    expect(hottestCell(cells)?.properties.i).toBe(2)
    expect(hottestCell([createCell(0, { z: null })])).toBeNull()
  })

  test('a cell’s centre is the mean of its corners, the closing point not counted twice', () => {
    const hex = createCell(0, {}, [
      [2, 0],
      [1, 1.5],
      [-1, 1.5],
      [-2, 0],
      [-1, -1.5],
      [1, -1.5],
      [2, 0],
    ])
    expect(cellCentre(hex)).toEqual([0, 0])
    expect(cellCentre(createCell(4, {}))).toEqual([4.5, 0.5])
  })
})
