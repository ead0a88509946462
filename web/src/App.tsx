/**
 * The planner's map: header with search, the shared filter bar, the map with its layer list on the
 * left and the dock on the right (details, hot spot analysis, coverage and gaps). Everything a
 * planner sets — view, layers, opacity, building colouring, filters, selection, the open panels and
 * their settings — is kept in the page URL, so a link reopens the same map.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { can } from '../../server/src/access'
import { roleIn, UserContext, useUser } from './auth/context'
import { LoginPage, PasswordPage } from './auth/LoginPage'
import { useSession } from './auth/session'
import { fetchCommunities, fetchPeriod, fetchSummary, type Community, type IncidentPeriod, type IncidentSummary, type SearchResult } from './api'
import { I18nProvider, useI18n } from './i18n'
import { ApiError } from './lib/api-error'
import { filterParams, filterQuery, type IncidentFilter } from './lib/filters'
import type { LegendGroup } from './lib/legend'
import { INCIDENT_CATEGORIES, type TeamColor } from './lib/palette'
import {
  formatUrlState,
  parseUrlState,
  type AnalysisState,
  type BuildingColoring,
  type CoverageState,
  type MapViewState,
  type MeetingState,
  type SelectionRef,
} from './lib/url-state'
import { MapView, type MapInsets, type MapProblem } from './map/MapView'
import type { FocusRequest, Selection } from './map/selection'
import { DetailsPanel } from './ui/DetailsPanel'
import { Dock, type DockInsets } from './ui/Dock'
import { FilterBar } from './ui/FilterBar'
import { Header } from './ui/Header'
import { LayerPanel } from './ui/LayerPanel'
import { Problems, type Problem } from './ui/Problems'
import { Search } from './ui/Search'
import { ContentsContext, MapNotice, type ContentsValue } from './ui/Empty'
import { useBoundary } from './map/useBoundary'
import { getJson, base } from './api'

// The tool panels load when first opened: a map that opens without them fetches and runs less.
const AnalysisPanel = lazy(() => import('./analysis/AnalysisPanel').then((m) => ({ default: m.AnalysisPanel })))
const CoveragePanel = lazy(() => import('./coverage/CoveragePanel').then((m) => ({ default: m.CoveragePanel })))
/** The planning panel (drawing, forms): loaded the first time a planner opens it. */
const PlanPanel = lazy(() => import('./plan/PlanPanel').then((m) => ({ default: m.PlanPanel })))
/** The disputes and mediation panel: loaded the first time it is opened. */
const PeoplePanel = lazy(() => import('./people/PeoplePanel').then((m) => ({ default: m.PeoplePanel })))
/** The import panel (issue 10): loaded the first time an administrator or planner opens it. */
const ImportPanel = lazy(() => import('./import/ImportPanel').then((m) => ({ default: m.ImportPanel })))
/** The meeting view (the briefing pack beside the map): loaded the first time it is opened. */
const MeetingView = lazy(() => import('./meeting/MeetingView').then((m) => ({ default: m.MeetingView })))

/** Width the layer panel takes over the map on wide screens (keep in step with .panel in styles.css). */
const PANEL_INSET = 272
/** Below this width the layer panel starts folded away (tablets in portrait, small laptops). */
const NARROW = 900
/**
 * Up to this width (1024 px laptops, 1152 px screens) the layer panel and the dock do not both fit beside a useful map (at 1024 px
 * they left it 400 px): opening a panel in the dock folds the layer list away (one click brings it
 * back), so the map keeps most of the width.
 */
const CROWDED = 1200

/** Known categories first, in the palette's order, then any others alphabetically. */
function orderCategories(found: Iterable<string>): string[] {
  const known = INCIDENT_CATEGORIES.map((c) => c.category as string)
  const set = new Set(found)
  return [...known.filter((c) => set.has(c)), ...[...set].filter((c) => !known.includes(c)).sort()]
}

