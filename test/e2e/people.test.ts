/**
 * The people side in a real browser (issue 12): a mediator records a dispute by clicking where it
 * happened, starts its mediation and records the agreement; the zone's figures change as the API
 * counts them. A viewer sees the figures and disputes as counts per zone only — no list, no parties.
 * Screenshots in both languages at 1440 × 900, 1024 × 768 and on a phone (390 × 844, the dock a
 * bottom sheet). In the same sessions: dispute density on the map (the hot spot analysis over
 * disputes), sorting the lists by a column (mouse and keyboard), the admin's deadline form.
 */
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import type { HotspotCollection } from '../../web/src/lib/hotspots'
import type { DisputeFiguresAnswer } from '../../web/src/people/api'
import { DEMO_USER } from '../support/clients'
import { apiJson, HAS_BROWSER, openPage, READY_TIMEOUT, SCREENSHOTS, useBrowserEnv, waitForIdle } from './browser'

const COMMUNITY = '/api/communities/sf-mission'
const PERIOD = 'from=2026-01-01&to=2026-12-31'

/** Nothing of the panel sticks out sideways (a phone would scroll the page or cut it off). */
async function expectWithinViewport(page: import('playwright-core').Page): Promise<void> {
  const wide = await page.evaluate(() => {
    const width = document.documentElement.clientWidth
    return [...document.querySelectorAll('[data-testid=people] *')]
      .filter((el) => !el.closest('.people-scroll') && el.getBoundingClientRect().right > width + 1)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
  })
  expect(wide).toEqual([])
}

