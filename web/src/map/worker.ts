/**
 * MapLibre finds its worker next to its own module file; once bundled, that file is gone, so the
 * worker is emitted as an asset of its own and its URL set explicitly. Import before creating a map.
 */
import { setWorkerUrl } from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'

setWorkerUrl(workerUrl)
