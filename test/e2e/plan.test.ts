/**
 * Planning on the map (issue 11) in a real browser against the real server: a planner draws a new
 * route along the streets of a zone nobody patrols at night, gives it a night shift, sees the
 * server's preview of the draft change that zone's night coverage, saves it and finds it on the map,
 * in the API and in its history; reshapes a zone; gives a captain three buildings by clicking them
 * (the load counts up as they are picked) — and a second planner who saved first is shown as a
 * conflict to resolve. Screenshots at 1440 × 900 and 1024 × 768 in both languages are saved to look at.
 */
import path from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import type { PlanPreview } from '../../web/src/plan/api'
import { DEMO_USER } from '../support/clients'
import { apiJson, apiSend, HAS_BROWSER, openPage, READY_TIMEOUT, SCREENSHOTS, useBrowserEnv, waitForIdle, type BrowserEnv } from './browser'

const COMMUNITY = '/api/communities/sf-mission'

/** Opens the app as the demo planner with the planning panel open (and `query` besides). */
async function openPlan(env: BrowserEnv, locale: string, query = '', viewport = { width: 1440, height: 900 }) {
  const opened = await openPage(env, locale, { path: `/?panels=plan${query}`, viewport, user: DEMO_USER.planner })
  await opened.page.waitForSelector('[data-testid=plan]', { timeout: READY_TIMEOUT })
  return opened
}

/** Screen points (in the map's container) of `n` vertices along a street that runs through zone `code`, inside it. */
async function streetPointsIn(page: Page, code: string, n: number): Promise<[number, number][]> {
  return page.evaluate(
    ({ code, n }) => {
      const map = window.__safegrid!.map
      const zone = map.querySourceFeatures('zones').find((f) => f.properties.code === code)
      if (zone === undefined) throw new Error(`no zone ${code}`)
      const g = zone.geometry as GeoJSON.Polygon | GeoJSON.MultiPolygon
      const coords: GeoJSON.Position[] = g.type === 'Polygon' ? g.coordinates.flat() : g.coordinates.flat(2)
      const box = coords.reduce<[number, number, number, number]>((b, [x, y]) => [Math.min(b[0], x!), Math.min(b[1], y!), Math.max(b[2], x!), Math.max(b[3], y!)], [180, 90, -180, -90])
      map.fitBounds(box, { padding: 80, animate: false })
      return [] as [number, number][]
    },
    { code, n },
  ).then(async () => {
    await waitForIdle(page)
    return page.evaluate(
      ({ code, n }) => {
        const map = window.__safegrid!.map
        const inZone = (x: number, y: number) => map.queryRenderedFeatures([x, y], { layers: ['zones-fill'] }).some((f) => f.properties.code === code)
        // the longest street drawn in the zone, sampled at n points the zone contains
        const streets = map.queryRenderedFeatures({ layers: ['streets-line'] }).filter((f) => f.geometry.type === 'LineString')
        let best: [number, number][] = []
        for (const s of streets) {
          const pts = (s.geometry as GeoJSON.LineString).coordinates.map(([lng, lat]) => map.project([lng!, lat!])).map((p) => [p.x, p.y] as [number, number])
          const inside = pts.filter(([x, y]) => inZone(x, y))
          if (inside.length >= 2) {
            const [a, b] = [inside[0]!, inside[inside.length - 1]!]
            const len = Math.hypot(b[0] - a[0], b[1] - a[1])
            const bestLen = best.length < 2 ? 0 : Math.hypot(best[best.length - 1]![0] - best[0]![0], best[best.length - 1]![1] - best[0]![1])
            if (len > bestLen) best = [a, b]
          }
        }
        if (best.length < 2) throw new Error(`no street inside ${code}`)
        const [a, b] = [best[0]!, best[1]!]
        return Array.from({ length: n }, (_, i) => [a[0] + ((b[0] - a[0]) * (i + 0.5)) / n, a[1] + ((b[1] - a[1]) * (i + 0.5)) / n] as [number, number])
      },
      { code, n },
    )
  })
}

/** Clicks at (x, y) of the map's container. */
async function clickMap(page: Page, [x, y]: [number, number]) {
  const box = (await page.getByTestId('map').boundingBox())!
  await page.mouse.click(box.x + x, box.y + y)
}

