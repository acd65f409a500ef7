/**
 * All books of the pipeline, one BookSync per (exchange, market, symbol), and the two ways out:
 * conflated views for UIs (`takeViews`: a market's view at most every `minIntervalMs`, top
 * `depth` levels, only when it changed) and health rows (`health`).
 */
import type { BookView } from '../../../shared/books';
import type { BookUpdate, MarketRef } from '../../../shared/domain';
import type { BookHealth } from '../../../shared/health';
import { MarketMap } from '../util/market-map';
import { systemClock, type Clock } from '../util/clock';
import { BookSync, type ResyncReason } from './book-sync';
import type { OrderBook } from './order-book';
import { consecutiveRule, type SyncRule } from '../adapters/book-spec';
import { CompositeBooks } from './composite-books';
import { DepthWatches } from './depth-watches';

export interface BookRegistryOptions {
  /** The sync rule of a venue's market (default: consecutive sequence numbers). */
  ruleFor?(exchange: string, market: MarketRef['market']): SyncRule;
  /** Asks the feed for a new snapshot (resubscribe or REST); must not throw. */
  requestResync?(ref: MarketRef, reason: ResyncReason): void;
  /** Venues whose books start from a REST snapshot the core must ask for (rest-snapshots.ts). */
  snapshotOnDemand?(exchange: string): boolean;
  /** The venue's book checksum, for venues whose updates carry one (adapter `book.checksum`). */
  checksumFor?(exchange: string, market: MarketRef['market']): ((book: OrderBook) => number) | undefined;
  /** Paces resync requests per market (default: the system clock, MIN_RESYNC_INTERVAL_MS). */
  clock?: Clock;
  minResyncIntervalMs?: number;
}

/**
 * A market's book is resynced at most once a second: a venue whose diffs keep breaking would
 * otherwise be resubscribed (or its REST snapshot fetched) for every broken diff. A request
 * inside the interval is deferred to its end, and made then only if the book still needs it.
 */
export const MIN_RESYNC_INTERVAL_MS = 1000;

interface Entry {
  sync: BookSync;
  /** `sync.version` when a view was last taken for UIs. */
  sentVersion: number;
  sentAt: number;
  /** The state in the last view sent: a change of state is sent at once, not after the interval. */
  sentState: BookView['state'] | null;
  /** Updates counted at the last health sample, for updates/s. */
  sampledUpdates: number;
  sampledAt: number;
  /** When the last resync request went out (clock ms), and whether one is waiting. */
  lastRequestAt: number;
  deferred: boolean;
}

export const UI_BOOK_DEPTH = 20;
/** 10 Hz per market at most (issue 11: "never every diff"). */
export const UI_BOOK_INTERVAL_MS = 100;

export class BookRegistry {
  private readonly books = new MarketMap<Entry>();
  private readonly entries: Entry[] = [];
  /** Cross-venue books, built at view time for the composites a UI watches (composite-books.ts). */
  private readonly composites = new CompositeBooks();
  /** Deep grouped views of venue books, for the charts' heatmaps that watch them (depth-watches.ts). */
  private readonly depthWatches = new DepthWatches();

  private readonly clock: Clock;
  private readonly minResyncIntervalMs: number;

  constructor(private readonly opts: BookRegistryOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.minResyncIntervalMs = opts.minResyncIntervalMs ?? MIN_RESYNC_INTERVAL_MS;
  }

  apply(u: BookUpdate): void {
    let e = this.books.get(u.exchange, u.market, u.symbol);
    if (!e) {
      const ref: MarketRef = { exchange: u.exchange, market: u.market, symbol: u.symbol };
      const rule = this.opts.ruleFor?.(u.exchange, u.market) ?? consecutiveRule;
      const entry: Entry = { sync: null!, sentVersion: 0, sentAt: -Infinity, sentState: null, sampledUpdates: 0, sampledAt: NaN, lastRequestAt: -Infinity, deferred: false };
      entry.sync = new BookSync(
        ref,
        rule,
        (r, reason) => this.paced(entry, r, reason),
        this.opts.snapshotOnDemand?.(u.exchange) ?? false,
        this.opts.checksumFor?.(u.exchange, u.market),
      );
      e = entry;
      this.books.set(u.exchange, u.market, u.symbol, e);
      this.entries.push(e);
    }
    e.sync.apply(u);
  }

