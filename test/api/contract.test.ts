import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import {
  BuildingFiguresSchema,
  CommunityListSchema,
  CommunitySchema,
  CoverageCollectionSchema,
  GapsCollectionSchema,
  HealthSchema,
  HotspotCollectionSchema,
  IncidentPeriodSchema,
  IncidentSummarySchema,
  layerCollection,
  LAYERS,
  SearchAnswerSchema,
  ZoneFiguresSchema,
} from '../../server/src/contract.js'
import { expectAnswer } from '../support/contract.js'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'

// Every answer of the API, on the demo, is exactly what the contract the web app reads says.
describe.each(testModes())('answers and the contract in %s mode', (mode) => {
  let demo: DemoHandle
  beforeAll(async () => {
    demo = await openDemo(mode)
  })
  afterAll(() => demo.close())

  async function check<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>> {
    const res = await demo.app.request(path)
    expect(res.status, path).toBe(200)
    return expectAnswer(schema, await res.json(), path)
  }

  it('the service and the communities', async () => {
    await check('/api/health', HealthSchema)
    const list = await check('/api/communities', CommunityListSchema)
    expect(list.communities.map((c) => c.id)).toEqual(['sf-mission'])
    await check('/api/communities/sf-mission', CommunitySchema)
  })

  it.each(LAYERS)('the %s layer', async (layer) => {
    const fc = await check(`/api/communities/sf-mission/layers/${layer}?limit=50000`, layerCollection(layer))
    expect(fc.features.length).toBeGreaterThan(0)
  })

  it('the incident figures, search, a zone and a building', async () => {
    await check('/api/communities/sf-mission/incidents/summary?hours=22-02', IncidentSummarySchema)
    await check('/api/communities/sf-mission/incidents/period', IncidentPeriodSchema)
    const found = await check('/api/communities/sf-mission/search?q=G0', SearchAnswerSchema)
    expect(found.results.length).toBeGreaterThan(0)
    await check('/api/communities/sf-mission/zones/7/figures?categories=ROBBERY', ZoneFiguresSchema)
    await check('/api/communities/sf-mission/buildings/2/figures', BuildingFiguresSchema)
  })

  it.each(['method=gistar', 'method=gistar&fdr=true&shape=hex', 'method=kde', 'method=count', 'method=emerging&from=2012-07-01&to=2012-12-31', 'method=gistar&categories=ARSON'])(
    'hot spots (%s)',
    async (query) => {
      await check(`/api/communities/sf-mission/hotspots?${query}`, HotspotCollectionSchema)
    },
  )

  it.each(['network=patrol', 'network=patrol&hours=22-02&weekdays=6,7', 'network=captain&maxBuildings=5'])('coverage (%s)', async (query) => {
    await check(`/api/communities/sf-mission/coverage?${query}`, CoverageCollectionSchema)
  })

  it.each(['network=all', 'network=patrol&hours=08-16', 'network=captain'])('gaps (%s)', async (query) => {
    await check(`/api/communities/sf-mission/gaps?${query}`, GapsCollectionSchema)
  })

  it('describes every answer and its meta in the OpenAPI document', async () => {
    const res = await demo.app.request('/api/openapi.json')
    const doc = (await res.json()) as { components: { schemas: Record<string, { properties?: Record<string, unknown> }> } }
    const schemas = doc.components.schemas
    for (const name of ['HotspotMeta', 'PatrolCoverageMeta', 'CaptainCoverageMeta', 'GapsMeta', 'LayerMeta', 'ZoneFigures', 'Community', 'Error'])
      expect(Object.keys(schemas), name).toContain(name)
    expect(Object.keys(schemas.HotspotMeta!.properties!)).toEqual(expect.arrayContaining(['incidents', 'cells', 'insufficientReason', 'bins', 'categories']))
  })
})
