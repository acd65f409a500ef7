/** Every configured market: last, session change, volume, trades/s, feed state; perp funding and mark. */
import { statsBook } from '../../stores/live-books';
import { useHealth } from '../../stores/health-store';
import { activeChart, useLayout } from '../../stores/layout-store';
import { useSession } from '../../stores/session-store';
import { useTicker } from '../../hooks/use-ticker';
import { buildWatchRows, sortWatchRows, type WatchSortKey } from '../../lib/watchlist-rows';
import { formatAmount, formatPercent, formatPrice, formatRate } from '../../lib/format';
import { marketKey } from '../../../../shared/markets';
import { StateDot } from '../StateDot';

const COLUMNS: { key: WatchSortKey; label: string }[] = [
  { key: 'market', label: 'Market' },
  { key: 'last', label: 'Last' },
  { key: 'change', label: 'Chg' },
  { key: 'volume', label: 'Volume' },
  { key: 'rate', label: 'Trades/s' },
  { key: 'funding', label: 'Funding' },
];

export function Watchlist() {
  useTicker(500); // the stats book changes per batch; the table re-reads it twice a second
  const feeds = useSession((s) => s.feeds);
  // Read on the tick, not subscribed: a health snapshot alone would be one more render and page
  // layout between ticks, for numbers the next tick shows anyway.
  const health = useHealth.getState().health;
  const sort = useLayout((s) => s.watchSort);
  const chart = useLayout(activeChart);
  const { setWatchSort, setChartMarket } = useLayout.getState();
  const book = statsBook();
  const rows = sortWatchRows(buildWatchRows(feeds, (k) => book.get(k), health), sort);
  const hasPerp = rows.some((r) => r.market === 'perp');
  const shown = hasPerp ? COLUMNS : COLUMNS.filter((c) => c.key !== 'funding');
  const selected = chart?.market ? marketKey(chart.market) : '';

  // Same column: reverse. New column: names A-Z, numbers largest first.
  const onSort = (key: WatchSortKey) =>
    setWatchSort(
      sort.key === key ? { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'market' ? 'asc' : 'desc' },
    );

  return (
    <section className="pane watchlist" aria-label="Watchlist">
      <header className="pane-header">
        <h2>Watchlist</h2>
      </header>
      <div className="pane-scroll">
        <table className="grid-table" aria-label="Markets">
          <thead>
            <tr>
              <th aria-label="State" />
              {shown.map((c) => (
                <th key={c.key} aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                  <button type="button" className="sort-button" aria-label={`Sort by ${c.label}`} onClick={() => onSort(c.key)}>
                    {c.label}
                    {sort.key === c.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
              {hasPerp && <th>Mark</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.key}
                data-market={r.key}
                data-state={r.state}
                aria-selected={r.key === selected}
                className={r.key === selected ? 'selected' : undefined}
                onClick={() => chart && setChartMarket(chart.id, { exchange: r.exchange, market: r.market, symbol: r.symbol })}
              >
                <td>
                  <StateDot state={r.state} />
                </td>
                <td>
                  <button
                    type="button"
                    className="link-button"
                    aria-label={`Chart ${r.symbol} ${r.market} on ${r.exchange}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      if (chart) setChartMarket(chart.id, { exchange: r.exchange, market: r.market, symbol: r.symbol });
                    }}
                  >
                    <span className="sym">{r.symbol}</span> <span className="muted">{r.market} · {r.exchange}</span>
                  </button>
                </td>
                <td className="num price">{r.last === null ? '' : formatPrice(r.last)}</td>
                <td className={`num ${r.change === null ? '' : r.change >= 0 ? 'up' : 'down'}`}>{formatPercent(r.change)}</td>
                <td className="num">{formatAmount(r.volume)}</td>
                <td className="num rate">{formatRate(r.tradesPerSec)}</td>
                {hasPerp && (
                  <td className="num funding">{r.market === 'perp' ? formatPercent(r.fundingRate, 4) : ''}</td>
                )}
                {hasPerp && <td className="num mark">{r.market === 'perp' ? formatPrice(r.markPrice) : ''}</td>}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <p className="empty">No markets configured. Add a feed in the Feeds tab.</p>}
      </div>
    </section>
  );
}
