/**
 * The dock: one column on the right of the map (a sheet along the bottom on narrow screens) that
 * holds the panels — the details of what is selected, the hot spot analysis and coverage and gaps —
 * one above the other. Its bar opens and closes the tools and folds the dock away; the body scrolls
 * on its own. It says how much of the map it covers (`onInsets`), so the map keeps its controls
 * clear of it and centres what it fits in the rest.
 */
import { useEffect, useRef, type ReactNode } from 'react'
import { useI18n, type MessageKey } from '../i18n'

/** A tool the dock's bar opens and closes. */
export interface DockTool {
  id: string
  label: MessageKey
  open: boolean
  onToggle: () => void
}

/** How much of the map the dock covers: its whole box (for the map's controls) and its panels (for the map's padding). */
export interface DockInsets {
  /** pixels from the map's right edge to the dock's left (0 when the dock is a bottom sheet) */
  right: number
  /** pixels from the map's bottom edge to the dock's top (0 unless the dock is a bottom sheet) */
  bottom: number
}

export interface DockProps {
  tools: DockTool[]
  /** whether a panel is open (details or a tool): the dock only claims room on the map then */
  hasPanels: boolean
  /** how many panels are open (said on the button that unfolds the dock) */
  panelCount: number
  collapsed: boolean
  onCollapse: (collapsed: boolean) => void
  onInsets: (insets: DockInsets) => void
  children: ReactNode
}

/** The gap between the dock and the map's edge, also kept between the dock and the map's controls. */
const GAP = 12
/** Below this width the dock is a sheet along the bottom (keep in step with styles.css). */
const DOCK_SHEET = '(max-width: 720px)'

/** The dock and its bar; `children` are the panels, kept mounted while folded (their map layers stay). */
export function Dock({ tools, hasPanels, panelCount, collapsed, onCollapse, onInsets, children }: DockProps) {
  const { t } = useI18n()
  const el = useRef<HTMLElement>(null)
  const report = useRef(onInsets)
  report.current = onInsets

  // Measure the dock against the map area whenever its size or the window changes.
  useEffect(() => {
    const dock = el.current
    const area = dock?.parentElement
    if (!dock || !area) return
    let last = ''
    const measure = () => {
      const d = dock.getBoundingClientRect()
      const a = area.getBoundingClientRect()
      const sheet = window.matchMedia(DOCK_SHEET).matches
      const insets: DockInsets = sheet ? { right: 0, bottom: Math.max(0, Math.round(a.bottom - d.top + GAP)) } : { right: Math.max(0, Math.round(a.right - d.left + GAP)), bottom: 0 }
      const key = `${insets.right}/${insets.bottom}`
      if (key === last) return
      last = key
      report.current(insets)
    }
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(dock)
    observer.observe(area)
    return () => observer.disconnect()
  }, [])

  return (
    <aside
      ref={el}
      className={`dock${collapsed ? ' dock-collapsed' : ''}${hasPanels ? ' dock-has-panels' : ''}`}
      data-testid="dock"
      data-collapsed={collapsed}
      aria-label={t('dock.label')}
    >
      <div className="dock-bar" role="toolbar" aria-label={t('dock.label')}>
        {collapsed ? (
          <button type="button" className="dock-expand" data-testid="dock-expand" aria-expanded="false" onClick={() => onCollapse(false)}>
            ‹ {t('dock.expand', { n: panelCount })}
          </button>
        ) : (
          <>
            {tools.map((tool) => (
              <button
                key={tool.id}
                type="button"
                className="dock-tool"
                data-testid={`${tool.id}-open`}
                aria-pressed={tool.open}
                onClick={tool.onToggle}
              >
                {t(tool.label)}
              </button>
            ))}
            {hasPanels && (
              <button type="button" className="dock-collapse" data-testid="dock-collapse" aria-expanded="true" aria-label={t('dock.collapse')} title={t('dock.collapse')} onClick={() => onCollapse(true)}>
                ›
              </button>
            )}
          </>
        )}
      </div>
      <div className="dock-body" data-testid="dock-body" hidden={collapsed || !hasPanels}>
        {children}
      </div>
    </aside>
  )
}

/** The head of a panel in the dock: its title and a close button. */
export function PanelHead({ id, title, closeLabel, closeTestId, onClose }: { id: string; title: string; closeLabel: string; closeTestId: string; onClose: () => void }) {
  return (
    <div className="analysis-head">
      <h2 id={id}>{title}</h2>
      <button type="button" className="analysis-close" data-testid={closeTestId} aria-label={closeLabel} title={closeLabel} onClick={onClose}>
        ×
      </button>
    </div>
  )
}
