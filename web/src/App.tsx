/** The planner's map: header, map and layer list for the first community the server knows. */
import { useCallback, useEffect, useRef, useState } from 'react'
import { fetchCommunities, type Community } from './api'
import { I18nProvider, useI18n } from './i18n'
import { ApiError } from './lib/api-error'
import { LEGEND_GROUPS, type LegendGroup } from './lib/legend'
import type { TeamColor } from './lib/palette'
import { MapView, type MapProblem } from './map/MapView'
import { Header } from './ui/Header'
import { LayerPanel } from './ui/LayerPanel'
import { Problems, type Problem } from './ui/Problems'

/** Width the layer panel takes over the map on wide screens (keep in step with .panel in styles.css). */
const PANEL_INSET = 260

const allVisible = Object.fromEntries(LEGEND_GROUPS.map((g) => [g, true])) as Record<LegendGroup, boolean>

function Shell() {
  const { t } = useI18n()
  const [community, setCommunity] = useState<Community | null>(null)
  const [loading, setLoading] = useState(true)
  const [visible, setVisible] = useState(allVisible)
  const [teams, setTeams] = useState<TeamColor[]>([])
  const [problems, setProblems] = useState<Problem[]>([])
  const nextId = useRef(1)

  const report = useCallback((p: Omit<Problem, 'id'>) => {
    setProblems((list) => [...list, { ...p, id: nextId.current++ }])
  }, [])

  useEffect(() => {
    const abort = new AbortController()
    fetchCommunities(abort.signal)
      .then((list) => {
        const first = list[0]
        if (first === undefined) report({ what: 'noCommunity' })
        else setCommunity(first)
      })
      .catch((err: unknown) => {
        if (abort.signal.aborted) return
        report({ what: 'communities', error: err instanceof ApiError ? err : new ApiError(0, 'network', String(err)) })
      })
      .finally(() => setLoading(false))
    return () => abort.abort()
  }, [report])

  const onProblem = useCallback(
    (p: MapProblem) => report({ what: p.kind, ...(p.layer !== undefined ? { layer: p.layer } : {}), error: p.error }),
    [report],
  )
  const onToggle = useCallback((group: LegendGroup, on: boolean) => setVisible((v) => ({ ...v, [group]: on })), [])
  const leftInset = window.innerWidth > 720 ? PANEL_INSET : 0

  return (
    <div className="app">
      <Header community={community} />
      <main className="map-area">
        {community !== null && (
          <MapView community={community} t={t} visible={visible} leftInset={leftInset} onTeams={setTeams} onProblem={onProblem} />
        )}
        {loading && <div className="loading">{t('app.loading')}</div>}
        <LayerPanel visible={visible} teams={teams} onToggle={onToggle} />
        <Problems problems={problems} onDismiss={(id) => setProblems((list) => list.filter((p) => p.id !== id))} />
      </main>
    </div>
  )
}

/** The whole app. */
export function App() {
  return (
    <I18nProvider>
      <Shell />
    </I18nProvider>
  )
}
