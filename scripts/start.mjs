// `npm start`: install what is missing, build the web app when its sources changed, then start the
// server (embedded database with the demo community unless DATABASE_URL is set). Plain Node, no
// dependencies, so it runs on a fresh clone before `npm ci`.
import { spawnSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`safegrid needs Node.js 20.19 or newer (this is ${process.versions.node})`)
  process.exit(1)
}

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
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

// npm writes node_modules/.package-lock.json on every install: older than package-lock.json means stale.
if (mtime('node_modules/.package-lock.json') < mtime('package-lock.json')) {
  console.log('installing dependencies (npm ci)…')
  run('npm', ['ci', '--no-audit', '--no-fund'])
}

const built = mtime('web/dist/index.html')
if (built === 0 || built < Math.max(newest('web/src'), mtime('web/index.html'), mtime('vite.config.ts'))) {
  console.log('building the web app…')
  run('npx', ['vite', 'build', '--logLevel', 'warn'])
}

const server = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
server.on('exit', (code) => process.exit(code ?? 0))
