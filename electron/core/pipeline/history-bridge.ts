/**
 * Connects the REST history (electron/core/history) to the running pipeline:
 * - when a feed starts, recent bars of each of its markets are fetched from the venue's candles
 *   and seeded into the aggregator (bars before the open window only: see Aggregator.seed);
 * - when a chart opens a series, that series is topped up once per session the same way;
 * - every trade and gap goes through the GapFiller, which recovers what a disconnect lost
 *   (exact trades by id on Binance, candles elsewhere).
 * Seeded and revised bars reach the store and the UI through Aggregator.onRevised/takeChanged.
 * Nothing here blocks ingest: REST work runs in the background, paced per venue.
 */
import type { FeedConfig } from '../../../shared/config';
import type { Gap, MarketType, Trade } from '../../../shared/domain';
import type { HistoryHealth } from '../../../shared/health';
import { timeframeMs } from '../../../shared/timeframes';
import { HistoryService, type HistoryServiceOptions } from '../history/backfill';
import type { VenueBuckets } from '../rest/venue-buckets';
import type { Clock } from '../util/clock';
import { describeCause } from '../util/errors';
import { GapFiller, type GapFillResult } from '../history/gap-filler';
import type { Aggregator } from './aggregator';

/** Bars fetched per series when a feed starts or a chart opens. */
const BACKFILL_BARS = 500;
/** Timeframes finer than this are left to live trades at feed start (a chart can still ask). */
const MIN_STARTUP_TF_MS = 60_000;

export interface HistoryBridgeOptions {
  aggregator: Aggregator;
  timeframes: readonly string[];
  feedFor(id: string): FeedConfig | undefined;
  /** The running feeds carrying a market, for chart top-ups. */
  feedsFor(exchange: string, market: MarketType, symbol: string): FeedConfig[];
  /** Also told each line kept as `lastNote` (a fill or backfill that could not be done). */
  report?(message: string): void;
  history?: HistoryService;
  /** The pipeline's clock: REST pacing, "now" of a backfill, the gap filler's windows. */
  clock?: Clock;
  /** The venues' REST token buckets, shared with the instrument lists (rest/venue-buckets.ts). */
  buckets?: VenueBuckets;
  /** The feeds' instrument mapping (native names, contract sizes), shared with history. */
  symbols?: HistoryServiceOptions['symbols'];
}

export class HistoryBridge {
  readonly service: HistoryService;
  private readonly filler: GapFiller;
  private readonly toppedUp = new Set<string>();
  private readonly inflight = new Set<Promise<void>>();
  /** After stop(), late REST answers are dropped: the store may already be closed. */
  private stopped = false;
  private lastNote: string | null = null;

  constructor(private readonly o: HistoryBridgeOptions) {
    this.service = o.history ?? new HistoryService({ ...(o.clock ? { clock: o.clock } : {}), ...(o.buckets ? { buckets: o.buckets } : {}), ...(o.symbols ? { symbols: o.symbols } : {}) });
    this.filler = new GapFiller({
      history: this.service,
      timeframes: o.timeframes,
      ...(o.clock ? { clock: o.clock } : {}),
      feedFor: (id) => o.feedFor(id),
      apply: (fill) => {
        if (!this.stopped) o.aggregator.fillTrades(fill);
      },
      applyBars: (fill) => (this.stopped ? 0 : o.aggregator.fillBars(fill)),
      onResult: (r) => this.onFillResult(r),
    });
  }

  onTrade(t: Trade): void {
    this.filler.onTrade(t);
  }

  onGap(g: Gap): void {
    this.filler.onGap(g);
  }

  /** At a feed's start: recent bars for each market, on the timeframes of a minute and up. */
  feedStarted(feed: FeedConfig): void {
    if (!feed.channels.includes('trades')) return;
    for (const symbol of feed.symbols) {
      for (const tf of this.o.timeframes) {
        if (timeframeMs(tf) >= MIN_STARTUP_TF_MS) this.backfill(feed, symbol, tf);
      }
    }
  }

  /** A chart opened a series: top it up from REST once per session (any timeframe). */
  chartOpened(q: { exchange: string; market: MarketType; symbol: string; tf: string }): void {
    for (const feed of this.o.feedsFor(q.exchange, q.market, q.symbol)) this.backfill(feed, q.symbol, q.tf);
  }

  stop(): void {
    this.stopped = true;
  }

  /** REST counters and the latest outcome worth telling, for the health view. */
  health(): HistoryHealth {
    const h = this.service.stats();
    return { requests: h.requests, rateLimited: h.rateLimited, errors: h.errors, lastError: h.lastError, lastNote: this.lastNote };
  }

  /** Resolves when every background fetch has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
    await this.filler.idle();
  }

  private backfill(feed: FeedConfig, symbol: string, tf: string): void {
    const key = `${feed.exchange}:${feed.market}:${symbol}:${tf}:${feed.restUrl ?? ''}`;
    if (this.stopped || this.toppedUp.has(key)) return;
    this.toppedUp.add(key);
    const work = this.service
      .backfill(feed, symbol, tf, { limit: BACKFILL_BARS })
      .then((r) => {
        if (this.stopped) return;
        if (r.bars.length > 0) this.o.aggregator.seed(feed.exchange, feed.market, symbol, tf, r.bars);
        // A timeframe no venue candles make (1s/5s/15s mostly) is expected to come from live trades.
        else if (r.reason && r.code !== 'live-trades-only') this.note(`${feed.id} ${symbol} ${tf} history: ${r.reason}`);
      })
      // Reported, never rethrown: `work` is only awaited by idle(), so the chain must not reject
      // (describeCause reads any thrown value; `.message` of a non-Error threw here).
      .catch((e: unknown) => this.note(`${feed.id} ${symbol} ${tf} history failed: ${describeCause(e)}`))
      .finally(() => this.inflight.delete(work));
    this.inflight.add(work);
  }

  private note(message: string): void {
    this.lastNote = message;
    this.o.report?.(message);
  }

  private onFillResult(r: GapFillResult): void {
    if (r.complete) return;
    const how = r.method === 'none' ? 'not filled' : `filled from ${r.method} (${r.bars} bars, ${r.trades} trades)`;
    this.note(`${r.exchange} ${r.market} ${r.symbol} gap ${how}${r.reason ? `: ${r.reason}` : ''}`);
  }
}
