/**
 * GET /api/communities/{id}/export/{layer}.{geojson|csv|xlsx} (issue 10, "Export"): a layer of the
 * community as a file to take away — GeoJSON; CSV (UTF-8 with a byte-order mark, RFC 4180, through
 * the meeting pack's `toCsv`); or an .xlsx workbook (the same `excelWriter`). The same parameters,
 * selection and view as the layers API (`bbox`, the shared incident filters, `lang`): a viewer's
 * file holds what a viewer's map shows — incidents and disputes as counts per zone, no phones.
 *
 * Bounded: at most `limit` features (default and most: LIMITS.layer.max); when more match, 413 —
 * the caller narrows with bbox or the filters — never a silently cut file. A file that holds
 * personal data (captains; incidents or disputes as records) is audited: who took what.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { describeFilter, LAYERS, LIMITS, type Lang, type LayerName } from '../contract.js'
import { audit } from '../db/audit.js'
import { exportRows, teamRows, type ExportRow, type Selection } from '../db/export.js'
import { loadLayer } from '../db/layers.js'
import { routeModule } from '../env.js'
import { ApiError } from '../errors.js'
import { toCsv, type Cell, type Table } from '../export/tables.js'
import { excelWriter } from '../export/xlsx.js'
import { collectionBody, GEOJSON_TYPE } from '../geojson.js'
import { clientIp } from '../http/auth.js'
import { viewOf, type View } from '../http/context.js'
import { filterOf, filterQuery } from '../http/filters.js'
import { errorResponses } from '../http/openapi.js'
import { bboxParam, communityIdParam, langParam, limitParam } from '../http/params.js'

export const EXPORT_FORMATS = ['geojson', 'csv', 'xlsx'] as const
type Format = (typeof EXPORT_FORMATS)[number]
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** Whether a file of this layer, as this view sees it, holds personal data (and is audited). */
export const personal = (layer: LayerName, view: View) => layer === 'captains' || (layer === 'incidents' && view.exactIncidents) || (layer === 'disputes' && view.disputeRecords)

/**
 * Files of what is no map layer but a community's data all the same: its patrol teams (no geometry;
 * what routes name as their team), so that an export can be imported again (docs/import.md).
 */
export const EXPORT_ONLY_LAYERS = ['teams'] as const
type ExportLayer = LayerName | (typeof EXPORT_ONLY_LAYERS)[number]
const ALL_EXPORT_LAYERS: readonly ExportLayer[] = [...LAYERS, ...EXPORT_ONLY_LAYERS]

const fileParam = z
  .string()
  .max(40)
  .openapi({ param: { name: 'file', in: 'path' }, example: 'buildings.csv', description: `{layer}.{format}: layers ${ALL_EXPORT_LAYERS.join(', ')}; formats ${EXPORT_FORMATS.join(', ')}` })

/** The layer and format a file name asks for, or 404/400. */
function parseFile(file: string): { layer: ExportLayer; format: Format } {
  const dot = file.lastIndexOf('.')
  const [name, ext] = dot < 0 ? [file, ''] : [file.slice(0, dot), file.slice(dot + 1)]
  const layer = ALL_EXPORT_LAYERS.find((l) => l === name)
  if (!layer) throw new ApiError('unknown_layer', `unknown layer "${name.slice(0, 40)}"; layers are ${ALL_EXPORT_LAYERS.join(', ')}`, { layers: ALL_EXPORT_LAYERS })
  const format = EXPORT_FORMATS.find((f) => f === ext)
  if (!format) throw new ApiError('invalid_parameter', `the file must end in .${EXPORT_FORMATS.join(', .')}`, { formats: EXPORT_FORMATS })
  return { layer, format }
}

/** A cell of a property value: numbers and text as they are, true/false, lists and objects as JSON. */
const cellOf = (v: unknown): Cell => (v === null || v === undefined ? null : typeof v === 'number' || typeof v === 'string' ? v : typeof v === 'boolean' ? String(v) : JSON.stringify(v))

/** Rows as a table: `id`, every property (in the order first met), `lon`/`lat` of points, `wkt`. */
export function layerTable(layer: ExportLayer, rows: ExportRow[]): Table {
  const props = rows.map((r) => JSON.parse(r.props) as Record<string, unknown>)
  const keys: string[] = []
  for (const p of props) for (const k of Object.keys(p)) if (k !== 'id' && !keys.includes(k)) keys.push(k)
  const points = rows.some((r) => r.lon !== null)
  // teams have no geometry: no wkt column
  const shapes = layer !== 'teams'
  const names = ['id', ...keys, ...(points ? ['lon', 'lat'] : []), ...(shapes ? ['wkt'] : [])]
  return {
    name: { zh: layer, en: layer },
    columns: names.map((n) => ({ zh: n, en: n })),
    rows: rows.map((r, k) => [r.id, ...keys.map((key) => cellOf(props[k]![key])), ...(points ? [r.lon, r.lat] : []), ...(shapes ? [r.wkt] : [])]),
  }
}

