import { describe, expect, test } from 'vitest'
import { en } from '../../web/src/i18n/en'
import { groupSwatch, legendEntries, LEGEND_GROUPS, SAMPLE_GROUPS } from '../../web/src/lib/legend'
import { BASE, INCIDENT_CATEGORIES, type TeamColor } from '../../web/src/lib/palette'
import { LAYER_GROUPS } from '../../web/src/map/layers'

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

  test('incidents list every category plus "other"', () => {
    expect(legendEntries('incidents', []).length).toBe(INCIDENT_CATEGORIES.length + 1)
  })

  test('zones, routes and captains are marked as samples; public data is not', () => {
    expect([...SAMPLE_GROUPS].sort()).toEqual(['captains', 'routes', 'zones'])
  })

  test('the legend groups are exactly the map’s layer groups', () => {
    expect([...LEGEND_GROUPS].sort()).toEqual(Object.keys(LAYER_GROUPS).sort())
  })
})
