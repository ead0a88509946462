/**
 * What the e2e tests need around the page: the built web app, Debian's Chromium with software
 * WebGL (SwiftShader), so the tests run on machines without a GPU, and the real server on a seeded
 * demo database (test/support/server.ts) — started once per file (or per describe, for a file that
 * runs in every database mode) by `useBrowserEnv`. Each test opens its own browser context with
 * `openPage`, so tests share no page state. The page exposes `window.__safegrid.map` (the e2e hook)
 * and sets `body[data-map-ready=true]` once the first idle after loading has every source loaded.
 */
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, expect, inject } from 'vitest'
import type { DbMode } from '../../server/src/db/connect.js'
import { startTestServer, type TestServer } from '../support/server'
import { TEST_ADMIN } from '../support/clients.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** Where the tests save screenshots to look at (never committed). */
export const SCREENSHOTS = path.resolve(ROOT, 'test-results/screenshots')
/** How long the map (or a panel) may take to be ready: SwiftShader draws slowly on a busy machine. */
export const READY_TIMEOUT = 90_000

/**
 * The Chromium to test with: SAFEGRID_TEST_BROWSER as set by scripts/test.mjs (empty: none found),
 * else CHROMIUM_PATH, else Debian's /usr/bin/chromium. Null when there is none.
 */
export function chromiumPath(): string | null {
  const p = process.env.SAFEGRID_TEST_BROWSER ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  return p !== '' && fs.existsSync(p) ? p : null
}

/** Whether there is a Chromium to test with (browser tests are skipped without one). */
export const HAS_BROWSER = chromiumPath() !== null

/** Chromium flags: headless, no sandbox (containers), software GL that MapLibre can draw with. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
]

/** Launches the Chromium of `chromiumPath()`. */
export function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath()
  if (executablePath === null) throw new Error('no Chromium to test with (set CHROMIUM_PATH)')
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS })
}

/**
 * Builds web/dist when it is missing (`npm test` builds it before the suites run; a direct
 * `npx vitest run test/e2e` after editing web/ needs `npx vite build` first).
 */
export async function ensureWebBuilt(): Promise<void> {
  if (fs.existsSync(path.join(ROOT, 'web/dist/index.html'))) return
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn' })
}

/** The colours of the map canvas in a square of ±`r` pixels around (x, y), as [r, g, b]. */
export async function canvasPatch(page: Page, x: number, y: number, r: number): Promise<[number, number, number][]> {
  return (await readCanvas(page, { patch: { x, y, r }, colors: [] })).patch
}

/** [r, g, b] of a #rrggbb colour. */
export const hexRgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]
/** Whether two colours differ by at most `tolerance` in every channel. */
export const near = (a: readonly number[], b: readonly number[], tolerance: number) => a.every((v, i) => Math.abs(v - b[i]!) <= tolerance)

/** The mode for files whose subject does not depend on the database: embedded when it is under test, else server. */
export function defaultMode(): DbMode {
  return inject('modes').includes('embedded') ? 'embedded' : 'server'
}

/** The server and browser of a file (or describe block); each throws when read before they started. */
export interface BrowserEnv {
  readonly mode: DbMode
  readonly server: TestServer
  readonly browser: Browser
}

/**
 * Starts the real server on the seeded demo database of `mode`, and Chromium, before the tests of
 * the enclosing describe block (or file), and stops both after them. Nothing starts without a
 * Chromium (the tests are skipped then).
 */
export function useBrowserEnv(mode: DbMode = defaultMode()): BrowserEnv {
  let server: TestServer | undefined
  let browser: Browser | undefined
  beforeAll(async () => {
    if (!HAS_BROWSER) return
    await ensureWebBuilt()
    ;[server, browser] = await Promise.all([startTestServer(mode), launchChromium()])
    await fsp.mkdir(SCREENSHOTS, { recursive: true })
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the browser tests’ beforeAll did not finish')
    return value
  }
  return {
    mode,
    get server() {
      return started(server)
    },
    get browser() {
      return started(browser)
    },
  }
}

/** A page of the app in a browser context of its own. */
export interface OpenPage {
  context: BrowserContext
  page: Page
  /** uncaught exceptions in the page */
  pageErrors: string[]
}

export interface OpenOptions {
  /** path and query to open, e.g. "/?categories=ROBBERY" (default "/") */
  path?: string
  /** default 1280 × 800 */
  viewport?: { width: number; height: number }
  /** runs before the page is loaded (routes, request listeners) */
  prepare?: (page: Page) => Promise<void> | void
  /** the user whose session the page has (default: the test system administrator); null: none (the login page) */
  user?: string | null
  /** what to wait for after loading (default: the map ready) */
  waitFor?: string
}

/** Opens the app in a fresh browser context with the given browser locale and waits for the map. */
export async function openPage(env: BrowserEnv, locale: string, opts: OpenOptions = {}): Promise<OpenPage> {
  const context = await env.browser.newContext({ locale, viewport: opts.viewport ?? { width: 1280, height: 800 }, deviceScaleFactor: 1 })
  const user = opts.user === undefined ? TEST_ADMIN : opts.user
  if (user !== null) {
    const [name, value] = (await env.server.login(user)).split('=') as [string, string]
    await context.addCookies([{ name, value, url: env.server.url, httpOnly: true, sameSite: 'Lax' }])
  }
  const page = await context.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', (e) => pageErrors.push(e.message))
  await opts.prepare?.(page)
  await page.goto(`${env.server.url}${opts.path ?? '/'}`)
  await page.waitForSelector(opts.waitFor ?? 'body[data-map-ready=true]', { timeout: READY_TIMEOUT })
  return { context, page, pageErrors }
}

/** Waits until the map has drawn everything it currently has to draw. */
export async function waitForIdle(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = window.__safegrid!.map
        map.once('idle', () => resolve())
        map.triggerRepaint()
      }),
  )
}

