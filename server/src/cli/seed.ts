/** `npm run seed`: load the demo community into the configured database (idempotent). */
import { loadConfig } from '../config.js'
import { openDatabase } from '../db/connect.js'
import { migrate } from '../db/migrate.js'
import { seedDemo } from '../db/seed.js'

const db = await openDatabase(loadConfig())
try {
  await migrate(db.sql)
  const result = await seedDemo(db.sql)
  const added = Object.entries(result.inserted).filter(([, n]) => n > 0)
  console.log(added.length ? `seeded ${result.community}: ${added.map(([t, n]) => `${n} ${t}`).join(', ')}` : `${result.community} was already seeded; nothing changed`)
  // the demo users' generated passwords: shown this once
  for (const u of result.users) console.log(`  demo user ${u.username.padEnd(14)} ${u.role.padEnd(9)} ${u.password}`)
} finally {
  await db.close()
}
