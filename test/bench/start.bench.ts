/**
 * Embedded start (issue 16): `npm start` on a built checkout, from the command to the printed URL
 * and to the first answer of /api/health — cold (a new DATA_DIR) and warm (the same DATA_DIR
 * again) — medians of BENCH_RUNS rounds. With BENCH_BASE_TREE (another built checkout, e.g. the
 * commit before this work), each round starts that tree too, in alternation, so the ratios hold
 * on a busy machine. Once more at the end: a cold start with no demo snapshot yet (the first start
 * after a change to a migration or the demo makes it).
 *
 * Run: npm run bench start   (BENCH_RUNS=5; BENCH_BASE_TREE=/path/to/other/checkout)
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ROOT_DIR } from '../../server/src/config.js'
import { report } from './support.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const trees: Record<string, string> = { ours: ROOT_DIR }
if (process.env.BENCH_BASE_TREE) trees.base = path.resolve(process.env.BENCH_BASE_TREE)

/** Seconds from `npm start` in `tree` to the URL line and to /api/health's 200, then stops it. */
async function start(tree: string, dataDir: string, env: Record<string, string> = {}): Promise<{ url: number; health: number }> {
  // npm start installs when package-lock.json is newer than the install: never from a bench
  const stamp = (f: string) => fs.statSync(path.join(tree, f)).mtimeMs
  if (stamp('node_modules/.package-lock.json') < stamp('package-lock.json')) throw new Error(`${tree}: dependencies are not installed as package-lock.json says; run npm ci there first`)
  const t0 = performance.now()
  const child = spawn('npm', ['start', '--silent'], {
    cwd: tree,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let out = ''
  let err = ''
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        const m = /running at (http\S+)/.exec(out)
        if (m) resolve(m[1]!)
      })
      child.once('exit', (code) => reject(new Error(`npm start in ${tree} exited (${code}) before printing its URL:\n${out}\n${err}`)))
    })
    const tUrl = performance.now()
    const res = await fetch(`${url}/api/health`)
    if (res.status !== 200) throw new Error(`health answered ${res.status}: ${await res.text()}`)
    return { url: (tUrl - t0) / 1000, health: (performance.now() - t0) / 1000 }
  } finally {
    // npm, the shell and node: the whole process group
    try {
      process.kill(-child.pid!, 'SIGINT')
    } catch {
      /* gone */
    }
    await exited
    // the server may outlive npm by a moment while it closes the database
    for (let k = 0; k < 100 && fs.existsSync(path.join(dataDir, 'safegrid.pid')); k++) await new Promise((r) => setTimeout(r, 50))
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'safegrid-bench-start-'))
try {
  // a first start builds what is missing (web app, server, snapshot); not timed
  for (const [name, tree] of Object.entries(trees)) {
    const dir = path.join(scratch, `${name}-prepare`)
    await start(tree, dir)
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const times: Record<string, { cold: number[]; coldHealth: number[]; warm: number[]; warmHealth: number[] }> = {}
  for (const name of Object.keys(trees)) times[name] = { cold: [], coldHealth: [], warm: [], warmHealth: [] }
  for (let round = 0; round < RUNS; round++)
    for (const [name, tree] of Object.entries(trees)) {
      const dir = path.join(scratch, `${name}-${round}`)
      const cold = await start(tree, dir)
      const warm = await start(tree, dir)
      times[name]!.cold.push(cold.url)
      times[name]!.coldHealth.push(cold.health)
      times[name]!.warm.push(warm.url)
      times[name]!.warmHealth.push(warm.health)
      fs.rmSync(dir, { recursive: true, force: true })
    }
  for (const [name, t] of Object.entries(times))
    report(`npm start, ${name} (median of ${RUNS}, s)`, { cold: median(t.cold), coldHealth: median(t.coldHealth), warm: median(t.warm), warmHealth: median(t.warmHealth), coldMax: Math.max(...t.cold), warmMax: Math.max(...t.warm) })
  if (times.base) {
    const ratio = (k: 'cold' | 'warm') => median(times.base![k]) / median(times.ours![k])
    report('base / ours', { cold: ratio('cold'), warm: ratio('warm') })
  }
  // no snapshot yet: the server makes it, then copies it
  const snapshotDir = path.join(scratch, 'snapshot')
  const first = await start(ROOT_DIR, path.join(scratch, 'first'), { DEMO_SNAPSHOT_DIR: snapshotDir })
  report('npm start, ours, cold without a demo snapshot (s)', { url: first.url, health: first.health })
  console.log(`(load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, ${os.cpus().length} cores)`)
} finally {
  fs.rmSync(scratch, { recursive: true, force: true })
}
