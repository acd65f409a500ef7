/**
 * HistoryService: recent bars from a venue's public candles endpoint (chart open, market start,
 * gap fill) and trades by sequential id (exact gap fill, Binance aggTrades). Everything goes
 * through `feed.restUrl ?? adapter.defaultRestUrl(market)`, paced by ONE token bucket per venue
 * (shared by all feeds of that venue) within its published limit, each request with a deadline.
 * Failures come back as `reason` (and are counted), never as a thrown error.
 *
 * What comes back: FINAL bars only (a candle whose window has not ended at fetch time, or that
 * the venue marks unfinished, is dropped: live trades build that window), oldest first, one per
 * window, `source: 'candles'`, `incomplete: false`. A timeframe the venue lacks is rolled up from
 * the coarsest venue interval dividing it (source-interval.ts, bars/ohlcv.ts); 1s/5s/15s without
 * such an interval give no bars and say why.
 */
import type { Bar, MarketType, Trade } from '../../../shared/domain';
import { timeframeMs, windowStart } from '../../../shared/timeframes';
import type { RestContext, SymbolResolver, VenueAdapter } from '../adapters/adapter';
import { getAdapter } from '../adapters/index';
import { systemClock, type Clock } from '../util/clock';
import { describeCause } from '../util/errors';
import { CANDLES_ENDPOINT, restGetJson, TRADES_ENDPOINT, type RestClientOptions, type RestCounters } from '../rest/client';
import type { TokenBucket } from '../rest/token-bucket';
import { VenueBuckets } from '../rest/venue-buckets';
import { rollUp } from '../bars/ohlcv';
import { sourceInterval } from './source-interval';

/** What history needs of a feed (a FeedConfig fits). */
export interface HistoryFeed {
  exchange: string;
  market: MarketType;
  restUrl?: string | undefined;
}

export interface HistoryServiceOptions {
  /** Adapter lookup; default: the registry. */
  adapterFor?: (exchange: string) => VenueAdapter | undefined;
  /**
   * The instrument mapping the feed's live path uses (FeedManager's resolver): canonical -> native
   * and the contract sizes candles of contract-counting venues need (RestContext.contractSize).
   * Default: the adapter's metadata-free mapping and no contract sizes (those venues' perp
   * backfills then fail with a reason, never a guessed volume).
   */
  symbols?: (feed: HistoryFeed) => Promise<SymbolResolver | undefined>;
  fetchImpl?: typeof fetch;
  clock?: Clock;
  /** Per request. Default 10 000 ms. */
  timeoutMs?: number;
  /** Retries after 429/418/5xx. Default 2. */
  maxRetries?: number;
  /** Longest Retry-After waited for. Default 30 000 ms. */
  maxWaitMs?: number;
  /**
   * The venues' REST token buckets; pass the ones the instrument lists use so that one limit
   * (and one Retry-After) covers every request to a venue. Default: buckets of its own.
   */
  buckets?: VenueBuckets;
  /** Requests one backfill may make (paging). Default 20. */
  maxRequestsPerCall?: number;
}

export interface BackfillOptions {
  /** Window start of the oldest bar wanted (epoch ms). Default: `limit` windows before `to`. */
  from?: number;
  /** Bars starting before this (exclusive). Default: now. */
  to?: number;
  /** Most bars returned (the newest ones). Default 500. */
  limit?: number;
  signal?: AbortSignal;
}

/**
 * Why a backfill brought no (or fewer) bars, for code to act on (`reason` says it to people):
 * - `no-rest-candles`: the venue has no REST candles at all (the simulator);
 * - `live-trades-only`: no venue interval makes the timeframe (1s/5s/15s mostly): live trades build it;
 * - `request-limit`: stopped after maxRequestsPerCall requests; older bars were not fetched;
 * - `request-failed`: a candles request failed (network, HTTP status, body cap, rate limit);
 * - `failed`: anything else (no REST URL, an error thrown on the way).
 */
export type BackfillReasonCode = 'no-rest-candles' | 'live-trades-only' | 'request-limit' | 'request-failed' | 'failed';

