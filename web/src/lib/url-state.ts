/**
 * The map's state in the page URL, so a link opens the same map at a meeting: community, view,
 * layers shown and their opacity, how buildings are coloured, the incident filters (same names as
 * the API), the selected feature, and the panels of the right-hand dock with their settings (the
 * hot spot and coverage parameters under the API's names). Only what differs from the defaults is
 * written; whatever is malformed is read as the default rather than breaking the map.
 *
 *   ?community=sf-mission&map=15.2/37.76850/-122.41650&layers=buildings,zones,incidents
 *   &opacity=zones:40&buildings=incidents&from=2012-07-01&to=2012-09-30&categories=ROBBERY
 *   &hours=22-02&weekdays=6,7&sel=zone:7
 *   &panels=analysis,coverage&method=kde&cell=150&shape=hex&bandwidth=250&network=captain&maxBuildings=10
 */
import { COVERAGE_BASES, MEETING_COMPARE, type CoverageBasis, type MeetingCompare } from '../../../server/src/contract'
import { COVERAGE_NETWORKS, DEFAULT_MAX_BUILDINGS, MAX_BUILDINGS_LIMITS, type CoverageNetwork } from './coverage'
import { filterParams, parseFilter, type IncidentFilter } from './filters'
import { CELL_SIZES, DEFAULT_ANALYSIS, HOTSPOT_METHODS, withinLimits, type AnalysisParams, type HotspotMethod } from './hotspots'
import { LEGEND_GROUPS, type LegendGroup } from './legend'

/** A map view: zoom and centre. */
export interface MapViewState {
  zoom: number
  lat: number
  lon: number
}

/** How buildings are coloured: by captain status (default) or by nearby incidents. */
export type BuildingColoring = 'captain' | 'incidents'

/** What can be selected on the map and named in a URL. */
export const SELECTABLE = ['building', 'zone', 'route', 'incident', 'captain'] as const
export type SelectableKind = (typeof SELECTABLE)[number]

export interface SelectionRef {
  kind: SelectableKind
  id: number
}

/** The hot spot analysis panel: open or not, and what it analyses (kept while it is closed). */
export interface AnalysisState extends AnalysisParams {
  open: boolean
}

/** The coverage panel: open or not, which network, and the captain load above which a captain is flagged. */
export interface CoverageState {
  open: boolean
  network: CoverageNetwork
  /** whole buildings, MAX_BUILDINGS_LIMITS.min…max */
  maxBuildings: number
  /** patrol coverage of the plan, or of the patrols logged in the filter's period */
  basis: CoverageBasis
}

export const DEFAULT_ANALYSIS_STATE: AnalysisState = { open: false, ...DEFAULT_ANALYSIS }
export const DEFAULT_COVERAGE_STATE: CoverageState = { open: false, network: 'patrol', maxBuildings: DEFAULT_MAX_BUILDINGS, basis: 'plan' }

export interface UrlState {
  community: string | null
  view: MapViewState | null
  visible: Record<LegendGroup, boolean>
  /** 0…1 per layer group */
  opacity: Record<LegendGroup, number>
  buildings: BuildingColoring
  filter: IncidentFilter
  selection: SelectionRef | null
  analysis: AnalysisState
  coverage: CoverageState
  /** the planning panel is open (its draft is not kept in the link: it is unsaved work) */
  plan: boolean
  /** the disputes and mediation panel is open */
  people: boolean
  /** the import panel is open (issue 10) */
  import: boolean
  /** the meeting view: open or not, its period, what it compares with, a filed briefing reopened */
  meeting: MeetingState
}

/** The meeting view's state (meeting/MeetingView.tsx): `meeting=open` or `meeting=<from>..<to>`, `mcompare=year`, `briefing=<id>`. */
export interface MeetingState {
  open: boolean
  /** the period (null: the latest month with data) */
  from: string | null
  to: string | null
  compare: MeetingCompare
  /** a filed briefing reopened (null: today's figures) */
  briefing: number | null
}

export const DEFAULT_MEETING_STATE: MeetingState = { open: false, from: null, to: null, compare: 'previous', briefing: null }

