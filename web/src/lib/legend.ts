/** Legend entries of the layer list: what each swatch means, derived from the palette and the data. */
import type { MessageKey } from '../i18n/en'
import { BASE, INCIDENT_CATEGORIES, type TeamColor } from './palette'

/** How a swatch is drawn: a filled square, a line or a dot. */
export interface Swatch {
  kind: 'fill' | 'line' | 'circle'
  color: string
  /** border colour (fill, circle) or casing (line) */
  stroke?: string
}

/** A legend label: a message key to translate, or data text shown as is (a team name). */
export type LegendLabel = { key: MessageKey } | { text: string }

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

/**
 * The legend rows of one layer group. Team-coloured groups list the given teams (as coloured by
 * `assignTeamColors`); zones add a row for zones nobody patrols.
 */
export function legendEntries(group: LegendGroup, teams: readonly TeamColor[]): LegendEntry[] {
  switch (group) {
    case 'streets':
      return [
        { label: { key: 'legend.streets.major' }, swatch: { kind: 'line', color: BASE.majorStreet, stroke: BASE.majorStreetCasing } },
        { label: { key: 'legend.streets.minor' }, swatch: { kind: 'line', color: BASE.street, stroke: BASE.streetCasing } },
        { label: { key: 'legend.streets.path' }, swatch: { kind: 'line', color: BASE.path } },
      ]
    case 'buildings':
      return [
        { label: { key: 'legend.buildings.captained' }, swatch: { kind: 'fill', color: BASE.buildingCaptained, stroke: BASE.buildingOutline } },
        { label: { key: 'legend.buildings.uncaptained' }, swatch: { kind: 'fill', color: BASE.buildingUncaptained, stroke: BASE.buildingOutline } },
      ]
    case 'zones':
      return [
        ...teams.map((t): LegendEntry => ({ label: { text: t.name }, swatch: { kind: 'fill', color: t.color, stroke: t.color } })),
        { label: { key: 'legend.zones.unassigned' }, swatch: { kind: 'fill', color: BASE.zoneUnassigned, stroke: BASE.zoneUnassigned } },
      ]
    case 'routes':
      return teams.map((t) => ({ label: { text: t.name }, swatch: { kind: 'line', color: t.color } }))
    case 'captains':
      return [
        { label: { key: 'legend.captains.active' }, swatch: { kind: 'circle', color: BASE.captainFill, stroke: BASE.captainActive } },
        { label: { key: 'legend.captains.inactive' }, swatch: { kind: 'circle', color: BASE.captainFill, stroke: BASE.captainInactive } },
      ]
    case 'incidents':
      return [
        ...INCIDENT_CATEGORIES.map((c): LegendEntry => ({
          label: { key: `category.${c.category}` },
          swatch: { kind: 'circle', color: c.color, stroke: BASE.incidentStroke },
        })),
        { label: { key: 'legend.incidents.other' }, swatch: { kind: 'circle', color: BASE.incidentOther, stroke: BASE.incidentStroke } },
      ]
  }
}

/** The one swatch standing for a whole group in the layer list (its first legend row's, or grey). */
export function groupSwatch(group: LegendGroup, teams: readonly TeamColor[]): Swatch {
  return legendEntries(group, teams)[0]?.swatch ?? { kind: 'fill', color: BASE.zoneUnassigned }
}
