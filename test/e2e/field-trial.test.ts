/**
 * Issue 14, "Field trial fixes", in a real browser against the real server on the demo data: dates
 * typed with the keyboard (item 2), the offer of the period with data for emerging hot spots (5),
 * where priority gaps are and the sortable zone table (6), legend and map colours agreeing (8), the
 * UI language in dates, MapLibre's controls and the weekday window (9), and the layout at 1024 × 768
 * (10). Screenshots at 1440 × 900 and 1024 × 768 in both languages go to SCREENSHOTS.
 */
import path from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import type { HotspotCollection } from '../../web/src/lib/hotspots'
import { apiJson, HAS_BROWSER, openPage, overlaps, READY_TIMEOUT, SCREENSHOTS, useBrowserEnv, waitForIdle, type Box } from './browser'

const env = useBrowserEnv()
const SMALL = { width: 1024, height: 768 }
const LARGE = { width: 1440, height: 900 }

const param = (page: Page, name: string) => new URL(page.url()).searchParams.get(name)
const box = (page: Page, selector: string): Promise<Box | null> =>
  page.evaluate((sel) => {
    const e = document.querySelector(sel)
    if (e === null) return null
    const r = e.getBoundingClientRect()
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }
  }, selector)

async function afterMove(page: Page, act: () => Promise<void>): Promise<void> {
  const moved = page.evaluate(() => new Promise<void>((resolve) => window.__safegrid!.map.once('moveend', () => resolve())))
  await act()
  await moved
  await waitForIdle(page)
}

