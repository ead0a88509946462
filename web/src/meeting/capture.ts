/**
 * The map as a picture for the printed pack and the projector: the part of the main map not covered
 * by the meeting view, at print resolution (a higher pixel ratio) and fitted to the community, with
 * the facts its scale bar needs. MapLibre's canvas keeps no drawing buffer, so the picture is copied
 * right after a synchronous redraw, in the same task.
 */
import type { Map as MapLibreMap } from 'maplibre-gl'
import { metresPerPixel } from './model'

export interface MapPicture {
  /** a PNG data URL */
  src: string
  /** the picture's size in CSS pixels of the map (its pixels ÷ the pixel ratio) */
  width: number
  height: number
  /** metres per CSS pixel at the picture's centre */
  metresPerPixel: number
  /** fitted to the community at print resolution (false: the map as it was, e.g. for Ctrl+P) */
  fitted: boolean
}

/** Resolves when the map has drawn a frame after now with everything loaded (or after `ms`, drawn as far as it got). */
const drawn = (map: MapLibreMap, ms = 15_000) =>
  new Promise<void>((resolve) => {
    const timer = window.setTimeout(resolve, ms)
    map.once('idle', () => {
      window.clearTimeout(timer)
      resolve()
    })
    map.triggerRepaint()
  })

/** The map as it is now, right of `left` CSS pixels (what the meeting view leaves visible). */
export function copyMap(map: MapLibreMap, left: number): MapPicture {
  map.redraw()
  const canvas = map.getCanvas()
  const scale = canvas.width / Math.max(1, canvas.clientWidth)
  const sx = Math.min(canvas.width - 1, Math.round(left * scale))
  const out = document.createElement('canvas')
  out.width = canvas.width - sx
  out.height = canvas.height
  out.getContext('2d')?.drawImage(canvas, sx, 0, out.width, out.height, 0, 0, out.width, out.height)
  const centre = map.unproject([left + (canvas.clientWidth - left) / 2, canvas.clientHeight / 2])
  return { src: out.toDataURL('image/png'), width: out.width / scale, height: out.height / scale, metresPerPixel: metresPerPixel(map.getZoom(), centre.lat), fitted: false }
}

/**
 * Fits `bbox` in the part of the map right of `left` CSS pixels (the map's padding already keeps
 * that part clear of the meeting view), waits until it is drawn at `pixelRatio`, copies it, and
 * puts the camera and pixel ratio back.
 */
export async function captureMap(map: MapLibreMap, bbox: readonly [number, number, number, number], left: number, pixelRatio = 2): Promise<MapPicture> {
  const camera = { center: map.getCenter(), zoom: map.getZoom(), bearing: map.getBearing(), pitch: map.getPitch() }
  const ratio = map.getPixelRatio()
  try {
    map.stop()
    map.setPixelRatio(Math.max(ratio, pixelRatio))
    const fitted = map.cameraForBounds(bbox as [number, number, number, number], { padding: 24 })
    if (fitted) map.jumpTo(fitted)
    await drawn(map)
    return { ...copyMap(map, left), fitted: true }
  } finally {
    map.setPixelRatio(ratio)
    map.jumpTo(camera)
  }
}
