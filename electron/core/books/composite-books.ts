/**
 * Composite books: one book per canonical symbol and market type across venues (exchange
 * COMPOSITE), sizes summed per price bucket. Computed at view time from the member books as they
 * stand, never on the book-update path, and only for composites a UI asked for in the last
 * LEASE_MS (command `watchCompositeBook`, renewed by the ladder while it shows one).
 *
 * Why the core groups, not the UI: venues have different ticks, so the top 20 levels of a venue
 * on 0.01 span 20 cents while a venue on 0.5 spans $10. Summing venue top-Ns after the fact would
 * give a composite whose deeper rows silently miss the finer venues. Here every member is walked
 * from its best level in the requested bucket until `depth` buckets are filled, and a side ends
 * with the bucket where the shallowest member's book ends, so no bucket shown lacks a valid member
 * that holds levels beyond it.
 *
 * The bucket: the UI's grouping when it chose one; for "none" (0) the coarsest member tick
 * (inferred from the levels held: the smallest gap between adjacent prices), so the rows line up
 * on prices every member can quote.
 *
 * Only `valid` members are summed. The view lists every member with its state, so a member that
 * is syncing or resyncing is shown as left out, never folded in or dropped silently. The composite
 * is `valid` while at least one member is; otherwise it takes the members' state.
 */
import type { BookLevels, BookState, BookView, CompositeMember } from '../../../shared/books';
import { groupPrice } from '../../../shared/book-groups';
import type { MarketType } from '../../../shared/domain';
import { COMPOSITE } from '../../../shared/markets';
import type { BookSync } from './book-sync';
import type { BookSide } from './order-book';

/** A watch lasts this long after the last ask; the ladder renews it every LEASE_MS / 3. */
export const COMPOSITE_LEASE_MS = 15_000;
/** Composites watched at once: a client asking for more (any symbol text) cannot grow the map without bound. */
export const MAX_COMPOSITE_WATCHES = 64;
/** Levels a side read to infer a member's tick. */
const TICK_SAMPLE_LEVELS = 20;

interface Watch {
  market: MarketType;
  symbol: string;
  group: number;
  until: number;
  /** Member versions (and bucket) the last view was built from: unchanged members, no view. */
  sentSignature: string;
  sentAt: number;
  /** Every member's state in the last view: a member leaving or rejoining is sent at once. */
  sentStates: string;
}

export class CompositeBooks {
  private readonly watches = new Map<string, Watch>();

  /** A UI shows (or keeps showing) this composite with `group` (0 = the members' common tick). */
  watch(market: MarketType, symbol: string, group: number, now: number): void {
    const key = `${market}:${symbol}`;
    const w = this.watches.get(key);
    if (w && w.group === group) {
      w.until = now + COMPOSITE_LEASE_MS;
      return;
    }
    if (!w && this.watches.size >= MAX_COMPOSITE_WATCHES) this.evictSoonestToLapse();
    // A new bucket is a new view at once (sentSignature reset).
    this.watches.set(key, { market, symbol, group, until: now + COMPOSITE_LEASE_MS, sentSignature: '', sentAt: -Infinity, sentStates: '' });
  }

  private evictSoonestToLapse(): void {
    let soonest: [string, number] | null = null;
    for (const [key, w] of this.watches) if (!soonest || w.until < soonest[1]) soonest = [key, w.until];
    if (soonest) this.watches.delete(soonest[0]);
  }

  get watched(): number {
    return this.watches.size;
  }

  /** Views of watched composites whose members changed, at most every `minIntervalMs` (a change of state at once). */
  takeViews(books: readonly BookSync[], now: number, depth: number, minIntervalMs: number): BookView[] {
    const out: BookView[] = [];
    for (const [key, w] of this.watches) {
      if (now > w.until) {
        this.watches.delete(key);
        continue;
      }
      const members = books.filter((s) => s.ref.market === w.market && s.ref.symbol === w.symbol && s.ref.exchange !== COMPOSITE);
      if (members.length === 0) continue;
      const signature = `${w.group}|${members.map((s) => `${s.ref.exchange}:${s.version}`).join(',')}`;
      if (signature === w.sentSignature) continue;
      const states = members.map((s) => `${s.ref.exchange}:${s.state}`).join(',');
      if (states === w.sentStates && now - w.sentAt < minIntervalMs - 1) continue;
      const view = compositeView(members, w.group, depth);
      w.sentSignature = signature;
      w.sentAt = now;
      w.sentStates = states;
      out.push(view);
    }
    return out;
  }
}

