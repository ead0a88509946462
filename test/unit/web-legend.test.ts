import { describe, expect, test } from 'vitest'
import { en } from '../../web/src/i18n/en'
import { groupSwatch, legendEntries, LEGEND_GROUPS, SAMPLE_GROUPS } from '../../web/src/lib/legend'
import { BASE, INCIDENT_CATEGORIES, INCIDENT_COUNT_CLASSES, QUIET, type TeamColor } from '../../web/src/lib/palette'
import { SHIFT_DASH } from '../../web/src/lib/shifts'
import { buildingFillColor, LAYER_GROUPS, quietFactor } from '../../web/src/map/layers'

function createTeams(): TeamColor[] {
  return [
    { id: 1, name: '巡防一队', color: '#009E73' },
    { id: 2, name: 'Night watch', color: '#0072B2' },
  ]
}

describe('legend', () => {
  test('every layer group has legend rows whose message keys exist', () => {
    for (const group of LEGEND_GROUPS) {
      const entries = legendEntries(group, createTeams())
      expect(entries.length, group).toBeGreaterThan(0)
      for (const e of entries) if ('key' in e.label) expect(Object.keys(en), group).toContain(e.label.key)
    }
  })

  test('zones list each team in its colour, then the zones nobody patrols', () => {
    const rows = legendEntries('zones', createTeams())
    expect(rows.map((r) => ('text' in r.label ? r.label.text : r.label.key))).toEqual([
      '巡防一队',
      'Night watch',
      'legend.zones.unassigned',
    ])
    expect(rows.map((r) => r.swatch.color)).toEqual(['#009E73', '#0072B2', BASE.zoneUnassigned])
  })

  test('routes without known teams have no rows and a grey group swatch', () => {
    expect(legendEntries('routes', [])).toEqual([])
    expect(groupSwatch('routes', [])).toEqual({ kind: 'fill', color: BASE.zoneUnassigned })
  })

  test('incidents list every category plus "other" and the cluster symbol', () => {
    const rows = legendEntries('incidents', [])
    expect(rows.length).toBe(INCIDENT_CATEGORIES.length + 2)
    expect(rows.at(-1)).toMatchObject({ label: { key: 'legend.incidents.cluster' }, swatch: { kind: 'cluster' } })
  })

  test('the incident legend follows the category filter', () => {
    const rows = legendEntries('incidents', { teams: [], categories: ['ROBBERY'] })
    expect(rows.map((r) => ('key' in r.label ? r.label.key : r.label.text))).toEqual(['category.ROBBERY', 'legend.incidents.cluster'])
    const other = legendEntries('incidents', { teams: [], categories: ['ARSON'] })
    expect(other.map((r) => ('key' in r.label ? r.label.key : ''))).toEqual(['legend.incidents.other', 'legend.incidents.cluster'])
  })

  test('buildings show captain status, or the incident count classes with the palette’s colours', () => {
    const byCaptain = legendEntries('buildings', { teams: [], buildings: 'captain' })
    expect(byCaptain.map((r) => r.swatch.kind)).toEqual(['fill', 'hatch'])
    expect(byCaptain[1]!.swatch).toMatchObject({ color: BASE.buildingUncaptained, hatch: BASE.buildingUncaptainedHatch })
    const byIncidents = legendEntries('buildings', { teams: [], buildings: 'incidents' })
    expect(byIncidents.map((r) => r.swatch.color)).toEqual(INCIDENT_COUNT_CLASSES.map((c) => c.color))
    expect(byIncidents.map((r) => r.label)).toEqual([
      { key: 'legend.buildings.incidents.none' },
      { key: 'legend.buildings.incidents.exactly', params: { n: 1 } },
      { key: 'legend.buildings.incidents.range', params: { min: 2, max: 4 } },
      { key: 'legend.buildings.incidents.range', params: { min: 5, max: 9 } },
      { key: 'legend.buildings.incidents.atLeast', params: { min: 10 } },
    ])
  })

  test('routes list the teams, then the dash of each part of the day', () => {
    const rows = legendEntries('routes', createTeams())
    expect(rows.map((r) => ('key' in r.label ? r.label.key : r.label.text))).toEqual(['巡防一队', 'Night watch', 'legend.routes.day', 'legend.routes.evening', 'legend.routes.night'])
    expect(rows.slice(2).map((r) => r.swatch.dash)).toEqual([SHIFT_DASH.day, SHIFT_DASH.evening, SHIFT_DASH.night])
  })

  test('zones, routes and captains are marked as samples; public data is not', () => {
    expect([...SAMPLE_GROUPS].sort()).toEqual(['captains', 'routes', 'zones'])
  })

  test('the legend groups are exactly the map’s layer groups', () => {
    expect([...LEGEND_GROUPS].sort()).toEqual(Object.keys(LAYER_GROUPS).sort())
  })

  test('in the quiet map of the coverage view the legend shows plain buildings and outlined zones, as drawn', () => {
    for (const buildings of ['captain', 'incidents'] as const) {
      const rows = legendEntries('buildings', { teams: [], buildings, quiet: true })
      expect(rows).toEqual([{ label: { key: 'legend.buildings.plain' }, swatch: { kind: 'fill', color: QUIET.building, stroke: BASE.buildingOutline } }])
      expect(buildingFillColor(buildings, true)).toBe(QUIET.building)
    }
    const zones = legendEntries('zones', { teams: createTeams(), quiet: true })
    expect(zones.map((r) => [r.swatch.color, r.swatch.stroke])).toEqual([
      ['none', '#009E73'],
      ['none', '#0072B2'],
      ['none', BASE.zoneUnassigned],
    ])
    expect(quietFactor('zones-fill', 'captain')).toBe(0)
    expect(quietFactor('zones-outline', 'captain')).toBe(1)
  })

  test('the quiet map fades incidents for both networks, and captains only for patrol coverage', () => {
    for (const id of LAYER_GROUPS.incidents) {
      expect(quietFactor(id, 'patrol')).toBe(QUIET.incidentOpacity)
      expect(quietFactor(id, 'captain')).toBe(QUIET.incidentOpacity)
      expect(quietFactor(id, null)).toBe(1)
    }
    expect(quietFactor('captains-circle', 'patrol')).toBe(QUIET.captainOpacity)
    expect(quietFactor('captains-circle', 'captain')).toBe(1)
    expect(quietFactor('routes-line', 'patrol')).toBe(1)
  })
})
