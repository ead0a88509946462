/**
 * The map in the user's language: MapLibre's own control strings (zoom buttons, scale units, the
 * attribution toggle, the canvas's name), the zone label's "no patrol" text and the attribution.
 * MapLibre reads its strings when a control is added, so on a language switch the locale table is
 * replaced and the controls are added again.
 */
import { useEffect } from 'react'
import { AttributionControl, NavigationControl, ScaleControl, type IControl, type Map as MapLibreMap } from 'maplibre-gl'
import type { Translate } from '../i18n'
import { zoneLabelField, zonesLabel } from './layers'
import { mapLibreLocale } from './mapLocale'
import { setLayout } from './restyle'

/**
 * Puts the texts of `t` on `map` (again when the language changes). `demo`: the map shows the demo's
 * data and credits its sources (DataSF, OpenStreetMap, SFPD); an office's own community is not theirs.
 */
export function useMapLanguage(map: MapLibreMap | null, t: Translate, demo: boolean): void {
  useEffect(() => {
    if (map === null) return
    map._locale = { ...map._locale, ...mapLibreLocale(t) }
    map.getCanvas().setAttribute('aria-label', t('maplibre.Map.Title'))
    // bottom right, from the corner up: the attribution, then the scale above it (never over it)
    const controls: [IControl, 'top-right' | 'bottom-right'][] = [
      [new NavigationControl({ showCompass: false }), 'top-right'],
      ...(demo ? [[new AttributionControl({ customAttribution: t('map.attribution'), compact: false }), 'bottom-right'] as [IControl, 'bottom-right']] : []),
      [new ScaleControl({ unit: 'metric' }), 'bottom-right'],
    ]
    for (const [control, position] of controls) map.addControl(control, position)
    // (the style starts with it: only a language switch changes it)
    setLayout(map, zonesLabel.id, 'text-field', zoneLabelField(t('map.zoneUnpatrolled')))
    return () => {
      // the map may be gone already (its own clean-up removed its controls)
      for (const [control] of controls) if (map.hasControl(control)) map.removeControl(control)
    }
  }, [map, t, demo])
}
