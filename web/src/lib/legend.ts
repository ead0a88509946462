/**
 * Legend entries of the layer list: what each swatch means, derived from the same palette
 * constants the map style uses, and following what the map currently shows (how buildings are
 * coloured, which incident categories the filter keeps, which teams exist).
 */
import type { MessageKey } from '../i18n/en'
import { BASE, INCIDENT_CATEGORIES, INCIDENT_COUNT_CLASSES, incidentClassMax, NAMED_CATEGORIES, QUIET, type TeamColor } from './palette'
import { SHIFT_CLASSES, SHIFT_DASH } from './shifts'

/** How a swatch is drawn: a filled square, a line or a dot (plus two special forms). */
export interface Swatch {
  kind: 'fill' | 'line' | 'circle' | 'hatch' | 'cluster'
  color: string
  /** border colour (fill, circle, hatch) or casing (line) */
  stroke?: string
  /** line dash pattern in line widths (line) */
  dash?: readonly number[]
  /** hatch lines (hatch) */
  hatch?: string
}

/** A legend label: a message key to translate (with parameters), or data text shown as is (a team name). */
export type LegendLabel = { key: MessageKey; params?: Record<string, string | number> } | { text: string }

/** One row of a legend. */
export interface LegendEntry {
  label: LegendLabel
  swatch: Swatch
}

/** The user-visible layer groups (see LAYER_GROUPS in map/layers.ts), bottom first. */
export const LEGEND_GROUPS = ['streets', 'buildings', 'zones', 'routes', 'captains', 'incidents'] as const
export type LegendGroup = (typeof LEGEND_GROUPS)[number]

/** Groups that show generated sample assignments rather than public data. */
export const SAMPLE_GROUPS: ReadonlySet<LegendGroup> = new Set(['zones', 'routes', 'captains'])

/** The layer name message of a group. */
export function groupNameKey(group: LegendGroup): MessageKey {
  return `layer.${group}`
}

/** What the legend depends on besides the group. */
export interface LegendContext {
  teams: readonly TeamColor[]
  /** how buildings are coloured */
  buildings?: 'captain' | 'incidents'
  /** incident categories the filter keeps (null: all) */
  categories?: readonly string[] | null
  /** the quiet base map of the coverage view: plain buildings, zones outlined only (see QUIET) */
  quiet?: boolean
}

/** The known message key of an incident category, or null for a category the UI has no words for. */
export function categoryKey(category: string): MessageKey | null {
  return (NAMED_CATEGORIES as readonly string[]).includes(category) ? (`category.${category}` as MessageKey) : null
}

/**
 * The legend rows of one layer group. Team-coloured groups list the given teams (as coloured by
 * `assignTeamColors`); zones add a row for zones nobody patrols; routes add the line style of each
 * part of the day; incidents list the categories the filter keeps, and the cluster symbol.
 */
export function legendEntries(group: LegendGroup, ctx: LegendContext | readonly TeamColor[]): LegendEntry[] {
  const { teams, buildings = 'captain', categories = null, quiet = false } = Array.isArray(ctx) ? { teams: ctx as readonly TeamColor[] } : (ctx as LegendContext)
  // the zones' tint is off in the quiet map: their swatches are outlines
  const zoneSwatch = (color: string): Swatch => (quiet ? { kind: 'fill', color: 'none', stroke: color } : { kind: 'fill', color, stroke: color })
  switch (group) {
    case 'streets':
      return [
        { label: { key: 'legend.streets.major' }, swatch: { kind: 'line', color: BASE.majorStreet, stroke: BASE.majorStreetCasing } },
        { label: { key: 'legend.streets.minor' }, swatch: { kind: 'line', color: BASE.street, stroke: BASE.streetCasing } },
        { label: { key: 'legend.streets.path' }, swatch: { kind: 'line', color: BASE.path } },
      ]
    case 'buildings':
      if (quiet) return [{ label: { key: 'legend.buildings.plain' }, swatch: { kind: 'fill', color: QUIET.building, stroke: BASE.buildingOutline } }]
      if (buildings === 'incidents')
        return INCIDENT_COUNT_CLASSES.map((c, i): LegendEntry => {
          const max = incidentClassMax(i)
          const label: LegendLabel =
            c.min === 0
              ? { key: 'legend.buildings.incidents.none' }
              : max === null
                ? { key: 'legend.buildings.incidents.atLeast', params: { min: c.min } }
                : max === c.min
                  ? { key: 'legend.buildings.incidents.exactly', params: { n: c.min } }
                  : { key: 'legend.buildings.incidents.range', params: { min: c.min, max } }
          return { label, swatch: { kind: 'fill', color: c.color, stroke: BASE.buildingOutline } }
        })
      return [
        { label: { key: 'legend.buildings.captained' }, swatch: { kind: 'fill', color: BASE.buildingCaptained, stroke: BASE.buildingOutline } },
        {
          label: { key: 'legend.buildings.uncaptained' },
          swatch: { kind: 'hatch', color: BASE.buildingUncaptained, stroke: BASE.buildingOutline, hatch: BASE.buildingUncaptainedHatch },
        },
      ]
    case 'zones':
      return [
        ...teams.map((t): LegendEntry => ({ label: { text: t.name }, swatch: zoneSwatch(t.color) })),
        { label: { key: 'legend.zones.unassigned' }, swatch: zoneSwatch(BASE.zoneUnassigned) },
      ]
    case 'routes':
      if (teams.length === 0) return []
      return [
        ...teams.map((t): LegendEntry => ({ label: { text: t.name }, swatch: { kind: 'line', color: t.color } })),
        ...SHIFT_CLASSES.map((c): LegendEntry => ({
          label: { key: `legend.routes.${c}` },
          swatch: { kind: 'line', color: BASE.shiftSwatch, dash: SHIFT_DASH[c] },
        })),
      ]
    case 'captains':
      return [
        { label: { key: 'legend.captains.active' }, swatch: { kind: 'circle', color: BASE.captainFill, stroke: BASE.captainActive } },
        { label: { key: 'legend.captains.inactive' }, swatch: { kind: 'circle', color: BASE.captainFill, stroke: BASE.captainInactive } },
        { label: { key: 'legend.captains.buildings' }, swatch: { kind: 'fill', color: BASE.captainBuildingsSwatch, stroke: BASE.captainBuildings } },
      ]
    case 'incidents': {
      const kept = (c: string) => categories === null || categories.includes(c)
      // "other": the kept categories drawn in the grey of no colour of their own
      const otherKept = categories === null || categories.some((c) => !INCIDENT_CATEGORIES.some((x) => x.category === c))
      return [
        ...INCIDENT_CATEGORIES.filter((c) => kept(c.category)).map((c): LegendEntry => ({
          label: { key: `category.${c.category}` },
          swatch: { kind: 'circle', color: c.color, stroke: BASE.incidentStroke },
        })),
        ...(otherKept
          ? [{ label: { key: 'legend.incidents.other' }, swatch: { kind: 'circle', color: BASE.incidentOther, stroke: BASE.incidentStroke } } satisfies LegendEntry]
          : []),
        { label: { key: 'legend.incidents.cluster' }, swatch: { kind: 'cluster', color: BASE.cluster, stroke: BASE.clusterStroke } },
      ]
    }
  }
}

/** The one swatch standing for a whole group in the layer list (its first legend row's, or grey). */
export function groupSwatch(group: LegendGroup, ctx: LegendContext | readonly TeamColor[]): Swatch {
  return legendEntries(group, ctx)[0]?.swatch ?? { kind: 'fill', color: BASE.zoneUnassigned }
}
