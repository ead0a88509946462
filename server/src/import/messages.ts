/** Why an imported row was rejected (or warned about), in English and Chinese: `{x}` is filled from the values. */
import type { Lang } from '../contract.js'

const REASONS = {
  missing: { en: 'the column {column} is required and empty', zh: '必填列 {column} 为空' },
  missing_column: { en: 'the file has no column {column} (accepted headers: {aliases})', zh: '文件缺少列 {column}（可用表头：{aliases}）' },
  not_integer: { en: '{column} must be a whole number of at least 0, not "{value}"', zh: '{column} 应为不小于 0 的整数，而不是“{value}”' },
  not_number: { en: '{column} must be a number, not "{value}"', zh: '{column} 应为数字，而不是“{value}”' },
  too_long: { en: '{column} is longer than {max} characters', zh: '{column} 超过 {max} 个字符' },
  control_characters: { en: '{column} contains control characters', zh: '{column} 含有控制字符' },
  bad_time: { en: '"{value}" is not a date or a date and time (e.g. 2024-03-10 or 2024-03-10 08:30)', zh: '“{value}”不是日期或日期时间（例如 2024-03-10 或 2024-03-10 08:30）' },
  time_nonexistent: { en: '{value} does not exist in {timeZone}: the clocks skipped it (daylight saving time); write the time with its offset', zh: '{value} 在 {timeZone} 不存在（夏令时跳过了这一时刻）；请写明时区偏移' },
  time_ambiguous: { en: '{value} happened twice in {timeZone} (daylight saving time ended); write the time with its offset', zh: '{value} 在 {timeZone} 出现了两次（夏令时结束）；请写明时区偏移' },
  no_geometry: { en: 'the row has no geometry: give lon and lat, a WKT column, or a GeoJSON geometry', zh: '该行没有几何：请提供经度和纬度、WKT 列或 GeoJSON 几何' },
  bad_geometry: { en: 'the geometry cannot be read (or transformed from {crs})', zh: '无法读取该几何（或无法从 {crs} 转换）' },
  wrong_geometry_type: { en: 'a {layer} row needs a {expected}, not a {actual}', zh: '{layer} 图层的行需要 {expected}，而不是 {actual}' },
  empty_geometry: { en: 'the geometry is empty (or has no area once made valid)', zh: '几何为空（或修复后没有面积）' },
  out_of_range: { en: 'the coordinates are not degrees of longitude and latitude once converted from {crs}; is the coordinate system right?', zh: '坐标从 {crs} 转换后不是经纬度；坐标系是否选对了？' },
  outside_boundary: { en: 'the feature lies {distance} m outside the community boundary (more than {limit} m)', zh: '该要素位于社区边界外 {distance} 米（超过 {limit} 米）' },
  duplicate_id: { en: 'the id {value} appears earlier in the file (row {first})', zh: '编号 {value} 在文件中已出现（第 {first} 行）' },
  duplicate_code: { en: 'the zone code {value} appears earlier in the file (row {first})', zh: '网格编号 {value} 在文件中已出现（第 {first} 行）' },
  zones_overlap: { en: 'the zone overlaps {value} by {m2} m²', zh: '该网格与 {value} 重叠 {m2} 平方米' },
  not_choice: { en: '{column} must be one of {values}, not "{value}"', zh: '{column} 应为 {values} 之一，而不是“{value}”' },
  duplicate_name: { en: 'the team name {value} appears earlier in the file (row {first})', zh: '队伍名称 {value} 在文件中已出现（第 {first} 行）' },
  name_taken: { en: 'the team name {value} is used by another team of the community', zh: '队伍名称 {value} 已被本社区的另一支队伍使用' },
  code_taken: { en: 'the zone code {value} is used by another zone of the community', zh: '网格编号 {value} 已被本社区的另一个网格使用' },
  repaired: { en: 'the polygon was invalid ({why}) and was repaired', zh: '多边形无效（{why}），已自动修复' },
  unknown_columns: { en: 'columns ignored: {value}', zh: '已忽略的列：{value}' },
  not_boolean: { en: '{column} must be yes or no (true/false, 是/否, 1/0), not "{value}"', zh: '{column} 应为是或否（true/false、是/否、1/0），而不是“{value}”' },
  bad_reach: { en: '{column} must be a number of metres above 0 and at most 2000, not "{value}"', zh: '{column} 应为大于 0、不超过 2000 的米数，而不是“{value}”' },
  bad_shifts: { en: '"{value}" is not a shift: write days and times, e.g. "Mon-Fri 22:00-02:00; Sat,Sun 08:00-12:00" or "周一至周五 22:00-02:00"', zh: '“{value}”不是班次：请写星期和时间，例如“周一至周五 22:00-02:00；周六、周日 08:00-12:00”或“Mon-Fri 22:00-02:00”' },
  shift_same_times: { en: 'the shift {value} ends when it starts (an end before the start runs past midnight)', zh: '班次 {value} 的结束时间与开始时间相同（结束早于开始表示跨过午夜）' },
  too_many_shifts: { en: 'a route has at most 50 shifts, not {value}', zh: '一条路线最多 50 个班次，而不是 {value} 个' },
  no_team: { en: 'the route needs its team: a team_id (the id in the team file) or a team name', zh: '路线需要所属队伍：队伍编号（队伍文件中的编号）或队伍名称' },
  unknown_team: { en: 'no patrol team of the community has the id or name {value} (import the teams first)', zh: '本社区没有编号或名称为 {value} 的巡逻队（请先导入队伍）' },
  unknown_building: { en: 'no building of the community has the id or address {value} (import the buildings first)', zh: '本社区没有编号或地址为 {value} 的楼栋（请先导入楼栋）' },
  ambiguous_building: { en: '{value} is the address of several buildings; give the building’s id', zh: '{value} 是多栋楼的地址；请写楼栋编号' },
  building_twice: { en: 'the building {value} is already given to the captain in row {first} (a building has one captain)', zh: '楼栋 {value} 已分配给第 {first} 行的楼栋长（一栋楼只有一位楼栋长）' },
  bad_list: { en: '{column} must list ids or addresses separated by ";" (or a JSON list), not "{value}"', zh: '{column} 应为以“；”分隔的编号或地址（或 JSON 列表），而不是“{value}”' },
  too_many_buildings: { en: 'a captain is given at most {max} buildings in one cell', zh: '一个单元格最多列出 {max} 栋楼' },
  dispute_steps: { en: 'a dispute with status {value} needs {needs}', zh: '状态为 {value} 的纠纷需要{needs}' },
  dispute_dates: { en: 'the dates are out of order: mediation starts no earlier than the report, and ends no earlier than it started', zh: '日期顺序不对：调解开始不早于登记时间，结束不早于开始' },
} as const satisfies Record<string, { en: string; zh: string }>

export type ReasonCode = keyof typeof REASONS

/** The reason for `code` in `lang`, with its `{placeholders}` filled. */
export function reason(code: ReasonCode, lang: Lang, values: Record<string, string | number> = {}): string {
  return REASONS[code][lang].replace(/\{(\w+)\}/g, (_, k: string) => (values[k] === undefined ? `{${k}}` : String(values[k])))
}
