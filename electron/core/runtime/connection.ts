/**
 * One WebSocket to a venue: connect timeout, upgrade refusals (HTTP 429/418 + Retry-After),
 * paced subscribe messages, keepalive, and frames through the adapter's parser. It reports to
 * its owner (shard.ts) and makes no decisions about reconnecting: that is the shard's job.
 *
 * `onClose` is called exactly once, with the failure that ended the socket, or null when the
 * owner closed it on purpose (rotation, stop).
 */
import type { IncomingMessage } from 'node:http';
import type { MarketType } from '../../../shared/domain';
import type { ErrorKind } from '../../../shared/health';
import type { ConnectTarget, FrameParser, ParsedEvent, Stream, VenueAdapter } from '../adapters/adapter';
import { formatBytes } from '../util/byte-size';
import type { Clock } from '../util/clock';
import { describeCause } from '../util/errors';
import { FRAME_CEILING_FACTOR, frameTooDeep, frameTooLarge } from './frame-guard';
import { parseRetryAfter } from '../rest/retry-after';
import { OPEN, VenueSocket } from './venue-socket/venue-socket';

export interface ConnectionFailure {
  kind: ErrorKind;
  message: string;
  cause?: string;
  /** From Retry-After on a refused upgrade; null when absent. */
  retryAfterMs: number | null;
}

export interface ConnectionListener {
  onOpen(c: Connection): void;
  /** Every subscribe message has been sent (at the venue's pace). */
  onSubscribed(c: Connection): void;
  onFrame(c: Connection, bytes: number, receivedAt: number): void;
  onEvents(c: Connection, events: ParsedEvent[], receivedAt: number): void;
  onClose(c: Connection, failure: ConnectionFailure | null): void;
}

export interface ConnectionOptions {
  id: number;
  url: string;
  /**
   * The venue's pre-connect step (VenueStream.connectToken, runtime/connect-token.ts): when set,
   * open() awaits it (within connectTimeoutMs) and connects to its URL instead of `url`.
   */
  resolveTarget?: () => Promise<ConnectTarget | ConnectionFailure>;
  streams: Stream[];
  adapter: VenueAdapter;
  market: MarketType;
  toCanonical(native: string): string;
  /** Base units per contract from the instrument list (ParserContext.contractSize). */
  contractSize?: (native: string) => number | undefined;
  clock: Clock;
  connectTimeoutMs: number;
  /** The venue's frame cap (frame-guard.ts): larger frames are dropped and counted. */
  maxFrameBytes: number;
  /** The venue must answer the subscribe within this (see "the subscribe answer" below). */
  subscribeAckTimeoutMs: number;
  paused: boolean;
  listener: ConnectionListener;
  /** Optional raw-frame tap (the recorder): the frame text exactly as parsed, with its receive time. */
  onFrame?: (text: string, receivedAt: number) => void;
}

/** Keepalive answers may be this many intervals late before the link is declared dead. */
const LINK_SILENCE_INTERVALS = 3;
/** A deliberate close waits this long for the peer's close frame, then cuts the socket. */
const CLOSE_GRACE_MS = 1_000;

export class Connection {
  readonly id: number;
  readonly streams: Stream[];
  openedAt: number | null = null;
  subscribedAt: number | null = null;
  firstDataAt: number | null = null;
  /** Last market data per canonical symbol on this socket (the shard's stall check). */
  readonly lastDataBySymbol = new Map<string, number>();
  /** Silence before this (open, or resume after a pause) is not the market's fault. */
  watchFrom: number | null = null;