function compositeState(members: readonly BookSync[]): BookState {
  if (members.some((s) => s.state === 'valid')) return 'valid';
  return members.some((s) => s.state === 'resyncing') ? 'resyncing' : 'syncing';
}

/** The composite of `members` (one market type and symbol), `depth` buckets a side, best first. */
export function compositeView(members: readonly BookSync[], group: number, depth: number): BookView {
  const first = members[0]!.ref;
  const valid = members.filter((s) => s.state === 'valid');
  const bucket = group > 0 ? group : commonTick(valid);
  const memberList: CompositeMember[] = members.map((s) => ({ exchange: s.ref.exchange, state: s.state })).sort((a, b) => a.exchange.localeCompare(b.exchange));
  let time = 0;
  let receivedAt = 0;
  let resyncs = 0;
  for (const s of members) {
    time = Math.max(time, s.time);
    receivedAt = Math.max(receivedAt, s.receivedAt);
    resyncs += s.counters.resyncs;
  }
  return {
    exchange: COMPOSITE,
    market: first.market,
    symbol: first.symbol,
    state: compositeState(members),
    bids: sumSides(valid.map((s) => s.book.bids), bucket, 'bid', depth),
    asks: sumSides(valid.map((s) => s.book.asks), bucket, 'ask', depth),
    time,
    receivedAt,
    resyncs,
    composite: { group: bucket, members: memberList },
  };
}

/**
 * One side of the composite: each member walked from its best level, its sizes summed per bucket,
 * until it passes its `depth`-th bucket (the composite's `depth` buckets are all nearer than that:
 * the union has at least as many buckets as any member). A member whose book ends first limits
 * the side: beyond its last bucket it shows nothing (the venue's book is deeper than what it
 * sends, e.g. 50 levels), so buckets past that one are cut. Its last bucket is kept with what
 * the member holds there: cutting it too would leave nothing at all when the bucket is coarser
 * than a shallow book's whole span (25 levels of 0.01 grouped by 10).
 */
export function sumSides(sides: readonly BookSide[], group: number, side: 'bid' | 'ask', depth: number): BookLevels {
  const sums = new Map<number, number>();
  // The nearest bucket (to the best) that some member does not fully cover.
  let limit = side === 'bid' ? -Infinity : Infinity;
  for (const s of sides) {
    let buckets = 0;
    let last = NaN;
    let i = 0;
    for (; i < s.length; i++) {
      const p = groupPrice(s.priceAt(i)!, group, side);
      if (p !== last) {
        if (++buckets > depth) break;
        last = p;
      }
      sums.set(p, (sums.get(p) ?? 0) + s.sizeAtLevel(i)!);
    }
    if (i === s.length && !Number.isNaN(last)) limit = side === 'bid' ? Math.max(limit, last) : Math.min(limit, last);
  }
  const prices = [...sums.keys()].filter((p) => (side === 'bid' ? p >= limit : p <= limit));
  prices.sort((a, b) => (side === 'bid' ? b - a : a - b));
  return prices.slice(0, depth).map((p) => [p, sums.get(p)!]);
}

/**
 * The coarsest tick among the books, each inferred as the smallest gap between adjacent prices of
 * its top levels (the tick, or a multiple of it where the book is sparse). 0 when no book has two
 * levels: the prices are then summed as they are.
 */
export function commonTick(members: readonly BookSync[]): number {
  let coarsest = 0;
  for (const s of members) {
    let tick = Infinity;
    for (const side of [s.book.bids, s.book.asks]) {
      const n = Math.min(side.length, TICK_SAMPLE_LEVELS);
      for (let i = 1; i < n; i++) tick = Math.min(tick, Math.abs(side.priceAt(i)! - side.priceAt(i - 1)!));
    }
    // toPrecision: the gap of two float prices is 0.009999999 for a 0.01 tick.
    if (Number.isFinite(tick) && tick > 0) coarsest = Math.max(coarsest, Number(tick.toPrecision(6)));
  }
  return coarsest;
}
