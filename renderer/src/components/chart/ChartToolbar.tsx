/** Market picker, timeframe buttons (with their 1-9 shortcuts) and the close button of one chart. */
import type { ChangeEvent } from 'react';
import { chartableMarkets, marketId, marketLabel, parseMarketId } from '../../lib/markets';
import { useLayout, type ChartSpec } from '../../stores/layout-store';
import { useSession } from '../../stores/session-store';
import { ExportCsv } from './ExportCsv';

export function ChartToolbar({ spec, index, canClose }: { spec: ChartSpec; index: number; canClose: boolean }) {
  const feeds = useSession((s) => s.feeds);
  const timeframes = useSession((s) => s.timeframes);
  const { setChartMarket, setChartTf, removeChart } = useLayout.getState();
  const markets = chartableMarkets(feeds);
  const current = spec.market ? marketId(spec.market) : '';
  const known = markets.some((m) => marketId(m) === current);

  const onMarket = (e: ChangeEvent<HTMLSelectElement>) => {
    const m = parseMarketId(e.target.value);
    if (m) setChartMarket(spec.id, m);
  };

  return (
    <div className="chart-toolbar">
      <select aria-label={`Market for chart ${index + 1}`} value={current} onChange={onMarket}>
        {!known && <option value={current}>{spec.market ? marketLabel(spec.market) : 'Pick a market'}</option>}
        {markets.map((m) => (
          <option key={marketId(m)} value={marketId(m)}>
            {marketLabel(m)}
          </option>
        ))}
      </select>
      <div className="tf-buttons" role="group" aria-label={`Timeframe for chart ${index + 1}`}>
        {timeframes.map((tf, i) => (
          <button
            key={tf}
            type="button"
            aria-pressed={spec.tf === tf}
            aria-keyshortcuts={i < 9 ? String(i + 1) : undefined}
            title={i < 9 ? `${tf} (key ${i + 1})` : tf}
            onClick={() => setChartTf(spec.id, tf)}
          >
            {tf}
          </button>
        ))}
      </div>
      <ExportCsv market={spec.market} tf={spec.tf} index={index} />
      {canClose && (
        <button type="button" className="icon-button" aria-label={`Close chart ${index + 1}`} onClick={() => removeChart(spec.id)}>
          ×
        </button>
      )}
    </div>
  );
}