  private ws: VenueSocket | null = null;
  /** When the socket read that carried the current frame arrived (one clock read per read). */
  private readAt = 0;
  private parser: FrameParser | null = null;
  private timers = new Set<unknown>();
  private failure: ConnectionFailure | null = null;
  private deliberate = false;
  private closed = false;
  private paused: boolean;
  private lastLinkAt = 0;
  private closeWaiters: (() => void)[] = [];
  /** Subscribe messages were sent and the venue has not answered yet (one flag test per frame). */
  private awaitingAnswer = false;
  private answerTimer: unknown = null;
  /** The answer deadline passed while paused (we were not reading): re-armed on resume. */
  private answerDeferred = false;
  private subscribeMessageCount = 0;
  /** When the last paced (subscribe, unsubscribe) message went out. */
  private lastPacedAt = -Infinity;
  /** Open, subscribes held until the venue's welcome (VenueStream.subscribeAfterWelcome). */
  private awaitingWelcome = false;
  private welcomeTimer: unknown = null;
  /** The keepalive interval the pre-connect answer asked for (KuCoin pingInterval). */
  private keepaliveMs: number | undefined;

  constructor(private readonly opts: ConnectionOptions) {
    this.id = opts.id;
    this.streams = opts.streams;
    this.paused = opts.paused;
  }

  get isOpen(): boolean {
    return this.ws?.readyState === OPEN;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  open(): void {
    const resolve = this.opts.resolveTarget;
    if (!resolve) {
      this.openSocket(this.opts.url, null);
      return;
    }
    // One deadline for the token request and the upgrade together.
    const connectTimer = this.after(this.opts.connectTimeoutMs, () => {
      this.fail({ kind: 'timeout', message: `no connect token and WebSocket upgrade within ${this.opts.connectTimeoutMs} ms`, retryAfterMs: null });
    });
    void resolve().then((target) => {
      if (this.closed) return;
      if (!('url' in target)) {
        this.fail(target);
        return;
      }
      this.keepaliveMs = target.keepaliveIntervalMs;
      this.openSocket(target.url, connectTimer);
    });
  }

  private openSocket(url: string, pending: unknown): void {
    const { clock } = this.opts;
    let ws: VenueSocket;
    try {
      // Frames between the venue's cap and this ceiling are received, then dropped and counted
      // (the connection stays); beyond it the socket is closed (1009) and the shard reconnects.
      // Text is not UTF-8-validated: a validating client closes the whole connection (1007) over
      // one frame with a bad byte, a reconnect and a gap for every market on it; decoded without
      // the check, the bad byte reads as U+FFFD and the frame fails the parser's own checks: one
      // counted error, the connection stays (test/integration/runtime/bad-input.test.ts).
      ws = new VenueSocket(url, this.opts.maxFrameBytes * FRAME_CEILING_FACTOR, {
        onOpen: () => {
          this.cancel(connectTimer);
          this.onOpen();
        },
        onUnexpectedResponse: (res) => this.refused(res),
        onRead: () => (this.readAt = clock.now()),
        onMessage: (data, start, end, isBinary) => this.onMessage(data, start, end, isBinary),
        onPing: () => (this.lastLinkAt = clock.now()),
        onPong: () => (this.lastLinkAt = clock.now()),
        onError: (err) => this.recordFailure(classifySocketError(err, this.opts.maxFrameBytes, this.opts.adapter.displayName)),
        onClose: (code, reason) => {
          if (!this.deliberate) this.recordFailure(closedByPeer(code, reason));
          this.finish();
        },
      });
    } catch (err) {
      // An invalid URL is a config problem, not a network one: the owner will not retry it.
      this.failure = { kind: 'config', message: `invalid WebSocket URL ${url}`, cause: describeCause(err), retryAfterMs: null };
      this.after(0, () => this.finish());
      return;
    }
    this.ws = ws;
    // Assigned after the socket exists but used only by its events, which come on later turns.
    const connectTimer = pending ?? this.after(this.opts.connectTimeoutMs, () => {
      this.fail({ kind: 'timeout', message: `no WebSocket upgrade within ${this.opts.connectTimeoutMs} ms`, cause: url, retryAfterMs: null });
    });
  }

  send(text: string): void {
    if (this.ws?.readyState === OPEN) this.ws.send(text);
  }

  /**
   * Sends the subscribe messages of some of this socket's streams again: how a venue that sends a
   * book snapshot on subscribe is resynced. False when the socket is not open (a reconnect
   * subscribes everything anyway).
   */
  resubscribe(streams: readonly Stream[]): boolean {
    if (this.ws?.readyState !== OPEN) return false;
    const { adapter, market } = this.opts;
    // The parser's messages first (they may need ids only this connection knows), then the venue's.
    const messages = this.parser?.resubscribeMessages?.(streams) ?? adapter.resubscribeMessages?.(streams, market) ?? adapter.subscribeMessages(streams, market);
    // At the subscribe pace: an unsubscribe + subscribe pair is two requests (OKX, Bybit).
    this.sendPaced(messages, 0, () => {});
    return true;
  }

  setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    if (!this.ws || this.ws.readyState !== OPEN) return;
    if (paused) this.ws.pause();
    else {
      this.ws.resume();
      // Nothing was read while paused: neither the link nor the markets were silent by choice.
      const now = this.opts.clock.now();
      this.lastLinkAt = now;
      this.watchFrom = now;
      if (this.answerDeferred) {
        this.answerDeferred = false;
        this.armAnswerDeadline();
      }
    }
  }

