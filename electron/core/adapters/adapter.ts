/**
 * The adapter contract: a declarative description of one venue plus a pure, per-connection frame
 * parser and pure REST body parsers. Adapters know nothing of sockets or HTTP: the connection
 * runtime (runtime/connection.ts) does connecting, pacing, keepalive, watchdogs, reconnects and
 * rotation for every venue alike, and the REST client (rest/client.ts) does requests.
 */
import type { Bar, Channel, MarketData, MarketType, Trade } from '../../../shared/domain';
import type { ErrorKind } from '../../../shared/health';
import type { ZodType } from 'zod';
import type { VenueBook } from './book-spec';

/** One subscription unit: a market on a channel. */
export interface Stream {
  /** Canonical symbol, `BTC-USDT`. */
  symbol: string;
  /** The venue's native name for it, `BTCUSDT`, `tBTCUSD`, `BTC/USD`. */
  native: string;
  channel: Channel;
}

/** Not market data: acks, heartbeats, pongs, venue info. Never counts towards liveness. */
export interface ControlEvent {
  type: 'control';
  /** `welcome`: the venue is ready for subscribes (KuCoin); see VenueStream.subscribeAfterWelcome. */
  what: 'ack' | 'heartbeat' | 'pong' | 'info' | 'welcome';
  message?: string;
  /**
   * A text frame the runtime sends back at once on the same connection: the answer a venue
   * demands to a message (Deribit's heartbeat `test_request` -> `public/test`, or it disconnects).
   */
  reply?: string;
}

/** Something the venue said that a trader should see (non-JSON proxy notice, maintenance...). */
export interface NoticeEvent {
  type: 'notice';
  message: string;
  /** The venue asks us to reconnect (Bitstamp bts:request_reconnect, Binance serverShutdown). */
  reconnect?: boolean;
}

/** Bad input or a venue error reply; counted and shown in the feed's health with its cause. */
export interface ErrorEvent {
  type: 'error';
  kind: ErrorKind;
  message: string;
  /** The venue's own text or the offending frame (truncated). */
  cause?: string;
  /** Canonical symbol concerned, when known (e.g. an unknown-symbol reply). */
  symbol?: string;
}

export type ParsedEvent = MarketData | ControlEvent | NoticeEvent | ErrorEvent;

export interface ParserContext {
  exchange: string;
  market: MarketType;
  /** Native -> canonical, using instrument metadata when loaded, else the adapter's fallback. */
  toCanonical(native: string): string;
  /** The streams this connection subscribed to. */
  streams: readonly Stream[];
  /**
   * Base units per contract of a native instrument, from the REST instrument list (Instrument.
   * contractSize); undefined when the list did not say or could not be had (fallback mapping).
   */
  contractSize?(native: string): number | undefined;
}

/**
 * Per-connection parser. It may keep state (channel ids, snapshot de-duplication, ticker deltas);
 * a new one is created for every connection, so state never leaks across reconnects.
 * It must not throw on bad input: it returns an ErrorEvent (the runtime also guards it).
 */
export interface FrameParser {
  /**
   * `bytes`: the frame as received (UTF-8), where the runtime has them (live sockets; not
   * replays). A view into the socket's read, valid only during the call: a parser that reads
   * bytes (the fast paths, json-scan.ts) copies what it keeps.
   */
  parse(frame: string, receivedAt: number, bytes?: Uint8Array): ParsedEvent[];
  /**
   * The messages that resubscribe `streams` on this connection (a book resync), for venues that
   * refuse a second subscribe to a live subscription and unsubscribe by an id only the parser
   * knows (Bitfinex `chanId`). Undefined: the runtime sends the adapter's subscribeMessages again.
   */
  resubscribeMessages?(streams: readonly Stream[]): string[] | undefined;
}

export type Keepalive =
  /** Send a text frame every intervalMs (OKX `ping`, Bybit `{"op":"ping"}`). */
  /**
   * `message` may depend on the connection's market and the time (Gate: `{"time":<s>,"channel":"spot.ping"}`
   * on spot, `futures.ping` on futures).
   */
  | { kind: 'text'; intervalMs: number; message: string | ((market: MarketType, now: number) => string) }
  /** Send WebSocket protocol ping frames every intervalMs. */
  | { kind: 'ws-ping'; intervalMs: number }
  /** Nothing to send; the server pings (ws answers protocol pings itself) or sends heartbeats. */
  | { kind: 'none' };

export interface Instrument {
  symbol: string;
  native: string;
  /**
   * Base units per contract, for venues whose stream counts contracts without saying their size
   * (Gate futures `quanto_multiplier`); parsers read it through ParserContext.contractSize.
   */
  contractSize?: number;
}

/**
 * One venue: who it is, how its symbols are written, and its two halves, each in a file of its
 * own under adapters/<venue>/: the WebSocket stream (stream.ts) and the REST endpoints (rest.ts).
 * adapters/<venue>/venue.ts puts them together; adapters/index.ts registers it.
 */