  private paced(e: Entry, ref: MarketRef, reason: ResyncReason): void {
    if (e.deferred) return;
    const wait = e.lastRequestAt + this.minResyncIntervalMs - this.clock.now();
    if (wait <= 0) {
      e.lastRequestAt = this.clock.now();
      this.opts.requestResync?.(ref, reason);
      return;
    }
    e.deferred = true;
    this.clock.setTimeout(() => {
      e.deferred = false;
      if (e.sync.state === 'valid') return; // a snapshot came meanwhile
      e.lastRequestAt = this.clock.now();
      this.opts.requestResync?.(ref, reason);
    }, wait);
  }

  /** A feed lost its connection: its books are not valid until the reconnect's snapshot. */
  disconnected(exchange: string, market: MarketRef['market'], symbols: readonly string[]): void {
    for (const symbol of symbols) this.books.get(exchange, market, symbol)?.sync.suspend();
  }

  get(ref: MarketRef): BookSync | undefined {
    return this.books.get(ref.exchange, ref.market, ref.symbol)?.sync;
  }

  all(): BookSync[] {
    return this.entries.map((e) => e.sync);
  }

  /**
   * A UI shows the composite of `symbol` (all venues of `market`) with price bucket `group` (0: the
   * members' coarsest tick); its views go out with the others until the watch lapses.
   */
  watchComposite(market: MarketRef['market'], symbol: string, group: number): void {
    this.composites.watch(market, symbol, group, this.clock.now());
  }

  /** A chart's heatmap shows `ref`'s book grouped by `group`, `levels` buckets a side (lease, depth-watches.ts). */
  watchDepth(ref: MarketRef, group: number, levels: number): void {
    this.depthWatches.watch(ref, group, levels, this.clock.now());
  }

  /** Views of the books that changed since their last view and whose interval has passed (watched composites included). */
  takeViews(now: number, depth = UI_BOOK_DEPTH, minIntervalMs = UI_BOOK_INTERVAL_MS): BookView[] {
    const out: BookView[] = [];
    for (const e of this.entries) {
      // 1 ms of slack: on the publisher's 33.3 ms grid three flushes span 99.99... ms, and a strict
      // comparison would send every fourth flush (7.5 Hz) instead of every third (10 Hz).
      if (e.sync.version === e.sentVersion) continue;
      // A book turning invalid (or valid again) reaches the UI on the next flush: the 10 Hz cap is
      // for level changes, and an invalid book must never stay on screen as valid for 100 ms.
      const stateChanged = e.sync.state !== e.sentState;
      if (!stateChanged && now - e.sentAt < minIntervalMs - 1) continue;
      const view = viewOf(e.sync, depth);
      e.sentVersion = e.sync.version;
      e.sentAt = now;
      e.sentState = view.state;
      out.push(view);
    }
    if (this.composites.watched > 0) out.push(...this.composites.takeViews(this.all(), now, depth, minIntervalMs));
    if (this.depthWatches.watched > 0) out.push(...this.depthWatches.takeViews((ref) => this.get(ref), now, minIntervalMs));
    return out;
  }

  /** One row per book; updates/s over the time since the previous call. */
  health(now: number): BookHealth[] {
    return this.entries.map((e) => {
      const s = e.sync;
      const dt = (now - e.sampledAt) / 1000;
      const rate = dt > 0 ? (s.counters.updates - e.sampledUpdates) / dt : 0;
      e.sampledUpdates = s.counters.updates;
      e.sampledAt = now;
      return {
        ...s.ref,
        state: s.state,
        lastUpdateAgeMs: s.receivedAt > 0 ? Math.max(0, now - s.receivedAt) : null,
        updatesPerSec: rate,
        updates: s.counters.updates,
        resyncs: s.counters.resyncs,
        checksumFailures: s.counters.checksumFailures,
        gaps: s.counters.gaps,
        crossed: s.counters.crossed,
        levels: s.book.levels,
        lastResyncReason: s.lastResyncReason,
      };
    });
  }
}

/** A market's book as UIs and headless see it: top `depth` levels a side, best first. */
export function viewOf(s: BookSync, depth: number): BookView {
  return {
    exchange: s.ref.exchange,
    market: s.ref.market,
    symbol: s.ref.symbol,
    state: s.state,
    bids: s.book.bids.top(depth),
    asks: s.book.asks.top(depth),
    time: s.time,
    receivedAt: s.receivedAt,
    resyncs: s.counters.resyncs,
  };
}
