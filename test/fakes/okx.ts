/**
 * A fake OKX v5 public endpoint on 127.0.0.1 (port 0): WebSocket `/ws/v5/public` plus the REST
 * instrument list on the same http.Server. It checks what the client sends (subscribe shape, args
 * per request, request pacing, connection rate), answers like OKX (one ack per arg, error 60018 for
 * unknown instruments, text `pong` to text `ping`, the `instruments` snapshot on subscribe), and
 * lets a test push data, drop connections, refuse upgrades with 429 or take REST down.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { FakeHistoryRest } from './history-rest';

export interface OkxInstrumentRow {
  instType: 'SPOT' | 'SWAP';
  instId: string;
  baseCcy?: string;
  quoteCcy?: string;
  uly?: string;
  instFamily?: string;
  ctVal?: string;
  ctValCcy?: string;
  ctType?: 'linear' | 'inverse';
  state: string;
}

export const OKX_INSTRUMENTS: OkxInstrumentRow[] = [
  { instType: 'SPOT', instId: 'BTC-USDT', baseCcy: 'BTC', quoteCcy: 'USDT', state: 'live' },
  { instType: 'SPOT', instId: 'ETH-USDT', baseCcy: 'ETH', quoteCcy: 'USDT', state: 'live' },
  { instType: 'SWAP', instId: 'BTC-USDT-SWAP', baseCcy: '', quoteCcy: '', uly: 'BTC-USDT', instFamily: 'BTC-USDT', ctVal: '0.01', ctValCcy: 'BTC', ctType: 'linear', state: 'live' },
  { instType: 'SWAP', instId: 'BTC-USD-SWAP', baseCcy: '', quoteCcy: '', uly: 'BTC-USD', instFamily: 'BTC-USD', ctVal: '100', ctValCcy: 'USD', ctType: 'inverse', state: 'live' },
];

const CHANNELS_BY_INST_ID = new Set(['trades', 'tickers', 'funding-rate', 'mark-price']);
const CHANNELS_BY_INST_TYPE = new Set(['instruments', 'liquidation-orders']);
/** OKX: 3 subscribe requests per second would already be abusive; we require the adapter's pace. */
const MIN_REQUEST_GAP_MS = 300;

interface Client { ws: WebSocket; subs: Set<string>; lastRequestAt: number; requests: number }

