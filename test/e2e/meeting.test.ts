/**
 * The meeting view in a real browser (issue 13): a planner opens the pack of November 2012 beside
 * the map; the screen carries the API's numbers; the zone table sorts by any column; a zone flies
 * the map there and opens its page; the projector steps through its pages with the arrow keys at
 * 1280 × 720; the print comes out of Chromium's print-to-PDF as an A4 document (poppler's pdfinfo,
 * pdftotext and pdfimages read it: pages, Chinese text, page numbers, every zone in the table, the
 * map picture), in portrait and landscape; a filed briefing reopens unchanged after the data change.
 * Screenshots in both languages at 1440 × 900 and 1024 × 768, projected and printed.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import type { MeetingPack } from '../../web/src/meeting/api'
import { DEMO_USER } from '../support/clients'
import { apiJson, HAS_BROWSER, openPage, READY_TIMEOUT, SCREENSHOTS, useBrowserEnv, waitForIdle } from './browser'

const COMMUNITY = '/api/communities/sf-mission'
const PERIOD = 'from=2012-11-01&to=2012-11-30'
const pdfTools = ['pdfinfo', 'pdftotext', 'pdfimages'].every((tool) => {
  try {
    execFileSync(tool, ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})

/** The text of a PDF (pdftotext, layout kept), its page count and size, and its images. */
function readPdf(file: string) {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
  const pages = Number(/Pages:\s+(\d+)/.exec(info)![1])
  const [w, h] = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info)!.slice(1).map(Number) as [number, number]
  const perPage = Array.from({ length: pages }, (_, k) => execFileSync('pdftotext', ['-layout', '-f', String(k + 1), '-l', String(k + 1), file, '-'], { encoding: 'utf8' }))
  const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim() !== '')
  return { pages, size: { w, h }, perPage, text: perPage.join('\n'), images }
}

