/**
 * Bringing a community's own data in a real browser (issue 10): a system administrator creates a
 * community (its boundary drawn on the map), then imports its buildings (a zipped Shapefile in UTM
 * with Chinese names in GBK) and its incidents (a CSV): a dry run first — the features on the map,
 * a bad row reported by number and column, nothing written — then the import, and the map shows
 * what was imported. Screenshots in Chinese at 1440 × 900.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { ROOT_DIR } from '../../server/src/config'
import { apiJson, HAS_BROWSER, openPage, READY_TIMEOUT, SCREENSHOTS, useBrowserEnv, waitForIdle } from './browser'

describe.skipIf(!HAS_BROWSER)('importing a community’s own data', () => {
  const env = useBrowserEnv()

  test('create a community with a boundary drawn on the map, check and import buildings and incidents, see them on the map', async () => {
    const { context, page, pageErrors } = await openPage(env, 'zh-CN', { path: '/?panels=import&map=16.5/37.76050/-122.41550', viewport: { width: 1440, height: 900 } })
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safegrid-import-'))
    try {
      // a new community
      await page.getByTestId('import-new-community').locator('summary').click()
      await page.getByTestId('import-community-id').fill('e2e-import')
      await page.getByTestId('import-community-name-zh').fill('导入测试社区')
      await page.getByTestId('import-community-name').fill('Import test')
      await page.getByTestId('import-community-tz').fill('America/Los_Angeles')
      // its boundary drawn on the map: four corners, then the first again to close the ring
      await waitForIdle(page)
      const box = (await page.locator('.maplibregl-canvas').boundingBox())!
      // (between the layers panel on the left and the dock on the right)
      const corners = [
        [box.x + box.width * 0.25, box.y + 120],
        [box.x + box.width * 0.68, box.y + 120],
        [box.x + box.width * 0.68, box.y + box.height - 90],
        [box.x + box.width * 0.25, box.y + box.height - 90],
      ] as const
      await page.getByTestId('import-community-draw').click()
      for (const [x, y] of [...corners, corners[0]]) {
        await page.mouse.click(x, y)
        await page.waitForTimeout(150)
      }
      await expect.poll(() => page.getByTestId('import-community-boundary-state').textContent(), { timeout: READY_TIMEOUT }).toMatch(/边界已绘制：[\d.]+ 平方公里/)
      // the clicks drew; they selected nothing on the map
      expect(await page.getByTestId('details').count()).toBe(0)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'import-boundary-drawn-zh-1440.png') })
      // where the corners were clicked, as the map placed them while drawing
      const drawnCorners = await page.evaluate(
        (pts) => pts.slice(0, 4).map(([x, y]) => window.__safegrid!.map.unproject([x - pts[4]![0], y - pts[4]![1]]).toArray()),
        [...corners.map(([x, y]) => [x, y] as [number, number]), [box.x, box.y] as [number, number]],
      )
      await Promise.all([page.waitForURL(/community=e2e-import/, { timeout: READY_TIMEOUT }), page.getByTestId('import-community-create').click()])
      await page.waitForSelector('body[data-map-ready=true]', { timeout: READY_TIMEOUT })
      await expect.poll(() => page.getByTestId('community-name').textContent(), { timeout: READY_TIMEOUT }).toBe('导入测试社区')
      // an office's own community is not sample data: no sample mark (the demo has one)
      expect(await page.getByTestId('sample-badge').count()).toBe(0)
      const created = await apiJson<{ communities: { id: string; counts: { buildings: number }; bbox: [number, number, number, number] }[] }>(env, '/api/communities')
      const mine = created.communities.find((c) => c.id === 'e2e-import')!
      expect(mine.counts.buildings).toBe(0)
      // the boundary is the drawn one: its box is the corners' (to a few centimetres)
      const lons = drawnCorners.map((c) => c[0]!)
      const lats = drawnCorners.map((c) => c[1]!)
      const want = [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)]
      mine.bbox.forEach((v, k) => expect(Math.abs(v - want[k]!), `bbox[${k}] ${JSON.stringify(mine.bbox)} vs ${JSON.stringify(want)}`).toBeLessThan(1e-6))

      // buildings: a zipped Shapefile (UTM 10N, names in GBK); the dry run shows them on the map
      await page.getByTestId('import-layer').selectOption('buildings')
      await page.getByTestId('import-file').setInputFiles(path.join(ROOT_DIR, 'fixtures/import/buildings-utm-gbk.zip'))
      await page.getByTestId('import-check').click()
      const report = page.getByTestId('import-report')
      await expect.poll(() => report.getAttribute('data-valid'), { timeout: READY_TIMEOUT }).toBe('5')
      expect(await report.getAttribute('data-rejected')).toBe('0')
      expect(await report.textContent()).toContain('GBK')
      await waitForIdle(page)
      const drafted = await page.evaluate(() => window.__safegrid!.map.queryRenderedFeatures({ layers: ['import-preview-fill'] } as never).length)
      expect(drafted).toBeGreaterThan(0)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'import-dry-run-zh-1440.png') })
      // nothing written yet
      expect((await apiJson<{ features: unknown[] }>(env, '/api/communities/e2e-import/layers/buildings')).features).toHaveLength(0)
      await page.getByTestId('import-confirm').click()
      await expect.poll(() => page.getByTestId('import-done').textContent(), { timeout: READY_TIMEOUT }).toContain('新增 5')
      const buildings = await apiJson<{ features: { properties: { name: string | null } }[] }>(env, '/api/communities/e2e-import/layers/buildings')
      expect(buildings.features.map((f) => f.properties.name).sort()).toEqual(['友谊大厦', '和平楼', '幸福里', '春晖苑', '阳光公寓'].sort())

      // incidents: a CSV with a bad row in the middle is refused with its row and column, then the corrected file goes in
      const bad = path.join(dir, 'incidents-bad.csv')
      fs.writeFileSync(bad, 'id,类别,发生时间,经度,纬度\nE-1,ROBBERY,2026-11-20 22:15,-122.4155,37.7605\nE-2,ASSAULT,2026-11-31 10:00,-122.4150,37.7608\nE-3,VANDALISM,2026-11-22,-122.4160,37.7602\n')
      await page.getByTestId('import-layer').selectOption('incidents')
      await page.getByTestId('import-file').setInputFiles(bad)
      await page.getByTestId('import-check').click()
      await expect.poll(() => report.getAttribute('data-rejected'), { timeout: READY_TIMEOUT }).toBe('1')
      const rejectedRow = await page.locator('[data-testid=import-rejected] tbody tr').first().locator('td').allTextContents()
      expect(rejectedRow.slice(0, 2)).toEqual(['3', '发生时间'])
      expect(await page.getByTestId('import-confirm').isDisabled()).toBe(true)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'import-rejected-zh-1440.png') })
      const good = path.join(dir, 'incidents.csv')
      fs.writeFileSync(good, fs.readFileSync(bad, 'utf8').replace('2026-11-31', '2026-11-21'))
      await page.getByTestId('import-file').setInputFiles(good)
      await page.getByTestId('import-check').click()
      await expect.poll(() => report.getAttribute('data-valid'), { timeout: READY_TIMEOUT }).toBe('3')
      await page.getByTestId('import-confirm').click()
      await expect.poll(() => page.getByTestId('import-done').textContent(), { timeout: READY_TIMEOUT }).toContain('新增 3')
      const summary = await apiJson<{ total: number }>(env, '/api/communities/e2e-import/incidents/summary')
      expect(summary.total).toBe(3)

      // the map shows what was imported: the buildings drawn, the past imports listed
      await waitForIdle(page)
      await expect.poll(() => page.evaluate(() => window.__safegrid!.map.queryRenderedFeatures({ layers: ['buildings-fill'] } as never).length), { timeout: READY_TIMEOUT }).toBeGreaterThan(0)
      // the incident tiles come again after an import (the filter bar counts them too)
      await expect.poll(() => page.evaluate(() => window.__safegrid!.map.queryRenderedFeatures({ layers: ['incidents-circle'] } as never).length), { timeout: READY_TIMEOUT }).toBe(3)
      await expect.poll(() => page.getByTestId('filter-count').getAttribute('data-total'), { timeout: READY_TIMEOUT }).toBe('3')
      expect(await page.locator('[data-testid=import-history] li').count()).toBe(2)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'import-done-zh-1440.png') })
      await page.setViewportSize({ width: 1024, height: 768 })
      await page.screenshot({ path: path.join(SCREENSHOTS, 'import-done-zh-1024.png') })
      await page.locator('[data-lang=en]').click()
      await expect.poll(() => page.locator('#import-title').textContent(), { timeout: READY_TIMEOUT }).toBe('Import data')
      await page.screenshot({ path: path.join(SCREENSHOTS, 'import-done-en-1024.png') })
      await page.setViewportSize({ width: 1440, height: 900 })
      await page.screenshot({ path: path.join(SCREENSHOTS, 'import-done-en-1440.png') })
      expect(pageErrors).toEqual([])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
      await context.close()
    }
  }, 300_000)
})
