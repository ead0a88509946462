/**
 * The planning panel (issue 11), for planners and administrators: draw new routes and zones,
 * reshape, split and merge zones, set teams, reach, shifts and grid workers, give captains their
 * buildings by clicking or lassoing them — all as a draft, whose effect on coverage and gaps the
 * server computes with the real SQL (applied and rolled back) and shows beside today's, until the
 * planner saves it as one transaction. Someone else's save meanwhile is shown as a conflict to
 * resolve (take theirs, or apply this change on top of theirs); overlaps the server refuses are
 * drawn on the map.
 *
 * The item being edited follows the map's selection (a zone, route or captain clicked, searched or
 * chosen in the coverage panel); teams are chosen in the panel. Progress for tests and scripts is
 * `data-state` on its root (idle, drawing, previewing, previewed, saving, saved, conflict, error) and
 * `data-draft` (the number of changes).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { LineString, Polygon, MultiPolygon } from 'geojson'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { booleanPointInPolygon, centroid } from '@turf/turf'
import type { PlanEntity } from '../../../server/src/contract'
import { fetchLayer, type Community } from '../api'
import { useI18n, type MessageKey } from '../i18n'
import { ApiError, errorCodeKey } from '../lib/api-error'
import type { TeamColor } from '../lib/palette'
import { buildingsFill } from '../map/layers'
import { useMapPick } from '../map/useMapPick'
import type { Selection } from '../map/selection'
import { PanelHead } from '../ui/Dock'
import { Missing, useMissing } from '../ui/Empty'
import { fetchRow, previewPlan, savePlan, type EditAnswer, type PlanPreview, type PlanRow } from './api'
import { addChange, changeOf, failedChange, newKey, putChange, rebase, removeChange, rowKey, type Draft, type DraftChange } from './draft'
import { ItemEditor, type EditTarget } from './ItemEditor'
import { lineMetres, mergeZones, newRow, nextZoneCode, reachOf, splitZone, DEFAULT_REACH_M } from './model'
import { PreviewView, warningKey, warningParams } from './PreviewView'
import { usePlanDraw, type DrawTool } from './usePlanDraw'
import { usePlanLayers, type PlanLayerData } from './usePlanLayers'
import './plan.css'

export interface PlanPanelProps {
  community: Community
  map: MapLibreMap | null
  open: boolean
  onClose: () => void
  /** the app's shared filters (hours and weekdays: the window the preview compares) */
  filterParams: URLSearchParams
  teams: readonly TeamColor[]
  /** what is selected on the map: the zone, route or captain to edit */
  selection: Selection | null
  onSelect: (selection: Selection | null) => void
  /** the captain load limit (coverage settings) */
  maxBuildings: number
  /** true while the map's clicks belong to the panel (drawing, picking buildings): the map selects nothing */
  onBusy: (busy: boolean) => void
  /** after a save: the map and the other panels reload */
  onSaved: () => void
}

/** What the drawing on the map is for. */
type Purpose = 'newRoute' | 'newZone' | 'reshape' | 'split' | 'lasso'

type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; answers: EditAnswer[] } | { kind: 'error'; error: ApiError; change: DraftChange | null }

const PREVIEW_DEBOUNCE_MS = 600

const asError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, 'network', String(e)))

