/**
 * A fake Binance on 127.0.0.1 (port 0): combined-stream WebSockets on `/stream` (spot) and the
 * USD-M routed paths `/market/stream` and `/public/stream`, plus both REST exchangeInfo endpoints
 * on the same http.Server.
 *
 * Like the venue it sends WebSocket ping frames on a timer, answers SUBSCRIBE / UNSUBSCRIBE /
 * LIST_SUBSCRIPTIONS with `{"result":..,"id":N}` or `{"error":{"code","msg"},"id":N}`, accepts
 * unknown symbols silently (Binance does not reject them; they simply never deliver), delivers a
 * stream only on the path that carries it, and counts every incoming message, pongs included,
 * against the 5-per-second limit. What a real server would punish (too fast, malformed requests,
 * more than 1024 streams) is written to `problems`, which tests expect to stay empty.
 */
import type { WebSocket } from 'ws';
import { PerSecond, VenueServer } from './venue-server';

export type BinanceRoute = 'spot' | 'market' | 'public';

export interface ExchangeInfoRow {
  symbol: string;
  status: string;
  baseAsset: string;
  quoteAsset: string;
  contractType?: string;
}

const PATHS: Record<string, BinanceRoute> = { '/stream': 'spot', '/market/stream': 'market', '/public/stream': 'public' };
const STREAM_RE = /^[a-z0-9]+@(aggTrade|trade|bookTicker|forceOrder|markPrice|markPrice@1s|depth|depth@100ms)$/;
const MAX_MESSAGES_PER_S = 5;
const MAX_STREAMS = 1024;

/** Which path delivers a stream (spot's single path carries everything). */
function carries(route: BinanceRoute, stream: string): boolean {
  if (route === 'spot') return true;
  const publicStream = stream.endsWith('@bookTicker') || stream.includes('@depth');
  return route === 'public' ? publicStream : !publicStream;
}

function routeOf(path: string): BinanceRoute | undefined {
  return PATHS[new URL(path, 'http://x').pathname];
}

interface Client {
  ws: WebSocket;
  route: BinanceRoute;
  subs: Set<string>;
  /** Incoming messages (text and pong frames) within the last second. */
  incoming: PerSecond;
  timer: NodeJS.Timeout;
}

/** One received text frame, with the path it came on and its arrival time (ms). */
export interface BinanceFrame { route: BinanceRoute; at: number; text: string }

