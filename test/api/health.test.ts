import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'

describe.each(testModes())('health in %s mode', (mode) => {
  let demo: DemoHandle
  beforeAll(async () => {
    demo = await openDemo(mode)
  })
  afterAll(() => demo.close())

  it('reports the database mode, PostgreSQL and PostGIS versions and the migration level', async () => {
    const res = await demo.app.request('/api/health')
    expect(res.status).toBe(200)
    const body = (await res.json()) as { status: string; db: { mode: string; postgres: string; postgis: string; migration: number } }
    expect(body.status).toBe('ok')
    expect(body.db.mode).toBe(mode)
    // PostgreSQL 15 + PostGIS 3.3 is the floor.
    expect(Number(body.db.postgres.split('.')[0])).toBeGreaterThanOrEqual(15)
    const [major, minor] = body.db.postgis.split('.').map(Number)
    expect(major! * 100 + minor!).toBeGreaterThanOrEqual(303)
    expect(body.db.migration).toBeGreaterThanOrEqual(1)
  })

  it('publishes an OpenAPI document of the routes', async () => {
    const res = await demo.app.request('/api/openapi.json')
    expect(res.status).toBe(200)
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> }
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/communities', '/api/communities/{id}/layers/{layer}', '/tiles/{layer}/{z}/{x}/{y}.mvt']),
    )
  })
})
