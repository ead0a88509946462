/**
 * Imports of a community's own files (issue 10):
 *
 * - `POST /{id}/imports?layer&format&crs&encoding&dryRun&source&fileName`: the file as the raw body
 *   (or the `file` field of multipart/form-data). A dry run (the default) answers the report — rows
 *   read, valid, new, changed, unchanged, every rejected row with its row number, column and reason
 *   in the caller's language, and the valid features for a map — and changes nothing. A confirmed
 *   import (`dryRun=false`) writes all rows in one transaction, or nothing: any rejected row answers
 *   422 `import_rejected` with the same report in `details.report`. Audited and recorded.
 * - `GET /{id}/imports`: the community's past imports, newest first.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { IMPORT_ENCODINGS, IMPORT_FORMATS, IMPORT_LAYERS, ImportListSchema, ImportReportSchema, LANGUAGES, type Lang } from '../contract.js'
import { can } from '../access.js'
import { listImports } from '../db/imports.js'
import { routeModule, type AppEnv } from '../env.js'
import { ApiError } from '../errors.js'
import { clientIp } from '../http/auth.js'
import { jsonAnswer } from '../http/openapi.js'
import { booleanParam, communityIdParam, langParam, limitParam } from '../http/params.js'
import { parseCrs, runImport } from '../import/run.js'

const enumParam = <T extends readonly [string, ...string[]]>(name: string, values: T, fallback?: T[number]) => {
  const e = z.enum(values, { message: `${name} must be one of ${values.join(', ')}` })
  return (fallback === undefined ? e : e.default(fallback as never)).openapi({ param: { name, in: 'query' }, example: fallback ?? values[0] })
}

const ImportQuery = z.object({
  layer: enumParam('layer', IMPORT_LAYERS),
  format: enumParam('format', IMPORT_FORMATS, 'auto'),
  crs: z
    .string()
    .max(40, 'crs is at most 40 characters')
    .optional()
    .openapi({ param: { name: 'crs', in: 'query' }, example: 'EPSG:4326', description: 'EPSG:4326 (default), EPSG:4490, GCJ-02, BD-09, or another EPSG code PostGIS knows' }),
  encoding: enumParam('encoding', IMPORT_ENCODINGS, 'auto'),
  dryRun: booleanParam('dryRun', true, 'true (default): answer the report and change nothing'),
  source: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'source: letters, digits and . _ : - (at most 100)')
    .default('import')
    .openapi({ param: { name: 'source', in: 'query' }, example: 'police-2024', description: 'where the rows come from: rows are matched by (source, id) so a re-import adds nothing' }),
  fileName: z
    .string()
    .max(255, 'fileName is at most 255 characters')
    .optional()
    .openapi({ param: { name: 'fileName', in: 'query' }, description: 'the file’s name (raw bodies; multipart sends its own)' }),
  lang: langParam,
})

/** The caller's language: `lang`, else Accept-Language (zh… → zh), else English. */
function languageOf(c: Context<AppEnv>): Lang {
  if (c.var.lang) return c.var.lang
  const accept = c.req.header('accept-language') ?? ''
  const first = accept.split(',').map((s) => s.trim().slice(0, 2).toLowerCase()).find((s) => (LANGUAGES as readonly string[]).includes(s))
  return (first as Lang | undefined) ?? 'en'
}

/** The uploaded file: the `file` field of a multipart form, else the raw body. */
async function uploaded(c: Context<AppEnv>, fileName: string | undefined): Promise<{ bytes: Uint8Array; name: string | null }> {
  const type = c.req.header('content-type') ?? ''
  if (type.startsWith('multipart/form-data')) {
    const form = await c.req.parseBody()
    const file = form.file
    if (!(file instanceof File)) throw new ApiError('bad_request', 'the form has no file field named "file"')
    return { bytes: new Uint8Array(await file.arrayBuffer()), name: fileName ?? (file.name || null) }
  }
  return { bytes: new Uint8Array(await c.req.arrayBuffer()), name: fileName ?? null }
}

export const imports = routeModule()
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/imports',
      tags: ['imports'],
      summary: 'Import a file into a layer (dry run by default)',
      description:
        'GeoJSON, zipped Shapefile, GeoPackage, CSV (lon/lat columns or a WKT column) or .xlsx; UTF-8 (with or without BOM) or GBK/GB18030, detected unless `encoding` says; coordinates in `crs`. Headers in English or Chinese (docs/import.md). Rows are matched by (`source`, id column) — or a hash of the row when the file has no id — so importing the same file again adds nothing and a corrected file changes only its changed rows. 422 `import_rejected` with `details.report` when any row is rejected (nothing imported); 413 beyond IMPORT_MAX_MB.',
      request: {
        params: z.object({ id: communityIdParam }),
        query: ImportQuery,
        // multipart/form-data with a `file` field is read too (not declared: the validator would parse every body as a form)
        body: { required: true, content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } },
      },
      responses: jsonAnswer('the import’s report', ImportReportSchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const q = c.req.valid('query')
      // disputes are recorded by admins and mediators (issue 12): a planner imports the other layers only
      if (q.layer === 'disputes' && !can(c.var.role ?? null, 'mediate'))
        throw new ApiError('forbidden', 'importing disputes is for admins (disputes are recorded by admins and mediators)', { layer: q.layer })
      const crs = parseCrs(q.crs)
      if (crs === null) throw new ApiError('invalid_parameter', 'crs must be EPSG:4326, EPSG:4490, GCJ-02, BD-09 or EPSG:<code>', { parameter: 'crs' })
      const file = await uploaded(c, q.fileName)
      if (file.bytes.length === 0) throw new ApiError('bad_request', 'the file is empty')
      const user = c.var.user
      const { report, ok } = await runImport(c.var.sql, {
        community: id,
        layer: q.layer,
        format: q.format,
        crs,
        encoding: q.encoding,
        dryRun: q.dryRun,
        source: q.source,
        fileName: file.name,
        bytes: file.bytes,
        lang: languageOf(c),
        editor: { userId: user?.id ?? null, username: user?.username ?? null, ip: clientIp(c) },
      })
      if (!ok && !q.dryRun)
        throw new ApiError('import_rejected', `${report.counts.rejected} of ${report.counts.read} rows were rejected; nothing was imported`, { report })
      return c.json(report, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/imports',
      tags: ['imports'],
      summary: 'The community’s past imports, newest first',
      request: { params: z.object({ id: communityIdParam }), query: z.object({ limit: limitParam(100, 1000) }) },
      responses: jsonAnswer('past imports', ImportListSchema),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { limit } = c.req.valid('query')
      return c.json({ imports: await listImports(c.var.sql, id, limit) }, 200)
    },
  )
