/**
 * A fake Bitstamp WebSocket v2 endpoint on 127.0.0.1 (port 0), with REST
 * `/api/v2/trading-pairs-info/` on the same http.Server. It checks every request (`bts:subscribe`
 * / `bts:unsubscribe` with `data.channel`, or `bts:heartbeat`) and the pace, acks with
 * `bts:subscription_succeeded`, answers unknown channels with `bts:error` ("Invalid channel
 * provided.", channel empty, as Bitstamp does), answers client heartbeats, and can ask clients to
 * reconnect (`bts:request_reconnect`). Tests push trades and order books in the real field order,
 * drop connections, refuse upgrades (429) or take REST down.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { FakeHistoryRest } from './history-rest';

export const BITSTAMP_PAIRS = [
  { name: 'BTC/USD', url_symbol: 'btcusd', base_decimals: 8, counter_decimals: 0, instant_order_counter_decimals: 2, minimum_order: '10 USD', trading: 'Enabled', instant_and_market_orders: 'Enabled', description: 'Bitcoin / U.S. dollar' },
  { name: 'ETH/EUR', url_symbol: 'etheur', base_decimals: 8, counter_decimals: 1, instant_order_counter_decimals: 2, minimum_order: '10 EUR', trading: 'Enabled', instant_and_market_orders: 'Enabled', description: 'Ether / Euro' },
];
const PAIRS = new Set(BITSTAMP_PAIRS.map((p) => p.url_symbol));
const CHANNEL_RE = /^(live_trades|order_book|diff_order_book|detail_order_book|live_orders)_([a-z0-9]+)$/;
const MAX_MESSAGES_PER_SECOND = 10;

export interface BitstampTradeRow {
  id: number;
  /** Epoch µs as Bitstamp sends it (string). */
  microtimestamp: string;
  amount_str: string;
  price_str: string;
  /** 0 buy, 1 sell (taker). */
  type: 0 | 1;
}

interface Client { ws: WebSocket; subs: Set<string>; sentAt: number[] }

export class FakeBitstamp {
  readonly problems: string[] = [];
  /** REST history endpoints (candles, rate-limit answers); see history-rest.ts. */
  readonly historyRest = new FakeHistoryRest('bitstamp');
  readonly received: string[][] = [];
  connections = 0;
  heartbeats = 0;
  restCalls = 0;
  restDown = false;
  private refuseUpgrades = 0;
  private clients = new Set<Client>();
  private readonly wss = new WebSocketServer({ noServer: true });

  private constructor(private readonly http: Server) {}

  static async start(): Promise<FakeBitstamp> {
    const http = createServer();
    const fake = new FakeBitstamp(http);
    http.on('request', (req, res) => {
      if (fake.historyRest.handle(req, res)) return;
      fake.restCalls++;
      if (fake.restDown || new URL(req.url ?? '/', 'http://x').pathname !== '/api/v2/trading-pairs-info/') {
        res.writeHead(fake.restDown ? 503 : 404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(BITSTAMP_PAIRS));
    });
    http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => fake.upgrade(req, socket, head));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }
  get restUrl(): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }
  get openConnections(): number {
    return this.clients.size;
  }

  rejectUpgrades(n: number): void {
    this.refuseUpgrades = n;
  }

  subscribers(channel: string): number {
    let n = 0;
    for (const c of this.clients) if (c.subs.has(channel)) n++;
    return n;
  }

  /** One `trade` event, with the float twins and order ids Bitstamp also sends. */
  pushTrade(pair: string, t: BitstampTradeRow): void {
    const data = {
      id: t.id,
      timestamp: t.microtimestamp.slice(0, -6),
      amount: Number(t.amount_str),
      amount_str: t.amount_str,
      price: Number(t.price_str),
      price_str: t.price_str,
      type: t.type,
      microtimestamp: t.microtimestamp,
      buy_order_id: 1443875737346049,
      sell_order_id: 1443875731320832,
    };
    this.broadcast(`live_trades_${pair}`, JSON.stringify({ data, channel: `live_trades_${pair}`, event: 'trade' }));
  }

  /** A full `order_book` snapshot (Bitstamp sends the top 100 levels whole on every change). */
  pushBook(pair: string, microtimestamp: string, bids: [string, string][], asks: [string, string][]): void {
    const data = { timestamp: microtimestamp.slice(0, -6), microtimestamp, bids, asks };
    this.broadcast(`order_book_${pair}`, JSON.stringify({ data, channel: `order_book_${pair}`, event: 'data' }));
  }

  requestReconnect(): void {
    for (const c of this.clients) c.ws.send('{"event":"bts:request_reconnect","channel":"","data":""}');
  }

  sendRaw(text: string): void {
    for (const c of this.clients) c.ws.send(text);
  }

  dropAll(): void {
    for (const c of this.clients) c.ws.terminate();
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.ws.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private broadcast(channel: string, text: string): void {
    for (const c of this.clients) if (c.subs.has(channel)) c.ws.send(text);
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    if (this.refuseUpgrades > 0) {
      this.refuseUpgrades--;
      socket.end('HTTP/1.1 429 Too Many Requests\r\nRetry-After: 0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    this.connections++;
    const log: string[] = [];
    this.received.push(log);
    const client: Client = { ws, subs: new Set(), sentAt: [] };
    this.clients.add(client);
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', () => this.clients.delete(client));
    ws.on('message', (raw) => {
      const text = raw.toString();
      log.push(text);
      this.onMessage(client, text);
    });
  }

  private onMessage(c: Client, text: string): void {
    const now = Date.now();
    c.sentAt = c.sentAt.filter((t) => now - t < 1_000);
    c.sentAt.push(now);
    if (c.sentAt.length > MAX_MESSAGES_PER_SECOND) this.problems.push(`more than ${MAX_MESSAGES_PER_SECOND} messages within 1 s`);
    let msg: { event?: unknown; data?: { channel?: unknown } };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      this.problems.push(`not JSON: ${text}`);
      c.ws.send('{"event":"bts:error","channel":"","data":{"code":null,"message":"Incorrect JSON format."}}');
      return;
    }
    if (msg.event === 'bts:heartbeat') {
      this.heartbeats++;
      c.ws.send('{"event":"bts:heartbeat","channel":"","data":{"status":"success"}}');
      return;
    }
    const channel = msg.data?.channel;
    if ((msg.event !== 'bts:subscribe' && msg.event !== 'bts:unsubscribe') || typeof channel !== 'string') {
      this.problems.push(`bad request shape: ${text}`);
      c.ws.send('{"event":"bts:error","channel":"","data":{"code":null,"message":"Incorrect JSON format."}}');
      return;
    }
    const m = CHANNEL_RE.exec(channel);
    if (!m || !PAIRS.has(m[2]!)) {
      c.ws.send('{"event":"bts:error","channel":"","data":{"code":null,"message":"Invalid channel provided."}}');
      return;
    }
    if (msg.event === 'bts:subscribe') c.subs.add(channel);
    else c.subs.delete(channel);
    const ack = msg.event === 'bts:subscribe' ? 'bts:subscription_succeeded' : 'bts:unsubscription_succeeded';
    c.ws.send(JSON.stringify({ event: ack, channel, data: {} }));
  }
}
