/**
 * The hot spot analysis in a real browser: the built web app served by the real server on the
 * seeded demo database, Chromium drawing WebGL with SwiftShader (browser.ts). The panel says how far
 * it got in `data-state` (ready = cells drawn); the map is `window.__safegrid.map` (the e2e hook).
 * The UI does not depend on the database mode; one seeded demo database is enough.
 */
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import type { HotspotCollection } from '../../web/src/lib/hotspots'
import { cellCentre, GI_COLORS, hottestCell } from '../../web/src/lib/hotspots'
import { apiJson, canvasPatch, HAS_BROWSER, hexRgb, near, openPage, READY_TIMEOUT, SCREENSHOTS, useBrowserEnv, waitForIdle } from './browser'

const env = useBrowserEnv()

interface OpenAnalysis {
  context: BrowserContext
  page: Page
  pageErrors: string[]
  /** the path (with query) of the last hotspots request the page made */
  lastRequest: () => string
}

/** Opens the app (at `path`, default "/") in a fresh context, waits for the map, and opens the analysis panel unless the link did. */
async function openAnalysis(locale: string, path = '/'): Promise<OpenAnalysis> {
  let last = ''
  const { context, page, pageErrors } = await openPage(env, locale, {
    path,
    prepare: (p) => {
      p.on('request', (r) => {
        const url = new URL(r.url())
        if (url.pathname.endsWith('/hotspots')) last = url.pathname + url.search
      })
    },
  })
  if ((await page.getByTestId('analysis').count()) === 0) await page.getByTestId('analysis-open').click()
  return { context, page, pageErrors, lastRequest: () => last }
}

/** Chooses a method and waits until its cells are on the map. */
async function showMethod(page: Page, method: string): Promise<void> {
  await page.getByTestId(`method-${method}`).click()
  await page.waitForSelector(`[data-testid=analysis][data-method=${method}][data-state=ready]`, { timeout: READY_TIMEOUT })
}

/** Asks the API directly, as the test (not the page) sees it. */
const getAnswer = (pathAndQuery: string) => apiJson<HotspotCollection>(env, pathAndQuery)


