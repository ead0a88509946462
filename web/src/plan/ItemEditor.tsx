/**
 * The form of one zone, route, team or captain in the planning panel: its names in Chinese and
 * English, and what it is for — a zone's grid worker, team and shape (reshape, split, merge); a
 * route's team, reach, shifts and line; a team's kind, headcount, phone and whether it is active; a
 * captain's phone, whether active, and buildings (clicked or lassoed on the map, with the load
 * against the limit as they are picked). Every edit goes into the draft at once as the fields that
 * differ from the saved row; the history below says who changed the row before.
 */
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import type { LineString, MultiPolygon, Polygon } from 'geojson'
import { TEAM_KINDS, type PlanEntity, type TeamKind } from '../../../server/src/contract'
import type { Community } from '../api'
import { useI18n, type MessageKey } from '../i18n'
import { ApiError, errorCodeKey } from '../lib/api-error'
import type { TeamColor } from '../lib/palette'
import { fetchHistory, fetchRoster, revertChange, snapRoute, type AuditEntry, type PlanRow, type Roster } from './api'
import { PatrolLogSection, RosterSection } from './Extras'
import { changedFields, changeOf, type Draft, type DraftChange } from './draft'
import { areaM2, cleanNames, editablePolygon, FORM_FIELDS, formValues, lineMetres, parseClock, recordedName, type Names } from './model'
import type { DrawTool } from './usePlanDraw'
import { fieldLabel } from './PlanPanel'

/** The item a form edits: a saved row (`id`) or one the draft creates (`key` new:n). */
export interface EditTarget {
  key: string
  entity: PlanEntity
  id?: number
}

interface Shift {
  days: number[]
  start: string
  end: string
}

/** Shifts offered with one click: day, evening and night (the night one runs past midnight). */
const SHIFT_PRESETS: { label: MessageKey; shift: Shift }[] = [
  { label: 'plan.shift.preset.day', shift: { days: [1, 2, 3, 4, 5, 6, 7], start: '08:00', end: '18:00' } },
  { label: 'plan.shift.preset.evening', shift: { days: [1, 2, 3, 4, 5, 6, 7], start: '18:00', end: '22:00' } },
  { label: 'plan.shift.preset.night', shift: { days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '02:00' } },
]

type ZoneRef = { id: number; code: string; name: string }

export interface ItemEditorProps {
  community: Community
  target: EditTarget
  draft: Draft
  teams: readonly TeamColor[]
  zones: readonly ZoneRef[]
  maxBuildings: number
  loadRow: (entity: PlanEntity, id: number) => Promise<PlanRow>
  /** one more after each save or revert: the row is read again (its new version) */
  generation: number
  onChange: (change: DraftChange | null, key: string) => void
  /** a drawing is under way (the geometry tools wait) */
  drawing: boolean
  picking: boolean
  onPicking: (on: boolean) => void
  /** a building clicked while picking (n counts clicks: the same building twice toggles twice) */
  pickToggle: { id: number; n: number } | null
  lasso: Polygon | null
  onLassoUsed: () => void
  buildingsIn: (poly: Polygon) => number[]
  splitCut: Polygon | null
  onSplitCutUsed: () => void
  reshaped: LineString | Polygon | null
  onReshapedUsed: () => void
  onDraw: (purpose: 'reshape' | 'split' | 'lasso', tool: DrawTool) => void
  onSplit: (zone: { key: string; id?: number; version?: number; geometry: Polygon | MultiPolygon; set: Record<string, unknown>; label: string }, cut: Polygon) => void
  onMerge: (zone: { key: string; id?: number; geometry: Polygon | MultiPolygon; label: string }, otherId: number) => Promise<void>
  onClose: () => void
  /** something was saved outside the draft (a revert): the row and the map load again */
  onSaved: (key: string) => void
  /** edit another row (a team's member) or create one (`id` undefined: a new member of `teamId`) */
  onTarget: (target: { entity: PlanEntity; id?: number; teamId?: number }) => void
}

