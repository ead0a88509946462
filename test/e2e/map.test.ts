/**
 * The planner's map in a real browser: the built web app (web/dist) served by the real server on
 * the seeded Mission District demo database, Chromium drawing WebGL with SwiftShader.
 * The page exposes `window.__safegrid.map` (the e2e hook) and sets `body[data-map-ready=true]`
 * once the first idle after loading has every source loaded.
 *
 * The server and the browser process are started once for the file (they take tens of
 * seconds); each test opens its own browser context, so tests share no page state.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { startTestServer, type TestServer } from '../support/server'
import { chromiumPath, ensureWebBuilt, launchChromium } from './browser'

const SCREENSHOTS = path.resolve('test-results/screenshots')
const READY_TIMEOUT = 90_000

const HAS_BROWSER = chromiumPath() !== null

let server: TestServer | undefined
let browser: Browser | undefined

beforeAll(async () => {
  if (!HAS_BROWSER) return
  await ensureWebBuilt()
  // The UI does not depend on the database mode; one seeded demo database is enough.
  const mode = inject('dbUrls').embedded !== undefined ? 'embedded' : 'server'
  ;[server, browser] = await Promise.all([startTestServer(mode), launchChromium()])
  await fs.mkdir(SCREENSHOTS, { recursive: true })
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

interface OpenMap {
  context: BrowserContext
  page: Page
  /** uncaught exceptions in the page */
  pageErrors: string[]
}

/** Opens the app in a fresh browser context with the given browser locale and waits for the map. */
async function openMap(locale: string, prepare?: (page: Page) => Promise<void>): Promise<OpenMap> {
  if (browser === undefined || server === undefined) throw new Error('beforeAll did not finish')
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 })
  const page = await context.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', (e) => pageErrors.push(e.message))
  await prepare?.(page)
  await page.goto(server.url)
  await page.waitForSelector('body[data-map-ready=true]', { timeout: READY_TIMEOUT })
  return { context, page, pageErrors }
}

/** Waits until the map has drawn everything it currently has to draw. */
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

interface PixelStats {
  pixels: number
  distinctColors: number
  /** share of the most frequent colour */
  topColorShare: number
  /** share of pixels within ±3 per channel of one of `colors` */
  matchingShare: number
}

/**
 * Screenshots the map canvas and counts its colours in the page (the PNG is decoded by the
 * browser, so no image library is needed here).
 */
async function canvasPixels(page: Page, colors: string[]): Promise<PixelStats> {
  const png = await page.locator('canvas.maplibregl-canvas').screenshot()
  return page.evaluate(
    async ({ b64, hexes }) => {
      const img = new Image()
      img.src = `data:image/png;base64,${b64}`
      await img.decode()
      const canvas = document.createElement('canvas')
      canvas.width = img.width
      canvas.height = img.height
      const ctx = canvas.getContext('2d')!
      ctx.drawImage(img, 0, 0)
      const data = ctx.getImageData(0, 0, img.width, img.height).data
      const targets = hexes.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)))
      const counts = new Map<number, number>()
      let matching = 0
      for (let i = 0; i < data.length; i += 4) {
        const r = data[i]!, g = data[i + 1]!, b = data[i + 2]!
        const key = (r << 16) | (g << 8) | b
        counts.set(key, (counts.get(key) ?? 0) + 1)
        if (targets.some(([tr, tg, tb]) => Math.abs(r - tr!) <= 3 && Math.abs(g - tg!) <= 3 && Math.abs(b - tb!) <= 3)) matching++
      }
      const pixels = data.length / 4
      return {
        pixels,
        distinctColors: counts.size,
        topColorShare: Math.max(...counts.values()) / pixels,
        matchingShare: matching / pixels,
      }
    },
    { b64: png.toString('base64'), hexes: colors },
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
