/**
 * Domain types shared by the core (plain Node) and the renderer (browser).
 * No Node, DOM or Electron imports here: see docs/architecture.md, Layers.
 *
 * Every record carries a `type` discriminator so the same object travels from the adapter
 * through the pipeline to the headless NDJSON output without being wrapped (hot path: one
 * allocation per trade).
 */

export const MARKET_TYPES = ['spot', 'perp'] as const;
export type MarketType = (typeof MARKET_TYPES)[number];

/** Taker (aggressor) side. `unknown` where a venue does not say. */
export type Side = 'buy' | 'sell' | 'unknown';

export const CHANNELS = ['trades', 'quotes', 'liquidations', 'funding', 'book'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A market is exchange + market type + canonical symbol (`BASE-QUOTE`, upper case). */
export interface MarketRef {
  exchange: string;
  market: MarketType;
  symbol: string;
}

export interface Trade extends MarketRef {
  type: 'trade';
  price: number;
  size: number;
  side: Side;
  /** Exchange timestamp, epoch ms (fractional where the venue gives µs). */
  time: number;
  /** Local receive time, epoch ms. */
  receivedAt: number;
  /** Venue trade id, where the venue gives one. */
  id?: string;
}

/** Top of book. */
export interface Quote extends MarketRef {
  type: 'quote';
  bid: number;
  bidSize: number;
  ask: number;
  askSize: number;
  time: number;
  receivedAt: number;
}

/**
 * A forced liquidation on a perpetual market. `side` is the side of the liquidation order
 * (the taker side): `sell` means a long position was liquidated, `buy` a short one.
 */
export interface Liquidation extends MarketRef {
  type: 'liquidation';
  price: number;
  size: number;
  side: Side;
  time: number;
  receivedAt: number;
}

/** Funding and mark price of a perpetual market; fields a venue does not send are absent. */
export interface Funding extends MarketRef {
  type: 'funding';
  /** Current (predicted) funding rate as a fraction, e.g. 0.0001 = 0.01 %. */
  rate?: number;
  markPrice?: number;
  indexPrice?: number;
  /** Epoch ms of the next funding settlement. */
  nextFundingTime?: number;
  /** Open interest in base units, the venue's latest: streamed by most perp venues, polled for Binance (runtime/rest-poller.ts). */
  openInterest?: number;
  time: number;
  receivedAt: number;
}

/**
 * One L2 book message as a venue sent it, normalised: `snapshot` replaces the book, `delta` sets
 * levels (size 0 removes). Levels are [price, size] in base units, in any order. Sequence fields
 * are the venue's (Binance `U`/`u`/`pu`, a simulator diff's `seq`): the venue's sync rule
 * (the venue's `book.syncRule`, electron/core/adapters/book-spec.ts) reads them to tell a gap from a stale or a good update.
 */
export interface BookUpdate extends MarketRef {
  type: 'book';
  action: 'snapshot' | 'delta';
  bids: [number, number][];
  asks: [number, number][];
  /** First sequence number this message covers (Binance `U`). */
  firstSeq?: number;
  /** Last sequence number this message covers (Binance `u`, a snapshot's `lastUpdateId`). */
  lastSeq?: number;
  /** The last sequence number of the message before this one (Binance futures `pu`). */
  prevSeq?: number;
  /**
   * The venue's checksum of its book after this message (OKX, Kraken, Bitfinex), checked against
   * the adapter's `book.checksum` once the message is applied.
   */
  checksum?: number;
  /**
   * The venue's own text of each level's price and size, parallel to `bids` and `asks`, for
   * venues whose checksum is defined on that text (OKX: contract sizes, trailing zeros).
   */
  text?: { bids: [string, string][]; asks: [string, string][] };
  time: number;
  receivedAt: number;
}

export type MarketData = Trade | Quote | Liquidation | Funding | BookUpdate;

export const DEFAULT_TIMEFRAMES = ['1s', '5s', '15s', '1m', '5m', '15m', '1h'] as const;
export type Timeframe = string;

/** `exchange` is COMPOSITE (`*`, shared/markets.ts) for the composite of all venues carrying the same canonical symbol. */
export interface Bar extends MarketRef {
  type: 'bar';
  tf: Timeframe;
  /** Window start, epoch ms (aligned to the timeframe in UTC). */
  start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  buyVolume: number;
  sellVolume: number;
  trades: number;
  vwap: number;
  /** True once the window has closed; an open bar keeps changing until then. */
  final: boolean;
  /** True when the feed (or, for a composite, any member feed) had a gap inside the window. */
  incomplete: boolean;
  /**
   * Where the bar came from: absent or `trades` = aggregated from trades (live, REST trade
   * backfill or replay); `candles` = taken from the venue's REST candles (backfill or gap fill),
   * so buy/sell split, trade count or VWAP may be estimates the venue did not give.
   */
  source?: 'trades' | 'candles';
}

/**
 * A disconnect is an event in the stream (docs/architecture.md, Normalisation): `start` when a feed's connection
 * is lost, `end` when data flows again. Bars whose window overlaps a gap are flagged incomplete.
 * `at` is local time (epoch ms).
 */
export interface Gap {
  type: 'gap';
  feedId: string;
  exchange: string;
  market: MarketType;
  symbols: string[];
  phase: 'start' | 'end';
  at: number;
  reason: string;
}
