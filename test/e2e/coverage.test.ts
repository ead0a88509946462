/**
 * Coverage and gaps on the map (issue 5) in a real browser: the built app served by the real server
 * on the seeded demo database. The panel says how far it got in `data-state` (ready = coverage and
 * gaps drawn); the map is `window.__safegrid.map` (the e2e hook). The demo must show gaps, and
 * narrowing the shared time filter to a night window must take day-only routes out of service, so
 * their area becomes a gap — checked against the API, on the rendered features and on the pixels.
 */
import path from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { COVERAGE_COLORS, type CaptainCoverageCollection, type PatrolCoverageCollection } from '../../web/src/lib/coverage'
import { QUIET } from '../../web/src/lib/palette'
import { testModes } from '../support/db'
import { apiJson, canvasPatch, canvasPixels, HAS_BROWSER, hexRgb, near, openPage, READY_TIMEOUT, SCREENSHOTS, useBrowserEnv, waitForIdle, type BrowserEnv } from './browser'

const GAP_LAYERS = ['coverage-gaps-area', 'coverage-gaps-building', 'coverage-gaps-priority']

/**
 * Opens the app (at `path`, default "/") in a fresh context, waits for the map, opens the coverage
 * panel unless the link did, and waits until it is drawn. `requests` collects the coverage and gaps
 * requests of the page.
 */
async function openCoverage(env: BrowserEnv, locale: string, path = '/') {
  const requests: string[] = []
  const opened = await openPage(env, locale, {
    path,
    viewport: { width: 1280, height: 860 },
    prepare: (page) => {
      page.on('request', (r) => {
        const url = new URL(r.url())
        if (url.pathname.endsWith('/coverage') || url.pathname.endsWith('/gaps')) requests.push(url.pathname + url.search)
      })
    },
  })
  if ((await opened.page.getByTestId('coverage').count()) === 0) await opened.page.getByTestId('coverage-open').click()
  await opened.page.waitForSelector('[data-testid=coverage][data-state=ready]', { timeout: READY_TIMEOUT })
  return { ...opened, requests }
}

interface Sample {
  covered: number
  gap: number
  gapFeatures: number
  /** screen points in gap area */
  gapPoints: [number, number][]
  /** screen points in patrol coverage */
  coveredPoints: [number, number][]
}

/** A grid of screen points over the map: which fall in coverage, which in a gap area; and the rendered gap features. */
function sampleMap(page: Page): Promise<Sample> {
  return page.evaluate((gapLayers) => {
    const map = window.__safegrid!.map
    const { clientWidth: w, clientHeight: h } = map.getContainer()
    const out = { covered: 0, gap: 0, gapFeatures: map.queryRenderedFeatures({ layers: gapLayers }).length, gapPoints: [] as [number, number][], coveredPoints: [] as [number, number][] }
    for (let x = 20; x < w - 20; x += 16)
      for (let y = 20; y < h - 20; y += 16) {
        const hits = map.queryRenderedFeatures([x, y], { layers: ['coverage-fill', 'coverage-gaps-area'] })
        if (hits.some((f) => f.layer.id === 'coverage-fill')) {
          out.covered++
          out.coveredPoints.push([x, y])
        }
        if (hits.some((f) => f.layer.id === 'coverage-gaps-area')) {
          out.gap++
          out.gapPoints.push([x, y])
        }
      }
    return out
  }, GAP_LAYERS)
}


