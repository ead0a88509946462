/**
 * The planner's map in a real browser: the built web app (web/dist) served by the real server on
 * the seeded Mission District demo database, Chromium drawing WebGL with SwiftShader (browser.ts).
 * The UI does not depend on the database mode; one seeded demo database is enough.
 */
import path from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import {
  apiJson,
  canvasPixels,
  controlBoxes,
  HAS_BROWSER,
  openPage,
  overlaps,
  READY_TIMEOUT,
  SCREENSHOTS,
  useBrowserEnv,
  waitForIdle,
  type OpenOptions,
} from './browser'
import { INCIDENT_CATEGORIES } from '../../web/src/lib/palette'
import { countMatching } from '../support/demo-incidents'

const env = useBrowserEnv()

/** Opens the app with the given browser locale and waits for the map. */
function openMap(locale: string, prepareOrOptions?: ((page: Page) => Promise<void>) | OpenOptions) {
  return openPage(env, locale, typeof prepareOrOptions === 'function' ? { prepare: prepareOrOptions } : prepareOrOptions)
}

/** GETs JSON from the test server (what the API itself says, to compare the UI with). */
const api = <T>(pathAndQuery: string) => apiJson<T>(env, pathAndQuery)

/** The filter bar's count once it shows the answer for the page's current filter. */
async function shownCount(page: Page): Promise<{ total: number; timeUnknown: number; text: string }> {
  const el = page.getByTestId('filter-count')
  await expect.poll(() => el.getAttribute('data-total')).not.toBe('')
  return {
    total: Number(await el.getAttribute('data-total')),
    timeUnknown: Number(await el.getAttribute('data-time-unknown')),
    text: (await el.textContent()) ?? '',
  }
}

/** Waits for the next `moveend` of the map while `act` runs (a fly-to, a zoom). */
async function afterMove(page: Page, act: () => Promise<void>): Promise<void> {
  const moved = page.evaluate(() => new Promise<void>((resolve) => window.__safegrid!.map.once('moveend', () => resolve())))
  await act()
  await moved
  await waitForIdle(page)
}

/** Distinct ids of the incidents drawn (points), and the sum of the counts of drawn clusters. */
function renderedIncidents(page: Page): Promise<{ points: number; clustered: number }> {
  return page.evaluate(() => {
    const map = window.__safegrid!.map
    const points = new Set(map.queryRenderedFeatures({ layers: ['incidents-circle'] }).map((f) => f.id))
    // a cluster has no id; it belongs to one tile only (no buffer), so position and count identify it
    const seen = new Set<string>()
    let clustered = 0
    for (const f of map.queryRenderedFeatures({ layers: ['incidents-cluster'] })) {
      const key = JSON.stringify([(f.geometry as { coordinates: number[] }).coordinates, f.properties.count])
      if (seen.has(key)) continue
      seen.add(key)
      clustered += Number(f.properties.count)
    }
    return { points: points.size, clustered }
  })
}

/** How many features of each style layer are drawn in the current view. */
function renderedCounts(page: Page, layers: string[]): Promise<Record<string, number>> {
  return page.evaluate((ids) => {
    const map = window.__safegrid!.map
    return Object.fromEntries(ids.map((id) => [id, map.queryRenderedFeatures({ layers: [id] }).length]))
  }, layers)
}

/** A property of every rendered feature of one layer. */
function renderedValues(page: Page, layer: string, property: string): Promise<unknown[]> {
  return page.evaluate(
    ([id, prop]) => window.__safegrid!.map.queryRenderedFeatures({ layers: [id!] }).map((f) => f.properties[prop!]),
    [layer, property],
  )
}

