/**
 * The planner's map at scale (server mode): time to the first idle map in Chromium — every source
 * loaded, the GeoJSON layers in, nothing left to draw (`body[data-map-ready=true]`) — for the
 * Mission District demo and for a synthetic city of 1,000,000 buildings, each at a city-wide and a
 * street-level view; and the vector tile sizes per zoom around each centre, which justify what the
 * style fetches where (buildings from z14; clustered incidents and main roads only at city scale).
 *
 * Run: npm run bench map   (BENCH_BUILDINGS=100000 for a quicker, smaller city)
 */
import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { build } from 'vite'
import { loadSyntheticCity } from '../../fixtures/synthetic-city.js'
import { createApp } from '../../server/src/app.js'
import { createTestUsers, TEST_ADMIN, TEST_PASSWORD } from '../support/clients.js'
import { ROOT_DIR } from '../../server/src/config.js'
import { seedDemo } from '../../server/src/db/seed.js'
import { launchChromium } from '../e2e/browser.js'
import { report, serverDatabase } from './support.js'

const BUILDINGS = Number(process.env.BENCH_BUILDINGS ?? 1_000_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const VIEWPORT = { width: 1440, height: 900 }

/** Tile x/y at zoom z of a point (web mercator). */
function tileOf(lon: number, lat: number, z: number): { x: number; y: number } {
  const n = 2 ** z
  const x = Math.floor(((lon + 180) / 360) * n)
  const r = (lat * Math.PI) / 180
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)
  return { x, y }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const db = await serverDatabase('map')
const browser = await launchChromium()
let httpServer: ReturnType<typeof serve> | undefined
try {
  const t0 = performance.now()
  await seedDemo(db.sql)
  report('load demo (server mode)', { seconds: (performance.now() - t0) / 1000 })
  const city = await loadSyntheticCity(db.sql, { buildings: BUILDINGS })
  report(`load synthetic city (${BUILDINGS.toLocaleString('en')} buildings)`, { seconds: city.seconds, ...city.counts })

  await build({ configFile: path.join(ROOT_DIR, 'vite.config.ts'), logLevel: 'warn' })
  const app = createApp({ sql: db.sql, mode: 'server', webDir: path.join(ROOT_DIR, 'web/dist') })
  httpServer = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const base = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`
  // everything the map asks for is a logged-in user's: the test system administrator's
  await createTestUsers(db.sql)
  const login = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: TEST_ADMIN, password: TEST_PASSWORD }) })
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!
  const [cookieName, cookieValue] = cookie.split('=') as [string, string]

  const communities = (await (await fetch(`${base}/api/communities`, { headers: { cookie } })).json()) as { communities: { id: string; center: [number, number] }[] }
  const centre = (id: string) => communities.communities.find((c) => c.id === id)!.center

  // What the map asks for besides tiles, once per load.
  for (const id of ['sf-mission', city.id]) {
    for (const p of ['layers/zones', 'layers/routes', 'layers/captains', 'incidents/summary', 'incidents/period']) {
      const ts: number[] = []
      let bytes = 0
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now()
        const res = await fetch(`${base}/api/communities/${id}/${p}`, { headers: { cookie } })
        bytes = (await res.arrayBuffer()).byteLength
        ts.push(performance.now() - t)
      }
      report(`${id} GET ${p}`, { ms: median(ts), kB: bytes / 1024 })
    }
  }

  // Time to first idle map, each run in a fresh browser context (cold cache).
  const [demoLon, demoLat] = centre('sf-mission')
  const [cityLon, cityLat] = centre(city.id)
  const scenarios = [
    { name: 'demo, whole community', path: '/?community=sf-mission' },
    { name: 'demo, street level (z17)', path: `/?community=sf-mission&map=17/${demoLat}/${demoLon}` },
    { name: 'city, city-wide (fitted)', path: `/?community=${city.id}` },
    { name: 'city, street level (z17)', path: `/?community=${city.id}&map=17/${cityLat + 0.001}/${cityLon + 0.001}` },
  ]
  for (const s of scenarios) {
    const times: number[] = []
    let tiles = 0
    let tileBytes = 0
    let zoom = 0
    let drawn: Record<string, number> = {}
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'zh-CN' })
      await context.addCookies([{ name: cookieName, value: cookieValue, url: base, httpOnly: true, sameSite: 'Lax' }])
      const page = await context.newPage()
      let count = 0
      let bytes = 0
      page.on('response', (r) => {
        if (!r.url().includes('/tiles/')) return
        count++
        void r.body().then((b) => (bytes += b.length), () => {})
      })
      const start = performance.now()
      await page.goto(`${base}${s.path}`)
      await page.waitForSelector('body[data-map-ready=true]', { timeout: 300_000 })
      times.push(performance.now() - start)
      zoom = await page.evaluate(() => window.__safegrid!.map.getZoom())
      // (no named functions inside evaluate: tsx's helpers do not exist in the page)
      const layers = { buildings: 'buildings-fill', points: 'incidents-circle', clusters: 'incidents-cluster', captains: 'captains-circle', zones: 'zones-fill' }
      drawn = await page.evaluate(
        (ids) => Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, window.__safegrid!.map.queryRenderedFeatures({ layers: [id] }).length])),
        layers,
      )
      tiles = count
      tileBytes = bytes
      await context.close()
    }
    report(`first idle map: ${s.name}`, { medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), zoom, tiles, tileKB: tileBytes / 1024, ...drawn })
  }

  // Tile sizes per zoom at each centre (bytes, and server time), including zooms the style does not fetch.
  for (const [id, [lon, lat]] of [
    ['sf-mission', [demoLon, demoLat]],
    [city.id, [cityLon, cityLat]],
  ] as const) {
    for (const layer of ['buildings', 'incidents', 'streets'] as const) {
      for (let z = 10; z <= 16; z++) {
        const { x, y } = tileOf(lon, lat, z)
        const ts: number[] = []
        let bytes = 0
        let features = 0
        // a tile taking seconds (buildings of a whole city, which the map never asks for) is timed once
        for (let i = 0; i < RUNS && !(i > 0 && ts[0]! > 2000); i++) {
          const t = performance.now()
          const res = await fetch(`${base}/tiles/${layer}/${z}/${x}/${y}.mvt?community=${id}`, { headers: { cookie } })
          const buf = new Uint8Array(await res.arrayBuffer())
          ts.push(performance.now() - t)
          bytes = buf.byteLength
          if (i === 0 && bytes > 0) {
            const { VectorTile } = await import('@mapbox/vector-tile')
            const { PbfReader } = await import('pbf')
            features = new VectorTile(new PbfReader(buf)).layers[layer]?.length ?? 0
          }
        }
        report(`tile ${id} ${layer} z${z}`, { kB: bytes / 1024, features, ms: median(ts) })
      }
    }
  }
} finally {
  await browser.close()
  await new Promise<void>((resolve) => (httpServer ? httpServer.close(() => resolve()) : resolve()))
  await db.close()
}
