/**
 * OGC API – Features, Part 1 (issue 10, "Export") at /ogc, so that desktop GIS (QGIS, GDAL's OAPIF
 * driver) reads the community layers directly: the landing page, conformance, the OpenAPI 3.0
 * definition (/ogc/api), one collection per community and layer (`sf-mission-buildings`) with its
 * extent, items with `bbox`, `datetime` (incidents), `limit`/`offset` and next/prev links,
 * `numberMatched`/`numberReturned`, and single items. JSON only (`f=json`); items are
 * application/geo+json in CRS84.
 *
 * Who sees what: the caller (session cookie, or a personal access token as `Authorization: Bearer`,
 * http/auth.ts) sees the collections of the communities they hold a role in, each through the
 * layers API's selection with their role's view (db/export.ts) — a viewer gets incidents and
 * disputes as counts per zone and captains without phones, as on the map.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { isRealInstant, LAYERS, type BBox, type IncidentFilter, type LayerName, type Role } from '../contract.js'
import { communityNames, featureById, featurePage, layerExtent, type Selection } from '../db/export.js'
import { routeModule, type AppEnv } from '../env.js'
import { ApiError } from '../errors.js'
import { viewOf } from '../http/context.js'
import { incidentFilterShape } from '../http/filters.js'
import { errorResponses } from '../http/openapi.js'
import { bboxParam, communityId, decimal } from '../http/params.js'

export const OGC_LIMIT = { default: 10, max: 10_000 } as const
/** The largest offset served (a page beyond every layer's end is empty anyway). */
const OFFSET_MAX = 10_000_000
const GEOJSON = 'application/geo+json'
const JSON_TYPE = 'application/json'
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'
const GREGORIAN = 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian'
export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
]
const TITLES: Record<LayerName, string> = {
  buildings: 'buildings',
  streets: 'streets',
  zones: 'grid zones',
  routes: 'patrol routes',
  captains: 'building captains',
  incidents: 'incidents',
  disputes: 'disputes',
}

/** The base URL of the service as the client reached it (behind a trusted proxy, as it says). */
function baseUrl(c: Context<AppEnv>): string {
  const url = new URL(c.req.url)
  const proto = c.var.auth.trustProxy ? (c.req.header('x-forwarded-proto') ?? url.protocol.slice(0, -1)) : url.protocol.slice(0, -1)
  const host = c.var.auth.trustProxy ? (c.req.header('x-forwarded-host') ?? url.host) : url.host
  return `${proto}://${host}/ogc`
}

const json = (c: Context<AppEnv>, body: unknown, type = JSON_TYPE) => c.body(JSON.stringify(body), 200, { 'content-type': `${type}; charset=utf-8` })

/** The caller's role in a community: a system admin holds admin in every one that exists. */
function roleIn(c: Context<AppEnv>, community: string, known: Set<string>): Role | null {
  const user = c.var.user!
  if (!known.has(community)) return null
  return user.admin ? 'admin' : (user.roles[community] ?? null)
}

/** The community and layer of a collection id (`{community}-{layer}`) the caller may read, or 404; sets the role for the view. */
async function collectionOf(c: Context<AppEnv>, collectionId: string): Promise<{ community: string; layer: LayerName; title: string }> {
  const dash = collectionId.lastIndexOf('-')
  const community = collectionId.slice(0, dash)
  const layer = LAYERS.find((l) => l === collectionId.slice(dash + 1))
  const notFound = () => new ApiError('not_found', `no collection "${collectionId.slice(0, 80)}"`, { collectionId: collectionId.slice(0, 80) })
  if (dash < 0 || !layer || !communityId.safeParse(community).success) throw notFound()
  const communities = await communityNames(c.var.sql)
  const role = roleIn(c, community, new Set(communities.map((x) => x.id)))
  if (role === null) throw new ApiError('community_not_found', `community "${community}" does not exist`, { id: community })
  c.set('role', role)
  c.set('community', community)
  const name = communities.find((x) => x.id === community)!
  return { community, layer, title: `${(c.var.lang === 'zh' ? name.nameZh : null) ?? name.name}: ${TITLES[layer]}` }
}

/** A collection's description (the /collections entries and /collections/{c}). */
async function collectionDoc(c: Context<AppEnv>, base: string, community: string, layer: LayerName, title: string) {
  const view = viewOf(c)
  const extent = await layerExtent(c.var.sql, { layer, community, bbox: null, filter: null, view })
  const id = `${community}-${layer}`
  const aggregated = (layer === 'incidents' && !view.exactIncidents) || (layer === 'disputes' && !view.disputeRecords)
  return {
    id,
    title,
    description: aggregated ? `${TITLES[layer]} as counts per grid zone (your role sees no records)` : `${TITLES[layer]} of ${community}`,
    itemType: 'feature',
    crs: [CRS84],
    extent: {
      ...(extent.bbox ? { spatial: { bbox: [extent.bbox], crs: CRS84 } } : {}),
      ...(extent.from ? { temporal: { interval: [[extent.from, extent.to]], trs: GREGORIAN } } : {}),
    },
    links: [
      { href: `${base}/collections/${id}`, rel: 'self', type: JSON_TYPE, title },
      { href: `${base}/collections/${id}/items`, rel: 'items', type: GEOJSON, title: `${title} (items)` },
    ],
  }
}

