/** Pipeline health, as collected by the core (1-2 Hz) and shown by the UI. */
import type { BookState } from './books';

export type FeedState =
  | 'connecting'
  | 'subscribing'
  | 'live'
  | 'stale'
  | 'backoff'
  | 'stopped'
  | 'error';

export type ErrorKind = 'network' | 'protocol' | 'rate-limit' | 'parse' | 'config' | 'timeout' | 'venue';

export interface FeedError {
  kind: ErrorKind;
  message: string;
  /** The underlying cause, as text (e.g. `ECONNREFUSED 127.0.0.1:9443`, a venue's own message). */
  cause?: string;
  at: number;
}

export interface MarketHealth {
  symbol: string;
  /** Epoch ms of the last data (trade/quote/...), null if none yet. */
  lastDataAt: number | null;
  /** Current watchdog threshold in ms (adapts to the market's rate). */
  staleAfterMs: number;
  stale: boolean;
}

export interface FeedHealth {
  feedId: string;
  exchange: string;
  market: 'spot' | 'perp';
  state: FeedState;
  /** When state is `backoff`: epoch ms of the next connection attempt. */
  nextRetryAt: number | null;
  connections: number;
  messagesPerSec: number;
  bytesPerSec: number;
  tradesPerSec: number;
  /** ms since the last data frame on any market of this feed, null if none yet. */
  lastDataAgeMs: number | null;
  /** Exchange-time to receive-time latency percentiles over the last window, ms. */
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  reconnects: number;
  /** Counted bad input: malformed frames, unknown messages, rejected values. */
  errors: number;
  notices: number;
  lastError: FeedError | null;
  markets: MarketHealth[];
  /** Present when the feed records its raw frames (FeedConfig.record). */
  recording?: RecordingHealth;
  /** Present for a replay feed: how far through the recording it is. */
  replay?: ReplayHealth;
  /** Present for a `nats` feed: the JetStream subscription to a shared ingest node. */
  nats?: NatsFeedHealth;
}

/** A `nats` feed's subscription (electron/core/scaleout/nats-consumer.ts). */
export interface NatsFeedHealth {
  connected: boolean;
  /** Messages in the stream not yet delivered to this client (consumer lag), summed over its sources. */
  pending: number;
  /** Messages the server delivered again (not acknowledged in time, or the client restarted). */
  redelivered: number;
  /** Trades that arrived twice (two ingest nodes each published an edge batch) and were dropped. */
  duplicateTrades: number;
  /** The ingest node's own feeds, as their last published status said (`binance:spot` -> live/stale/...). */
  upstream: { source: string; state: FeedState; cause?: string }[];
}

/** Raw recording of one feed: disk used against the user's budget. */
export interface RecordingHealth {
  dir: string;
  /** Bytes on disk in the feed's recording directory (active + compressed files). */
  usedBytes: number;
  budgetBytes: number;
  files: number;
  frames: number;
  /** Frames dropped because the disk could not keep up (bounded memory). */
  droppedFrames: number;
  /** Oldest rotated files deleted to stay within the budget. */
  deletedFiles: number;
  lastError: string | null;
}

export interface ReplayHealth {
  path: string;
  speed: 1 | 10 | 'max';
  framesPlayed: number;
  /** Recorded receive time of the last frame played, epoch ms. */
  position: number | null;
  done: boolean;
}

/** The local bar store (SQLite). `enabled: false` with the reason when it could not open. */
export interface StoreHealth {
  enabled: boolean;
  path: string | null;
  barsWritten: number;
  pending: number;
  errors: number;
  /** Why the store is off, or its last write error. */
  notice: string | null;
}

/** REST history: backfill on open and gap fill after disconnects. */
export interface HistoryHealth {
  requests: number;
  rateLimited: number;
  errors: number;
  lastError: string | null;
  /** The latest backfill or gap-fill outcome worth telling (a gap filled from candles...). */
  lastNote: string | null;
}

export interface QueueHealth {
  name: string;
  policy: 'wait' | 'drop-oldest' | 'conflate';
  capacity: number;
  depth: number;
  highWater: number;
  dropped: number;
}

export interface PipelineHealth {
  at: number;
  feeds: FeedHealth[];
  queues: QueueHealth[];
  tradesInPerSec: number;
  tradesOutPerSec: number;
  eventLoopDelayP99Ms: number;
  heapUsedBytes: number;
  rssBytes: number;
  /** The local bar store; absent when the pipeline runs without a data dir. */
  store?: StoreHealth;
  history?: HistoryHealth;
  /** The pipeline's supervised background tasks (bar clock, health sampler). */
  tasks?: { name: string; state: string; restarts: number; lastError: string | null }[];
  /** One row per order book the pipeline holds (electron/core/books/); absent without books. */
  books?: BookHealth[];
}

/** An order book's health: its sync state and what it took to keep it valid. */
export interface BookHealth {
  exchange: string;
  market: 'spot' | 'perp';
  symbol: string;
  state: BookState;
  /** Local ms since the last applied update; null before the first. */
  lastUpdateAgeMs: number | null;
  updatesPerSec: number;
  updates: number;
  resyncs: number;
  checksumFailures: number;
  /** Missed or reordered updates detected. */
  gaps: number;
  /** Times the book came out crossed (a detected error, never shown as valid). */
  crossed: number;
  /** Levels held, both sides. */
  levels: number;
  lastResyncReason: string | null;
}

/** A feed's running totals (counted by runtime/feed-stats.ts for live feeds and replays alike). */
export interface FeedCounts {
  trades: number;
  quotes: number;
  liquidations: number;
  funding: number;
  /** Book records received (snapshots and diffs as the parser gave them; REST snapshots are counted by the book, not the feed). */
  books: number;
  errors: number;
  notices: number;
  reconnects: number;
  firstReceivedAt: number | null;
  lastReceivedAt: number | null;
}

/** One feed in the headless run's closing `summary` record: its id and venue, and its totals. */
export type FeedSummary = { id: string; exchange: string; market: string } & FeedCounts;

/** A feed state change with its cause (headless `status` records, UI notices). */
export interface StatusRecord {
  type: 'status';
  feedId: string;
  exchange: string;
  market: 'spot' | 'perp';
  state: FeedState;
  at: number;
  cause?: string;
  /** In `backoff`: when the next attempt happens. */
  nextRetryAt?: number | null;
}