/** Every layer shown at full opacity. */
export function defaultLayers(): Pick<UrlState, 'visible' | 'opacity'> {
  return {
    visible: Object.fromEntries(LEGEND_GROUPS.map((g) => [g, true])) as Record<LegendGroup, boolean>,
    opacity: Object.fromEntries(LEGEND_GROUPS.map((g) => [g, 1])) as Record<LegendGroup, number>,
  }
}

const isGroup = (s: string): s is LegendGroup => (LEGEND_GROUPS as readonly string[]).includes(s)

function parseView(raw: string | null): MapViewState | null {
  if (raw === null) return null
  const parts = raw.split('/').map(Number)
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n))) return null
  const [zoom, lat, lon] = parts as [number, number, number]
  if (zoom < 0 || zoom > 24 || lat < -85.06 || lat > 85.06 || lon < -180 || lon > 180) return null
  return { zoom, lat, lon }
}

/** A number parameter when it is one and `ok` accepts it, else null. */
function numberParam(p: URLSearchParams, name: string, ok: (v: number) => boolean): number | null {
  const raw = p.get(name)
  if (raw === null || raw.trim() === '') return null
  const v = Number(raw)
  return Number.isFinite(v) && ok(v) ? v : null
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback
}

function parsePanels(p: URLSearchParams): { analysis: AnalysisState; coverage: CoverageState; plan: boolean; people: boolean; import: boolean } {
  const open = new Set((p.get('panels') ?? '').split(','))
  const d = DEFAULT_ANALYSIS_STATE
  const max = MAX_BUILDINGS_LIMITS
  return {
    analysis: {
      open: open.has('analysis'),
      method: oneOf<HotspotMethod>(p.get('method'), HOTSPOT_METHODS, d.method),
      cell: numberParam(p, 'cell', (v) => CELL_SIZES.includes(v)) ?? d.cell,
      shape: oneOf(p.get('shape'), ['square', 'hex'] as const, d.shape),
      fdr: p.get('fdr') === 'true',
      band: numberParam(p, 'band', (v) => withinLimits('band', v)),
      bandwidth: numberParam(p, 'bandwidth', (v) => withinLimits('bandwidth', v)),
      slice: oneOf(p.get('slice'), ['month', 'week'] as const, d.slice),
    },
    coverage: {
      open: open.has('coverage'),
      network: oneOf<CoverageNetwork>(p.get('network'), COVERAGE_NETWORKS, DEFAULT_COVERAGE_STATE.network),
      maxBuildings: numberParam(p, 'maxBuildings', (v) => Number.isInteger(v) && v >= max.min && v <= max.max) ?? DEFAULT_COVERAGE_STATE.maxBuildings,
      basis: oneOf<CoverageBasis>(p.get('basis'), COVERAGE_BASES, DEFAULT_COVERAGE_STATE.basis),
    },
    plan: open.has('plan'),
    people: open.has('people'),
    import: open.has('import'),
  }
}