export function ItemEditor(props: ItemEditorProps) {
  const { target, draft, teams, zones, maxBuildings, loadRow, onChange, drawing, picking, onPicking, pickToggle, lasso, buildingsIn, splitCut, reshaped } = props
  const { t, lang } = useI18n()
  const { entity, key, id } = target
  const [row, setRow] = useState<PlanRow | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [snap, setSnap] = useState(true)
  const [mergeId, setMergeId] = useState<number | null>(null)
  const [snapNote, setSnapNote] = useState<string | null>(null)
  const change = changeOf(draft, key)

  useEffect(() => {
    if (id === undefined) return
    let live = true
    loadRow(entity, id).then(
      (r) => live && setRow(r),
      (e: unknown) => live && setError(e instanceof ApiError ? e : new ApiError(0, 'network', String(e))),
    )
    return () => {
      live = false
    }
  }, [entity, id, loadRow, change?.version, props.generation])

  const saved = useMemo(() => (row === null ? null : formValues(entity, row)), [entity, row])
  const values: Record<string, unknown> = useMemo(() => ({ ...(saved ?? {}), ...(change?.set ?? {}) }), [saved, change])
  const deleted = change?.delete === true
  const label = entity === 'zone' ? String(values.code ?? '') : String(values.name ?? '')

  /** Puts the form's values with `patch` in the draft: the fields that differ from the saved row (all of them for a new row). */
  const update = (patch: Record<string, unknown>) => {
    const next = { ...values, ...patch }
    const name = entity === 'zone' ? String(next.code ?? '') : String(next.name ?? '')
    if (id === undefined) return onChange({ key, entity, set: pick(next, FORM_FIELDS[entity]), label: name }, key)
    if (saved === null || row === null) return
    onChange({ key, entity, id, version: change?.version ?? row.version, set: changedFields(saved, next, FORM_FIELDS[entity]), label: name }, key)
  }
  const updateRef = useRef(update)
  updateRef.current = update

  // What a drawing made for this item: the reshaped line or shape, a lasso of buildings, a split.
  useEffect(() => {
    if (reshaped === null) return
    updateRef.current({ geometry: reshaped })
    props.onReshapedUsed()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- used once per drawing
  }, [reshaped])
  useEffect(() => {
    if (lasso === null || entity !== 'captain') return
    const ids = new Set((values.buildingIds as number[] | undefined) ?? [])
    for (const b of buildingsIn(lasso)) ids.add(b)
    updateRef.current({ buildingIds: [...ids].sort((a, b) => a - b) })
    props.onLassoUsed()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- used once per drawing
  }, [lasso])
  useEffect(() => {
    if (splitCut === null || entity !== 'zone') return
    const geometry = values.geometry as Polygon | MultiPolygon | undefined
    if (geometry !== undefined) props.onSplit({ key, ...(id !== undefined ? { id, version: change?.version ?? row?.version } : {}), geometry, set: change?.set ?? {}, label }, splitCut)
    props.onSplitCutUsed()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- used once per drawing
  }, [splitCut])
  const lastPick = useRef(0)
  useEffect(() => {
    if (pickToggle === null || pickToggle.n === lastPick.current || entity !== 'captain' || !picking) return
    lastPick.current = pickToggle.n
    const ids = new Set((values.buildingIds as number[] | undefined) ?? [])
    if (ids.has(pickToggle.id)) ids.delete(pickToggle.id)
    else ids.add(pickToggle.id)
    updateRef.current({ buildingIds: [...ids].sort((a, b) => a - b) })
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one toggle per click
  }, [pickToggle])

  if (id !== undefined && row === null)
    return (
      <section className="plan-item" data-testid="plan-item" data-entity={entity} data-state={error ? 'error' : 'loading'}>
        {error ? (
          <p className="analysis-error" role="alert">
            {t(errorCodeKey(error.code), { status: error.status })}
          </p>
        ) : (
          <p className="analysis-status">{t('plan.item.loading')}</p>
        )}
      </section>
    )

  const names = (values.names ?? {}) as Names
  const setNames = (lang: 'zh' | 'en', text: string) => {
    const next = { ...names, [lang]: text }
    const fallback = String(saved?.name ?? values.name ?? '')
    update({ names: cleanNames(next), name: recordedName(next, fallback) })
  }
  const teamSelect = (nullable: boolean) => (
    <select
      value={values.teamId == null ? '' : String(values.teamId as number)}
      data-testid="plan-field-team"
      onChange={(e) => update({ teamId: e.currentTarget.value === '' ? null : Number(e.currentTarget.value) })}
    >
      {(nullable || values.teamId == null) && <option value="">{t('plan.field.noTeam')}</option>}
      {teams.map((team) => (
        <option key={team.id} value={team.id}>
          {team.name}
        </option>
      ))}
    </select>
  )
  const fmt = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 1 })

  let body: ReactNode = null
  if (entity === 'zone') {
    const geometry = values.geometry as Polygon | MultiPolygon | undefined
    const one = geometry === undefined ? null : editablePolygon(geometry)
    body = (
      <>
        <Field label={t('plan.field.code')}>
          <input value={String(values.code ?? '')} maxLength={40} data-testid="plan-field-code" onChange={(e) => update({ code: e.currentTarget.value })} />
        </Field>
        <Field label={t('plan.field.gridWorker')}>
          <PeopleNames
            names={(values.gridWorkerNames ?? {}) as Names}
            onChange={(n) => update({ gridWorkerNames: cleanNames(n), gridWorker: recordedName(n, '') || null })}
            testId="plan-field-grid-worker"
          />
        </Field>
        <Field label={t('plan.field.teamId')}>{teamSelect(true)}</Field>
        {geometry !== undefined && <p className="plan-measure">{t('plan.measure.area', { ha: fmt.format(areaM2(geometry) / 10_000) })}</p>}
        <div className="plan-actions" role="group" aria-label={t('plan.field.geometry')}>
          <button type="button" data-testid="plan-zone-reshape" disabled={drawing || one === null || deleted} title={one === null ? t('plan.zone.multipart') : undefined} onClick={() => one && props.onDraw('reshape', { kind: 'reshape', geometry: one, snap: false })}>
            {t('plan.reshape')}
          </button>
          <button type="button" data-testid="plan-zone-split" disabled={drawing || geometry === undefined || deleted} onClick={() => props.onDraw('split', { kind: 'polygon' })}>
            {t('plan.zone.split')}
          </button>
        </div>
        {id !== undefined && !deleted && (
          <div className="plan-merge">
            <select value={mergeId ?? ''} data-testid="plan-zone-merge-with" onChange={(e) => setMergeId(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))}>
              <option value="">{t('plan.zone.mergeWith')}</option>
              {zones
                .filter((z) => z.id !== id)
                .map((z) => (
                  <option key={z.id} value={z.id}>
                    {z.code} · {z.name}
                  </option>
                ))}
            </select>
            <button
              type="button"
              data-testid="plan-zone-merge"
              disabled={mergeId === null || geometry === undefined || drawing}
              onClick={() => geometry && mergeId !== null && void props.onMerge({ key, id, geometry, label }, mergeId).then(() => setMergeId(null))}
            >
              {t('plan.zone.merge')}
            </button>
          </div>
        )}
      </>
    )
  } else if (entity === 'route') {
    const line = values.geometry as LineString | undefined
    const shifts = (values.shifts ?? []) as Shift[]
    body = (
      <>
        <Field label={t('plan.field.teamId')}>{teamSelect(false)}</Field>
        <Field label={t('plan.field.reachM')}>
          <span className="plan-unit">
            <input
              type="number"
              min={1}
              max={2000}
              step={5}
              value={Number(values.reachM ?? 100)}
              data-testid="plan-field-reach"
              onChange={(e) => {
                const v = Number(e.currentTarget.value)
                if (v > 0 && v <= 2000) update({ reachM: v })
              }}
            />
            {t('plan.unit.metres')}
          </span>
        </Field>
        {line !== undefined && <p className="plan-measure">{t('plan.measure.length', { m: Math.round(lineMetres(line)) })}</p>}
        <div className="plan-actions" role="group" aria-label={t('plan.field.geometry')}>
          <button type="button" data-testid="plan-route-reshape" disabled={drawing || line === undefined || deleted} onClick={() => line && props.onDraw('reshape', { kind: 'reshape', geometry: line, snap })}>
            {t('plan.reshape')}
          </button>
          <label className="plan-check">
            <input type="checkbox" checked={snap} onChange={(e) => setSnap(e.currentTarget.checked)} />
            {t('plan.snap')}
          </label>
        </div>
        <div className="plan-actions">
          <button
            type="button"
            data-testid="plan-route-snap"
            disabled={drawing || line === undefined || deleted}
            onClick={() =>
              line &&
              void snapRoute(props.community.id, line).then(
                (a) => {
                  update({ geometry: a.geometry })
                  setSnapNote(t(a.method === 'pgrouting' ? 'plan.snap.routed' : 'plan.snap.vertices', { n: a.vertices.filter((v) => v.snapped).length, of: a.vertices.length, m: Math.round(a.lengthM) }))
                },
                (e: unknown) => setSnapNote(e instanceof ApiError ? e.message : String(e)),
              )
            }
          >
            {t('plan.snap.follow')}
          </button>
        </div>
        {snapNote !== null && (
          <p className="analysis-note" data-testid="plan-snap-note">
            {snapNote}
          </p>
        )}
        <ShiftsEditor shifts={shifts} onChange={(next) => update({ shifts: next })} />
        {id !== undefined && <PatrolLogSection communityId={props.community.id} timeZone={props.community.timeZone} routeId={id} shifts={shifts} />}
      </>
    )
  } else if (entity === 'team') {
    body = (
      <>
        <Field label={t('plan.field.kind')}>
          <select value={String(values.kind ?? 'volunteer')} data-testid="plan-field-kind" onChange={(e) => update({ kind: e.currentTarget.value as TeamKind })}>
            {TEAM_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`teamKind.${k}` as MessageKey)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('plan.field.members')}>
          <input type="number" min={0} max={10000} value={Number(values.members ?? 0)} onChange={(e) => update({ members: Math.max(0, Math.round(Number(e.currentTarget.value))) })} />
        </Field>
        <Field label={t('plan.field.phone')}>
          <input type="tel" maxLength={40} value={String(values.phone ?? '')} onChange={(e) => update({ phone: e.currentTarget.value.trim() === '' ? null : e.currentTarget.value })} />
        </Field>
        <ActiveField value={values.active !== false} onChange={(active) => update({ active })} />
        {id !== undefined && (
          <>
            <RosterSection communityId={props.community.id} teamId={id} version={row?.version ?? 0} />
            <Members communityId={props.community.id} teamId={id} draft={draft} onTarget={props.onTarget} />
          </>
        )}
      </>
    )
  } else if (entity === 'member') {
    body = (
      <>
        <Field label={t('plan.field.teamId')}>{teamSelect(false)}</Field>
        <Field label={t('plan.field.phone')}>
          <input type="tel" maxLength={40} value={String(values.phone ?? '')} onChange={(e) => update({ phone: e.currentTarget.value.trim() === '' ? null : e.currentTarget.value })} />
        </Field>
        <ActiveField value={values.active !== false} onChange={(active) => update({ active })} />
        {typeof values.teamId === 'number' && (
          <MemberShifts communityId={props.community.id} teamId={values.teamId} chosen={(values.shiftIds ?? []) as number[]} onChange={(shiftIds) => update({ shiftIds })} />
        )}
      </>
    )
  } else if (entity === 'captain') {
    const buildings = (values.buildingIds ?? []) as number[]
    const over = buildings.length > maxBuildings
    body = (
      <>
        <Field label={t('plan.field.phone')}>
          <input type="tel" maxLength={40} value={String(values.phone ?? '')} data-testid="plan-field-phone" onChange={(e) => update({ phone: e.currentTarget.value.trim() === '' ? null : e.currentTarget.value })} />
        </Field>
        <ActiveField value={values.active !== false} onChange={(active) => update({ active })} />
        <p className={over ? 'plan-load plan-over' : 'plan-load'} data-testid="plan-captain-load" data-buildings={buildings.length} data-over-limit={over}>
          {t('plan.captain.load', { n: buildings.length, max: maxBuildings })}
          {over && <strong> {t('plan.captain.overLimit')}</strong>}
        </p>
        <div className="plan-actions">
          <button type="button" aria-pressed={picking} data-testid="plan-captain-pick" disabled={deleted} onClick={() => onPicking(!picking)}>
            {picking ? t('plan.captain.picking') : t('plan.captain.pick')}
          </button>
          <button type="button" data-testid="plan-captain-lasso" disabled={drawing || deleted} onClick={() => props.onDraw('lasso', { kind: 'polygon' })}>
            {t('plan.captain.lasso')}
          </button>
          <button type="button" disabled={buildings.length === 0 || deleted} onClick={() => update({ buildingIds: [] })}>
            {t('plan.captain.clear')}
          </button>
        </div>
      </>
    )
  }

  return (
    <section className="plan-item" data-testid="plan-item" data-entity={entity} data-key={key} data-state={deleted ? 'deleted' : 'ready'} aria-labelledby="plan-item-title">
      <div className="plan-item-head">
        <h3 id="plan-item-title">
          {t(`plan.entity.${entity}` as MessageKey)} {label}
          {id === undefined && <span className="plan-badge">{t('plan.draft.new')}</span>}
          {deleted && <span className="plan-badge">{t('plan.draft.deleted')}</span>}
        </h3>
        <button type="button" className="analysis-close" aria-label={t('plan.item.close')} title={t('plan.item.close')} onClick={props.onClose}>
          ×
        </button>
      </div>
      <fieldset disabled={deleted} className="plan-fields">
        <Field label={t('plan.field.nameZh')}>
          <input lang="zh" value={names.zh ?? ''} maxLength={200} data-testid="plan-field-name-zh" onChange={(e) => setNames('zh', e.currentTarget.value)} />
        </Field>
        <Field label={t('plan.field.nameEn')}>
          <input lang="en" value={names.en ?? ''} maxLength={200} data-testid="plan-field-name-en" onChange={(e) => setNames('en', e.currentTarget.value)} />
        </Field>
        {body}
      </fieldset>
      <div className="plan-actions">
        {id !== undefined && !deleted && (
          <button type="button" className="danger" data-testid="plan-delete" onClick={() => row && onChange({ key, entity, id, version: change?.version ?? row.version, delete: true, set: {}, label }, key)}>
            {t('plan.delete')}
          </button>
        )}
        {change !== undefined && (
          <button type="button" data-testid="plan-undo-item" onClick={() => onChange(null, key)}>
            {id === undefined ? t('plan.item.drop') : t('plan.item.undo')}
          </button>
        )}
      </div>
      {id !== undefined && <History communityId={props.community.id} entity={entity} id={id} version={row?.version ?? 0} onReverted={() => props.onSaved(key)} />}
    </section>
  )
}

