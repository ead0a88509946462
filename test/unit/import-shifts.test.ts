/**
 * A route's shifts as offices write them in one cell (server/src/import/shifts.ts, docs/import.md):
 * English and Chinese day names, ranges, groups, night shifts past midnight, the export's JSON — and
 * what is refused, by the planning API's own shift schema.
 */
import { describe, expect, it } from 'vitest'
import { readShifts } from '../../server/src/import/shifts.js'
import { matchHeaders } from '../../server/src/import/columns.js'

const read = (cell: string) => {
  const r = readShifts(cell)
  return r.ok ? r.shifts.map((s) => `${s.days.join(',')} ${s.start}-${s.end}`) : `${r.code}: ${r.part}`
}

describe('reading shifts', () => {
  it('reads English and Chinese days, ranges, groups and times past midnight', () => {
    expect(read('Mon-Fri 22:00-02:00; Sat,Sun 08:00-12:00')).toEqual(['1,2,3,4,5 22:00-02:00', '6,7 08:00-12:00'])
    expect(read('周一至周五 22:00-02:00；周六、周日 08:00-12:00')).toEqual(['1,2,3,4,5 22:00-02:00', '6,7 08:00-12:00'])
    expect(read('一至五 20:00-次日06:00')).toEqual(['1,2,3,4,5 20:00-06:00'])
    expect(read('星期六 9:00~11:30\n礼拜天 9:00至11:30')).toEqual(['6 09:00-11:30', '7 09:00-11:30'])
    expect(read('Fri-Mon 23:00 to 01:00')).toEqual(['1,5,6,7 23:00-01:00'])
    expect(read('工作日 18:00-22:00; 周末 10:00-12:00; every day 06:00-07:00')).toEqual(['1,2,3,4,5 18:00-22:00', '1,2,3,4,5,6,7 06:00-07:00', '6,7 10:00-12:00'])
    expect(read('22:00-06:00')).toEqual(['1,2,3,4,5,6,7 22:00-06:00'])
    expect(read('Tuesday, Thursday 19:00-21:00; tue,thu 19:00-21:00')).toEqual(['2,4 19:00-21:00'])
    expect(read('[{"days":[5,1],"start":"22:00","end":"02:00"}]')).toEqual(['1,5 22:00-02:00'])
    expect(read('')).toEqual([])
  })

  it('refuses what is not a shift, an end at its start, and times that are none', () => {
    expect(read('Mon-Fri 22:00-22:00')).toBe('shift_same_times: 1,2,3,4,5 22:00-22:00')
    expect(read('Mon-Fri 22:00-22:00')).toMatch(/^shift_same_times/)
    expect(read('Mon-Fri 25:00-02:00')).toMatch(/^bad_shifts/)
    expect(read('Mond 08:00-12:00')).toBe('bad_shifts: Mond 08:00-12:00')
    expect(read('nights')).toBe('bad_shifts: nights')
    expect(read('[{"days":[8],"start":"08:00","end":"09:00"}]')).toMatch(/^bad_shifts/)
    expect(read('[{"days":"1"}]')).toMatch(/^bad_shifts/)
    expect(read('[oops')).toMatch(/^bad_shifts/)
    expect(read(Array.from({ length: 51 }, (_, i) => `Mon 00:${String(i).padStart(2, '0')}-01:00`).join(';'))).toBe('too_many_shifts: 51')
  })
})

describe('matching headers', () => {
  it('takes a column by its own name before another header that is an alias of it (an export’s buildingIds and buildings)', () => {
    const { columns, unknown } = matchHeaders('captains', ['id', 'name', 'buildings', 'buildingIds', 'households'])
    expect(columns.get('building_ids')).toBe('buildingIds')
    expect(unknown).toEqual(['buildings', 'households'])
    expect(matchHeaders('captains', ['姓名', '负责楼栋']).columns.get('building_ids')).toBe('负责楼栋')
    expect(matchHeaders('incidents', ['sourceId', 'id', 'occurredAt', 'timeKnown']).columns).toEqual(
      new Map([['id', 'id'], ['occurred_at', 'occurredAt'], ['time_known', 'timeKnown']]),
    )
  })
})
