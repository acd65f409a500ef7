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
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { FakeHistoryRest } from './history-rest';

export type BinanceRoute = 'spot' | 'market' | 'public';

export interface ExchangeInfoRow {
  symbol: string;
  status: string;
  baseAsset: string;
  quoteAsset: string;
  contractType?: string;
}

const PATHS: Record<string, BinanceRoute> = { '/stream': 'spot', '/market/stream': 'market', '/public/stream': 'public' };
const STREAM_RE = /^[a-z0-9]+@(aggTrade|trade|bookTicker|forceOrder|markPrice|markPrice@1s)$/;
const MAX_MESSAGES_PER_S = 5;
const MAX_STREAMS = 1024;

/** Which path delivers a stream (spot's single path carries everything). */
function carries(route: BinanceRoute, stream: string): boolean {
  if (route === 'spot') return true;
  const publicStream = stream.endsWith('@bookTicker');
  return route === 'public' ? publicStream : !publicStream;
}

interface Client {
  ws: WebSocket;
  route: BinanceRoute;
  subs: Set<string>;
  /** Arrival times of incoming messages (text and pong frames) within the last second. */
  recent: number[];
  timer: NodeJS.Timeout;
}

export class FakeBinance {
  readonly problems: string[] = [];
  /** REST history endpoints (candles, rate-limit answers); see history-rest.ts. */
  readonly historyRest = new FakeHistoryRest('binance');
  /** Subscriptions that can never deliver on the path they were made on. */
  readonly misrouted: string[] = [];
  /** Text frames received, per connection, with arrival time (ms). */
  readonly received: { route: BinanceRoute; at: number; text: string }[][] = [];
  /** Status of every upgrade attempt in order: 101 or the refusal status. */
  readonly upgrades: number[] = [];
  connections = 0;
  pongs = 0;
  restCalls = 0;
  restDown = false;
  readonly spotSymbols: ExchangeInfoRow[] = [
    { symbol: 'BTCUSDT', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT' },
    { symbol: 'ETHUSDT', status: 'TRADING', baseAsset: 'ETH', quoteAsset: 'USDT' },
  ];
  readonly perpSymbols: ExchangeInfoRow[] = [
    { symbol: 'BTCUSDT', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT', contractType: 'PERPETUAL' },
  ];
  private refuse = 0;
  private nextError: { code: number; msg: string } | null = null;
  private readonly clients = new Set<Client>();
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  private constructor(private readonly http: Server, private readonly pingIntervalMs: number) {}

  /** `pingIntervalMs`: the venue pings every 20 s; tests use less to see pongs come back. */
  static async start(opts: { pingIntervalMs?: number } = {}): Promise<FakeBinance> {
    const http = createServer();
    const fake = new FakeBinance(http, opts.pingIntervalMs ?? 20_000);
    http.on('request', (req, res) => {
      if (fake.historyRest.handle(req, res)) return;
      fake.restCalls++;
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const rows = path === '/api/v3/exchangeInfo' ? fake.spotSymbols : path === '/fapi/v1/exchangeInfo' ? fake.perpSymbols : null;
      if (fake.restDown || !rows) {
        res.writeHead(fake.restDown ? 503 : 404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ timezone: 'UTC', serverTime: Date.now(), symbols: rows }));
    });
    http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => fake.upgrade(req, socket, head));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }
  /** The feed's `url`: spot's combined-stream path, or USD-M's `/market` (the adapter picks `/public`). */
  url(market: 'spot' | 'perp'): string {
    return `ws://127.0.0.1:${this.port}${market === 'perp' ? '/market/stream' : '/stream'}`;
  }
  get restUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get openConnections(): number {
    return this.clients.size;
  }

  /** Refuses the next n upgrades with HTTP 429 (Retry-After 0 keeps tests quick). */
  rejectUpgrades(n: number): void {
    this.refuse = n;
  }

  /** The next SUBSCRIBE is answered with this error instead of an ack. */
  failNextSubscribe(code: number, msg: string): void {
    this.nextError = { code, msg };
  }

  /** Open connections subscribed to `stream` on a path that delivers it. */
  subscribers(stream: string): number {
    let n = 0;
    for (const c of this.clients) if (c.subs.has(stream) && carries(c.route, stream)) n++;
    return n;
  }

  /** Sends `{"stream","data"}` to every connection that receives `stream`. */
  push(stream: string, data: object): void {
    // The venue's aggTrades REST serves every trade, delivered or not (gap fill tests).
    if ((data as { e?: unknown }).e === 'aggTrade') this.historyRest.recordAggTrade(data as Record<string, unknown>);
    this.sendRaw(stream, JSON.stringify({ stream, data }));
  }

  sendRaw(stream: string, text: string): void {
    for (const c of this.clients) if (c.subs.has(stream) && carries(c.route, stream)) c.ws.send(text);
  }

  /** The maintenance notice Binance sends before closing connections. */
  serverShutdown(): void {
    const text = JSON.stringify({ stream: '!serverShutdown', data: { e: 'serverShutdown', E: Date.now() } });
    for (const c of this.clients) c.ws.send(text);
  }

  dropAll(): void {
    for (const c of this.clients) c.ws.terminate();
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.ws.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const route = PATHS[new URL(req.url ?? '/', 'http://x').pathname];
    if (this.refuse > 0 || !route) {
      const status = this.refuse > 0 ? 429 : 404;
      if (this.refuse > 0) this.refuse--;
      this.upgrades.push(status);
      socket.end(`HTTP/1.1 ${status} ${status === 429 ? 'Too Many Requests' : 'Not Found'}\r\nRetry-After: 0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    this.upgrades.push(101);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, route));
  }

  private accept(ws: WebSocket, route: BinanceRoute): void {
    this.connections++;
    const log: { route: BinanceRoute; at: number; text: string }[] = [];
    this.received.push(log);
    const client: Client = {
      ws, route, subs: new Set(), recent: [],
      timer: setInterval(() => ws.ping(), this.pingIntervalMs),
    };
    this.clients.add(client);
    const gone = () => {
      clearInterval(client.timer);
      this.clients.delete(client);
    };
    ws.on('close', gone);
    ws.on('error', gone);
    ws.on('pong', () => {
      this.pongs++;
      this.countIncoming(client);
    });
    ws.on('message', (raw) => {
      const text = raw.toString();
      log.push({ route, at: Date.now(), text });
      this.countIncoming(client);
      this.onRequest(client, text);
    });
  }

  /** Binance: more than 5 incoming messages (pings, pongs, JSON) a second gets you disconnected. */
  private countIncoming(c: Client): void {
    const now = Date.now();
    c.recent = c.recent.filter((t) => now - t < 1_000);
    c.recent.push(now);
    if (c.recent.length > MAX_MESSAGES_PER_S) {
      this.problems.push(`${c.recent.length} incoming messages within 1 s`);
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
