/**
 * One row, at any width: market picker, timeframes (with their number-key shortcuts), the Studies
 * menu, CSV export and close. Below COMPACT_WIDTH the timeframes become a select and export/close
 * move into a "More" menu, so the row never wraps and nothing is cut off.
 */
import { useEffect, useRef, useState, type ChangeEvent, type ReactNode } from 'react';
import { marketKey, parseMarketKey } from '../../../../shared/markets';
import { chartableMarkets, marketLabel } from '../../lib/markets';
import { useLayout, type ChartSpec } from '../../stores/layout-store';
import { useSession } from '../../stores/session-store';
import { ExportCsv } from './ExportCsv';
import { HeatmapToggle } from './HeatmapToggle';
import { StudiesMenu } from './StudiesMenu';

/**
 * Chart widths (px) below which the toolbar folds into its compact form. 800 since the Studies
 * menu and the Heatmap toggle (issue 12) joined the row: at 560-800 px the full row squeezed the
 * market picker to a sliver and overflowed (2 charts side by side at 1920 px are 667 px wide).
 */
export const COMPACT_WIDTH = 800;

export function ChartToolbar({ spec, index, canClose, compact }: { spec: ChartSpec; index: number; canClose: boolean; compact: boolean }) {
  const feeds = useSession((s) => s.feeds);
  const timeframes = useSession((s) => s.timeframes);
  const { setChartMarket, setChartTf, removeChart } = useLayout.getState();
  const markets = chartableMarkets(feeds);
  const current = spec.market ? marketKey(spec.market) : '';
  const known = markets.some((m) => marketKey(m) === current);
  const n = index + 1;

  const onMarket = (e: ChangeEvent<HTMLSelectElement>) => {
    const m = parseMarketKey(e.target.value);
    if (m) setChartMarket(spec.id, m);
  };
  const shortcut = (i: number) => (i < 9 ? String(i + 1) : undefined);

  return (
    <div className={`chart-toolbar${compact ? ' compact' : ''}`} role="toolbar" aria-label={`Chart ${n} toolbar`}>
      <select className="market-select" aria-label={`Market for chart ${n}`} value={current} onChange={onMarket}>
        {!known && <option value={current}>{spec.market ? marketLabel(spec.market) : 'Pick a market'}</option>}
        {markets.map((m) => (
          <option key={marketKey(m)} value={marketKey(m)}>
            {marketLabel(m)}
          </option>
        ))}
      </select>
      {compact ? (
        <select aria-label={`Timeframe for chart ${n}`} value={spec.tf} onChange={(e) => setChartTf(spec.id, e.target.value)}>
          {timeframes.map((tf, i) => (
            <option key={tf} value={tf}>
              {tf}
              {shortcut(i) ? ` (key ${shortcut(i)})` : ''}
            </option>
          ))}
        </select>
      ) : (
        <div className="tf-buttons" role="group" aria-label={`Timeframe for chart ${n}`}>
          {timeframes.map((tf, i) => (
            <button
              key={tf}
              type="button"
              aria-pressed={spec.tf === tf}
              aria-keyshortcuts={shortcut(i)}
              title={shortcut(i) ? `${tf} (key ${shortcut(i)})` : tf}
              onClick={() => setChartTf(spec.id, tf)}
            >
              {tf}
            </button>
          ))}
        </div>
      )}
      <span className="toolbar-spacer" />
      <HeatmapToggle spec={spec} n={n} />
      <StudiesMenu spec={spec} n={n} />
      {compact ? (
        <MoreMenu n={n}>
          <ExportCsv market={spec.market} tf={spec.tf} index={index} />
          {canClose && (
            <button type="button" aria-label={`Close chart ${n}`} onClick={() => removeChart(spec.id)}>
              Close chart
            </button>
          )}
        </MoreMenu>
      ) : (
        <>
          <ExportCsv market={spec.market} tf={spec.tf} index={index} />
          {canClose && (
            <button type="button" className="icon-button" aria-label={`Close chart ${n}`} title="Close chart" onClick={() => removeChart(spec.id)}>
              ×
            </button>
          )}
        </>
      )}
    </div>
  );
}

/** A disclosure button with a small panel under it; Escape or a click elsewhere closes it. */
function MoreMenu({ n, children }: { n: number; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <span className="more-menu" ref={root}>
      <button type="button" aria-label={`More for chart ${n}`} aria-expanded={open} title="Export, close" onClick={() => setOpen(!open)}>
        ⋯
      </button>
      {open && (
        <div className="more-panel" role="group" aria-label={`More for chart ${n}`}>
          {children}
        </div>
      )}
    </span>
  );
}
