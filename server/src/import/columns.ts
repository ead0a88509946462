/**
 * The columns of each layer an import reads, with the header names accepted for each — English and
 * Chinese (docs/import.md lists them). Headers are matched ignoring case, spaces, underscores and
 * dashes; a column no layer knows is ignored (and listed in a warning).
 */
import type { ImportLayer } from '../contract.js'

export interface ColumnSpec {
  /** the name in code, the API and docs/import.md */
  name: string
  aliases: string[]
  /**
   * text, a whole number, a date/time, a number, one of `choices`, true/false (bool), a route's
   * shifts (rules/import-shifts.ts), or a list of references (a captain's buildings)
   */
  kind: 'text' | 'int' | 'time' | 'number' | 'choice' | 'bool' | 'shifts' | 'list'
  /** a choice's values: what the file may write (lower case) → the stored value */
  choices?: Record<string, string>
  required?: boolean
  max?: number
}

/** Columns every layer understands: the row's id in the source, and where it is. */
const COMMON: ColumnSpec[] = [
  { name: 'id', aliases: ['source_id', 'sourceid', 'fid', 'objectid', '编号', '序号', 'ID号', '原编号'], kind: 'text', max: 200 },
  { name: 'lon', aliases: ['lng', 'long', 'longitude', 'x', '经度', '东经', 'X坐标'], kind: 'number' },
  { name: 'lat', aliases: ['latitude', 'y', '纬度', '北纬', 'Y坐标'], kind: 'number' },
  { name: 'wkt', aliases: ['geometry', 'geom', 'the_geom', 'shape', '几何', '图形', '坐标串'], kind: 'text' },
]

