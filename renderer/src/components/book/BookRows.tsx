/**
 * The ladder's rows: asks (best ask lowest), the spread, bids (best bid highest). Each row shows
 * the price, the size in base units over a bar scaled to the largest level shown, the cumulative
 * size from the best level, and the recent trades printed there; hovering a size gives its value.
 * The two halves grow away from the spread and clip at the pane's edge, so the spread stays in
 * the middle without any scrolling.
 */
import { splitCanonical } from '../../../../shared/symbols';
import { formatAmount, formatPrice, priceDigits } from '../../lib/format';
import { groupDecimals, type Ladder, type LadderRow } from '../../lib/book-ladder';
import { formatNotional, toUsd } from '../../lib/usd';
import { statsBook } from '../../stores/live-books';

/** 2.35 bp, 0.16 bp, 0.0016 bp: a liquid market's spread is a small fraction of a basis point. */
function formatBp(bp: number): string {
  return bp >= 0.1 || bp === 0 ? bp.toFixed(2) : bp.toPrecision(2);
}

function baseOf(symbol: string): string {
  try {
    return splitCanonical(symbol).base;
  } catch {
    return '';
  }
}

function Row({ r, priceText, symbol, base }: { r: LadderRow; priceText: string; symbol: string; base: string }) {
  const value = (size: number) => {
    const notional = r.price * size;
    return formatNotional(notional, symbol, toUsd(notional, symbol, statsBook().usdPrice));
  };
  const traded = r.bought + r.sold;
  const tradeSide = r.bought >= r.sold ? 'buy' : 'sell';
  return (
    <div
      role="row"
      className={`book-row ${r.side}${r.lastTrade ? ' last-trade' : ''}`}
      data-price={r.price}
      data-size={r.size}
      data-cum={r.cum}
    >
      <span className="book-bar" style={{ width: `${(r.bar * 100).toFixed(1)}%` }} aria-hidden="true" />
      <span role="cell" className="num b-price">
        {priceText}
      </span>
      <span role="cell" className="num b-size" title={`${formatAmount(r.size)} ${base} ≈ ${value(r.size)}`}>
        {formatAmount(r.size)}
      </span>
      <span role="cell" className="num b-cum" title={`${formatAmount(r.cum)} ${base} from the best ${r.side} ≈ ${value(r.cum)}`}>
        {formatAmount(r.cum)}
      </span>
      <span
        role="cell"
        className={`num b-trades ${traded > 0 ? tradeSide : ''}`}
        title={traded > 0 ? `recent trades here: ${formatAmount(r.bought)} bought, ${formatAmount(r.sold)} sold (${base})` : undefined}
      >
        {traded > 0 ? formatAmount(traded) : ''}
      </span>
    </div>
  );
}

export function BookRows({ ladder, group, symbol }: { ladder: Ladder; group: number; symbol: string }) {
  const base = baseOf(symbol);
  const decimals = groupDecimals(group);
  const priceText = (p: number) => (group > 0 ? p.toFixed(decimals) : formatPrice(p));
  const s = ladder.spread;
  return (
    <div className="book-rows" role="table" aria-label="Order book levels">
      <div role="row" className="book-head">
        <span role="columnheader" className="num">
          Price
        </span>
        <span role="columnheader" className="num" title={`Size at the level, in ${base || 'base units'}`}>
          Size
        </span>
        <span role="columnheader" className="num" title="Cumulative size from the best level">
          Total
        </span>
        <span role="columnheader" className="num" title="Recent trades (about the last 10 s) printed at their price">
          Trades
        </span>
      </div>
      <div className="book-half asks" role="rowgroup" aria-label="Asks">
        {ladder.asks.map((r) => (
          <Row key={r.price} r={r} priceText={priceText(r.price)} symbol={symbol} base={base} />
        ))}
      </div>
      <div role="row" className="book-spread" data-spread={s?.abs ?? ''} data-spread-bp={s?.bp ?? ''}>
        <span role="cell">
          Spread {s ? `${s.abs.toFixed(priceDigits(s.mid))} · ${formatBp(s.bp)} bp` : '—'}
        </span>
      </div>
      <div className="book-half bids" role="rowgroup" aria-label="Bids">
        {ladder.bids.map((r) => (
          <Row key={r.price} r={r} priceText={priceText(r.price)} symbol={symbol} base={base} />
        ))}
      </div>
    </div>
  );
}
