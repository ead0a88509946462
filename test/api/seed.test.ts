import { describe, expect, it } from 'vitest'
import { migrate } from '../../server/src/db/migrate.js'
import { incidentReports, seedDemo } from '../../server/src/db/seed.js'
import { openEmpty, testModes } from '../support/db.js'

describe.each(testModes())('demo seed in %s mode', (mode) => {
  it('loads the demo once and changes nothing when run again', { timeout: 180_000 }, async () => {
    const db = await openEmpty(mode)
    try {
      await migrate(db.sql)
      const first = await seedDemo(db.sql)
      // 814 of 2012, 100 robberies of 2019, 651 of December 2018 (one per incident number, inside the boundary)
      expect(first.inserted).toMatchObject({ communities: 1, buildings: 1152, incidents: 814 + 100 + 651 })
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

  it('refuses incident reports with a category the category map does not know, and reads the known ones as mapped', () => {
    const csv = 'source_id,incident_number,occurred_at,category,subcategory,description,lon,lat,neighborhood\n1,10,2018-12-01T22:15,Robbery,Robbery - Street,x,-122.42,37.765,Mission\n'
    expect(incidentReports(csv, { Robbery: 'ROBBERY' })).toMatchObject([{ category: 'ROBBERY', incident_number: '10', occurred_at: '2018-12-01T22:15' }])
    expect(() => incidentReports(csv.replace('Robbery,', 'Piracy,'), { Robbery: 'ROBBERY' })).toThrow(/category "Piracy"/)
  })
})
