/**
 * `npm run build` (scripts/build.mjs): makes the demo snapshot new embedded databases are copied
 * from (db/demo-snapshot.ts) when it is missing or out of date; `--force` makes it anew.
 */
import { loadConfig } from '../config.js'
import { makeDemoSnapshot, usableDemoSnapshot } from '../db/demo-snapshot.js'

const dir = loadConfig().demoSnapshotDir
if (dir === null) console.log('demo snapshot: none (DEMO_SNAPSHOT_DIR is empty)')
else if (!process.argv.includes('--force') && (await usableDemoSnapshot(dir))) console.log(`demo snapshot: ${dir} is current`)
else {
  const made = await makeDemoSnapshot(dir)
  console.log(`demo snapshot: made ${dir} in ${made.seconds.toFixed(1)} s`)
}
