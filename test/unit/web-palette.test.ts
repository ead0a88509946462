import { describe, expect, test } from 'vitest'
import {
  assignTeamColors,
  BASE,
  categoryColor,
  categoryColorExpression,
  INCIDENT_CATEGORIES,
  OKABE_ITO,
  TEAM_PALETTE,
  teamColorExpression,
} from '../../web/src/lib/palette'

function createFeature(teamId: number | null, teamName: string | null = teamId === null ? null : `Team ${teamId}`) {
  return { properties: { teamId, teamName } }
}

describe('team colours', () => {
  test('teams are coloured in id order, whatever order the features come in', () => {
    const teams = assignTeamColors([createFeature(7), createFeature(3), createFeature(7), createFeature(5)])
    expect(teams).toEqual([
      { id: 3, name: 'Team 3', color: TEAM_PALETTE[0] },
      { id: 5, name: 'Team 5', color: TEAM_PALETTE[1] },
      { id: 7, name: 'Team 7', color: TEAM_PALETTE[2] },
    ])
  })

  test('features without a team, or of other layers, add no team', () => {
    const captain = { properties: { name: 'Li', active: true, buildings: 3 } }
    expect(assignTeamColors([createFeature(null), captain, { properties: null }])).toEqual([])
  })

  test('a team without a name is shown by its id', () => {
    expect(assignTeamColors([createFeature(4, null)])).toEqual([{ id: 4, name: '#4', color: TEAM_PALETTE[0] }])
  })

  test('colours wrap around after the palette is used up', () => {
    const teams = assignTeamColors(Array.from({ length: TEAM_PALETTE.length + 1 }, (_, i) => createFeature(i + 1)))
    expect(teams.at(-1)?.color).toBe(TEAM_PALETTE[0])
    expect(new Set(teams.slice(0, TEAM_PALETTE.length).map((t) => t.color)).size).toBe(TEAM_PALETTE.length)
  })

  test('team colours are Okabe–Ito colours and never the captains’ black', () => {
    const okabeIto = new Set<string>(Object.values(OKABE_ITO))
    for (const c of TEAM_PALETTE) expect(okabeIto.has(c)).toBe(true)
    expect(TEAM_PALETTE).not.toContain(OKABE_ITO.black)
  })

  test('the team colour expression matches team ids and falls back to grey', () => {
    const teams = assignTeamColors([createFeature(2), createFeature(9)])
    expect(teamColorExpression(teams)).toEqual([
      'match',
      ['coalesce', ['get', 'teamId'], -1],
      2,
      TEAM_PALETTE[0],
      9,
      TEAM_PALETTE[1],
      BASE.zoneUnassigned,
    ])
  })

  test('without teams the colour is a plain grey, not an expression', () => {
    expect(teamColorExpression([])).toBe(BASE.zoneUnassigned)
  })
})

describe('incident category colours', () => {
  test('the categories drawn in colours of their own have distinct colours', () => {
    const colors = ['ROBBERY', 'VANDALISM', 'DRUG/NARCOTIC', 'VEHICLE THEFT', 'LARCENY/THEFT', 'ASSAULT'].map(categoryColor)
    expect(new Set(colors).size).toBe(6)
    expect(colors).not.toContain(BASE.incidentOther)
  })

  test('an unknown category is drawn in the "other" grey', () => {
    expect(categoryColor('ARSON')).toBe(BASE.incidentOther)
  })

  test('the map expression lists every category with its colour, then the fallback', () => {
    const expr = categoryColorExpression() as unknown[]
    expect(expr.slice(0, 2)).toEqual(['match', ['get', 'category']])
    expect(expr.length).toBe(2 + INCIDENT_CATEGORIES.length * 2 + 1)
    expect(expr.at(-1)).toBe(BASE.incidentOther)
    expect(expr[expr.indexOf('ROBBERY') + 1]).toBe(OKABE_ITO.vermillion)
  })
})

describe('building colours by nearby incidents', () => {
  test('step through the classes at their lower bounds, from a neutral colour for none', async () => {
    const { INCIDENT_COUNT_CLASSES, incidentCountColorExpression, incidentClassMax } = await import('../../web/src/lib/palette')
    expect(INCIDENT_COUNT_CLASSES.map((c) => c.min)).toEqual([0, 1, 2, 5, 10])
    expect(incidentCountColorExpression()).toEqual([
      'step',
      ['coalesce', ['get', 'incidents'], 0],
      INCIDENT_COUNT_CLASSES[0].color,
      1,
      INCIDENT_COUNT_CLASSES[1].color,
      2,
      INCIDENT_COUNT_CLASSES[2].color,
      5,
      INCIDENT_COUNT_CLASSES[3].color,
      10,
      INCIDENT_COUNT_CLASSES[4].color,
    ])
    expect([0, 1, 2, 3, 4].map(incidentClassMax)).toEqual([0, 1, 4, 9, null])
  })
})