describe.skipIf(!HAS_BROWSER)('field trial fixes (issue 14)', () => {
  test('item 2: a date typed with the keyboard changes only its own end, and a half-typed or backwards one changes nothing and says why', async () => {
    const { context, page, pageErrors } = await openPage(env, 'en-US', { path: '/?from=2019-10-01&to=2019-10-31' })
    try {
      const from = page.getByTestId('filter-from')
      const to = page.getByTestId('filter-to')
      // shown the UI language's way, not mm/dd/yyyy
      expect(await from.inputValue()).toBe('1 Oct 2019')
      expect(await to.inputValue()).toBe('31 Oct 2019')
      const count = async () => Number(await page.getByTestId('filter-count').getAttribute('data-total'))
      await expect.poll(() => page.getByTestId('filter-count').getAttribute('data-total')).not.toBe('')
      const before = await count()

      // half-typed: the filter keeps its period, the field says it is not a date
      await to.fill('2019-10-1')
      await to.press('Backspace')
      await to.press('Enter')
      expect(await to.getAttribute('aria-invalid')).toBe('true')
      expect(await page.getByTestId('filter-to-error').textContent()).toContain('Not a whole date')
      expect(param(page, 'from')).toBe('2019-10-01')
      expect(param(page, 'to')).toBe('2019-10-31')
      expect(await count()).toBe(before)
      // Escape puts the last valid date back
      await to.press('Escape')
      expect(await to.inputValue()).toBe('31 Oct 2019')
      expect(await to.getAttribute('aria-invalid')).toBe('false')

      // an end before the start: refused in the field, the start is not moved
      await to.fill('2019-09-15')
      await to.press('Tab')
      expect(await page.getByTestId('filter-to-error').textContent()).toContain('before the start')
      expect(param(page, 'from')).toBe('2019-10-01')
      expect(param(page, 'to')).toBe('2019-10-31')

      // a whole date typed in the end field: only the end changes
      await to.fill('15 Oct 2019')
      await to.press('Enter')
      await expect.poll(() => param(page, 'to')).toBe('2019-10-15')
      expect(param(page, 'from')).toBe('2019-10-01')
      expect(await to.inputValue()).toBe('15 Oct 2019')
      // and in the start field, typed year first
      await from.fill('2019-10-05')
      await from.press('Enter')
      await expect.poll(() => param(page, 'from')).toBe('2019-10-05')
      expect(param(page, 'to')).toBe('2019-10-15')
      const summary = await apiJson<{ total: number }>(env, '/api/communities/sf-mission/incidents/summary?from=2019-10-05&to=2019-10-15')
      await expect.poll(count).toBe(summary.total)
      await page.getByTestId('filter-bar').screenshot({ path: path.join(SCREENSHOTS, 'filter-dates-en.png') })
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 180_000)

  test('item 9: dates, MapLibre’s controls and the weekday window follow the UI language, also after a switch', async () => {
    const { context, page } = await openPage(env, 'zh-CN', { path: '/?from=2019-10-01&to=2019-10-31&weekdays=6,7&panels=coverage' })
    try {
      expect(await page.getByTestId('filter-from').inputValue()).toBe('2019年10月1日')
      expect(await page.locator('.maplibregl-ctrl-zoom-in').getAttribute('title')).toBe('放大')
      expect(await page.locator('.maplibregl-ctrl-zoom-out').getAttribute('title')).toBe('缩小')
      expect(await page.locator('.maplibregl-ctrl-scale').textContent()).toMatch(/(米|公里)$/)
      await page.waitForSelector('[data-testid=coverage][data-state=ready]', { timeout: READY_TIMEOUT })
      expect(await page.getByTestId('coverage-window').textContent()).toContain('周六、周日')
      expect(await page.getByTestId('coverage-window').textContent()).not.toContain('6,7')
      await page.screenshot({ path: path.join(SCREENSHOTS, 'field-language-zh.png') })

      await page.click('button[data-lang=en]')
      await expect.poll(() => page.getByTestId('filter-from').inputValue()).toBe('1 Oct 2019')
      await expect.poll(() => page.locator('.maplibregl-ctrl-zoom-in').getAttribute('title')).toBe('Zoom in')
      expect(await page.locator('.maplibregl-ctrl-scale').textContent()).toMatch(/(m|km)$/)
      expect(await page.getByTestId('coverage-window').textContent()).toContain('Sat, Sun')
      await page.screenshot({ path: path.join(SCREENSHOTS, 'field-language-en.png') })
    } finally {
      await context.close()
    }
  }, 180_000)

  test('item 5: emerging hot spots over the whole range say that most slices are empty and analyse the period with data in one click', async () => {
    const { context, page, pageErrors } = await openPage(env, 'en-US', { path: '/?panels=analysis&method=emerging&cell=400', viewport: LARGE })
    try {
      await page.waitForSelector('[data-testid=analysis][data-state=ready], [data-testid=analysis][data-state=insufficient]', { timeout: READY_TIMEOUT })
      const request = `/api/communities/sf-mission/hotspots?method=emerging&cell=400&shape=square&slice=month`
      const answer = await apiJson<HotspotCollection>(env, request)
      expect(answer.meta.emptySlices! * 2).toBeGreaterThan(answer.meta.slices!)
      const note = page.getByTestId('analysis-empty-slices')
      expect(await note.getAttribute('data-empty')).toBe(String(answer.meta.emptySlices))
      expect(await note.textContent()).toContain(`of ${answer.meta.slices} time slices have no incident`)
      const offer = page.getByTestId('analysis-data-period')
      const period = answer.meta.dataPeriod!
      expect(await offer.getAttribute('data-from')).toBe(period.from)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'analysis-empty-slices-en-1440.png') })
      await offer.click()
      await expect.poll(() => param(page, 'from')).toBe(period.from)
      expect(param(page, 'to')).toBe(period.to)
      await page.waitForSelector('[data-testid=analysis][data-state=ready], [data-testid=analysis][data-state=insufficient]', { timeout: READY_TIMEOUT })
      await page.screenshot({ path: path.join(SCREENSHOTS, 'analysis-data-period-en-1440.png') })
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 300_000)

  test('item 6 and 8: priority gaps say where and fly there; the zone table sorts by any column and a row opens its zone; legend and map colours agree', async () => {
    const { context, page, pageErrors } = await openPage(env, 'zh-CN', { path: '/?panels=coverage', viewport: LARGE })
    try {
      await page.waitForSelector('[data-testid=coverage][data-state=ready]', { timeout: READY_TIMEOUT })
      await waitForIdle(page)
      // legend swatches and the layers' paint colours are the same colours
      const paint = await page.evaluate(() => {
        const m = window.__safegrid!.map
        return { fill: m.getPaintProperty('coverage-fill', 'fill-color'), gap: m.getPaintProperty('coverage-gaps-building', 'line-color') }
      })
      const swatches = await page.evaluate(() => [...document.querySelectorAll('.coverage-legend [data-color], .coverage-legend .swatch')].map((e) => e.getAttribute('data-color') ?? (e as HTMLElement).outerHTML))
      expect(swatches.join(' ').toLowerCase()).toContain(String(paint.fill).toLowerCase())
      expect(swatches.join(' ').toLowerCase()).toContain(String(paint.gap).toLowerCase())
      expect(await page.locator('.coverage-hatch-swatch').getAttribute('data-color')).toBe(paint.gap)

      // priority gaps: zone and street, and a click flies there
      const first = page.getByTestId('coverage-priority').locator('li').first()
      const place = first.getByTestId('coverage-priority-place')
      const zone = await first.getAttribute('data-zone')
      expect(zone).toMatch(/^G\d+/)
      expect(await place.textContent()).toContain(zone!)
      const gaps = await apiJson<{ features: { properties: { kind: string; rank: number; center: [number, number]; street: string | null } }[] }>(
        env,
        '/api/communities/sf-mission/gaps?network=all',
      )
      const gap = gaps.features.find((f) => f.properties.kind === 'priority' && f.properties.rank === 1)!
      if (gap.properties.street !== null) expect(await place.textContent()).toContain(gap.properties.street)
      await afterMove(page, () => place.click())
      const centre = await page.evaluate(() => window.__safegrid!.map.project(window.__safegrid!.map.getCenter()))
      const gapAt = await page.evaluate((c) => window.__safegrid!.map.project(c), gap.properties.center)
      // the cell is in view, near the middle of the free map (padding keeps it beside the dock)
      const mapBox = (await box(page, '[data-testid=map]'))!
      expect(gapAt.x).toBeGreaterThan(0)
      expect(gapAt.x).toBeLessThan(mapBox.right - mapBox.left)
      expect(Math.abs(gapAt.y - centre.y)).toBeLessThan(80)

      // sorting: by incidents, largest first, then back
      const header = page.locator('[data-testid=coverage-zones] th[data-column=incidents]')
      expect(await header.getAttribute('aria-sort')).toBe('none')
      await page.getByTestId('coverage-sort-incidents').click()
      expect(await header.getAttribute('aria-sort')).toBe('descending')
      const incidents = async () => (await page.locator('[data-testid=coverage-zones] tbody tr td:nth-of-type(3)').allTextContents()).map((s) => Number(s.replace(/,/g, '')))
      const down = await incidents()
      expect(down).toEqual([...down].sort((a, b) => b - a))
      // by keyboard: focus the header button and press Enter
      await page.getByTestId('coverage-sort-incidents').focus()
      await page.keyboard.press('Enter')
      expect(await header.getAttribute('aria-sort')).toBe('ascending')
      const up = await incidents()
      expect(up).toEqual([...up].sort((a, b) => a - b))
      await page.getByTestId('coverage-sort-code').click()
      expect(await page.locator('[data-testid=coverage-zones] th[data-column=code]').getAttribute('aria-sort')).toBe('ascending')
      await page.screenshot({ path: path.join(SCREENSHOTS, 'coverage-sorted-zh-1440.png') })

      // a row, by keyboard, flies to its zone and opens its details
      const row = page.locator('[data-testid=coverage-zones] tbody tr[data-zone=G05]')
      await row.focus()
      await afterMove(page, () => page.keyboard.press('Enter'))
      await expect.poll(() => page.getByTestId('details').getAttribute('data-kind')).toBe('zone')
      await expect.poll(() => param(page, 'sel')).toMatch(/^zone:\d+$/)
      const zoneIn = await page.evaluate(() => {
        const m = window.__safegrid!.map
        const b = m.getBounds()
        const code = 'G05'
        const f = m.querySourceFeatures('zones').find((x) => x.properties.code === code)
        return { seen: f !== undefined, zoom: m.getZoom(), b: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] }
      })
      expect(zoneIn.seen).toBe(true)
      expect(zoneIn.zoom).toBeLessThanOrEqual(17)
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 300_000)

  test('item 8: the hot spot legend swatches are the colours the map layer paints with', async () => {
    const { context, page } = await openPage(env, 'en-US', { path: '/?panels=analysis&method=gistar', viewport: LARGE })
    try {
      await page.waitForSelector('[data-testid=analysis][data-state=ready]', { timeout: READY_TIMEOUT })
      const legend = (await page.getByTestId('analysis-legend').locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-color')))).filter((c) => c !== null && !c.startsWith('rgba'))
      const fill = JSON.stringify(await page.evaluate(() => window.__safegrid!.map.getPaintProperty('hotspots-fill', 'fill-color'))).toLowerCase()
      expect(legend.length).toBe(6)
      for (const c of legend) expect(fill).toContain(c!.toLowerCase())
    } finally {
      await context.close()
    }
  }, 240_000)

  test('item 10: clicking a coloured hot spot cell over a patrol route shows the cell, not the route', async () => {
    const { context, page } = await openPage(env, 'en-US', { path: '/?panels=analysis&method=count&cell=150', viewport: LARGE })
    try {
      await page.waitForSelector('[data-testid=analysis][data-state=ready]', { timeout: READY_TIMEOUT })
      await waitForIdle(page)
      // a point on a route inside a cell with incidents
      const at = await page.evaluate(() => {
        const m = window.__safegrid!.map
        const { clientWidth: w, clientHeight: h } = m.getContainer()
        for (let x = 30; x < w - 400; x += 6)
          for (let y = 30; y < h - 30; y += 6) {
            const route = m.queryRenderedFeatures([x, y], { layers: ['routes-line'] })
            if (route.length === 0) continue
            const cell = m.queryRenderedFeatures([x, y], { layers: ['hotspots-fill'] })
            if (cell.some((c) => Number(c.properties.count) > 0)) return { x, y }
          }
        return null
      })
      expect(at).not.toBeNull()
      const mapBox = (await box(page, '[data-testid=map]'))!
      await page.mouse.click(mapBox.left + at!.x, mapBox.top + at!.y)
      await page.waitForSelector('.analysis-popup', { timeout: 10_000 })
      await page.waitForTimeout(500)
      expect(await page.getByTestId('details').count()).toBe(0)
      expect(param(page, 'sel')).toBeNull()
    } finally {
      await context.close()
    }
  }, 240_000)

  test('item 10: a search result keeps its surroundings (zoom at most 17) and a zone is fitted whole', async () => {
    const { context, page } = await openPage(env, 'en-US', { viewport: SMALL })
    try {
      await page.getByTestId('search-input').fill('G07')
      const first = page.getByTestId('search-results').locator('li[role=option]').first()
      await expect.poll(() => first.getAttribute('data-kind')).toBe('zone')
      await afterMove(page, () => page.getByTestId('search-input').press('Enter'))
      const found = await apiJson<{ results: { bbox: [number, number, number, number] }[] }>(env, '/api/communities/sf-mission/search?q=G07')
      const [w, s, e, n] = found.results[0]!.bbox
      const corners = await page.evaluate(
        (pts) => pts.map((p) => window.__safegrid!.map.project(p as [number, number])),
        [
          [w, s],
          [e, n],
        ],
      )
      const mapBox = (await box(page, '[data-testid=map]'))!
      const dock = await box(page, '[data-testid=dock]')
      const right = (dock?.left ?? mapBox.right) - mapBox.left
      for (const c of corners) {
        expect(c.x).toBeGreaterThanOrEqual(0)
        expect(c.x).toBeLessThanOrEqual(right)
        expect(c.y).toBeGreaterThanOrEqual(0)
        expect(c.y).toBeLessThanOrEqual(mapBox.bottom - mapBox.top)
      }

      await page.getByTestId('search-input').fill('Valencia')
      const building = page.getByTestId('search-results').locator('li[role=option][data-kind=building]').first()
      await building.waitFor({ timeout: 10_000 })
      await afterMove(page, () => building.click())
      expect(await page.evaluate(() => window.__safegrid!.map.getZoom())).toBeLessThanOrEqual(17.001)
    } finally {
      await context.close()
    }
  }, 180_000)

  test('item 10: at 1024 × 768 the map keeps most of the width, the zone table is in view, controls do not overlap, hit targets are 24 px', async () => {
    const { context, page } = await openPage(env, 'zh-CN', { path: '/?panels=coverage', viewport: SMALL })
    try {
      await page.waitForSelector('[data-testid=coverage][data-state=ready]', { timeout: READY_TIMEOUT })
      await waitForIdle(page)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'coverage-zh-1024.png') })
      const mapBox = (await box(page, '[data-testid=map]'))!
      const dock = (await box(page, '[data-testid=dock]'))!
      const panel = await box(page, '[data-testid=layer-panel]')
      const freeLeft = panel === null ? mapBox.left : Math.max(mapBox.left, panel.right)
      expect(dock.left - freeLeft).toBeGreaterThan(0.55 * SMALL.width)
      // the zone table can be reached in the dock
      await page.getByTestId('coverage-zones').scrollIntoViewIfNeeded()
      const table = (await box(page, '[data-testid=coverage-zones]'))!
      expect(table.top).toBeLessThan(SMALL.height)
      expect(table.right).toBeLessThanOrEqual(SMALL.width)
      // scale bar and attribution apart
      const scale = (await box(page, '.maplibregl-ctrl-scale'))!
      const attribution = (await box(page, '.maplibregl-ctrl-attrib'))!
      expect(overlaps(scale, attribution)).toBe(false)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'coverage-table-zh-1024.png') })
    } finally {
      await context.close()
    }
    const opened = await openPage(env, 'en-US', { viewport: SMALL })
    try {
      const p = opened.page
      if ((await p.getByTestId('layer-panel').count()) === 0) await p.locator('.panel-open').click()
      await p.screenshot({ path: path.join(SCREENSHOTS, 'main-en-1024.png') })
      const targets = await p.evaluate(() => {
        const out: { what: string; w: number; h: number }[] = []
        const measure = (what: string, e: Element) => {
          const r = e.getBoundingClientRect()
          if (r.width > 0) out.push({ what, w: r.width, h: r.height })
        }
        for (const e of document.querySelectorAll('[data-testid=layer-panel] input[type=checkbox]')) measure(`checkbox ${e.getAttribute('data-testid')}`, e.closest('label') ?? e)
        for (const e of document.querySelectorAll('[data-testid=layer-panel] input[type=range]')) measure(`slider ${e.getAttribute('aria-label')}`, e)
        for (const e of document.querySelectorAll('[data-testid=layer-panel] button')) measure(`button ${e.getAttribute('aria-label') ?? e.textContent}`, e)
        return out
      })
      expect(targets.length).toBeGreaterThan(5)
      for (const t of targets) {
        expect(t.h, t.what).toBeGreaterThanOrEqual(24)
        expect(t.w, t.what).toBeGreaterThanOrEqual(24)
      }
      // the legend's last note is not cut off: the panel scrolls to it
      const cut = await p.evaluate(() => {
        const panel = document.querySelector('[data-testid=layer-panel]')!
        const notes = panel.querySelectorAll('.layer-note, .layer-quiet, p')
        const last = notes[notes.length - 1]
        if (last === undefined) return false
        last.scrollIntoView({ block: 'end' })
        const r = last.getBoundingClientRect()
        return r.bottom > window.innerHeight + 1
      })
      expect(cut).toBe(false)
    } finally {
      await opened.context.close()
    }
  }, 240_000)

  test('screenshots at 1440 × 900 and 1024 × 768 in both languages', async () => {
    for (const [locale, lang] of [
      ['zh-CN', 'zh'],
      ['en-US', 'en'],
    ] as const)
      for (const viewport of [LARGE, SMALL]) {
        const { context, page } = await openPage(env, locale, { path: '/?panels=analysis,coverage&method=emerging&cell=400', viewport })
        try {
          await page.waitForSelector('[data-testid=coverage][data-state=ready]', { timeout: READY_TIMEOUT })
          await page.waitForSelector('[data-testid=analysis][data-state=ready], [data-testid=analysis][data-state=insufficient]', { timeout: READY_TIMEOUT })
          await waitForIdle(page)
          await page.screenshot({ path: path.join(SCREENSHOTS, `field-${lang}-${viewport.width}.png`) })
        } finally {
          await context.close()
        }
      }
  }, 600_000)
})
