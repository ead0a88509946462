/**
 * Colours of the map, written once: calm base colours for a projector, the Okabe–Ito palette (safe
 * for the common forms of colour blindness) for categories — incident categories and patrol teams —
 * and `ANALYSIS`, the colours of what is computed (coverage, gaps, hot and cold spots, density,
 * counts, emerging hot spots), chosen so that none of them can be read as a category or a team.
 */
import type { ExpressionSpecification } from 'maplibre-gl'

/** Okabe & Ito (2008), "Color Universal Design": eight colours distinguishable with CVD. */
export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const

/** Base colours (no meaning beyond "what is where"). */
export const BASE = {
  land: '#f3f0e8',
  streetCasing: '#cfc8ba',
  street: '#ffffff',
  majorStreet: '#fbe7bd',
  majorStreetCasing: '#d9b77a',
  path: '#b9b3a8',
  streetLabel: '#4a4740',
  labelHalo: '#ffffff',
  buildingCaptained: '#b9b1a3',
  buildingUncaptained: '#f7f1e6',
  /** diagonal hatching over buildings without a captain: the gap should catch the eye */
  buildingUncaptainedHatch: '#c0683a',
  buildingOutline: '#8f8473',
  /** outline of the buildings of the captain under the pointer or selected */
  captainBuildings: '#1f1f1f',
  /** how a captained building looks under that highlight (for the legend) */
  captainBuildingsSwatch: '#837e75',
  /** outline of the selected feature */
  selection: '#111111',
  zoneUnassigned: '#8c8c8c',
  zoneLabel: '#2b2b2b',
  captainActive: '#1f1f1f',
  captainInactive: '#9a9a9a',
  captainFill: '#ffffff',
  incidentOther: '#7f7f7f',
  incidentStroke: '#ffffff',
  /** a cluster of several incidents (low zoom): neutral, so it is not read as one category */
  cluster: '#3d4a5c',
  /** the neutral line of the legend rows for day, evening and night shifts */
  shiftSwatch: '#4a4a4a',
  clusterStroke: '#ffffff',
  clusterText: '#ffffff',
} as const

/**
 * The quiet base map while coverage and gaps are shown: buildings in one plain colour (no captain
 * hatching, which would look like the gap hatching), zone tints off, incidents faded — so the gaps,
 * the coverage fill, the uncovered buildings and the numbered priority gaps stand out.
 */
export const QUIET = {
  /** every building, whatever its captain or incidents */
  building: '#dedad2',
  /** share of the incidents' opacity left */
  incidentOpacity: 0.25,
  /** share of the captains' opacity left while patrol coverage is shown (they are what captain coverage is about) */
  captainOpacity: 0.3,
} as const

/**
 * Buildings coloured by the incidents within 25 m: a neutral class for none, then four classes of
 * ColorBrewer OrRd (sequential, one hue family: safe for colour-blind readers and in greyscale).
 * `min` is the smallest count of the class.
 */
export const INCIDENT_COUNT_CLASSES = [
  { min: 0, color: '#ebe5da' },
  { min: 1, color: '#fdcc8a' },
  { min: 2, color: '#fc8d59' },
  { min: 5, color: '#e34a33' },
  { min: 10, color: '#a50f15' },
] as const

/** MapLibre `step` expression colouring a building by its `incidents` property. */
export function incidentCountColorExpression(): ExpressionSpecification {
  const [first, ...rest] = INCIDENT_COUNT_CLASSES
  return ['step', ['coalesce', ['get', 'incidents'], 0], first.color, ...rest.flatMap((c) => [c.min, c.color])] as unknown as ExpressionSpecification
}

/** The upper bound of an incident count class (inclusive), or null for the last, open one. */
export function incidentClassMax(index: number): number | null {
  const next = INCIDENT_COUNT_CLASSES[index + 1]
  return next === undefined ? null : next.min - 1
}

/**
 * The incident categories drawn in a colour of their own (so a category keeps its colour across
 * filters and meetings): the ones a safety meeting talks about most. Other categories are drawn
 * in `BASE.incidentOther`.
 */
