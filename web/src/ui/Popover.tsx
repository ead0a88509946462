import { useEffect, useId, useRef, useState, type ReactNode } from 'react'

export interface PopoverProps {
  /** what the button says: the current choice, so the bar shows the filter at a glance */
  summary: ReactNode
  /** the field's name, for screen readers and as the button's title */
  label: string
  /** true when the choice restricts something (the button is marked) */
  active?: boolean
  testId: string
  children: ReactNode
}

/** A button in the filter bar that opens a small panel below it; Escape or a click elsewhere closes it. */
export function Popover({ summary, label, active = false, testId, children }: PopoverProps) {
  const [open, setOpen] = useState(false)
  const root = useRef<HTMLDivElement>(null)
  const id = useId()
  useEffect(() => {
    if (!open) return
    const onDown = (e: PointerEvent) => {
      if (root.current !== null && !root.current.contains(e.target as Node)) setOpen(false)
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false)
    }
    document.addEventListener('pointerdown', onDown)
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('pointerdown', onDown)
      document.removeEventListener('keydown', onKey)
    }
  }, [open])
  return (
    <div className="popover" ref={root}>
      <button
        type="button"
        className={`filter-button${active ? ' active' : ''}`}
        aria-expanded={open}
        aria-controls={id}
        title={label}
        data-testid={testId}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="filter-button-label">{label}</span>
        <span className="filter-button-value">{summary}</span>
        <span className="filter-button-caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open && (
        <div className="popover-panel" id={id} role="dialog" aria-label={label} data-testid={`${testId}-panel`}>
          {children}
        </div>
      )}
    </div>
  )
}
