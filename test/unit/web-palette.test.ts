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
  test('the four categories of the demo data have distinct colours', () => {
    const colors = ['ROBBERY', 'VANDALISM', 'DRUG/NARCOTIC', 'VEHICLE THEFT'].map(categoryColor)
    expect(new Set(colors).size).toBe(4)
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