/** The dock's panels and their settings as query parameters, defaults left out. */
function panelParams(a: AnalysisState, c: CoverageState, plan: boolean, people: boolean, importing: boolean): [string, string][] {
  const out: [string, string][] = []
  const open = [a.open && 'analysis', c.open && 'coverage', plan && 'plan', people && 'people', importing && 'import'].filter((x): x is string => x !== false)
  if (open.length > 0) out.push(['panels', open.join(',')])
  const d = DEFAULT_ANALYSIS_STATE
  if (a.method !== d.method) out.push(['method', a.method])
  if (a.cell !== d.cell) out.push(['cell', String(a.cell)])
  if (a.shape !== d.shape) out.push(['shape', a.shape])
  if (a.fdr !== d.fdr) out.push(['fdr', String(a.fdr)])
  if (a.band !== null) out.push(['band', String(a.band)])
  if (a.bandwidth !== null) out.push(['bandwidth', String(a.bandwidth)])
  if (a.slice !== d.slice) out.push(['slice', a.slice])
  if (c.network !== DEFAULT_COVERAGE_STATE.network) out.push(['network', c.network])
  if (c.maxBuildings !== DEFAULT_COVERAGE_STATE.maxBuildings) out.push(['maxBuildings', String(c.maxBuildings)])
  if (c.basis !== DEFAULT_COVERAGE_STATE.basis) out.push(['basis', c.basis])
  return out
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/

function parseMeeting(p: URLSearchParams): MeetingState {
  const raw = p.get('meeting')
  if (raw === null) return DEFAULT_MEETING_STATE
  const [from, to] = raw.split('..')
  const dated = from !== undefined && to !== undefined && DAY_RE.test(from) && DAY_RE.test(to) && from <= to
  const briefing = numberParam(p, 'briefing', (v) => Number.isSafeInteger(v) && v > 0)
  return { open: true, from: dated ? from : null, to: dated ? to : null, compare: oneOf<MeetingCompare>(p.get('mcompare'), MEETING_COMPARE, 'previous'), briefing }
}

function meetingParams(m: MeetingState): [string, string][] {
  if (!m.open) return []
  const out: [string, string][] = [['meeting', m.from !== null && m.to !== null ? `${m.from}..${m.to}` : 'open']]
  if (m.compare !== DEFAULT_MEETING_STATE.compare) out.push(['mcompare', m.compare])
  if (m.briefing !== null) out.push(['briefing', String(m.briefing)])
  return out
}

/** Reads the state from a query string (with or without "?"). */
export function parseUrlState(search: string): UrlState {
  const p = new URLSearchParams(search)
  const { visible, opacity } = defaultLayers()
  const layers = p.get('layers')
  if (layers !== null) {
    const shown = new Set(layers.split(',').filter(isGroup))
    for (const g of LEGEND_GROUPS) visible[g] = shown.has(g)
  }
  for (const part of (p.get('opacity') ?? '').split(',')) {
    const [g, v] = part.split(':')
    const pct = Number(v)
    if (g !== undefined && isGroup(g) && v !== undefined && v !== '' && Number.isFinite(pct)) opacity[g] = Math.min(100, Math.max(0, pct)) / 100
  }
  const sel = /^([a-z]+):(\d{1,15})$/.exec(p.get('sel') ?? '')
  const kind = sel?.[1]
  const community = p.get('community')
  return {
    community: community !== null && /^[a-z0-9][a-z0-9-]{1,62}$/.test(community) ? community : null,
    view: parseView(p.get('map')),
    visible,
    opacity,
    buildings: p.get('buildings') === 'incidents' ? 'incidents' : 'captain',
    filter: parseFilter(p),
    selection: sel && kind !== undefined && (SELECTABLE as readonly string[]).includes(kind) ? { kind: kind as SelectableKind, id: Number(sel[2]) } : null,
    ...parsePanels(p),
    meeting: parseMeeting(p),
  }
}

/** Writes the state as a query string without "?", leaving defaults out. */
export function formatUrlState(s: UrlState): string {
  const out: [string, string][] = []
  if (s.community !== null) out.push(['community', s.community])
  if (s.view !== null) out.push(['map', `${s.view.zoom.toFixed(2)}/${s.view.lat.toFixed(5)}/${s.view.lon.toFixed(5)}`])
  if (LEGEND_GROUPS.some((g) => !s.visible[g])) out.push(['layers', LEGEND_GROUPS.filter((g) => s.visible[g]).join(',')])
  const faded = LEGEND_GROUPS.filter((g) => s.opacity[g] < 1).map((g) => `${g}:${Math.round(s.opacity[g] * 100)}`)
  if (faded.length > 0) out.push(['opacity', faded.join(',')])
  if (s.buildings !== 'captain') out.push(['buildings', s.buildings])
  out.push(...filterParams(s.filter))
  if (s.selection !== null) out.push(['sel', `${s.selection.kind}:${s.selection.id}`])
  out.push(...panelParams(s.analysis, s.coverage, s.plan, s.people, s.import))
  out.push(...meetingParams(s.meeting))
  // Commas, colons and slashes stay readable: they are legal in a query string.
  return new URLSearchParams(out).toString().replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%2F/g, '/')
}