describe.skipIf(!HAS_BROWSER)('disputes and mediation', () => {
  const env = useBrowserEnv()

  test('a mediator records a dispute on the map, mediates it to an agreement, and the zone’s figures change', async () => {
    const before = await apiJson<DisputeFiguresAnswer>(env, `${COMMUNITY}/disputes/figures?${PERIOD}`)
    const { context, page, pageErrors } = await openPage(env, 'zh-CN', { path: `/?panels=people&${PERIOD}`, viewport: { width: 1440, height: 900 }, user: DEMO_USER.mediator })
    try {
      await page.waitForSelector('[data-testid=people-figures][data-state=ready]', { timeout: READY_TIMEOUT })
      await page.getByTestId('people-tab-disputes').click()
      await page.waitForSelector('[data-testid=people-disputes][data-state=ready]', { timeout: READY_TIMEOUT })
      await page.getByTestId('people-record').click()
      // click a building in the middle of the map
      await waitForIdle(page)
      const at = await page.evaluate(() => {
        const map = window.__safegrid!.map
        const { clientWidth: w, clientHeight: h } = map.getContainer()
        for (let r = 0; r < 300; r += 9)
          for (const [dx, dy] of [[r, 0], [-r, 0], [0, r], [0, -r]] as const) {
            const [x, y] = [w / 2 - 150 + dx, h / 2 + dy]
            const [b] = map.queryRenderedFeatures([x, y], { layers: ['buildings-fill'] })
            if (b) return { x, y, zone: b.properties.zoneCode as string }
          }
        throw new Error('no building near the centre')
      })
      const box = (await page.getByTestId('map').boundingBox())!
      await page.mouse.click(box.x + at.x, box.y + at.y)
      await expect.poll(() => page.getByTestId('people-place').textContent()).toContain('已定位到楼栋')
      await page.getByTestId('people-kind').selectOption('property')
      await page.getByTestId('people-reported').fill('2026-11-20')
      await page.getByTestId('people-party-0').fill('王大明')
      await page.getByTestId('people-party-1').fill('李小红')
      await page.screenshot({ path: path.join(SCREENSHOTS, 'people-record-zh-1440.png') })
      await page.getByTestId('people-record-save').click()

      // it opens, as reported, with its parties (a mediator sees them)
      const detail = page.getByTestId('people-dispute')
      await expect.poll(() => detail.getAttribute('data-status'), { timeout: READY_TIMEOUT }).toBe('reported')
      expect(await page.getByTestId('people-parties').textContent()).toContain('王大明')
      await page.getByTestId('people-level').selectOption('grid')
      await page.getByTestId('people-at').fill('2026-11-22')
      await page.getByTestId('people-move-mediating').click()
      await expect.poll(() => detail.getAttribute('data-status'), { timeout: READY_TIMEOUT }).toBe('mediating')
      await page.getByTestId('people-at').fill('2026-11-30')
      await page.getByTestId('people-move-agreed').click()
      await expect.poll(() => detail.getAttribute('data-status'), { timeout: READY_TIMEOUT }).toBe('agreed')
      await page.screenshot({ path: path.join(SCREENSHOTS, 'people-agreed-zh-1440.png') })

      // the figures: one more screened, mediated and agreed in that zone (as the API counts them)
      const after = await apiJson<DisputeFiguresAnswer>(env, `${COMMUNITY}/disputes/figures?${PERIOD}`)
      const zoneBefore = before.zones.find((z) => z.zoneCode === at.zone)!
      const zoneAfter = after.zones.find((z) => z.zoneCode === at.zone)!
      expect(zoneAfter.screened).toBe(zoneBefore.screened + 1)
      expect(zoneAfter.mediationRate.numerator).toBe(zoneBefore.mediationRate.numerator + 1)
      expect(zoneAfter.successRate).toEqual({ numerator: zoneBefore.successRate.numerator + 1, denominator: zoneBefore.successRate.denominator + 1, rate: (zoneBefore.successRate.numerator + 1) / (zoneBefore.successRate.denominator + 1) })
      await page.getByTestId('people-tab-figures').click()
      const row = page.locator(`[data-testid=people-zones] tr[data-zone="${at.zone}"]`)
      await expect.poll(() => row.getAttribute('data-screened'), { timeout: READY_TIMEOUT }).toBe(String(zoneAfter.screened))
      expect(await row.textContent()).toContain(`${zoneAfter.mediationRate.numerator} / ${zoneAfter.mediationRate.denominator}`)
      // a zone with no disputes in the period has no rate: "–", not 0 % or 100 %
      const empty = after.zones.find((z) => z.screened === 0)
      if (empty) expect(await page.locator(`[data-testid=people-zones] tr[data-zone="${empty.zoneCode}"] td`).nth(1).textContent()).toBe('–')
      await page.screenshot({ path: path.join(SCREENSHOTS, 'people-figures-zh-1440.png') })
      await page.setViewportSize({ width: 1024, height: 768 })
      await waitForIdle(page)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'people-figures-zh-1024.png') })

      // dispute density: one dispute in the period is too few for hot spots; counts are drawn
      const density = page.getByTestId('people-density')
      await page.getByTestId('people-density-toggle').check()
      await expect.poll(() => density.getAttribute('data-state'), { timeout: READY_TIMEOUT }).toBe('insufficient')
      await page.getByTestId('people-density-count').click()
      await expect.poll(() => density.getAttribute('data-state'), { timeout: READY_TIMEOUT }).toBe('ready')
      const counted = await apiJson<HotspotCollection>(env, `${COMMUNITY}/hotspots?source=disputes&method=count&cell=100&shape=square&${PERIOD}`)
      expect(await page.getByTestId('people-density-summary').getAttribute('data-disputes')).toBe(String(counted.meta.incidents))
      const drawnCells = await page.evaluate(() =>
        window.__safegrid!.map.queryRenderedFeatures({ layers: ['dispute-density-fill'] }).reduce((n, f) => n + Number(f.properties.count), 0),
      )
      expect(drawnCells).toBe(counted.meta.incidents)

      // sorting the disputes by zone: ascending, then descending on Enter; the arrow and aria-sort say which
      await page.getByTestId('people-tab-disputes').click()
      await page.getByTestId('people-status-filter').selectOption('all')
      const zones = () => page.locator('[data-testid=people-dispute-list] tbody tr[data-dispute]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-zone') ?? ''))
      const natural = (a: string, b: string) => a.localeCompare(b, 'zh-CN', { numeric: true, sensitivity: 'base' })
      const zoneHeader = page.locator('th[data-column=zone]').first()
      await page.getByTestId('people-sort-zone').click()
      expect(await zoneHeader.getAttribute('aria-sort')).toBe('ascending')
      const up = await zones()
      expect(up.length).toBeGreaterThan(10)
      expect(up.filter((z) => z !== '')).toEqual(up.filter((z) => z !== '').sort(natural))
      await page.getByTestId('people-sort-zone').focus()
      await page.keyboard.press('Enter')
      expect(await zoneHeader.getAttribute('aria-sort')).toBe('descending')
      const down = await zones()
      expect(down.filter((z) => z !== '')).toEqual(up.filter((z) => z !== '').reverse())
      expect(await page.getByTestId('people-sort-zone').textContent()).toContain('▼')

      // on a phone: the dock is a bottom sheet (and the layer list folded, as a phone opens the app)
      await page.setViewportSize({ width: 390, height: 844 })
      if ((await page.getByTestId('layers-close').count()) > 0) await page.getByTestId('layers-close').dispatchEvent('click')
      await waitForIdle(page)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'people-disputes-zh-390.png') })
      await page.getByTestId('people-tab-warnings').click()
      await page.waitForSelector('[data-testid=people-warnings][data-state=ready]', { timeout: READY_TIMEOUT })
      await page.screenshot({ path: path.join(SCREENSHOTS, 'people-warnings-zh-390.png') })
      await page.getByTestId('people-tab-problems').click()
      await page.waitForSelector('[data-testid=people-problems][data-state=ready]', { timeout: READY_TIMEOUT })
      await page.screenshot({ path: path.join(SCREENSHOTS, 'people-problems-zh-390.png') })
      await page.getByTestId('people-tab-figures').click()
      await page.waitForSelector('[data-testid=people-figures][data-state=ready]', { timeout: READY_TIMEOUT })
      await expect.poll(() => density.getAttribute('data-state'), { timeout: READY_TIMEOUT }).toBe('ready')
      await page.screenshot({ path: path.join(SCREENSHOTS, 'people-figures-zh-390.png') })
      await expectWithinViewport(page)
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 300_000)

  test('a viewer sees the figures and disputes as counts per zone only: no list, no parties', async () => {
    const disputeRequests: string[] = []
    const { context, page, pageErrors } = await openPage(env, 'en-US', {
      path: `/?panels=people`,
      viewport: { width: 390, height: 844 },
      user: DEMO_USER.viewer,
      prepare: (p) => {
        p.on('request', (r) => {
          if (r.url().includes('/disputes')) disputeRequests.push(new URL(r.url()).pathname)
        })
      },
    })
    try {
      await page.waitForSelector('[data-testid=people-figures][data-state=ready]', { timeout: READY_TIMEOUT })
      // first on a phone (the app opened there): the dispute hot spots of all the data (100 m cells: what a viewer may see)
      await waitForIdle(page)
      const density = page.getByTestId('people-density')
      await page.getByTestId('people-density-toggle').check()
      await expect.poll(() => density.getAttribute('data-state'), { timeout: READY_TIMEOUT }).toBe('ready')
      const hot = await apiJson<HotspotCollection>(env, `${COMMUNITY}/hotspots?source=disputes&method=gistar&cell=100&shape=square`, DEMO_USER.viewer)
      expect(await page.getByTestId('people-density-summary').getAttribute('data-cells')).toBe(String(hot.meta.cells))
      const legend = await page.locator('[data-testid=people-density-legend] li').evaluateAll((li) => li.map((l) => Number(l.getAttribute('data-cells'))))
      expect(legend.reduce((a, n) => a + n, 0)).toBe(hot.meta.cells)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'people-viewer-en-390.png') })
      await expectWithinViewport(page)
      await page.getByTestId('people-density-toggle').uncheck()
      await page.setViewportSize({ width: 1440, height: 900 })
      expect(await page.getByTestId('people-tab-disputes').count()).toBe(0)
      expect(await page.getByTestId('people-dispute-list').count()).toBe(0)
      await waitForIdle(page)
      const drawn = await page.evaluate(() => ({
        counts: window.__safegrid!.map.queryRenderedFeatures({ layers: ['people-dispute-counts'] }).length,
        points: window.__safegrid!.map.getLayer('people-disputes') === undefined ? 0 : window.__safegrid!.map.queryRenderedFeatures({ layers: ['people-disputes'] }).length,
      }))
      expect(drawn.counts).toBeGreaterThan(0)
      expect(drawn.points).toBe(0)
      // the page never asked for records
      expect(disputeRequests.filter((p) => /\/communities\/[^/]+\/disputes(\/\d+)?$/.test(p))).toEqual([])
      await page.screenshot({ path: path.join(SCREENSHOTS, 'people-viewer-en-1440.png') })
      await page.setViewportSize({ width: 1024, height: 768 })
      await waitForIdle(page)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'people-viewer-en-1024.png') })

      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 180_000)

  test('an administrator on a phone sets the open-dispute deadline and sorts the care files', async () => {
    const { context, page, pageErrors } = await openPage(env, 'en-US', { path: `/?panels=people&${PERIOD}`, viewport: { width: 390, height: 844 }, user: DEMO_USER.admin })
    try {
      await page.getByTestId('people-tab-warnings').click()
      const deadline = page.getByTestId('people-deadline')
      await expect.poll(() => deadline.getAttribute('data-days'), { timeout: READY_TIMEOUT }).toBe('30')
      const version = Number(await deadline.getAttribute('data-version'))
      await page.getByTestId('people-deadline-days').fill('400')
      expect(await page.getByTestId('people-deadline-save').isDisabled()).toBe(true)
      await page.getByTestId('people-deadline-days').fill('45')
      await page.getByTestId('people-deadline-save').click()
      await expect.poll(() => deadline.getAttribute('data-days'), { timeout: READY_TIMEOUT }).toBe('45')
      expect(Number(await deadline.getAttribute('data-version'))).toBe(version + 1)
      await page.waitForSelector('[data-testid=people-deadline-saved]')
      expect(await apiJson<{ days: number }>(env, `${COMMUNITY}/disputes/deadline`)).toMatchObject({ days: 45, version: version + 1 })
      await page.waitForSelector('[data-testid=people-warnings][data-state=ready]', { timeout: READY_TIMEOUT })
      await page.screenshot({ path: path.join(SCREENSHOTS, 'people-deadline-en-390.png') })

      // care files by risk: highest first on the first click
      await page.getByTestId('people-tab-care').click()
      await page.waitForSelector('[data-testid=people-care][data-state=ready]', { timeout: READY_TIMEOUT })
      await page.getByTestId('people-sort-risk').click()
      const risks = await page.locator('[data-testid=people-care-list] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-risk')))
      const rank = { high: 0, medium: 1, low: 2 } as Record<string, number>
      expect(risks.length).toBeGreaterThan(0)
      expect(risks).toEqual([...risks].sort((a, b) => rank[a!]! - rank[b!]!))
      expect(await page.locator('th[data-column=risk]').getAttribute('aria-sort')).toBe('descending')
      await page.screenshot({ path: path.join(SCREENSHOTS, 'people-care-en-390.png') })
      await expectWithinViewport(page)
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 180_000)
})