export const INCIDENT_CATEGORIES = [
  { category: 'ROBBERY', color: OKABE_ITO.vermillion },
  { category: 'VANDALISM', color: OKABE_ITO.orange },
  { category: 'DRUG/NARCOTIC', color: OKABE_ITO.reddishPurple },
  { category: 'VEHICLE THEFT', color: OKABE_ITO.blue },
  { category: 'LARCENY/THEFT', color: OKABE_ITO.skyBlue },
  { category: 'ASSAULT', color: OKABE_ITO.bluishGreen },
] as const

/**
 * Every incident category the UI has a name for in each language (SFPD's categories, which the demo
 * uses for every year: fixtures/sf-mission/sfpd-categories.json maps the 2018 ones onto them). A
 * category without a name here is shown as the data writes it.
 */
export const NAMED_CATEGORIES = [
  ...INCIDENT_CATEGORIES.map((c) => c.category),
  'BURGLARY', 'OTHER OFFENSES', 'NON-CRIMINAL', 'WARRANTS', 'MISSING PERSON', 'RECOVERED VEHICLE', 'FRAUD', 'SUSPICIOUS OCC',
  'FAMILY OFFENSES', 'DISORDERLY CONDUCT', 'WEAPON LAWS', 'FORGERY/COUNTERFEITING', 'ARSON', 'SEX OFFENSES', 'PROSTITUTION',
  'GAMBLING', 'HOMICIDE', 'EMBEZZLEMENT', 'STOLEN PROPERTY',
] as const

/** An incident category the UI knows by name. */
export type KnownCategory = (typeof INCIDENT_CATEGORIES)[number]['category']

/** The colour of an incident category; unknown categories get the "other" grey. */
export function categoryColor(category: string): string {
  return INCIDENT_CATEGORIES.find((c) => c.category === category)?.color ?? BASE.incidentOther
}

/** MapLibre expression colouring a feature by its `category` property. */
export function categoryColorExpression(): ExpressionSpecification {
  const pairs = INCIDENT_CATEGORIES.flatMap((c) => [c.category, c.color])
  return ['match', ['get', 'category'], ...pairs, BASE.incidentOther] as unknown as ExpressionSpecification
}

/**
 * Team colours in the order they are handed out. Yellow comes last: it is the weakest on a light
 * base map. Black is left out: it is the captains' colour.
 */
export const TEAM_PALETTE: readonly string[] = [
  OKABE_ITO.bluishGreen,
  OKABE_ITO.blue,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.orange,
  OKABE_ITO.skyBlue,
  OKABE_ITO.vermillion,
  OKABE_ITO.yellow,
]

/** A patrol team as it appears on the zones and routes layers. */
export interface TeamRef {
  id: number
  name: string
}

/** A team with its colour on the map. */
export interface TeamColor extends TeamRef {
  color: string
}

/** Properties of a zone or route feature that identify its team (null: nobody patrols it). */
export interface TeamProps {
  teamId?: number | null
  teamName?: string | null
}

/**
 * The distinct teams referenced by the given features, sorted by id, each with a colour from
 * `TEAM_PALETTE` in that order (wrapping around after seven teams). Features without a team
 * (and features of other layers, e.g. captains) are skipped. The first name seen for an id wins.
 */
export function assignTeamColors(features: Iterable<{ properties: object | null }>): TeamColor[] {
  const names = new Map<number, string>()
  for (const f of features) {
    const p = f.properties as TeamProps | null
    const id = p?.teamId
    if (typeof id !== 'number' || names.has(id)) continue
    names.set(id, typeof p?.teamName === 'string' && p.teamName !== '' ? p.teamName : `#${id}`)
  }
  return [...names.entries()]
    .sort(([a], [b]) => a - b)
    .map(([id, name], i) => ({ id, name, color: TEAM_PALETTE[i % TEAM_PALETTE.length] ?? BASE.zoneUnassigned }))
}

/**
 * MapLibre expression colouring a feature by its `teamId`, using the colours from
 * `assignTeamColors`; features without a (known) team get `fallback`.
 */
