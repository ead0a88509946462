/**
 * Tiles stay what they were: a few demo tiles of every layer, for several views (a planner, a
 * viewer — counts, no phones —, names in English, a filtered incident tile, clusters), compared
 * with the tiles the server gave before the tile work of issue 16 — byte for byte (SHA-256 of the
 * tile) and, so that a difference can be read, as decoded features. One gzipped golden file per mode
 * (ST_AsMVT and vt-pbf write the same features in different bytes).
 *
 * Regenerate (only when a change of the features is intended): SAFEGRID_UPDATE_GOLDEN=1 npx vitest run --project api test/api/tiles-golden.test.ts
 */
import { VectorTile } from '@mapbox/vector-tile'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { PbfReader } from 'pbf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT_DIR } from '../../server/src/config.js'
import type { Role } from '../../server/src/contract.js'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'

const GOLDEN = path.join(ROOT_DIR, 'fixtures/golden')
const UPDATE = process.env.SAFEGRID_UPDATE_GOLDEN === '1'

/** Tiles of the demo (around Mission St & 16th St) and who asks for them. */
export const GOLDEN_TILES: { name: string; path: string; as: Role | 'system-admin' }[] = [
  { name: 'buildings z14', path: '/tiles/buildings/14/2620/6333.mvt?community=sf-mission', as: 'planner' },
  { name: 'buildings z15', path: '/tiles/buildings/15/5241/12666.mvt?community=sf-mission', as: 'planner' },
  { name: 'buildings z16', path: '/tiles/buildings/16/10482/25333.mvt?community=sf-mission', as: 'planner' },
  { name: 'buildings z16 viewer', path: '/tiles/buildings/16/10482/25333.mvt?community=sf-mission', as: 'viewer' },
  { name: 'buildings z16 en', path: '/tiles/buildings/16/10482/25333.mvt?community=sf-mission&lang=en', as: 'planner' },
  { name: 'buildings z16 zh', path: '/tiles/buildings/16/10482/25333.mvt?community=sf-mission&lang=zh', as: 'system-admin' },
  { name: 'incidents z16', path: '/tiles/incidents/16/10482/25333.mvt?community=sf-mission', as: 'planner' },
  { name: 'incidents z16 filtered 20-04', path: '/tiles/incidents/16/10482/25333.mvt?community=sf-mission&categories=ROBBERY,ASSAULT,VANDALISM&hours=20-04', as: 'planner' },
  { name: 'incidents z15 viewer', path: '/tiles/incidents/15/5241/12666.mvt?community=sf-mission', as: 'viewer' },
  { name: 'incidents z12 clusters', path: '/tiles/incidents/12/655/1583.mvt?community=sf-mission', as: 'planner' },
  { name: 'streets z16', path: '/tiles/streets/16/10482/25333.mvt?community=sf-mission', as: 'viewer' },
  { name: 'streets z12', path: '/tiles/streets/12/655/1583.mvt?community=sf-mission', as: 'viewer' },
]

interface GoldenTile {
  status: number
  sha256: string
  bytes: number
  /** per layer: [id, properties, geometry as rings of [x, y]] */
  features: Record<string, [number | null, Record<string, unknown>, number[][][]][]>
}

function decode(buf: Uint8Array): GoldenTile['features'] {
  if (buf.length === 0) return {}
  const tile = new VectorTile(new PbfReader(buf))
  return Object.fromEntries(
    Object.entries(tile.layers).map(([name, layer]) => [
      name,
      Array.from({ length: layer.length }, (_, i) => {
        const f = layer.feature(i)
        return [f.id ?? null, f.properties, f.loadGeometry().map((r) => r.map((p) => [p.x, p.y]))] as [number | null, Record<string, unknown>, number[][][]]
      }),
    ]),
  )
}

describe.each(testModes())('tiles against the golden tiles in %s mode', (mode) => {
  let demo: DemoHandle
  const file = path.join(GOLDEN, `tiles-${mode}.json.gz`)
  beforeAll(async () => {
    demo = await openDemo(mode)
  })
  afterAll(() => demo.close())

  it('serves the same bytes and features as before, twice (the second time from the cache)', async () => {
    const got: Record<string, GoldenTile> = {}
    for (let round = 0; round < 2; round++)
      for (const t of GOLDEN_TILES) {
        const res = await demo.as(t.as).request(t.path)
        const buf = new Uint8Array(await res.arrayBuffer())
        const tile = { status: res.status, sha256: createHash('sha256').update(buf).digest('hex'), bytes: buf.length, features: decode(buf) }
        if (round === 0) got[t.name] = tile
        else expect(tile, `${t.name}, again`).toEqual(got[t.name])
      }
    if (UPDATE) fs.writeFileSync(file, zlib.gzipSync(JSON.stringify(got) + '\n', { level: 9 }))
    const golden = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')) as Record<string, GoldenTile>
    for (const t of GOLDEN_TILES) {
      const g = golden[t.name]!
      const s = got[t.name]!
      expect(s.features, t.name).toEqual(g.features)
      expect({ status: s.status, sha256: s.sha256, bytes: s.bytes }, t.name).toEqual({ status: g.status, sha256: g.sha256, bytes: g.bytes })
    }
  })
})
