/**
 * The PostGIS that embedded mode loads: the core extension of @electric-sql/pglite-postgis without
 * raster, topology and the tiger geocoder. PGlite unpacks an extension's whole bundle into its
 * in-memory file system and compiles every library in it at each start — three WebAssembly
 * libraries of 15–17 MB for PostGIS, of which safegrid uses one — which was about half of an
 * embedded start. The bundle kept here holds postgis-3.so, the extension's control file and
 * install script, and PROJ's data (ST_Transform); it is cut from the package's own bundle once
 * (about a second) and kept under dist/pglite, named by the package version, so an upgrade of the
 * package makes a new one.
 */
import { existsSync, readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import type { Extension } from '@electric-sql/pglite'
import { ROOT_DIR } from '../config.js'
import { log } from '../log.js'

const gunzip = promisify(zlib.gunzip)
const gzip = promisify(zlib.gzip)

/** Where the cut bundles are kept. */
export const POSTGIS_BUNDLE_DIR = path.join(ROOT_DIR, 'dist/pglite')

/** Files of the package's bundle that the core extension needs at run time or to be created. */
const KEEP = [/^lib\/postgresql\/postgis-3\.so$/, /^share\/postgresql\/extension\/postgis\.control$/, /^share\/postgresql\/extension\/postgis--\d+\.\d+\.\d+\.sql$/, /^share\/proj\//]

/**
 * The entries of the tar archive `tar` whose names `keep` accepts (regular files and directories;
 * long-name and pax headers travel with the entry they describe), as a new archive.
 */
export function filterTar(tar: Buffer, keep: (name: string) => boolean): Buffer {
  const out: Buffer[] = []
  let pending: Buffer[] = []
  let at = 0
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512)
    if (header.every((b) => b === 0)) break
    const field = (from: number, to: number) => header.subarray(from, to).toString('latin1').replace(/\0.*$/s, '')
    const size = parseInt(field(124, 136).trim() || '0', 8)
    const end = at + 512 + Math.ceil(size / 512) * 512
    const entry = tar.subarray(at, end)
    const type = String.fromCharCode(header[156]!)
    at = end
    if (type === 'L' || type === 'x' || type === 'K') {
      pending.push(entry)
      continue
    }
    const prefix = field(345, 500)
    let name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100)
    const longName = pending.find((p) => String.fromCharCode(p[156]!) === 'L')
    if (longName) name = longName.subarray(512, 512 + parseInt(longName.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim(), 8)).toString('utf8').replace(/\0.*$/s, '')
    if ((type === '0' || type === '\0' || type === '5') && keep(name.replace(/^\.\//, ''))) out.push(...pending, entry)
    pending = []
  }
  out.push(Buffer.alloc(1024))
  return Buffer.concat(out)
}

/** The directory and version of an installed package (whose exports may leave out package.json). */
export function installedPackage(name: string): { dir: string; version: string } {
  const require = createRequire(import.meta.url)
  for (let dir = path.dirname(require.resolve(name)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json')
    if (!existsSync(file)) continue
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string }
    if (pkg.name === name) return { dir, version: pkg.version }
  }
  throw new Error(`package.json of ${name} not found`)
}

/** The package's version and its full bundle. */
function packageBundle(): { version: string; file: string } {
  const { dir, version } = installedPackage('@electric-sql/pglite-postgis')
  return { version, file: path.join(dir, 'dist/postgis.tar.gz') }
}

let made: Promise<string> | null = null

/**
 * The path of the core bundle, cut from the package's bundle when it is not there yet (written to
 * a temporary name and renamed, so processes making it at once never read half a file).
 */
export function postgisCoreBundle(dir = POSTGIS_BUNDLE_DIR): Promise<string> {
  made ??= (async () => {
    const { version, file } = packageBundle()
    const target = path.join(dir, `postgis-${version}-core.tar.gz`)
    if (await fs.stat(target).then(() => true, () => false)) return target
    const tar = await gunzip(await fs.readFile(file))
    const kept = filterTar(tar, (name) => KEEP.some((re) => re.test(name)))
    await fs.mkdir(dir, { recursive: true })
    const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}`
    await fs.writeFile(temporary, await gzip(kept, { level: 1 }))
    await fs.rename(temporary, target)
    return target
  })().catch((e: unknown) => {
    made = null
    throw e
  })
  return made
}

/**
 * PGlite's PostGIS extension, loading the core bundle instead of the package's full one (the full
 * one when the core bundle cannot be made, e.g. in a read-only checkout).
 */
export async function postgisCore(): Promise<Extension> {
  const [{ postgis }, bundle] = await Promise.all([
    import('@electric-sql/pglite-postgis'),
    postgisCoreBundle().catch((e: unknown) => {
      log.warn('cannot make the PostGIS core bundle: loading the full one', { error: e instanceof Error ? e.message : String(e) })
      return null
    }),
  ])
  if (bundle === null) return postgis
  return {
    name: postgis.name,
    async setup(pg, options) {
      const setup = await postgis.setup(pg, options)
      return { ...setup, bundlePath: pathToFileURL(bundle) }
    },
  }
}