describe.skipIf(!HAS_BROWSER)('the planner’s map', () => {
  test('shows buildings, streets with their names, grid zones, patrol routes, captains and incidents of the demo community', async () => {
    const { context, page, pageErrors } = await openMap('zh-CN')
    try {
      const counts = await renderedCounts(page, [
        'buildings-fill',
        'streets-line',
        'streets-path',
        'streets-label',
        'zones-fill',
        'zones-label',
        'routes-line',
        'captains-circle',
        'incidents-circle',
      ])
      for (const [layer, n] of Object.entries(counts)) expect(n, `rendered features of ${layer}`).toBeGreaterThan(0)

      // Street labels are placed, so their (Latin) glyphs were drawn without a glyph server.
      const names = (await renderedValues(page, 'streets-label', 'name')).filter((n): n is string => typeof n === 'string')
      expect(names.some((n) => /^[A-Za-z0-9 .'-]+$/.test(n) && /\b(Street|Avenue|St)\b/.test(n))).toBe(true)
      // Zone labels name the patrol team: the UI is Chinese, so label text mixes code and CJK.
      const codes = await renderedValues(page, 'zones-label', 'code')
      expect(codes.every((c) => typeof c === 'string' && c !== '')).toBe(true)

      // The style carries no glyph URL: labels are drawn locally.
      expect(await page.evaluate(() => window.__safegrid!.map.getStyle().glyphs)).toBeUndefined()
      await expect.poll(() => page.locator('.problem').count()).toBe(0)
      expect(pageErrors).toEqual([])
      await page.screenshot({ path: path.join(SCREENSHOTS, 'map-zh.png') })
    } finally {
      await context.close()
    }
  }, 120_000)

  test('draws a canvas that is not blank, with buildings covering a real share of it', async () => {
    const { context, page } = await openMap('zh-CN')
    try {
      const everything = await canvasPixels(page, [])
      expect(everything.pixels).toBeGreaterThan(500_000)
      expect(everything.distinctColors).toBeGreaterThan(500)
      expect(everything.topColorShare).toBeLessThan(0.5)

      // Zones tint the buildings under them; with zones hidden, buildings show their own colours.
      await page.getByTestId('toggle-zones').uncheck()
      await waitForIdle(page)
      const colors = await page.evaluate(() => {
        const fill = window.__safegrid!.map.getPaintProperty('buildings-fill', 'fill-color') as unknown[]
        return [fill[2], fill[3]] as string[] // ['case', captained?, captained colour, other colour]
      })
      expect(colors.every((c) => /^#[0-9a-f]{6}$/i.test(c))).toBe(true)
      const buildings = await canvasPixels(page, colors)
      expect(buildings.matchingShare).toBeGreaterThan(0.08)
    } finally {
      await context.close()
    }
  }, 120_000)

  test('switching the language to English changes the header and is remembered', async () => {
    const { context, page } = await openMap('zh-CN')
    try {
      await expect.poll(() => page.getByTestId('app-name').textContent()).toBe('平安网格')
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN')
      expect(await page.locator('.panel h2').textContent()).toBe('图层')
      await expect.poll(() => page.locator('.sample-badge').textContent()).toBe('示例数据')

      await page.click('button[data-lang=en]')
      await expect.poll(() => page.getByTestId('app-name').textContent()).toBe('safegrid')
      expect(await page.getAttribute('html', 'lang')).toBe('en')
      expect(await page.locator('.panel h2').textContent()).toBe('Layers')
      await expect.poll(() => page.locator('.sample-badge').textContent()).toBe('sample data')
      await expect.poll(() => page.locator('.maplibregl-ctrl-attrib').textContent()).toContain('Streets: © OpenStreetMap contributors (ODbL)')
      await waitForIdle(page)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'map-en.png') })

      await page.reload()
      await page.waitForSelector('body[data-map-ready=true]', { timeout: READY_TIMEOUT })
      await expect.poll(() => page.getByTestId('app-name').textContent()).toBe('safegrid')
    } finally {
      await context.close()
    }
  }, 180_000)

  test('names of zones, teams and grid workers follow the language switch: legend, map labels, details and search', async () => {
    const { context, page } = await openMap('zh-CN')
    try {
      const legendTeams = () => page.getByTestId('legend-zones').innerText()
      // each name arrives with a request (layers, details, search in the new language): wait as long as a loaded machine needs
      const slow = { timeout: READY_TIMEOUT }
      await expect.poll(legendTeams, slow).toContain('米慎警区徒步巡逻组')
      // the zone labels on the map name the team in the UI language
      const labelTeams = async () => (await renderedValues(page, 'zones-label', 'teamName')).filter((n): n is string => typeof n === 'string')
      await expect.poll(labelTeams, slow).toContain('米慎警区徒步巡逻组')
      // a grid worker found by search: the zone, and whose it is, in Chinese
      await page.getByTestId('search-input').fill('陈强')
      await expect.poll(() => page.getByTestId('search-results').innerText(), slow).toContain('第十三街至第十六街 · 瓦伦西亚街至南云尼斯大道 · 陈强')
      await page.getByTestId('search-input').press('Enter')
      await expect.poll(() => page.getByTestId('details-grid-worker').textContent(), slow).toBe('陈强')

      await page.click('button[data-lang=en]')
      await expect.poll(legendTeams, slow).toContain('Mission Police Foot Beat')
      expect(await legendTeams()).not.toMatch(/[\u4e00-\u9fff]/)
      await waitForIdle(page)
      await expect.poll(labelTeams, slow).toContain('Mission Police Foot Beat')
      // the open details follow too
      await expect.poll(() => page.getByTestId('details-grid-worker').textContent(), slow).toBe('Chen Qiang')
      // search by the Chinese name still finds the team, shown in English
      await page.getByTestId('search-input').fill('义务巡防')
      await expect.poll(() => page.getByTestId('search-results').innerText(), slow).toContain('Mission Volunteer Patrol')
      await page.screenshot({ path: path.join(SCREENSHOTS, 'names-en.png') })
    } finally {
      await context.close()
    }
  }, 180_000)

  test('an English browser gets the English UI', async () => {
    const { context, page } = await openMap('en-US')
    try {
      await expect.poll(() => page.getByTestId('app-name').textContent()).toBe('safegrid')
      expect(await page.getAttribute('button[data-lang=en]', 'aria-pressed')).toBe('true')
    } finally {
      await context.close()
    }
  }, 120_000)

  test('unticking a layer in the layer list hides it on the map', async () => {
    const { context, page } = await openMap('en-US')
    try {
      expect((await renderedCounts(page, ['buildings-fill']))['buildings-fill']).toBeGreaterThan(0)
      await page.getByTestId('toggle-buildings').uncheck()
      await waitForIdle(page)
      expect(await renderedCounts(page, ['buildings-fill', 'buildings-outline'])).toEqual({ 'buildings-fill': 0, 'buildings-outline': 0 })
      expect((await renderedCounts(page, ['incidents-circle']))['incidents-circle']).toBeGreaterThan(0)
    } finally {
      await context.close()
    }
  }, 120_000)

  test('a layer the server fails to deliver is reported in the user’s language, and the rest of the map still shows', async () => {
    const { context, page } = await openMap('zh-CN', async (p) => {
      await p.route('**/api/communities/*/layers/routes*', (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'database_unavailable', message: 'database is starting' } }),
        }),
      )
    })
    try {
      const problem = page.locator('.problem')
      await expect.poll(() => problem.count()).toBe(1)
      await expect.poll(() => problem.textContent()).toContain('无法加载图层“巡逻路线”。')
      await expect.poll(() => problem.textContent()).toContain('数据库暂时不可用。')
      await expect.poll(() => problem.textContent()).toContain('database is starting')
      expect((await renderedCounts(page, ['buildings-fill']))['buildings-fill']).toBeGreaterThan(0)
    } finally {
      await context.close()
    }
  }, 120_000)
})

