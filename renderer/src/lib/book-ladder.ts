/**
 * The DOM ladder's arithmetic, kept pure so it is tested without a browser: price grouping,
 * cumulative sizes, the spread, and where the recent trades print.
 *
 * Grouping rule: a bid rounds DOWN to its group and an ask rounds UP, so a grouped level never
 * claims a better price than the venue's (a bid of 100.07 grouped by 0.1 is "100.0 or better for
 * the seller", never 100.1), and the grouped best bid stays below the grouped best ask.
 */
import type { BookLevels, BookState } from '../../../shared/books';
import { groupDecimals, groupPrice } from '../../../shared/book-groups';

export { groupDecimals, groupPrice };

/** The grouping choices the control offers; `0` = the venue's own levels (no grouping). */
export const BOOK_GROUPS = [0, 0.1, 1, 10, 100] as const;
export type BookGroup = (typeof BOOK_GROUPS)[number];

export function isBookGroup(v: unknown): v is BookGroup {
  return typeof v === 'number' && (BOOK_GROUPS as readonly number[]).includes(v);
}

/** The stored choice for a market, if it is one (the layout comes from localStorage: anything can be there). */
export function storedGroup(groups: unknown, key: string): BookGroup | undefined {
  if (typeof groups !== 'object' || groups === null) return undefined;
  const g = (groups as Record<string, unknown>)[key];
  return isBookGroup(g) ? g : undefined;
}

/** Rows a side the default grouping keeps, at least (when the book has that many levels). */
export const DEFAULT_GROUP_ROWS = 10;

/** Price distance from the best level to the deepest one of a side (0 with fewer than two). */
function sideSpan(levels: BookLevels): number {
  const first = levels[0]?.[0];
  const last = levels[levels.length - 1]?.[0];
  return first === undefined || last === undefined ? 0 : Math.abs(last - first);
}

/**
 * The default grouping, from the book's prices: the coarsest group that still leaves about
 * DEFAULT_GROUP_ROWS rows on the shallower side (a 20-level BTC book one cent apart stays
 * ungrouped; one spread over $400 groups by 10). A fixed share of the price would merge a
 * tick-spaced book into one row.
 */
export function defaultGroup(book: { bids: BookLevels; asks: BookLevels } | undefined): BookGroup {
  if (!book) return 0;
  const spans = [sideSpan(book.bids), sideSpan(book.asks)].filter((x) => x > 0 && Number.isFinite(x));
  if (spans.length === 0) return 0;
  const target = Math.min(...spans) / DEFAULT_GROUP_ROWS;
  let best: BookGroup = 0;
  for (const g of BOOK_GROUPS) if (g > 0 && g <= target) best = g;
  return best;
}

/**
 * One side grouped: sizes of the levels falling in one group summed, best first. The input is
 * best first, so equal groups are adjacent and one pass suffices. `group` 0 copies the levels.
 */
export function groupLevels(levels: BookLevels, group: number, side: 'bid' | 'ask'): BookLevels {
  const out: BookLevels = [];
  for (const [price, size] of levels) {
    const p = groupPrice(price, group, side);
    const last = out[out.length - 1];
    if (last && last[0] === p) last[1] += size;
    else out.push([p, size]);
  }
  return out;
}

/** Running totals from the best level outwards (what it costs to sweep down to each level). */
export function cumulativeSizes(levels: BookLevels): number[] {
  const out: number[] = [];
  let sum = 0;
  for (const [, size] of levels) out.push((sum += size));
  return out;
}

export interface Spread {
  abs: number;
  /** In basis points of the mid price. */
  bp: number;
  mid: number;
}

/** From the venue's best bid and ask (not the grouped ones); null when a side is empty. */
export function spreadOf(bids: BookLevels, asks: BookLevels): Spread | null {
  const bid = bids[0]?.[0];
  const ask = asks[0]?.[0];
  if (bid === undefined || ask === undefined) return null;
  const mid = (bid + ask) / 2;
  const abs = ask - bid;
  return { abs, bp: mid > 0 ? (abs / mid) * 1e4 : 0, mid };
}