describe('analysis colours are never category or team colours (issue 14, item 8)', () => {
  test('every analysis colour is at least ΔE2000 15 from every category and team colour', async () => {
    const { analysisColors, categoryAndTeamColors } = await import('../../web/src/lib/palette')
    const { deltaE2000 } = await import('../../web/src/lib/color-difference')
    const taken = categoryAndTeamColors()
    expect(taken.length).toBeGreaterThanOrEqual(7)
    for (const a of analysisColors()) for (const c of taken) expect(deltaE2000(a, c), `${a} vs ${c}`).toBeGreaterThanOrEqual(15)
  })

  test('the old collisions are gone: coverage is not a team green, captains not a team blue, the gap not the robbery colour', async () => {
    const { ANALYSIS, TEAM_PALETTE, categoryColor } = await import('../../web/src/lib/palette')
    expect(TEAM_PALETTE).not.toContain(ANALYSIS.coverage.patrol)
    expect(TEAM_PALETTE).not.toContain(ANALYSIS.coverage.captain)
    expect(ANALYSIS.coverage.gap).not.toBe(categoryColor('ROBBERY'))
  })

  test('the coverage, gap and hot spot modules draw with the analysis palette (written once)', async () => {
    const { ANALYSIS, analysisColors } = await import('../../web/src/lib/palette')
    const { COVERAGE_COLORS } = await import('../../web/src/lib/coverage')
    const { GI_COLORS, DENSITY_RAMP, COUNT_RAMP, EMERGING_COLORS, NO_FILL } = await import('../../web/src/lib/hotspots')
    expect(COVERAGE_COLORS).toBe(ANALYSIS.coverage)
    const used = [...Object.values(GI_COLORS), ...DENSITY_RAMP, ...COUNT_RAMP, ...Object.values(EMERGING_COLORS)].filter((c) => c !== NO_FILL)
    for (const c of used) expect(analysisColors(), c).toContain(c)
  })

  test('coverage colours stay apart from every hot spot colour: both analyses can be on the map at once', async () => {
    const { ANALYSIS } = await import('../../web/src/lib/palette')
    const { deltaE2000 } = await import('../../web/src/lib/color-difference')
    const { patrol, captain, gap } = ANALYSIS.coverage
    const hot = [...Object.values(ANALYSIS.gi), ...Object.values(ANALYSIS.emerging), ...ANALYSIS.density, ...ANALYSIS.count]
    for (const c of [patrol, captain, gap]) for (const h of hot) expect(deltaE2000(c, h), `${c} vs ${h}`).toBeGreaterThanOrEqual(12)
  })

  test('the coverage legend colours stay apart with protan, deutan and tritan vision', async () => {
    const { ANALYSIS, QUIET } = await import('../../web/src/lib/palette')
    const { deltaE2000, simulateCvd } = await import('../../web/src/lib/color-difference')
    const sets = [
      [ANALYSIS.coverage.patrol, ANALYSIS.coverage.gap, ANALYSIS.coverage.priority, QUIET.building],
      [ANALYSIS.coverage.captain, ANALYSIS.coverage.gap, QUIET.building],
    ]
    for (const set of sets)
      for (const kind of ['protan', 'deutan', 'tritan'] as const)
        for (const [i, a] of set.entries()) for (const b of set.slice(i + 1)) expect(deltaE2000(simulateCvd(a, kind), simulateCvd(b, kind)), `${kind}: ${a} vs ${b}`).toBeGreaterThan(10)
  })

  test('a planner’s draft is drawn in a colour of its own: apart from every category, team and analysis colour', async () => {
    const { PLAN, analysisColors, categoryAndTeamColors } = await import('../../web/src/lib/palette')
    const { deltaE2000 } = await import('../../web/src/lib/color-difference')
    for (const c of categoryAndTeamColors()) expect(deltaE2000(PLAN.draft, c), c).toBeGreaterThanOrEqual(15)
    for (const c of analysisColors()) expect(deltaE2000(PLAN.draft, c), c).toBeGreaterThanOrEqual(12)
  })

  test('dispute statuses: apart from every category and team colour, and from one another', async () => {
    const { DISPUTE_STATUS_COLORS, categoryAndTeamColors } = await import('../../web/src/lib/palette')
    const { deltaE2000 } = await import('../../web/src/lib/color-difference')
    const statuses = Object.values(DISPUTE_STATUS_COLORS)
    for (const s of statuses) for (const c of categoryAndTeamColors()) expect(deltaE2000(s, c), `${s} vs ${c}`).toBeGreaterThanOrEqual(15)
    for (const [i, a] of statuses.entries()) for (const b of statuses.slice(i + 1)) expect(deltaE2000(a, b), `${a} vs ${b}`).toBeGreaterThanOrEqual(15)
  })

  test('ΔE2000 agrees with the published test pairs (Sharma, Wu & Dalal 2005)', async () => {
    const { deltaE2000 } = await import('../../web/src/lib/color-difference')
    expect(deltaE2000('#000000', '#000000')).toBe(0)
    expect(deltaE2000('#ffffff', '#000000')).toBeCloseTo(100, 0)
    // symmetric, and a small step is small
    expect(deltaE2000('#0072B2', '#2166ac')).toBeCloseTo(deltaE2000('#2166ac', '#0072B2'), 10)
    expect(deltaE2000('#808080', '#818181')).toBeLessThan(1)
  })
})
