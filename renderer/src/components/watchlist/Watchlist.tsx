/**
 * Every configured market: last, 24 h change and turnover (from the core, so they survive a
 * reload), bid/ask/spread, trades/s, feed state; perp funding and mark. Columns that do not fit
 * the pane are dropped by priority (watch-columns.ts) rather than cut off. Re-reads the live books
 * twice a second; no render per batch.
 */
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { statsBook } from '../../stores/live-books';
import { useHealth } from '../../stores/health-store';
import { activeChart, useLayout } from '../../stores/layout-store';
import { useSession } from '../../stores/session-store';
import { pollStats24, stats24 } from '../../stores/stats-24h';
import { useTicker } from '../../hooks/use-ticker';
import { buildWatchRows, sortWatchRows, type WatchRow, type WatchSortKey } from '../../lib/watchlist-rows';
import { visibleColumns, type WatchColumn } from '../../lib/watch-columns';
import { marketKey } from '../../../../shared/markets';
import type { MarketRef } from '../../../../shared/domain';
import { StateDot } from '../StateDot';
import { WatchCell } from './WatchCell';
import { WatchMarketCell } from './WatchMarketCell';
import './watchlist.css';

/** The columns that fit the scroll area's width; re-renders only when that set changes. */
function useFittingColumns(scrollRef: RefObject<HTMLDivElement | null>, hasPerp: boolean): WatchColumn[] {
  const [width, setWidth] = useState(0);
  const [squeeze, setSqueeze] = useState(0);
  const shownKey = useRef('');
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => {
      const w = el.clientWidth;
      if (w <= 0) return;
      const k = visibleColumns(w, hasPerp).map((c) => c.key).join();
      if (k === shownKey.current) return;
      shownKey.current = k;
      setSqueeze(0);
      setWidth(w);
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [scrollRef, hasPerp]);
  // The widths are estimates: if the table still overflows (a long symbol, another font), drop
  // one more column. Measured once per column set, not per tick.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const table = el?.querySelector('table');
    if (el && table && width > 0 && table.scrollWidth > el.clientWidth + 1 && squeeze < 6) setSqueeze(squeeze + 1);
  }, [scrollRef, width, squeeze]);
  return visibleColumns(width, hasPerp, squeeze);
}

export function Watchlist() {
  useTicker(500); // the live books change per batch; the table re-reads them twice a second
  const feeds = useSession((s) => s.feeds);
  const client = useSession((s) => s.client);
  // Read on the tick, not subscribed: a health snapshot alone would be one more render and page
  // layout between ticks, for numbers the next tick shows anyway.
  const health = useHealth.getState().health;
  const sort = useLayout((s) => s.watchSort);
  const chart = useLayout(activeChart);
  const { setWatchSort, setChartMarket } = useLayout.getState();
  const scrollRef = useRef<HTMLDivElement>(null);
  const book = statsBook();
  const rows = sortWatchRows(buildWatchRows(feeds, { live: (k) => book.get(k), day: stats24, usdPrice: book.usdPrice }, health), sort);
  const hasPerp = rows.some((r) => r.market === 'perp');
  const columns = useFittingColumns(scrollRef, hasPerp);
  const selected = chart?.market ? marketKey(chart.market) : '';
  const fundingShown = columns.some((c) => c.key === 'funding');

  // The 24 h numbers come from the core, refreshed while the watchlist is shown.
  const marketsKey = feeds.map((f) => `${f.exchange}:${f.market}:${f.symbols.join(',')}`).join('|');
  useEffect(() => {
    if (!client) return;
    const markets = (): MarketRef[] => useSession.getState().feeds.flatMap((f) => f.symbols.map((symbol) => ({ exchange: f.exchange, market: f.market, symbol })));
    return pollStats24(client, markets);
  }, [client, marketsKey]);

  // Same column: reverse. New column: names A-Z, numbers largest first.
  const onSort = (key: WatchSortKey) =>
    setWatchSort(
      sort.key === key ? { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'market' ? 'asc' : 'desc' },
    );
  const chartRow = (r: WatchRow) => chart && setChartMarket(chart.id, { exchange: r.exchange, market: r.market, symbol: r.symbol });
  const sortHeader = (key: WatchSortKey, label: string, title: string, num: boolean) => (
    <th key={key} className={num ? 'num' : undefined} title={title} aria-sort={sort.key === key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort-button" aria-label={`Sort by ${label}`} onClick={() => onSort(key)}>
        {label}
        {sort.key === key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );

  return (
    <section className="pane watchlist" aria-label="Watchlist">
      <header className="pane-header">
        <h2>Watchlist</h2>
      </header>
      <div className="pane-scroll" ref={scrollRef}>
        <table className="grid-table watch-table" aria-label="Markets" data-columns={columns.map((c) => c.key).join(' ')}>
          <thead>
            <tr>
              <th aria-label="State" />
              {sortHeader('market', 'Market', 'Market, market type and venue', false)}
              {columns.map((c) => sortHeader(c.key, c.label, c.title, true))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.key}
                data-market={r.key}
                data-state={r.state}
                data-enabled={r.enabled ? 'true' : 'false'}
                aria-selected={r.key === selected}
                className={[r.key === selected ? 'selected' : '', r.enabled ? '' : 'disabled'].join(' ').trim() || undefined}
                onClick={() => chartRow(r)}
              >
                <td className="state-cell">
                  <StateDot state={r.state} />
                  {!r.enabled && <span className="cell-sub">off</span>}
                </td>
                <WatchMarketCell row={r} onChart={() => chartRow(r)} />
                {columns.map((c) => (
                  <WatchCell key={c.key} column={c.key} row={r} fundingInline={!fundingShown} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <p className="empty">No markets configured. Add a feed in the Feeds tab.</p>}
      </div>
    </section>
  );
}