describe.skipIf(!HAS_BROWSER)('the meeting view', () => {
  const env = useBrowserEnv()

  test('the pack beside the map: the API’s numbers, sorting, a zone’s page, the projector, print to PDF, a filed briefing', async () => {
    expect(pdfTools, 'poppler-utils (pdfinfo, pdftotext, pdfimages) are needed to check the printed pack').toBe(true)
    const pack = await apiJson<MeetingPack>(env, `${COMMUNITY}/briefing?${PERIOD}&lang=zh`)
    const { context, page, pageErrors } = await openPage(env, 'zh-CN', { path: '/?meeting=2012-11-01..2012-11-30', viewport: { width: 1440, height: 900 }, user: DEMO_USER.planner })
    // what the browser refused (the server's Content-Security-Policy allows no inline <style>)
    const refused: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused/.test(m.text())) refused.push(m.text())
    })
    try {
      await page.waitForSelector('[data-testid=meeting-pack]', { timeout: READY_TIMEOUT })
      await waitForIdle(page)

      // the screen carries the API's numbers: every zone's incidents this period and before, the whole community's total
      const zones = pack.zones.filter((z) => z.zoneId !== null)
      expect(zones.length).toBeGreaterThan(3)
      for (const z of zones) {
        const cells = await page.locator(`[data-testid=meeting] [data-testid=meeting-zones] tbody tr[data-zone="${z.zoneCode}"] td`).allTextContents()
        expect(cells.slice(0, 2), z.zoneCode!).toEqual([String(z.incidents.total.count), String(z.incidents.total.previous)])
      }
      expect(await page.getByTestId('meeting-incidents-change').first().getAttribute('data-verdict')).toBe(pack.overall.incidents.total.verdict)
      const score = page.locator('[data-testid=meeting] [data-testid=meeting-scorecard] tbody tr')
      expect(await score.count()).toBe(pack.scorecard.length)
      for (const s of pack.scorecard) expect(await page.locator(`[data-testid=meeting] [data-testid=meeting-scorecard] tr[data-indicator=${s.indicator}]`).getAttribute('data-status')).toBe(s.status)
      // every figure explains itself on hover
      const explained = await page.locator('[data-testid=meeting] [data-testid=meeting-zones] thead th[title]').count()
      expect(explained).toBe(await page.locator('[data-testid=meeting] [data-testid=meeting-zones] thead th').count())
      await page.screenshot({ path: path.join(SCREENSHOTS, 'meeting-zh-1440.png') })

      // sort by incidents (largest first), then again (smallest first)
      const order = async () => (await page.locator('[data-testid=meeting] [data-testid=meeting-zones] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-zone'))))
      await page.getByTestId('meeting-sort-incidents').click()
      const byCount = [...zones].sort((a, b) => b.incidents.total.count - a.incidents.total.count || a.zoneCode!.localeCompare(b.zoneCode!, 'en', { numeric: true })).map((z) => z.zoneCode)
      expect((await order()).filter((c) => c !== '')).toEqual(byCount)
      expect(await page.locator('[data-testid=meeting] [data-testid=meeting-zones] th[data-column=incidents]').getAttribute('aria-sort')).toBe('descending')
      await page.getByTestId('meeting-sort-incidents').click()
      expect(await page.locator('[data-testid=meeting] [data-testid=meeting-zones] th[data-column=incidents]').getAttribute('aria-sort')).toBe('ascending')
      expect(Number((await page.locator('[data-testid=meeting] [data-testid=meeting-zones] tbody tr').first().locator('td').first().textContent()) ?? -1)).toBe(Math.min(...zones.map((z) => z.incidents.total.count)))

      // a zone flies the map there and opens its page
      const busiest = zones.reduce((a, b) => (b.incidents.total.count > a.incidents.total.count ? b : a))
      const centreBefore = await page.evaluate(() => window.__safegrid!.map.getCenter().toArray())
      await page.getByTestId(`meeting-zone-${busiest.zoneCode}`).click()
      await expect.poll(() => page.getByTestId('meeting-zone-page').getAttribute('data-zone')).toBe(busiest.zoneCode)
      await waitForIdle(page)
      const centreAfter = await page.evaluate(() => window.__safegrid!.map.getCenter().toArray())
      expect(centreAfter).not.toEqual(centreBefore)
      // the zone is where the map now looks: its features are drawn in the part of the map the view leaves
      const drawn = await page.evaluate((code) => {
        const map = window.__safegrid!.map
        return map.queryRenderedFeatures({ layers: ['zones-fill'] } as never).filter((f) => f.properties.code === code).length
      }, busiest.zoneCode)
      expect(drawn).toBeGreaterThan(0)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'meeting-zone-zh-1440.png') })

      // the projector at 1280 × 720: one topic or zone per page, arrow keys step, Escape leaves
      await page.setViewportSize({ width: 1280, height: 720 })
      await page.getByTestId('meeting-projector').click()
      const projector = page.getByTestId('projector')
      await projector.waitFor({ timeout: READY_TIMEOUT })
      expect(await projector.getAttribute('data-kind')).toBe('title')
      await page.screenshot({ path: path.join(SCREENSHOTS, 'meeting-projector-title-zh-1280.png') })
      await page.keyboard.press('ArrowRight')
      expect(await projector.getAttribute('data-kind')).toBe('scorecard')
      await page.screenshot({ path: path.join(SCREENSHOTS, 'meeting-projector-scorecard-zh-1280.png') })
      await page.keyboard.press('ArrowRight')
      await page.keyboard.press('ArrowRight')
      expect(await projector.getAttribute('data-kind')).toBe('hotspots')
      expect(await page.locator('[data-testid=projector] [data-testid=meeting-map-figure] img').count()).toBe(1)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'meeting-projector-hotspots-zh-1280.png') })
      await page.keyboard.press('End')
      expect(await projector.getAttribute('data-kind')).toBe('zone')
      expect(await page.getByTestId('projector-count').textContent()).toBe(`${7 + zones.length} / ${7 + zones.length}`)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'meeting-projector-zone-zh-1280.png') })
      // the page fits the screen: nothing scrolls sideways
      expect(await page.evaluate(() => { const b = document.querySelector('.projector-body')!; return b.scrollWidth <= b.clientWidth + 1 })).toBe(true)
      await page.keyboard.press('Escape')
      await expect.poll(() => projector.count()).toBe(0)
      await page.setViewportSize({ width: 1440, height: 900 })

      // print: the button fits the map to the community and prints; Chromium's print-to-PDF makes the A4 document
      await page.evaluate(() => {
        window.print = () => document.body.setAttribute('data-printed', 'true')
      })
      await page.getByTestId('meeting-print-button').click()
      await page.waitForSelector('body[data-printed=true]', { timeout: READY_TIMEOUT })
      const portrait = path.join(SCREENSHOTS, 'meeting-print-zh-portrait.pdf')
      await page.pdf({ path: portrait, preferCSSPageSize: true, printBackground: true })
      const pdf = readPdf(portrait)
      expect(Math.round(pdf.size.w)).toBe(595) // A4 portrait, in points
      expect(Math.round(pdf.size.h)).toBe(842)
      expect(pdf.pages).toBeGreaterThanOrEqual(2)
      expect(pdf.text).toContain('平安社区工作简报')
      expect(pdf.text).toContain('指标考核')
      for (let k = 1; k <= pdf.pages; k++) expect(pdf.perPage[k - 1], `page ${k}`).toContain(`第 ${k} 页，共 ${pdf.pages} 页`)
      // the zone table is whole: every zone's code is printed, and its header is repeated on each page it runs over
      for (const z of zones) expect(pdf.text).toContain(z.zoneCode!)
      const tablePages = pdf.perPage.filter((p) => zones.some((z) => new RegExp(`^\\s*${z.zoneCode} `, 'm').test(p)))
      expect(tablePages.length).toBeGreaterThan(0)
      for (const p of tablePages) expect(p).toMatch(/网格[\s\S]*警情[\s\S]*逾期/)
      // the map picture is in it
      expect(pdf.images.length).toBeGreaterThanOrEqual(1)
      await page.emulateMedia({ media: 'print' })
      await page.screenshot({ path: path.join(SCREENSHOTS, 'meeting-print-zh-portrait.png'), fullPage: true })
      await page.emulateMedia({ media: null })

      // landscape
      await page.getByTestId('meeting-orientation').selectOption('landscape')
      const landscape = path.join(SCREENSHOTS, 'meeting-print-zh-landscape.pdf')
      await page.pdf({ path: landscape, preferCSSPageSize: true, printBackground: true })
      const wide = readPdf(landscape)
      expect([Math.round(wide.size.w), Math.round(wide.size.h)]).toEqual([842, 595])
      for (const z of zones) expect(wide.text).toContain(z.zoneCode!)

      // English at 1440 × 900 and 1024 × 768
      await page.locator('[data-lang=en]').click()
      await expect.poll(() => page.locator('[data-testid=meeting] h2').textContent(), { timeout: READY_TIMEOUT }).toBe('Meeting briefing')
      await page.waitForSelector('[data-testid=meeting-pack]', { timeout: READY_TIMEOUT })
      await page.screenshot({ path: path.join(SCREENSHOTS, 'meeting-en-1440.png') })
      await page.setViewportSize({ width: 1024, height: 768 })
      await waitForIdle(page)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'meeting-en-1024.png') })
      await page.locator('[data-lang=zh]').click()
      await page.waitForSelector('[data-testid=meeting-pack]', { timeout: READY_TIMEOUT })
      await page.screenshot({ path: path.join(SCREENSHOTS, 'meeting-zh-1024.png') })
      await page.setViewportSize({ width: 1440, height: 900 })

      // file this briefing; change the data of the period; the filed one reopens unchanged, today's figures move
      await page.getByTestId('meeting-file').click()
      await page.getByTestId('meeting-file-title').fill('十一月警情通报会')
      await page.getByTestId('meeting-file-confirm').click()
      await expect.poll(() => page.getByTestId('meeting-notice').textContent(), { timeout: READY_TIMEOUT }).toContain('十一月警情通报会')
      const zone = busiest
      await env.server.sql`
        insert into incidents (community_id, source, source_id, category, occurred_at, time_known, geom)
        select 'sf-mission', 'e2e-meeting', 'x' || n, 'ROBBERY', timestamptz '2012-11-15 12:00:00-08', true, ST_PointOnSurface(z.geom)
        from grid_zones as z, generate_series(1, 5) as n where z.community_id = 'sf-mission' and z.code = ${zone.zoneCode!}`
      const live = await apiJson<MeetingPack>(env, `${COMMUNITY}/briefing?${PERIOD}&lang=zh`)
      expect(live.zones.find((z) => z.zoneCode === zone.zoneCode)!.incidents.total.count).toBe(zone.incidents.total.count + 5)
      const options = page.locator('[data-testid=meeting-briefings] option')
      await expect.poll(() => options.count(), { timeout: READY_TIMEOUT }).toBeGreaterThan(1)
      const filedId = await options.nth(1).getAttribute('value')
      await page.getByTestId('meeting-briefings').selectOption(filedId!)
      await page.waitForSelector('[data-testid=meeting-filed]', { timeout: READY_TIMEOUT })
      await page.waitForSelector('[data-testid=meeting-pack]', { timeout: READY_TIMEOUT })
      const filedCells = await page.locator(`[data-testid=meeting] [data-testid=meeting-zones] tbody tr[data-zone="${zone.zoneCode}"] td`).allTextContents()
      expect(filedCells[0]).toBe(String(zone.incidents.total.count))
      expect(await page.getByTestId('meeting-filed').textContent()).toContain('十一月警情通报会')
      await page.screenshot({ path: path.join(SCREENSHOTS, 'meeting-filed-zh-1440.png') })
      // and today's figures show the change
      await page.getByTestId('meeting-live').click()
      await page.waitForSelector('[data-testid=meeting-pack]', { timeout: READY_TIMEOUT })
      await expect.poll(() => page.locator(`[data-testid=meeting] [data-testid=meeting-zones] tbody tr[data-zone="${zone.zoneCode}"] td`).first().textContent(), { timeout: READY_TIMEOUT }).toBe(String(zone.incidents.total.count + 5))
      expect(pageErrors).toEqual([])
      expect(refused).toEqual([])
    } finally {
      await env.server.sql`delete from incidents where source = 'e2e-meeting'`
      await context.close()
    }
  }, 300_000)
})
