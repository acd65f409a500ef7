/**
 * A fake OKX v5 public endpoint on 127.0.0.1 (port 0): WebSocket `/ws/v5/public` plus the REST
 * instrument list on the same http.Server. It checks what the client sends (subscribe shape, args
 * per request, request pacing, connection rate), answers like OKX (one ack per arg, error 60018 for
 * unknown instruments, text `pong` to text `ping`, the `instruments` snapshot and a book's
 * snapshot (`bookSnapshots`) on subscribe), and
 * lets a test push data, drop connections, refuse upgrades with 429 or take REST down.
 */
import type { WebSocket } from 'ws';
import { PerSecond, VenueServer } from './venue-server';

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

const CHANNELS_BY_INST_ID = new Set(['trades', 'tickers', 'funding-rate', 'mark-price', 'open-interest', 'books']);
const CHANNELS_BY_INST_TYPE = new Set(['instruments', 'liquidation-orders']);
/** OKX: 3 subscribe requests per second would already be abusive; we require the adapter's pace. */
const MIN_REQUEST_GAP_MS = 300;

interface Client { ws: WebSocket; subs: Set<string>; lastRequestAt: number; requests: number }

export class FakeOkx extends VenueServer<Client> {
  pings = 0;
  /** The venue's instrument list (REST, the instruments channel, and what subscribe accepts). */
  readonly instruments: OkxInstrumentRow[] = OKX_INSTRUMENTS.map((i) => ({ ...i }));
  /** `books` data items by instId: the snapshot pushed after the ack of a subscribe to that book (a resubscribe gets a new one). */
  readonly bookSnapshots = new Map<string, () => Record<string, unknown>>();
  private readonly connectRate = new PerSecond();

  private constructor() {
    super('okx');
    this.route('/api/v5/public/instruments', (url) => {
      const type = url.searchParams.get('instType');
      return { code: '0', msg: '', data: this.instruments.filter((i) => i.instType === type) };
    });
  }

  static async start(): Promise<FakeOkx> {
    return new FakeOkx().listen();
  }

  get url(): string {
    return this.wsUrl('/ws/v5/public');
  }

  /** Number of open connections subscribed to `channel:id` (id = instId or instType). */
  subscribers(channel: string, id: string): number {
    return this.countClients((c) => c.subs.has(`${channel}:${id}`));
  }

  /** Sends a data push `{"arg":{channel,instId|instType},"data":[...]}` to subscribed clients. */
  push(channel: string, id: string, data: unknown[]): void {
    const arg = CHANNELS_BY_INST_TYPE.has(channel) ? { channel, instType: id } : { channel, instId: id };
    this.sendRaw(channel, id, JSON.stringify({ arg, data }));
  }

  /** Sends a `books` push (`action` snapshot or update, one data item) to the book's subscribers. */
  pushBook(instId: string, action: 'snapshot' | 'update', item: Record<string, unknown>): void {
    this.sendRaw('books', instId, JSON.stringify({ arg: { channel: 'books', instId }, action, data: [item] }));
  }

  /** Sends a raw text frame to every client subscribed to `channel:id`. */
  sendRaw(channel: string, id: string, text: string): void {
    this.broadcast(text, (c) => c.subs.has(`${channel}:${id}`));
  }

  protected override acceptsPath(path: string): boolean {
    return path === '/ws/v5/public';
  }

  protected override openClient(ws: WebSocket): Client {
    if (this.connectRate.hit() > 3) this.problems.push('more than 3 connections within 1 s');
    return { ws, subs: new Set(), lastRequestAt: 0, requests: 0 };
  }

  protected override onMessage(c: Client, text: string): void {
    if (text === 'ping') {
      this.pings++;
      c.ws.send('pong');
      return;
    }
    this.onRequest(c, text);
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
      const book = ch === 'books' && req.op === 'subscribe' ? this.bookSnapshots.get(id) : undefined;
      if (book) c.ws.send(JSON.stringify({ arg, action: 'snapshot', data: [book()] }));
    }
  }
}