export interface BackfillResult {
  bars: Bar[];
  /** Why no (or fewer) bars came, in words: no candles for the timeframe, REST failure, rate limit... */
  reason?: string;
  /** The same, typed: set whenever `reason` is. */
  code?: BackfillReasonCode;
}

export interface TradesByIdResult {
  /** Trades with fromId <= id <= toId, in id order. */
  trades: Trade[];
  /** Every id of the range was received. */
  complete: boolean;
  reason?: string;
}

export class HistoryService {
  private readonly buckets: VenueBuckets;
  private readonly counters: RestCounters = { requests: 0, rateLimited: 0, errors: 0 };
  private lastError: string | null = null;
  private readonly clock: Clock;
  private readonly rest: RestClientOptions;
  private readonly adapterFor: (exchange: string) => VenueAdapter | undefined;
  private readonly maxRequests: number;

  constructor(private readonly opts: HistoryServiceOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.adapterFor = opts.adapterFor ?? getAdapter;
    this.maxRequests = opts.maxRequestsPerCall ?? 20;
    this.buckets = opts.buckets ?? new VenueBuckets(this.clock);
    this.rest = {
      fetchImpl: opts.fetchImpl ?? fetch,
      clock: this.clock,
      timeoutMs: opts.timeoutMs ?? 10_000,
      maxRetries: opts.maxRetries ?? 2,
      maxWaitMs: opts.maxWaitMs ?? 30_000,
    };
  }

  stats(): RestCounters & { lastError: string | null } {
    return { ...this.counters, lastError: this.lastError };
  }

  /** Final candles of one market and timeframe; see the file comment. */
  async backfill(feed: HistoryFeed, symbol: string, tf: string, o: BackfillOptions = {}): Promise<BackfillResult> {
    try {
      return await this.backfillUnsafe(feed, symbol, tf, o);
    } catch (err) {
      return this.fail(`${feed.exchange} ${symbol} ${tf} backfill: ${describeCause(err)}`);
    }
  }

  /** Trades with ids fromId..toId inclusive (venues with sequential ids); see TradesByIdResult. */
  async tradesById(feed: HistoryFeed, symbol: string, fromId: number, toId: number, signal?: AbortSignal): Promise<TradesByIdResult> {
    const trades: Trade[] = [];
    try {
      const adapter = this.adapterFor(feed.exchange);
      const spec = adapter?.tradesById;
      if (!adapter || !spec) return { trades, complete: false, reason: `${feed.exchange} has no REST trades by id` };
      const base = this.baseUrl(adapter, feed);
      const { native } = await this.mapping(adapter, feed, symbol);
      let next = fromId;
      for (let n = 0; next <= toId; n++) {
        if (n >= this.maxRequests * 5) return { trades, complete: false, reason: `gap of ${toId - fromId + 1} trades is too large to fetch` };
        const limit = Math.min(spec.maxPerRequest, toId - next + 1);
        const r = await restGetJson(base + spec.path({ native, market: feed.market, fromId: next, limit }), this.bucket(adapter), this.rest, this.counters, signal, TRADES_ENDPOINT);
        if (!r.ok) return { trades, complete: false, reason: this.fail(`${adapter.displayName} trades from id ${next}: ${r.reason}`).reason };
        const page = spec.parse(r.body, { exchange: feed.exchange, market: feed.market, symbol }, this.clock.now());
        let advanced = false;
        for (const t of page) {
          const id = Number(t.id);
          if (id < next || id > toId) continue;
          if (id !== next) return { trades, complete: false, reason: this.fail(`${adapter.displayName} trades: id ${next} missing (got ${id})`).reason };
          trades.push(t);
          next = id + 1;
          advanced = true;
        }
        if (!advanced) return { trades, complete: false, reason: this.fail(`${adapter.displayName} trades: nothing returned from id ${next}`).reason };
      }
      return { trades, complete: true };
    } catch (err) {
      return { trades, complete: false, reason: this.fail(`${feed.exchange} ${symbol} trades: ${describeCause(err)}`).reason };
    }
  }

