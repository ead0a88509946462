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
