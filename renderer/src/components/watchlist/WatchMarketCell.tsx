/** The market cell: symbol, then market type and venue (SIM badge for the simulator) on a second line. */
import type { WatchRow } from '../../lib/watchlist-rows';
import { SimulatedBadge } from '../SimulatedBadge';

export function WatchMarketCell({ row, onChart }: { row: WatchRow; onChart: () => void }) {
  return (
    <td className="market-cell">
      <button
        type="button"
        className="link-button"
        aria-label={`Chart ${row.symbol} ${row.market} on ${row.exchange}`}
        onClick={(e) => {
          e.stopPropagation();
          onChart();
        }}
      >
        <span className="sym">{row.symbol}</span>
        <span className="cell-sub">
          {row.market}
          {' · '}
          {row.exchange === 'simulator' ? <SimulatedBadge compact /> : row.exchange}
        </span>
      </button>
    </td>
  );
}