  /** Ends the socket with a reason of the owner's (stall, link silence); reported as a failure. */
  fail(failure: ConnectionFailure): void {
    this.recordFailure(failure);
    if (this.ws) this.ws.terminate();
    else this.finish();
  }

  /** Closes on purpose (rotation, stop); resolves once the socket is gone. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.deliberate = true;
    const done = new Promise<void>((resolve) => this.closeWaiters.push(resolve));
    if (!this.ws) this.finish();
    else {
      this.ws.close(1000, 'client closing');
      this.after(CLOSE_GRACE_MS, () => this.ws?.terminate());
    }
    return done;
  }

  private onOpen(): void {
    const { clock, adapter, market, streams } = this.opts;
    const now = clock.now();
    this.openedAt = now;
    this.watchFrom = now;
    this.lastLinkAt = now;
    this.parser = adapter.createParser({
      exchange: adapter.id,
      market,
      toCanonical: this.opts.toCanonical,
      streams,
      ...(this.opts.contractSize ? { contractSize: this.opts.contractSize } : {}),
    });
    if (this.paused) this.ws!.pause();
    this.opts.listener.onOpen(this);
    if (this.closed) return;
    this.startKeepalive();
    if (!adapter.subscribeAfterWelcome) {
      this.subscribe();
      return;
    }
    this.awaitingWelcome = true;
    const ms = this.opts.subscribeAckTimeoutMs;
    this.welcomeTimer = this.after(ms, () => {
      if (!this.awaitingWelcome || this.paused) return;
      this.fail({ kind: 'timeout', message: `no welcome from ${adapter.displayName} within ${formatSeconds(ms)}`, cause: 'subscribes wait for it', retryAfterMs: null });
    });
  }

  private subscribe(): void {
    const { adapter, market, streams } = this.opts;
    let messages: string[];
    try {
      messages = adapter.subscribeMessages(streams, market);
    } catch (err) {
      this.fail({ kind: 'config', message: 'adapter could not build subscribe messages', cause: describeCause(err), retryAfterMs: null });
      return;
    }
    // A venue that takes its streams from the URL gets no subscribe messages and owes no answer.
    this.subscribeMessageCount = messages.length;
    this.awaitingAnswer = messages.length > 0;
    this.sendPaced(messages, 0, () => {
      this.subscribedAt = this.opts.clock.now();
      if (this.awaitingAnswer) this.armAnswerDeadline();
      this.opts.listener.onSubscribed(this);
    });
  }

  /**
   * Venues drop clients that subscribe too fast: one message per 1/rate s on this socket, whoever
   * sends it (the open's subscribes and a book resync's may overlap), then `done`.
   */
  private sendPaced(messages: string[], index: number, done: () => void): void {
    if (this.closed) return;
    if (index >= messages.length) {
      done();
      return;
    }
    const rate = this.opts.adapter.subscribeMessagesPerSecond;
    const now = this.opts.clock.now();
    const wait = rate > 0 ? this.lastPacedAt + 1_000 / rate - now : 0;
    if (wait > 0) {
      this.after(wait, () => this.sendPaced(messages, index, done));
      return;
    }
    this.lastPacedAt = now;
    this.send(messages[index]!);
    this.sendPaced(messages, index + 1, done);
  }

