/**
 * A fake Bitstamp WebSocket v2 endpoint on 127.0.0.1 (port 0), with REST
 * `/api/v2/trading-pairs-info/` on the same http.Server. It checks every request (`bts:subscribe`
 * / `bts:unsubscribe` with `data.channel`, or `bts:heartbeat`) and the pace, acks with
 * `bts:subscription_succeeded`, answers unknown channels with `bts:error` ("Invalid channel
 * provided.", channel empty, as Bitstamp does), answers client heartbeats, and can ask clients to
 * reconnect (`bts:request_reconnect`). Tests push trades, order books and book diffs
 * (`diff_order_book`) in the real field order, set the REST `/api/v2/order_book/<pair>/` snapshot,
 * drop connections, refuse upgrades (429) or take REST down.
 */
import type { WebSocket } from 'ws';
import { PerSecond, VenueServer } from './venue-server';

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

interface Client { ws: WebSocket; subs: Set<string>; messages: PerSecond }

/** A REST order_book body as Bitstamp writes it (levels as strings, best first). */
export interface BitstampOrderBook { microtimestamp: string; bids: [string, string][]; asks: [string, string][] }

export class FakeBitstamp extends VenueServer<Client> {
  heartbeats = 0;
  /** What `/api/v2/order_book/<pair>/` answers, by pair (404 when unset). */
  readonly orderBooks = new Map<string, BitstampOrderBook>();
  /** Paths of the order_book requests, in order. */
  readonly orderBookRequests: string[] = [];

  private constructor() {
    super('bitstamp');
    this.route('/api/v2/trading-pairs-info/', () => BITSTAMP_PAIRS);
    for (const { url_symbol: pair } of BITSTAMP_PAIRS) {
      this.route(`/api/v2/order_book/${pair}/`, (url) => {
        this.orderBookRequests.push(url.pathname + url.search);
        const b = this.orderBooks.get(pair);
        return b && { timestamp: b.microtimestamp.slice(0, -6), ...b };
      });
    }
  }

  static async start(): Promise<FakeBitstamp> {
    return new FakeBitstamp().listen();
  }

  get url(): string {
    return this.wsUrl();
  }

  subscribers(channel: string): number {
    return this.countClients((c) => c.subs.has(channel));
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
    const channel = `live_trades_${pair}`;
    this.broadcast(JSON.stringify({ data, channel, event: 'trade' }), (c) => c.subs.has(channel));
  }

  /** A full `order_book` snapshot (Bitstamp sends the top 100 levels whole on every change). */
  pushBook(pair: string, microtimestamp: string, bids: [string, string][], asks: [string, string][]): void {
    this.pushData(`order_book_${pair}`, microtimestamp, bids, asks);
  }

  /** A `diff_order_book` event: the levels changed at `microtimestamp` (amount "0" removes). */
  pushDiff(pair: string, microtimestamp: string, bids: [string, string][], asks: [string, string][]): void {
    this.pushData(`diff_order_book_${pair}`, microtimestamp, bids, asks);
  }

  private pushData(channel: string, microtimestamp: string, bids: [string, string][], asks: [string, string][]): void {
    const data = { timestamp: microtimestamp.slice(0, -6), microtimestamp, bids, asks };
    this.broadcast(JSON.stringify({ data, channel, event: 'data' }), (c) => c.subs.has(channel));
  }

  requestReconnect(): void {
    this.broadcast('{"event":"bts:request_reconnect","channel":"","data":""}');
  }

  sendRaw(text: string): void {
    this.broadcast(text);
  }

  protected override openClient(ws: WebSocket): Client {
    return { ws, subs: new Set(), messages: new PerSecond() };
  }

  protected override onMessage(c: Client, text: string): void {
    if (c.messages.hit() > MAX_MESSAGES_PER_SECOND) this.problems.push(`more than ${MAX_MESSAGES_PER_SECOND} messages within 1 s`);
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
