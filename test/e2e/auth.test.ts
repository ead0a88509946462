/**
 * Logging in and out in a real browser, as each demo role, and what a viewer's map does not show:
 * exact incident points and phone numbers. An ended session returns to the login page over the
 * same URL, and logging in again opens the map as it was.
 */
import path from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { ROLES, type Role } from '../../server/src/contract'
import { DEMO_USER, TEST_PASSWORD } from '../support/clients'
import { HAS_BROWSER, openPage, READY_TIMEOUT, SCREENSHOTS, useBrowserEnv, waitForIdle } from './browser'

const env = useBrowserEnv()

const ROLE_ZH: Record<Role, string> = { admin: '管理员', planner: '规划员', mediator: '调解员', care: '帮教员', viewer: '观看者' }

/** Fills in the login form and waits for the map. */
async function logIn(page: Page, username: string, password = TEST_PASSWORD) {
  await page.getByLabel(/用户名|Username/).fill(username)
  await page.getByLabel(/^(密码|Password)$/).fill(password)
  await page.getByRole('button', { name: /^(登录|Log in)$/ }).click()
}

describe.runIf(HAS_BROWSER)('logging in', () => {
  test('the login page comes first, in Chinese and English; a wrong password says so; each demo role logs in and sees its role', async () => {
    const { page, context, pageErrors } = await openPage(env, 'zh-CN', { user: null, waitFor: '[data-testid=login-form]' })
    const csp: string[] = []
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) csp.push(m.text())
    })
    await expect.poll(() => page.locator('h2').textContent()).toBe('登录')
    await page.screenshot({ path: path.join(SCREENSHOTS, 'login-zh-1440.png') })
    await logIn(page, DEMO_USER.planner, 'not the password')
    await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('用户名或密码错误。')
    await page.getByRole('button', { name: 'English' }).click()
    await expect.poll(() => page.locator('h2').textContent()).toBe('Log in')
    await page.screenshot({ path: path.join(SCREENSHOTS, 'login-en-1440.png') })
    await page.getByRole('button', { name: '中文' }).click()

    for (const role of ROLES) {
      await logIn(page, DEMO_USER[role])
      await page.waitForSelector('body[data-map-ready=true]', { timeout: READY_TIMEOUT })
      const header = page.getByTestId('header-user')
      await expect.poll(() => header.getAttribute('data-role')).toBe(role)
      expect(await header.textContent()).toContain(ROLE_ZH[role])
      await page.getByTestId('logout').click()
      await page.waitForSelector('[data-testid=login-form]')
    }
    expect(csp).toEqual([])
    expect(pageErrors).toEqual([])
    await context.close()
  }, 180_000)

  test('a viewer’s map has no exact incident points and no phone numbers', async () => {
    const phones = (await env.server.sql<{ phone: string }[]>`select phone from captains where phone is not null`).map((r) => r.phone)
    expect(phones.length).toBeGreaterThan(10)
    const bodies: string[] = []
    const { page, context } = await openPage(env, 'en-US', {
      user: DEMO_USER.viewer,
      path: '/?map=16.5/37.7650/-122.4190&layers=incidents,captains,buildings,zones',
      viewport: { width: 1440, height: 900 },
      prepare: (p) => {
        p.on('response', (r) => {
          if (r.url().includes('/api/')) void r.text().then((t) => bodies.push(t), () => {})
        })
      },
    })
    await waitForIdle(page)
    const incidents = await page.evaluate(() => {
      const map = window.__safegrid!.map
      return map.querySourceFeatures('incidents', { sourceLayer: 'incidents' }).map((f) => ({ id: Number.isFinite(f.id) ? f.id : null, cluster: f.properties.cluster, address: f.properties.address }))
    })
    expect(incidents.length).toBeGreaterThan(0)
    // no incident of its own: no id, no address — counts at cell centres
    for (const f of incidents) expect(f).toEqual({ id: null, cluster: true, address: undefined })
    expect(await page.getByTestId('incidents-note').textContent()).toContain('counts per 100 m cell')
    await expect.poll(() => page.getByTestId('buildings-by-incidents').count()).toBe(0)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'viewer-map-en-1440.png') })
    const text = (await page.evaluate(() => document.body.innerText)) + bodies.join('\n')
    for (const phone of phones) expect(text.includes(phone), phone).toBe(false)
    expect(bodies.length).toBeGreaterThan(3)
    await context.close()
  }, 180_000)

  test('an ended session returns to the login page over the same URL; logging in again opens the same map', async () => {
    const link = '/?map=16.20/37.76500/-122.41900&layers=zones,routes&categories=ROBBERY&sel=zone:7'
    const { page, context } = await openPage(env, 'en-US', { user: DEMO_USER.planner, path: link })
    await page.waitForSelector('[data-testid=details]')
    // the session ends on the server (expiry, or an administrator's "log out everywhere")
    await env.server.sql`delete from sessions where user_id = (select id from users where username = ${DEMO_USER.planner})`
    // opening the coverage panel asks the server, which answers 401
    await page.getByTestId('coverage-open').click()
    await page.waitForSelector('[data-testid=session-ended]', { timeout: 30_000 })
    const kept = new URL(page.url()).searchParams
    expect([kept.get('map'), kept.get('categories'), kept.get('sel'), kept.get('panels')]).toEqual(['16.20/37.76500/-122.41900', 'ROBBERY', 'zone:7', 'coverage'])
    await page.screenshot({ path: path.join(SCREENSHOTS, 'session-ended-en-1024.png') })
    await logIn(page, DEMO_USER.planner)
    await page.waitForSelector('body[data-map-ready=true]', { timeout: READY_TIMEOUT })
    const after = new URL(page.url())
    expect(after.searchParams.get('categories')).toBe('ROBBERY')
    expect(after.searchParams.get('sel')).toBe('zone:7')
    await page.waitForSelector('[data-testid=details]')
    await page.waitForSelector('[data-testid=coverage][data-state=ready]', { timeout: READY_TIMEOUT })
    await context.close()
  }, 180_000)
})
