import { describe, expect, test } from 'vitest'
import { NO_FILTER } from '../../web/src/lib/filters'
import { defaultLayers, formatUrlState, parseUrlState, type UrlState } from '../../web/src/lib/url-state'

function createState(): UrlState {
  return { community: null, view: null, ...defaultLayers(), buildings: 'captain', filter: NO_FILTER, selection: null }
}

describe('the map’s state in the URL', () => {
  test('the defaults write nothing and read back as defaults', () => {
    expect(formatUrlState(createState())).toBe('')
    expect(parseUrlState('')).toEqual(createState())
  })

  test('a full state round-trips and stays readable', () => {
    const s: UrlState = {
      community: 'sf-mission',
      view: { zoom: 15.25, lat: 37.7685, lon: -122.4165 },
      ...defaultLayers(),
      buildings: 'incidents',
      filter: { from: '2012-07-01', to: '2012-09-30', categories: ['ROBBERY', 'VEHICLE THEFT'], hours: { start: 1320, end: 120 }, weekdays: [6, 7] },
      selection: { kind: 'zone', id: 7 },
    }
    s.visible.routes = false
    s.visible.captains = false
    s.opacity.zones = 0.4
    const text = formatUrlState(s)
    expect(text).toBe(
      'community=sf-mission&map=15.25/37.76850/-122.41650&layers=streets,buildings,zones,incidents&opacity=zones:40' +
        '&buildings=incidents&from=2012-07-01&to=2012-09-30&categories=ROBBERY,VEHICLE+THEFT&hours=22-02&weekdays=6,7&sel=zone:7',
    )
    expect(parseUrlState(`?${text}`)).toEqual(s)
  })

  test('an empty layers list hides every layer', () => {
    const s = parseUrlState('layers=')
    expect(Object.values(s.visible).every((v) => v === false)).toBe(true)
  })

  test('what is malformed falls back to the default', () => {
    const s = parseUrlState('community=Bad_Id&map=99/1/2&opacity=zones:abc,foo:50,routes:150&buildings=pink&sel=cluster:3&layers=nope,zones')
    expect(s.community).toBeNull()
    expect(s.view).toBeNull()
    expect(s.opacity.zones).toBe(1)
    expect(s.opacity.routes).toBe(1) // clamped to 100 %
    expect(s.buildings).toBe('captain')
    expect(s.selection).toBeNull()
    expect(Object.entries(s.visible).filter(([, v]) => v).map(([g]) => g)).toEqual(['zones'])
  })
})