export class FakeBinance extends VenueServer<Client, BinanceFrame> {
  /** Subscriptions that can never deliver on the path they were made on. */
  readonly misrouted: string[] = [];
  pongs = 0;
  readonly spotSymbols: ExchangeInfoRow[] = [
    { symbol: 'BTCUSDT', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT' },
    { symbol: 'ETHUSDT', status: 'TRADING', baseAsset: 'ETH', quoteAsset: 'USDT' },
  ];
  readonly perpSymbols: ExchangeInfoRow[] = [
    { symbol: 'BTCUSDT', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT', contractType: 'PERPETUAL' },
  ];
  private nextError: { code: number; msg: string } | null = null;
  /**
   * The REST depth snapshot (`/api/v3/depth`, `/fapi/v1/depth`) per native symbol, as the venue
   * writes it; a symbol without one answers 400 like an unknown symbol. Requests are logged.
   */
  readonly depth = new Map<string, { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] }>();
  readonly depthRequests: string[] = [];
  /**
   * USD-M open interest (`/fapi/v1/openInterest`) per native symbol, as the venue writes it; a
   * symbol without one answers 404. Every request's symbol and time is logged.
   */
  readonly openInterest = new Map<string, string>();
  readonly openInterestRequests: { symbol: string; at: number }[] = [];

  private constructor(private readonly pingIntervalMs: number) {
    super('binance', (c, text) => ({ route: c.route, at: Date.now(), text }));
    const exchangeInfo = (symbols: ExchangeInfoRow[]) => ({ timezone: 'UTC', serverTime: Date.now(), symbols });
    this.route('/api/v3/exchangeInfo', () => exchangeInfo(this.spotSymbols));
    this.route('/fapi/v1/exchangeInfo', () => exchangeInfo(this.perpSymbols));
    const depth = (url: URL) => {
      const symbol = url.searchParams.get('symbol') ?? '';
      this.depthRequests.push(`${url.pathname}?${url.searchParams.toString()}`);
      const book = this.depth.get(symbol);
      return book ? { ...book, E: Date.now(), T: Date.now() } : undefined;
    };
    this.route('/api/v3/depth', depth);
    this.route('/fapi/v1/depth', depth);
    this.route('/fapi/v1/openInterest', (url) => {
      const symbol = url.searchParams.get('symbol') ?? '';
      this.openInterestRequests.push({ symbol, at: Date.now() });
      const oi = this.openInterest.get(symbol);
      return oi === undefined ? undefined : { openInterest: oi, symbol, time: Date.now() };
    });
  }

  /** `pingIntervalMs`: the venue pings every 20 s; tests use less to see pongs come back. */
  static async start(opts: { pingIntervalMs?: number } = {}): Promise<FakeBinance> {
    return new FakeBinance(opts.pingIntervalMs ?? 20_000).listen();
  }

  /** The feed's `url`: spot's combined-stream path, or USD-M's `/market` (the adapter picks `/public`). */
  url(market: 'spot' | 'perp'): string {
    return this.wsUrl(market === 'perp' ? '/market/stream' : '/stream');
  }

  /** The next SUBSCRIBE is answered with this error instead of an ack. */
  failNextSubscribe(code: number, msg: string): void {
    this.nextError = { code, msg };
  }

  /** Open connections subscribed to `stream` on a path that delivers it. */
  subscribers(stream: string): number {
    return this.countClients((c) => c.subs.has(stream) && carries(c.route, stream));
  }

  /** Sends `{"stream","data"}` to every connection that receives `stream`. */
  push(stream: string, data: object): void {
    // The venue's aggTrades REST serves every trade, delivered or not (gap fill tests).
    if ((data as { e?: unknown }).e === 'aggTrade') this.historyRest.recordAggTrade(data as Record<string, unknown>);
    this.sendRaw(stream, JSON.stringify({ stream, data }));
  }

  sendRaw(stream: string, text: string): void {
    this.broadcast(text, (c) => c.subs.has(stream) && carries(c.route, stream));
  }

  /** The maintenance notice Binance sends before closing connections. */
  serverShutdown(): void {
    this.broadcast(JSON.stringify({ stream: '!serverShutdown', data: { e: 'serverShutdown', E: Date.now() } }));
  }

  protected override acceptsPath(path: string): boolean {
    return routeOf(path) !== undefined;
  }

  protected override openClient(ws: WebSocket, path: string): Client {
    const client: Client = {
      ws, route: routeOf(path)!, subs: new Set(), incoming: new PerSecond(),
      timer: setInterval(() => ws.ping(), this.pingIntervalMs),
    };
    ws.on('pong', () => {
      this.pongs++;
      this.countIncoming(client);
    });
    return client;
  }

  protected override onClientGone(c: Client): void {
    clearInterval(c.timer);
  }

  protected override onMessage(c: Client, text: string): void {
    this.countIncoming(c);
    this.onRequest(c, text);
  }

  /** Binance: more than 5 incoming messages (pings, pongs, JSON) a second gets you disconnected. */
  private countIncoming(c: Client): void {
    const n = c.incoming.hit();
    if (n > MAX_MESSAGES_PER_S) {
      this.problems.push(`${n} incoming messages within 1 s`);
      c.ws.close(1008, 'Too many requests');
    }
  }

  private onRequest(c: Client, text: string): void {
    let req: { method?: unknown; params?: unknown; id?: unknown };
    try {
      req = JSON.parse(text);
    } catch {
      this.reject(c, null, 3, 'Invalid JSON: expected value at line 1 column 1', text);
      return;
    }
    const id = req.id;
    if (!(typeof id === 'number' && Number.isInteger(id) && id >= 0)) {
      this.reject(c, null, 2, 'Invalid request: request ID must be an unsigned integer', text);
      return;
    }
    if (req.method === 'LIST_SUBSCRIPTIONS') {
      c.ws.send(JSON.stringify({ result: [...c.subs], id }));
      return;
    }
    const params = req.params;
    if ((req.method !== 'SUBSCRIBE' && req.method !== 'UNSUBSCRIBE') || !Array.isArray(params) || params.length === 0) {
      this.reject(c, id, 2, 'Invalid request: unknown variant or missing params', text);
      return;
    }
    const bad = params.find((p) => typeof p !== 'string' || !STREAM_RE.test(p));
    if (bad !== undefined) {
      this.reject(c, id, 2, `Invalid request: invalid stream name ${JSON.stringify(bad)}`, text);
      return;
    }
    if (req.method === 'SUBSCRIBE' && this.nextError) {
      const { code, msg } = this.nextError;
      this.nextError = null;
      c.ws.send(JSON.stringify({ error: { code, msg }, id }));
      return;
    }
    for (const p of params as string[]) {
      if (req.method === 'UNSUBSCRIBE') {
        c.subs.delete(p);
        continue;
      }
      c.subs.add(p);
      if (!carries(c.route, p)) this.misrouted.push(`${p} on /${c.route}`);
    }
    if (c.subs.size > MAX_STREAMS) this.problems.push(`${c.subs.size} streams on one connection`);
    c.ws.send(JSON.stringify({ result: null, id }));
  }

  private reject(c: Client, id: number | null, code: number, msg: string, text: string): void {
    this.problems.push(`${msg}: ${text.slice(0, 120)}`);
    c.ws.send(JSON.stringify({ error: { code, msg }, id }));
  }
}

/** An aggTrade payload in the venue's key order. */
export function aggTrade(t: { s: string; a: number; p: string; q: string; T: number; m: boolean }): object {
  return { e: 'aggTrade', E: t.T + 1, s: t.s, a: t.a, p: t.p, q: t.q, f: t.a * 3, l: t.a * 3, T: t.T, m: t.m, M: true };
}

/** A `depthUpdate` payload in the venue's key order (USD-M adds `pu`). */
export function depthUpdate(d: { s: string; U: number; u: number; b: [string, string][]; a: [string, string][]; pu?: number }): object {
  const E = Date.now();
  return d.pu === undefined ? { e: 'depthUpdate', E, s: d.s, U: d.U, u: d.u, b: d.b, a: d.a } : { e: 'depthUpdate', E, T: E, s: d.s, U: d.U, u: d.u, pu: d.pu, b: d.b, a: d.a };
}
