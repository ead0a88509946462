/**
 * What the e2e tests need around the page: the built web app and Debian's Chromium with software
 * WebGL (SwiftShader), so the tests run on machines without a GPU. The server itself comes from
 * test/support/server.ts.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { build } from 'vite'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/**
 * The Chromium to test with: SAFEGRID_TEST_BROWSER as set by scripts/test.mjs (empty: none found),
 * else CHROMIUM_PATH, else Debian's /usr/bin/chromium. Null when there is none.
 */
export function chromiumPath(): string | null {
  const p = process.env.SAFEGRID_TEST_BROWSER ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  return p !== '' && fs.existsSync(p) ? p : null
}

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
  const png = await page.locator('canvas.maplibregl-canvas').screenshot()
  return page.evaluate(
    async ({ b64, x, y, r }) => {
      const img = new Image()
      img.src = `data:image/png;base64,${b64}`
      await img.decode()
      const canvas = document.createElement('canvas')
      canvas.width = img.width
      canvas.height = img.height
      const ctx = canvas.getContext('2d')!
      ctx.drawImage(img, 0, 0)
      const data = ctx.getImageData(Math.round(x) - r, Math.round(y) - r, 2 * r + 1, 2 * r + 1).data
      const out: [number, number, number][] = []
      for (let i = 0; i < data.length; i += 4) out.push([data[i]!, data[i + 1]!, data[i + 2]!])
      return out
    },
    { b64: png.toString('base64'), x, y, r },
  )
}

/** [r, g, b] of a #rrggbb colour. */
export const hexRgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]
/** Whether two colours differ by at most `tolerance` in every channel. */
export const near = (a: readonly number[], b: readonly number[], tolerance: number) => a.every((v, i) => Math.abs(v - b[i]!) <= tolerance)