/** GETs JSON from the test server (what the API itself says, to compare the page with); expects 200. */
export async function apiJson<T>(env: BrowserEnv, pathAndQuery: string, user: string = TEST_ADMIN): Promise<T> {
  const res = await fetch(`${env.server.url}${pathAndQuery}`, { headers: { cookie: await env.server.login(user) } })
  expect(res.status, pathAndQuery).toBe(200)
  return (await res.json()) as T
}

/** Sends JSON to the test server as `user` (another planner, for conflicts); the answer as it came. */
export async function apiSend(env: BrowserEnv, pathAndQuery: string, init: { method: string; headers?: Record<string, string>; body?: unknown }, user: string = TEST_ADMIN): Promise<Response> {
  return fetch(`${env.server.url}${pathAndQuery}`, {
    method: init.method,
    headers: { cookie: await env.server.login(user), 'content-type': 'application/json', ...init.headers },
    body: init.body === undefined ? null : JSON.stringify(init.body),
  })
}

export interface PixelStats {
  pixels: number
  distinctColors: number
  /** share of the most frequent colour */
  topColorShare: number
  /** share of pixels within ±3 per channel of one of `colors` */
  matchingShare: number
}

/** The colours of the whole map canvas, counted (see PixelStats). */
export async function canvasPixels(page: Page, colors: string[]): Promise<PixelStats> {
  return (await readCanvas(page, { patch: null, colors })).stats
}

/**
 * Screenshots the map canvas (what is on screen there, panels included) and reads it in the page
 * (the PNG is decoded by the browser, so no image library is needed here): the pixels of a patch,
 * and colour counts of the whole.
 */
async function readCanvas(
  page: Page,
  ask: { patch: { x: number; y: number; r: number } | null; colors: string[] },
): Promise<{ patch: [number, number, number][]; stats: PixelStats }> {
  const png = await page.locator('canvas.maplibregl-canvas').screenshot()
  return page.evaluate(
    async ({ b64, patch, hexes }) => {
      const img = new Image()
      img.src = `data:image/png;base64,${b64}`
      await img.decode()
      const canvas = document.createElement('canvas')
      canvas.width = img.width
      canvas.height = img.height
      const ctx = canvas.getContext('2d')!
      ctx.drawImage(img, 0, 0)
      const rgb = (data: Uint8ClampedArray) => {
        const out: [number, number, number][] = []
        for (let i = 0; i < data.length; i += 4) out.push([data[i]!, data[i + 1]!, data[i + 2]!])
        return out
      }
      const pixels = patch === null ? [] : rgb(ctx.getImageData(Math.round(patch.x) - patch.r, Math.round(patch.y) - patch.r, 2 * patch.r + 1, 2 * patch.r + 1).data)
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
      const total = data.length / 4
      return {
        patch: pixels,
        stats: { pixels: total, distinctColors: counts.size, topColorShare: Math.max(...counts.values()) / total, matchingShare: matching / total },
      }
    },
    { b64: png.toString('base64'), patch: ask.patch, hexes: ask.colors },
  )
}

/** A box on the page: left, top, right, bottom in CSS pixels. */
export type Box = { left: number; top: number; right: number; bottom: number }

/** The boxes of the dock and of the map's controls (zoom buttons, scale and attribution). */
export function controlBoxes(page: Page): Promise<{ dock: Box; controls: Box[] }> {
  return page.evaluate(() => {
    const box = (e: Element) => {
      const r = e.getBoundingClientRect()
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }
    }
    const dock = document.querySelector('[data-testid=dock]')
    if (dock === null) throw new Error('no dock')
    return { dock: box(dock), controls: [...document.querySelectorAll('.maplibregl-ctrl')].map(box) }
  })
}

/** Whether two boxes share any area. */
export const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
