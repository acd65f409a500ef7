/** Up to four charts side by side, resizable; sizes persist in localStorage. */
import { Fragment } from 'react';
import { Group, Panel, Separator, useDefaultLayout } from 'react-resizable-panels';
import { useLayout } from '../../stores/layout-store';
import { ChartPane } from './ChartPane';

export function ChartGrid() {
  const charts = useLayout((s) => s.charts);
  const ids = charts.map((c) => `panel-${c.id}`);
  const { defaultLayout, onLayoutChanged } = useDefaultLayout({ id: `tickscope-charts-${ids.length}`, panelIds: ids, storage: localStorage });
  return (
    <Group key={ids.join(',')} orientation="horizontal" defaultLayout={defaultLayout} onLayoutChanged={onLayoutChanged}>
      {charts.map((c, i) => (
        <Fragment key={c.id}>
          {i > 0 && <Separator className="separator vertical" aria-label={`Resize charts ${i} and ${i + 1}`} />}
          <Panel id={`panel-${c.id}`} minSize="15%">
            <ChartPane spec={c} index={i} canClose={charts.length > 1} />
          </Panel>
        </Fragment>
      ))}
    </Group>
  );
}
