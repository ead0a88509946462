import { describe, expect, test } from 'vitest'
import { NO_FILTER } from '../../web/src/lib/filters'
import {
  DEFAULT_ANALYSIS_STATE,
  DEFAULT_COVERAGE_STATE,
  DEFAULT_MEETING_STATE,
  defaultLayers,
  formatUrlState,
  parseUrlState,
  type UrlState,
} from '../../web/src/lib/url-state'

function createState(): UrlState {
  return {
    community: null,
    view: null,
    ...defaultLayers(),
    buildings: 'captain',
    filter: NO_FILTER,
    selection: null,
    analysis: { ...DEFAULT_ANALYSIS_STATE },
    coverage: { ...DEFAULT_COVERAGE_STATE },
    plan: false,
    people: false,
    import: false,
    meeting: { ...DEFAULT_MEETING_STATE },
  }
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
      analysis: { ...DEFAULT_ANALYSIS_STATE },
      coverage: { ...DEFAULT_COVERAGE_STATE },
      plan: false,
      people: false,
      import: false,
      meeting: { ...DEFAULT_MEETING_STATE },
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

  test('the planning panel opens from the link, beside the others', () => {
    const s = parseUrlState('panels=coverage,plan,people,import')
    expect(s.plan).toBe(true)
    expect(s.people).toBe(true)
    expect(s.import).toBe(true)
    expect(s.coverage.open).toBe(true)
    expect(formatUrlState(s)).toBe('panels=coverage,plan,people,import')
  })

  test('the meeting view opens from the link with its period, comparison and filed briefing', () => {
    const s = parseUrlState('meeting=2018-12-01..2018-12-31&mcompare=year&briefing=4')
    expect(s.meeting).toEqual({ open: true, from: '2018-12-01', to: '2018-12-31', compare: 'year', briefing: 4 })
    expect(formatUrlState(s)).toBe('meeting=2018-12-01..2018-12-31&mcompare=year&briefing=4')
    // open with the default period (the latest month with data)
    expect(parseUrlState('meeting=open').meeting).toEqual({ ...DEFAULT_MEETING_STATE, open: true })
    expect(formatUrlState(parseUrlState('meeting=open'))).toBe('meeting=open')
    // a period backwards, a malformed date, a bad comparison or briefing: the defaults
    expect(parseUrlState('meeting=2018-12-31..2018-12-01&mcompare=decade&briefing=-2').meeting).toEqual({ ...DEFAULT_MEETING_STATE, open: true })
    expect(parseUrlState('meeting=2018-1-1..2018-12-01').meeting.from).toBeNull()
    // closed: none of its parameters are written
    expect(formatUrlState({ ...s, meeting: { ...s.meeting, open: false } })).toBe('')
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

  test('the open panels and their settings round-trip, under the API’s parameter names', () => {
    const s = createState()
    s.analysis = { open: true, method: 'kde', cell: 150, shape: 'hex', fdr: true, band: 300, bandwidth: 250, slice: 'week' }
    s.coverage = { open: true, network: 'captain', maxBuildings: 10, basis: 'logged' }
    const text = formatUrlState(s)
    expect(text).toBe('panels=analysis,coverage&method=kde&cell=150&shape=hex&fdr=true&band=300&bandwidth=250&slice=week&network=captain&maxBuildings=10&basis=logged')
    expect(parseUrlState(text)).toEqual(s)
  })

  test('a panel can be open with its defaults, and settings are kept while it is closed', () => {
    const open = createState()
    open.coverage.open = true
    expect(formatUrlState(open)).toBe('panels=coverage')
    expect(parseUrlState('panels=coverage')).toEqual(open)

    const closed = createState()
    closed.analysis.method = 'emerging'
    closed.analysis.slice = 'week'
    expect(formatUrlState(closed)).toBe('method=emerging&slice=week')
    expect(parseUrlState('method=emerging&slice=week')).toEqual(closed)
  })

  test('default panel settings write nothing, even when the value is spelled out', () => {
    const s = parseUrlState('method=gistar&cell=100&shape=square&fdr=false&slice=month&network=patrol&maxBuildings=15')
    expect(s).toEqual(createState())
    expect(formatUrlState(s)).toBe('')
  })

  test('malformed panel settings read as the defaults', () => {
    const s = parseUrlState(
      'panels=analysis,nope&method=magic&cell=123&shape=circle&fdr=yes&band=5&bandwidth=abc&slice=year&network=police&maxBuildings=2.5',
    )
    expect(s.analysis).toEqual({ ...DEFAULT_ANALYSIS_STATE, open: true })
    expect(s.coverage).toEqual(DEFAULT_COVERAGE_STATE)
    // out of the server's limits
    expect(parseUrlState('band=20000&bandwidth=0&maxBuildings=0&cell=5000').analysis).toMatchObject({ band: null, bandwidth: null, cell: 100 })
    expect(parseUrlState('maxBuildings=1001').coverage.maxBuildings).toBe(15)
    expect(parseUrlState('maxBuildings=1000').coverage.maxBuildings).toBe(1000)
    expect(parseUrlState('band=&bandwidth=%20').analysis).toMatchObject({ band: null, bandwidth: null })
  })
})