  private startKeepalive(): void {
    const ka = this.opts.adapter.keepalive;
    const intervalMs = this.keepaliveMs ?? (ka.kind === 'none' ? 0 : ka.intervalMs);
    if (ka.kind === 'none' || !(intervalMs > 0)) return;
    const tick = (): void => {
      if (this.closed) return;
      const now = this.opts.clock.now();
      if (!this.paused && now - this.lastLinkAt > LINK_SILENCE_INTERVALS * intervalMs) {
        this.fail({
          kind: 'timeout',
          message: `no frame or pong for ${now - this.lastLinkAt} ms (keepalive every ${intervalMs} ms)`,
          retryAfterMs: null,
        });
        return;
      }
      if (ka.kind === 'text') this.send(typeof ka.message === 'string' ? ka.message : ka.message(this.opts.market, now));
      else if (this.ws?.readyState === OPEN) this.ws.ping();
      this.after(intervalMs, tick);
    };
    this.after(intervalMs, tick);
  }

  private onMessage(data: Buffer, start: number, end: number, isBinary: boolean): void {
    // Once we chose to close (stop, or the old side of a rotation), frames still in flight during
    // the close handshake are neither recorded nor parsed: nobody downstream takes them any more,
    // and a recording must hold exactly what the live pipeline used (replay gives the same bars).
    if (this.closed || this.deliberate || !this.parser) return;
    const receivedAt = this.readAt;
    this.lastLinkAt = receivedAt;
    const bytes = end - start;
    this.opts.listener.onFrame(this, bytes, receivedAt);
    // Refused frames are neither parsed nor recorded (a recording holds what the pipeline used).
    if (bytes > this.opts.maxFrameBytes) {
      const head = data.toString('utf8', start, Math.min(end, start + 120));
      this.opts.listener.onEvents(this, [frameTooLarge(bytes, this.opts.maxFrameBytes, this.opts.adapter.displayName, head)], receivedAt);
      return;
    }
    const text = data.toString('utf8', start, end);
    const tooDeep = frameTooDeep(text, bytes);
    if (tooDeep) {
      this.opts.listener.onEvents(this, [tooDeep], receivedAt);
      return;
    }
    this.opts.onFrame?.(text, receivedAt);
    let events: ParsedEvent[];
    try {
      // The bytes too, as a view (no copy): the fast paths read bytes faster than text (json-scan.ts).
      events = this.parser.parse(text, receivedAt, new Uint8Array(data.buffer, data.byteOffset + start, bytes));
    } catch (err) {
      // Adapters should return an ErrorEvent, but one bad frame must never cost the connection.
      events = [{ type: 'error', kind: 'parse', message: `${isBinary ? 'binary' : 'text'} frame could not be parsed`, cause: `${describeCause(err, 120)} in ${describeCause(text, 120)}` }];
    }
    if (events.length === 0) return;
    if (this.awaitingWelcome && events.some((e) => e.type === 'control' && e.what === 'welcome')) {
      this.awaitingWelcome = false;
      this.cancel(this.welcomeTimer);
      this.subscribe();
    }
    for (const ev of events) if (ev.type === 'control' && ev.reply !== undefined) this.send(ev.reply);
    if (this.awaitingAnswer) this.noteAnswer(events);
    this.opts.listener.onEvents(this, events, receivedAt);
  }

  // ---- the subscribe answer ------------------------------------------------------------------
  //
  // Every venue we support acknowledges a subscribe (Binance {"result":null,"id":n}, Bybit/OKX/
  // Bitstamp/Bitfinex/Kraken/Coinbase/simulator their own shapes, which the adapters turn into
  // `control: ack`), rejects it (a venue error event), or starts sending data. Any of those is an
  // answer; without one the subscribe went nowhere (a proxy that swallows frames, a venue that
  // ignores the request) and the connection is retried now rather than by the 60 s watchdog.
  // One answer is enough: streams of a later message that stay silent are the watchdog's.

