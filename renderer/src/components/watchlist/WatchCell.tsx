/**
 * One numeric watchlist cell. Two lines where a second number helps (turnover over base volume,
 * spread in bp over price units, "since 14:02" under a change that does not span 24 h yet, a
 * perp's funding under its price when the Funding column does not fit). No value is "—", never 0.00.
 */
import { formatAmount, formatHourMinute, formatPercent, formatPrice, formatRate, priceDigits } from '../../lib/format';
import { formatNotional } from '../../lib/usd';
import type { WatchRow, WatchSortKey } from '../../lib/watchlist-rows';

const DASH = '—';

function Sub({ children }: { children: React.ReactNode }) {
  return <span className="cell-sub">{children}</span>;
}

/** Basis points readable at any size: 0.0016, 0.67, 12.5. */
export function formatBps(v: number): string {
  if (v === 0) return '0';
  return v < 1 ? String(Number(v.toPrecision(2))) : v.toFixed(v < 10 ? 2 : 1);
}

function changeClass(v: number | null): string {
  return v === null ? '' : v >= 0 ? 'up' : 'down';
}

function base(symbol: string): string {
  const i = symbol.indexOf('-');
  return i > 0 ? symbol.slice(0, i) : '';
}

export function WatchCell({ column, row: r, fundingInline = false }: { column: WatchSortKey; row: WatchRow; fundingInline?: boolean }) {
  switch (column) {
    case 'last':
      return (
        <td className="num last">
          <span className="price">{r.last === null ? DASH : formatPrice(r.last)}</span>
          {/* A perp's funding when its own column does not fit. */}
          {fundingInline && r.market === 'perp' && <Sub>fund {formatPercent(r.fundingRate, 4)}</Sub>}
        </td>
      );
    case 'change':
      return (
        <td className={`num change ${changeClass(r.change)}`} title={r.changeSince === null ? 'last 24 h' : `since ${new Date(r.changeSince).toLocaleString()}: the core holds less than 24 h of this market`}>
          <span className="pct">{r.change === null ? DASH : formatPercent(r.change)}</span>
          {r.changeSince !== null && <Sub>since {formatHourMinute(r.changeSince)}</Sub>}
        </td>
      );
    case 'volume':
      return (
        <td className="num turnover">
          {r.turnover === null ? DASH : formatNotional(r.turnover, r.symbol, r.turnoverUsd)}
          {r.volume !== null && (
            <Sub>
              {formatAmount(r.volume)} {base(r.symbol)}
            </Sub>
          )}
        </td>
      );
    case 'spread':
      return (
        <td className="num spread">
          {r.spreadBps === null ? DASH : `${formatBps(r.spreadBps)} bp`}
          {r.bid !== null && r.ask !== null && <Sub>{(r.ask - r.bid).toFixed(priceDigits(r.bid))}</Sub>}
        </td>
      );
    case 'bid':
      return <td className="num bid">{r.bid === null ? DASH : formatPrice(r.bid)}</td>;
    case 'ask':
      return <td className="num ask">{r.ask === null ? DASH : formatPrice(r.ask)}</td>;
    case 'rate':
      return <td className="num rate">{r.tradesPerSec === null ? DASH : formatRate(r.tradesPerSec)}</td>;
    case 'funding':
      return <td className="num funding">{r.market === 'perp' ? formatPercent(r.fundingRate, 4) : ''}</td>;
    case 'mark':
      return <td className="num mark">{r.market === 'perp' ? formatPrice(r.markPrice) : ''}</td>;
    case 'oi':
      return <td className="num oi">{r.market === 'perp' ? formatAmount(r.openInterest) : ''}</td>;
    case 'market':
      return null;
  }
}
