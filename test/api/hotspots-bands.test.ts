/**
 * Gi* distance bands and kernel density against the definitions computed here, cell by cell, on a
 * study area with a notch and a hole (cells outside the area between cells inside it, in the same
 * columns), with bands and bandwidths that are and are not multiples of the cell spacing, square
 * and hexagonal cells; and the up-front refusal of bands and bandwidths too large for the mode.
 */
import type { FeatureCollection } from 'geojson'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/src/app.js'
import { LIMITS } from '../../server/src/contract.js'
import type { Sql } from '../../server/src/db/connect.js'
import { bandStencil } from '../../server/src/db/hotspots.js'
import { migrate } from '../../server/src/db/migrate.js'
import { cellCentre, createRectCommunity, placeIncidents, RECT, type PlacedIncident } from '../support/analysis.js'
import { adminClient, type Client } from '../support/clients.js'
import { openEmpty, testModes } from '../support/db.js'

type Cells = FeatureCollection & { meta: Record<string, unknown> }
type Shape = 'square' | 'hex'

/** A fixed pseudo-random sequence in [0, 1) (a 32-bit LCG), so every run places the same incidents. */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

// The study area: the rectangle less a notch (north-east) and a hole (two columns, three rows).
const X0 = RECT.xmin
const Y0 = RECT.ymin
const box = (x1: number, y1: number, x2: number, y2: number) => [X0 + x1, Y0 + y1, X0 + x2, Y0 + y2] as const
const ZONES = [box(0, 0, 400, 1000), box(400, 0, 600, 300), box(400, 600, 600, 1000), box(600, 0, 1200, 500)]
const HOLE = box(400, 300, 600, 600)
const NOTCH = box(600, 500, 1200, 1000)
const inBox = (p: { x: number; y: number }, b: readonly number[]) => p.x > b[0]! && p.x < b[2]! && p.y > b[1]! && p.y < b[3]!

/** A community whose study area is the four zones (each shrunk by 1 cm, as the rectangle is). */
async function createHoledCommunity(sql: Sql, id: string): Promise<void> {
  await createRectCommunity(sql, id)
  const e = 0.01
  for (const [k, z] of ZONES.entries())
    await sql`
      insert into grid_zones (community_id, code, name, geom)
      values (${id}, ${`Z${k}`}, ${`zone ${k}`}, ST_Multi(ST_Transform(ST_MakeEnvelope(${z[0] + e}, ${z[1] + e}, ${z[2] - e}, ${z[3] - e}, ${RECT.srid}), 4326)))`
}

/** Incidents in clusters and scattered over the rectangle, some in the hole and the notch (outside the area). */
function incidents(n: number, seed: number): PlacedIncident[] {
  const r = random(seed)
  const spots = [
    [X0 + 150, Y0 + 800],
    [X0 + 520, Y0 + 150],
    [X0 + 1000, Y0 + 250],
  ] as const
  return Array.from({ length: n }, (_, k) => {
    const [sx, sy] = spots[k % 3]!
    const p = k % 4 === 3 ? { x: X0 + 1 + r() * 1198, y: Y0 + 1 + r() * 998 } : { x: sx + (r() - 0.5) * 240, y: sy + (r() - 0.5) * 240 }
    // over six months, clusters growing in turn, for emerging hot spots
    const month = 1 + ((k % 3) * 2 + Math.floor(r() * r() * 6)) % 6
    return { x: Math.min(Math.max(p.x, X0 + 1), RECT.xmax - 1), y: Math.min(Math.max(p.y, Y0 + 1), RECT.ymax - 1), at: `2020-0${month}-15 12:00` }
  })
}

/** The cell (i, j) of a point, as the server assigns it (hexagons: the nearer of two centres, ties to the lower column). */
function cellOf(shape: Shape, size: number, p: { x: number; y: number }): [number, number] {
  if (shape === 'square') return [Math.floor(p.x / size), Math.floor(p.y / size)]
  const i0 = Math.floor(p.x / (1.5 * size))
  const best = [i0, i0 + 1]
    .map((i) => {
      const j = Math.round(p.y / (Math.sqrt(3) * size) - 0.5 * (((i % 2) + 2) % 2))
      const c = cellCentre('hex', i, j, size)
      return { i, j, d: (p.x - c.x) ** 2 + (p.y - c.y) ** 2 }
    })
    .sort((a, b) => a.d - b.d || a.i - b.i)[0]!
  return [best.i, best.j]
}

