/**
 * The desktop UI: charts on the left, watchlist and tape on the right, health and feed
 * configuration below; every split is resizable and remembered.
 */
import { Group, Panel, Separator, useDefaultLayout } from 'react-resizable-panels';
import { BottomPane } from './components/BottomPane';
import { ChartGrid } from './components/chart/ChartGrid';
import { NoticeBar } from './components/NoticeBar';
import { TopBar } from './components/TopBar';
import { TradeTape } from './components/tape/TradeTape';
import { Watchlist } from './components/watchlist/Watchlist';
import { useTimeframeKeys } from './hooks/use-timeframe-keys';

function usePersistedLayout(id: string, panelIds: string[]) {
  return useDefaultLayout({ id, panelIds, storage: localStorage });
}

export function App() {
  useTimeframeKeys();
  const rows = usePersistedLayout('tickscope-rows', ['panel-top', 'panel-bottom']);
  const cols = usePersistedLayout('tickscope-cols', ['panel-charts', 'panel-side']);
  const side = usePersistedLayout('tickscope-side', ['panel-watchlist', 'panel-tape']);
  return (
    <div className="app">
      <TopBar />
      <NoticeBar />
      <main className="workspace">
        <Group orientation="vertical" defaultLayout={rows.defaultLayout} onLayoutChanged={rows.onLayoutChanged}>
          <Panel id="panel-top" defaultSize="64%" minSize="25%">
            <Group orientation="horizontal" defaultLayout={cols.defaultLayout} onLayoutChanged={cols.onLayoutChanged}>
              <Panel id="panel-charts" defaultSize="68%" minSize="30%">
                <ChartGrid />
              </Panel>
              <Separator className="separator vertical" aria-label="Resize charts and side panes" />
              <Panel id="panel-side" defaultSize="32%" minSize="15%">
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
          <Panel id="panel-bottom" defaultSize="36%" minSize="10%">
            <BottomPane />
          </Panel>
        </Group>
      </main>
    </div>
  );
}
