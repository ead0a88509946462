/**
 * Bringing a community's own data (issue 10) in the dock: system administrators create a community
 * (its boundary from the map's view or from a GeoJSON file); administrators and planners import a
 * file into a layer — GeoJSON, zipped Shapefile, GeoPackage, CSV or .xlsx, in the coordinate system and text
 * encoding it has. A dry run comes first: what would be new, changed or unchanged, every rejected
 * row with its number, column and reason, and the features on the map (in the draft colour) before
 * anything is written; the import itself is all or nothing. Past imports are listed.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson'
import { area as turfArea } from '@turf/turf'
import type { LayerSpecification, Map as MapLibreMap } from 'maplibre-gl'
import { IMPORT_ENCODINGS, IMPORT_LAYERS } from '../../../server/src/contract'
import type { Community } from '../api'
import { useUser } from '../auth/context'
import { formatDateTime, formatNumber } from '../lib/dates'
import { useI18n } from '../i18n'
import { ApiError } from '../lib/api-error'
import { PLAN } from '../lib/palette'
import { featureBbox } from '../lib/coverage'
import { useOverlay } from '../map/useOverlay'
import { usePlanDraw } from '../plan/usePlanDraw'
import { ApiErrorLine } from '../ui/ApiErrorLine'
import { PanelHead } from '../ui/Dock'
import { createCommunity, fetchImports, importFile, type ImportEncoding, type ImportLayer, type ImportList, type ImportReport, type UploadProgress } from './api'
import '../plan/plan.css'
import './import.css'

/** The coordinate systems offered by name (any other EPSG code can be typed). */
const CRS_CHOICES = ['EPSG:4326', 'EPSG:4490', 'GCJ-02', 'BD-09'] as const

/** The features of a dry run, in the draft colour: they are not saved yet. */
/** A new community's boundary as drawn (or read from its file), before it is created. */
const BOUNDARY_LAYERS: LayerSpecification[] = [
  { id: 'import-boundary-fill', type: 'fill', source: 'import-boundary', paint: { 'fill-color': PLAN.draft, 'fill-opacity': 0.12 } },
  { id: 'import-boundary-line', type: 'line', source: 'import-boundary', paint: { 'line-color': PLAN.draft, 'line-width': 2.5, 'line-dasharray': [3, 2] } },
]