describe.each(testModes())('Gi* distance bands and KDE on a study area with a notch and a hole in %s mode', (mode) => {
  let db: Awaited<ReturnType<typeof openEmpty>>
  let app: Client
  const placed = incidents(400, 16)
  /** the incidents as the database holds them (metres; a few nm from `placed` after the round trip through EPSG:4326) */
  let points: { x: number; y: number }[] = []
  const get = async (query: string) => {
    const res = await app.request(`/api/communities/holed/hotspots?${query}`)
    expect(res.status, query).toBe(200)
    return (await res.json()) as Cells
  }

  beforeAll(async () => {
    db = await openEmpty(mode)
    await migrate(db.sql)
    app = await adminClient(createApp({ sql: db.sql, mode }), db.sql)
    await createHoledCommunity(db.sql, 'holed')
    await placeIncidents(db.sql, 'holed', placed)
    points = await db.sql<{ x: number; y: number }[]>`select ST_X(geom_m) as x, ST_Y(geom_m) as y from incidents where community_id = 'holed' order by id`
    expect(points).toHaveLength(placed.length)
  })
  afterAll(() => db.close())

  it('really has incidents and cells outside the area between cells inside it', async () => {
    expect(points.filter((p) => inBox(p, HOLE)).length).toBeGreaterThan(1)
    expect(points.filter((p) => inBox(p, NOTCH)).length).toBeGreaterThan(10)
    const count = await get('method=count&cell=100')
    expect(count.meta.cells).toBe(120 - 6 - 30) // less the hole's 2 × 3 and the notch's 6 × 5 cells
  })

  it.each([
    ['square', 100, 250], // 2.5 cells: not a multiple of the spacing
    ['square', 100, 200], // exactly 2 cells: (2, 0) is a neighbour, (2, 1) at 223.6 m is not
    ['square', 100, 141], // just under the diagonal: the four edge neighbours only
    ['square', 70, 333.3], // a decimal cell and band
    ['square', 100, 5000], // wider than the area: every cell a neighbour of every other
    ['hex', 60, 150], // hexagons: columns 90 m apart, rows 103.9 m, odd columns half a row up
    ['hex', 50, 173.20508075688772], // exactly two rows (√3 · 50 · 2), within the 1e-9 slack
    ['hex', 80, 420],
  ] as const)('scores %s cells of %d m with a %d m band as the definition does, cell by cell', async (shape, size, band) => {
    const gi = await get(`method=gistar&cell=${size}&shape=${shape}&band=${band}`)
    if (band === 5000) {
      expect(gi.meta).toMatchObject({ insufficient: true, insufficientReason: 'too_few_cells' })
      return
    }
    expect(gi.meta.insufficient).toBe(false)
    const cells = gi.features.map((f) => ({ i: f.properties!.i as number, j: f.properties!.j as number, x: f.properties!.count as number, props: f.properties! }))
    expect(cells.length).toBe(gi.meta.cells)
    // counts: the in-area incidents binned as the server bins them
    const inArea = new Map(cells.map((c) => [`${c.i}_${c.j}`, 0]))
    for (const p of points) {
      const key = cellOf(shape, size, p).join('_')
      if (inArea.has(key)) inArea.set(key, inArea.get(key)! + 1)
    }
    for (const c of cells) expect(c.x, `count of ${c.i},${c.j}`).toBe(inArea.get(`${c.i}_${c.j}`))
    // Gi* from its definition (DESIGN.md): neighbours are the cells whose centres are within the band
    const n = cells.length
    const mean = cells.reduce((a, c) => a + c.x, 0) / n
    const s = Math.sqrt(cells.reduce((a, c) => a + c.x * c.x, 0) / n - mean * mean)
    const centres = cells.map((c) => cellCentre(shape, c.i, c.j, size))
    const full = bandStencil(size, shape, band).offsets
    let edge = 0
    for (const [k, c] of cells.entries()) {
      let w = 0
      let wx = 0
      for (const [m, d] of cells.entries())
        if ((centres[m]!.x - centres[k]!.x) ** 2 + (centres[m]!.y - centres[k]!.y) ** 2 <= band * band * (1 + 1e-9)) {
          w++
          wx += d.x
        }
      if (w < full) edge++
      const z = (wx - mean * w) / (s * Math.sqrt((n * w - w * w) / (n - 1)))
      expect(c.props.neighbours, `neighbours of ${c.i},${c.j}`).toBe(w)
      expect(Math.abs((c.props.z as number) - z), `z of ${c.i},${c.j}`).toBeLessThan(1e-9)
    }
    expect(edge).toBeGreaterThan(10) // cells at the area's edges, the notch and the hole
  })

  it.each([
    ['square', 100, 250],
    ['square', 100, 100], // the bandwidth exactly one cell: the four edge neighbours' centres lie on the rim (d = h adds nothing)
    ['square', 70, 333.3],
    ['hex', 60, 130],
    ['hex', 80, 421.5],
    // a kernel far wider than the area: each incident meets every cell, and no cell beyond them
    ['square', 100, 20_000],
    ['hex', 60, 9000],
  ] as const)('sums the quartic kernel of every incident at every %s cell centre (%d m cells, bandwidth %d m) as the definition does', async (shape, size, h) => {
    const kde = await get(`method=kde&cell=${size}&shape=${shape}&bandwidth=${h}`)
    expect(kde.meta).toMatchObject({ bandwidth: h, bandwidthSource: 'parameter', insufficient: false })
    const keys = new Set(kde.features.map((f) => `${f.properties!.i}_${f.properties!.j}`))
    // the incidents of cells in the area (those in the notch or the hole do not count)
    const counted = points.filter((p) => keys.has(cellOf(shape, size, p).join('_')))
    expect(counted.length).toBe(kde.meta.incidents)
    expect(counted.length).toBeLessThan(points.length)
    const want = kde.features.map((f) => {
      const c = cellCentre(shape, f.properties!.i as number, f.properties!.j as number, size)
      let k = 0
      for (const p of counted) {
        const d2 = (p.x - c.x) ** 2 + (p.y - c.y) ** 2
        if (d2 < h * h) k += (1 - d2 / (h * h)) ** 2
      }
      return (3 / (Math.PI * h * h)) * k * 1e6
    })
    const peak = Math.max(...want)
    expect(peak).toBeGreaterThan(0)
    kde.features.forEach((f, k) => {
      const got = f.properties!.density as number
      expect(Math.abs(got - want[k]!), `density of ${f.id}: ${got} vs ${want[k]}`).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(want[k]!), peak * 1e-3))
    })
  })
})