describe.skipIf(!HAS_BROWSER)('the hot spot analysis on the map', () => {
  test('Gi* draws the cell the API calls hottest in the hot colour of its legend, with the legend and explanation in words', async () => {
    const { context, page, pageErrors, lastRequest } = await openAnalysis('zh-CN')
    try {
      await showMethod(page, 'gistar')
      await page.screenshot({ path: path.join(SCREENSHOTS, 'hotspots-gistar-zh.png') })

      // The same question to the API: which cell is hottest?
      const request = lastRequest()
      expect(request).toContain('method=gistar')
      const answer = await getAnswer(request)
      expect(answer.meta.insufficient).toBe(false)
      const hottest = hottestCell(answer.features)
      expect(hottest).not.toBeNull()
      expect(hottest!.properties.bin).toBe(3)

      // Legend in words, the hot-spot row in the hot colour; the plain-language explanation.
      const legend = page.getByTestId('analysis-legend')
      const firstRow = legend.locator('li').first()
      expect(await firstRow.textContent()).toContain('热点，99% 置信度')
      const hotColor = await firstRow.getAttribute('data-color')
      expect(hotColor).toBe(GI_COLORS[3])
      expect(Number(await firstRow.getAttribute('data-cells'))).toBe(answer.meta.bins?.hot99)
      expect(await legend.textContent()).toContain('冷点，99% 置信度')
      expect(await legend.textContent()).toContain('不显著')
      const explain = await page.getByTestId('analysis-explain').textContent()
      expect(explain).toContain('Getis-Ord Gi*')
      expect(explain).toContain('99% 置信度')
      // incidents without a time of day are counted, not dropped silently
      expect(await page.getByTestId('analysis-time-unknown').textContent()).toContain(`其中 ${answer.meta.timeUnknown} 起没有记录发生时刻`)

      // Only the cells over the buildings, fully opaque: the pixel is the layer's own colour.
      for (const group of ['incidents', 'captains', 'routes', 'zones', 'streets']) await page.getByTestId(`toggle-${group}`).uncheck()
      await page.getByTestId('analysis-opacity').fill('100')
      await waitForIdle(page)

      const [lng, lat] = cellCentre(hottest!)
      const probe = await page.evaluate(
        ([lng, lat]) => {
          const map = window.__safegrid!.map
          const p = map.project([lng!, lat!])
          const features = map.queryRenderedFeatures([p.x, p.y], { layers: ['hotspots-fill'] })
          return { x: p.x, y: p.y, width: map.getCanvas().clientWidth, height: map.getCanvas().clientHeight, cells: features.map((f) => f.properties) }
        },
        [lng, lat],
      )
      expect(probe.x).toBeGreaterThan(0)
      expect(probe.x).toBeLessThan(probe.width)
      expect(probe.y).toBeGreaterThan(0)
      expect(probe.y).toBeLessThan(probe.height)
      expect(probe.cells).toHaveLength(1)
      expect(probe.cells[0]).toMatchObject({ i: hottest!.properties.i, j: hottest!.properties.j, bin: 3 })

      const patch = await canvasPatch(page, probe.x, probe.y, 2)
      const target = hexRgb(hotColor!)
      for (const px of patch) expect(near(px, target, 3), `pixel ${px.join(',')} vs hot ${target.join(',')}`).toBe(true)

      // Closing the panel takes the cells off the map.
      await page.getByTestId('analysis-close').click()
      await waitForIdle(page)
      const after = await canvasPatch(page, probe.x, probe.y, 0)
      expect(near(after[0]!, target, 12)).toBe(false)
      expect(await page.evaluate(() => window.__safegrid!.map.queryRenderedFeatures({ layers: ['hotspots-fill'] }).length)).toBe(0)
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 180_000)

  test('density and emerging hot spots have their own legends and explanations, in Chinese and in English', async () => {
    const { context, page, pageErrors, lastRequest } = await openAnalysis('zh-CN')
    try {
      await showMethod(page, 'kde')
      const kde = await getAnswer(lastRequest())
      expect(kde.meta.bandwidthSource).toBe('data')
      const metres = Math.round(kde.meta.bandwidth!)
      expect(await page.getByTestId('analysis-bandwidth-used').textContent()).toBe(`所用搜索半径：${metres} 米（根据数据计算）。`)
      expect(await page.locator('.analysis-legend-head').textContent()).toContain('每平方公里警情数')
      expect(await page.getByTestId('analysis-explain').textContent()).toContain('密度不等于显著性')
      const drawn = await page.evaluate(() => window.__safegrid!.map.queryRenderedFeatures({ layers: ['hotspots-fill'] }).length)
      expect(drawn).toBeGreaterThan(0)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'hotspots-kde-zh.png') })

      await showMethod(page, 'emerging')
      const emerging = await getAnswer(lastRequest())
      const rows = page.getByTestId('analysis-legend').locator('li')
      expect(await rows.count()).toBe(9)
      expect(await rows.first().textContent()).toContain('加强热点')
      expect(Number(await page.locator('[data-testid=analysis-legend] li', { hasText: '零星热点' }).getAttribute('data-cells'))).toBe(
        emerging.meta.categories?.sporadic ?? 0,
      )
      expect(await page.getByTestId('analysis-summary').textContent()).toContain(`${emerging.meta.slices} 个时间段`)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'hotspots-emerging-zh.png') })

      await page.click('button[data-lang=en]')
      await expect.poll(() => rows.first().textContent()).toContain('Intensifying hot spot')
      await waitForIdle(page)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'hotspots-emerging-en.png') })

      await showMethod(page, 'kde')
      expect(await page.getByTestId('analysis-bandwidth-used').textContent()).toBe(`Search radius used: ${metres} m (derived from the data).`)
      expect(await page.getByTestId('analysis-explain').textContent()).toContain('Density is not significance')
      await page.screenshot({ path: path.join(SCREENSHOTS, 'hotspots-kde-en.png') })

      await showMethod(page, 'gistar')
      expect(await page.getByTestId('analysis-legend').locator('li').first().textContent()).toContain('Hot spot, 99 % confidence')
      expect(await page.getByTestId('analysis-explain').textContent()).toContain('“99 % confidence” means')
      await page.screenshot({ path: path.join(SCREENSHOTS, 'hotspots-gistar-en.png') })
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 180_000)

  test('a filter leaving too few incidents shows “not enough data” with the reason, and no cells', async () => {
    const { context, page, pageErrors, lastRequest } = await openAnalysis('zh-CN')
    try {
      await showMethod(page, 'gistar')
      // The app's shared filter bar: time of day 03:00–04:00 (10 incidents in all the demo's years)
      await page.getByTestId('filter-hours').click()
      await page.getByTestId('filter-hours-start').selectOption('3')
      await page.getByTestId('filter-hours-end').selectOption('4')
      await expect.poll(lastRequest, { timeout: 10_000 }).toContain('hours=03-04')
      await page.waitForSelector('[data-testid=analysis][data-state=insufficient]', { timeout: READY_TIMEOUT })

      const request = lastRequest()
      const answer = await getAnswer(request)
      expect(answer.meta).toMatchObject({ insufficient: true, insufficientReason: 'too_few_incidents', timeUnknownExcluded: true })
      expect(answer.features).toEqual([])

      const message = page.getByTestId('analysis-insufficient')
      expect(await message.getAttribute('data-reason')).toBe('too_few_incidents')
      expect(await message.textContent()).toContain('数据不足')
      expect(await message.textContent()).toContain(`符合筛选条件的警情只有 ${answer.meta.incidents} 起，可靠的分析至少需要 30 起。`)
      expect(await page.getByTestId('analysis-time-unknown').textContent()).toContain(
        `${answer.meta.timeUnknown} 起警情没有记录发生时刻，因设置了时段筛选而未计入。`,
      )
      expect(await page.getByTestId('analysis-legend').count()).toBe(0)

      await waitForIdle(page)
      const cells = await page.evaluate(() => {
        const map = window.__safegrid!.map
        return { rendered: map.queryRenderedFeatures({ layers: ['hotspots-fill'] }).length, inSource: map.querySourceFeatures('hotspots').length }
      })
      expect(cells).toEqual({ rendered: 0, inSource: 0 })
      await page.screenshot({ path: path.join(SCREENSHOTS, 'hotspots-insufficient-zh.png') })
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 180_000)

  test('a link with analysis settings opens the panel with them, and changes go back into the link', async () => {
    const link = '/?panels=analysis&method=kde&cell=150&shape=hex&bandwidth=250'
    const { context, page, pageErrors, lastRequest } = await openAnalysis('en-US', link)
    try {
      await page.waitForSelector('[data-testid=analysis][data-method=kde][data-state=ready]', { timeout: READY_TIMEOUT })
      expect(await page.getByTestId('analysis-open').getAttribute('aria-pressed')).toBe('true')
      expect(await page.getByTestId('method-kde').getAttribute('aria-checked')).toBe('true')
      expect(await page.getByTestId('analysis-cell').inputValue()).toBe('150')
      expect(await page.getByTestId('analysis-shape').inputValue()).toBe('hex')
      expect(await page.getByTestId('analysis-bandwidth').inputValue()).toBe('250')
      // The server was asked for exactly those settings, and says it used them.
      const asked = new URL(lastRequest(), 'http://page').searchParams
      expect(['method', 'cell', 'shape', 'bandwidth'].map((k) => asked.get(k))).toEqual(['kde', '150', 'hex', '250'])
      const answer = await getAnswer(lastRequest())
      expect(answer.meta).toMatchObject({ method: 'kde', cell: 150, shape: 'hex', bandwidth: 250, bandwidthSource: 'parameter' })
      expect(await page.getByTestId('analysis-bandwidth-used').textContent()).toBe('Search radius used: 250 m (as set).')
      expect(await page.evaluate(() => window.__safegrid!.map.queryRenderedFeatures({ layers: ['hotspots-fill'] }).length)).toBeGreaterThan(0)
      const kept = new URL(page.url()).searchParams
      expect(['panels', 'method', 'cell', 'shape', 'bandwidth'].map((k) => kept.get(k))).toEqual(['analysis', 'kde', '150', 'hex', '250'])

      // A change is written back (defaults leave the link); closing keeps the settings, without the panel.
      await page.getByTestId('method-gistar').click()
      await page.getByTestId('analysis-fdr').check()
      await expect.poll(() => new URL(page.url()).searchParams.get('fdr')).toBe('true')
      expect(new URL(page.url()).searchParams.has('method')).toBe(false)
      await page.getByTestId('analysis-close').click()
      await expect.poll(() => new URL(page.url()).searchParams.has('panels')).toBe(false)
      expect(new URL(page.url()).searchParams.get('cell')).toBe('150')
      expect(await page.getByTestId('analysis-open').getAttribute('aria-pressed')).toBe('false')

      // A malformed link opens the panel with the defaults.
      await page.goto(`${env.server.url}/?panels=analysis&method=magic&cell=7&shape=round`)
      await page.waitForSelector('[data-testid=analysis][data-method=gistar]', { timeout: READY_TIMEOUT })
      expect(await page.getByTestId('analysis-cell').inputValue()).toBe('100')
      expect(await page.getByTestId('analysis-shape').inputValue()).toBe('square')
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 180_000)
})
