/** What the user arranged: chart panes (market + timeframe), tape and watchlist settings. Persisted. */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { MarketRef } from '../../../shared/domain';
import type { WatchSort } from '../lib/watchlist-rows';

export interface ChartSpec {
  id: string;
  /** null until the user (or the first configured market) picks one. */
  market: MarketRef | null;
  tf: string;
}

export const MAX_CHARTS = 4;

export interface LayoutState {
  charts: ChartSpec[];
  activeChartId: string;
  /** Trades at or above this notional (price * size, quote currency) are highlighted. */
  tapeMinQuote: number;
  tapeScope: 'chart' | 'all';
  watchSort: WatchSort;
  bottomTab: 'health' | 'feeds';
  addChart(): void;
  removeChart(id: string): void;
  setChartMarket(id: string, market: MarketRef): void;
  setChartTf(id: string, tf: string): void;
  setActiveChart(id: string): void;
  setTapeMinQuote(v: number): void;
  setTapeScope(v: 'chart' | 'all'): void;
  setWatchSort(s: WatchSort): void;
  setBottomTab(t: 'health' | 'feeds'): void;
}

function newId(charts: ChartSpec[]): string {
  for (let n = 1; ; n++) if (!charts.some((c) => c.id === `chart-${n}`)) return `chart-${n}`;
}

export const useLayout = create<LayoutState>()(
  persist(
    (set, get) => ({
      charts: [{ id: 'chart-1', market: null, tf: '1s' }],
      activeChartId: 'chart-1',
      tapeMinQuote: 10_000,
      tapeScope: 'chart',
      watchSort: { key: 'market', dir: 'asc' },
      bottomTab: 'health',
      addChart: () => {
        const { charts, activeChartId } = get();
        if (charts.length >= MAX_CHARTS) return;
        const from = charts.find((c) => c.id === activeChartId) ?? charts[charts.length - 1];
        const id = newId(charts);
        set({ charts: [...charts, { id, market: from?.market ?? null, tf: from?.tf ?? '1s' }], activeChartId: id });
      },
      removeChart: (id) => {
        const charts = get().charts.filter((c) => c.id !== id);
        if (charts.length === 0) return;
        const activeChartId = get().activeChartId === id ? charts[0]!.id : get().activeChartId;
        set({ charts, activeChartId });
      },
      setChartMarket: (id, market) =>
        set({ charts: get().charts.map((c) => (c.id === id ? { ...c, market } : c)), activeChartId: id }),
      setChartTf: (id, tf) => set({ charts: get().charts.map((c) => (c.id === id ? { ...c, tf } : c)) }),
      setActiveChart: (id) => set({ activeChartId: id }),
      setTapeMinQuote: (v) => set({ tapeMinQuote: Number.isFinite(v) && v >= 0 ? v : 0 }),
      setTapeScope: (tapeScope) => set({ tapeScope }),
      setWatchSort: (watchSort) => set({ watchSort }),
      setBottomTab: (bottomTab) => set({ bottomTab }),
    }),
    {
      name: 'tickscope.layout',
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({
        charts: s.charts,
        activeChartId: s.activeChartId,
        tapeMinQuote: s.tapeMinQuote,
        tapeScope: s.tapeScope,
        watchSort: s.watchSort,
        bottomTab: s.bottomTab,
      }),
    },
  ),
);

/** The chart the watchlist and keyboard shortcuts act on. */
export function activeChart(s: Pick<LayoutState, 'charts' | 'activeChartId'>): ChartSpec | undefined {
  return s.charts.find((c) => c.id === s.activeChartId) ?? s.charts[0];
}