describe.skipIf(!HAS_BROWSER)('planning on the map', () => {
  const env = useBrowserEnv()

  test('draw a route in a zone nobody patrols at night, add a night shift, see the preview, save, find it in the history', async () => {
    const { context, page, pageErrors } = await openPlan(env, 'zh-CN', '&hours=22-02')
    try {
      await page.screenshot({ path: path.join(SCREENSHOTS, 'plan-empty-zh-1440.png') })
      const previews: PlanPreview[] = []
      // (a preview answered just before the page reloads has no body left to read: the assertions
      // below need only the previews that were shown, so an unreadable one is skipped, not thrown)
      page.on('response', (r) => {
        if (r.url().includes('/plans/preview') && r.ok()) void r.json().then((body) => previews.push(body as PlanPreview), () => {})
      })

      // Draw along a street of G05 (no patrol at all today); points snap to the street.
      const points = await streetPointsIn(page, 'G05', 3)
      await page.getByTestId('plan-new-route').click()
      await page.waitForSelector('[data-testid=plan][data-state=drawing]')
      for (const p of points) await clickMap(page, p)
      await expect.poll(() => page.getByTestId('plan-measure').textContent()).toMatch(/长度 \d+ 米/)
      await clickMap(page, points[points.length - 1]!)
      await page.waitForSelector('[data-testid=plan-item][data-entity=route]')
      expect(await page.getAttribute('[data-testid=plan]', 'data-draft')).toBe('1')

      // Name it in both languages, and give it a night shift (22:00–02:00, every day).
      await page.getByTestId('plan-field-name-zh').fill('G05 夜巡线')
      await page.getByTestId('plan-field-name-en').fill('G05 night beat')
      await page.getByTestId('plan-shift-add-night').click()
      expect(await page.getByTestId('plan-shift').count()).toBe(1)

      // The server's preview: G05's night coverage goes from 0 to something, and the draft is drawn.
      await page.waitForSelector('[data-testid=plan-preview][data-state=ready]', { timeout: READY_TIMEOUT })
      await expect.poll(() => previews.some((p) => JSON.stringify(p).includes('"22:00"') || p.differences.patrol.zones.some((z) => z.code === 'G05' && (z.after.buildingsCoveredPct ?? 0) > 0))).toBe(true)
      const row = page.locator('[data-testid=plan-preview-zones] tr[data-zone=G05]')
      await expect.poll(() => row.count(), { timeout: READY_TIMEOUT }).toBe(1)
      expect(Number(await row.getAttribute('data-before'))).toBe(0)
      expect(Number(await row.getAttribute('data-after'))).toBeGreaterThan(0)
      await waitForIdle(page)
      const drawn = await page.evaluate(() => ({
        draft: window.__safegrid!.map.queryRenderedFeatures({ layers: ['plan-draft-line'] }).length,
        preview: window.__safegrid!.map.queryRenderedFeatures({ layers: ['plan-preview-fill'] }).length,
      }))
      expect(drawn.draft).toBeGreaterThan(0)
      expect(drawn.preview).toBeGreaterThan(0)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'plan-route-preview-zh-1440.png') })

      // Nothing is saved yet.
      const before = await apiJson<{ features: { properties: { name: string } }[] }>(env, `${COMMUNITY}/layers/routes?lang=zh`)
      expect(before.features.some((f) => f.properties.name === 'G05 夜巡线')).toBe(false)

      // Save: the route is on the map and in the API, with its shift; the form edits the saved row.
      await page.getByTestId('plan-save').click()
      await page.waitForSelector('[data-testid=plan][data-state=saved]', { timeout: READY_TIMEOUT })
      const after = await apiJson<{ features: { properties: { id: number; name: string; shifts: { start: string; end: string }[] } }[] }>(env, `${COMMUNITY}/layers/routes?lang=zh`)
      const saved = after.features.find((f) => f.properties.name === 'G05 夜巡线')
      expect(saved).toBeDefined()
      expect(saved!.properties.shifts.map((s) => `${s.start}-${s.end}`)).toEqual(['22:00-02:00'])
      const en = await apiJson<{ features: { properties: { id: number; name: string } }[] }>(env, `${COMMUNITY}/layers/routes?lang=en`)
      expect(en.features.find((f) => f.properties.id === saved!.properties.id)!.properties.name).toBe('G05 night beat')
      await expect
        .poll(() => page.evaluate((id) => window.__safegrid!.map.querySourceFeatures('routes').some((f) => Number(f.properties.routeId) === id), saved!.properties.id), { timeout: READY_TIMEOUT })
        .toBe(true)

      // Its history: created by the planner.
      await page.waitForSelector(`[data-testid=plan-item][data-key="route:${saved!.properties.id}"]`)
      await page.locator('[data-testid=plan-history] summary').click()
      await page.waitForSelector('[data-testid=plan-history-entry]')
      expect(await page.locator('[data-testid=plan-history-entry]').first().textContent()).toContain(DEMO_USER.planner)
      // A patrol done on it, recorded in the route's patrol log (the form a team uses on a phone).
      await page.locator('[data-testid=plan-patrol-log] summary').click()
      expect(await page.getByTestId('plan-log-start').inputValue()).toBe('22:00')
      await page.getByTestId('plan-log-notes').fill('巡逻正常')
      await page.getByTestId('plan-log-submit').click()
      await page.waitForSelector('[data-testid=plan-log-list] li')
      const log = await apiJson<{ total: number; patrols: { start: string; end: string; notes: string; createdBy: string }[] }>(env, `${COMMUNITY}/patrols?routeId=${saved!.properties.id}`)
      expect(log.total).toBe(1)
      expect(log.patrols[0]).toMatchObject({ start: '22:00', end: '02:00', notes: '巡逻正常', createdBy: DEMO_USER.planner })
      await page.screenshot({ path: path.join(SCREENSHOTS, 'plan-route-saved-zh-1440.png') })
      // the same at 1024 × 768: the dock's tools all show, the form fits its column
      await page.setViewportSize({ width: 1024, height: 768 })
      await waitForIdle(page)
      const fits = await page.evaluate(() => {
        const dock = document.querySelector('[data-testid=dock]')!.getBoundingClientRect()
        const inside = (sel: string) => [...document.querySelectorAll(sel)].every((e) => e.getBoundingClientRect().right <= dock.right + 0.5)
        return { tools: inside('.dock-tool'), fields: inside('[data-testid=plan-item] input, [data-testid=plan-item] select, .plan-day') }
      })
      expect(fits).toEqual({ tools: true, fields: true })
      await page.screenshot({ path: path.join(SCREENSHOTS, 'plan-route-saved-zh-1024.png') })
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 300_000)

  test('reshape a zone by dragging a corner: the preview warns of the uncovered part, the save is in the history (1024 × 768, English)', async () => {
    const zones = await apiJson<{ features: { properties: { id: number; code: string } }[] }>(env, `${COMMUNITY}/layers/zones`)
    const g03 = zones.features.find((f) => f.properties.code === 'G03')!.properties.id
    const { context, page, pageErrors } = await openPlan(env, 'en-US', `&sel=zone:${g03}`, { width: 1024, height: 768 })
    try {
      await page.waitForSelector(`[data-testid=plan-item][data-key="zone:${g03}"][data-state=ready]`, { timeout: READY_TIMEOUT })
      const row = await apiJson<{ version: number; geometry: GeoJSON.MultiPolygon }>(env, `${COMMUNITY}/zones/${g03}`)
      // the zone fills the view, then its first corner is dragged a third of the way to its centre
      const [corner, centre] = await page.evaluate((g) => {
        const map = window.__safegrid!.map
        const ring = g.coordinates[0]![0]!
        const xs = ring.map((p) => p[0]!)
        const ys = ring.map((p) => p[1]!)
        map.fitBounds([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)], { padding: 60, animate: false })
        const c = map.project([(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2])
        const p = map.project([ring[0]![0]!, ring[0]![1]!])
        return [
          [p.x, p.y],
          [c.x, c.y],
        ] as [number, number][]
      }, row.geometry)
      await waitForIdle(page)
      await page.getByTestId('plan-zone-reshape').click()
      await page.waitForSelector('[data-testid=plan][data-state=drawing]')
      await waitForIdle(page)
      const box = (await page.getByTestId('map').boundingBox())!
      const to: [number, number] = [corner![0] + (centre![0] - corner![0]) / 3, corner![1] + (centre![1] - corner![1]) / 3]
      await page.mouse.move(box.x + corner![0], box.y + corner![1])
      await page.mouse.down()
      for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + corner![0] + ((to[0] - corner![0]) * i) / 10, box.y + corner![1] + ((to[1] - corner![1]) * i) / 10)
      await page.mouse.up()
      await page.getByTestId('plan-reshape-done').click()
      await page.waitForSelector('[data-testid=plan][data-draft="1"]')
      await page.waitForSelector('[data-testid=plan-preview][data-state=ready]', { timeout: READY_TIMEOUT })
      expect(await page.locator('[data-testid=plan-warnings] li[data-code=boundary_uncovered]').count()).toBe(1)
      expect(await page.getByTestId('plan-draft').textContent()).toContain('Shape')
      await waitForIdle(page)
      expect(await page.evaluate(() => window.__safegrid!.map.queryRenderedFeatures({ layers: ['plan-uncovered'] }).length)).toBeGreaterThan(0)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'plan-zone-reshape-en-1024.png') })

      await page.getByTestId('plan-save').click()
      await page.waitForSelector('[data-testid=plan][data-state=saved]', { timeout: READY_TIMEOUT })
      const saved = await apiJson<{ version: number; geometry: GeoJSON.MultiPolygon }>(env, `${COMMUNITY}/zones/${g03}`)
      expect(saved.version).toBe(row.version + 1)
      expect(JSON.stringify(saved.geometry)).not.toBe(JSON.stringify(row.geometry))
      await page.locator('[data-testid=plan-history] summary').click()
      await page.waitForSelector('[data-testid=plan-history-entry][data-action=zone_updated]')
      expect(await page.locator('[data-testid=plan-history-entry]').first().textContent()).toMatch(/demo-planner changed.*Shape/)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'plan-zone-saved-en-1024.png') })

      // Revert it: a new change, in the history too; the zone has its old shape again.
      await page.locator('[data-testid=plan-history-entry][data-action=zone_updated] [data-testid=plan-revert]').first().click()
      await expect.poll(async () => (await apiJson<{ version: number }>(env, `${COMMUNITY}/zones/${g03}`)).version, { timeout: READY_TIMEOUT }).toBe(row.version + 2)
      const reverted = await apiJson<{ geometry: GeoJSON.MultiPolygon }>(env, `${COMMUNITY}/zones/${g03}`)
      // the old shape, stored again through the same clipping to the community: the same corners (a ring may start at another one)
      const corners = (g: GeoJSON.MultiPolygon) => [...new Set(g.coordinates.flat(2).map(([x, y]) => `${x!.toFixed(6)},${y!.toFixed(6)}`))].sort()
      expect(corners(reverted.geometry)).toEqual(corners(row.geometry))
      await page.locator('[data-testid=plan-history] summary').click()
      await page.locator('[data-testid=plan-history] summary').click()
      await expect.poll(() => page.locator('[data-testid=plan-history-entry]').first().getAttribute('data-action'), { timeout: READY_TIMEOUT }).toMatch(/revert/)
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 300_000)

  test('a captain gets three buildings by clicking them, the load counting up; a planner who saved first is a conflict to resolve', async () => {
    const captains = await apiJson<{ features: { geometry: GeoJSON.Point; properties: { id: number; buildings: number } }[] }>(env, `${COMMUNITY}/layers/captains`)
    const captain = captains.features.find((f) => f.properties.buildings > 0 && f.properties.buildings < 5)!
    const before = await apiJson<{ version: number; buildingIds: number[] }>(env, `${COMMUNITY}/captains/${captain.properties.id}`)
    // a place with buildings nobody looks after: the map opens there
    const community = await apiJson<{ bbox: [number, number, number, number] }>(env, COMMUNITY)
    const all = await apiJson<{ features: { geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon; properties: { id: number; captained: boolean } }[] }>(
      env,
      `${COMMUNITY}/layers/buildings?bbox=${community.bbox.join(',')}&limit=5000`,
    )
    const first = (g: GeoJSON.Polygon | GeoJSON.MultiPolygon) => (g.type === 'Polygon' ? g.coordinates[0]![0]! : g.coordinates[0]![0]![0]!)
    const lonely = all.features.filter((f) => !f.properties.captained)
    const centre = lonely
      .map((f) => first(f.geometry))
      .sort((a, b) => lonely.filter((f) => Math.hypot(first(f.geometry)[0]! - b[0]!, first(f.geometry)[1]! - b[1]!) < 0.0008).length - lonely.filter((f) => Math.hypot(first(f.geometry)[0]! - a[0]!, first(f.geometry)[1]! - a[1]!) < 0.0008).length)[0]!
    const { context, page, pageErrors } = await openPlan(env, 'en-US', `&sel=captain:${captain.properties.id}&map=17/${centre[1]}/${centre[0]}`)
    try {
      await page.waitForSelector(`[data-testid=plan-item][data-key="captain:${captain.properties.id}"][data-state=ready]`, { timeout: READY_TIMEOUT })
      await waitForIdle(page)
      // three buildings without a captain, each clicked where the click hits it
      const targets = await page.evaluate(() => {
        const map = window.__safegrid!.map
        const { clientWidth: w, clientHeight: h } = map.getContainer()
        const out: { id: number; at: [number, number] }[] = []
        for (let x = 300; x < w - 400 && out.length < 3; x += 17)
          for (let y = 40; y < h - 40 && out.length < 3; y += 17) {
            const [f] = map.queryRenderedFeatures([x, y], { layers: ['buildings-fill'] })
            if (f && f.properties.captained === false && !out.some((o) => o.id === f.properties.id)) out.push({ id: Number(f.properties.id), at: [x, y] })
          }
        return out
      })
      await page.screenshot({ path: path.join(SCREENSHOTS, 'plan-captain-start-en-1440.png') })
      expect(targets).toHaveLength(3)
      await page.getByTestId('plan-captain-pick').click()
      for (const [i, b] of targets.entries()) {
        await clickMap(page, b.at)
        await expect.poll(() => page.getByTestId('plan-captain-load').getAttribute('data-buildings')).toBe(String(before.buildingIds.length + i + 1))
      }
      // a click while picking selects nothing on the map
      expect(new URL(page.url()).searchParams.get('sel')).toBe(`captain:${captain.properties.id}`)
      await waitForIdle(page)
      expect(await page.evaluate(() => window.__safegrid!.map.queryRenderedFeatures({ layers: ['plan-picked'] }).length)).toBeGreaterThanOrEqual(3)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'plan-captain-pick-en-1440.png') })
      await page.getByTestId('plan-captain-pick').click()

      // Someone else renames the captain meanwhile.
      const theirs = await apiSend(env, `${COMMUNITY}/captains/${captain.properties.id}`, { method: 'PATCH', headers: { 'if-match': `"${before.version}"` }, body: { names: { en: 'Renamed elsewhere' } } })
      expect(theirs.status).toBe(200)
      await page.getByTestId('plan-save').click()
      await page.waitForSelector('[data-testid=plan][data-state=conflict]', { timeout: READY_TIMEOUT })
      await page.screenshot({ path: path.join(SCREENSHOTS, 'plan-conflict-en-1440.png') })
      // Apply mine on theirs: both changes stand.
      await page.getByTestId('plan-conflict-mine').click()
      await page.getByTestId('plan-save').click()
      await page.waitForSelector('[data-testid=plan][data-state=saved]', { timeout: READY_TIMEOUT })
      const after = await apiJson<{ version: number; buildingIds: number[]; names: { en?: string } }>(env, `${COMMUNITY}/captains/${captain.properties.id}`)
      expect(after.version).toBe(before.version + 2)
      expect(after.names.en).toBe('Renamed elsewhere')
      expect(new Set(after.buildingIds)).toEqual(new Set([...before.buildingIds, ...targets.map((b) => b.id)]))
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 300_000)

  test('the coverage of patrols done, and planned against logged patrols in December 2018 at night, as the API counts them', async () => {
    const query = 'from=2018-12-01&to=2018-12-31&hours=22-02'
    const { context, page, pageErrors } = await openPage(env, 'zh-CN', { path: `/?panels=coverage&basis=logged&${query}`, viewport: { width: 1440, height: 900 }, user: DEMO_USER.planner })
    try {
      await page.waitForSelector('[data-testid=coverage][data-state=ready]', { timeout: READY_TIMEOUT })
      await page.waitForSelector('[data-testid=coverage-patrols-done][data-state=ready]', { timeout: READY_TIMEOUT })
      const summary = await apiJson<{ total: { planned: number; plannedDone: number; logged: number } }>(env, `${COMMUNITY}/patrols/summary?${query}`)
      expect(summary.total.planned).toBeGreaterThan(summary.total.plannedDone)
      const total = page.getByTestId('coverage-done-total')
      expect(Number(await total.getAttribute('data-planned'))).toBe(summary.total.planned)
      expect(Number(await total.getAttribute('data-done'))).toBe(summary.total.plannedDone)
      expect(await total.textContent()).toContain(`计划 ${summary.total.planned} 次`)
      // the map shows the coverage of the routes patrolled (a logged patrol overlapping the window), not of the plan
      const logged = await apiJson<{ meta: { areaCoveredPct: number; basis: string } }>(env, `${COMMUNITY}/coverage?network=patrol&basis=logged&${query}`)
      const plan = await apiJson<{ meta: { areaCoveredPct: number } }>(env, `${COMMUNITY}/coverage?network=patrol&${query}`)
      expect(logged.meta.basis).toBe('logged')
      expect(await page.getByTestId('coverage-area-pct').textContent()).toBe(`${logged.meta.areaCoveredPct.toLocaleString('zh-CN', { maximumFractionDigits: 1 })} %`)
      expect(logged.meta.areaCoveredPct).not.toBe(plan.meta.areaCoveredPct)
      await page.getByTestId('coverage-patrols-done').scrollIntoViewIfNeeded()
      await page.screenshot({ path: path.join(SCREENSHOTS, 'coverage-patrols-done-zh-1440.png') })
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 180_000)
})