export function PlanPanel(props: PlanPanelProps) {
  const { community, map, open, onClose, filterParams, teams, selection, onSelect, maxBuildings, onBusy, onSaved } = props
  const { t, lang } = useI18n()
  const [draft, setDraft] = useState<Draft>([])
  // an empty community: no zones to edit yet (the panel offers to draw the first)
  const noZones = useMissing('zones')
  const [target, setTarget] = useState<EditTarget | null>(null)
  const [tool, setTool] = useState<{ draw: DrawTool; purpose: Purpose } | null>(null)
  const [shape, setShape] = useState<LineString | Polygon | null>(null)
  const [picking, setPicking] = useState(false)
  const [note, setNote] = useState<MessageKey | null>(null)
  const [save, setSave] = useState<SaveState>({ kind: 'idle' })
  const [zoneCodes, setZoneCodes] = useState<{ id: number; code: string; name: string }[]>([])
  const rows = useRef(new Map<string, PlanRow>())
  // What a drawing made, for the editor of the item to use (it knows the item's current values).
  const [lasso, setLasso] = useState<Polygon | null>(null)
  const [splitCut, setSplitCut] = useState<Polygon | null>(null)
  const [reshaped, setReshaped] = useState<LineString | Polygon | null>(null)

  // The zones' codes (a new zone's code, the zones to merge with), again after each save.
  const [loadedAt, setLoadedAt] = useState(0)
  useEffect(() => {
    if (!open) return
    const abort = new AbortController()
    fetchLayer(community.id, 'zones', lang, abort.signal).then(
      (fc) => setZoneCodes(fc.features.map((f) => ({ id: f.properties.id, code: f.properties.code, name: f.properties.name })).sort((a, b) => a.code.localeCompare(b.code))),
      () => {},
    )
    return () => abort.abort()
  }, [open, community.id, lang, loadedAt])

  // The item to edit follows the selection on the map.
  const selected = selection !== null && (selection.kind === 'zone' || selection.kind === 'route' || selection.kind === 'captain') ? { entity: selection.kind, id: selection.id } : null
  const selectedKey = selected === null ? null : rowKey(selected.entity, selected.id)
  useEffect(() => {
    if (!open || selected === null) return
    setTarget({ key: rowKey(selected.entity, selected.id), entity: selected.entity, id: selected.id })
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the key names the selection
  }, [open, selectedKey])

  const busy = open && (tool !== null || picking)
  useEffect(() => onBusy(busy), [busy, onBusy])
  useEffect(() => {
    if (!open) {
      setTool(null)
      setPicking(false)
    }
  }, [open])

  /** The row `entity` `id` as saved (read once per draft; a conflict or a save reads it again). */
  const loadRow = useCallback(
    async (entity: PlanEntity, id: number): Promise<PlanRow> => {
      const key = rowKey(entity, id)
      const known = rows.current.get(key)
      if (known !== undefined) return known
      const row = await fetchRow(community.id, entity, id)
      rows.current.set(key, row)
      return row
    },
    [community.id],
  )

  const edit = useCallback((change: DraftChange | null, key: string) => {
    setDraft((d) => putChange(d, key, change))
    setSave({ kind: 'idle' })
  }, [])

  // ---- drawing on the map
  const onShape = useCallback((g: LineString | Polygon) => setShape(g), [])
  const onDone = useCallback(
    (g: LineString | Polygon) => {
      if (tool === null) return
      const purpose = tool.purpose
      setTool(null)
      setShape(null)
      if (purpose === 'newRoute' && g.type === 'LineString') {
        const key = newKey(draft)
        const n = draft.filter((c) => c.entity === 'route' && c.id === undefined).length + 1
        const name = t('plan.new.routeName', { n })
        setDraft((d) => [...d, { key, entity: 'route', set: newRow('route', { name, geometry: g, teamId: teams[0]?.id ?? null }), label: name }])
        setTarget({ key, entity: 'route' })
      } else if (purpose === 'newZone' && g.type === 'Polygon') {
        const key = newKey(draft)
        const code = nextZoneCode([...zoneCodes.map((z) => z.code), ...draft.filter((c) => c.entity === 'zone').map((c) => String(c.set.code ?? ''))])
        const name = t('plan.new.zoneName', { code })
        setDraft((d) => [...d, { key, entity: 'zone', set: newRow('zone', { name, code, geometry: g }), label: code }])
        setTarget({ key, entity: 'zone' })
      } else if (purpose === 'lasso' && g.type === 'Polygon' && map !== null) {
        setLasso(g)
      } else if (purpose === 'split' && g.type === 'Polygon') {
        setSplitCut(g)
      }
    },
    [tool, draft, t, teams, zoneCodes, map],
  )
  usePlanDraw(open ? map : null, tool?.draw ?? null, { onShape, onDone })

  const startDrawing = (purpose: Purpose, draw: DrawTool) => {
    setPicking(false)
    setShape(null)
    setNote(null)
    setTool({ purpose, draw })
  }
  const stopDrawing = () => {
    setTool(null)
    setShape(null)
  }

  // ---- picking buildings for a captain by clicking them
  const [pickToggle, setPickToggle] = useState<{ id: number; n: number } | null>(null)
  // each click counts (the same building twice toggles twice)
  const clicks = useRef(0)
  useMapPick(map, picking, (e) => {
    const [f] = map!.queryRenderedFeatures(e.point, { layers: [buildingsFill.id] })
    if (f !== undefined) setPickToggle({ id: Number(f.properties.id), n: ++clicks.current })
  })

  /** The buildings drawn on screen inside a lasso (by their centre). */
  const buildingsIn = useCallback(
    (poly: Polygon): number[] => {
      if (map === null) return []
      const ids = new Set<number>()
      for (const f of map.queryRenderedFeatures({ layers: [buildingsFill.id] })) {
        if (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon') continue
        if (booleanPointInPolygon(centroid(f.geometry), poly)) ids.add(Number(f.properties.id))
      }
      return [...ids]
    },
    [map],
  )

  // ---- zone tools: merge with another zone (the other is deleted first, then this one grows over it)
  const mergeWith = async (zone: { key: string; id?: number; geometry: Polygon | MultiPolygon; label: string }, otherId: number) => {
    try {
      const other = await loadRow('zone', otherId)
      const geometry = mergeZones(zone.geometry, other.geometry as Polygon | MultiPolygon)
      if (geometry === null) return setNote('plan.zone.mergeFailed')
      setDraft((d) => {
        const mine = changeOf(d, zone.key)
        let next = addChange(removeChange(d, zone.key), { key: rowKey('zone', otherId), entity: 'zone', id: otherId, version: other.version, delete: true, set: {}, label: String(other.code) })
        next = addChange(next, { key: zone.key, entity: 'zone', ...(zone.id !== undefined ? { id: zone.id, version: mine?.version ?? rows.current.get(zone.key)?.version } : {}), set: { ...(mine?.set ?? {}), geometry }, label: zone.label })
        return next
      })
    } catch (e) {
      setSave({ kind: 'error', error: asError(e), change: null })
    }
  }
  const split = (zone: { key: string; id?: number; geometry: Polygon | MultiPolygon; set: Record<string, unknown>; label: string; version?: number }, cut: Polygon) => {
    const parts = splitZone(zone.geometry, cut)
    if (parts === null) return setNote('plan.zone.splitFailed')
    setDraft((d) => {
      const next = putChange(d, zone.key, { key: zone.key, entity: 'zone', ...(zone.id !== undefined ? { id: zone.id, version: zone.version } : {}), set: { ...zone.set, geometry: parts.kept }, label: zone.label })
      const code = nextZoneCode([...zoneCodes.map((z) => z.code), ...next.filter((c) => c.entity === 'zone').map((c) => String(c.set.code ?? ''))])
      const key = newKey(next)
      setTarget({ key, entity: 'zone' })
      return [...next, { key, entity: 'zone', set: { ...newRow('zone', { name: t('plan.new.zoneName', { code }), code, geometry: parts.split }), teamId: zone.set.teamId ?? null }, label: code }]
    })
  }

  // ---- the preview: the draft's effect, computed by the server
  const [preview, setPreview] = useState<{ key: string; value: PlanPreview } | { key: string; error: ApiError } | null>(null)
  const previewKey = draft.length === 0 ? null : `${JSON.stringify(draft.map((c) => [c.key, c.version, c.delete, c.set]))}?${filterParams.toString()}&${lang}`
  useEffect(() => {
    if (!open || previewKey === null) return
    const abort = new AbortController()
    const timer = window.setTimeout(() => {
      previewPlan(community.id, draft, filterParams, lang, abort.signal).then(
        (value) => setPreview({ key: previewKey, value }),
        (e: unknown) => {
          if (!abort.signal.aborted) setPreview({ key: previewKey, error: asError(e) })
        },
      )
    }, PREVIEW_DEBOUNCE_MS)
    return () => {
      window.clearTimeout(timer)
      abort.abort()
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the key names the draft and the window
  }, [open, previewKey])
  const currentPreview = preview !== null && preview.key === previewKey ? preview : null

  // ---- saving
  const saveDraft = async () => {
    setSave({ kind: 'saving' })
    try {
      const answers = await savePlan(community.id, draft)
      setDraft([])
      rows.current.clear()
      setSave({ kind: 'saved', answers })
      setLoadedAt((n) => n + 1)
      onSaved()
      // a new row saved is edited on as itself
      if (target !== null && target.id === undefined) {
        const i = draft.findIndex((c) => c.key === target.key)
        const saved = answers[i]
        if (saved !== undefined) setTarget({ key: rowKey(saved.entity, saved.id), entity: saved.entity, id: saved.id })
      }
    } catch (e) {
      const error = asError(e)
      setSave({ kind: 'error', error, change: failedChange(draft, error.details) })
    }
  }
  /** The conflicting row as saved now (a version conflict's details.current). */
  const conflict = save.kind === 'error' && save.error.code === 'version_conflict' && save.change !== null ? { change: save.change, current: (save.error.details as { current?: PlanRow }).current ?? null } : null
  const takeTheirs = () => {
    if (conflict === null) return
    if (conflict.current !== null) rows.current.set(conflict.change.key, conflict.current)
    else rows.current.delete(conflict.change.key)
    setDraft((d) => removeChange(d, conflict.change.key))
    setSave({ kind: 'idle' })
    setLoadedAt((n) => n + 1)
  }
  const applyMine = () => {
    if (conflict?.current == null) return
    rows.current.set(conflict.change.key, conflict.current)
    setDraft((d) => rebase(d, conflict.change.key, conflict.current!.version))
    setSave({ kind: 'idle' })
  }

  // ---- the map: the draft's shapes, the reach being drawn, the preview's coverage, overlaps refused
  const targetChange = target === null ? undefined : changeOf(draft, target.key)
  const reachM = Number(targetChange?.set.reachM ?? (target !== null ? rows.current.get(target.key)?.reachM : undefined) ?? DEFAULT_REACH_M)
  const layerData = useMemo((): PlanLayerData | null => {
    if (!open) return null
    const shapes: PlanLayerData['shapes'] = []
    for (const c of draft) {
      const g = c.set.geometry as LineString | Polygon | MultiPolygon | undefined
      if (g !== undefined && !c.delete && !(tool !== null && tool.purpose === 'reshape' && c.key === target?.key)) shapes.push({ type: 'Feature', geometry: g, properties: { role: 'draft' } })
    }
    const line = shape?.type === 'LineString' ? shape : tool === null && targetChange?.entity === 'route' ? (targetChange.set.geometry as LineString | undefined) : undefined
    const reach = line !== undefined && (tool === null || tool.draw.kind !== 'polygon') ? reachOf(line, reachM) : null
    if (reach !== null) shapes.push({ ...reach, properties: { role: 'reach' } })
    const error = save.kind === 'error' ? save.error : currentPreview !== null && 'error' in currentPreview ? currentPreview.error : null
    if (error?.code === 'zones_overlap')
      for (const z of (error.details as { zones?: { overlap: Polygon | MultiPolygon }[] }).zones ?? []) shapes.push({ type: 'Feature', geometry: z.overlap, properties: { role: 'overlap' } })
    const warnings = currentPreview !== null && 'value' in currentPreview ? currentPreview.value.changes.flatMap((c) => c.warnings) : []
    for (const w of warnings)
      if (w.code === 'boundary_uncovered' && (w.details as { uncovered?: unknown }).uncovered)
        shapes.push({ type: 'Feature', geometry: (w.details as { uncovered: Polygon }).uncovered, properties: { role: 'uncovered' } })
    const picked = targetChange?.entity === 'captain' || (target?.entity === 'captain' && picking) ? ((targetChange?.set.buildingIds as number[] | undefined) ?? (rows.current.get(target!.key)?.buildingIds as number[] | undefined) ?? []) : []
    const change = currentPreview !== null && 'value' in currentPreview ? currentPreview.value.differences.coverage : null
    const previewCoverage: PlanLayerData['preview'] =
      change === null
        ? null
        : {
            type: 'FeatureCollection',
            features: (['added', 'removed'] as const).flatMap((kind) => (change[kind] === null ? [] : [{ type: 'Feature' as const, geometry: change[kind].geometry, properties: { kind } }])),
          }
    return { shapes, preview: previewCoverage, picked }
  }, [open, draft, tool, target, shape, reachM, targetChange, save, currentPreview, picking])
  usePlanLayers(map, layerData)

  if (!open) return null

  const state =
    save.kind === 'saving'
      ? 'saving'
      : conflict !== null
        ? 'conflict'
        : save.kind === 'error'
          ? 'error'
          : tool !== null
            ? 'drawing'
            : draft.length > 0
              ? currentPreview === null
                ? 'previewing'
                : 'previewed'
              : save.kind === 'saved'
                ? 'saved'
                : 'idle'
  const measure = shape === null ? null : shape.type === 'LineString' ? t('plan.measure.length', { m: Math.round(lineMetres(shape)) }) : null

  return (
    <section className="plan dock-panel" data-testid="plan" data-state={state} data-draft={draft.length} aria-labelledby="plan-title">
      <PanelHead id="plan-title" title={t('plan.title')} closeLabel={t('plan.close')} closeTestId="plan-close" onClose={onClose} />
      {noZones && tool === null && !draft.some((c) => c.entity === 'zone') && (
        <Missing what="zones" because={t('empty.plan')}>
          <button type="button" className="secondary" data-testid="empty-plan-draw" onClick={() => startDrawing('newZone', { kind: 'polygon' })}>
            {t('empty.plan.draw')}
          </button>
        </Missing>
      )}

      {tool !== null ? (
        <div className="plan-drawing" role="status" data-testid="plan-drawing" data-purpose={tool.purpose}>
          <p>{t(DRAW_HINTS[tool.purpose])}</p>
          {measure !== null && <p className="plan-measure" data-testid="plan-measure">{measure}</p>}
          {tool.purpose === 'reshape' ? (
            <div className="plan-actions">
              <button
                type="button"
                className="primary"
                data-testid="plan-reshape-done"
                onClick={() => {
                  if (shape !== null) setReshaped(shape)
                  stopDrawing()
                }}
              >
                {t('plan.reshape.done')}
              </button>
              <button type="button" onClick={stopDrawing}>
                {t('plan.cancel')}
              </button>
            </div>
          ) : (
            <div className="plan-actions">
              <button type="button" data-testid="plan-draw-cancel" onClick={stopDrawing}>
                {t('plan.cancel')}
              </button>
            </div>
          )}
        </div>
      ) : (
        <div className="plan-new" role="group" aria-label={t('plan.new')}>
          <button type="button" data-testid="plan-new-route" onClick={() => startDrawing('newRoute', { kind: 'line', snap: true })}>
            {t('plan.new.route')}
          </button>
          <button type="button" data-testid="plan-new-zone" onClick={() => startDrawing('newZone', { kind: 'polygon' })}>
            {t('plan.new.zone')}
          </button>
          <button
            type="button"
            data-testid="plan-new-captain"
            onClick={() => {
              const key = newKey(draft)
              const name = t('plan.new.captainName', { n: draft.filter((c) => c.entity === 'captain' && c.id === undefined).length + 1 })
              setDraft((d) => [...d, { key, entity: 'captain', set: newRow('captain', { name }), label: name }])
              setTarget({ key, entity: 'captain' })
            }}
          >
            {t('plan.new.captain')}
          </button>
        </div>
      )}
      {note !== null && (
        <p className="analysis-note plan-note" role="alert">
          {t(note)}
        </p>
      )}

      <TeamList
        teams={teams}
        draft={draft}
        onEdit={(id) => setTarget({ key: rowKey('team', id), entity: 'team', id })}
        onNew={() => {
          const key = newKey(draft)
          const name = t('plan.new.teamName', { n: draft.filter((c) => c.entity === 'team' && c.id === undefined).length + 1 })
          setDraft((d) => [...d, { key, entity: 'team', set: newRow('team', { name }), label: name }])
          setTarget({ key, entity: 'team' })
        }}
      />

      {target !== null && (
        <ItemEditor
          key={target.key}
          community={community}
          target={target}
          draft={draft}
          teams={teams}
          zones={zoneCodes}
          maxBuildings={maxBuildings}
          loadRow={loadRow}
          onChange={edit}
          drawing={tool !== null}
          picking={picking}
          onPicking={(on) => {
            setTool(null)
            setPicking(on)
          }}
          pickToggle={pickToggle}
          lasso={lasso}
          onLassoUsed={() => setLasso(null)}
          buildingsIn={buildingsIn}
          splitCut={splitCut}
          onSplitCutUsed={() => setSplitCut(null)}
          reshaped={reshaped}
          onReshapedUsed={() => setReshaped(null)}
          onDraw={(purpose, draw) => startDrawing(purpose, draw)}
          onSplit={split}
          onMerge={mergeWith}
          onClose={() => {
            setTarget(null)
            setPicking(false)
            if (selection !== null && target.id !== undefined) onSelect(null)
          }}
          generation={loadedAt}
          onSaved={(key) => {
            // a revert saved a change outside the draft: the row, the map and the panels load again
            rows.current.delete(key)
            setLoadedAt((n) => n + 1)
            onSaved()
          }}
          onTarget={({ entity, id, teamId }) => {
            if (id !== undefined) return setTarget({ key: rowKey(entity, id), entity, id })
            const key = newKey(draft)
            const name = t('plan.new.memberName', { n: draft.filter((c) => c.entity === 'member' && c.id === undefined).length + 1 })
            setDraft((d) => [...d, { key, entity: 'member', set: newRow('member', { name, teamId: teamId ?? null }), label: name }])
            setTarget({ key, entity: 'member' })
          }}
        />
      )}

      <DraftList draft={draft} target={target} onTarget={(c) => setTarget({ key: c.key, entity: c.entity, ...(c.id !== undefined ? { id: c.id } : {}) })} onRemove={(key) => setDraft((d) => removeChange(d, key))} />

      {draft.length > 0 && <PreviewView filterParams={filterParams} preview={currentPreview} />}

      <div className="plan-save" aria-live="polite">
        {conflict !== null && (
          <div className="analysis-error plan-conflict" role="alert" data-testid="plan-conflict">
            <strong>{t('plan.conflict.title', { item: conflict.change.label })}</strong>
            <p>{conflict.current === null ? t('plan.conflict.deleted') : t('plan.conflict.text', { version: conflict.current.version })}</p>
            <div className="plan-actions">
              <button type="button" data-testid="plan-conflict-theirs" onClick={takeTheirs}>
                {t('plan.conflict.theirs')}
              </button>
              {conflict.current !== null && (
                <button type="button" data-testid="plan-conflict-mine" onClick={applyMine}>
                  {t('plan.conflict.mine')}
                </button>
              )}
            </div>
          </div>
        )}
        {save.kind === 'error' && conflict === null && (
          <div className="analysis-error" role="alert" data-testid="plan-error" data-error-code={save.error.code}>
            <strong>{t('plan.save.failed')}</strong> {save.error.code === 'network' ? t('error.network') : t(errorCodeKey(save.error.code), { status: save.error.status })}
            {save.error.message && <small className="plan-error-detail">{save.error.message}</small>}
          </div>
        )}
        {save.kind === 'saved' && (
          <p className="plan-saved" data-testid="plan-saved">
            {t('plan.save.done', { n: save.answers.length })}
            {save.answers.flatMap((a) => a.warnings).map((w, i) => (
              <small key={i} className="plan-warning" data-code={w.code}>
                {t(warningKey(w.code), warningParams(w.details))}
              </small>
            ))}
          </p>
        )}
        <div className="plan-actions">
          <button type="button" className="primary" data-testid="plan-save" disabled={draft.length === 0 || save.kind === 'saving'} onClick={() => void saveDraft()}>
            {save.kind === 'saving' ? t('plan.save.saving') : draft.length === 0 ? t('plan.save.nothing') : t('plan.save', { n: draft.length })}
          </button>
          <button
            type="button"
            data-testid="plan-discard"
            disabled={draft.length === 0}
            onClick={() => {
              setDraft([])
              setSave({ kind: 'idle' })
            }}
          >
            {t('plan.discard')}
          </button>
        </div>
      </div>
    </section>
  )
}

const DRAW_HINTS: Record<Purpose, MessageKey> = {
  newRoute: 'plan.draw.route',
  newZone: 'plan.draw.zone',
  reshape: 'plan.draw.reshape',
  split: 'plan.draw.split',
  lasso: 'plan.draw.lasso',
}

/** The patrol teams, to edit one or add one. */
function TeamList({ teams, draft, onEdit, onNew }: { teams: readonly TeamColor[]; draft: Draft; onEdit: (id: number) => void; onNew: () => void }) {
  const { t } = useI18n()
  return (
    <details className="plan-teams" data-testid="plan-teams">
      <summary>{t('plan.teams', { n: teams.length })}</summary>
      <ul>
        {teams.map((team) => (
          <li key={team.id}>
            <span className="plan-team-swatch" style={{ background: team.color }} aria-hidden="true" />
            <button type="button" className="link" onClick={() => onEdit(team.id)}>
              {team.name}
            </button>
            {changeOf(draft, rowKey('team', team.id)) !== undefined && <span className="plan-badge">{t('plan.draft.changed')}</span>}
          </li>
        ))}
      </ul>
      <button type="button" data-testid="plan-new-team" onClick={onNew}>
        {t('plan.new.team')}
      </button>
    </details>
  )
}

/** The changes of the draft, in the order they will be saved. */
function DraftList({ draft, target, onTarget, onRemove }: { draft: Draft; target: EditTarget | null; onTarget: (c: DraftChange) => void; onRemove: (key: string) => void }) {
  const { t } = useI18n()
  if (draft.length === 0) return <p className="analysis-note" data-testid="plan-draft-empty">{t('plan.draft.empty')}</p>
  return (
    <>
      <h3>{t('plan.draft.title', { n: draft.length })}</h3>
      <ol className="plan-draft" data-testid="plan-draft">
        {draft.map((c) => (
          <li key={c.key} data-key={c.key} className={c.key === target?.key ? 'plan-current' : undefined}>
            <button type="button" className="link" onClick={() => onTarget(c)}>
              {t(`plan.entity.${c.entity}` as MessageKey)} {c.label}
            </button>
            <span className="plan-badge">{t(c.delete ? 'plan.draft.deleted' : c.id === undefined ? 'plan.draft.new' : 'plan.draft.changed')}</span>
            {!c.delete && c.id !== undefined && <small className="muted"> {Object.keys(c.set).map((f) => t(fieldLabel(f))).join(', ')}</small>}
            <button type="button" className="plan-remove" aria-label={t('plan.draft.remove', { item: c.label })} title={t('plan.draft.remove', { item: c.label })} onClick={() => onRemove(c.key)}>
              ×
            </button>
          </li>
        ))}
      </ol>
    </>
  )
}

/** The label of a field (its form label). */
export function fieldLabel(field: string): MessageKey {
  return `plan.field.${field}` as MessageKey
}
