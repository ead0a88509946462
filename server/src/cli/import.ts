/**
 * `npm run import -- --community ID --layer LAYER [--format F] [--crs CRS] [--encoding E]
 * [--source S] [--lang zh|en] [--dry-run] FILE`: the API's import (import/run.ts) from a shell, so an
 * operator can script it. Prints the counts and every rejected row; exits 1 when rows were rejected
 * (nothing was imported) and 2 on a usage error. Recorded and audited as `cli:<user>`.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { IMPORT_ENCODINGS, IMPORT_FORMATS, IMPORT_LAYERS, LANGUAGES, type ImportEncoding, type ImportFormat, type ImportLayer, type Lang } from '../contract.js'
import { loadConfig } from '../config.js'
import { openDatabase } from '../db/connect.js'
import { migrate } from '../db/migrate.js'
import { ApiError } from '../errors.js'
import { parseCrs, runImport } from '../import/run.js'

const USAGE = `usage: npm run import -- --community ID --layer ${IMPORT_LAYERS.join('|')} [--format ${IMPORT_FORMATS.join('|')}] [--crs EPSG:4326|EPSG:4490|GCJ-02|BD-09|EPSG:n] [--encoding ${IMPORT_ENCODINGS.join('|')}] [--source NAME] [--lang zh|en] [--dry-run] FILE`

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`)
  process.exit(2)
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    community: { type: 'string' },
    layer: { type: 'string' },
    format: { type: 'string', default: 'auto' },
    crs: { type: 'string', default: 'EPSG:4326' },
    encoding: { type: 'string', default: 'auto' },
    source: { type: 'string', default: 'import' },
    lang: { type: 'string', default: 'en' },
    'dry-run': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
if (positionals.length !== 1) fail('give exactly one FILE')
if (!values.community) fail('--community is required')
if (!(IMPORT_LAYERS as readonly string[]).includes(values.layer ?? '')) fail(`--layer must be one of ${IMPORT_LAYERS.join(', ')}`)
if (!(IMPORT_FORMATS as readonly string[]).includes(values.format!)) fail(`--format must be one of ${IMPORT_FORMATS.join(', ')}`)
if (!(IMPORT_ENCODINGS as readonly string[]).includes(values.encoding!)) fail(`--encoding must be one of ${IMPORT_ENCODINGS.join(', ')}`)
if (!(LANGUAGES as readonly string[]).includes(values.lang!)) fail(`--lang must be one of ${LANGUAGES.join(', ')}`)
if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/.test(values.source!)) fail('--source: letters, digits and . _ : - (at most 100)')
const crs = parseCrs(values.crs)
if (crs === null) fail('--crs must be EPSG:4326, EPSG:4490, GCJ-02, BD-09 or EPSG:<code>')
const file = positionals[0]!
const config = loadConfig()
const bytes = new Uint8Array(await fs.readFile(file).catch((e: Error) => fail(`cannot read ${file}: ${e.message}`)))
if (bytes.length > config.importMaxBytes) fail(`${file} is larger than IMPORT_MAX_MB (${config.importMaxBytes / 1024 / 1024} MB)`)

const db = await openDatabase(config)
let code = 0
try {
  await migrate(db.sql)
  const { report, ok } = await runImport(db.sql, {
    community: values.community,
    layer: values.layer as ImportLayer,
    format: values.format as ImportFormat,
    crs,
    encoding: values.encoding as ImportEncoding,
    dryRun: values['dry-run']!,
    source: values.source!,
    fileName: path.basename(file),
    bytes,
    lang: values.lang as Lang,
    editor: { userId: null, username: `cli:${os.userInfo().username}`, ip: null },
  })
  const c = report.counts
  console.log(`${report.dryRun ? 'dry run' : ok ? `import ${report.importId}` : 'rejected: nothing imported'} — ${report.layer} from ${report.fileName} (${report.format}, ${report.encoding ?? 'xlsx'}, ${report.crs}, source ${report.source})`)
  console.log(`read ${c.read}, valid ${c.valid}, rejected ${c.rejected}; new ${c.new}, changed ${c.changed}, unchanged ${c.unchanged}`)
  for (const r of report.rejected) console.log(`  row ${r.row}${r.column ? ` [${r.column}]` : ''}: ${r.reason}`)
  for (const w of report.warnings) console.log(`  warning, row ${w.row}${w.column ? ` [${w.column}]` : ''}: ${w.reason}`)
  if (!ok) code = 1
} catch (e) {
  if (!(e instanceof ApiError)) throw e
  console.error(`${e.code}: ${e.message}`)
  code = 2
} finally {
  await db.close()
}
process.exit(code)