describe.each(testModes())('emerging hot spots with a distance band in %s mode', (mode) => {
  let db: Awaited<ReturnType<typeof openEmpty>>
  let app: Client
  beforeAll(async () => {
    db = await openEmpty(mode)
    await migrate(db.sql)
    app = await adminClient(createApp({ sql: db.sql, mode }), db.sql)
    await createHoledCommunity(db.sql, 'holed')
    await placeIncidents(db.sql, 'holed', incidents(400, 16))
  })
  afterAll(() => db.close())

  it.each([
    ['square', 100, 142], // the eight ring-1 neighbours
    ['hex', 60, 104], // √3 · 60 = 103.92: the six ring-1 neighbours
  ] as const)('finds with a band holding exactly ring 1 (%s cells of %d m, %d m) what ring 1 finds, slice by slice', async (shape, size, band) => {
    const get = async (query: string) => {
      const res = await app.request(`/api/communities/holed/hotspots?method=emerging&cell=${size}&shape=${shape}&from=2020-01-01&to=2020-06-30${query}`)
      expect(res.status).toBe(200)
      return (await res.json()) as Cells
    }
    const [ring, banded] = [await get(''), await get(`&band=${band}`)]
    expect(ring.meta).toMatchObject({ slices: 6, insufficient: false })
    expect(banded.meta).toMatchObject({ ...ring.meta, neighbours: `band ${band} m` })
    expect(banded.features.map((f) => f.id)).toEqual(ring.features.map((f) => f.id))
    let hot = 0
    ring.features.forEach((f, k) => {
      const b = banded.features[k]!.properties!
      expect(b.category, `category of ${f.id}`).toBe(f.properties!.category)
      const zs = f.properties!.zs as (number | null)[]
      ;(b.zs as (number | null)[]).forEach((z, t) => (z === null ? expect(zs[t]).toBeNull() : expect(Math.abs(z - zs[t]!)).toBeLessThan(1e-9)))
      if (f.properties!.hotSlices as number) hot++
    })
    expect(hot).toBeGreaterThan(0)
  })
})