export const exportLayer = routeModule().openapi(
  createRoute({
    method: 'get',
    path: '/{id}/export/{file}',
    tags: ['layers'],
    summary: 'A layer of the community as a file: GeoJSON, CSV (UTF-8 with BOM) or .xlsx',
    description: `\`file\` is \`{layer}.{format}\`: layers ${LAYERS.join(', ')}; formats ${EXPORT_FORMATS.join(', ')}. The same selection and role view as the layers API; the shared filters apply to incidents. More than \`limit\` features: 413 (narrow with bbox or the filters). Files with personal data are audited.`,
    request: {
      params: z.object({ id: communityIdParam, file: fileParam }),
      query: filterQuery({ bbox: bboxParam, limit: limitParam(LIMITS.layer.max, LIMITS.layer.max), lang: langParam }),
    },
    responses: {
      200: {
        description: 'the file',
        content: { 'application/geo+json': { schema: z.string() }, 'text/csv': { schema: z.string() }, [XLSX_TYPE]: { schema: z.string().meta({ format: 'binary' }) } },
      },
      413: { description: 'more features match than `limit`', content: errorResponses[400].content },
      ...errorResponses,
    },
  }),
  async (c) => {
    const { id, file } = c.req.valid('param')
    const q = c.req.valid('query')
    const { layer, format } = parseFile(file)
    const filter = layer === 'incidents' ? filterOf(q) : null
    const view = viewOf(c)
    const lang: Lang = c.var.lang ?? 'zh'
    const tooMany = () => {
      throw new ApiError('payload_too_large', `more than ${q.limit} features match; narrow the export with bbox or the filters (limit may be up to ${LIMITS.layer.max})`, { limit: q.limit, max: LIMITS.layer.max })
    }
    let body: string | Uint8Array<ArrayBuffer>
    let count: number
    if (layer === 'teams') {
      const { rows, more } = await teamRows(c.var.sql, id, view, q.limit)
      if (more) tooMany()
      count = rows.length
      body =
        format === 'geojson'
          ? collectionBody({ features: rows.map((r) => `{"type":"Feature","id":${r.id},"geometry":null,"properties":${r.props}}`).join(','), meta: { layer, community: id, count, bbox: null } })
          : format === 'csv'
            ? toCsv(layerTable(layer, rows), lang)
            : new Uint8Array(await excelWriter([layerTable(layer, rows)], lang))
      if (view.phones)
        await audit(c.var.sql, { community: id, userId: c.var.user!.id, username: c.var.user!.username, action: 'layer_exported', entity: 'layer', entityId: layer, after: { format, features: count }, ip: clientIp(c) })
    } else if (format === 'geojson') {
      const page = await loadLayer(c.var.sql, layer, id, q.bbox, q.limit, filter, view)
      if (page.truncated) tooMany()
      count = page.count
      body = collectionBody({ features: page.features, meta: { layer, community: id, count, bbox: q.bbox, ...(filter ? { filter: describeFilter(filter) } : {}) } })
    } else {
      const s: Selection = { layer, community: id, bbox: q.bbox, filter, view }
      const { rows, more } = await exportRows(c.var.sql, s, q.limit)
      if (more) tooMany()
      count = rows.length
      const table = layerTable(layer, rows)
      body = format === 'csv' ? toCsv(table, lang) : new Uint8Array(await excelWriter([table], lang))
    }
    if (layer !== 'teams' && personal(layer, view))
      await audit(c.var.sql, {
        community: id,
        userId: c.var.user!.id,
        username: c.var.user!.username,
        action: 'layer_exported',
        entity: 'layer',
        entityId: layer,
        after: { format, features: count, bbox: q.bbox, ...(filter ? { filter: describeFilter(filter) } : {}) },
        ip: clientIp(c),
      })
    const type = format === 'geojson' ? GEOJSON_TYPE : format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE
    return c.body(body as never, 200, { 'content-type': type, 'content-disposition': `attachment; filename="${id}-${layer}.${format}"`, 'cache-control': 'no-store' }) as never
  },
)