/**
 * `datetime`: an instant or a closed or half-bounded interval (`a/b`, `../b`, `a/..`) of RFC 3339
 * timestamps or dates (a date is the whole local day in the community's time zone, as `from`/`to`
 * of the shared filters are).
 */
const datetimeParam = z
  .string()
  .max(100)
  .optional()
  .transform((raw, ctx): { from: string | null; to: string | null } | null => {
    if (raw === undefined || raw === '') return null
    const parts = raw.split('/')
    const fail = () => {
      ctx.addIssue({ code: 'custom', message: 'datetime must be an RFC 3339 instant or date, or an interval a/b, ../b or a/.. of them' })
      return z.NEVER
    }
    if (parts.length > 2) return fail()
    const side = (s: string | undefined, open: boolean) => (s === undefined ? null : open && (s === '..' || s === '') ? null : isRealInstant(s) ? s : undefined)
    const from = side(parts[0], parts.length === 2)
    const to = parts.length === 2 ? side(parts[1], true) : from
    if (from === undefined || to === undefined || (parts.length === 2 && from === null && to === null)) return fail()
    if (from && to && from.slice(0, 10) > to.slice(0, 10)) return fail()
    return { from, to }
  })
  .openapi({ param: { name: 'datetime', in: 'query' }, example: '2012-07-01T00:00:00Z/2012-12-31T23:59:59Z', description: 'incidents: an instant or interval (RFC 3339); other collections have no time and ignore it' })

/** `limit`: 1…, default 10; beyond the maximum the maximum is used (OGC API – Features /req/core/query-param-limit). */
const ogcLimit = decimal('limit must be a number', (n) => n.int('limit must be an integer').min(1, 'limit must be at least 1'))
  .default(OGC_LIMIT.default)
  .transform((n) => Math.min(n, OGC_LIMIT.max))
  .openapi({ param: { name: 'limit', in: 'query' }, example: 10, description: `default ${OGC_LIMIT.default}, at most ${OGC_LIMIT.max}` })
const offsetParam = decimal('offset must be a number', (n) => n.int('offset must be an integer').min(0, 'offset must be at least 0').max(OFFSET_MAX, `offset must be at most ${OFFSET_MAX}`))
  .default(0)
  .openapi({ param: { name: 'offset', in: 'query' }, example: 0 })
const fParam = z.enum(['json', 'geojson'], { message: 'f must be json (this service answers JSON only)' }).optional().openapi({ param: { name: 'f', in: 'query' } })
const collectionIdParam = z.string().max(100).openapi({ param: { name: 'collectionId', in: 'path' }, example: 'sf-mission-buildings' })
const featureIdParam = z.string().max(40).openapi({ param: { name: 'featureId', in: 'path' }, example: '1' })

const anyJson = (description: string, type = JSON_TYPE) => ({ 200: { description, content: { [type]: { schema: z.record(z.string(), z.unknown()) } } }, ...errorResponses })