describe.each(testModes())('refusing bands and bandwidths too large for %s mode', (mode) => {
  let db: Awaited<ReturnType<typeof openEmpty>>
  let app: Client
  /** what the analysis pool was asked: every statement's text, and analysis transactions begun */
  const seen = { statements: [] as string[], begun: 0 }

  beforeAll(async () => {
    db = await openEmpty(mode)
    await migrate(db.sql)
    // The analyses' pool, watched: a statement is a tagged-template call, an analysis a transaction.
    const watched = new Proxy(db.sql, {
      apply(target, self, args: unknown[]) {
        const strings = args[0] as TemplateStringsArray | undefined
        if (strings && Array.isArray(strings.raw)) seen.statements.push(strings.join('?'))
        return Reflect.apply(target, self, args) as unknown
      },
      get(target, prop, receiver) {
        if (prop === 'begin') {
          return (...args: Parameters<Sql['begin']>) => {
            seen.begun++
            return target.begin(...args)
          }
        }
        return Reflect.get(target, prop, receiver) as unknown
      },
    })
    app = await adminClient(createApp({ sql: db.sql, analysisSql: watched, mode }), db.sql)
    await createRectCommunity(db.sql, 'rect')
    // 3,000 incidents: a 2 km bandwidth on 10 m cells is then too much work in either mode
    await placeIncidents(db.sql, 'rect', incidents(3000, 7))
  })
  afterAll(() => db.close())

  const refusal = async (query: string) => {
    seen.statements.length = 0
    seen.begun = 0
    const res = await app.request(`/api/communities/rect/hotspots?${query}`)
    expect(res.status).toBe(400)
    return (await res.json()) as { error: { code: string; message: string; details: Record<string, number> } }
  }

  it('refuses a Gi* band over too many cell columns with 400 and what to change, before any analysis runs', async () => {
    // 10 m cells over the 1.2 × 1.0 km rectangle (within the cell limit of both modes), a 10 km band
    const cells = Math.ceil(((1200 + 20) * (1000 + 20)) / 100)
    const columns = bandStencil(10, 'square', 10_000).columns
    expect(columns).toBe(2001)
    const body = await refusal('method=gistar&cell=10&band=10000')
    expect(body).toEqual({
      error: {
        code: 'invalid_parameter',
        message: `a 10000 m band over ${cells} cells of 10 m looks at about ${cells * columns} cell columns (${cells} cells × ${columns} columns of neighbours), at most ${LIMITS.work[mode].bandColumns} here; use a smaller band or a larger cell`,
        details: { band: 10_000, estimate: cells * columns, max: LIMITS.work[mode].bandColumns },
      },
    })
    expect(seen.begun, 'analysis transactions').toBe(0)
    expect(seen.statements.some((s) => /incidents/.test(s)), seen.statements.join('\n')).toBe(false)
  })

  it('refuses an emerging analysis with a band over too many cell pairs, before any analysis runs', async () => {
    const cells = Math.ceil(((1200 + 20) * (1000 + 20)) / 100)
    const band = 300
    const offsets = bandStencil(10, 'square', band).offsets
    const body = await refusal(`method=emerging&cell=10&band=${band}`)
    expect(body.error.code).toBe('invalid_parameter')
    expect(body.error.message).toContain(`${cells} cells × ${offsets} neighbours`)
    expect(body.error.details).toEqual({ band, estimate: cells * offsets, max: LIMITS.work[mode].neighbourPairs })
    expect(seen.begun).toBe(0)
  })

  it('refuses a KDE of too many kernel terms with 400 and what to change, before any analysis runs', async () => {
    const body = await refusal('method=kde&cell=10&bandwidth=2000')
    expect(body.error.code).toBe('invalid_parameter')
    expect(body.error.message).toMatch(/^a 2000 m bandwidth over 3000 incidents and cells of 10 m sums about \d+ kernel terms \(at most \d+ here\); use a larger cell or a smaller bandwidth$/)
    expect(Object.keys(body.error.details).sort()).toEqual(['bandwidth', 'estimate', 'max'])
    expect(body.error.details.bandwidth).toBe(2000)
    expect(body.error.details.max).toBe(LIMITS.work[mode].kernelTerms)
    expect(body.error.details.estimate).toBeGreaterThan(LIMITS.work[mode].kernelTerms)
    expect(seen.begun).toBe(0)
  })

  it('accepts what is within the limits', async () => {
    const res = await app.request('/api/communities/rect/hotspots?method=gistar&cell=50&band=300')
    expect(res.status).toBe(200)
    expect(seen.begun).toBeGreaterThan(0)
  })
})