// Coverage and gaps are computed in SQL: the page is checked against each database mode under test.
describe.skipIf(!HAS_BROWSER).each(testModes())('coverage and gaps on the map, %s mode', (mode) => {
  const env = useBrowserEnv(mode)

  test('the demo shows gaps; a night window takes day-only routes out of service and their area becomes a gap', async () => {
    const { context, page, pageErrors, requests } = await openCoverage(env, 'zh-CN')
    try {
      await waitForIdle(page)
      const day = await sampleMap(page)
      expect(day.gapFeatures).toBeGreaterThan(0)
      expect(day.covered).toBeGreaterThan(0)

      // The per-zone table: 13 zones, G05 without any patrol.
      const rows = page.getByTestId('coverage-zones').locator('tbody tr')
      expect(await rows.count()).toBe(13)
      const g05 = page.locator('[data-testid=coverage-zones] tbody tr[data-zone=G05]')
      expect(await g05.getAttribute('data-patrol-pct')).toBe('0')
      expect(await g05.locator('td').first().textContent()).toBe('0 %')
      // priority gaps, numbered, with their reasons in Chinese
      const priority = page.getByTestId('coverage-priority').locator('li')
      expect(await priority.count()).toBeGreaterThan(0)
      expect(await priority.first().textContent()).toContain('起警情')
      expect(await page.evaluate(() => window.__safegrid!.map.queryRenderedFeatures({ layers: ['coverage-gaps-rank'] }).length)).toBeGreaterThan(0)

      // Pointing at a row outlines its zone.
      await g05.hover()
      await waitForIdle(page)
      const outlined = await page.evaluate(() => window.__safegrid!.map.queryRenderedFeatures({ layers: ['coverage-zone-highlight'] }).map((f) => f.properties.code as string))
      expect(outlined.length).toBeGreaterThan(0)
      expect(new Set(outlined)).toEqual(new Set(['G05']))
      await page.screenshot({ path: path.join(SCREENSHOTS, `coverage-day-zh-${mode}.png`) })
      await page.mouse.move(5, 400)

      // The API for the whole day and for 02:00–03:00.
      const patrolRequest = requests.find((r) => r.includes('network=patrol'))!
      expect(patrolRequest).not.toContain('hours=')
      const allDay = await apiJson<PatrolCoverageCollection>(env, patrolRequest)
      const night = await apiJson<PatrolCoverageCollection>(env, `${patrolRequest}&hours=02-03`)
      expect(night.meta.routesInService!.length).toBeLessThan(allDay.meta.routesInService!.length)
      expect(night.meta.areaCoveredPct!).toBeLessThan(allDay.meta.areaCoveredPct!)

      // The same window through the shared filter bar.
      await page.getByTestId('filter-hours').click()
      await page.getByTestId('filter-hours-start').selectOption('2')
      await page.keyboard.press('Escape')
      await page.waitForFunction(() => window.location.search.includes('hours=') && document.querySelector('[data-testid=coverage]')?.getAttribute('data-state') === 'ready', null, {
        timeout: READY_TIMEOUT,
      })
      expect(requests.some((r) => r.includes('network=patrol') && r.includes('hours=02-03'))).toBe(true)
      expect(await page.getByTestId('coverage-routes').textContent()).toBe(String(night.meta.routesInService!.length))
      await waitForIdle(page)
      const nightSample = await sampleMap(page)
      expect(nightSample.covered).toBeLessThan(day.covered)
      expect(nightSample.gap).toBeGreaterThan(day.gap)
      await page.screenshot({ path: path.join(SCREENSHOTS, `coverage-night-zh-${mode}.png`) })

      // A point covered by day and a gap at night: the hatching's warning colour is on screen there.
      const wasCovered = new Set(day.coveredPoints.map(([x, y]) => `${x},${y}`))
      const turned = nightSample.gapPoints.filter(([x, y]) => wasCovered.has(`${x},${y}`))
      expect(turned.length).toBeGreaterThan(0)
      for (const group of ['incidents', 'captains', 'routes', 'streets']) await page.getByTestId(`toggle-${group}`).uncheck()
      await waitForIdle(page)
      const gapRgb = hexRgb(COVERAGE_COLORS.gap)
      let hits = 0
      for (const [x, y] of turned.slice(0, 5)) {
        const patch = await canvasPatch(page, x, y, 6)
        if (patch.some((px) => near(px, gapRgb, 24))) hits++
      }
      expect(hits).toBeGreaterThan(0)
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 240_000)

  test('in English: reasons and table headings in English, and the captain network', async () => {
    const { context, page, pageErrors } = await openCoverage(env, 'en-US')
    try {
      expect(await page.getByTestId('coverage-priority').locator('li').first().textContent()).toMatch(/incidents/)
      expect(await page.getByTestId('coverage-zones').locator('thead').textContent()).toContain('Patrol')
      await page.screenshot({ path: path.join(SCREENSHOTS, `coverage-day-en-${mode}.png`) })
      await page.getByTestId('coverage-network-captain').click()
      await page.waitForSelector('[data-testid=coverage][data-network=captain][data-state=ready]', { timeout: READY_TIMEOUT })
      await waitForIdle(page)
      const n = await page.evaluate(() => ({
        captained: window.__safegrid!.map.queryRenderedFeatures({ layers: ['coverage-fill'] }).length,
        captainless: window.__safegrid!.map.queryRenderedFeatures({ layers: ['coverage-gaps-building'] }).filter((f) => f.properties.kind === 'captainless').length,
      }))
      expect(n.captained).toBeGreaterThan(0)
      expect(n.captainless).toBeGreaterThan(0)
      await page.screenshot({ path: path.join(SCREENSHOTS, `coverage-captain-en-${mode}.png`) })
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 180_000)

  test('the captain network lists every captain by load and flags those the API reports over the limit; the limit can be changed', async () => {
    const { context, page, pageErrors, requests } = await openCoverage(env, 'zh-CN', '/?panels=coverage&network=captain')
    try {
      expect(await page.getByTestId('coverage-network-captain').getAttribute('aria-checked')).toBe('true')
      const captainRequest = (max: number) => requests.findLast((r) => r.includes('network=captain') && r.includes(`maxBuildings=${max}`))
      expect(captainRequest(15)).toBeDefined()
      const at15 = await apiJson<CaptainCoverageCollection>(env, captainRequest(15)!)
      const over15 = at15.meta.captains!.filter((c) => c.overLimit)
      expect(over15.length).toBe(at15.meta.captainsOverLimit)
      expect(over15.length).toBeGreaterThan(0)

      // One row per captain, heaviest first; the flagged rows are the captains the API flags.
      const rows = page.getByTestId('coverage-captains').locator('tbody tr')
      expect(await rows.count()).toBe(at15.meta.captains!.length)
      const loads = (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-buildings')))))
      expect(loads).toEqual([...loads].sort((a, b) => b - a))
      const flagged = () => page.locator('[data-testid=coverage-captains] tbody tr[data-over-limit=true]').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-captain'))))
      expect(new Set(await flagged())).toEqual(new Set(over15.map((c) => c.id)))
      expect(await page.locator('[data-testid=coverage-captains] tr[data-over-limit=true] .coverage-flag').first().textContent()).toBe('超出上限')
      expect(await page.getByTestId('coverage-over-limit').textContent()).toBe(String(over15.length))
      await page.screenshot({ path: path.join(SCREENSHOTS, `coverage-captains-zh-${mode}.png`) })

      // A lower limit: the page asks again, flags more, and keeps the limit in the link.
      await page.getByTestId('coverage-max-buildings').fill('5')
      await page.waitForFunction(() => document.querySelector('[data-testid=coverage-over-limit]')?.closest('[data-state=ready]') !== null && new URL(location.href).searchParams.get('maxBuildings') === '5', null, { timeout: READY_TIMEOUT })
      const at5 = await apiJson<CaptainCoverageCollection>(env, captainRequest(5)!)
      const over5 = at5.meta.captains!.filter((c) => c.overLimit)
      expect(over5.length).toBeGreaterThan(over15.length)
      await expect.poll(() => page.getByTestId('coverage-over-limit').textContent()).toBe(String(over5.length))
      expect(new Set(await flagged())).toEqual(new Set(over5.map((c) => c.id)))
      expect(await page.getByTestId('coverage-captains-summary').textContent()).toContain(`有 ${over5.length} 位负责超过 5 栋楼`)
      // Gaps are not asked again for a new limit (their hot spot analysis is the slow part).
      expect(requests.filter((r) => r.includes('/gaps')).length).toBe(1)
      // Something the server would refuse is not sent.
      await page.getByTestId('coverage-max-buildings').fill('0')
      expect(await page.getByTestId('coverage-max-buildings').getAttribute('aria-invalid')).toBe('true')
      expect(requests.some((r) => r.includes('maxBuildings=0'))).toBe(false)
      expect(new URL(page.url()).searchParams.get('maxBuildings')).toBe('5')

      // Clicking the heaviest captain selects them and flies to their buildings.
      const heaviest = at5.meta.captains!.reduce((a, b) => (b.buildings > a.buildings ? b : a))
      const moved = page.evaluate(() => new Promise<void>((resolve) => window.__safegrid!.map.once('moveend', () => resolve())))
      await page.locator(`[data-testid=coverage-captains] tr[data-captain="${heaviest.id}"] button`).click()
      await moved
      await waitForIdle(page)
      await expect.poll(() => page.getByTestId('details').getAttribute('data-kind')).toBe('captain')
      expect(await page.getByTestId('details-title').textContent()).toBe(heaviest.name)
      expect(new URL(page.url()).searchParams.get('sel')).toBe(`captain:${heaviest.id}`)
      const view = await page.evaluate((id) => {
        const map = window.__safegrid!.map
        const captain = map.queryRenderedFeatures({ layers: ['captains-circle'] }).find((f) => f.properties.id === id)
        const p = captain && map.project((captain.geometry as unknown as { coordinates: [number, number] }).coordinates)
        const { clientWidth: w, clientHeight: h } = map.getContainer()
        const pad = map.getPadding()
        return { zoom: map.getZoom(), inView: p !== undefined && p.x > (pad.left ?? 0) && p.x < w - (pad.right ?? 0) && p.y > 0 && p.y < h }
      }, heaviest.id)
      expect(view.zoom).toBeGreaterThan(16)
      expect(view.inView).toBe(true)
      await page.screenshot({ path: path.join(SCREENSHOTS, `coverage-captain-selected-zh-${mode}.png`) })
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 240_000)

  test('while coverage is shown the base map is quiet — plain buildings, no captain hatching, faded incidents — and closing restores it', async () => {
    const { context, page, pageErrors } = await openCoverage(env, 'en-US', '/?panels=coverage&network=captain&layers=buildings&map=16.2/37.7650/-122.4190')
    try {
      const style = () =>
        page.evaluate(() => {
          const map = window.__safegrid!.map
          return {
            hatch: map.getLayoutProperty('buildings-hatch', 'visibility'),
            fill: map.getPaintProperty('buildings-fill', 'fill-color'),
            incidents: map.getPaintProperty('incidents-circle', 'circle-opacity'),
            zones: map.getPaintProperty('zones-fill', 'fill-opacity'),
          }
        })
      const quiet = await style()
      expect(quiet).toMatchObject({ hatch: 'none', fill: QUIET.building, incidents: 0.9 * QUIET.incidentOpacity })
      expect(quiet.zones).toEqual(['*', 0, expect.anything()]) // the zones' tint at none of its opacity
      // The legend says what is drawn: one plain building swatch, and why.
      expect(await page.getByTestId('legend-buildings').textContent()).toBe('Building')
      expect(await page.getByTestId('layers-quiet').textContent()).toContain('Captain coverage is shown')
      // On the canvas: the plain colour inside the buildings without a captain (outlined, not filled).
      await page.getByTestId('layers-close').click()
      await waitForIdle(page)
      const plain = await canvasPixels(page, [QUIET.building])
      expect(plain.matchingShare).toBeGreaterThan(0.02)
      await page.screenshot({ path: path.join(SCREENSHOTS, `coverage-quiet-en-${mode}.png`) })

      await page.getByTestId('coverage-close').click()
      await waitForIdle(page)
      const restored = await style()
      expect(restored.hatch).toBe('visible')
      expect(Array.isArray(restored.fill)).toBe(true) // the captain colouring expression again
      expect(restored.incidents).toBe(0.9)
      expect(await canvasPixels(page, [QUIET.building]).then((p) => p.matchingShare)).toBeLessThan(plain.matchingShare / 10)
      expect(new URL(page.url()).searchParams.has('panels')).toBe(false)
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 180_000)
})