function selectionRef(s: Selection | null): SelectionRef | null {
  return s === null || s.kind === 'cluster' ? null : { kind: s.kind, id: s.id }
}

function Shell() {
  const { t, lang } = useI18n()
  const session = useUser()
  const initial = useMemo(() => parseUrlState(window.location.search), [])
  const [community, setCommunity] = useState<Community | null>(null)
  const [loading, setLoading] = useState(true)
  const [visible, setVisible] = useState(initial.visible)
  const [opacity, setOpacity] = useState(initial.opacity)
  const [buildingsChoice, setBuildings] = useState<BuildingColoring>(initial.buildings)
  const [filter, setFilter] = useState<IncidentFilter>(initial.filter)
  const [selection, setSelection] = useState<Selection | null>(initial.selection && ({ ...initial.selection, props: null } as Selection))
  const [focus, setFocus] = useState<FocusRequest | null>(null)
  const [view, setView] = useState<MapViewState | null>(initial.view)
  const [period, setPeriod] = useState<IncidentPeriod | null>(null)
  const [overall, setOverall] = useState<IncidentSummary | null>(null)
  const [summary, setSummary] = useState<{ query: string; value: IncidentSummary } | null>(null)
  const [panelOpen, setPanelOpen] = useState(
    () => window.innerWidth > NARROW && !(window.innerWidth <= CROWDED && (initial.analysis.open || initial.coverage.open || initial.plan || initial.people || initial.import || initial.meeting.open || initial.selection !== null)),
  )
  const [teams, setTeams] = useState<TeamColor[]>([])
  const [problems, setProblems] = useState<Problem[]>([])
  const [map, setMap] = useState<MapLibreMap | null>(null)
  const [analysis, setAnalysis] = useState<AnalysisState>(initial.analysis)
  const [coverage, setCoverage] = useState<CoverageState>(initial.coverage)
  const [planOpen, setPlanOpen] = useState(initial.plan)
  // while the planner draws or picks buildings, the map's clicks are theirs (nothing is selected)
  const [planBusy, setPlanBusy] = useState(false)
  const [peopleOpen, setPeopleOpen] = useState(initial.people)
  const [peopleBusy, setPeopleBusy] = useState(false)
  const [importBusy, setImportBusy] = useState(false)
  const [importOpen, setImportOpen] = useState(initial.import)
  const [meeting, setMeeting] = useState<MeetingState>(initial.meeting)
  // how much of the map the meeting view covers, from the left
  const [meetingWidth, setMeetingWidth] = useState(0)
  // one more after each save: the map's layers and the panels load again
  const [dataVersion, setDataVersion] = useState(0)
  const [dockCollapsed, setDockCollapsed] = useState(false)
  const [dockInsets, setDockInsets] = useState<DockInsets>({ right: 0, bottom: 0 })
  const nextId = useRef(1)
  // An empty community (issue 10): what it holds, fresh after an import or a save; the map's notice folded away or not
  const [counts, setCounts] = useState<{ id: string; counts: Community['counts'] } | null>(null)
  const [noticeFolded, setNoticeFolded] = useState(false)
  // What the user's role sees: without exact incidents, buildings are not coloured by incidents near them.
  const exactIncidents = can(roleIn(session?.user, community?.id), 'exactIncidents')
  const buildings: BuildingColoring = exactIncidents ? buildingsChoice : 'captain'
  const mayPlan = can(roleIn(session?.user, community?.id), 'plan')
  const planning = planOpen && mayPlan
  const importing = importOpen && mayPlan
  // A panel, once opened, stays mounted: closed, it takes its layers off the map (and the planning
  // panel keeps its draft); the panels' code loads when first opened.
  const open = { analysis: analysis.open, coverage: coverage.open, plan: planning, people: peopleOpen, import: importing, meeting: meeting.open }
  const [opened, setOpened] = useState(open)
  if ((Object.keys(open) as (keyof typeof open)[]).some((k) => open[k] && !opened[k]))
    setOpened({ analysis: opened.analysis || open.analysis, coverage: opened.coverage || open.coverage, plan: opened.plan || open.plan, people: opened.people || open.people, import: opened.import || open.import, meeting: opened.meeting || open.meeting })

  const report = useCallback((p: Omit<Problem, 'id'>) => {
    setProblems((list) => [...list, { ...p, id: nextId.current++ }])
  }, [])
  const toApiError = (err: unknown) => (err instanceof ApiError ? err : new ApiError(0, 'network', String(err)))

  // The community: the one the link names, else the first the server knows.
  useEffect(() => {
    const abort = new AbortController()
    fetchCommunities(abort.signal)
      .then((list) => {
        const chosen = list.find((c) => c.id === initial.community) ?? list[0]
        if (chosen === undefined) report({ what: 'noCommunity' })
        else setCommunity(chosen)
      })
      .catch((err: unknown) => {
        if (!abort.signal.aborted) report({ what: 'communities', error: toApiError(err) })
      })
      .finally(() => setLoading(false))
    return () => abort.abort()
  }, [report, initial])

  // The span of the data and its categories, once per community.
  useEffect(() => {
    if (community === null) return
    const abort = new AbortController()
    fetchPeriod(community.id, abort.signal).then(setPeriod, () => {})
    fetchSummary(community.id, '', abort.signal).then(setOverall, () => {})
    return () => abort.abort()
    // an import or a save (dataVersion) may change them
  }, [community, dataVersion])

  // What the community holds (an import or a save changes it): the views say what is missing.
  useEffect(() => {
    if (community === null) return
    if (dataVersion === 0) {
      setCounts({ id: community.id, counts: community.counts })
      return
    }
    const abort = new AbortController()
    getJson<Community>(base(community.id), abort.signal).then((c) => setCounts({ id: c.id, counts: c.counts }), () => {})
    return () => abort.abort()
  }, [community, dataVersion])
  const currentCounts = community !== null && counts !== null && counts.id === community.id ? counts.counts : null
  useBoundary(map, community?.id ?? '', currentCounts !== null && currentCounts.zones === 0)

  // What the filter matches, for the filter bar.
  const query = filterQuery(filter)
  useEffect(() => {
    if (community === null) return
    const abort = new AbortController()
    fetchSummary(community.id, query, abort.signal).then(
      (value) => setSummary({ query, value }),
      (err: unknown) => {
        if (!abort.signal.aborted) report({ what: 'summary', error: toApiError(err) })
      },
    )
    return () => abort.abort()
  }, [community, query, report, dataVersion])

  // Keep the URL in step, so copying it shares this map.
  useEffect(() => {
    if (community === null) return
    const search = formatUrlState({ community: community.id, view, visible, opacity, buildings, filter, selection: selectionRef(selection), analysis, coverage, plan: planning, people: peopleOpen, import: importing, meeting })
    const url = `${window.location.pathname}${search ? `?${search}` : ''}${window.location.hash}`
    if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) window.history.replaceState(null, '', url)
  }, [community, view, visible, opacity, buildings, filter, selection, analysis, coverage, planning, peopleOpen, importing, meeting])

  const onProblem = useCallback(
    (p: MapProblem) => report({ what: p.kind, ...(p.layer !== undefined ? { layer: p.layer } : {}), error: p.error }),
    [report],
  )
  const onToggle = useCallback((group: LegendGroup, on: boolean) => setVisible((v) => ({ ...v, [group]: on })), [])
  const onOpacity = useCallback((group: LegendGroup, value: number) => setOpacity((o) => ({ ...o, [group]: value })), [])
  const onAnalysis = useCallback((patch: Partial<AnalysisState>) => setAnalysis((a) => ({ ...a, ...patch })), [])
  // The period with data, offered by the emerging hot spot analysis: the shared filter's period.
  const onPeriod = useCallback((from: string, to: string) => setFilter((f) => ({ ...f, from, to })), [])
  const onCoverage = useCallback((patch: Partial<CoverageState>) => setCoverage((c) => ({ ...c, ...patch })), [])
  // A captain chosen in the coverage panel: selected (details) and flown to, with their buildings.
  const onCaptain = useCallback((id: number, bbox: [number, number, number, number] | null) => {
    setSelection({ kind: 'captain', id, props: null })
    setFocus({ key: Date.now(), kind: 'captain', id, bbox })
    setVisible((v) => (v.captains ? v : { ...v, captains: true }))
  }, [])
  // A zone chosen in the coverage table: selected (details) and flown to, whole.
  const onZone = useCallback((id: number) => {
    setSelection({ kind: 'zone', id, props: null })
    setFocus({ key: Date.now(), kind: 'zone', id, bbox: null })
  }, [])
  // A priority gap chosen in the coverage panel: flown to.
  const onPlace = useCallback((bbox: [number, number, number, number]) => setFocus({ key: Date.now(), kind: 'place', bbox }), [])
  const onChoose = useCallback((r: SearchResult) => {
    if (r.kind === 'team') {
      // a team has no details of its own: the map shows its zones and routes
      setFocus({ key: Date.now(), kind: 'team', bbox: r.bbox })
      setVisible((v) => (v.zones && v.routes ? v : { ...v, zones: true, routes: true }))
      return
    }
    setSelection({ kind: r.kind, id: r.id, props: null } as Selection)
    setFocus({ key: Date.now(), bbox: r.bbox, kind: r.kind })
    if (r.kind === 'building') setVisible((v) => (v.buildings ? v : { ...v, buildings: true }))
    else setVisible((v) => (v.zones ? v : { ...v, zones: true }))
  }, [])

  const wide = window.innerWidth > 720
  const openPanels = (selection !== null ? 1 : 0) + (analysis.open ? 1 : 0) + (coverage.open ? 1 : 0) + (planning ? 1 : 0) + (peopleOpen ? 1 : 0) + (importing ? 1 : 0)
  // The dock claims room on the map only while it shows a panel.
  const docked = openPanels > 0 && !dockCollapsed
  const insets: MapInsets = useMemo(
    () => ({ left: meeting.open ? meetingWidth : panelOpen && wide ? PANEL_INSET : 0, right: docked ? dockInsets.right : 0, bottom: docked ? dockInsets.bottom : 0 }),
    [meeting.open, meetingWidth, panelOpen, wide, docked, dockInsets],
  )
  // Something newly selected unfolds the dock, where its details are (not its properties arriving).
  const selected = selection === null ? null : `${selection.kind}:${selection.id}`
  useEffect(() => {
    if (selected !== null) setDockCollapsed(false)
  }, [selected])
  // A dock tool opening or closing unfolds the dock; on a crowded screen the layer list folds away.
  const toggleTool = useCallback((flip: () => void) => {
    flip()
    setDockCollapsed(false)
    if (window.innerWidth <= CROWDED) setPanelOpen(false)
  }, [])
  const toggleAnalysis = useCallback(() => toggleTool(() => setAnalysis((a) => ({ ...a, open: !a.open }))), [toggleTool])
  const toggleCoverage = useCallback(() => toggleTool(() => setCoverage((c) => ({ ...c, open: !c.open }))), [toggleTool])
  const togglePlan = useCallback(() => toggleTool(() => setPlanOpen((o) => !o)), [toggleTool])
  const togglePeople = useCallback(() => toggleTool(() => setPeopleOpen((o) => !o)), [toggleTool])
  const toggleImport = useCallback(() => toggleTool(() => setImportOpen((o) => !o)), [toggleTool])
  const onSaved = useCallback(() => setDataVersion((v) => v + 1), [])
  // The empty views' button: the import panel opens (it stays open if it is)
  const openImport = useCallback(() => toggleTool(() => setImportOpen(true)), [toggleTool])
  const contents: ContentsValue = useMemo(() => ({ counts: currentCounts, mayImport: mayPlan, openImport }), [currentCounts, mayPlan, openImport])
  const toggleMeeting = useCallback(() => {
    setMeeting((m) => ({ ...m, open: !m.open }))
    setPanelOpen(false)
  }, [])
  const onMeeting = useCallback((patch: Partial<MeetingState>) => setMeeting((m) => ({ ...m, ...patch })), [])
  // A zone chosen in the meeting view: flown to (its page opens in the view, not the dock)
  const onFlyToZone = useCallback((id: number) => setFocus({ key: Date.now(), kind: 'zone', id, bbox: null }), [])
  const categories = useMemo(() => orderCategories([...Object.keys(overall?.byCategory ?? {}), ...(filter.categories ?? [])]), [overall, filter.categories])
  const sharedFilter = useMemo(() => new URLSearchParams(filterParams(filter)), [filter])

  return (
    <ContentsContext.Provider value={contents}>
    <div className="app">
      <Header community={community}>
        {community !== null && <Search communityId={community.id} onChoose={onChoose} />}
        {community !== null && (
          <button type="button" className="header-meeting" aria-pressed={meeting.open} data-testid="meeting-toggle" title={t('meeting.open.title')} onClick={toggleMeeting}>
            {t('meeting.open')}
          </button>
        )}
      </Header>
      <FilterBar
        filter={filter}
        onChange={setFilter}
        period={period}
        categories={categories.length > 0 ? categories : INCIDENT_CATEGORIES.map((c) => c.category)}
        summary={summary !== null && summary.query === query ? summary.value : null}
        total={overall?.total ?? null}
      />
      <main
        className="map-area"
        // the map's own controls (zoom buttons, scale, attribution) stay clear of the dock
        style={{ '--dock-right': `${dockInsets.right}px`, '--dock-bottom': `${dockInsets.bottom}px` } as CSSProperties}
      >
        {community !== null && (
          <MapView
            community={community}
            t={t}
            lang={lang}
            initialView={initial.view}
            visible={visible}
            opacity={opacity}
            buildings={buildings}
            filter={filter}
            selection={selection}
            focus={focus}
            insets={insets}
            quiet={coverage.open ? coverage.network : null}
            onTeams={setTeams}
            onProblem={onProblem}
            onSelect={setSelection}
            onView={setView}
            onMap={setMap}
            interactive={!planBusy && !peopleBusy && !importBusy}
            dataVersion={dataVersion}
          />
        )}
        {loading && <div className="loading">{t('app.loading')}</div>}
        <LayerPanel
          visible={visible}
          opacity={opacity}
          teams={teams}
          buildings={buildings}
          categories={filter.categories}
          zoom={view?.zoom ?? null}
          open={panelOpen}
          quiet={coverage.open ? coverage.network : null}
          onOpen={setPanelOpen}
          onToggle={onToggle}
          onOpacity={onOpacity}
          onBuildings={setBuildings}
          exactIncidents={exactIncidents}
          sample={community?.sample ?? false}
        />
        <Dock
          tools={[
            { id: 'analysis', label: 'analysis.open', open: analysis.open, onToggle: toggleAnalysis },
            { id: 'coverage', label: 'coverage.open', open: coverage.open, onToggle: toggleCoverage },
            ...(mayPlan ? [{ id: 'plan', label: 'plan.open' as const, open: planning, onToggle: togglePlan }] : []),
            { id: 'people', label: 'people.open', open: peopleOpen, onToggle: togglePeople },
            ...(mayPlan ? [{ id: 'import', label: 'import.open' as const, open: importing, onToggle: toggleImport }] : []),
          ]}
          hasPanels={openPanels > 0}
          panelCount={openPanels}
          collapsed={dockCollapsed}
          onCollapse={setDockCollapsed}
          onInsets={setDockInsets}
        >
          {community !== null && mayPlan && opened.plan && (
            <Suspense fallback={<p className="analysis-status">{t('plan.loading')}</p>}>
              <PlanPanel
              community={community}
              map={map}
              open={planning}
              onClose={togglePlan}
              filterParams={sharedFilter}
              teams={teams}
              selection={selection}
              onSelect={setSelection}
              maxBuildings={coverage.maxBuildings}
              onBusy={setPlanBusy}
              onSaved={onSaved}
              />
            </Suspense>
          )}
          {community !== null && opened.people && (
            <Suspense fallback={<p className="analysis-status">{t('plan.loading')}</p>}>
              <PeoplePanel community={community} map={map} open={peopleOpen} onClose={togglePeople} from={filter.from} to={filter.to} onBusy={setPeopleBusy} onPlace={onPlace} />
            </Suspense>
          )}
          {community !== null && mayPlan && opened.import && (
            <Suspense fallback={<p className="analysis-status">{t('plan.loading')}</p>}>
              <ImportPanel community={community} map={map} open={importing} onClose={toggleImport} onImported={onSaved} onBusy={setImportBusy} />
            </Suspense>
          )}
          {community !== null && selection !== null && (
            <DetailsPanel
              // a save reloads it (keys of the dock's panels differ: they share one list of children)
              key={`details-${dataVersion}`}
              selection={selection}
              community={community}
              teams={teams}
              filter={filter}
              onSelect={setSelection}
              onClose={() => setSelection(null)}
            />
          )}
          <Suspense fallback={null}>
            {community !== null && opened.analysis && <AnalysisPanel community={community} map={map} filterParams={sharedFilter} settings={analysis} onChange={onAnalysis} onPeriod={onPeriod} />}
            {community !== null && opened.coverage && (
              <CoveragePanel key={`coverage-${dataVersion}`} community={community} map={map} filterParams={sharedFilter} settings={coverage} onChange={onCoverage} onCaptain={onCaptain} onZone={onZone} onPlace={onPlace} />
            )}
          </Suspense>
        </Dock>
        {community !== null && opened.meeting && meeting.open && (
          <Suspense fallback={<div className="loading">{t('meeting.loading')}</div>}>
            <MeetingView
              community={community}
              map={map}
              state={meeting}
              onChange={onMeeting}
              latest={period?.last ?? null}
              mayFile={mayPlan}
              onFly={onFlyToZone}
              onWidth={setMeetingWidth}
              onClose={toggleMeeting}
            />
          </Suspense>
        )}
        <Problems problems={problems} onDismiss={(id) => setProblems((list) => list.filter((p) => p.id !== id))} />
        {!meeting.open && !importing && <MapNotice folded={noticeFolded} onFold={setNoticeFolded} left={insets.left} right={dockInsets.right} />}
      </main>
    </div>
    </ContentsContext.Provider>
  )
}

/**
 * The session decides what shows: the login page (over the same URL, so the map comes back as it
 * was), the page for choosing a new password when one is required or asked for, or the map.
 */
function SessionGate() {
  const { t } = useI18n()
  const { session, refresh, signOut } = useSession()
  const [choosingPassword, setChoosingPassword] = useState(false)
  const user = useMemo(
    () => (session.status === 'user' ? { user: session.user, signOut, changePassword: () => setChoosingPassword(true) } : null),
    [session, signOut],
  )
  if (session.status === 'loading') return <div className="loading">{t('auth.loading')}</div>
  if (session.status === 'anonymous') return <LoginPage ended={session.ended} onLoggedIn={refresh} />
  if (session.user.mustChangePassword || choosingPassword)
    return (
      <PasswordPage
        required={session.user.mustChangePassword}
        onDone={() => {
          setChoosingPassword(false)
          refresh()
        }}
        onCancel={session.user.mustChangePassword ? undefined : () => setChoosingPassword(false)}
      />
    )
  return (
    <UserContext.Provider value={user}>
      <Shell />
    </UserContext.Provider>
  )
}

/** The whole app. */
export function App() {
  return (
    <I18nProvider>
      <SessionGate />
    </I18nProvider>
  )
}
