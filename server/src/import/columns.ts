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
  kind: 'text' | 'int' | 'time' | 'number' | 'choice'
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
  ],
  incidents: [
    { name: 'category', aliases: ['类别', '类型', '警情类别', '案件类别', '事件类型', 'type'], kind: 'text', required: true, max: 100 },
    { name: 'occurred_at', aliases: ['occurredat', 'datetime', 'time', 'date', '发生时间', '时间', '日期', '发生日期', '报警时间'], kind: 'time', required: true },
    { name: 'description', aliases: ['desc', '描述', '简要案情', '简要情况', '内容'], kind: 'text', max: 2000 },
    { name: 'address', aliases: ['addr', '地址', '发生地址', '地点'], kind: 'text', max: 500 },
    { name: 'status', aliases: ['处理状态', '状态', '结果', 'resolution'], kind: 'text', max: 100 },
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
}

/** The geometry a layer's rows have (teams: none). */
export const GEOMETRY_KIND: Record<ImportLayer, 'point' | 'polygon' | 'none'> = { buildings: 'polygon', zones: 'polygon', incidents: 'point', teams: 'none' }

const norm = (h: string) => h.replace(/^\ufeff/, '').trim().toLowerCase().replace(/[\s_\-—（）()]+/g, '')

/** The columns of a layer, the common ones first (a layer without geometry: only the id). */
export const columnsOf = (layer: ImportLayer): ColumnSpec[] => [...(GEOMETRY_KIND[layer] === 'none' ? COMMON.slice(0, 1) : COMMON), ...LAYER_COLUMNS[layer]]

/** Maps a file's headers to the layer's columns: canonical name → header as written, and the headers not used. */
export function matchHeaders(layer: ImportLayer, headers: string[]): { columns: Map<string, string>; unknown: string[] } {
  const byAlias = new Map<string, string>()
  for (const spec of columnsOf(layer)) for (const a of [spec.name, ...spec.aliases]) byAlias.set(norm(a), spec.name)
  const columns = new Map<string, string>()
  const unknown: string[] = []
  for (const h of headers) {
    const name = byAlias.get(norm(h))
    if (name !== undefined && !columns.has(name)) columns.set(name, h)
    else if (h.trim() !== '') unknown.push(h)
  }
  return { columns, unknown }
}
