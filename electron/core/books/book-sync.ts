/**
 * One market's book and its sync state (docs/architecture.md; issue 11):
 *
 * - `syncing` until the first snapshot; deltas that arrive before it are buffered (Binance diffs
 *   stream while the REST snapshot loads) and replayed through the venue's rule once it lands.
 * - `valid` while every delta passes the rule and the book is not crossed.
 * - `resyncing` at once on a gap (missed or reordered delta), a crossed book, a bad level or a
 *   buffer overflow: the levels are cleared (a book is never shown as valid while it is not), the
 *   resync is counted and `requestResync` asks the feed for a new snapshot; deltas are buffered
 *   again until it arrives.
 *
 * Updates go through here outside the trade hot path (pipeline/ingest.ts routes `book` records).
 */
import type { BookState } from '../../../shared/books';
import type { BookUpdate, MarketRef } from '../../../shared/domain';
import { OrderBook, type BookSide } from './order-book';
import type { SyncRule } from '../adapters/book-spec';

/** Deltas held while waiting for a snapshot; more means the snapshot is too late: start over. */
export const MAX_BUFFERED_DELTAS = 2000;

export type ResyncReason = 'gap' | 'crossed' | 'bad-level' | 'buffer-overflow' | 'checksum' | 'disconnect' | 'initial';

export interface BookCounters {
  /** Snapshots and deltas applied. */
  updates: number;
  resyncs: number;
  checksumFailures: number;
  gaps: number;
  crossed: number;
  /** Deltas dropped as already contained in the snapshot. */
  stale: number;
  badLevels: number;
}

export class BookSync {
  readonly book = new OrderBook();
  state: BookState = 'syncing';
  /** Sequence number the book stands at (NaN when the venue gives none). */
  lastSeq = NaN;
  /** Exchange and local time of the last applied update (0 before the first). */
  time = 0;
  receivedAt = 0;
  lastResyncReason: ResyncReason | null = null;
  readonly counters: BookCounters = { updates: 0, resyncs: 0, checksumFailures: 0, gaps: 0, crossed: 0, stale: 0, badLevels: 0 };
  /** Bumped on every visible change (levels or state), so the registry knows what to publish. */
  version = 0;
  private firstDelta = true;
  private buffer: BookUpdate[] = [];
  /** A snapshot has been asked for and not yet applied. */
  private requested = false;

  constructor(
    readonly ref: MarketRef,
    private readonly rule: SyncRule,
    private readonly requestResync: (ref: MarketRef, reason: ResyncReason) => void,
    /**
     * True for venues whose stream carries only diffs (Binance): the first diff, or the first
     * after a reconnect, asks for a REST snapshot. Others send one on subscribe.
     */
    private readonly snapshotOnDemand = false,
    /**
     * The venue's checksum of the book as held (adapter `book.checksum`), compared with an
     * update's `checksum` once the update is applied: a mismatch is a resync, counted.
     */
    private readonly checksum?: (book: OrderBook) => number,
  ) {}

  apply(u: BookUpdate): void {
    if (u.action === 'snapshot') {
      this.snapshot(u);
      return;
    }
    if (this.state !== 'valid') {
      if (this.snapshotOnDemand && !this.requested) {
        this.requested = true;
        this.requestResync(this.ref, this.state === 'syncing' ? 'initial' : 'disconnect');
      }
      if (this.buffer.length >= MAX_BUFFERED_DELTAS) {
        this.buffer = [];
        this.invalidate('buffer-overflow');
        return;
      }
      this.buffer.push(u);
      return;
    }
    this.delta(u);
  }

  private snapshot(u: BookUpdate): void {
    // A new episode: if this snapshot is bad too (a bad level, crossed, a checksum), a new one is
    // asked for; book-registry.ts paces those requests to one a second per market.
    if (this.state === 'resyncing') this.state = 'syncing';
    this.requested = false;
    this.book.clear();
    if (!this.setLevels(u)) return;
    this.lastSeq = u.lastSeq ?? NaN;
    this.firstDelta = true;
    this.counters.updates++;
    this.touch(u);
    this.state = 'valid';
    if (this.book.crossed()) {
      this.counters.crossed++;
      this.invalidate('crossed');
      return;
    }
    if (!this.checksumMatches(u)) return;
    const buffered = this.buffer;
    this.buffer = [];
    for (const d of buffered) {
      if (this.state !== 'valid') {
        this.buffer.push(d);
        continue;
      }
      this.delta(d);
    }
  }

  private delta(u: BookUpdate): void {
    if (!Number.isNaN(this.lastSeq)) {
      const verdict = this.rule.check(this.lastSeq, u, this.firstDelta);
      if (verdict === 'stale') {
        this.counters.stale++;
        return;
      }
      if (verdict === 'gap') {
        this.counters.gaps++;
        this.invalidate('gap');
        return;
      }
    }
    if (!this.setLevels(u)) return;
    this.firstDelta = false;
    if (u.lastSeq !== undefined) this.lastSeq = u.lastSeq;
    this.counters.updates++;
    this.touch(u);
    if (this.book.crossed()) {
      this.counters.crossed++;
      this.invalidate('crossed');
      return;
    }
    this.checksumMatches(u);
  }

  /** False (and the book invalidated) when the update's checksum disagrees with the book's. */
  private checksumMatches(u: BookUpdate): boolean {
    if (u.checksum === undefined || !this.checksum) return true;
    if (this.checksum(this.book) === u.checksum) return true;
    this.invalidate('checksum');
    return false;
  }

  /** Applies a message's levels; a level that is not a finite positive price and size >= 0 invalidates the book. */
  private setLevels(u: BookUpdate): boolean {
    const text = u.text;
    return this.setSide(this.book.bids, u.bids, text?.bids) && this.setSide(this.book.asks, u.asks, text?.asks);
  }

  /**
   * Hot path (every level of every diff): indexed reads, no `[price, size]` destructuring (an
   * array pattern goes through the iterator protocol unless the optimiser removes it).
   */
  private setSide(side: BookSide, levels: readonly (readonly [number, number])[], text: readonly [string, string][] | undefined): boolean {
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i]!;
      const price = level[0];
      const size = level[1];
      if (!(price > 0 && size >= 0 && Number.isFinite(price) && Number.isFinite(size))) return this.badLevel();
      side.set(price, size, text?.[i]);
    }
    return true;
  }

  private badLevel(): false {
    this.counters.badLevels++;
    this.invalidate('bad-level');
    return false;
  }

  private touch(u: BookUpdate): void {
    this.time = u.time;
    this.receivedAt = u.receivedAt;
    this.version++;
  }

  /**
   * The connection carrying the book was lost: invalid until the reconnect's subscribe brings a
   * new snapshot. Not a resync request (the reconnect resubscribes) and not counted as one.
   */
  suspend(): void {
    if (this.state !== 'valid') return;
    this.book.clear();
    this.lastSeq = NaN;
    this.buffer = [];
    this.state = 'resyncing';
    this.lastResyncReason = 'disconnect';
    this.version++;
  }

  /** Marks the book invalid at once, clears it and asks for a new snapshot (once per episode). */
  invalidate(reason: ResyncReason): void {
    this.book.clear();
    this.lastSeq = NaN;
    this.lastResyncReason = reason;
    this.version++;
    if (reason === 'checksum') this.counters.checksumFailures++;
    if (this.state === 'resyncing') return; // already asked; the snapshot is on its way
    this.state = 'resyncing';
    this.counters.resyncs++;
    this.requested = true;
    this.requestResync(this.ref, reason);
  }
}
