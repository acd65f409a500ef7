/**
 * A feed source: what the feed manager runs for one enabled feed, whatever its kind. A live venue
 * (FeedRunner over the venue's WebSocket), the built-in simulator (the same, against an embedded
 * SimulatorServer) and a replay (ReplayRunner over a recording) look alike to it: they start,
 * stop, pause under backpressure, and report health and counts.
 *
 * Each kind of source has a SourceKind (index.ts maps a feed's `exchange` to it) that checks what
 * validation alone cannot (preflight) and opens a source, resolving what it needs first.
 */
import type { FeedConfig } from '../../../../shared/config';
import type { Channel, MarketType } from '../../../../shared/domain';
import type { FeedCounts, FeedHealth } from '../../../../shared/health';
import type { VenueAdapter } from '../../adapters/adapter';
import type { FeedSink, RuntimeTuning } from '../../runtime/feed';
import type { ResolvedSymbols } from '../../instruments/resolve';
import type { SimulatorServer } from '../../simulator/server';
import type { Clock } from '../../util/clock';
import type { VenueBuckets } from '../../rest/venue-buckets';

export interface FeedSource {
  /** Begins delivering to the sink: connections open, a replay starts reading. */
  start(): void;
  /** Ends it and releases what it holds (sockets, recorder, embedded simulator); also before start(). */
  stop(): Promise<void>;
  /** Backpressure from the ingest queue: stop reading until it drains. */
  setPaused(paused: boolean): void;
  health(now: number): FeedHealth;
  /** Running totals; still answered after stop() (the headless summary reads them then). */
  counts(): FeedCounts;
  /**
   * The recorded time reached, for a source that plays recorded time (a replay): the pipeline
   * closes bars by the smallest of these instead of the wall clock. Absent on live sources.
   */
  horizon?(): number;
  /** Resubscribes a market's channel on a live source (a book resync); false when it could not. */
  resubscribe?(symbol: string, channel: Channel): boolean;
  /** Records a REST book snapshot of `symbol` (its parsed body) with the frames, on a recording source. */
  recordBookSnapshot?(symbol: string, body: unknown, at: number): void;
  /** The embedded simulator serving the feed, if any (fault injection in tests and demos). */
  readonly simulator?: SimulatorServer | null;
}

/** What the feed manager gives a source kind to open a feed with. */
export interface SourceContext {
  sink: FeedSink;
  clock: Clock;
  tuning: Partial<RuntimeTuning> | undefined;
  /** <data dir>/recordings (recordings are written and replayed there); null without a data dir. */
  recordingsDir: string | null;
  /** The feed came from the command line (a --config file): its replay file is read as given. */
  trusted: boolean;
  /** One instrument lookup per venue, market type and REST URL, shared by every feed. */
  symbols(adapter: VenueAdapter, market: MarketType, restUrl: string | undefined): Promise<ResolvedSymbols | undefined>;
  /** The venues' REST buckets, for a venue's pre-connect token requests (KuCoin); absent: the feed's own. */
  restBuckets?: VenueBuckets;
  /** False once the feed was removed or replaced while its source was opening. */
  wanted(): boolean;
}

/** Why a feed cannot start (unknown venue, bad options, unreadable recording): the feed's error, as is. */
export class FeedStartError extends Error {
  override name = 'FeedStartError';
}

export interface SourceKind {
  /**
   * Opens a source for a feed without starting it, after resolving what it needs (instrument
   * lists, a recording's header, an embedded simulator). Rejects with a FeedStartError when the
   * feed cannot start; resolves null when the feed went away meanwhile (nothing is left open).
   */
  open(config: FeedConfig, ctx: SourceContext): Promise<FeedSource | null>;
  /**
   * For a feed about to be added or changed through the API: checks what validation alone cannot
   * (a replay file's location). Throws an Error naming the field; changes nothing.
   */
  preflight?(config: FeedConfig, scope: Pick<SourceContext, 'recordingsDir' | 'trusted'>): Promise<void>;
  /** Whether a command-line feed stays trusted when changed from `before` to `after`. Default: yes. */
  keepsTrust?(before: FeedConfig, after: FeedConfig): boolean;
  /** A started feed of this kind gets recent bars from its venue's REST candles (history backfill). */
  readonly backfill: boolean;
}

/** A status line for a feed that is not an error (e.g. recording could not start). */
export function noticeStatus(ctx: Pick<SourceContext, 'sink' | 'clock'>, config: FeedConfig, cause: string): void {
  ctx.sink.status({
    type: 'status', feedId: config.id, exchange: config.exchange, market: config.market,
    state: 'connecting', at: ctx.clock.now(), cause,
  });
}