const pick = (values: Record<string, unknown>, fields: readonly string[]) => Object.fromEntries(fields.filter((f) => values[f] !== undefined).map((f) => [f, values[f]]))

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="plan-field">
      <span>{label}</span>
      {children}
    </label>
  )
}

function ActiveField({ value, onChange }: { value: boolean; onChange: (v: boolean) => void }) {
  const { t } = useI18n()
  return (
    <label className="plan-check">
      <input type="checkbox" checked={value} data-testid="plan-field-active" onChange={(e) => onChange(e.currentTarget.checked)} />
      {t('plan.field.active')}
    </label>
  )
}

/** A person's name in Chinese and in Latin script. */
function PeopleNames({ names, onChange, testId }: { names: Names; onChange: (n: Names) => void; testId: string }) {
  const { t } = useI18n()
  return (
    <span className="plan-names">
      <input lang="zh" placeholder={t('plan.field.zh')} aria-label={t('plan.field.zh')} value={names.zh ?? ''} maxLength={200} data-testid={`${testId}-zh`} onChange={(e) => onChange({ ...names, zh: e.currentTarget.value })} />
      <input lang="en" placeholder={t('plan.field.en')} aria-label={t('plan.field.en')} value={names.en ?? ''} maxLength={200} data-testid={`${testId}-en`} onChange={(e) => onChange({ ...names, en: e.currentTarget.value })} />
    </span>
  )
}