export const LAYER_COLUMNS: Record<ImportLayer, ColumnSpec[]> = {
  buildings: [
    { name: 'name', aliases: ['名称', '楼栋名称', '楼名', 'building'], kind: 'text', max: 200 },
    { name: 'address', aliases: ['addr', '地址', '门牌', '门牌地址'], kind: 'text', max: 500 },
    { name: 'households', aliases: ['户数', '住户', '住户数'], kind: 'int' },
    { name: 'residents', aliases: ['人口', '人数', '居民', '居民数', '常住人口'], kind: 'int' },
    { name: 'floors', aliases: ['层数', '楼层', '楼层数'], kind: 'int' },
  ],
  zones: [
    { name: 'code', aliases: ['网格编号', '网格编码', '编码', '代码', 'zone_code'], kind: 'text', required: true, max: 40 },
    { name: 'name', aliases: ['名称', '网格名称', '网格名'], kind: 'text', required: true, max: 200 },
    { name: 'name_zh', aliases: ['中文名', '中文名称'], kind: 'text', max: 200 },
    { name: 'name_en', aliases: ['英文名', '英文名称'], kind: 'text', max: 200 },
    { name: 'grid_worker', aliases: ['gridworker', 'worker', '网格员', '网格长'], kind: 'text', max: 200 },
    // the patrol team responsible (分片包干), optional: as a route's team (import the teams first)
    { name: 'team_id', aliases: ['teamid', '队伍编号', '巡逻队编号', '队伍ID'], kind: 'text', max: 200 },
    { name: 'team', aliases: ['teamname', '队伍', '队伍名称', '巡逻队', '巡防队', '责任队伍', '包干队伍'], kind: 'text', max: 200 },
  ],
  incidents: [
    { name: 'category', aliases: ['类别', '类型', '警情类别', '案件类别', '事件类型', 'type'], kind: 'text', required: true, max: 100 },
    { name: 'occurred_at', aliases: ['occurredat', 'datetime', 'time', 'date', '发生时间', '时间', '日期', '发生日期', '报警时间'], kind: 'time', required: true },
    { name: 'description', aliases: ['desc', '描述', '简要案情', '简要情况', '内容'], kind: 'text', max: 2000 },
    { name: 'address', aliases: ['addr', '地址', '发生地址', '地点'], kind: 'text', max: 500 },
    { name: 'status', aliases: ['处理状态', '状态', '结果', 'resolution'], kind: 'text', max: 100 },
    // false: only the date of occurred_at is known (what the export writes for such incidents)
    { name: 'time_known', aliases: ['timeknown', '时间已知', '时间确切'], kind: 'bool' },
  ],
  teams: [
    { name: 'name', aliases: ['名称', '队伍名称', '巡防队', '队名', 'team'], kind: 'text', required: true, max: 200 },
    {
      name: 'kind',
      aliases: ['类型', '队伍类型', '性质'],
      kind: 'choice',
      required: true,
      choices: {
        volunteer: 'volunteer', 志愿者: 'volunteer', 志愿: 'volunteer', 义务巡逻: 'volunteer',
        security: 'security', 保安: 'security', 物业保安: 'security',
        police: 'police', 民警: 'police', 警察: 'police', 公安: 'police', 派出所: 'police',
        grid_worker: 'grid_worker', gridworker: 'grid_worker', 网格员: 'grid_worker',
      },
    },
    { name: 'members', aliases: ['人数', '队员人数', '成员数', 'headcount'], kind: 'int' },
    { name: 'phone', aliases: ['电话', '联系电话', '手机'], kind: 'text', max: 40 },
    { name: 'name_zh', aliases: ['中文名', '中文名称'], kind: 'text', max: 200 },
    { name: 'name_en', aliases: ['英文名', '英文名称'], kind: 'text', max: 200 },
  ],
  routes: [
    { name: 'name', aliases: ['名称', '路线名称', '路线', '巡逻路线', 'route'], kind: 'text', required: true, max: 200 },
    // the team: its id in the team file (the teams import's id column), or its name
    { name: 'team_id', aliases: ['teamid', '队伍编号', '巡逻队编号', '队伍ID'], kind: 'text', max: 200 },
    { name: 'team', aliases: ['teamname', '队伍', '队伍名称', '巡逻队', '巡防队'], kind: 'text', max: 200 },
    { name: 'reach_m', aliases: ['reachm', 'reach', '覆盖半径', '覆盖范围', '半径', '辐射范围'], kind: 'number' },
    { name: 'shifts', aliases: ['shift', '班次', '巡逻时间', '巡逻时段', '时段'], kind: 'shifts' },
    { name: 'name_zh', aliases: ['中文名', '中文名称'], kind: 'text', max: 200 },
    { name: 'name_en', aliases: ['英文名', '英文名称'], kind: 'text', max: 200 },
  ],
  captains: [
    { name: 'name', aliases: ['姓名', '名称', '楼栋长', '楼长', 'captain'], kind: 'text', required: true, max: 200 },
    { name: 'phone', aliases: ['电话', '联系电话', '手机', '手机号'], kind: 'text', max: 40 },
    { name: 'active', aliases: ['在岗', '在任', '有效', '状态', 'status'], kind: 'bool' },
    // the buildings: their ids in the building file, or their addresses, in one cell
    { name: 'building_ids', aliases: ['buildings', '楼栋', '负责楼栋', '包干楼栋', '楼栋编号', '楼栋地址'], kind: 'list' },
    { name: 'name_zh', aliases: ['中文名', '中文名称'], kind: 'text', max: 200 },
    { name: 'name_en', aliases: ['英文名', '英文名称'], kind: 'text', max: 200 },
  ],
  disputes: [
    {
      name: 'kind',
      aliases: ['category', '类别', '类型', '纠纷类型', '纠纷类别'],
      kind: 'choice',
      required: true,
      choices: {
        neighbour: 'neighbour', neighbor: 'neighbour', 邻里: 'neighbour', 邻里纠纷: 'neighbour',
        family: 'family', 家庭: 'family', 婚姻家庭: 'family', 家庭纠纷: 'family', 婚姻家庭纠纷: 'family',
        property: 'property', 物业: 'property', 房产: 'property', 房屋: 'property', 物业纠纷: 'property', 房屋租赁: 'property',
        labour: 'labour', labor: 'labour', 劳动: 'labour', 劳资: 'labour', 劳资纠纷: 'labour', 劳动争议: 'labour',
        contract: 'contract', 合同: 'contract', 合同纠纷: 'contract',
        other: 'other', 其他: 'other', 其它: 'other', 其他纠纷: 'other',
      },
    },
    { name: 'topic', aliases: ['主题', '事由', '纠纷事由', '细类'], kind: 'text', max: 100 },
    { name: 'reported_at', aliases: ['reportedat', 'occurred_at', 'occurredat', 'date', 'time', '发生时间', '登记时间', '受理时间', '日期', '时间'], kind: 'time', required: true },
    {
      name: 'status',
      aliases: ['状态', '调解状态', '处理状态', '结果'],
      kind: 'choice',
      choices: {
        reported: 'reported', 已登记: 'reported', 登记: 'reported', 待调解: 'reported', 未调解: 'reported',
        mediating: 'mediating', 调解中: 'mediating', 正在调解: 'mediating',
        agreed: 'agreed', 调解成功: 'agreed', 达成协议: 'agreed', 已调解: 'agreed', 成功: 'agreed',
        failed: 'failed', 调解失败: 'failed', 失败: 'failed', 未达成协议: 'failed',
        referred: 'referred', 移交: 'referred', 已移交: 'referred', 上报: 'referred', 转办: 'referred',
      },
    },
    {
      name: 'level',
      aliases: ['层级', '调解层级', '处理层级'],
      kind: 'choice',
      choices: {
        building: 'building', 楼栋: 'building', grid: 'grid', 网格: 'grid', community: 'community', 社区: 'community',
        street: 'street', 街道: 'street', judicial: 'judicial', 司法: 'judicial', 法院: 'judicial',
      },
    },
    { name: 'mediation_started_at', aliases: ['mediationstartedat', '调解开始时间', '开始调解时间', '调解时间'], kind: 'time' },
    { name: 'ended_at', aliases: ['endedat', 'closed_at', '结束时间', '办结时间', '结案时间'], kind: 'time' },
    {
      name: 'found_how',
      aliases: ['foundhow', 'source_kind', '发现方式', '来源', '线索来源'],
      kind: 'choice',
      choices: {
        screening: 'screening', 排查: 'screening', 矛盾排查: 'screening',
        captain_report: 'captain_report', 楼栋长报告: 'captain_report', 楼长上报: 'captain_report', 楼栋长上报: 'captain_report',
        walk_in: 'walk_in', 来访: 'walk_in', 群众来访: 'walk_in',
        police_referral: 'police_referral', 公安移交: 'police_referral', 派出所移交: 'police_referral', 警情转办: 'police_referral',
        hotline: 'hotline', 热线: 'hotline', '12345': 'hotline',
      },
    },
    { name: 'description', aliases: ['desc', '描述', '简要情况', '内容', '纠纷情况'], kind: 'text', max: 2000 },
    { name: 'mediator', aliases: ['调解员', '调解人'], kind: 'text', max: 200 },
    // the building it happened in: its id in the building file, or its address (optional)
    { name: 'building', aliases: ['buildingid', 'building_id', '楼栋', '楼栋编号', '楼栋地址'], kind: 'text', max: 500 },
  ],
}

