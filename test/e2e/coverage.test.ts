/**
 * Coverage and gaps on the map (issue 5) in a real browser: the built app served by the real server
 * on the seeded demo database. The panel says how far it got in `data-state` (ready = coverage and
 * gaps drawn); the map is `window.__safegrid.map` (the e2e hook). The demo must show gaps, and
 * narrowing the shared time filter to a night window must take day-only routes out of service, so
 * their area becomes a gap — checked against the API, on the rendered features and on the pixels.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { COVERAGE_COLORS, type CoverageCollection } from '../../web/src/lib/coverage'
import { startTestServer, type TestServer } from '../support/server'
import { canvasPatch, chromiumPath, ensureWebBuilt, hexRgb, launchChromium, near } from './browser'

const SCREENSHOTS = path.resolve('test-results/screenshots')
const READY_TIMEOUT = 90_000
const HAS_BROWSER = chromiumPath() !== null
const GAP_LAYERS = ['coverage-gaps-area', 'coverage-gaps-building', 'coverage-gaps-priority']

let server: TestServer | undefined
let browser: Browser | undefined

beforeAll(async () => {
  if (!HAS_BROWSER) return
  await ensureWebBuilt()
  const mode = inject('dbUrls').embedded !== undefined ? 'embedded' : 'server'
  ;[server, browser] = await Promise.all([startTestServer(mode), launchChromium()])
  await fs.mkdir(SCREENSHOTS, { recursive: true })
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** Opens the app in a fresh context, waits for the map, opens the coverage panel and waits until drawn. */
async function openCoverage(locale: string): Promise<{ context: BrowserContext; page: Page; pageErrors: string[]; requests: string[] }> {
  if (browser === undefined || server === undefined) throw new Error('beforeAll did not finish')
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 })
  const page = await context.newPage()
  const pageErrors: string[] = []
  const requests: string[] = []
  page.on('pageerror', (e) => pageErrors.push(e.message))
  page.on('request', (r) => {
    const url = new URL(r.url())
    if (url.pathname.endsWith('/coverage') || url.pathname.endsWith('/gaps')) requests.push(url.pathname + url.search)
  })
  await page.goto(server.url)
  await page.waitForSelector('body[data-map-ready=true]', { timeout: READY_TIMEOUT })
  await page.getByTestId('coverage-open').click()
  await page.waitForSelector('[data-testid=coverage][data-state=ready]', { timeout: READY_TIMEOUT })
  return { context, page, pageErrors, requests }
}

async function waitForIdle(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = window.__safegrid!.map
        map.once('idle', () => resolve())
        map.triggerRepaint()
      }),
  )
}

async function getJson<T>(pathAndQuery: string): Promise<T> {
  const res = await fetch(`${server!.url}${pathAndQuery}`)
  expect(res.status).toBe(200)
  return (await res.json()) as T
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


describe.skipIf(!HAS_BROWSER)('coverage and gaps on the map', () => {
  test('the demo shows gaps; a night window takes day-only routes out of service and their area becomes a gap', async () => {
    const { context, page, pageErrors, requests } = await openCoverage('zh-CN')
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
      await page.screenshot({ path: path.join(SCREENSHOTS, 'coverage-day-zh.png') })
      await page.mouse.move(5, 400)

      // The API for the whole day and for 02:00–03:00.
      const patrolRequest = requests.find((r) => r.includes('network=patrol'))!
      expect(patrolRequest).not.toContain('hours=')
      const allDay = await getJson<CoverageCollection>(patrolRequest)
      const night = await getJson<CoverageCollection>(`${patrolRequest}&hours=02-03`)
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
      await page.screenshot({ path: path.join(SCREENSHOTS, 'coverage-night-zh.png') })

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
    const { context, page, pageErrors } = await openCoverage('en-US')
    try {
      expect(await page.getByTestId('coverage-priority').locator('li').first().textContent()).toMatch(/incidents/)
      expect(await page.getByTestId('coverage-zones').locator('thead').textContent()).toContain('Patrol')
      await page.screenshot({ path: path.join(SCREENSHOTS, 'coverage-day-en.png') })
      await page.getByTestId('coverage-network-captain').click()
      await page.waitForSelector('[data-testid=coverage][data-network=captain][data-state=ready]', { timeout: READY_TIMEOUT })
      await waitForIdle(page)
      const n = await page.evaluate(() => ({
        captained: window.__safegrid!.map.queryRenderedFeatures({ layers: ['coverage-fill'] }).length,
        captainless: window.__safegrid!.map.queryRenderedFeatures({ layers: ['coverage-gaps-building'] }).filter((f) => f.properties.kind === 'captainless').length,
      }))
      expect(n.captained).toBeGreaterThan(0)
      expect(n.captainless).toBeGreaterThan(0)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'coverage-captain-en.png') })
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 180_000)
})
