/**
 * A fake Bybit v5 on 127.0.0.1 (port 0): public WebSockets `/v5/public/spot` and
 * `/v5/public/linear` plus REST `/v5/market/instruments-info` on the same http.Server.
 *
 * It answers like the venue: one ack per subscribe request, shaped differently on spot
 * (`ret_msg:"subscribe"`) and linear (`ret_msg:""` with `req_id`); a request naming an unknown
 * symbol or an already subscribed topic is rejected WHOLE (`success:false`, e.g.
 * `Invalid symbol :[publicTrade.FOOUSDT]`), as Bybit does; an orderbook topic given a book
 * (`bookSnapshots`) gets its snapshot after the ack; `{"op":"ping"}` gets the pong of its
 * endpoint; a connection that sends nothing for `idleTimeoutMs` is closed (10 min at Bybit).
 * Broken rules (more than 10 args on spot, malformed requests, request bursts) go to `problems`.
 */
import type { WebSocket } from 'ws';
import { PerSecond, VenueServer } from './venue-server';

export type BybitCategory = 'spot' | 'linear';

export interface BybitInstrumentRow {
  symbol: string;
  baseCoin: string;
  quoteCoin: string;
  status: string;
  contractType?: string;
}

const PATH_RE = /^\/v5\/public\/(spot|linear)$/;
const TOPIC_RE = /^(publicTrade|tickers|orderbook\.(?:1|50|200|1000)|allLiquidation|kline\.[0-9A-Z]+)\.([A-Z0-9]+)$/;
/** Bybit documents no subscribe rate; the fake flags bursts well above the adapter's 10/s. */
const MAX_REQUESTS_PER_S = 12;

interface Client {
  ws: WebSocket;
  category: BybitCategory;
  connId: string;
  subs: Set<string>;
  requests: PerSecond;
  idle: NodeJS.Timeout | null;
}

export class FakeBybit extends VenueServer<Client> {
  pings = 0;
  idleCuts = 0;
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
  /**
   * Order books by topic (`orderbook.50.BTCUSDT`): the snapshot message sent right after the ack
   * of a subscribe to that topic, as Bybit does (a resubscribe gets a new one).
   */
  readonly bookSnapshots = new Map<string, () => { topic: string } & Record<string, unknown>>();
  private seq = 0;

  private constructor(private readonly idleTimeoutMs: number) {
    super('bybit');
    this.route('/v5/market/instruments-info', (url) => {
      const category = url.searchParams.get('category');
      if (category !== 'spot' && category !== 'linear') return undefined;
      return { retCode: 0, retMsg: 'OK', result: { category, list: this.instruments[category], nextPageCursor: '' }, retExtInfo: {}, time: Date.now() };
    });
  }

  static async start(opts: { idleTimeoutMs?: number } = {}): Promise<FakeBybit> {
    return new FakeBybit(opts.idleTimeoutMs ?? 600_000).listen();
  }

  url(market: 'spot' | 'perp'): string {
    return this.wsUrl(`/v5/public/${market === 'perp' ? 'linear' : 'spot'}`);
  }

  subscribers(topic: string): number {
    return this.countClients((c) => c.subs.has(topic));
  }

  /** Sends a data message (`{"topic",...}`) to every connection subscribed to its topic. */
  push(message: { topic: string } & Record<string, unknown>): void {
    this.sendRaw(message.topic, JSON.stringify(message));
  }

  sendRaw(topic: string, text: string): void {
    this.broadcast(text, (c) => c.subs.has(topic));
  }

  protected override acceptsPath(path: string): boolean {
    return PATH_RE.test(path);
  }

  protected override openClient(ws: WebSocket, path: string): Client {
    const category = PATH_RE.exec(path)![1] as BybitCategory;
    const client: Client = { ws, category, connId: `f4k3-${++this.seq}`, subs: new Set(), requests: new PerSecond(), idle: null };
    this.touch(client);
    return client;
  }

  protected override onClientGone(c: Client): void {
    if (c.idle) clearTimeout(c.idle);
  }

  protected override onMessage(c: Client, text: string): void {
    this.touch(c);
    this.onRequest(c, text);
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
    const recent = c.requests.hit();
    if (recent > MAX_REQUESTS_PER_S) this.problems.push(`${recent} requests within 1 s`);
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
    if (req.op !== 'subscribe') return;
    for (const topic of args as string[]) {
      const snapshot = this.bookSnapshots.get(topic);
      if (snapshot) c.ws.send(JSON.stringify(snapshot()));
    }
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
