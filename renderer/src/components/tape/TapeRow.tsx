/**
 * One tape row: time, side in a letter and an arrow (readable without colour; "LIQ" for a
 * liquidation), market (only when the tape mixes markets), price, size and notional in dollars.
 * Shaded by highlight level.
 */
import type { CSSProperties } from 'react';
import { formatAmount, formatClock, formatPrice } from '../../lib/format';
import { highlightLevel, sideMark, tapeRowClass, type TapeEntry } from '../../lib/tape';
import { formatNotional, toUsd, type UsdPriceOf } from '../../lib/usd';
import { marketTypeCode, shortMarketLabel, venueCode } from '../../lib/venue-label';
import { SimulatedBadge } from '../SimulatedBadge';

/** What the market column shows: the whole label, only the venue (a composite chart), or nothing. */
export type MarketColumn = 'full' | 'venue' | 'none';

export function TapeRow(props: { e: TapeEntry; levels: readonly number[]; usdPrice: UsdPriceOf; marketColumn: MarketColumn; style: CSSProperties }) {
  const { e, levels, marketColumn } = props;
  const notional = e.price * e.size;
  const usd = toUsd(notional, e.symbol, props.usdPrice);
  const level = highlightLevel(usd, levels);
  const side = sideMark(e.side);
  const clock = formatClock(e.time);
  const liq = e.kind === 'liquidation';
  return (
    <div role="listitem" className={tapeRowClass(e, level)} data-kind={e.kind} data-side={e.side} data-level={level} style={props.style}>
      <span className="t-time">
        {clock.slice(0, 8)}
        <span className="t-ms">{clock.slice(8)}</span>
      </span>
      <span className="t-side" title={liq ? (e.side === 'sell' ? 'a long position was liquidated' : 'a short position was liquidated') : `taker ${side.label}`}>
        {liq ? `${side.text.slice(0, 1)}LIQ` : side.text}
      </span>
      {marketColumn !== 'none' && (
        <span className="t-market" title={shortMarketLabel(e)}>
          {marketColumn === 'full' && (
            <>
              {e.symbol} · {marketTypeCode(e.market)} ·{' '}
            </>
          )}
          {e.exchange === 'simulator' ? <SimulatedBadge compact /> : venueCode(e.exchange)}
        </span>
      )}
      <span className="num t-price">{formatPrice(e.price)}</span>
      <span className="num t-size">{formatAmount(e.size)}</span>
      <span className="num t-usd">{formatNotional(notional, e.symbol, usd)}</span>
    </div>
  );
}
