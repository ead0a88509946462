/**
 * The demo map's first idle in Chromium (issue 16), as `npm start` serves it: embedded mode, the
 * built web app, a fresh browser context per run (nothing cached in the browser), time from
 * navigation to `body[data-map-ready=true]` — the first idle with every source loaded and the
 * GeoJSON layers drawn. Two views: the whole community and street level (z17). The server's tile
 * cache is on (as in a server that has run for a while: an untimed first run fills it) and, in a
 * second set, off (every tile made on request, as on the first visit after a start).
 *
 * With BENCH_BASE_WEB (another checkout's built web/dist) each run is timed against that web app
 * too, in alternation, served by the same server on the same database — so the ratio is the web
 * app's alone, and holds on a busy machine.
 *
 * Run: npm run bench idle   (BENCH_RUNS=7; BENCH_BASE_WEB=/path/to/other/web/dist; BENCH_WEBS=name=dir,… for more;
 * BENCH_VIEWS=whole,street and BENCH_CACHE=on,off to time fewer sets)
 */
import { serve } from '@hono/node-server'
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { build } from 'vite'
import { createApp } from '../../server/src/app.js'
import { loadConfig, ROOT_DIR } from '../../server/src/config.js'
import { startServer } from '../../server/src/server.js'
import { launchChromium } from '../e2e/browser.js'
import { report } from './support.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 7)
const VIEWPORT = { width: 1440, height: 900 }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