/** The geometry a layer's rows have (teams and captains: none). */
export const GEOMETRY_KIND: Record<ImportLayer, 'point' | 'polygon' | 'line' | 'none'> = {
  buildings: 'polygon',
  zones: 'polygon',
  incidents: 'point',
  teams: 'none',
  routes: 'line',
  captains: 'none',
  disputes: 'point',
}

const norm = (h: string) => h.replace(/^\ufeff/, '').trim().toLowerCase().replace(/[\s_\-—（）()]+/g, '')

/** The columns of a layer, the common ones first (a layer without geometry: only the id). */
export const columnsOf = (layer: ImportLayer): ColumnSpec[] => [...(GEOMETRY_KIND[layer] === 'none' ? COMMON.slice(0, 1) : COMMON), ...LAYER_COLUMNS[layer]]

/** Maps a file's headers to the layer's columns: canonical name → header as written, and the headers not used. */
export function matchHeaders(layer: ImportLayer, headers: string[]): { columns: Map<string, string>; unknown: string[] } {
  const byAlias = new Map<string, string>()
  const specs = columnsOf(layer)
  for (const spec of specs) for (const a of spec.aliases) if (!byAlias.has(norm(a))) byAlias.set(norm(a), spec.name)
  // a column's own name wins over another column's alias (an export's `buildings` count and `buildingIds`)
  for (const spec of specs) byAlias.set(norm(spec.name), spec.name)
  const columns = new Map<string, string>()
  // a header that is a column's own name is taken before one that is an alias of it
  for (const h of headers) if (specs.some((s) => norm(s.name) === norm(h)) && !columns.has(byAlias.get(norm(h))!)) columns.set(byAlias.get(norm(h))!, h)
  const unknown: string[] = []
  for (const h of headers) {
    const name = byAlias.get(norm(h))
    if (name !== undefined && columns.get(name) === h) continue
    if (name !== undefined && !columns.has(name)) columns.set(name, h)
    else if (h.trim() !== '') unknown.push(h)
  }
  return { columns, unknown }
}