  private noteAnswer(events: ParsedEvent[]): void {
    for (const ev of events) {
      const answers =
        ev.type === 'control' ? ev.what === 'ack'
        : ev.type === 'error' ? ev.kind === 'venue'
        : ev.type !== 'notice';
      if (!answers) continue;
      this.awaitingAnswer = false;
      this.answerDeferred = false;
      if (this.answerTimer !== null) this.cancel(this.answerTimer);
      this.answerTimer = null;
      return;
    }
  }

  private armAnswerDeadline(): void {
    const ms = this.opts.subscribeAckTimeoutMs;
    if (this.answerTimer !== null) this.cancel(this.answerTimer);
    this.answerTimer = this.after(ms, () => {
      this.answerTimer = null;
      if (!this.awaitingAnswer) return;
      if (this.paused) {
        this.answerDeferred = true;
        return;
      }
      const n = this.subscribeMessageCount;
      this.fail({
        kind: 'timeout',
        message: `subscribe not acknowledged within ${formatSeconds(ms)}`,
        cause: `no ack, rejection or market data after ${n} subscribe message${n === 1 ? '' : 's'} for ${describeStreams(this.streams)}`,
        retryAfterMs: null,
      });
    });
  }

  private refused(res: IncomingMessage): void {
    const status = res.statusCode ?? 0;
    res.resume();
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'], this.opts.clock.now());
    const limited = status === 429 || status === 418;
    this.fail({
      kind: limited ? 'rate-limit' : 'protocol',
      message: limited ? `rate limited: HTTP ${status} on WebSocket upgrade` : `WebSocket upgrade refused: HTTP ${status}`,
      cause: retryAfterMs !== null ? `Retry-After ${retryAfterMs / 1000} s` : `${status} ${res.statusMessage ?? ''}`.trim(),
      retryAfterMs,
    });
  }

  private recordFailure(f: ConnectionFailure): void {
    // The first cause wins: a refused upgrade is followed by a generic socket error we ignore.
    if (!this.failure) this.failure = f;
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) this.opts.clock.clearTimeout(t);
    this.timers.clear();
    const failure = this.deliberate ? null : (this.failure ?? { kind: 'network', message: 'connection closed', retryAfterMs: null });
    this.opts.listener.onClose(this, failure);
    for (const w of this.closeWaiters.splice(0)) w();
  }

  private after(ms: number, fn: () => void): unknown {
    const handle = this.opts.clock.setTimeout(() => {
      this.timers.delete(handle);
      fn();
    }, ms);
    this.timers.add(handle);
    return handle;
  }

  private cancel(handle: unknown): void {
    this.opts.clock.clearTimeout(handle);
    this.timers.delete(handle);
  }
}

function classifySocketError(err: Error, maxFrameBytes: number, venue: string): ConnectionFailure {
  const code = (err as { code?: unknown }).code;
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
    return {
      kind: 'protocol',
      message: `frame larger than ${formatBytes(maxFrameBytes * FRAME_CEILING_FACTOR)} refused; connection closed`,
      cause: `${venue}'s frame limit is ${formatBytes(maxFrameBytes)} (${err.message})`,
      retryAfterMs: null,
    };
  }
  if (typeof code === 'string' && code.startsWith('WS_ERR_')) {
    return { kind: 'protocol', message: 'WebSocket protocol violation', cause: `${code}: ${err.message}`, retryAfterMs: null };
  }
  return { kind: 'network', message: 'connection failed', cause: describeCause(err), retryAfterMs: null };
}

function closedByPeer(code: number, reason: string): ConnectionFailure {
  const why = `close code ${code}${reason ? ` (${reason})` : ''}`;
  return { kind: code === 1009 ? 'protocol' : 'network', message: 'connection closed by the venue', cause: why, retryAfterMs: null };
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** `BTC-USDT trades, ETH-USDT trades and 3 more`: enough to recognise the connection. */
function describeStreams(streams: readonly Stream[]): string {
  const shown = streams.slice(0, 3).map((s) => `${s.symbol} ${s.channel}`);
  const more = streams.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}
