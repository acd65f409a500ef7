/**
 * The desktop UI: charts on the left (the order-book ladder beside them when toggled on), watchlist
 * and tape on the right, health and feed configuration below (collapsible to its tab bar); every
 * split is resizable and remembered.
 */
import { useEffect } from 'react';
import { Group, Panel, Separator, useDefaultLayout, usePanelRef } from 'react-resizable-panels';
import { BookLadder } from './components/book/BookLadder';
import { BottomPane } from './components/BottomPane';
import { AlertToasts } from './components/alerts/AlertToasts';
import { listenForShellFocus } from './lib/alert-delivery';
import { ChartGrid } from './components/chart/ChartGrid';
import { FirstRunHint } from './components/FirstRunHint';
import { NoticeBar } from './components/NoticeBar';
import { TopBar } from './components/TopBar';
import { TradeTape } from './components/tape/TradeTape';
import { Watchlist } from './components/watchlist/Watchlist';
import { useTimeframeKeys } from './hooks/use-timeframe-keys';
import { useLayout } from './stores/layout-store';

/** The bottom pane folded: just its tab bar. */
const BOTTOM_COLLAPSED = '30px';

function usePersistedLayout(id: string, panelIds: string[]) {
  return useDefaultLayout({ id, panelIds, storage: localStorage });
}

export function App() {
  useTimeframeKeys();
  const rows = usePersistedLayout('tickscope-rows', ['panel-top', 'panel-bottom']);
  const cols = usePersistedLayout('tickscope-cols', ['panel-charts', 'panel-side']);
  const side = usePersistedLayout('tickscope-side', ['panel-watchlist', 'panel-tape']);
  const bottom = usePanelRef();
  const collapsed = useLayout((s) => s.bottomCollapsed);
  const setCollapsed = useLayout((s) => s.setBottomCollapsed);
  const bookOpen = useLayout((s) => s.bookOpen);
  // Electron: a click on an alert's desktop notification shows its market (lib/alert-delivery.ts).
  useEffect(() => listenForShellFocus(), []);

  // The stored choice wins over a stored size (e.g. a layout saved before the pane could fold).
  useEffect(() => {
    const p = bottom.current;
    if (!p) return;
    if (collapsed && !p.isCollapsed()) p.collapse();
    if (!collapsed && p.isCollapsed()) p.expand();
  }, [bottom, collapsed]);

  const toggleBottom = (open?: boolean) => {
    const p = bottom.current;
    if (!p) return;
    const expand = open ?? p.isCollapsed();
    if (expand) {
      p.expand();
      // After a reload the size it had before folding is not known: not just its minimum.
      if (p.getSize().asPercentage < 20) p.resize('30%');
    } else p.collapse();
    setCollapsed(!expand);
  };

  return (
    <div className="app">
      <TopBar />
      <NoticeBar />
      <AlertToasts />
      <FirstRunHint onOpenFeeds={() => toggleBottom(true)} />
      <main className="workspace">
        <Group orientation="vertical" defaultLayout={rows.defaultLayout} onLayoutChanged={rows.onLayoutChanged}>
          <Panel id="panel-top" defaultSize="70%" minSize="25%">
            <Group orientation="horizontal" defaultLayout={cols.defaultLayout} onLayoutChanged={cols.onLayoutChanged}>
              <Panel id="panel-charts" defaultSize="70%" minSize="30%">
                <div className="charts-with-book">
                  <ChartGrid />
                  {bookOpen && <BookLadder />}
                </div>
              </Panel>
              <Separator className="separator vertical" aria-label="Resize charts and side panes" />
              <Panel id="panel-side" defaultSize="30%" minSize="15%">
                <Group orientation="vertical" defaultLayout={side.defaultLayout} onLayoutChanged={side.onLayoutChanged}>
                  <Panel id="panel-watchlist" defaultSize="50%" minSize="15%">
                    <Watchlist />
                  </Panel>
                  <Separator className="separator horizontal" aria-label="Resize watchlist and tape" />
                  <Panel id="panel-tape" defaultSize="50%" minSize="15%">
                    <TradeTape />
                  </Panel>
                </Group>
              </Panel>
            </Group>
          </Panel>
          <Separator className="separator horizontal" aria-label="Resize top and bottom panes" />
          <Panel
            id="panel-bottom"
            panelRef={bottom}
            defaultSize="30%"
            minSize="12%"
            collapsible
            collapsedSize={BOTTOM_COLLAPSED}
            onResize={() => {
              const c = bottom.current?.isCollapsed() ?? false;
              if (c !== useLayout.getState().bottomCollapsed) setCollapsed(c);
            }}
          >
            <BottomPane collapsed={collapsed} onToggle={() => toggleBottom()} onOpen={() => toggleBottom(true)} />
          </Panel>
        </Group>
      </main>
    </div>
  );
}
