// `npm start`: install what is missing, build the web app and compile the server when their sources
// changed (scripts/build.mjs), then start the server (embedded database with the demo community
// unless DATABASE_URL is set). Plain Node, no dependencies, so it runs on a fresh clone before `npm ci`.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

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

// npm writes node_modules/.package-lock.json on every install: older than package-lock.json means stale.
if (mtime('node_modules/.package-lock.json') < mtime('package-lock.json')) {
  console.log('installing dependencies (npm ci)…')
  run('npm', ['ci', '--no-audit', '--no-fund'])
}

const build = await import('./build.mjs')
if (build.webStale()) {
  console.log('building the web app…')
  build.buildWeb()
}
if (build.serverStale()) {
  console.log('compiling the server…')
  await build.buildServer()
}

// The server runs in this process (dist/server/main.mjs handles SIGINT and SIGTERM itself). The
// demo snapshot is made by the server when a new embedded database needs it.
await import(pathToFileURL(path.join(root, 'dist/server/main.mjs')).href)