export function teamColorExpression(
  teams: readonly TeamColor[],
  fallback: string = BASE.zoneUnassigned,
): ExpressionSpecification | string {
  if (teams.length === 0) return fallback
  const pairs = teams.flatMap((t) => [t.id, t.color])
  // `coalesce` turns a missing/null teamId into -1, which matches no team.
  return ['match', ['coalesce', ['get', 'teamId'], -1], ...pairs, fallback] as unknown as ExpressionSpecification
}

/**
 * The analysis palette: every colour the analysis layers draw with (coverage, gaps, Gi* hot and
 * cold spots, density, counts, emerging categories). Categories and teams use up the Okabe–Ito
 * hues, so these are the ColorBrewer/Paul Tol tones that stay at least ΔE2000 15 from every
 * Okabe–Ito colour — deep and pale reds and blues, olive, indigo, wine, purples, browns — so a
 * covered area is never mistaken for a team's green, a gap for a robbery, a cold spot for a team's
 * blue. Ramps read by lightness, so they survive grey and colour-blind vision; the categorical
 * sets are checked under simulated protan, deutan and tritan vision (test/unit/web-palette.test.ts).
 */
export const ANALYSIS = {
  coverage: {
    /** soft fill of what the patrols reach (olive: not a team's green) */
    patrol: '#88a03c',
    /** buildings with an active captain (dark olive: not a team's blue, nor a cold hot spot's or density's purple) */
    captain: '#557700',
    /** the warning colour of gaps (wine: not the robbery vermilion) */
    gap: '#882255',
    /** priority gap cells and their numbers */
    priority: '#1f1f1f',
    /** the zone under the pointer in the table */
    highlight: '#111111',
  },
  /** Gi* bins, ColorBrewer RdBu's outer and pale tones: lightness carries the confidence both ways. */
  gi: { hot99: '#67001f', hot95: '#b2182b', hot90: '#f4a582', cold90: '#c6dbef', cold95: '#7b8fc7', cold99: '#2d3e8c' },
  /** density (incidents per km²), ColorBrewer Purples, light to dark */
  density: ['#dadaeb', '#bcbddc', '#9e9ac8', '#756bb1', '#54278f'],
  /** incidents per cell, a brown ramp, light to dark (a different family from density) */
  count: ['#e0d8cc', '#c2b29c', '#9c8466', '#7a5c3c', '#4f3520'],
  /** emerging categories: deep red to pale for what is hot now, blues for cooling, grey for the past */
  emerging: {
    intensifying: '#67001f',
    persistent: '#c51b7d',
    consecutive: '#f4a582',
    new: '#fddbc7',
    /** violet: not the patrol coverage olive (which may be on the map at the same time), and apart from the reds and blues with CVD */
    sporadic: '#8833ff',
    oscillating: '#7b8fc7',
    diminishing: '#2d3e8c',
    historical: '#bbbbbb',
  },
} as const

/**
 * The planner's drafts: what is drawn but not saved (new and reshaped lines and shapes, picked
 * buildings, the draft's coverage) in a cyan no category, team or analysis uses, so a draft never
 * passes for saved data; refused overlaps in the gap's warning colour.
 */
export const PLAN = {
  draft: '#00c2c2',
  /** vertices where a line meets a street, midpoints to drag */
  snap: '#1f1f1f',
  overlap: ANALYSIS.coverage.gap,
} as const

/**
 * Disputes on the map by where they are in their lifecycle: dark, saturated tones that stand apart
 * from every incident category and team colour (ΔE2000 ≥ 15, tested) and from one another.
 */
export const DISPUTE_STATUS_COLORS = {
  reported: '#1f2f5c',
  mediating: '#795548',
  agreed: '#1b5e20',
  failed: '#8b0000',
  referred: '#9c27b0',
} as const

/** Every analysis colour, flattened (for checks). */
export function analysisColors(): string[] {
  const { coverage, gi, density, count, emerging } = ANALYSIS
  return [coverage.patrol, coverage.captain, coverage.gap, ...Object.values(gi), ...density, ...count, ...Object.values(emerging)]
}

/** Every colour that stands for an incident category or a patrol team. */
export function categoryAndTeamColors(): string[] {
  return [...new Set([...INCIDENT_CATEGORIES.map((c) => c.color as string), ...TEAM_PALETTE])]
}
