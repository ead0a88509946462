import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDemo, testModes, type DemoHandle } from '../support/db.js'

interface ErrorBody {
  error: { code: string; message: string; details?: unknown }
}

describe.each(testModes())('errors in %s mode', (mode) => {
  let demo: DemoHandle
  beforeAll(async () => {
    demo = await openDemo(mode)
  })
  afterAll(() => demo.close())

  async function expectError(path: string, status: number, code: string) {
    const res = await demo.app.request(path)
    expect(res.status).toBe(status)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    const body = (await res.json()) as ErrorBody
    expect(body.error.code).toBe(code)
    expect(body.error.message.length).toBeGreaterThan(5)
    return body
  }

  it('answers an unknown layer with 404 unknown_layer listing the layers', async () => {
    const body = await expectError('/api/communities/sf-mission/layers/parks', 404, 'unknown_layer')
    expect(body.error.details).toMatchObject({ layer: 'parks' })
  })

  it('answers an unknown community with 404 community_not_found', async () => {
    await expectError('/api/communities/atlantis/layers/buildings', 404, 'community_not_found')
    await expectError('/api/communities/atlantis', 404, 'community_not_found')
    await expectError('/tiles/buildings/14/2620/6333.mvt?community=atlantis', 404, 'community_not_found')
  })

  it.each([
    ['1,2,3', 'four numbers'],
    ['a,b,c,d', 'four numbers'],
    ['-122.41,37.77,-122.42,37.76', 'west ≤ east'],
    ['-200,37,-122,38', 'within longitude'],
    ['-122.42,37.76,-122.41,95', 'within longitude'],
    ['1,2,3,4,5', 'four numbers'],
  ])('rejects the bbox %s with 400 invalid_bbox', async (bbox, fragment) => {
    const body = await expectError(`/api/communities/sf-mission/layers/buildings?bbox=${bbox}`, 400, 'invalid_bbox')
    expect(body.error.message).toContain(fragment)
  })

  it.each(['0', '-5', '2.5', 'ten', '50001'])('rejects limit=%s with 400 invalid_parameter', async (limit) => {
    await expectError(`/api/communities/sf-mission/layers/buildings?limit=${limit}`, 400, 'invalid_parameter')
  })

  it.each([
    ['/tiles/buildings/23/0/0.mvt', 'invalid_tile'],
    ['/tiles/buildings/2/4/0.mvt', 'invalid_tile'],
    ['/tiles/buildings/2/0/4.mvt', 'invalid_tile'],
    ['/tiles/buildings/x/0/0.mvt', 'invalid_tile'],
    ['/tiles/buildings/1/0/0.png', 'invalid_tile'],
    ['/tiles/buildings/-1/0/0.mvt', 'invalid_tile'],
  ])('rejects the tile address %s with 400 %s', async (path, code) => {
    await expectError(path, 400, code)
  })

  it('answers a tile request without a community with 400: tiles are of one community', async () => {
    const body = await expectError('/tiles/buildings/14/2620/6333.mvt', 400, 'invalid_parameter')
    expect(body.error.message).toContain('community is required')
  })

  it('answers tiles of an untiled layer with 404 unknown_layer', async () => {
    await expectError('/tiles/zones/14/2620/6333.mvt', 404, 'unknown_layer')
  })

  it('answers an unknown endpoint with the same error shape', async () => {
    await expectError('/api/nothing-here', 404, 'not_found')
  })

  it('rejects a malformed community id with 400 invalid_parameter', async () => {
    await expectError('/api/communities/NOT_AN_ID/layers/buildings', 400, 'invalid_parameter')
  })
})
