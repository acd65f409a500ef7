/**
 * A fake Bybit v5 on 127.0.0.1 (port 0): public WebSockets `/v5/public/spot` and
 * `/v5/public/linear` plus REST `/v5/market/instruments-info` on the same http.Server.
 *
 * It answers like the venue: one ack per subscribe request, shaped differently on spot
 * (`ret_msg:"subscribe"`) and linear (`ret_msg:""` with `req_id`); a request naming an unknown
 * symbol or an already subscribed topic is rejected WHOLE (`success:false`, e.g.
 * `Invalid symbol :[publicTrade.FOOUSDT]`), as Bybit does; `{"op":"ping"}` gets the pong of its
 * endpoint; a connection that sends nothing for `idleTimeoutMs` is closed (10 min at Bybit).
 * Broken rules (more than 10 args on spot, malformed requests, request bursts) go to `problems`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { FakeHistoryRest } from './history-rest';

export type BybitCategory = 'spot' | 'linear';

export interface BybitInstrumentRow {
  symbol: string;
  baseCoin: string;
  quoteCoin: string;
  status: string;
  contractType?: string;
}

const TOPIC_RE = /^(publicTrade|tickers|orderbook\.(?:1|50|200|1000)|allLiquidation|kline\.[0-9A-Z]+)\.([A-Z0-9]+)$/;
/** Bybit documents no subscribe rate; the fake flags bursts well above the adapter's 10/s. */
const MAX_REQUESTS_PER_S = 12;

interface Client {
  ws: WebSocket;
  category: BybitCategory;
  connId: string;
  subs: Set<string>;
  recent: number[];
  idle: NodeJS.Timeout | null;
}

export class FakeBybit {
  readonly problems: string[] = [];
  /** REST history endpoints (candles, rate-limit answers); see history-rest.ts. */
  readonly historyRest = new FakeHistoryRest('bybit');
  /** Text frames received, per connection. */
  readonly received: string[][] = [];
  readonly upgrades: number[] = [];
  connections = 0;
  pings = 0;
  idleCuts = 0;
  restCalls = 0;
  restDown = false;
  readonly instruments: Record<BybitCategory, BybitInstrumentRow[]> = {
    spot: [
      { symbol: 'BTCUSDT', baseCoin: 'BTC', quoteCoin: 'USDT', status: 'Trading' },
      { symbol: 'ETHUSDT', baseCoin: 'ETH', quoteCoin: 'USDT', status: 'Trading' },
    ],
    linear: [
      { symbol: 'BTCUSDT', baseCoin: 'BTC', quoteCoin: 'USDT', status: 'Trading', contractType: 'LinearPerpetual' },
      { symbol: 'BTCPERP', baseCoin: 'BTC', quoteCoin: 'USDC', status: 'Trading', contractType: 'LinearPerpetual' },
      { symbol: 'BTCUSDT-26DEC25', baseCoin: 'BTC', quoteCoin: 'USDT', status: 'Trading', contractType: 'LinearFutures' },
    ],
  };
  private refuse = 0;
  private seq = 0;
  private readonly clients = new Set<Client>();
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  private constructor(private readonly http: Server, private readonly idleTimeoutMs: number) {}