  private async backfillUnsafe(feed: HistoryFeed, symbol: string, tf: string, o: BackfillOptions): Promise<BackfillResult> {
    const adapter = this.adapterFor(feed.exchange);
    const spec = adapter?.candles;
    if (!adapter || !spec) return { bars: [], reason: `${feed.exchange} has no REST candles`, code: 'no-rest-candles' };
    const tfMs = timeframeMs(tf);
    const src = sourceInterval(spec.intervals(feed.market), tf);
    if (src === null) {
      return { bars: [], reason: `${adapter.displayName} has no candles that make ${tf} bars; they come from live trades only`, code: 'live-trades-only' };
    }
    const srcMs = timeframeMs(src);
    const now = this.clock.now();
    const limit = Math.max(1, Math.floor(o.limit ?? 500));
    const to = Math.min(o.to ?? now, now);
    const from = windowStart(o.from ?? to - limit * tfMs, tfMs);
    if (!(to > from)) return { bars: [] };
    const base = this.baseUrl(adapter, feed);
    const { native, contractSize } = await this.mapping(adapter, feed, symbol);
    const ctx: RestContext = { exchange: feed.exchange, market: feed.market, symbol, tf: src, ...(contractSize === undefined ? {} : { contractSize }) };
    const got = new Map<number, Bar>();
    let reason: string | undefined;
    let code: BackfillReasonCode = 'failed';
    const chunkMs = spec.maxPerRequest * srcMs;
    let n = 0;
    for (let a = from; a < to; a += chunkMs) {
      if (n++ >= this.maxRequests) {
        reason = `stopped after ${this.maxRequests} requests; older bars not fetched`;
        code = 'request-limit';
        break;
      }
      const b = Math.min(to, a + chunkMs);
      const q = { native, market: feed.market, tf: src, from: a, to: b, limit: Math.min(spec.maxPerRequest, Math.ceil((b - a) / srcMs)) };
      const r = await restGetJson(base + spec.path(q), this.bucket(adapter), this.rest, this.counters, o.signal, CANDLES_ENDPOINT, spec.body?.(q));
      if (!r.ok) {
        ({ reason, code } = this.fail(`${adapter.displayName} ${symbol} ${src} candles: ${r.reason}`, 'request-failed'));
        break;
      }
      for (const bar of spec.parse(r.body, ctx)) {
        // The venue's forming candle (or one it marks unfinished) is not history yet.
        if (!bar.final || bar.start + srcMs > now || bar.start < a || bar.start >= b) continue;
        got.set(bar.start, bar);
      }
    }
    let bars = [...got.values()].sort((x, y) => x.start - y.start);
    if (src !== tf) bars = rollUp(bars, tf).filter((bar) => bar.start + tfMs <= now);
    bars = bars.filter((bar) => bar.start >= from && bar.start < to);
    if (bars.length > limit) bars = bars.slice(bars.length - limit);
    return reason === undefined ? { bars } : { bars, reason, code };
  }

  private baseUrl(adapter: VenueAdapter, feed: HistoryFeed): string {
    const base = feed.restUrl ?? adapter.defaultRestUrl?.(feed.market);
    if (!base) throw new Error(`${adapter.displayName} has no REST URL`);
    return base.replace(/\/+$/, '');
  }

  /** The market's native name and, when its instrument list says, its contract size. */
  private async mapping(adapter: VenueAdapter, feed: HistoryFeed, symbol: string): Promise<{ native: string; contractSize?: number }> {
    const resolver = await this.opts.symbols?.(feed);
    if (!resolver) return { native: adapter.toNative(symbol, feed.market) };
    const native = resolver.toNative(symbol);
    const contractSize = resolver.contractSize?.(native);
    return contractSize === undefined ? { native } : { native, contractSize };
  }

  /** One bucket per venue, shared by all of its feeds (the limit is per IP, not per feed). */
  private bucket(adapter: VenueAdapter): TokenBucket {
    return this.buckets.of(adapter);
  }

  private fail(reason: string, code: BackfillReasonCode = 'failed'): { bars: Bar[]; reason: string; code: BackfillReasonCode } {
    this.lastError = reason;
    return { bars: [], reason, code };
  }
}