/** A route's shifts: weekdays and times (a night shift may run past midnight). */
function ShiftsEditor({ shifts, onChange }: { shifts: Shift[]; onChange: (s: Shift[]) => void }) {
  const { t } = useI18n()
  const set = (i: number, patch: Partial<Shift>) => onChange(shifts.map((s, j) => (j === i ? { ...s, ...patch } : s)))
  return (
    <div className="plan-shifts" data-testid="plan-shifts">
      <h4>{t('plan.field.shifts')}</h4>
      {shifts.length === 0 && <p className="analysis-note">{t('plan.shift.none')}</p>}
      <ol>
        {shifts.map((s, i) => (
          <li key={i} data-testid="plan-shift" data-start={s.start} data-end={s.end}>
            <span className="plan-days" role="group" aria-label={t('plan.shift.days')}>
              {[1, 2, 3, 4, 5, 6, 7].map((d) => (
                <button
                  key={d}
                  type="button"
                  className="plan-day"
                  aria-pressed={s.days.includes(d)}
                  onClick={() => {
                    const days = s.days.includes(d) ? s.days.filter((x) => x !== d) : [...s.days, d].sort()
                    if (days.length > 0) set(i, { days })
                  }}
                >
                  {t(`weekday.short.${d}` as MessageKey)}
                </button>
              ))}
            </span>
            <span className="plan-times">
              <TimeField label={t('plan.shift.start')} value={s.start} onChange={(start) => set(i, { start })} testId="plan-shift-start" />
              –
              <TimeField label={t('plan.shift.end')} value={s.end} onChange={(end) => set(i, { end })} testId="plan-shift-end" />
              {s.end < s.start && <small className="muted">{t('plan.shift.overnight')}</small>}
              {s.end === s.start && <small className="analysis-invalid">{t('plan.shift.same')}</small>}
            </span>
            <button type="button" className="plan-remove" aria-label={t('plan.shift.remove')} title={t('plan.shift.remove')} onClick={() => onChange(shifts.filter((_, j) => j !== i))}>
              ×
            </button>
          </li>
        ))}
      </ol>
      <div className="plan-actions">
        {SHIFT_PRESETS.map((p) => (
          <button key={p.label} type="button" data-testid={`plan-shift-add-${p.label.split('.').pop()}`} onClick={() => onChange([...shifts, { ...p.shift, days: [...p.shift.days] }])}>
            + {t(p.label)}
          </button>
        ))}
      </div>
    </div>
  )
}

