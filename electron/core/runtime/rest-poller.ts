/**
 * Runs one VenueRest.polls entry for one feed: its markets asked in turn, one request at a time,
 * through the REST client and the venue's shared bucket (a 429's Retry-After blocks the bucket,
 * so the next poll, and every other request to the venue, waits it out). Each market comes round
 * every max(intervalMs, markets x minGapMs). Never throws: a failed request or a body of the
 * wrong shape is reported to the feed (counted in its health) and the market is asked again on
 * its next turn. stop() aborts the request in flight and delivers nothing after it.
 */
import type { MarketData, MarketType } from '../../../shared/domain';
import type { FeedError } from '../../../shared/health';
import type { RestPollSpec } from '../adapters/adapter';
import { restGetJson, type RestEndpoint } from '../rest/client';
import type { TokenBucket } from '../rest/token-bucket';
import type { Clock } from '../util/clock';
import { describeCause } from '../util/errors';

/** A polled answer is one small object (Binance open interest: ~80 bytes). */
const POLL_MAX_BODY_BYTES = 64 * 1024;

export interface RestPollerOptions {
  spec: RestPollSpec;
  exchange: string;
  venueName: string;
  market: MarketType;
  /** The feed's markets on the spec's channel. */
  markets: readonly { symbol: string; native: string }[];
  restBase: string;
  bucket: TokenBucket;
  clock: Clock;
  timeoutMs: number;
  fetchImpl?: typeof fetch;
  deliver(ev: MarketData): void;
  error(e: Omit<FeedError, 'at'>): void;
  /** True while the feed is paused (ingest backpressure): turns are skipped, not queued. */
  paused(): boolean;
}

export class RestPoller {
  private readonly aborter = new AbortController();
  private readonly endpoint: RestEndpoint;
  private readonly gapMs: number;
  private timer: unknown = null;
  private next = 0;
  private stopped = false;

  constructor(private readonly o: RestPollerOptions) {
    this.endpoint = { what: o.spec.what, maxBodyBytes: POLL_MAX_BODY_BYTES };
    this.gapMs = Math.max(o.spec.minGapMs, o.spec.intervalMs / Math.max(1, o.markets.length));
  }

  /** The first request goes at once. */
  start(): void {
    if (this.o.markets.length > 0) this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.o.clock.clearTimeout(this.timer);
    this.timer = null;
    this.aborter.abort(new Error('feed stopped'));
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = null;
      // turn() handles its own failures; this catch only keeps a bug from becoming an unhandled rejection.
      void this.turn()
        .catch((err: unknown) => this.o.error({ kind: 'protocol', message: `internal: ${this.o.venueName} ${this.o.spec.what} poll failed`, cause: describeCause(err, 200) }))
        .finally(() => this.schedule(this.gapMs));
    }, ms);
  }

  private async turn(): Promise<void> {
    if (this.o.paused()) return;
    const m = this.o.markets[this.next++ % this.o.markets.length]!;
    const { spec, clock } = this.o;
    const what = `${this.o.venueName} ${spec.what} of ${m.symbol}`;
    let url: string;
    try {
      url = this.o.restBase + spec.path(m.native);
    } catch (err) {
      return this.o.error({ kind: 'config', message: `${what}: request could not be built`, cause: describeCause(err, 200) });
    }
    const client = { fetchImpl: this.o.fetchImpl ?? fetch, clock, timeoutMs: this.o.timeoutMs, maxRetries: 0, maxWaitMs: 0 };
    const counters = { requests: 0, rateLimited: 0, errors: 0 };
    const r = await restGetJson(url, this.o.bucket, client, counters, this.aborter.signal, this.endpoint);
    if (this.stopped) return;
    if (!r.ok) return this.o.error({ kind: r.kind, message: `${what} failed`, cause: r.reason });
    let records: MarketData[];
    try {
      records = spec.parse(r.body, { exchange: this.o.exchange, market: this.o.market, symbol: m.symbol }, clock.now());
    } catch (err) {
      return this.o.error({ kind: 'parse', message: `${what}: unexpected answer`, cause: describeCause(err, 200) });
    }
    for (const ev of records) this.o.deliver(ev);
  }
}
