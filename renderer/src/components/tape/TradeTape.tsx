/**
 * The trade tape: newest first, virtualised, coloured by side; large trades (by notional) and
 * liquidations stand out. Re-reads the ring buffer four times a second, not per trade.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { COMPOSITE } from '../../../../shared/markets';
import type { TapeEntry } from '../../lib/tape';
import { tapeRowClass } from '../../lib/tape';
import { formatAmount, formatClock, formatPrice } from '../../lib/format';
import { tape } from '../../stores/live-books';
import { activeChart, useLayout } from '../../stores/layout-store';
import { useTicker } from '../../hooks/use-ticker';

const ROW_HEIGHT = 20;
const MAX_ROWS = 2000;

export function TradeTape() {
  useTicker(250);
  const scrollRef = useRef<HTMLDivElement>(null);
  const minQuote = useLayout((s) => s.tapeMinQuote);
  const scope = useLayout((s) => s.tapeScope);
  const chart = useLayout(activeChart);
  const { setTapeMinQuote, setTapeScope } = useLayout.getState();
  const m = chart?.market ?? null;
  const keep =
    scope === 'chart' && m
      ? (e: TapeEntry) => e.symbol === m.symbol && e.market === m.market && (m.exchange === COMPOSITE || e.exchange === m.exchange)
      : undefined;
  const rows = tape.newestFirst(keep, MAX_ROWS);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    getItemKey: (i) => rows[i]?.n ?? i,
  });

  return (
    <section className="pane tape" aria-label="Trade tape">
      <header className="pane-header">
        <h2>Tape</h2>
        <label className="inline-field">
          <span>Show</span>
          <select aria-label="Tape markets" value={scope} onChange={(e) => setTapeScope(e.target.value as 'chart' | 'all')}>
            <option value="chart">active chart</option>
            <option value="all">all markets</option>
          </select>
        </label>
        <label className="inline-field">
          <span>Highlight ≥</span>
          <input
            type="number"
            min={0}
            step={1000}
            aria-label="Highlight trades at or above (quote currency)"
            value={minQuote}
            onChange={(e) => setTapeMinQuote(Number(e.target.value))}
          />
        </label>
        {tape.omitted > 0 && (
          <span className="muted" title="Trades the core left out of batches under load">
            +{tape.omitted} omitted
          </span>
        )}
      </header>
      <div className="tape-head" aria-hidden="true">
        <span>Time</span>
        <span>Market</span>
        <span className="num">Price</span>
        <span className="num">Size</span>
      </div>
      <div ref={scrollRef} className="pane-scroll" role="list" aria-label="Trades, newest first" data-rows={rows.length} tabIndex={0}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const e = rows[v.index]!;
            return (
              <div
                key={v.key}
                role="listitem"
                className={tapeRowClass(e, minQuote)}
                data-kind={e.kind}
                data-side={e.side}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
              >
                <span>{formatClock(e.time)}</span>
                <span className="muted">
                  {e.kind === 'liquidation' ? 'LIQ ' : ''}
                  {e.symbol} {e.exchange}
                </span>
                <span className="num">{formatPrice(e.price)}</span>
                <span className="num">{formatAmount(e.size)}</span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
