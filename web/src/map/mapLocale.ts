/**
 * MapLibre's own UI strings (zoom buttons, scale units, attribution toggle…) in the UI language:
 * every key of the installed maplibre-gl's default locale (src/ui/default_locale.ts) has a message
 * `maplibre.<key>` in our dictionaries (test/unit/web-map-locale.test.ts checks the list against
 * the installed version).
 */
import type { MessageKey, Translate } from '../i18n'

/** The keys of maplibre-gl 6's default locale. */
export const MAPLIBRE_LOCALE_KEYS = [
  'AttributionControl.ToggleAttribution',
  'AttributionControl.MapFeedback',
  'FullscreenControl.Enter',
  'FullscreenControl.Exit',
  'GeolocateControl.FindMyLocation',
  'GeolocateControl.LocationNotAvailable',
  'LogoControl.Title',
  'Map.Title',
  'Marker.Title',
  'NavigationControl.ResetBearing',
  'NavigationControl.ZoomIn',
  'NavigationControl.ZoomOut',
  'Popup.Close',
  'ScaleControl.Feet',
  'ScaleControl.Meters',
  'ScaleControl.Kilometers',
  'ScaleControl.Miles',
  'ScaleControl.NauticalMiles',
  'GlobeControl.Enable',
  'GlobeControl.Disable',
  'TerrainControl.Enable',
  'TerrainControl.Disable',
  'CooperativeGesturesHandler.WindowsHelpText',
  'CooperativeGesturesHandler.MacHelpText',
  'CooperativeGesturesHandler.MobileHelpText',
] as const

/** MapLibre's `locale` table in the language of `t`. */
export function mapLibreLocale(t: Translate): Record<string, string> {
  return Object.fromEntries(MAPLIBRE_LOCALE_KEYS.map((k) => [k, t(`maplibre.${k}` as MessageKey)]))
}
