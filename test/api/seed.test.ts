import { describe, expect, it } from 'vitest'
import { migrate } from '../../server/src/db/migrate.js'
import { seedDemo } from '../../server/src/db/seed.js'
import { openEmpty, testModes } from '../support/db.js'

describe.each(testModes())('demo seed in %s mode', (mode) => {
  it('loads the demo once and changes nothing when run again', { timeout: 180_000 }, async () => {
    const db = await openEmpty(mode)
    try {
      await migrate(db.sql)
      const first = await seedDemo(db.sql)
      expect(first.inserted).toMatchObject({ communities: 1, buildings: 1152, incidents: 914 })
      expect(first.inserted.gridZones).toBeGreaterThanOrEqual(8)
      const count = async () =>
        (await db.sql`
          select (select count(*) from buildings) b, (select count(*) from incidents) i, (select count(*) from streets) s,
                 (select count(*) from grid_zones) z, (select count(*) from patrol_routes) r, (select count(*) from patrol_shifts) sh,
                 (select count(*) from captains) c, (select count(*) from captain_buildings) cb, (select count(*) from disputes) d`)[0]
      const before = await count()
      const second = await seedDemo(db.sql)
      expect(Object.values(second.inserted).every((n) => n === 0)).toBe(true)
      expect(await count()).toEqual(before)
    } finally {
      await db.close()
    }
  })
})