  static async start(opts: { idleTimeoutMs?: number } = {}): Promise<FakeBybit> {
    const http = createServer();
    const fake = new FakeBybit(http, opts.idleTimeoutMs ?? 600_000);
    http.on('request', (req, res) => {
      if (fake.historyRest.handle(req, res)) return;
      fake.restCalls++;
      const url = new URL(req.url ?? '/', 'http://x');
      const category = url.searchParams.get('category');
      if (fake.restDown || url.pathname !== '/v5/market/instruments-info' || (category !== 'spot' && category !== 'linear')) {
        res.writeHead(fake.restDown ? 503 : 404).end();
        return;
      }
      const body = { retCode: 0, retMsg: 'OK', result: { category, list: fake.instruments[category], nextPageCursor: '' }, retExtInfo: {}, time: Date.now() };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => fake.upgrade(req, socket, head));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }
  url(market: 'spot' | 'perp'): string {
    return `ws://127.0.0.1:${this.port}/v5/public/${market === 'perp' ? 'linear' : 'spot'}`;
  }
  get restUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get openConnections(): number {
    return this.clients.size;
  }

  rejectUpgrades(n: number): void {
    this.refuse = n;
  }

  subscribers(topic: string): number {
    let n = 0;
    for (const c of this.clients) if (c.subs.has(topic)) n++;
    return n;
  }

  /** Sends a data message (`{"topic",...}`) to every connection subscribed to its topic. */
  push(message: { topic: string } & Record<string, unknown>): void {
    this.sendRaw(message.topic, JSON.stringify(message));
  }

  sendRaw(topic: string, text: string): void {
    for (const c of this.clients) if (c.subs.has(topic)) c.ws.send(text);
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
    const m = /^\/v5\/public\/(spot|linear)$/.exec(req.url ?? '');
    if (this.refuse > 0 || !m) {
      const status = this.refuse > 0 ? 429 : 404;
      if (this.refuse > 0) this.refuse--;
      this.upgrades.push(status);
      socket.end(`HTTP/1.1 ${status} ${status === 429 ? 'Too Many Requests' : 'Not Found'}\r\nRetry-After: 0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    this.upgrades.push(101);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, m[1] as BybitCategory));
  }

  private accept(ws: WebSocket, category: BybitCategory): void {
    this.connections++;
    const log: string[] = [];
    this.received.push(log);
    const client: Client = { ws, category, connId: `f4k3-${++this.seq}`, subs: new Set(), recent: [], idle: null };
    this.clients.add(client);
    this.touch(client);
    const gone = () => {
      if (client.idle) clearTimeout(client.idle);
      this.clients.delete(client);
    };
    ws.on('close', gone);
    ws.on('error', gone);
    ws.on('message', (raw) => {
      const text = raw.toString();
      log.push(text);
      this.touch(client);
      this.onRequest(client, text);
    });
  }

  /** Bybit cuts a connection that stays silent (no ping) for too long. */
  private touch(c: Client): void {
    if (c.idle) clearTimeout(c.idle);
    c.idle = setTimeout(() => {
      this.idleCuts++;
      c.ws.terminate();
    }, this.idleTimeoutMs);
  }

  private onRequest(c: Client, text: string): void {
    let req: { op?: unknown; args?: unknown; req_id?: unknown };
    try {
      req = JSON.parse(text);
    } catch {
      this.problems.push(`not JSON: ${text}`);
      this.reply(c, undefined, 'unknown', false, 'error:request not JSON');
      return;
    }
    const reqId = req.req_id;
    if (reqId !== undefined && typeof reqId !== 'string') this.problems.push(`req_id must be a string: ${text}`);
    if (req.op === 'ping') {
      this.pings++;
      this.reply(c, reqId, 'ping', true, 'pong');
      return;
    }
    const now = Date.now();
    c.recent = c.recent.filter((t) => now - t < 1_000);
    c.recent.push(now);
    if (c.recent.length > MAX_REQUESTS_PER_S) this.problems.push(`${c.recent.length} requests within 1 s`);
    const args = req.args;
    if ((req.op !== 'subscribe' && req.op !== 'unsubscribe') || !Array.isArray(args) || args.length === 0 || !args.every((a) => typeof a === 'string')) {
      this.problems.push(`bad request shape: ${text}`);
      this.reply(c, reqId, String(req.op), false, 'error:param error');
      return;
    }
    if (c.category === 'spot' && args.length > 10) {
      this.problems.push(`${args.length} args in one spot request`);
      this.reply(c, reqId, req.op, false, `error:args size >10`);
      return;
    }
    // Any bad topic fails the whole request: none of its topics are subscribed.
    for (const topic of args as string[]) {
      const m = TOPIC_RE.exec(topic);
      const known = m && this.instruments[c.category].some((i) => i.symbol === m[2]) && !(m[1] === 'allLiquidation' && c.category === 'spot');
      if (!m || !known) {
        this.reply(c, reqId, req.op, false, m ? `Invalid symbol :[${topic}]` : `error:handler not found,topic:${topic}`);
        return;
      }
      if (req.op === 'subscribe' && c.subs.has(topic)) {
        this.reply(c, reqId, req.op, false, `error:already subscribed,topic:${topic}`);
        return;
      }
    }
    for (const topic of args as string[]) {
      if (req.op === 'subscribe') c.subs.add(topic);
      else c.subs.delete(topic);
    }
    this.reply(c, reqId, req.op, true, c.category === 'spot' ? req.op : '');
  }

  /** Spot and linear answer in different shapes (see the recorded acks). */
  private reply(c: Client, reqId: unknown, op: string, success: boolean, retMsg: string): void {
    const body: Record<string, unknown> = { success, ret_msg: retMsg, conn_id: c.connId };
    if (c.category === 'linear') body.req_id = typeof reqId === 'string' ? reqId : '';
    else if (typeof reqId === 'string') body.req_id = reqId;
    body.op = op;
    c.ws.send(JSON.stringify(body));
  }
}

export interface BybitTradeRow { T: number; s: string; S: 'Buy' | 'Sell'; v: string; p: string; i: string }

/** A publicTrade message in the venue's shape (every trade frame says type "snapshot"). */
export function publicTrade(native: string, trades: BybitTradeRow[]): { topic: string } & Record<string, unknown> {
  const ts = Math.max(...trades.map((t) => t.T)) + 1;
  return { topic: `publicTrade.${native}`, type: 'snapshot', ts, data: trades.map((t) => ({ ...t, BT: false, RPI: false, seq: 1 })) };
}
