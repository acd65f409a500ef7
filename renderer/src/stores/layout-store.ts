/** What the user arranged: chart panes (market + timeframe), tape and watchlist settings. Persisted. */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { MarketRef } from '../../../shared/domain';
import type { BookGroup } from '../lib/book-ladder';
import type { StudySettings } from '../chart/studies/settings';
import { arrangementFor, LAYOUT_PRESETS, type Arrangement } from '../lib/chart-layout';
import { DEFAULT_LIQ_MARKER_MIN, DEFAULT_TAPE_LEVELS } from '../lib/tape';
import type { WatchSort } from '../lib/watchlist-rows';

export interface ChartSpec {
  id: string;
  /** null until the user (or the first configured market) picks one. */
  market: MarketRef | null;
  tf: string;
  /** The depth heatmap is drawn behind the candles (absent = off). */
  heatmap?: boolean;
  /** Studies shown on this chart (absent = none; read through normalizeStudies). */
  studies?: Partial<StudySettings>;
}

export const MAX_CHARTS = 4;

export interface LayoutState {
  charts: ChartSpec[];
  activeChartId: string;
  /** How the charts are arranged (presets 1, 2 side by side, 2 stacked, 2x2). */
  arrangement: Arrangement;
  /** The bottom pane (health, feeds) folded down to its tab bar. */
  bottomCollapsed: boolean;
  /** The health pane's developer metrics (seq, heap, RSS, loop delay, queues) are shown. */
  healthDetails: boolean;
  /** The first-run hint (prices are simulated, add a feed in Feeds) was dismissed. */
  firstRunHintDismissed: boolean;
  /** Tape highlight levels in dollars of notional (price * size), ascending; 0 = a level is off. */
  tapeLevels: number[];
  /** Bars whose liquidations total less than this (dollars) get no chart marker. */
  liqMarkerMin: number;
  tapeScope: 'chart' | 'all';
  watchSort: WatchSort;
  bottomTab: 'health' | 'feeds' | 'alerts';
  /** The order-book ladder beside the charts is shown. */
  bookOpen: boolean;
  /** Price grouping the user chose per market key; a market not here gets one from its price. */
  bookGroups: Record<string, BookGroup>;
  addChart(): void;
  removeChart(id: string): void;
  setChartMarket(id: string, market: MarketRef): void;
  setChartTf(id: string, tf: string): void;
  /** Turns studies of one chart on or off (merged into what it has). */
  setChartStudies(id: string, studies: Partial<StudySettings>): void;
  setChartHeatmap(id: string, on: boolean): void;
  setActiveChart(id: string): void;
  /** Sets level `i` (0-based) in dollars; a bad value turns it off. */
  setTapeLevel(i: number, v: number): void;
  setLiqMarkerMin(v: number): void;
  setTapeScope(v: 'chart' | 'all'): void;
  setWatchSort(s: WatchSort): void;
  setBottomTab(t: 'health' | 'feeds' | 'alerts'): void;
  /** Applies a preset (LAYOUT_PRESETS id): adds charts (copies of the active one) or drops the last ones. */
  setPreset(id: string): void;
  setBottomCollapsed(v: boolean): void;
  setHealthDetails(v: boolean): void;
  dismissFirstRunHint(): void;
  setBookOpen(v: boolean): void;
  setBookGroup(marketKey: string, g: BookGroup): void;
}

function newId(charts: ChartSpec[]): string {
  for (let n = 1; ; n++) if (!charts.some((c) => c.id === `chart-${n}`)) return `chart-${n}`;
}

