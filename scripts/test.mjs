// `npm test`: typecheck, lint the React hooks (eslint.config.js), build the web app, then run every
// test suite against every database it can reach — embedded PGlite always; PostgreSQL + PostGIS
// through DATABASE_URL, or a throw-away cluster started here when PostGIS is installed — and the
// browser tests when Chromium is there.
// SAFEGRID_REQUIRE=embedded,server,browser (CI) turns "not available" into a failure.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { startCluster, findPostgis } from './pg-cluster.mjs'

const required = new Set((process.env.SAFEGRID_REQUIRE ?? '').split(',').map((s) => s.trim()).filter(Boolean))
const extraArgs = process.argv.slice(2)
const step = (name, cmd, args, env = {}) => {
  console.log(`\n== ${name}`)
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  if (r.status !== 0) {
    console.error(`\n${name} failed`)
    process.exit(r.status ?? 1)
  }
}

step('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'])
step('lint', 'npx', ['eslint', 'web/src'])

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const browser = fs.existsSync(chromium)
if (!browser && required.has('browser')) {
  console.error(`browser tests are required but ${chromium} does not exist (Debian: apt-get install chromium)`)
  process.exit(1)
}
if (browser) step('build web app', 'npx', ['vite', 'build', '--logLevel', 'warn'])

// Coverage areas are checked against shapely (Debian's python3-shapely), an independent implementation.
const shapely = spawnSync('/usr/bin/python3', ['-c', 'import shapely'], { stdio: 'ignore' }).status === 0
if (!shapely && required.has('shapely')) {
  console.error('shapely checks are required but /usr/bin/python3 cannot import shapely (Debian: apt-get install python3-shapely)')
  process.exit(1)
}

// OGC API – Features is checked with GDAL's ogrinfo (Debian's gdal-bin, driver OAPIF): an independent client.
const gdal = spawnSync('ogrinfo', ['--version'], { stdio: 'ignore' }).status === 0
if (!gdal && required.has('gdal')) {
  console.error('the GDAL check is required but ogrinfo is not installed (Debian: apt-get install gdal-bin)')
  process.exit(1)
}

const modes = ['embedded']
let cluster = null
let serverUrl = process.env.DATABASE_URL
if (serverUrl) {
  modes.push('server')
} else if (findPostgis()) {
  cluster = await startCluster()
  serverUrl = cluster.url
  modes.push('server')
} else if (required.has('server')) {
  console.error('server mode is required but neither DATABASE_URL is set nor PostgreSQL + PostGIS installed')
  process.exit(1)
}

console.log(`\n== tests: databases ${modes.join(' + ')}${browser ? ' + browser (Chromium)' : '; browser tests skipped: no Chromium'}${shapely ? ' + shapely' : '; shapely checks skipped'}${gdal ? ' + gdal' : '; ogrinfo check skipped'}`)
const resultFile = 'test-results/vitest.json'
fs.rmSync(resultFile, { force: true })
const r = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultFile}`, ...extraArgs], {
  stdio: 'inherit',
  env: {
    ...process.env,
    SAFEGRID_TEST_MODES: modes.join(','),
    SAFEGRID_TEST_SERVER_URL: serverUrl ?? '',
    SAFEGRID_TEST_BROWSER: browser ? chromium : '',
    SAFEGRID_TEST_SHAPELY: shapely ? '1' : '',
    SAFEGRID_TEST_GDAL: required.has('gdal') ? 'required' : gdal ? '1' : '',
  },
})
cluster?.stop()
console.log(`\nran against: ${modes.join(', ')}${browser ? ', browser' : ''}${shapely ? ', shapely' : ''}${gdal ? ', gdal' : ''}`)
if (fs.existsSync(resultFile)) {
  const j = JSON.parse(fs.readFileSync(resultFile, 'utf8'))
  const skipped = j.numPendingTests + j.numTodoTests
  console.log(`tests: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${skipped} skipped`)
}
process.exit(r.status ?? 1)