/**
 * A time of day on the 24-hour clock, typed ("22", "2200", "22:00"): it counts on Enter or when the
 * field is left; what is not a time marks the field and changes nothing. (The browser's own time
 * field follows the system's clock, 12-hour in many places.)
 */
function TimeField({ label, value, onChange, testId }: { label: string; value: string; onChange: (v: string) => void; testId: string }) {
  const [text, setText] = useState(value)
  const [invalid, setInvalid] = useState(false)
  useEffect(() => {
    setText(value)
    setInvalid(false)
  }, [value])
  const commit = () => {
    const v = parseClock(text)
    setInvalid(v === null)
    if (v !== null) {
      setText(v)
      if (v !== value) onChange(v)
    }
  }
  return (
    <input
      className="plan-time"
      inputMode="numeric"
      placeholder="HH:MM"
      aria-label={label}
      aria-invalid={invalid}
      value={text}
      maxLength={5}
      data-testid={testId}
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault()
          commit()
        }
      }}
    />
  )
}

/** The members of a team (active ones, from its roster), to edit one or add one. */
function Members({ communityId, teamId, draft, onTarget }: { communityId: string; teamId: number; draft: Draft; onTarget: ItemEditorProps['onTarget'] }) {
  const { t, lang } = useI18n()
  const [members, setMembers] = useState<{ id: number; name: string }[] | null>(null)
  useEffect(() => {
    const abort = new AbortController()
    fetchRoster(communityId, teamId, lang, abort.signal).then(
      (r) => {
        const all = new Map<number, string>()
        for (const m of [...r.shifts.flatMap((s) => s.members), ...r.unassigned]) all.set(m.id, m.name)
        setMembers([...all].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, lang)))
      },
      () => {},
    )
    return () => abort.abort()
  }, [communityId, teamId, lang])
  const added = draft.filter((c) => c.entity === 'member' && c.id === undefined && c.set.teamId === teamId)
  return (
    <div className="plan-members" data-testid="plan-members">
      <h4>{t('plan.members.title', { n: (members?.length ?? 0) + added.length })}</h4>
      <ul>
        {members?.map((m) => (
          <li key={m.id}>
            <button type="button" className="link" onClick={() => onTarget({ entity: 'member', id: m.id })}>
              {m.name}
            </button>
          </li>
        ))}
        {added.map((c) => (
          <li key={c.key}>
            {c.label} <span className="plan-badge">{t('plan.draft.new')}</span>
          </li>
        ))}
      </ul>
      <button type="button" data-testid="plan-new-member" onClick={() => onTarget({ entity: 'member', teamId })}>
        {t('plan.members.add')}
      </button>
    </div>
  )
}

