/**
 * The DOM ladder for the active chart's market: asks above, bids below, the spread between them,
 * size bars relative to the largest level shown, cumulative sizes, the recent trades printed at
 * their price, and price grouping.
 *
 * Frame budget: books arrive up to 10 times a second per market inside 30 Hz batches; they go to
 * a mutable store (stores/book-store.ts) and this component re-renders only from the shared
 * paint scheduler (chart/paint-scheduler.ts: at most every 100 ms, never in the frame a chart
 * draws), and only when its market's book or the tape moved. No other component renders for a book.
 */
import { useEffect, useRef, useState } from 'react';
import type { MarketRef } from '../../../../shared/domain';
import { COMPOSITE, marketKey } from '../../../../shared/markets';
import { scheduleChartPaints } from '../../chart/paint-scheduler';
import { buildLadder, defaultGroup, storedGroup, type BookGroup, type LadderTrade } from '../../lib/book-ladder';
import { shortMarketLabel } from '../../lib/venue-label';
import { books } from '../../stores/book-store';
import { activeChart, useLayout } from '../../stores/layout-store';
import { tape } from '../../stores/live-books';
import { BookGroupSelect } from './BookGroupSelect';
import { BookRows } from './BookRows';
import { BookStatus } from './BookStatus';
import { CompositeMembers, CompositeNoBook, useCompositeWatch } from './CompositeBook';
import './book.css';

/** Trades this much older (exchange time) than the market's newest are no longer "recent". */
const TRADE_WINDOW_MS = 10_000;
const MAX_TRADES = 300;

/** The market's recent trades from the tape's ring, newest first (read at paint time, not per trade). */
function recentTrades(m: MarketRef): LadderTrade[] {
  const out: LadderTrade[] = [];
  let cutoff = -Infinity;
  for (let i = 0; i < tape.size && out.length < MAX_TRADES; i++) {
    const e = tape.at(i)!;
    if (e.kind !== 'trade' || e.symbol !== m.symbol || e.market !== m.market) continue;
    if (m.exchange !== COMPOSITE && e.exchange !== m.exchange) continue;
    if (out.length === 0) cutoff = e.time - TRADE_WINDOW_MS;
    else if (e.time < cutoff) break;
    out.push({ price: e.price, size: e.size, side: e.side });
  }
  return out;
}

export function BookLadder() {
  const chart = useLayout(activeChart);
  const m = chart?.market ?? null;
  return (
    <section className="pane book-ladder" aria-label="Order book">
      {m ? (
        <MarketLadder key={marketKey(m)} market={m} />
      ) : (
        <>
          <header className="pane-header">
            <h2>Order book</h2>
          </header>
          <p className="empty">Pick a market on a chart to see its book.</p>
        </>
      )}
    </section>
  );
}

function MarketLadder({ market }: { market: MarketRef }) {
  const key = marketKey(market);
  const [paints, setPaints] = useState(0);
  const chosen = useLayout((s) => storedGroup(s.bookGroups, key));
  const setBookGroup = useLayout((s) => s.setBookGroup);

  useEffect(() => {
    let seenBook = -1;
    let seenTrade = -1;
    return scheduleChartPaints({
      wantsPaint: () => books.versionOf(key) !== seenBook || (tape.at(0)?.n ?? 0) !== seenTrade,
      paint: () => {
        seenBook = books.versionOf(key);
        seenTrade = tape.at(0)?.n ?? 0;
        setPaints((f) => f + 1);
        return false;
      },
    });
  }, [key]);

  const stored = books.byKey(key);
  const view = stored?.view;
  // The default is fixed from the first book with depth, so it does not flip between two groups
  // as the book's span hovers around a boundary.
  const fallback = useRef<BookGroup | null>(null);
  if (fallback.current === null && view && (view.bids.length > 1 || view.asks.length > 1)) fallback.current = defaultGroup(view);
  const group = chosen ?? fallback.current ?? 0;
  const ladder = view ? buildLadder(view, group, recentTrades(market)) : null;
  // A composite is built by the core only while watched, summed per the bucket shown here.
  useCompositeWatch(market, group, market.exchange === COMPOSITE);

  return (
    <>
      <header className="pane-header">
        <h2>Order book</h2>
        <span className="book-market muted" title="The book of the active chart's market">
          {market.exchange === COMPOSITE ? `${market.symbol} · ${market.market.toUpperCase()} · all venues` : shortMarketLabel(market)}
        </span>
        {view && view.resyncs > 0 && (
          <span className="book-resyncs" title="Times this book was found broken (a gap, a checksum failure) and rebuilt">
            {view.resyncs} {view.resyncs === 1 ? 'resync' : 'resyncs'}
          </span>
        )}
        {view && <BookGroupSelect group={group} onChange={(g) => setBookGroup(key, g)} />}
      </header>
      {stored && ladder ? (
        <div className="book-body" data-state={stored.view.state} data-resyncs={stored.view.resyncs} data-version={stored.version} data-paints={paints}>
          {view?.composite && <CompositeMembers info={view.composite} />}
          <BookRows ladder={ladder} group={group} symbol={market.symbol} />
          <BookStatus market={market} marketKey={key} />
        </div>
      ) : market.exchange === COMPOSITE ? (
        <CompositeNoBook market={market} />
      ) : (
        <p className="empty book-none" role="status">
          No order book for this market (enable the book channel on its feed)
        </p>
      )}
    </>
  );
}