export interface VenueAdapter extends VenueStream, VenueRest {
  /** How this venue's L2 books sync, for venues with a `book` channel (electron/core/books/). */
  book?: VenueBook;
  /** Exchange id as in FeedConfig.exchange. */
  id: string;
  displayName: string;
  marketTypes: readonly MarketType[];
  channels: Partial<Record<MarketType, readonly Channel[]>>;
  /**
   * The strict schema of this venue's FeedConfig `options` (unknown keys rejected; `{}` only for
   * venues that take none). It is the venue's entry in shared/venue-options.ts, where feed
   * validation finds it without importing adapters (see that file for why).
   */
  optionsSchema: ZodType;
  /** Markets offered without any REST list (the simulator's), for search in the feed editor. */
  knownSymbols?(market: MarketType): string[];
  /** Canonical -> native without metadata. */
  toNative(symbol: string, market: MarketType): string;
  /** Native -> canonical without metadata. */
  toCanonical(native: string, market: MarketType): string;
}

/** The WebSocket half of a venue (adapters/<venue>/stream.ts): connecting, subscribing, parsing. */
export interface VenueStream {
  defaultUrl(market: MarketType): string;
  /** Max streams (symbol x channel) on one connection; the runtime opens more connections beyond. */
  maxStreamsPerConnection: number;
  /** Subscribe messages sent per second on one connection (venue pacing). */
  subscribeMessagesPerSecond: number;
  /** Subscribes are sent right after open, which meets Coinbase's subscribe-within-5-s rule. */
  keepalive: Keepalive;
  /**
   * Largest frame accepted from this venue, bytes; default 1 MB (runtime/frame-guard.ts). Declare
   * more only for a venue whose subscribed channels really send larger frames (big snapshots).
   */
  maxFrameBytes?: number;
  /** Rotate (make-before-break) after this long; venues that cut connections on a timer. */
  rotateAfterMs?: number;
  /**
   * Streams with different groups never share a connection (Binance USD-M serves bookTicker only
   * on /public and the other streams only on /market). Default: one group.
   */
  connectionGroup?(stream: Stream, market: MarketType): string;
  /** The URL for a connection carrying `streams` (some venues put streams in the URL). */
  connectUrl?(baseUrl: string, streams: readonly Stream[]): string;
  /**
   * A REST request the runtime makes before EVERY connection (a reconnect or a rotation fetches
   * anew), for venues that hand out a connect token with the endpoint (KuCoin `bullet-public`).
   * Its answer replaces defaultUrl/connectUrl (config.url, when set, still replaces the endpoint).
   */
  connectToken?: ConnectTokenSpec;
  /**
   * Subscribe only after the venue's greeting (the parser's `control: welcome`), as KuCoin asks;
   * the subscribe-answer deadline also covers the wait for it. Default: subscribe at open.
   */
  subscribeAfterWelcome?: boolean;
  /** Text frames to send after open, in order; the runtime paces them. */
  subscribeMessages(streams: readonly Stream[], market: MarketType): string[];
  unsubscribeMessages?(streams: readonly Stream[], market: MarketType): string[];
  /**
   * Text frames that make the venue send a stream's snapshot again (a book resync,
   * Connection.resubscribe), when they need no per-connection state (else the parser's
   * resubscribeMessages). Default: subscribeMessages, for venues that answer a repeated subscribe
   * with a snapshot.
   */
  resubscribeMessages?(streams: readonly Stream[], market: MarketType): string[];
  createParser(ctx: ParserContext): FrameParser;
}

/** The pre-connect request of VenueStream.connectToken, declaratively (runtime/connect-token.ts fetches it). */
export interface ConnectTokenSpec {
  /** Path on the REST base (config.restUrl ?? defaultRestUrl). */
  path(market: MarketType): string;
  /** The request is a POST with this JSON body. */
  body(market: MarketType): unknown;
  /**
   * The answer -> where and how to connect; throws on a body of the wrong shape. `connectionId` is
   * unique per connection of the process; `endpoint` is config.url when the feed sets one.
   */
  parse(body: unknown, q: { market: MarketType; connectionId: string; endpoint?: string }): ConnectTarget;
}

export interface ConnectTarget {
  url: string;
  /** Replaces keepalive.intervalMs for this connection (the venue said how often to ping). */
  keepaliveIntervalMs?: number;
}

/**
 * The REST half of a venue (adapters/<venue>/rest.ts), declaratively: paths and body parsers.
 * The fetching (pacing, Retry-After, body caps) is rest/client.ts's, for every venue alike.
 */
