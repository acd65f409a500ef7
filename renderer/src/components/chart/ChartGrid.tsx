/**
 * The charts in their arrangement: one, two side by side, two stacked, or a 2x2 grid (three
 * charts: two on top, one below). Every split is resizable and its sizes persist per arrangement.
 * A pane re-mounted by a change of arrangement keeps its zoom (see chart-view's saved views).
 */
import { Fragment } from 'react';
import { Group, Panel, Separator, useDefaultLayout } from 'react-resizable-panels';
import { chartRows } from '../../lib/chart-layout';
import { useLayout, type ChartSpec } from '../../stores/layout-store';
import { ChartPane } from './ChartPane';

function Row({ charts, indexes, rowKey, orientation }: { charts: ChartSpec[]; indexes: number[]; rowKey: string; orientation: 'horizontal' | 'vertical' }) {
  const ids = indexes.map((i) => `panel-${charts[i]!.id}`);
  const { defaultLayout, onLayoutChanged } = useDefaultLayout({ id: `tickscope-charts-${rowKey}`, panelIds: ids, storage: localStorage });
  const canClose = charts.length > 1;
  return (
    <Group key={ids.join(',')} orientation={orientation} defaultLayout={defaultLayout} onLayoutChanged={onLayoutChanged}>
      {indexes.map((i, k) => {
        const c = charts[i]!;
        return (
          <Fragment key={c.id}>
            {k > 0 && (
              <Separator
                className={`separator ${orientation === 'horizontal' ? 'vertical' : 'horizontal'}`}
                aria-label={`Resize charts ${indexes[k - 1]! + 1} and ${i + 1}`}
              />
            )}
            <Panel id={`panel-${c.id}`} minSize="15%">
              <ChartPane spec={c} index={i} canClose={canClose} />
            </Panel>
          </Fragment>
        );
      })}
    </Group>
  );
}

export function ChartGrid() {
  const charts = useLayout((s) => s.charts);
  const arrangement = useLayout((s) => s.arrangement);
  const rows = chartRows(arrangement, charts.length);
  const sig = `${arrangement}-${charts.map((c) => c.id).join(',')}`;
  if (arrangement !== 'grid' || rows.length === 1) {
    const all = rows.flat();
    return (
      <div className="chart-grid" data-arrangement={arrangement}>
        <Row key={sig} charts={charts} indexes={all} rowKey={`${arrangement}-${all.length}`} orientation={arrangement === 'rows' ? 'vertical' : 'horizontal'} />
      </div>
    );
  }
  return (
    <div className="chart-grid" data-arrangement={arrangement}>
      <GridRows key={sig} charts={charts} rows={rows} />
    </div>
  );
}

function GridRows({ charts, rows }: { charts: ChartSpec[]; rows: number[][] }) {
  const ids = rows.map((_, r) => `grid-row-${r}`);
  const { defaultLayout, onLayoutChanged } = useDefaultLayout({ id: `tickscope-grid-rows-${charts.length}`, panelIds: ids, storage: localStorage });
  return (
    <Group orientation="vertical" defaultLayout={defaultLayout} onLayoutChanged={onLayoutChanged}>
      {rows.map((indexes, r) => (
        <Fragment key={ids[r]}>
          {r > 0 && <Separator className="separator horizontal" aria-label="Resize chart rows" />}
          <Panel id={ids[r]} minSize="15%">
            <Row charts={charts} indexes={indexes} rowKey={`grid-${charts.length}-row${r}`} orientation="horizontal" />
          </Panel>
        </Fragment>
      ))}
    </Group>
  );
}