describe.skipIf(!HAS_BROWSER)('working with the planner’s map', () => {
  test('unticking each layer removes exactly its features from the map, and its legend', async () => {
    const { context, page } = await openMap('en-US')
    try {
      const groups: Record<string, string[]> = {
        incidents: ['incidents-circle'],
        captains: ['captains-circle'],
        routes: ['routes-line'],
        zones: ['zones-fill', 'zones-label'],
        streets: ['streets-line', 'streets-label'],
        buildings: ['buildings-fill', 'buildings-hatch'],
      }
      const all = Object.values(groups).flat()
      const before = await renderedCounts(page, all)
      for (const layer of all) expect(before[layer], layer).toBeGreaterThan(0)
      for (const [group, layers] of Object.entries(groups)) {
        await expect.poll(() => page.getByTestId(`legend-${group}`).count()).toBe(1)
        await page.getByTestId(`toggle-${group}`).uncheck()
        await waitForIdle(page)
        const after = await renderedCounts(page, all)
        for (const layer of all) {
          if (layers.includes(layer)) expect(after[layer], `${layer} hidden with ${group}`).toBe(0)
          else expect(after[layer], `${layer} still shown without ${group}`).toBeGreaterThan(0)
        }
        expect(await page.getByTestId(`legend-${group}`).count()).toBe(0)
        await page.getByTestId(`toggle-${group}`).check()
        await waitForIdle(page)
        expect((await renderedCounts(page, layers))[layers[0]!]).toBeGreaterThan(0)
      }
      // The choice is in the link.
      await page.getByTestId('toggle-routes').uncheck()
      await expect.poll(() => new URL(page.url()).searchParams.get('layers')).toBe('streets,buildings,zones,captains,incidents')
    } finally {
      await context.close()
    }
  }, 180_000)

  test('hiding incidents takes their colours off the canvas', async () => {
    // Zones and routes share colours with incident categories: leave them out.
    const { context, page } = await openMap('en-US', { path: '/?layers=streets,buildings,captains,incidents' })
    try {
      const colors = INCIDENT_CATEGORIES.map((c) => c.color)
      // The layer list (over the canvas) has swatches and controls in those colours too.
      await page.getByTestId('layers-close').click()
      await waitForIdle(page)
      const shown = await canvasPixels(page, colors)
      await page.getByTestId('layers-open').click()
      await page.getByTestId('toggle-incidents').uncheck()
      await page.getByTestId('layers-close').click()
      await waitForIdle(page)
      const hidden = await canvasPixels(page, colors)
      expect(shown.matchingShare).toBeGreaterThan(0.001)
      expect(hidden.matchingShare).toBeLessThan(shown.matchingShare / 20)
    } finally {
      await context.close()
    }
  }, 120_000)

  test('clicking a known building opens its details with its address, captain and zone', async () => {
    const found = await api<{ results: { id: number; label: string; bbox: number[]; center: number[] }[] }>(
      `/api/communities/sf-mission/search?q=${encodeURIComponent('114 Valencia St')}`,
    )
    const building = found.results[0]!
    expect(building.label).toBe('114 Valencia St, San Francisco, CA 94103')
    const [lon, lat] = building.center as [number, number]
    const { context, page, pageErrors } = await openMap('en-US', { path: `/?map=18/${lat}/${lon}` })
    try {
      // A whole pixel well inside the building (its neighbours too), nearest its point on surface,
      // with nothing clickable drawn over it (captains, incidents, routes).
      const point = await page.evaluate(
        ({ id, bbox, center }) => {
          const map = window.__safegrid!.map
          const [w, s, e, n] = bbox as [number, number, number, number]
          const a = map.project([w, n])
          const b = map.project([e, s])
          const c = map.project(center as [number, number])
          const inside = (x: number, y: number) => {
            const on = map.queryRenderedFeatures([x, y], { layers: ['buildings-fill'] })
            return on.length === 1 && on[0]!.id === id
          }
          const candidates: { x: number; y: number; d: number }[] = []
          for (let y = Math.ceil(a.y); y <= Math.floor(b.y); y++)
            for (let x = Math.ceil(a.x); x <= Math.floor(b.x); x++) candidates.push({ x, y, d: Math.hypot(x - c.x, y - c.y) })
          candidates.sort((p, q) => p.d - q.d)
          for (const { x, y } of candidates) {
            if (![[0, 0], [-2, 0], [2, 0], [0, -2], [0, 2]].every(([dx, dy]) => inside(x + dx!, y + dy!))) continue
            const over = map.queryRenderedFeatures(
              [
                [x - 8, y - 8],
                [x + 8, y + 8],
              ],
              { layers: ['incidents-circle', 'incidents-cluster', 'captains-circle', 'routes-line'] },
            )
            if (over.length === 0) return { x, y }
          }
          return null
        },
        { id: building.id, bbox: building.bbox, center: building.center },
      )
      expect(point).not.toBeNull()
      const canvasBox = (await page.locator('canvas.maplibregl-canvas').boundingBox())!
      await page.mouse.click(canvasBox.x + point!.x, canvasBox.y + point!.y)
      const details = page.getByTestId('details')
      await expect.poll(() => details.getAttribute('data-kind')).toBe('building')
      expect(await page.getByTestId('details-title').textContent()).toBe('114 Valencia St, San Francisco, CA 94103')
      // The same facts as the buildings layer gives.
      const fc = await api<{ features: { properties: { id: number; households: number; captainName: string | null; incidents: number } }[] }>(
        `/api/communities/sf-mission/layers/buildings?bbox=${building.bbox.join(',')}&lang=en`,
      )
      const props = fc.features.find((f) => f.properties.id === building.id)!.properties
      expect(await page.getByTestId('details-households').textContent()).toBe(String(props.households))
      await expect.poll(() => page.getByTestId('details-incidents').textContent()).toBe(String(props.incidents))
      expect(await page.getByTestId('details-captain').textContent()).toBe(props.captainName ?? 'No building captain')
      expect(await page.getByTestId('details-zone-link').textContent()).toContain('G02')
      // Selected on the map too, and named in the link.
      expect(await page.evaluate((id) => window.__safegrid!.map.getFeatureState({ source: 'buildings', sourceLayer: 'buildings', id }).selected, building.id)).toBe(true)
      await expect.poll(() => new URL(page.url()).searchParams.get('sel')).toBe(`building:${building.id}`)
      await waitForIdle(page)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'details-building-en.png') })

      // Following the zone link shows the zone's figures.
      await page.getByTestId('details-zone-link').click()
      await expect.poll(() => details.getAttribute('data-kind')).toBe('zone')
      expect(await page.getByTestId('details-title').textContent()).toMatch(/^G02 · /)
      await page.getByTestId('details-close').click()
      expect(await details.count()).toBe(0)
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 120_000)

  test('searching a zone code flies to the zone, selects it and shows its grid worker and counts', async () => {
    const { context, page } = await openMap('zh-CN')
    try {
      const zoneBefore = await page.evaluate(() => window.__safegrid!.map.getZoom())
      await page.getByTestId('search-input').fill('G07')
      const first = page.getByTestId('search-results').locator('li[role=option]').first()
      await expect.poll(() => first.getAttribute('data-kind')).toBe('zone')
      expect(await first.textContent()).toContain('G07')
      await afterMove(page, () => page.getByTestId('search-input').press('Enter'))

      const zones = await api<{ features: { id: number; properties: { code: string; gridWorker: string } }[] }>('/api/communities/sf-mission/layers/zones')
      const g07 = zones.features.find((f) => f.properties.code === 'G07')!
      const figures = await api<{ buildings: number; incidents: number; captainedBuildings: number }>(`/api/communities/sf-mission/zones/${g07.id}/figures`)
      const found = await api<{ results: { bbox: number[] }[] }>('/api/communities/sf-mission/search?q=G07')
      const [w, s, e, n] = found.results[0]!.bbox as [number, number, number, number]
      const view = await page.evaluate(() => {
        const m = window.__safegrid!.map
        const c = m.getCenter()
        return { lon: c.lng, lat: c.lat, zoom: m.getZoom(), selected: m.getFeatureState({ source: 'zones', id: 7 }).selected as boolean }
      })
      expect(view.lon).toBeGreaterThan(w)
      expect(view.lon).toBeLessThan(e)
      expect(view.lat).toBeGreaterThan(s)
      expect(view.lat).toBeLessThan(n)
      expect(view.zoom).toBeGreaterThan(zoneBefore)
      expect(view.selected).toBe(true)
      // The zone's label is drawn in the new view.
      expect(await renderedValues(page, 'zones-label', 'code')).toContain('G07')
      // Its details, in Chinese.
      await expect.poll(() => page.getByTestId('details').getAttribute('data-kind')).toBe('zone')
      expect(await page.getByTestId('details-grid-worker').textContent()).toBe(g07.properties.gridWorker)
      await expect.poll(() => page.getByTestId('details-buildings').textContent()).toBe(String(figures.buildings))
      expect(await page.getByTestId('details-incidents').textContent()).toBe(String(figures.incidents))
      expect(await page.getByTestId('details-uncaptained').textContent()).toBe(String(figures.buildings - figures.captainedBuildings))
      await expect.poll(() => new URL(page.url()).searchParams.get('sel')).toBe('zone:7')
      await page.screenshot({ path: path.join(SCREENSHOTS, 'search-zone-zh.png') })
    } finally {
      await context.close()
    }
  }, 120_000)

  test('a link with filters reproduces the same incident count in the bar, the API and on the map', async () => {
    const query = 'categories=ROBBERY,VANDALISM&hours=20-04'
    const { context, page, pageErrors } = await openMap('zh-CN', { path: `/?${query}` })
    try {
      const summary = await api<{ total: number; timeUnknown: number; timeUnknownExcluded: boolean }>(`/api/communities/sf-mission/incidents/summary?${query}`)
      // the reference (test/support/demo-incidents.ts): 47 robberies and vandalism between 20:00 and 04:00, 442 without a time
      expect(summary).toMatchObject({ total: 47, timeUnknown: 442, timeUnknownExcluded: true })
      expect(summary.total).toBe(countMatching({ categories: ['ROBBERY', 'VANDALISM'], hours: [20 * 60, 4 * 60] }))
      const shown = await shownCount(page)
      expect(shown.total).toBe(summary.total)
      expect(shown.timeUnknown).toBe(summary.timeUnknown)
      expect(shown.text).toContain('47 起警情（共 1,565 起）')
      expect(shown.text).toContain('另有 442 起没有记录发生时刻，未计入该时刻段')
      // The map asks the server for the same filter and draws exactly those incidents.
      expect(await page.evaluate(() => (window.__safegrid!.map.getSource('incidents') as unknown as { tiles: string[] }).tiles[0])).toContain(
        'categories=ROBBERY%2CVANDALISM&hours=20-04',
      )
      expect(await renderedIncidents(page)).toEqual({ points: summary.total, clustered: 0 })
      expect(new Set(await renderedValues(page, 'incidents-circle', 'category'))).toEqual(new Set(['ROBBERY', 'VANDALISM']))
      // The bar shows the filter; the legend lists only the chosen categories.
      expect(await page.getByTestId('filter-categories').textContent()).toContain('抢劫、故意毁坏')
      expect(await page.getByTestId('filter-hours').textContent()).toContain('20:00–04:00')
      expect(await page.getByTestId('legend-incidents').textContent()).not.toContain('毒品')
      // Routes not on patrol in those hours are faded.
      const inService = await page.evaluate(() =>
        window.__safegrid!.map.querySourceFeatures('routes').map((f) => [f.properties.shiftClass, f.properties.inService] as [string, boolean]),
      )
      expect(inService.filter(([c]) => c === 'day').every(([, on]) => !on)).toBe(true)
      expect(inService.filter(([c]) => c === 'night').every(([, on]) => on)).toBe(true)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'filters-zh.png') })

      // Zoomed out, clusters add up to the same number.
      await afterMove(page, () =>
        page.evaluate(() => {
          window.__safegrid!.map.jumpTo({ zoom: 12.4 })
        }),
      )
      const low = await renderedIncidents(page)
      expect(low.clustered).toBeGreaterThan(0)
      expect(low.points + low.clustered).toBe(summary.total)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'clusters-zh.png') })
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 120_000)

  test('changing the filters updates the count, the map and the link, and presets count back from the latest incident', async () => {
    const { context, page } = await openMap('en-US')
    try {
      const all = await shownCount(page)
      expect(all).toMatchObject({ total: countMatching(), timeUnknown: 839 })
      expect(all.text).toContain('1,565 incidents')
      expect(all.text).toContain('of which 839 without time of day')
      expect(await page.getByTestId('filter-preset').getAttribute('title')).toContain('30 Dec 2019')
      expect(await page.getByTestId('filter-anchor').count()).toBe(0)

      await page.getByTestId('filter-preset').selectOption('last90')
      // A preset says what it counts back from: the data ends in 2019.
      expect(await page.getByTestId('filter-anchor').textContent()).toBe(
        'Data from 1 Jul 2012 to 30 Dec 2019. Presets count back from 30 Dec 2019, the latest incident, not from today.',
      )
      await expect.poll(() => page.url()).toContain('from=2019-10-02&to=2019-12-30')
      const last90 = await api<{ total: number }>('/api/communities/sf-mission/incidents/summary?from=2019-10-02&to=2019-12-30')
      await expect.poll(async () => (await shownCount(page)).total).toBe(last90.total)
      expect(await page.getByTestId('filter-from').getAttribute('data-value')).toBe('2019-10-02')
      expect(await page.getByTestId('filter-from').inputValue()).toBe('2 Oct 2019')

      await page.getByTestId('filter-weekdays').click()
      await page.getByTestId('filter-weekdays-panel').getByText('Weekend').click()
      await expect.poll(() => new URL(page.url()).searchParams.get('weekdays')).toBe('6,7')
      const weekend = await api<{ total: number }>('/api/communities/sf-mission/incidents/summary?from=2019-10-02&to=2019-12-30&weekdays=6,7')
      await expect.poll(async () => (await shownCount(page)).total).toBe(weekend.total)
      await waitForIdle(page)
      expect((await renderedIncidents(page)).points).toBe(weekend.total)

      // A night window: crossing midnight is said, and incidents without a time are counted apart.
      await page.getByTestId('filter-hours').click()
      await page.getByTestId('filter-hours-panel').getByRole('button', { name: /^Night/ }).click()
      await expect.poll(() => new URL(page.url()).searchParams.get('hours')).toBe('22-06')
      expect(await page.getByTestId('filter-hours-panel').textContent()).toContain('runs past midnight')

      await page.getByTestId('filter-reset').click()
      await expect.poll(async () => (await shownCount(page)).total).toBe(countMatching())

      // The months with data are a choice of their own: December 2018, the month with times of day.
      const december = page.getByTestId('filter-preset').locator('option[value="month:2018-12"]')
      expect(await december.textContent()).toBe('Dec 2018 (651 incidents)')
      await page.getByTestId('filter-preset').selectOption('month:2018-12')
      await expect.poll(() => new URL(page.url()).search).toContain('from=2018-12-01&to=2018-12-31')
      await expect.poll(async () => (await shownCount(page)).total).toBe(651)
      expect(await page.getByTestId('filter-preset').inputValue()).toBe('month:2018-12')
      // and at night there is something to see
      await page.getByTestId('filter-hours').click()
      await page.getByTestId('filter-hours-panel').getByRole('button', { name: /^Night/ }).click()
      await expect.poll(async () => (await shownCount(page)).total).toBe(countMatching({ from: '2018-12-01', to: '2018-12-31', hours: [22 * 60, 6 * 60] }))
      await page.getByTestId('filter-reset').click()
      expect(new URL(page.url()).searchParams.has('from')).toBe(false)
    } finally {
      await context.close()
    }
  }, 120_000)

  test('buildings coloured by nearby incidents use the legend’s colours on the canvas', async () => {
    const { context, page } = await openMap('en-US', { path: '/?layers=buildings&map=16.2/37.7650/-122.4190' })
    try {
      const { INCIDENT_COUNT_CLASSES } = await import('../../web/src/lib/palette')
      const ramp = INCIDENT_COUNT_CLASSES.slice(1).map((c) => c.color)
      const byCaptain = await canvasPixels(page, ramp)
      await page.getByTestId('buildings-by-incidents').click()
      await waitForIdle(page)
      const byIncidents = await canvasPixels(page, ramp)
      expect(byCaptain.matchingShare).toBeLessThan(0.01)
      expect(byIncidents.matchingShare).toBeGreaterThan(0.05)
      expect(await page.getByTestId('legend-buildings').textContent()).toContain('10 or more incidents')
      await expect.poll(() => new URL(page.url()).searchParams.get('buildings')).toBe('incidents')
      // The hatching belongs to the captain colouring only.
      expect(await renderedCounts(page, ['buildings-hatch'])).toEqual({ 'buildings-hatch': 0 })
    } finally {
      await context.close()
    }
  }, 120_000)

  test('the opacity slider fades a layer on the canvas and is kept in the link', async () => {
    const { context, page } = await openMap('en-US', { path: '/?layers=buildings&map=16.2/37.7650/-122.4190' })
    try {
      const colors = [await page.evaluate(() => (window.__safegrid!.map.getPaintProperty('buildings-fill', 'fill-color') as string[])[2]!)]
      const full = await canvasPixels(page, colors)
      await page.getByTestId('opacity-buildings').fill('30')
      await waitForIdle(page)
      expect(await page.evaluate(() => window.__safegrid!.map.getPaintProperty('buildings-fill', 'fill-opacity'))).toBe(0.3)
      const faded = await canvasPixels(page, colors)
      expect(full.matchingShare).toBeGreaterThan(0.05)
      expect(faded.matchingShare).toBeLessThan(full.matchingShare / 5)
      await expect.poll(() => new URL(page.url()).searchParams.get('opacity')).toBe('buildings:30')
    } finally {
      await context.close()
    }
  }, 120_000)

  test('pointing at a captain outlines every building they look after', async () => {
    const { context, page } = await openMap('en-US', { path: '/?map=17/37.7650/-122.4190' })
    try {
      const target = await page.evaluate(() => {
        const map = window.__safegrid!.map
        // a captain of several buildings, away from the panels
        const c = map.getCanvas()
        for (const f of map.queryRenderedFeatures({ layers: ['captains-circle'] })) {
          const p = map.project((f.geometry as unknown as { coordinates: [number, number] }).coordinates)
          if (f.properties.buildings > 1 && p.x > 300 && p.x < c.clientWidth - 380 && p.y > 60 && p.y < c.clientHeight - 60) return { x: p.x, y: p.y, id: f.id as number }
        }
        throw new Error('no captain in view')
      })
      const captains = await api<{ features: { id: number; properties: { buildingIds: number[] } }[] }>('/api/communities/sf-mission/layers/captains')
      const ids = captains.features.find((c) => c.id === target.id)!.properties.buildingIds
      expect(ids.length).toBeGreaterThan(1)
      const canvasBox = (await page.locator('canvas.maplibregl-canvas').boundingBox())!
      await page.mouse.move(canvasBox.x + target.x, canvasBox.y + target.y)
      const states = () =>
        page.evaluate((list) => list.map((id) => window.__safegrid!.map.getFeatureState({ source: 'buildings', sourceLayer: 'buildings', id }).captain === true), ids)
      await expect.poll(states).toEqual(ids.map(() => true))
      await page.mouse.move(canvasBox.x + 5, canvasBox.y + canvasBox.height - 5)
      await expect.poll(states).toEqual(ids.map(() => false))
    } finally {
      await context.close()
    }
  }, 120_000)

  test('a shared link reopens the same view, layers, colouring and selection', async () => {
    const link =
      '/?community=sf-mission&map=16.00/37.76700/-122.41900&layers=buildings,zones,incidents&opacity=zones:50&buildings=incidents&categories=ROBBERY&sel=zone:7'
    const { context, page } = await openMap('en-US', { path: link })
    try {
      const state = await page.evaluate(() => {
        const m = window.__safegrid!.map
        return { zoom: m.getZoom(), lat: m.getCenter().lat, lon: m.getCenter().lng, routes: m.getLayoutProperty('routes-line', 'visibility') }
      })
      expect(state.zoom).toBeCloseTo(16, 5)
      expect(state.lat).toBeCloseTo(37.767, 5)
      expect(state.lon).toBeCloseTo(-122.419, 5)
      expect(state.routes).toBe('none')
      expect(await page.getByTestId('toggle-routes').isChecked()).toBe(false)
      expect(await page.getByTestId('buildings-by-incidents').getAttribute('aria-checked')).toBe('true')
      await expect.poll(() => page.getByTestId('details-title').textContent()).toMatch(/^G07 · /)
      // The zone's incidents follow the link's filter, next to all of them.
      const figures = await api<{ incidents: number; incidentsAll: number }>('/api/communities/sf-mission/zones/7/figures?categories=ROBBERY')
      expect(figures.incidents).toBeLessThan(figures.incidentsAll)
      await expect.poll(() => page.getByTestId('details-incidents').textContent()).toBe(`${figures.incidents} of ${figures.incidentsAll} in all`)
      expect(new URL(page.url()).search).toBe(new URL(`${env.server.url}${link}`).search)
    } finally {
      await context.close()
    }
  }, 120_000)

  test('on a tablet the layer list starts folded, the filter bar still shows the count, and the dock leaves the map and its controls free', async () => {
    const { context, page, pageErrors } = await openMap('zh-CN', { viewport: { width: 820, height: 1180 } })
    try {
      expect(await page.getByTestId('layer-panel').count()).toBe(0)
      const shown = await shownCount(page)
      expect(shown.total).toBe(countMatching())
      expect(await page.getByTestId('filter-count').isVisible()).toBe(true)
      await page.getByTestId('coverage-open').click()
      await page.waitForSelector('[data-testid=coverage][data-state=ready]', { timeout: READY_TIMEOUT })
      await waitForIdle(page)
      const { dock, controls } = await controlBoxes(page)
      expect(controls.length).toBeGreaterThanOrEqual(3) // zoom buttons, scale, attribution
      for (const c of controls) expect(overlaps(dock, c), `control at ${JSON.stringify(c)}`).toBe(false)
      expect(dock.right).toBeLessThanOrEqual(820)
      // What is left of the map is usable, and the community is fitted into it.
      const fit = await page.evaluate(() => {
        const map = window.__safegrid!.map
        const pad = map.getPadding()
        const [w, s, e, n] = [-122.425, 37.7605, -122.408, 37.7765]
        const a = map.project([w, n])
        const b = map.project([e, s])
        return { free: map.getContainer().clientWidth - (pad.right ?? 0), west: a.x, east: b.x }
      })
      expect(fit.free).toBeGreaterThan(400)
      expect(fit.east).toBeLessThanOrEqual(fit.free + 1)
      expect(fit.east).toBeGreaterThan(dock.left - 200) // fitted into the free part, not shrunk away
      await page.screenshot({ path: path.join(SCREENSHOTS, 'tablet-zh.png') })
      await page.getByTestId('layers-open').click()
      expect(await page.getByTestId('layer-panel').isVisible()).toBe(true)
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 120_000)

  test('the dock holds details, hot spots and coverage in one scrolling column beside the zoom buttons; the map centres beside it; it folds away', async () => {
    const { context, page, pageErrors } = await openMap('en-US', { path: '/?panels=analysis,coverage&sel=zone:7' })
    try {
      await page.waitForSelector('[data-testid=coverage][data-state=ready]', { timeout: READY_TIMEOUT })
      await page.waitForSelector('[data-testid=analysis][data-state=ready]', { timeout: READY_TIMEOUT })
      await expect.poll(() => page.getByTestId('details-title').textContent()).toMatch(/^G07 · /)
      // All three panels are in the dock, in one column.
      const inDock = await page.evaluate(() =>
        ['details', 'analysis', 'coverage'].map((id) => document.querySelector(`[data-testid=dock-body] [data-testid=${id}]`) !== null),
      )
      expect(inDock).toEqual([true, true, true])
      const { dock, controls } = await controlBoxes(page)
      for (const c of controls) expect(overlaps(dock, c), `control at ${JSON.stringify(c)}`).toBe(false)
      const layers = (await page.getByTestId('layer-panel').boundingBox())!
      expect(overlaps(dock, { left: layers.x, top: layers.y, right: layers.x + layers.width, bottom: layers.y + layers.height })).toBe(false)
      // It scrolls on its own: the page and the map stay where they are.
      const scroll = await page.evaluate(() => {
        const body = document.querySelector('[data-testid=dock-body]')!
        const before = window.__safegrid!.map.getCenter()
        body.scrollTop = 400
        const after = window.__safegrid!.map.getCenter()
        return { overflows: body.scrollHeight > body.clientHeight, scrolled: body.scrollTop, pageScroll: document.scrollingElement!.scrollTop, moved: before.lng !== after.lng }
      })
      expect(scroll).toEqual({ overflows: true, scrolled: 400, pageScroll: 0, moved: false })
      expect(dock.bottom).toBeLessThanOrEqual(800)
      await waitForIdle(page)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dock-en.png') })

      // The map knows the room the panels take: a zone flown to is centred in the rest.
      const padding = await page.evaluate(() => window.__safegrid!.map.getPadding())
      expect(padding.left).toBeGreaterThan(200)
      expect(padding.right).toBeGreaterThanOrEqual(1280 - dock.left)
      await page.getByTestId('search-input').fill('G03')
      await expect.poll(() => page.getByTestId('search-results').locator('li[role=option]').first().getAttribute('data-kind')).toBe('zone')
      await afterMove(page, () => page.getByTestId('search-input').press('Enter'))
      const found = await api<{ results: { bbox: number[] }[] }>('/api/communities/sf-mission/search?q=G03')
      const [w, s, e, n] = found.results[0]!.bbox as [number, number, number, number]
      const centre = await page.evaluate(
        ([lng, lat]) => {
          const map = window.__safegrid!.map
          const p = map.project([lng!, lat!])
          const pad = map.getPadding()
          return { x: p.x, mid: ((pad.left ?? 0) + map.getContainer().clientWidth - (pad.right ?? 0)) / 2 }
        },
        [(w + e) / 2, (s + n) / 2],
      )
      expect(Math.abs(centre.x - centre.mid)).toBeLessThan(30)
      expect(centre.x).toBeLessThan(dock.left)

      // Folded away: the map gets its room back, the tools' layers stay, the controls are still clear.
      await page.getByTestId('dock-collapse').click()
      await expect.poll(() => page.evaluate(() => window.__safegrid!.map.getPadding().right)).toBe(0)
      expect(await page.getByTestId('dock-body').isVisible()).toBe(false)
      expect(await page.getByTestId('dock-expand').textContent()).toContain('Panels (3)')
      const folded = await controlBoxes(page)
      for (const c of folded.controls) expect(overlaps(folded.dock, c)).toBe(false)
      expect(folded.dock.right - folded.dock.left).toBeLessThan(200)
      expect(await page.evaluate(() => window.__safegrid!.map.getLayoutProperty('coverage-fill', 'visibility'))).toBe('visible')
      await page.getByTestId('dock-expand').click()
      expect(await page.getByTestId('coverage').isVisible()).toBe(true)
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 240_000)
})
