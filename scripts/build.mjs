// `npm run build`: the web app (web/dist), the server compiled to plain JavaScript (dist/server, so
// a start does not compile TypeScript) and the demo snapshot new embedded databases are copied
// from (dist/demo, made when missing or out of date). scripts/start.mjs builds what is out of date
// through the same functions. Plain Node and the project's own Vite.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SERVER_OUT = path.join(root, 'dist/server')
/** Entry points of the server bundle: name → source. */
const SERVER_ENTRIES = { main: 'server/src/main.ts', 'demo-snapshot': 'server/src/cli/demo-snapshot.ts' }

const mtime = (p) => (fs.existsSync(p) ? fs.statSync(p).mtimeMs : 0)
/** Newest modification time of the files under `dir`. */
const newest = (dir) => {
  let t = 0
  if (!fs.existsSync(dir)) return t
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : mtime(p))
  }
  return t
}

/** Whether web/dist is older than the web app's sources. */
export function webStale() {
  const built = mtime(path.join(root, 'web/dist/index.html'))
  return built === 0 || built < Math.max(newest(path.join(root, 'web/src')), mtime(path.join(root, 'web/index.html')), mtime(path.join(root, 'vite.config.ts')))
}

export function buildWeb() {
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

/** Whether dist/server is missing or older than one of the sources it was compiled from (dist/server/inputs.json). */
export function serverStale() {
  const inputsFile = path.join(SERVER_OUT, 'inputs.json')
  if (!fs.existsSync(inputsFile)) return true
  const built = mtime(inputsFile)
  const inputs = JSON.parse(fs.readFileSync(inputsFile, 'utf8'))
  return inputs.some((f) => {
    const t = mtime(path.join(root, f))
    return t === 0 || t > built
  })
}

/** Compiles the server with Vite's server-side build: our modules in one file per entry, packages imported from node_modules as they are. */
export async function buildServer() {
  const { build } = await import('vite')
  const result = await build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    build: {
      ssr: true,
      outDir: SERVER_OUT,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      sourcemap: true,
      rolldownOptions: { input: SERVER_ENTRIES, output: { format: 'esm', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' } },
    },
  })
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output)
  const inputs = new Set()
  for (const chunk of outputs)
    for (const id of chunk.moduleIds ?? []) if (path.isAbsolute(id) && !id.includes(`${path.sep}node_modules${path.sep}`)) inputs.add(path.relative(root, id))
  for (const f of ['package.json', 'package-lock.json']) inputs.add(f)
  fs.writeFileSync(path.join(SERVER_OUT, 'inputs.json'), JSON.stringify([...inputs].sort(), null, 1) + '\n')
}

/** Makes the demo snapshot when it is missing or out of date (dist/server/demo-snapshot.mjs). */
export function buildDemoSnapshot(args = []) {
  const r = spawnSync(process.execPath, [path.join(SERVER_OUT, 'demo-snapshot.mjs'), ...args], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const t0 = performance.now()
  buildWeb()
  await buildServer()
  buildDemoSnapshot(process.argv.slice(2))
  console.log(`built in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
}
