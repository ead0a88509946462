/**
 * The parts of a route's and a team's form that are not fields of the row: the patrol log of a
 * route (record a patrol done — a short form that works on a phone — and the latest ones), a team's
 * weekly roster (who walks which shift; phones only for roles that may see them) and its members
 * (each a row of its own, edited in the draft like the rest).
 */
import { useEffect, useState } from 'react'
import { useI18n, type MessageKey } from '../i18n'
import { ApiError } from '../lib/api-error'
import { ApiErrorLine } from '../ui/ApiErrorLine'
import { localToday } from '../lib/dates'
import { DateField } from '../ui/DateField'
import { deletePatrol, fetchPatrols, fetchRoster, logPatrol, type PatrolLog, type Roster } from './api'
import { parseClock } from './model'

const asError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, 'network', String(e)))

/** A route's patrol log: record a patrol done, see and remove the latest. */
export function PatrolLogSection({ communityId, timeZone, routeId, shifts }: { communityId: string; timeZone: string; routeId: number; shifts: { start: string; end: string }[] }) {
  const { t, lang } = useI18n()
  const [open, setOpen] = useState(false)
  const [list, setList] = useState<{ patrols: PatrolLog[]; total: number } | null>(null)
  const [reload, setReload] = useState(0)
  const [date, setDate] = useState(() => localToday(timeZone))
  const [start, setStart] = useState(shifts[0]?.start ?? '20:00')
  const [end, setEnd] = useState(shifts[0]?.end ?? '22:00')
  const [count, setCount] = useState('2')
  const [notes, setNotes] = useState('')
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; error: ApiError }>({ kind: 'idle' })

  useEffect(() => {
    if (!open) return
    const abort = new AbortController()
    fetchPatrols(communityId, routeId, lang, abort.signal).then(setList, (e: unknown) => !abort.signal.aborted && setState({ kind: 'error', error: asError(e) }))
    return () => abort.abort()
  }, [open, communityId, routeId, lang, reload])

  const startOk = parseClock(start)
  const endOk = parseClock(end)
  const n = Number(count)
  const valid = startOk !== null && endOk !== null && startOk !== endOk && Number.isInteger(n) && n >= 0 && n <= 10_000
  const submit = async () => {
    if (!valid) return
    setState({ kind: 'saving' })
    try {
      await logPatrol(communityId, { routeId, date, start: startOk, end: endOk, membersCount: n, ...(notes.trim() ? { notes: notes.trim() } : {}) })
      setNotes('')
      setState({ kind: 'saved' })
      setReload((r) => r + 1)
    } catch (e) {
      setState({ kind: 'error', error: asError(e) })
    }
  }

  return (
    <details className="plan-log" data-testid="plan-patrol-log" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('plan.log.title')}</summary>
      <form
        className="plan-log-form"
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <DateField value={date} onCommit={(v) => v !== null && setDate(v)} label={t('plan.log.date')} placeholder={date} testId="plan-log-date" />
        <span className="plan-times">
          <input inputMode="numeric" aria-label={t('plan.shift.start')} aria-invalid={startOk === null} value={start} maxLength={5} onChange={(e) => setStart(e.currentTarget.value)} data-testid="plan-log-start" />–
          <input inputMode="numeric" aria-label={t('plan.shift.end')} aria-invalid={endOk === null || endOk === startOk} value={end} maxLength={5} onChange={(e) => setEnd(e.currentTarget.value)} data-testid="plan-log-end" />
        </span>
        <label className="plan-field">
          <span>{t('plan.log.members')}</span>
          <input type="number" min={0} max={10000} value={count} onChange={(e) => setCount(e.currentTarget.value)} data-testid="plan-log-count" />
        </label>
        <label className="plan-field">
          <span>{t('plan.log.notes')}</span>
          <textarea rows={2} maxLength={2000} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} data-testid="plan-log-notes" />
        </label>
        <div className="plan-actions">
          <button type="submit" className="primary" disabled={!valid || state.kind === 'saving'} data-testid="plan-log-submit">
            {t('plan.log.submit')}
          </button>
          {state.kind === 'saved' && (
            <span className="plan-saved" role="status">
              {t('plan.log.saved')}
            </span>
          )}
        </div>
      </form>
      {state.kind === 'error' && <ApiErrorLine error={state.error} />}
      {list !== null && (
        <>
          <p className="analysis-note">{t('plan.log.latest', { n: list.total })}</p>
          <ol className="plan-log-list" data-testid="plan-log-list">
            {list.patrols.map((p) => (
              <li key={p.id} data-patrol={p.id}>
                <span className="plan-history-when">
                  {p.date} {p.start}–{p.end}
                </span>{' '}
                {t('plan.log.people', { n: p.membersCount })}
                {p.createdBy && <small className="muted"> · {p.createdBy}</small>}
                {p.notes && <small className="plan-log-notes">{p.notes}</small>}
                <button
                  type="button"
                  className="plan-remove"
                  aria-label={t('plan.log.delete')}
                  title={t('plan.log.delete')}
                  onClick={() => void deletePatrol(communityId, p.id).then(() => setReload((r) => r + 1), (e: unknown) => setState({ kind: 'error', error: asError(e) }))}
                >
                  ×
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
    </details>
  )
}

/** A team's week: each weekday's shifts with who walks them; the members on no shift. */
export function RosterSection({ communityId, teamId, version }: { communityId: string; teamId: number; version: number }) {
  const { t, lang } = useI18n()
  const [open, setOpen] = useState(false)
  const [roster, setRoster] = useState<Roster | ApiError | null>(null)
  useEffect(() => {
    if (!open) return
    const abort = new AbortController()
    fetchRoster(communityId, teamId, lang, abort.signal).then(setRoster, (e: unknown) => !abort.signal.aborted && setRoster(asError(e)))
    return () => abort.abort()
  }, [open, communityId, teamId, lang, version])
  const person = (m: { name: string; phone: string | null }) => (m.phone ? `${m.name} (${m.phone})` : m.name)
  return (
    <details className="plan-roster" data-testid="plan-roster" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('plan.roster.title')}</summary>
      {roster === null && open && <p className="analysis-status">{t('plan.item.loading')}</p>}
      {roster instanceof ApiError && <ApiErrorLine error={roster} />}
      {roster !== null && !(roster instanceof ApiError) && (
        <>
          <p className="analysis-note">{t('plan.roster.summary', { listed: roster.team.listedMembers, headcount: roster.team.headcount })}</p>
          <table className="plan-compare plan-roster-table">
            <tbody>
              {roster.days.map((d) => (
                <tr key={d.day} data-day={d.day}>
                  <th scope="row">{t(`weekday.short.${d.day}` as MessageKey)}</th>
                  <td>
                    {d.shiftIds.length === 0 && <span className="muted">{t('plan.roster.free')}</span>}
                    {d.shiftIds.map((id) => {
                      const s = roster.shifts.find((x) => x.id === id)
                      if (s === undefined) return null
                      return (
                        <div key={id} className="plan-roster-shift">
                          <strong>
                            {s.start}–{s.end}
                          </strong>{' '}
                          {s.routeName}
                          <br />
                          <small className={s.members.length === 0 ? 'plan-over' : 'muted'}>{s.members.length === 0 ? t('plan.roster.nobody') : s.members.map(person).join('、')}</small>
                        </div>
                      )
                    })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {roster.unassigned.length > 0 && <p className="analysis-note">{t('plan.roster.unassigned', { names: roster.unassigned.map(person).join(lang === 'zh' ? '、' : ', ') })}</p>}
        </>
      )}
    </details>
  )
}