export interface VenueRest {
  defaultRestUrl?(market: MarketType): string;
  /** REST instrument list, for canonical <-> native mapping. */
  instruments?: {
    path(market: MarketType): string;
    /** A JSON body when the venue serves the list only to a POST (Hyperliquid /info {"type":"meta"}). */
    body?(market: MarketType): unknown;
    parse(body: unknown, market: MarketType): Instrument[];
  };
  /** REST candles for backfill and gap fill (history/). */
  candles?: CandlesSpec;
  /** REST trades by sequential id, where the venue has them (exact gap fill). */
  tradesById?: TradesByIdSpec;
  /**
   * REST requests the feed runtime repeats while a feed runs (runtime/rest-poller.ts), for data a
   * venue serves only by REST (Binance USD-M open interest). Paced by the venue's bucket below.
   */
  polls?: readonly RestPollSpec[];
  /** Published REST limit for the endpoints above; one bucket per venue, shared by its feeds. */
  restRateLimit?: RestRateLimit;
}

/**
 * One polled endpoint: each market of the feed subscribed to `channel` (on `market`) is asked
 * about every intervalMs, one request at a time, at least minGapMs apart (so many markets spread
 * out instead of taking the venue's whole bucket). Failures are counted in the feed's health.
 */
export interface RestPollSpec {
  /** What the poll is for, in errors (`open interest`). */
  what: string;
  market: MarketType;
  /** The feed channel whose markets are polled; the records belong to it (`funding`). */
  channel: Channel;
  intervalMs: number;
  minGapMs: number;
  /** Path and query on the REST base (config.restUrl ?? defaultRestUrl). */
  path(native: string): string;
  /**
   * The answer -> records carrying only the fields the endpoint gives (a Funding with just
   * openInterest: the runtime merges it with the stream's latest Funding of the market, see
   * runtime/funding-merge.ts); throws on a body of the wrong shape.
   */
  parse(body: unknown, ctx: Omit<RestContext, 'tf'>, receivedAt: number): MarketData[];
}

/** A venue's published REST limit, as a token bucket (requests per second, burst). */
export interface RestRateLimit {
  requestsPerSecond: number;
  burst: number;
}

/** One candles request: native symbol, one of the venue's intervals, [from, to) epoch ms. */
export interface CandleQuery {
  native: string;
  market: MarketType;
  /** One of `intervals(market)`, in our timeframe notation (`1m`, `1h`). */
  tf: string;
  from: number;
  to: number;
  limit: number;
}

/** Who the parsed bars belong to (canonical names; the parser fills them into every Bar). */
export interface RestContext {
  exchange: string;
  market: MarketType;
  symbol: string;
  tf: string;
  /**
   * Base units per contract of the instrument (SymbolResolver.contractSize), for venues whose
   * candles count contracts (Gate and KuCoin futures); history fills it from the feeds' resolver.
   * A parser that needs it and finds it missing throws (the volume is never guessed).
   */
  contractSize?: number;
}

/**
 * The venue's public candles endpoint, declaratively (electron/core/history/ does the fetching,
 * pacing and paging). parse() returns FINAL-or-not bars with `source: 'candles'` and throws on a
 * body of the wrong shape; candles the venue marks unfinished come back with final: false.
 */
export interface CandlesSpec {
  /** Intervals the venue serves, in our notation, finest first. */
  intervals(market: MarketType): readonly string[];
  /** Most candles one request returns. */
  maxPerRequest: number;
  /** Path and query (appended to the REST base URL). */
  path(q: CandleQuery): string;
  /** A JSON body when the venue serves candles only to a POST (Hyperliquid candleSnapshot). */
  body?(q: CandleQuery): unknown;
  parse(body: unknown, ctx: RestContext): Bar[];
  /** True when buy/sell volume and trade count in the parsed bars are the venue's exact figures. */
  exactSplit: boolean;
}

/** REST trades by sequential id (Binance aggTrades fromId): exact gap fill. */
export interface TradesByIdSpec {
  maxPerRequest: number;
  path(q: { native: string; market: MarketType; fromId: number; limit: number }): string;
  /** Trades with numeric-string ids, oldest first; throws on a body of the wrong shape. */
  parse(body: unknown, ctx: Omit<RestContext, 'tf'>, receivedAt: number): Trade[];
}

/**
 * Canonical <-> native mapping for one venue and market type, built from the venue's REST
 * instrument list (cached on disk) or, when that cannot be had, from the adapter's fallback.
 * Implemented in instruments/resolve.ts.
 */
export interface SymbolResolver {
  toNative(symbol: string): string;
  toCanonical(native: string): string;
  /** Where the mapping came from. */
  source: 'rest' | 'cache' | 'fallback';
  /** Age of the instrument list in ms (0 when fresh from REST, null for the fallback). */
  ageMs: number | null;
  /** Canonical symbols the venue lists, when known (for search in the UI). */
  symbols(): string[] | null;
  /** Base units per contract of a native instrument, when its list says (Instrument.contractSize). */
  contractSize?(native: string): number | undefined;
}