await build({ configFile: path.join(ROOT_DIR, 'vite.config.ts'), logLevel: 'warn' })
const webs: Record<string, string> = { ours: path.join(ROOT_DIR, 'web/dist') }
if (process.env.BENCH_BASE_WEB) webs.base = path.resolve(process.env.BENCH_BASE_WEB)
// more web apps to compare: BENCH_WEBS=name=dir,name=dir
for (const pair of (process.env.BENCH_WEBS ?? '').split(',').filter(Boolean)) {
  const [name, dir] = pair.split('=') as [string, string]
  webs[name] = path.resolve(dir)
}
const bundleKB = (dir: string) => fs.readdirSync(path.join(dir, 'assets')).filter((f) => f.endsWith('.js') && !f.includes('worker')).map((f) => `${f.replace(/-[\w-]{8}\.js$/, '')} ${(fs.statSync(path.join(dir, 'assets', f)).size / 1024).toFixed(0)}`).join(', ')
for (const [name, dir] of Object.entries(webs)) report(`web app ${name}: scripts (kB)`, { files: bundleKB(dir) })

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'safegrid-bench-idle-'))
const server = await startServer(loadConfig({ DATABASE_URL: '', DATA_DIR: dataDir, PORT: '0', WEB_DIR: webs.ours, LOG_LEVEL: 'warn' }))
const browser = await launchChromium()
const servers: ReturnType<typeof serve>[] = []
try {
  const admin = server.seeded!.users.find((u) => u.role === 'admin')!
  // one app per web app and tile cache setting, all on the server's database
  const origins: Record<string, string> = {}
  for (const [name, webDir] of Object.entries(webs))
    for (const cache of ['cache', 'no-cache'] as const) {
      const app = createApp({ sql: server.db.sql, mode: 'embedded', webDir, tileCacheBytes: cache === 'cache' ? 64 * 1024 * 1024 : 0 })
      const s = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const h = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(h))
      })
      servers.push(s)
      origins[`${name} ${cache}`] = `http://127.0.0.1:${(s.address() as AddressInfo).port}`
    }
  const login = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: admin.username, password: admin.password }) })
  const [cookieName, cookieValue] = (login.headers.get('set-cookie') ?? '').split(';')[0]!.split('=') as [string, string]
  const community = (await (await fetch(`${server.url}/api/communities/sf-mission`, { headers: { cookie: `${cookieName}=${cookieValue}` } })).json()) as { center: [number, number] }
  const [lon, lat] = community.center
  const views = [
    { name: 'whole community', path: '/?community=sf-mission' },
    { name: 'street level (z17)', path: `/?community=sf-mission&map=17/${lat}/${lon}` },
  ]

  /** Milliseconds from navigation to the ready map, and what the page fetched. */
  const firstIdle = async (origin: string, view: string) => {
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'zh-CN' })
    try {
      await context.addCookies([{ name: cookieName, value: cookieValue, url: origin, httpOnly: true, sameSite: 'Lax' }])
      const page = await context.newPage()
      let requests = 0
      const problems: string[] = []
      page.on('request', () => requests++)
      page.on('pageerror', (e) => problems.push(e.message))
      page.on('requestfailed', (r) => problems.push(`${r.url()}: ${r.failure()?.errorText}`))
      page.on('response', (r) => {
        if (r.status() >= 400) problems.push(`${r.url()}: ${r.status()}`)
      })
      // the frames the map draws until it is ready (what a first idle waits for: each is a whole redraw)
      await page.addInitScript(`(function () { var t = setInterval(function () { var m = window.__safegrid && window.__safegrid.map; if (!m) return; clearInterval(t); window.__frames = 0; m.on('render', function () { if (document.body.dataset.mapReady !== 'true') window.__frames++ }) }, 2) })()`)
      const t0 = performance.now()
      await page.goto(`${origin}${view}`)
      await page.waitForSelector('body[data-map-ready=true]', { timeout: 120_000 }).catch(async (e: unknown) => {
        // what the map is waiting for (no named functions in evaluate: tsx's helpers are not in the page)
        const state = await page
          .evaluate(`(function () { var m = window.__safegrid && window.__safegrid.map; if (!m) return 'no map'; return JSON.stringify({ loaded: m.loaded(), moving: m.isMoving(), ready: document.body.dataset.mapReady, notLoaded: Object.keys(m.getStyle().sources).filter(function (id) { return !m.isSourceLoaded(id) }) }) })()`)
          .catch(() => 'unknown')
        throw new Error(`${origin}${view}: no ready map (${String(e)}); map ${String(state)}; ${problems.join('; ')}`)
      })
      const ms = performance.now() - t0
      return { ms, requests, frames: Number(await page.evaluate('window.__frames')) }
    } finally {
      await context.close()
    }
  }

  const cacheSets = (process.env.BENCH_CACHE ?? 'on,off').split(',').map((c) => (c === 'on' ? 'cache' : 'no-cache') as 'cache' | 'no-cache')
  const viewSet = (process.env.BENCH_VIEWS ?? 'whole,street').split(',')
  for (const cache of cacheSets)
    for (const view of views.filter((v) => viewSet.some((w) => v.name.startsWith(w)))) {
      const times: Record<string, number[]> = {}
      let requests: Record<string, number> = {}
      const frames: Record<string, number[]> = {}
      for (const name of Object.keys(webs)) {
        console.log(`(${name}: ${origins[`${name} ${cache}`]})`)
        times[name] = []
        await firstIdle(origins[`${name} ${cache}`]!, view.path) // untimed: fills the tile cache, warms Chromium
      }
      for (let run = 0; run < RUNS; run++)
        for (const name of Object.keys(webs)) {
          const r = await firstIdle(origins[`${name} ${cache}`]!, view.path)
          times[name]!.push(r.ms)
          ;(frames[name] ??= []).push(r.frames)
          requests = { ...requests, [name]: r.requests }
        }
      for (const name of Object.keys(webs))
        report(`first idle, ${view.name}, tile cache ${cache === 'cache' ? 'on' : 'off'}: ${name}`, { medianMs: median(times[name]!), minMs: Math.min(...times[name]!), maxMs: Math.max(...times[name]!), requests: requests[name]!, frames: median(frames[name]!) })
      if (times.base) report('  base / ours', { ratio: median(times.base) / median(times.ours!) })
    }
  console.log(`(median of ${RUNS}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, ${os.cpus().length} cores)`)
} finally {
  await browser.close()
  for (const s of servers) await new Promise<void>((resolve) => s.close(() => resolve()))
  await server.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
}
