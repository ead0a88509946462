// `npm run bench` (not part of npm test): runs every test/bench/*.bench.ts in turn against a
// throw-away PostgreSQL + PostGIS cluster (or BENCH_DATABASE_URL, on which benches create their
// own databases) and embedded PGlite. Each bench prints its figures; ratios are measured in one run.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { startCluster } from './pg-cluster.mjs'

const only = process.argv.slice(2)
const dir = 'test/bench'
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && (only.length === 0 || only.some((o) => f.includes(o)))).sort()
// a PostgreSQL cluster only for benches that use one (`start` measures embedded mode alone)
const needsCluster = files.some((f) => /BENCH_ADMIN_URL|serverDatabase/.test(fs.readFileSync(path.join(dir, f), 'utf8')))
let cluster = null
let adminUrl = process.env.BENCH_DATABASE_URL
if (!adminUrl && needsCluster) {
  cluster = await startCluster()
  adminUrl = cluster.url
}
let failed = 0
for (const f of files) {
  console.log(`\n== ${f}`)
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, f)], { stdio: 'inherit', env: { ...process.env, BENCH_ADMIN_URL: adminUrl ?? '' } })
  if (r.status !== 0) failed++
}
cluster?.stop()
process.exit(failed ? 1 : 0)