const PREVIEW_LAYERS: LayerSpecification[] = [
  { id: 'import-preview-fill', type: 'fill', source: 'import-preview', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': PLAN.draft, 'fill-opacity': 0.35 } },
  { id: 'import-preview-line', type: 'line', source: 'import-preview', filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': PLAN.draft, 'line-width': 2 } },
  { id: 'import-preview-points', type: 'circle', source: 'import-preview', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-color': PLAN.draft, 'circle-radius': 5, 'circle-stroke-color': '#1f1f1f', 'circle-stroke-width': 1 } },
]

export interface ImportPanelProps {
  community: Community
  map: MapLibreMap | null
  open: boolean
  onClose: () => void
  /** an import was written: the map's layers load again */
  onImported: () => void
  /** true while the map's clicks belong to the panel (drawing a boundary): the map selects nothing */
  onBusy: (busy: boolean) => void
}

export function ImportPanel({ community, map, open, onClose, onImported, onBusy }: ImportPanelProps) {
  const { t, lang } = useI18n()
  const session = useUser()
  const systemAdmin = session?.user.admin === true
  const [file, setFile] = useState<File | null>(null)
  const [layer, setLayer] = useState<ImportLayer>('buildings')
  const [crs, setCrs] = useState('EPSG:4326')
  const [encoding, setEncoding] = useState<ImportEncoding>('auto')
  const [source, setSource] = useState('import')
  const [busy, setBusy] = useState(false)
  const [report, setReport] = useState<ImportReport | ApiError | null>(null)
  const [done, setDone] = useState<ImportReport | null>(null)
  const [imports, setImports] = useState<ImportList | null>(null)
  const [listVersion, setListVersion] = useState(0)
  // the upload under way: its progress, and how to cancel it
  const [progress, setProgress] = useState<{ dryRun: boolean; at: UploadProgress } | null>(null)
  const [cancelled, setCancelled] = useState(false)
  const upload = useRef<AbortController | null>(null)
  // closing the panel (or leaving the community) cancels an upload
  useEffect(() => {
    if (open) return
    upload.current?.abort()
  }, [open, community.id])
  useEffect(() => () => upload.current?.abort(), [])

  useEffect(() => {
    if (!open) return
    const abort = new AbortController()
    fetchImports(community.id, abort.signal).then(setImports, () => setImports(null))
    return () => abort.abort()
  }, [community.id, open, listVersion])

  const preview = report !== null && !(report instanceof ApiError) && open ? (report.features as unknown as FeatureCollection) : null
  useOverlay(map, 'import-preview', PREVIEW_LAYERS, preview)
  // the map shows what the file holds
  useEffect(() => {
    if (map === null || preview === null || preview.features.length === 0) return
    const boxes = preview.features.filter((f) => f.geometry !== null).map((f) => featureBbox(f.geometry))
    const box: [number, number, number, number] = [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))]
    map.fitBounds(box, { padding: 40, maxZoom: 17, duration: 0 })
  }, [map, preview])

  const options = (dryRun: boolean) => ({ layer, crs, encoding, source, dryRun, lang })
  const send = async (dryRun: boolean) => {
    if (file === null) return
    setBusy(true)
    setDone(null)
    setCancelled(false)
    const abort = new AbortController()
    upload.current = abort
    setProgress({ dryRun, at: { phase: 'upload', loaded: 0, total: file.size } })
    try {
      const r = await importFile(community.id, file, options(dryRun), (at) => setProgress({ dryRun, at }), abort.signal)
      setReport(r)
      if (!dryRun && r.importId !== null) {
        setDone(r)
        setReport(null)
        setListVersion((v) => v + 1)
        onImported()
      }
    } catch (err) {
      if (err instanceof ApiError && err.code === 'aborted') {
        setReport(null)
        setCancelled(true)
      } else setReport(err instanceof ApiError ? err : new ApiError(0, 'network', String(err)))
    } finally {
      setBusy(false)
      setProgress(null)
      if (upload.current === abort) upload.current = null
    }
  }
  const checked = report !== null && !(report instanceof ApiError) && report.dryRun ? report : null

  if (!open) return null
  return (
    <section className="plan import dock-panel" data-testid="import" aria-labelledby="import-title">
      <PanelHead id="import-title" title={t('import.title')} closeLabel={t('import.close')} closeTestId="import-close" onClose={onClose} />

      <h3>{t('import.file.title', { community: lang === 'zh' ? community.nameZh || community.name : community.name })}</h3>
      <div className="plan-fields">
        <label className="plan-field">
          <span>{t('import.layer')}</span>
          <select value={layer} data-testid="import-layer" onChange={(e) => (setLayer(e.target.value as ImportLayer), setReport(null))}>
            {IMPORT_LAYERS.map((l) => (
              <option key={l} value={l}>
                {t(`import.layer.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="plan-field">
          <span>{t('import.file')}</span>
          <input type="file" accept=".geojson,.json,.csv,.txt,.xlsx,.zip,.gpkg" data-testid="import-file" onChange={(e) => (setFile(e.target.files?.[0] ?? null), setReport(null), setDone(null))} />
        </label>
        <label className="plan-field">
          <span>{t('import.crs')}</span>
          <input type="text" list="import-crs-choices" value={crs} data-testid="import-crs" onChange={(e) => (setCrs(e.target.value), setReport(null))} />
          <datalist id="import-crs-choices">
            {CRS_CHOICES.map((c) => (
              <option key={c} value={c}>
                {t(`import.crs.${c}`)}
              </option>
            ))}
          </datalist>
        </label>
        <label className="plan-field">
          <span>{t('import.encoding')}</span>
          <select value={encoding} data-testid="import-encoding" onChange={(e) => (setEncoding(e.target.value as ImportEncoding), setReport(null))}>
            {IMPORT_ENCODINGS.map((c) => (
              <option key={c} value={c}>
                {c === 'auto' ? t('import.encoding.auto') : c.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <label className="plan-field">
          <span>{t('import.source')}</span>
          <input type="text" value={source} maxLength={100} data-testid="import-source" title={t('import.source.help')} onChange={(e) => (setSource(e.target.value), setReport(null))} />
        </label>
      </div>
      <p className="analysis-note">{t('import.help')}</p>
      <div className="plan-actions">
        <button type="button" data-testid="import-check" disabled={file === null || busy} onClick={() => void send(true)}>
          {busy ? t('import.busy') : t('import.check')}
        </button>
        <button type="button" className="primary" data-testid="import-confirm" disabled={checked === null || checked.counts.rejected > 0 || checked.counts.valid === 0 || busy} onClick={() => void send(false)}>
          {t('import.confirm')}
        </button>
      </div>
      {progress !== null && <UploadBar dryRun={progress.dryRun} progress={progress.at} onCancel={() => upload.current?.abort()} />}
      {cancelled && (
        <p className="analysis-note" role="status" data-testid="import-cancelled">
          {t('import.cancelled')}
        </p>
      )}
      {report instanceof ApiError && <ApiErrorLine error={report} />}
      {report !== null && !(report instanceof ApiError) && <Report report={report} />}
      {done !== null && (
        <p className="import-done" role="status" data-testid="import-done">
          {t('import.done', { new: done.counts.new, changed: done.counts.changed, unchanged: done.counts.unchanged })}
        </p>
      )}

      {imports !== null && imports.imports.length > 0 && (
        <>
          <h3>{t('import.history')}</h3>
          <ul className="import-history" data-testid="import-history">
            {imports.imports.slice(0, 10).map((i) => (
              <li key={i.id}>
                <strong>{t(`import.layer.${i.layer as ImportLayer}`)}</strong> {i.fileName ?? '–'} · {formatDateTime(i.at, lang)} · {i.username ?? '–'} ·{' '}
                {t('import.counts.short', { new: i.counts.new, changed: i.counts.changed, unchanged: i.counts.unchanged })}
              </li>
            ))}
          </ul>
        </>
      )}

      {systemAdmin && <NewCommunity map={map} open={open} onBusy={onBusy} />}
    </section>
  )
}

/**
 * An upload under way: the bytes sent (a real progress bar, from the upload's progress events), then
 * the server reading and checking the file. Cancel aborts the request while the file is sent — the
 * server imports nothing it has not received whole — and a dry run also while the server reads it;
 * a confirmed import the server is writing runs to its end (all or nothing), so it is not offered then.
 */
function UploadBar({ dryRun, progress, onCancel }: { dryRun: boolean; progress: UploadProgress; onCancel: () => void }) {
  const { t, lang } = useI18n()
  const size = (bytes: number) => (bytes < 1024 * 1024 ? `${formatNumber(Math.ceil(bytes / 1024), lang)} KB` : `${formatNumber(bytes / 1024 / 1024, lang, 1)} MB`)
  const uploading = progress.phase === 'upload'
  const pct = uploading && progress.total > 0 ? Math.min(100, Math.round((progress.loaded / progress.total) * 100)) : null
  return (
    <div className="import-progress" role="status" data-testid="import-progress" data-phase={progress.phase} data-pct={pct ?? ''}>
      {uploading ? <progress max={progress.total || 1} value={progress.loaded} /> : <progress />}
      <span>
        {uploading
          ? t('import.progress.upload', { pct: pct ?? 0, loaded: size(progress.loaded), total: size(progress.total) })
          : t(dryRun ? 'import.progress.processing' : 'import.progress.writing')}
      </span>
      {(uploading || dryRun) && (
        <button type="button" data-testid="import-cancel" onClick={onCancel}>
          {t('import.cancel')}
        </button>
      )}
    </div>
  )
}

/** A dry run's or a refused import's report: the counts, the rejected rows, the warnings. */
function Report({ report }: { report: ImportReport }) {
  const { t } = useI18n()
  const c = report.counts
  return (
    <div className="import-report" data-testid="import-report" data-rejected={c.rejected} data-valid={c.valid}>
      <p className={c.rejected > 0 ? 'plan-note' : 'import-ok'}>
        {report.dryRun ? t('import.report.dry', { read: c.read, valid: c.valid, rejected: c.rejected }) : t('import.report.refused', { rejected: c.rejected })}
      </p>
      <p className="analysis-note">
        {t('import.report.counts', { new: c.new, changed: c.changed, unchanged: c.unchanged })} · {report.format.toUpperCase()}
        {report.encoding ? ` · ${report.encoding.toUpperCase()}` : ''} · {report.crs}
      </p>
      {report.rejected.length > 0 && (
        <table className="people-table import-rejected" data-testid="import-rejected">
          <thead>
            <tr>
              <th scope="col">{t('import.row')}</th>
              <th scope="col">{t('import.column')}</th>
              <th scope="col">{t('import.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {report.rejected.map((r, k) => (
              <tr key={k}>
                <td className="num">{r.row}</td>
                <td>{r.column ?? '–'}</td>
                <td>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.warnings.length > 0 && (
        <ul className="import-warnings">
          {report.warnings.map((w, k) => (
            <li key={k}>
              {w.row > 0 ? `${t('import.row')} ${w.row}: ` : ''}
              {w.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** The rectangle of what the map shows, as a GeoJSON polygon. */
function viewPolygon(map: MapLibreMap) {
  const b = map.getBounds()
  const [w, s, e, n] = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
  return { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] }
}

/** The first polygon of a GeoJSON file (a FeatureCollection, a Feature or a bare geometry). */
async function boundaryOf(file: File): Promise<unknown> {
  const doc = JSON.parse(await file.text()) as { type?: string; features?: { geometry?: { type?: string } }[]; geometry?: { type?: string } }
  const geometries = doc.type === 'FeatureCollection' ? (doc.features ?? []).map((f) => f.geometry) : doc.type === 'Feature' ? [doc.geometry] : [doc]
  const polygon = geometries.find((g) => g?.type === 'Polygon' || g?.type === 'MultiPolygon')
  if (!polygon) throw new Error('no polygon')
  return polygon
}

/** System administrators: a new, empty community — its boundary drawn on the map, read from a file, or the map's view; then the app opens it. */
function NewCommunity({ map, open, onBusy }: { map: MapLibreMap | null; open: boolean; onBusy: (busy: boolean) => void }) {
  const { t, lang } = useI18n()
  const [id, setId] = useState('')
  const [nameZh, setNameZh] = useState('')
  const [name, setName] = useState('')
  const timeZone0 = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, [])
  const [timeZone, setTimeZone] = useState(timeZone0)
  const [boundary, setBoundary] = useState<{ geometry: Polygon | MultiPolygon; from: 'drawn' | 'file' } | null>(null)
  const [drawingWanted, setDrawing] = useState(false)
  // (a closed panel draws nothing, and leaves the map's clicks to the map)
  const drawing = drawingWanted && open
  useEffect(() => {
    onBusy(drawing)
    return () => onBusy(false)
  }, [drawing, onBusy])
  const [error, setError] = useState<ApiError | string | null>(null)
  const [busy, setBusy] = useState(false)
  usePlanDraw(map, drawing ? { kind: 'polygon' } : null, {
    prefix: 'import-boundary-draw',
    onShape: () => {},
    onDone: (g) => {
      if (g.type !== 'Polygon') return
      setBoundary({ geometry: g, from: 'drawn' })
      setDrawing(false)
    },
  })
  const shown = useMemo<FeatureCollection | null>(() => (boundary === null || drawing ? null : { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: boundary.geometry }] }), [boundary, drawing])
  useOverlay(map, 'import-boundary', BOUNDARY_LAYERS, shown)
  const readBoundary = async (file: File | null) => {
    setError(null)
    if (file === null) return setBoundary(null)
    try {
      const geometry = (await boundaryOf(file)) as Polygon | MultiPolygon
      setBoundary({ geometry, from: 'file' })
      if (map !== null) map.fitBounds(featureBbox(geometry), { padding: 40, duration: 0 })
    } catch {
      setBoundary(null)
      setError(t('import.community.noPolygon'))
    }
  }
  const create = async () => {
    setBusy(true)
    setError(null)
    try {
      const shape = boundary?.geometry ?? (map !== null ? viewPolygon(map) : undefined)
      const c = await createCommunity({ id: id.trim(), name: name.trim() || nameZh.trim(), nameZh: nameZh.trim() || null, timeZone: timeZone.trim(), boundary: shape })
      // open the new community, with this panel
      window.location.assign(`${window.location.pathname}?community=${encodeURIComponent(c.id)}&panels=import`)
    } catch (err) {
      setError(err instanceof ApiError ? err : String(err))
    } finally {
      setBusy(false)
    }
  }
  const km2 = boundary === null ? null : turfArea(boundary.geometry) / 1e6
  return (
    <details className="import-new" data-testid="import-new-community">
      <summary>{t('import.community.title')}</summary>
      <div className="plan-fields">
        <label className="plan-field">
          <span>{t('import.community.id')}</span>
          <input type="text" value={id} placeholder="tongyu" pattern="[a-z0-9][a-z0-9-]{1,62}" data-testid="import-community-id" onChange={(e) => setId(e.target.value)} />
        </label>
        <label className="plan-field">
          <span>{t('import.community.nameZh')}</span>
          <input type="text" value={nameZh} data-testid="import-community-name-zh" onChange={(e) => setNameZh(e.target.value)} />
        </label>
        <label className="plan-field">
          <span>{t('import.community.name')}</span>
          <input type="text" value={name} data-testid="import-community-name" onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="plan-field">
          <span>{t('import.community.timeZone')}</span>
          <input type="text" value={timeZone} data-testid="import-community-tz" onChange={(e) => setTimeZone(e.target.value)} />
        </label>
        <label className="plan-field">
          <span>{t('import.community.boundary')}</span>
          <input type="file" accept=".geojson,.json" data-testid="import-community-boundary" onChange={(e) => void readBoundary(e.target.files?.[0] ?? null)} />
        </label>
      </div>
      <div className="plan-actions">
        <button type="button" aria-pressed={drawing} data-testid="import-community-draw" disabled={map === null} onClick={() => setDrawing((d) => !d)}>
          {drawing ? t('import.community.drawCancel') : t('import.community.draw')}
        </button>
        {boundary !== null && !drawing && (
          <button type="button" data-testid="import-community-clear" onClick={() => setBoundary(null)}>
            {t('import.community.clear')}
          </button>
        )}
      </div>
      <p className="analysis-note" data-testid="import-community-boundary-state">
        {drawing
          ? t('import.community.drawing')
          : boundary !== null && km2 !== null
            ? t(boundary.from === 'drawn' ? 'import.community.drawn' : 'import.community.fromFile', { area: formatNumber(km2, lang, 2) })
            : t('import.community.help')}
      </p>
      <div className="plan-actions">
        <button type="button" className="primary" data-testid="import-community-create" disabled={busy || id.trim() === '' || (name.trim() === '' && nameZh.trim() === '')} onClick={() => void create()}>
          {t('import.community.create')}
        </button>
      </div>
      {error instanceof ApiError ? <ApiErrorLine error={error} /> : error !== null && <p className="plan-note">{error}</p>}
    </details>
  )
}
