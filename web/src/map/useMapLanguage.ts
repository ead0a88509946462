/** The map in the user's language: the zone label's "no patrol" text and the attribution. */
import { useEffect } from 'react'
import { AttributionControl, type Map as MapLibreMap } from 'maplibre-gl'
import type { Translate } from '../i18n'
import { zoneLabelField, zonesLabel } from './layers'

/** Puts the texts of `t` on `map` (again when the language changes). */
export function useMapLanguage(map: MapLibreMap | null, t: Translate): void {
  useEffect(() => {
    if (map === null) return
    const attribution = new AttributionControl({ customAttribution: t('map.attribution'), compact: false })
    map.addControl(attribution, 'bottom-right')
    map.setLayoutProperty(zonesLabel.id, 'text-field', zoneLabelField(t('map.zoneUnpatrolled')))
    return () => {
      // the map may be gone already (its own clean-up removed its controls)
      if (map.hasControl(attribution)) map.removeControl(attribution)
    }
  }, [map, t])
}
