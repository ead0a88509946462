/** GET /tiles/{layer}/{z}/{x}/{y}.mvt: Mapbox Vector Tiles of the big layers, cacheable by ETag. */
import { z } from '@hono/zod-openapi'
import { TILE_LAYERS } from '../contract.js'
import { TileCache, tileDataVersion, tileEtag } from '../db/tile-cache.js'
import { loadTile, MAX_ZOOM, type TileRequest } from '../db/tiles.js'
import { routeModule } from '../env.js'
import { ApiError } from '../errors.js'
import { viewOf } from '../http/context.js'
import { filterOf, filterQuery } from '../http/filters.js'
import { errorResponses } from '../http/openapi.js'
import { communityId } from '../http/params.js'
import { validationError } from '../http/validation.js'

export const MVT_TYPE = 'application/vnd.mapbox-vector-tile'

// The shared incident filters apply to the incidents layer.
const TileQuery = filterQuery({
  community: z
    .string({ message: 'community is required: tiles are of one community (…?community=<id>)' })
    .pipe(communityId)
    .openapi({ param: { name: 'community', in: 'query' }, example: 'sf-mission', description: 'the community whose features the tile holds' }),
})

/** Parses z/x/y (y with its .mvt suffix); 400 invalid_tile when they are not a tile of zoom z. */
export function parseTile(zRaw: string, xRaw: string, yFile: string): { z: number; x: number; y: number } {
  const m = /^(\d{1,10})\.mvt$/.exec(yFile)
  const int = (s: string) => (/^\d{1,10}$/.test(s) ? Number(s) : NaN)
  const z = int(zRaw)
  const x = int(xRaw)
  const y = m ? Number(m[1]) : NaN
  if (!Number.isInteger(z) || !Number.isInteger(x) || !Number.isInteger(y))
    throw new ApiError('invalid_tile', 'tile address must be /tiles/{layer}/{z}/{x}/{y}.mvt with non-negative integers', { z: zRaw, x: xRaw, y: yFile })
  if (z > MAX_ZOOM) throw new ApiError('invalid_tile', `zoom must be 0–${MAX_ZOOM}`, { z })
  const n = 2 ** z
  if (x >= n || y >= n) throw new ApiError('invalid_tile', `at zoom ${z}, x and y must be 0–${n - 1}`, { z, x, y })
  return { z, x, y }
}

export const tiles = routeModule()

tiles.openAPIRegistry.registerPath({
  method: 'get',
  path: '/{layer}/{z}/{x}/{y}.mvt', // mounted under /tiles
  tags: ['tiles'],
  summary: 'A vector tile (layer name = source-layer name)',
  request: {
    params: z.object({ layer: z.enum(TILE_LAYERS), z: z.number().int(), x: z.number().int(), y: z.number().int() }),
    query: TileQuery,
  },
  responses: {
    200: { description: 'tile', content: { [MVT_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } } },
    204: { description: 'empty tile' },
    304: { description: 'not modified (If-None-Match)' },
    ...errorResponses,
  },
})

tiles.get('/:layer/:z/:x/:y', async (c) => {
  const { layer: layerRaw, z: zRaw, x: xRaw, y: yRaw } = c.req.param()
  const layer = TILE_LAYERS.find((l) => l === layerRaw)
  if (!layer) throw new ApiError('unknown_layer', `no tiles for layer "${layerRaw}"; tiled layers are ${TILE_LAYERS.join(', ')}`, { layer: layerRaw, layers: TILE_LAYERS })
  const { z, x, y } = parseTile(zRaw, xRaw, yRaw)
  const query = TileQuery.safeParse(c.req.query())
  if (!query.success) throw validationError(query.error, 'query')
  const community = query.data.community
  const req: TileRequest & { community: string } = { layer, z, x, y, community, filter: layer === 'incidents' ? filterOf(query.data) : null, view: viewOf(c) }
  const sql = c.var.sql
  const cache = c.var.tileCache
  let tile: Uint8Array
  let etag: string
  if (cache.maxBytes === 0) {
    tile = await loadTile(sql, c.var.dbMode, req)
    etag = tileEtag(tile)
  } else {
    // (the version first: see db/tile-cache.ts)
    const version = await tileDataVersion(sql, community)
    ;({ tile, etag } = await cache.get(TileCache.key({ ...req, filter: req.filter ?? null }), version, () => loadTile(sql, c.var.dbMode, req)))
  }
  const headers = { etag, 'cache-control': 'private, max-age=60, stale-while-revalidate=300', vary: 'Cookie' }
  if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers)
  if (tile.length === 0) return c.body(null, 204, headers)
  return c.body(tile as Uint8Array<ArrayBuffer>, 200, { ...headers, 'content-type': MVT_TYPE })
})