/** The shifts of a member's team to tick: the ones they usually walk. */
function MemberShifts({ communityId, teamId, chosen, onChange }: { communityId: string; teamId: number; chosen: number[]; onChange: (ids: number[]) => void }) {
  const { t, lang } = useI18n()
  const [roster, setRoster] = useState<Roster | null>(null)
  useEffect(() => {
    const abort = new AbortController()
    fetchRoster(communityId, teamId, lang, abort.signal).then(setRoster, () => {})
    return () => abort.abort()
  }, [communityId, teamId, lang])
  const dayName = (d: number) => t(`weekday.short.${d}` as MessageKey)
  return (
    <fieldset className="plan-member-shifts">
      <legend>{t('plan.field.shiftIds')}</legend>
      {roster?.shifts.length === 0 && <p className="analysis-note">{t('plan.shift.none')}</p>}
      {roster?.shifts.map((s) => (
        <label key={s.id} className="plan-check">
          <input type="checkbox" checked={chosen.includes(s.id)} onChange={(e) => onChange(e.currentTarget.checked ? [...chosen, s.id].sort((a, b) => a - b) : chosen.filter((x) => x !== s.id))} />
          {s.routeName} · {s.days.map(dayName).join(lang === 'zh' ? '、' : ', ')} {s.start}–{s.end}
        </label>
      ))}
    </fieldset>
  )
}

