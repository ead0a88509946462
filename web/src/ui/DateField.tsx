/**
 * A date field that writes the date the UI language's way ("2012年7月1日", "1 Jul 2012") instead
 * of the browser's (`<input type=date>` shows mm/dd/yyyy from the browser locale whatever the UI
 * language), and takes a date typed in either language or as 2012-07-01. What is typed counts only
 * once it is finished — Enter, or leaving the field: a half-typed or invalid date never changes the
 * filter; the field is marked invalid and says why, keeping the last valid date until fixed (Escape
 * puts it back). A calendar button opens the browser's date picker for those who prefer it.
 */
import { useId, useRef, useState } from 'react'
import { useI18n, type MessageKey } from '../i18n'
import { formatDate, parseDateText } from '../lib/dates'

export interface DateFieldProps {
  /** the date, 'YYYY-MM-DD', or null for none */
  value: string | null
  /** a finished date (null: the field was emptied on purpose) */
  onCommit: (value: string | null) => void
  /** why a date cannot be taken (e.g. after the end of the period); null: fine */
  check?: (value: string) => MessageKey | null
  label: string
  /** what an empty field means ("earliest", "latest"): an example date there would look like a value */
  placeholder: string
  testId: string
  /** the picker's range */
  min?: string
  max?: string
}

export function DateField({ value, onCommit, check, label, placeholder, testId, min, max }: DateFieldProps) {
  const { t, lang } = useI18n()
  // what is typed while it differs from the value (null: show the value)
  const [draft, setDraft] = useState<string | null>(null)
  const [error, setError] = useState<MessageKey | null>(null)
  const picker = useRef<HTMLInputElement>(null)
  const messageId = useId()
  const shown = draft ?? (value === null ? '' : formatDate(value, lang))

  const accept = (next: string | null) => {
    const why = next === null ? null : (check?.(next) ?? null)
    if (why !== null) {
      setError(why)
      return
    }
    setDraft(null)
    setError(null)
    if (next !== value) onCommit(next)
  }
  const commit = () => {
    if (draft === null) return
    const text = draft.trim()
    if (text === '') return accept(null)
    const parsed = parseDateText(text)
    if (parsed === null) setError('filters.date.invalid')
    else accept(parsed)
  }

  return (
    <span className={error !== null ? 'date-field date-invalid' : 'date-field'}>
      <input
        type="text"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        aria-label={label}
        aria-invalid={error !== null}
        aria-describedby={error !== null ? messageId : undefined}
        data-testid={testId}
        data-value={value ?? ''}
        placeholder={placeholder}
        title={t('filters.date.hint')}
        value={shown}
        size={lang === 'zh' ? 11 : 10}
        onChange={(e) => {
          setDraft(e.currentTarget.value)
          setError(null)
        }}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit()
          else if (e.key === 'Escape') {
            setDraft(null)
            setError(null)
          }
        }}
      />
      <button type="button" className="date-pick" aria-label={t('filters.date.pick', { field: label })} title={t('filters.date.pick', { field: label })} onClick={() => picker.current?.showPicker?.()}>
        <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
          <rect x="1.5" y="2.5" width="11" height="10" rx="1.5" fill="none" stroke="currentColor" />
          <path d="M1.5 5.5h11M4.5 1v3M9.5 1v3" stroke="currentColor" />
        </svg>
      </button>
      {/* the browser's picker only: never shown or focused, so its mm/dd/yyyy does not appear */}
      <input
        ref={picker}
        type="date"
        className="date-picker-input"
        tabIndex={-1}
        aria-hidden="true"
        value={value ?? ''}
        min={min}
        max={max}
        onChange={(e) => {
          const v = e.currentTarget.value
          if (v !== '') accept(v)
        }}
      />
      {error !== null && (
        <span id={messageId} className="date-error" role="alert" data-testid={`${testId}-error`}>
          {t(error)}
        </span>
      )}
    </span>
  )
}
