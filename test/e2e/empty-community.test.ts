/**
 * An empty community in a real browser (issue 10): an administrator creates a community that holds
 * only its boundary; the map fits and draws the boundary and says what is missing, with a button
 * that opens the import panel, and every panel says what it lacks — hot spots (no incidents),
 * coverage (no routes, no zones), disputes, the plan (draw the first zone), the meeting view —
 * instead of a blank panel or an error; a viewer is told to ask the administrator. The upload's progress
 * bar and cancel. Screenshots at 1440 × 900 and 1024 × 768, in Chinese and English.
 */
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { HAS_BROWSER, openPage, READY_TIMEOUT, SCREENSHOTS, useBrowserEnv, waitForIdle } from './browser'

const x = -122.4
const y = 37.75
const s = 0.004
const boundary = { type: 'Polygon', coordinates: [[[x - s, y - s], [x + s, y - s], [x + s, y + s], [x - s, y + s], [x - s, y - s]]] }

describe.skipIf(!HAS_BROWSER)('an empty community', () => {
  const env = useBrowserEnv()

  test('says in the map and in every panel what is missing, and opens the import panel', async () => {
    const res = await fetch(`${env.server.url}/api/communities`, {
      method: 'POST',
      headers: { cookie: await env.server.login(), 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'e2e-empty', name: 'Empty test', nameZh: '空白测试社区', timeZone: 'America/Los_Angeles', boundary }),
    })
    expect(res.status).toBe(201)
    const { context, page, pageErrors } = await openPage(env, 'zh-CN', { path: '/?community=e2e-empty', viewport: { width: 1440, height: 900 } })
    try {
      // the map: fitted to the boundary, which it draws; the notice lists what is missing
      const notice = page.getByTestId('empty-map')
      await notice.waitFor({ timeout: READY_TIMEOUT })
      expect(await notice.getAttribute('data-missing')).toBe('zones buildings routes captains incidents')
      expect(await page.getByTestId('empty-map-zones').textContent()).toBe('还没有网格 — 导入或绘制。')
      await waitForIdle(page)
      await expect.poll(() => page.evaluate(() => window.__safegrid!.map.queryRenderedFeatures({ layers: ['community-boundary-line'] } as never).length), { timeout: READY_TIMEOUT }).toBeGreaterThan(0)
      const centre = await page.evaluate(() => window.__safegrid!.map.getCenter().toArray())
      expect(Math.abs(centre[0]! - x)).toBeLessThan(s)
      expect(Math.abs(centre[1]! - y)).toBeLessThan(s)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'empty-map-zh-1440.png') })
      // the demo's sources (DataSF, OpenStreetMap, SFPD) are not credited on an office's own community
      expect(await page.locator('.maplibregl-ctrl-attrib').count()).toBe(0)
      expect(await page.locator('.maplibregl-ctrl-scale').count()).toBe(1)

      // the panels: hot spots (not run), coverage, then disputes and the plan (draw the first zone)
      for (const tool of ['analysis', 'coverage']) await page.getByTestId(`${tool}-open`).click()
      await expect.poll(() => page.getByTestId('analysis').getAttribute('data-state'), { timeout: READY_TIMEOUT }).toBe('empty')
      expect(await page.getByTestId('analysis').getByTestId('empty-incidents').textContent()).toContain('还没有警情')
      for (const id of ['empty-routes', 'empty-zones']) await page.getByTestId('coverage').getByTestId(id).waitFor({ timeout: READY_TIMEOUT })
      await page.screenshot({ path: path.join(SCREENSHOTS, 'empty-panels-zh-1440.png') })
      for (const tool of ['people', 'plan']) await page.getByTestId(`${tool}-open`).click()
      for (const id of ['empty-disputes', 'empty-plan-draw']) await page.getByTestId('dock-body').getByTestId(id).waitFor({ timeout: READY_TIMEOUT })
      await page.setViewportSize({ width: 1024, height: 768 })
      await page.screenshot({ path: path.join(SCREENSHOTS, 'empty-panels-zh-1024.png') })

      // English; the notice's button opens the import panel
      await page.locator('[data-lang=en]').click()
      await expect.poll(() => page.getByTestId('coverage').getByTestId('empty-zones').textContent(), { timeout: READY_TIMEOUT }).toContain('No grid zones yet — import or draw them.')
      await page.screenshot({ path: path.join(SCREENSHOTS, 'empty-panels-en-1024.png') })
      for (const tool of ['analysis', 'coverage', 'people', 'plan']) await page.getByTestId(`${tool}-open`).click()
      await page.setViewportSize({ width: 1440, height: 900 })
      await page.getByTestId('layers-open').click()
      await page.screenshot({ path: path.join(SCREENSHOTS, 'empty-map-en-1440.png') })
      await page.getByTestId('empty-map-import').click()
      await page.getByTestId('import').waitFor({ timeout: READY_TIMEOUT })
      expect(await page.getByTestId('empty-map').count()).toBe(0)

      // an upload shows its progress until the server answers, and cancel aborts it (held here until cancelled)
      let release = () => {}
      const held = new Promise<void>((resolve) => (release = resolve))
      await page.route('**/imports?*', async (route) => {
        await held
        await route.continue().catch(() => {})
      })
      await page.getByTestId('import-layer').selectOption('incidents')
      await page.getByTestId('import-file').setInputFiles({ name: 'incidents.csv', mimeType: 'text/csv', buffer: Buffer.from(`id,category,occurred_at,lon,lat\nE-1,ROBBERY,2026-11-20 22:15,${x},${y}\n`) })
      await page.getByTestId('import-check').click()
      await page.getByTestId('import-progress').waitFor({ timeout: READY_TIMEOUT })
      await page.screenshot({ path: path.join(SCREENSHOTS, 'empty-import-progress-en-1440.png') })
      await page.getByTestId('import-cancel').click()
      await page.getByTestId('import-cancelled').waitFor({ timeout: READY_TIMEOUT })
      release()
      await page.unroute('**/imports?*')
      expect(await page.getByTestId('import-progress').count()).toBe(0)
      expect(await page.getByTestId('import-report').count()).toBe(0)

      // the meeting view: nothing in the period, and why
      await page.getByTestId('meeting-toggle').click()
      await page.getByTestId('meeting-empty').waitFor({ timeout: READY_TIMEOUT })
      expect(await page.getByTestId('meeting-empty').textContent()).toContain('No grid zones yet')
      expect(await page.getByTestId('meeting-empty').getByRole('button').count()).toBe(1)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'empty-meeting-en-1440.png') })
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }

    // a role that may not import is told to ask its administrator (no import button)
    const grant = await fetch(`${env.server.url}/api/users/demo-viewer`, {
      method: 'PATCH',
      headers: { cookie: await env.server.login(), 'content-type': 'application/json' },
      body: JSON.stringify({ roles: [{ community: 'sf-mission', role: 'viewer' }, { community: 'e2e-empty', role: 'viewer' }] }),
    })
    expect(grant.status).toBe(200)
    const viewer = await openPage(env, 'en-US', { path: '/?community=e2e-empty&panels=analysis', user: 'demo-viewer', viewport: { width: 1024, height: 768 } })
    try {
      await viewer.page.getByTestId('analysis').getByTestId('empty-incidents').waitFor({ timeout: READY_TIMEOUT })
      expect(await viewer.page.getByTestId('analysis').getByTestId('empty-incidents').textContent()).toContain('Ask your administrator')
      expect(await viewer.page.getByTestId('empty-map').textContent()).toContain('Ask your administrator')
      expect(await viewer.page.locator('[data-testid$=-import]').count()).toBe(0)
      expect(viewer.pageErrors).toEqual([])
    } finally {
      await viewer.context.close()
    }
  }, 240_000)
})