export class FakeOkx {
  readonly problems: string[] = [];
  /** REST history endpoints (candles, rate-limit answers); see history-rest.ts. */
  readonly historyRest = new FakeHistoryRest('okx');
  /** Every text frame received, per connection, in order. */
  readonly received: string[][] = [];
  connections = 0;
  pings = 0;
  restCalls = 0;
  restDown = false;
  /** The venue's instrument list (REST, the instruments channel, and what subscribe accepts). */
  readonly instruments: OkxInstrumentRow[] = OKX_INSTRUMENTS.map((i) => ({ ...i }));
  private refuseUpgrades = 0;
  private clients = new Set<Client>();
  private connectTimes: number[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });

  private constructor(private readonly http: Server) {}

  static async start(): Promise<FakeOkx> {
    const http = createServer();
    const fake = new FakeOkx(http);
    http.on('request', (req, res) => {
      if (fake.historyRest.handle(req, res)) return;
      fake.restCalls++;
      const url = new URL(req.url ?? '/', 'http://x');
      if (fake.restDown || url.pathname !== '/api/v5/public/instruments') {
        res.writeHead(fake.restDown ? 503 : 404).end();
        return;
      }
      const type = url.searchParams.get('instType');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: '0', msg: '', data: fake.instruments.filter((i) => i.instType === type) }));
    });
    http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => fake.upgrade(req, socket, head));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }
  get url(): string {
    return `ws://127.0.0.1:${this.port}/ws/v5/public`;
  }
  get restUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get openConnections(): number {
    return this.clients.size;
  }

  /** Refuses the next n WebSocket upgrades with HTTP 429. */
  rejectUpgrades(n: number): void {
    this.refuseUpgrades = n;
  }

  /** Number of open connections subscribed to `channel:id` (id = instId or instType). */
  subscribers(channel: string, id: string): number {
    let n = 0;
    for (const c of this.clients) if (c.subs.has(`${channel}:${id}`)) n++;
    return n;
  }

  /** Sends a data push `{"arg":{channel,instId|instType},"data":[...]}` to subscribed clients. */
  push(channel: string, id: string, data: unknown[]): void {
    const arg = CHANNELS_BY_INST_TYPE.has(channel) ? { channel, instType: id } : { channel, instId: id };
    this.broadcast(`${channel}:${id}`, JSON.stringify({ arg, data }));
  }

  /** Sends a raw text frame to every client subscribed to `channel:id`. */
  sendRaw(channel: string, id: string, text: string): void {
    this.broadcast(`${channel}:${id}`, text);
  }

  /** Abruptly closes every connection, as a venue restart would. */
  dropAll(): void {
    for (const c of this.clients) c.ws.terminate();
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.ws.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private broadcast(key: string, text: string): void {
    for (const c of this.clients) if (c.subs.has(key)) c.ws.send(text);
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    if (this.refuseUpgrades > 0) {
      this.refuseUpgrades--;
      socket.end('HTTP/1.1 429 Too Many Requests\r\nRetry-After: 0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    if (req.url !== '/ws/v5/public') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const now = Date.now();
    this.connectTimes = this.connectTimes.filter((t) => now - t < 1_000);
    this.connectTimes.push(now);
    if (this.connectTimes.length > 3) this.problems.push('more than 3 connections within 1 s');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    this.connections++;
    const log: string[] = [];
    this.received.push(log);
    const client: Client = { ws, subs: new Set(), lastRequestAt: 0, requests: 0 };
    this.clients.add(client);
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', () => this.clients.delete(client));
    ws.on('message', (raw) => {
      const text = raw.toString();
      log.push(text);
      if (text === 'ping') {
        this.pings++;
        ws.send('pong');
        return;
      }
      this.onRequest(client, text);
    });
  }

  private onRequest(c: Client, text: string): void {
    let req: { op?: unknown; args?: unknown };
    try {
      req = JSON.parse(text);
    } catch {
      this.problems.push(`not JSON: ${text}`);
      c.ws.send(JSON.stringify({ event: 'error', code: '60012', msg: `Invalid request: ${text}` }));
      return;
    }
    const now = Date.now();
    if (c.requests > 0 && now - c.lastRequestAt < MIN_REQUEST_GAP_MS) {
      this.problems.push(`subscribe requests ${now - c.lastRequestAt} ms apart`);
    }
    c.requests++;
    c.lastRequestAt = now;
    if ((req.op !== 'subscribe' && req.op !== 'unsubscribe') || !Array.isArray(req.args) || req.args.length === 0) {
      this.problems.push(`bad request shape: ${text}`);
      c.ws.send(JSON.stringify({ event: 'error', code: '60012', msg: `Invalid request: ${text}` }));
      return;
    }
    for (const arg of req.args as Record<string, unknown>[]) {
      const ch = String(arg.channel);
      const byType = CHANNELS_BY_INST_TYPE.has(ch);
      const id = String(byType ? arg.instType : arg.instId);
      const known = byType
        ? id === 'SWAP' || id === 'SPOT'
        : CHANNELS_BY_INST_ID.has(ch) && this.instruments.some((i) => i.instId === id);
      if (!known) {
        c.ws.send(JSON.stringify({
          event: 'error', code: '60018',
          msg: `Wrong URL or channel:${ch},instId:${id} doesn't exist. Please use the correct URL, channel and parameters referring to API document.`,
          connId: 'f4k3c0nn',
        }));
        continue;
      }
      const key = `${ch}:${id}`;
      if (req.op === 'subscribe') c.subs.add(key);
      else c.subs.delete(key);
      c.ws.send(JSON.stringify({ event: req.op, arg, connId: 'f4k3c0nn' }));
      if (req.op === 'subscribe' && ch === 'instruments') {
        c.ws.send(JSON.stringify({ arg, data: this.instruments.filter((i) => i.instType === id) }));
      }
    }
  }
}