/** A recent trade of the ladder's market. */
export interface LadderTrade {
  price: number;
  size: number;
  side: 'buy' | 'sell' | 'unknown';
}

export interface LadderRow {
  side: 'bid' | 'ask';
  price: number;
  size: number;
  cum: number;
  /** size / the largest size shown on either side, 0..1 (the bar's width). */
  bar: number;
  /** Recent trades printed at this price: base units bought and sold by takers. */
  bought: number;
  sold: number;
  /** The newest trade printed on this row. */
  lastTrade: boolean;
}

export interface Ladder {
  /** Highest price first: asks (best ask last), then bids (best bid first). */
  asks: LadderRow[];
  bids: LadderRow[];
  spread: Spread | null;
  /** Trades that fell outside the rows shown (beyond the book's depth). */
  tradesOffBook: number;
}

function rows(levels: BookLevels, side: 'bid' | 'ask', maxSize: number): LadderRow[] {
  const cum = cumulativeSizes(levels);
  return levels.map(([price, size], i) => ({
    side,
    price,
    size,
    cum: cum[i]!,
    bar: maxSize > 0 ? size / maxSize : 0,
    bought: 0,
    sold: 0,
    lastTrade: false,
  }));
}

/**
 * A taker buy lifted an ask, so it prints where that ask is shown (rounded up); a taker sell hit a
 * bid (rounded down). When the book has moved since and that row is gone, the other side's row at
 * the price is used; a trade of unknown side goes by the best bid.
 */
function rowForTrade(t: LadderTrade, group: number, bestBid: number, bidAt: Map<number, LadderRow>, askAt: Map<number, LadderRow>): LadderRow | undefined {
  const down = groupPrice(t.price, group, 'bid');
  const up = groupPrice(t.price, group, 'ask');
  const asBid = t.side === 'sell' || (t.side === 'unknown' && down <= bestBid);
  return asBid ? (bidAt.get(down) ?? askAt.get(up)) : (askAt.get(up) ?? bidAt.get(down));
}

/**
 * The ladder for one view: both sides grouped, cumulative sizes, bars relative to the largest
 * level shown, and `trades` (newest first) printed on the row of their grouped price (rowForTrade).
 */
export function buildLadder(book: { bids: BookLevels; asks: BookLevels }, group: number, trades: readonly LadderTrade[] = []): Ladder {
  const bidLevels = groupLevels(book.bids, group, 'bid');
  const askLevels = groupLevels(book.asks, group, 'ask');
  let maxSize = 0;
  for (const [, s] of bidLevels) if (s > maxSize) maxSize = s;
  for (const [, s] of askLevels) if (s > maxSize) maxSize = s;
  const bids = rows(bidLevels, 'bid', maxSize);
  const asksBestFirst = rows(askLevels, 'ask', maxSize);
  const bidAt = new Map(bids.map((r) => [r.price, r]));
  const askAt = new Map(asksBestFirst.map((r) => [r.price, r]));
  const bestBid = bids[0]?.price ?? -Infinity;
  let tradesOffBook = 0;
  let first = true;
  for (const t of trades) {
    const row = rowForTrade(t, group, bestBid, bidAt, askAt);
    if (!row) {
      tradesOffBook++;
      first = false;
      continue;
    }
    if (t.side === 'sell') row.sold += t.size;
    else row.bought += t.size;
    if (first) row.lastTrade = true;
    first = false;
  }
  return { asks: asksBestFirst.reverse(), bids, spread: spreadOf(book.bids, book.asks), tradesOffBook };
}

/** The overlay's title for a book that is not valid (null when it is): the resync count tells a flapping book. */
export function bookOverlayTitle(state: BookState, resyncs: number): string | null {
  if (state === 'syncing') return 'BOOK SYNCING';
  if (state === 'resyncing') return `BOOK RESYNCING (${resyncs})`;
  return null;
}