/** Who changed the row, when, and what (newest first); a change can be reverted (itself a new change). */
function History({ communityId, entity, id, version, onReverted }: { communityId: string; entity: PlanEntity; id: number; version: number; onReverted: () => void }) {
  const { t, lang } = useI18n()
  const [entries, setEntries] = useState<AuditEntry[] | 'failed' | null>(null)
  const [open, setOpen] = useState(false)
  const [reverting, setReverting] = useState<{ id: number; error: ApiError | null } | null>(null)
  const revert = (auditId: number) => {
    setReverting({ id: auditId, error: null })
    revertChange(communityId, entity, id, auditId).then(
      () => {
        setReverting(null)
        onReverted()
      },
      (e: unknown) => setReverting({ id: auditId, error: e instanceof ApiError ? e : new ApiError(0, 'network', String(e)) }),
    )
  }
  useEffect(() => {
    if (!open) return
    const abort = new AbortController()
    fetchHistory(communityId, entity, id, abort.signal).then(setEntries, () => !abort.signal.aborted && setEntries('failed'))
    return () => abort.abort()
  }, [open, communityId, entity, id, version])
  const when = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en', { dateStyle: 'medium', timeStyle: 'short' })
  return (
    <details className="plan-history" data-testid="plan-history" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('plan.history')}</summary>
      {entries === null && open && <p className="analysis-status">{t('plan.item.loading')}</p>}
      {entries === 'failed' && <p className="analysis-error">{t('plan.history.failed')}</p>}
      {Array.isArray(entries) && entries.length === 0 && <p className="analysis-note">{t('plan.history.none')}</p>}
      {Array.isArray(entries) && entries.length > 0 && (
        <ol>
          {entries.map((e) => (
            <li key={e.id} data-testid="plan-history-entry" data-action={e.action}>
              <span className="plan-history-when">{when.format(new Date(e.at))}</span> <strong>{e.username ?? t('plan.history.someone')}</strong>{' '}
              {t(`plan.history.action.${actionOf(e.action)}` as MessageKey)}
              <small className="muted"> {changedKeys(e).map((f) => t(fieldLabel(f))).join(', ')}</small>{' '}
              <button type="button" className="link" data-testid="plan-revert" disabled={reverting !== null && reverting.error === null} onClick={() => revert(e.id)}>
                {t('plan.history.revert')}
              </button>
              {reverting?.id === e.id && reverting.error !== null && (
                <small className="plan-error-detail" role="alert" data-error-code={reverting.error.code}>
                  {reverting.error.code === 'version_conflict' ? t('plan.history.revertConflict') : reverting.error.message}
                </small>
              )}
            </li>
          ))}
        </ol>
      )}
    </details>
  )
}

/** What an audited change did, from its action ("zone_created", "route_updated", …). */
function actionOf(action: string): 'created' | 'updated' | 'deleted' | 'reverted' | 'other' {
  const last = action.split('_').pop() ?? ''
  return last === 'created' || last === 'updated' || last === 'deleted' || last === 'reverted' ? last : 'other'
}

/** The fields an audited change touched (by the planning API's names). */
function changedKeys(e: AuditEntry): string[] {
  const before = (e.before ?? {}) as Record<string, unknown>
  const after = (e.after ?? {}) as Record<string, unknown>
  if (e.before == null || e.after == null) return []
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => k !== 'version' && k !== 'id' && JSON.stringify(before[k]) !== JSON.stringify(after[k]))
}