/** The OGC routes; `/api` answers their OpenAPI 3.0 definition. */
export function ogcRoutes(): OpenAPIHono<AppEnv> {
  const ogc = routeModule()
    .openapi(createRoute({ method: 'get', path: '/', tags: ['ogc'], summary: 'OGC API – Features landing page', request: { query: z.object({ f: fParam }) }, responses: anyJson('landing page') }), (c) => {
      const base = baseUrl(c)
      return json(c, {
        title: 'safegrid',
        description: 'Grid safety map (平安网格): the layers of each community as OGC API – Features collections.',
        links: [
          { href: base, rel: 'self', type: JSON_TYPE, title: 'this document' },
          { href: `${base}/api`, rel: 'service-desc', type: 'application/vnd.oai.openapi+json;version=3.0', title: 'the API definition' },
          { href: `${base}/conformance`, rel: 'conformance', type: JSON_TYPE, title: 'conformance classes' },
          { href: `${base}/collections`, rel: 'data', type: JSON_TYPE, title: 'collections' },
        ],
      }) as never
    })
    .openapi(createRoute({ method: 'get', path: '/conformance', tags: ['ogc'], summary: 'Conformance classes', request: { query: z.object({ f: fParam }) }, responses: anyJson('conformance') }), (c) =>
      json(c, { conformsTo: CONFORMANCE }) as never,
    )
    .openapi(
      createRoute({ method: 'get', path: '/collections', tags: ['ogc'], summary: 'The collections: one per community the caller holds a role in and layer', request: { query: z.object({ f: fParam }) }, responses: anyJson('collections') }),
      async (c) => {
        const base = baseUrl(c)
        const communities = await communityNames(c.var.sql)
        const known = new Set(communities.map((x) => x.id))
        const collections = []
        for (const community of communities) {
          const role = roleIn(c, community.id, known)
          if (role === null) continue
          c.set('role', role)
          const name = (c.var.lang === 'zh' ? community.nameZh : null) ?? community.name
          for (const layer of LAYERS) collections.push(await collectionDoc(c, base, community.id, layer, `${name}: ${TITLES[layer]}`))
        }
        return json(c, { links: [{ href: `${base}/collections`, rel: 'self', type: JSON_TYPE, title: 'collections' }], collections }) as never
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/collections/{collectionId}', tags: ['ogc'], summary: 'One collection', request: { params: z.object({ collectionId: collectionIdParam }), query: z.object({ f: fParam }) }, responses: anyJson('collection') }),
      async (c) => {
        const { community, layer, title } = await collectionOf(c, c.req.valid('param').collectionId)
        return json(c, await collectionDoc(c, baseUrl(c), community, layer, title)) as never
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/collections/{collectionId}/items',
        tags: ['ogc'],
        summary: 'Features of a collection',
        description: 'Ordered by id. The shared incident filters `categories`, `hours` and `weekdays` apply to incidents as well.',
        request: {
          params: z.object({ collectionId: collectionIdParam }),
          query: z.object({
            bbox: bboxParam,
            datetime: datetimeParam,
            limit: ogcLimit,
            offset: offsetParam,
            categories: incidentFilterShape.categories,
            hours: incidentFilterShape.hours,
            weekdays: incidentFilterShape.weekdays,
            f: fParam,
          }),
        },
        responses: anyJson('features', GEOJSON),
      }),
      async (c) => {
        const { collectionId } = c.req.valid('param')
        const q = c.req.valid('query')
        const { community, layer } = await collectionOf(c, collectionId)
        const filter: IncidentFilter | null =
          layer === 'incidents' ? { from: q.datetime?.from ?? null, to: q.datetime?.to ?? null, categories: q.categories, hours: q.hours, weekdays: q.weekdays } : null
        const s: Selection = { layer, community, bbox: q.bbox as BBox | null, filter, view: viewOf(c) }
        const page = await featurePage(c.var.sql, s, q.limit, q.offset)
        const base = `${baseUrl(c)}/collections/${collectionId}/items`
        const at = (offset: number) => {
          const params = new URL(c.req.url).searchParams
          params.set('offset', String(offset))
          params.set('limit', String(q.limit))
          return `${base}?${params.toString()}`
        }
        const links = [
          { href: at(q.offset), rel: 'self', type: GEOJSON, title: 'this page' },
          { href: `${baseUrl(c)}/collections/${collectionId}`, rel: 'collection', type: JSON_TYPE, title: 'the collection' },
          ...(q.offset + page.returned < page.matched ? [{ href: at(q.offset + q.limit), rel: 'next', type: GEOJSON, title: 'next page' }] : []),
          ...(q.offset > 0 ? [{ href: at(Math.max(0, q.offset - q.limit)), rel: 'prev', type: GEOJSON, title: 'previous page' }] : []),
        ]
        const tail = { numberMatched: page.matched, numberReturned: page.returned, timeStamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), links }
        const body = `{"type":"FeatureCollection","features":[${page.features}],${JSON.stringify(tail).slice(1)}`
        return c.body(body, 200, { 'content-type': `${GEOJSON}; charset=utf-8` }) as never
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/collections/{collectionId}/items/{featureId}',
        tags: ['ogc'],
        summary: 'One feature',
        request: { params: z.object({ collectionId: collectionIdParam, featureId: featureIdParam }), query: z.object({ f: fParam }) },
        responses: anyJson('feature', GEOJSON),
      }),
      async (c) => {
        const { collectionId, featureId } = c.req.valid('param')
        const { community, layer } = await collectionOf(c, collectionId)
        const fid = /^[1-9][0-9]{0,14}$/.test(featureId) ? Number(featureId) : null
        const feature = fid === null ? null : await featureById(c.var.sql, { layer, community, bbox: null, filter: null, view: viewOf(c) }, fid)
        if (feature === null) throw new ApiError('not_found', `no feature "${featureId.slice(0, 40)}" in ${collectionId}`, { collectionId, featureId: featureId.slice(0, 40) })
        const base = `${baseUrl(c)}/collections/${collectionId}`
        const links = [
          { href: `${base}/items/${fid}`, rel: 'self', type: GEOJSON, title: 'this feature' },
          { href: base, rel: 'collection', type: JSON_TYPE, title: 'the collection' },
        ]
        return c.body(`${feature.slice(0, -1)},"links":${JSON.stringify(links)}}`, 200, { 'content-type': `${GEOJSON}; charset=utf-8` }) as never
      },
    )
  // the API definition of the routes above, in OpenAPI 3.0 (the OGC's oas30 conformance class)
  ogc.get('/api', (c) => {
    const doc = ogc.getOpenAPIDocument({
      openapi: '3.0.3',
      info: { title: 'safegrid OGC API – Features', version: '1.0.0', description: 'The layers of each community as OGC API – Features collections (JSON only).' },
      servers: [{ url: baseUrl(c) }],
    })
    return json(c, doc, 'application/vnd.oai.openapi+json;version=3.0') as never
  })
  return ogc
}