export const useLayout = create<LayoutState>()(
  persist(
    (set, get) => ({
      charts: [{ id: 'chart-1', market: null, tf: '1s' }],
      activeChartId: 'chart-1',
      arrangement: 'single',
      bottomCollapsed: false,
      healthDetails: false,
      firstRunHintDismissed: false,
      tapeLevels: [...DEFAULT_TAPE_LEVELS],
      liqMarkerMin: DEFAULT_LIQ_MARKER_MIN,
      tapeScope: 'chart',
      watchSort: { key: 'market', dir: 'asc' },
      bottomTab: 'health',
      bookOpen: false,
      bookGroups: {},
      addChart: () => {
        const { charts, activeChartId } = get();
        if (charts.length >= MAX_CHARTS) return;
        const from = charts.find((c) => c.id === activeChartId) ?? charts[charts.length - 1];
        const id = newId(charts);
        const next = [...charts, { id, market: from?.market ?? null, tf: from?.tf ?? '1s' }];
        set({ charts: next, activeChartId: id, arrangement: arrangementFor(next.length, get().arrangement) });
      },
      removeChart: (id) => {
        const charts = get().charts.filter((c) => c.id !== id);
        if (charts.length === 0) return;
        const activeChartId = get().activeChartId === id ? charts[0]!.id : get().activeChartId;
        set({ charts, activeChartId, arrangement: arrangementFor(charts.length, get().arrangement) });
      },
      setPreset: (presetId) => {
        const preset = LAYOUT_PRESETS.find((p) => p.id === presetId);
        if (!preset) return;
        let charts = get().charts.slice(0, preset.count);
        const from = activeChart(get()) ?? charts[charts.length - 1];
        while (charts.length < preset.count) {
          charts = [...charts, { id: newId(charts), market: from?.market ?? null, tf: from?.tf ?? '1s' }];
        }
        const activeChartId = charts.some((c) => c.id === get().activeChartId) ? get().activeChartId : charts[0]!.id;
        set({ charts, activeChartId, arrangement: preset.arrangement });
      },
      setBottomCollapsed: (bottomCollapsed) => set({ bottomCollapsed }),
      setHealthDetails: (healthDetails) => set({ healthDetails }),
      dismissFirstRunHint: () => set({ firstRunHintDismissed: true }),
      setChartMarket: (id, market) =>
        set({ charts: get().charts.map((c) => (c.id === id ? { ...c, market } : c)), activeChartId: id }),
      setChartTf: (id, tf) => set({ charts: get().charts.map((c) => (c.id === id ? { ...c, tf } : c)) }),
      setChartStudies: (id, studies) =>
        set({ charts: get().charts.map((c) => (c.id === id ? { ...c, studies: { ...c.studies, ...studies } } : c)) }),
      setChartHeatmap: (id, heatmap) => set({ charts: get().charts.map((c) => (c.id === id ? { ...c, heatmap } : c)) }),
      setActiveChart: (id) => set({ activeChartId: id }),
      setTapeLevel: (i, v) => {
        if (i < 0 || i >= DEFAULT_TAPE_LEVELS.length) return;
        const levels = [...get().tapeLevels];
        levels[i] = Number.isFinite(v) && v >= 0 ? v : 0;
        set({ tapeLevels: levels });
      },
      setLiqMarkerMin: (v) => set({ liqMarkerMin: Number.isFinite(v) && v >= 0 ? v : 0 }),
      setTapeScope: (tapeScope) => set({ tapeScope }),
      setWatchSort: (watchSort) => set({ watchSort }),
      setBottomTab: (bottomTab) => set({ bottomTab }),
      setBookOpen: (bookOpen) => set({ bookOpen }),
      setBookGroup: (key, g) => set({ bookGroups: { ...get().bookGroups, [key]: g } }),
    }),
    {
      name: 'tickscope.layout',
      version: 3,
      storage: createJSONStorage(() => localStorage),
      // Version 1 had no arrangement: its charts stood side by side (columns). Version 2 had one
      // unitless tape threshold (10,000 quote units): the dollar levels start from their defaults.
      migrate: (persisted, version) => {
        const p = (persisted ?? {}) as Partial<LayoutState> & { tapeMinQuote?: number };
        if (version < 2) p.arrangement = arrangementFor(p.charts?.length ?? 1, 'cols');
        if (version < 3) delete p.tapeMinQuote;
        return p as LayoutState;
      },
      partialize: (s) => ({
        charts: s.charts,
        activeChartId: s.activeChartId,
        arrangement: s.arrangement,
        bottomCollapsed: s.bottomCollapsed,
        healthDetails: s.healthDetails,
        firstRunHintDismissed: s.firstRunHintDismissed,
        tapeLevels: s.tapeLevels,
        liqMarkerMin: s.liqMarkerMin,
        tapeScope: s.tapeScope,
        watchSort: s.watchSort,
        bottomTab: s.bottomTab,
        bookOpen: s.bookOpen,
        bookGroups: s.bookGroups,
      }),
    },
  ),
);

/** The chart the watchlist and keyboard shortcuts act on. */
export function activeChart(s: Pick<LayoutState, 'charts' | 'activeChartId'>): ChartSpec | undefined {
  return s.charts.find((c) => c.id === s.activeChartId) ?? s.charts[0];
}
