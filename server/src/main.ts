/** `npm run serve`: the safegrid server. Configuration: environment variables (see .env.example). */
import path from 'node:path'
import { loadConfig } from './config.js'
import { MigrationError } from './errors.js'
import { log } from './log.js'
import { startServer } from './server.js'

const config = loadConfig()
log.setLevel(config.logLevel)
try {
  const server = await startServer(config)
  const rel = path.relative(process.cwd(), config.dataDir)
  const dir = rel === '' ? '.' : rel.startsWith('..') ? config.dataDir : rel
  const where = server.db.mode === 'embedded' ? `embedded PGlite in ${dir}` : 'PostgreSQL (DATABASE_URL)'
  console.log(`safegrid is running at ${server.url}  (${where}; ready in ${server.startupSeconds.toFixed(1)} s${server.seeded ? ', demo community loaded' : ''})`)
  // Generated passwords are shown this once (and, in embedded mode, kept in files only the owner can read).
  if (server.admin?.generated)
    console.log(`\nfirst administrator: ${server.admin.username} / ${server.admin.generated}  (choose a new password at first login)`)
  else if (server.admin) console.log(`\nfirst administrator: ${server.admin.username} (password from SAFEGRID_ADMIN_PASSWORD)`)
  const demoUsers = server.seeded?.users ?? []
  if (demoUsers.length > 0) {
    console.log('demo users (one per role of the demo community):')
    for (const u of demoUsers) console.log(`  ${u.username.padEnd(14)} ${u.role.padEnd(9)} ${u.password}`)
  }
  for (const file of server.passwordFiles) console.log(`(written to ${path.relative(process.cwd(), file) || file}, readable by you only)`)
  const stop = async (signal: string) => {
    log.info('stopping', { signal })
    await server.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop('SIGINT'))
  process.once('SIGTERM', () => void stop('SIGTERM'))
} catch (e) {
  if (e instanceof MigrationError) console.error(`safegrid cannot start: ${e.message}`)
  else console.error('safegrid cannot start:', e instanceof Error ? e.message : e)
  process.exit(1)
}
