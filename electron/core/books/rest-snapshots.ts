/**
 * Book snapshots over REST, for venues whose stream carries only diffs and whose adapter declares
 * `book.restSnapshot` (Binance: the diffs are buffered while `/api/v3/depth` or `/fapi/v1/depth`
 * loads, docs "How to manage a local order book"). Every request goes through the one REST client with the venue's token bucket
 * (docs/architecture.md, REST). One request per market at a time; a failed one is retried after
 * RETRY_MS while the book still needs it. The snapshot is delivered as a `book` record through
 * the ingest queue, so it is ordered with the diffs around it.
 */
import type { FeedConfig } from '../../../shared/config';
import type { BookUpdate, MarketRef } from '../../../shared/domain';
import { getAdapter } from '../adapters/index';
import { restGetJson, type RestClientOptions, type RestCounters, type RestEndpoint } from '../rest/client';
import type { VenueBuckets } from '../rest/venue-buckets';
import type { Clock } from '../util/clock';
import { describeCause } from '../util/errors';

/** A 1000-level depth snapshot is ~60 KB; 4 MB leaves room without letting a body run away. */
const BOOK_SNAPSHOT_ENDPOINT: RestEndpoint = { what: 'book snapshot', maxBodyBytes: 4 * 1024 * 1024 };
export const RETRY_MS = 2000;

export interface RestSnapshotOptions {
  clock: Clock;
  buckets: VenueBuckets;
  fetchImpl?: typeof fetch;
  /** The running feed carrying a market's book (its restUrl), if any. */
  feedFor(ref: MarketRef): FeedConfig | undefined;
  deliver(u: BookUpdate): void;
  /** The snapshot's body, just before it is delivered: the feed's recording keeps it with the frames. */
  record?(feed: FeedConfig, ref: MarketRef, body: unknown, at: number): void;
  /** Still wanted? (the book may have been resynced or its feed removed meanwhile). */
  wanted(ref: MarketRef): boolean;
  onError?(ref: MarketRef, reason: string): void;
}

export class RestBookSnapshots {
  private readonly inFlight = new Set<string>();
  private readonly rest: RestClientOptions;
  readonly counters: RestCounters = { requests: 0, rateLimited: 0, errors: 0 };
  private stopped = false;

  constructor(private readonly o: RestSnapshotOptions) {
    this.rest = { fetchImpl: o.fetchImpl ?? fetch, clock: o.clock, timeoutMs: 10_000, maxRetries: 2, maxWaitMs: 30_000 };
  }

  stop(): void {
    this.stopped = true;
  }

  request(ref: MarketRef): void {
    const key = `${ref.exchange}:${ref.market}:${ref.symbol}`;
    if (this.stopped || this.inFlight.has(key)) return;
    this.inFlight.add(key);
    void this.fetch(ref).finally(() => this.inFlight.delete(key));
  }

  private async fetch(ref: MarketRef): Promise<void> {
    const adapter = getAdapter(ref.exchange);
    const spec = adapter?.book?.restSnapshot;
    const feed = this.o.feedFor(ref);
    if (!adapter || !spec || !feed) return;
    const base = feed.restUrl ?? adapter.defaultRestUrl?.(ref.market);
    if (!base) return;
    const url = base + spec.path(adapter.toNative(ref.symbol, ref.market), ref.market);
    const r = await restGetJson(url, this.o.buckets.of(adapter), this.rest, this.counters, undefined, BOOK_SNAPSHOT_ENDPOINT);
    if (this.stopped || !this.o.wanted(ref)) return;
    let reason: string;
    if (r.ok) {
      try {
        const s = spec.parse(r.body, ref.market);
        const now = this.o.clock.now();
        this.o.record?.(feed, ref, r.body, now);
        this.o.deliver({ type: 'book', ...ref, action: 'snapshot', bids: s.bids, asks: s.asks, lastSeq: s.lastSeq, time: s.time ?? now, receivedAt: now });
        return;
      } catch (e) {
        reason = describeCause(e);
      }
    } else reason = r.reason;
    this.o.onError?.(ref, `${adapter.displayName} ${ref.symbol} book snapshot: ${reason}`);
    this.o.clock.setTimeout(() => {
      if (!this.stopped && this.o.wanted(ref)) this.request(ref);
    }, RETRY_MS);
  }
}
