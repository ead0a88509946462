// A throw-away PostgreSQL + PostGIS cluster for tests and benchmarks: initdb in a temp directory,
// trust auth on loopback, a port of its own. initdb refuses to run as root, so as root the cluster
// runs as the `postgres` user (Debian's packages create it).
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

/** The newest PostgreSQL bin directory whose installation has PostGIS, or null. */
export function findPostgis() {
  const base = '/usr/lib/postgresql'
  if (!fs.existsSync(base)) return null
  const versions = fs.readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
  for (const v of versions) {
    const bin = path.join(base, v, 'bin')
    const control = `/usr/share/postgresql/${v}/extension/postgis.control`
    if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(control)) return { version: v, bin }
  }
  return null
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/** Starts a cluster; returns { url, stop() }. Throws with initdb/pg_ctl output on failure. */
export async function startCluster({ quiet = false } = {}) {
  const pg = findPostgis()
  if (!pg) throw new Error('PostgreSQL with PostGIS is not installed (Debian: apt-get install postgresql-15-postgis-3)')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safegrid-pg-'))
  const data = path.join(dir, 'data')
  const asRoot = process.getuid?.() === 0
  const run = (cmd, args) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]
    const r = spawnSync(file, argv, { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`${path.basename(cmd)} failed (${r.status}): ${r.stderr || r.stdout}`)
    return r.stdout
  }
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir])
  run(path.join(pg.bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'])
  const port = await freePort()
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100`
  const start = () => run(path.join(pg.bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', path.join(dir, 'postgres.log'), '-w', '-t', '60', 'start'])
  start()
  if (!quiet) console.log(`started a throw-away PostgreSQL ${pg.version} + PostGIS on 127.0.0.1:${port} (${dir})`)
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    version: pg.version,
    dir,
    /** Stops the server, keeping its data (an outage). */
    pause() {
      run(path.join(pg.bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'])
    },
    /** Starts it again after pause(). */
    resume() {
      start()
    },
    stop() {
      try {
        run(path.join(pg.bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'])
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}
