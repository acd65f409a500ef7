/**
 * A fake Coinbase Advanced Trade market-data endpoint on 127.0.0.1 (port 0): the WebSocket plus
 * the public REST product list on the same http.Server. Like the venue it closes a connection
 * that has not subscribed within the deadline (5 s), checks every subscribe (one channel per
 * message, product_ids, known channel) and the pace (8 unauthenticated messages/s per IP),
 * answers with the cumulative `subscriptions` map, sends the market_trades snapshot first, an
 * error for unknown products, heartbeats once subscribed, and numbers every message with a
 * per-connection sequence_num. A `level2` subscribe gets the fake's book as an `l2_data` snapshot.
 * Tests push trades/tickers/book updates, lose a message (skip a sequence_num), drop
 * connections, refuse upgrades (429) or take REST down.
 */
import type { WebSocket } from 'ws';
import { PerSecond, VenueServer } from './venue-server';

export const COINBASE_PRODUCTS = [
  { product_id: 'BTC-USD', price: '65083.67', base_currency_id: 'BTC', quote_currency_id: 'USD', product_type: 'SPOT', status: 'online', trading_disabled: false },
  { product_id: 'ETH-USD', price: '1919.41', base_currency_id: 'ETH', quote_currency_id: 'USD', product_type: 'SPOT', status: 'online', trading_disabled: false },
  { product_id: 'BIT-31JAN25-CDE', price: '65100', product_type: 'FUTURE', status: 'online', trading_disabled: false },
];

const CHANNELS = new Set(['market_trades', 'ticker', 'heartbeats', 'candles', 'level2', 'status', 'ticker_batch']);
/** Venue limit is 8 messages/s per IP; a burst beyond it is a client bug. */
const MAX_MESSAGES_PER_SECOND = 8;

export interface FakeTrade {
  product_id: string;
  trade_id: string;
  price: string;
  size: string;
  /** Epoch ms, may carry µs as fraction. */
  time: number;
  /** Maker side, as the venue reports it. */
  side: 'BUY' | 'SELL';
}

/** Epoch ms (fractional µs) -> `2026-08-09T21:05:38.50436Z` (µs, trailing zeros trimmed). */
export function coinbaseTime(ms: number): string {
  const whole = Math.floor(ms / 1000) * 1000;
  const us = Math.round((ms - whole) * 1000);
  const base = new Date(whole).toISOString().slice(0, 19);
  const frac = String(us).padStart(6, '0').replace(/0+$/, '');
  return `${base}${frac ? `.${frac}` : ''}Z`;
}

interface Client {
  ws: WebSocket;
  seq: number;
  subs: Map<string, Set<string>>;
  messages: PerSecond;
  deadline: NodeJS.Timeout;
  hb: NodeJS.Timeout | null;
}

export class FakeCoinbase extends VenueServer<Client> {
  /** Closes connections that have not subscribed within this (venue: 5 s). */
  subscribeDeadlineMs = 5_000;
  heartbeatMs = 1_000;
  /** Trades sent as the market_trades snapshot on subscribe (newest first, like the venue). */
  snapshotTrades: FakeTrade[] = [];
  /** Connections the fake closed for not subscribing in time. */
  deadlineCloses = 0;
  /** The venue's book per product, [price, quantity] decimal strings: the level2 snapshot. */
  readonly books = new Map<string, { bids: [string, string][]; asks: [string, string][] }>();
  /** level2 subscribe and unsubscribe requests received, in order (`subscribe BTC-USD`). */
  readonly level2Requests: string[] = [];

  private constructor() {
    super('coinbase');
    this.route('/api/v3/brokerage/market/products', () => ({ products: COINBASE_PRODUCTS, num_products: COINBASE_PRODUCTS.length }));
  }

  static async start(): Promise<FakeCoinbase> {
    return new FakeCoinbase().listen();
  }

  get url(): string {
    return this.wsUrl();
  }

  /** Open connections subscribed to product on channel. */
  subscribers(channel: string, product: string): number {
    return this.countClients((c) => c.subs.get(channel)?.has(product) === true);
  }

  /** One market_trades update; the venue lists a batch newest first. */
  pushTrades(trades: FakeTrade[]): void {
    const wire = [...trades].reverse().map((t) => ({ ...t, time: coinbaseTime(t.time) }));
    for (const c of this.clients) {
      const mine = wire.filter((t) => c.subs.get('market_trades')?.has(t.product_id));
      if (mine.length) this.send(c, 'market_trades', [{ type: 'update', trades: mine }]);
    }
  }

  pushTicker(product: string, bid: string, bidQty: string, ask: string, askQty: string): void {
    for (const c of this.clients) {
      if (!c.subs.get('ticker')?.has(product)) continue;
      this.send(c, 'ticker', [{ type: 'update', tickers: [{ type: 'ticker', product_id: product, price: bid, volume_24_h: '2867.5', best_bid: bid, best_ask: ask, best_bid_quantity: bidQty, best_ask_quantity: askQty }] }]);
    }
  }

  /** An l2_data update (side, price, new quantity) to level2 subscribers of the product. */
  pushL2(product: string, updates: ['bid' | 'offer', string, string][]): void {
    for (const c of this.clients) {
      if (c.subs.get('level2')?.has(product)) this.send(c, 'l2_data', [{ type: 'update', product_id: product, updates: updates.map(([side, p, q]) => l2Row(side, p, q)) }]);
    }
  }

  /** Every connection loses its next message: its sequence_num is skipped. */
  loseMessage(): void {
    for (const c of this.clients) c.seq++;
  }

  /** A raw frame to every open connection (malformed input, foreign messages). */
  sendRaw(text: string): void {
    this.broadcast(text);
  }

  private send(c: Client, channel: string, events: unknown[]): void {
    const timestamp = new Date().toISOString().replace('Z', '123456Z');
    c.ws.send(JSON.stringify({ channel, client_id: '', timestamp, sequence_num: c.seq++, events }));
  }

  protected override openClient(ws: WebSocket): Client {
    const deadline = setTimeout(() => {
      if (client.subs.size > 0) return;
      this.deadlineCloses++;
      ws.close(1008, 'subscribe deadline exceeded');
    }, this.subscribeDeadlineMs);
    const client: Client = { ws, seq: 0, subs: new Map(), messages: new PerSecond(), deadline, hb: null };
    return client;
  }

  protected override onClientGone(c: Client): void {
    clearTimeout(c.deadline);
    if (c.hb) clearInterval(c.hb);
  }

  protected override onMessage(c: Client, text: string): void {
    if (c.messages.hit() > MAX_MESSAGES_PER_SECOND) this.problems.push(`more than ${MAX_MESSAGES_PER_SECOND} messages within 1 s`);
    let msg: { type?: unknown; product_ids?: unknown; channel?: unknown; channels?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      this.problems.push(`not JSON: ${text}`);
      return;
    }
    const ids = msg.product_ids;
    if ((msg.type !== 'subscribe' && msg.type !== 'unsubscribe') || typeof msg.channel !== 'string' || msg.channels !== undefined ||
        !Array.isArray(ids) || ids.length === 0 || !ids.every((x) => typeof x === 'string')) {
      this.problems.push(`bad subscribe shape: ${text}`);
      c.ws.send(JSON.stringify({ type: 'error', message: 'failure to subscribe' }));
      return;
    }
    if (!CHANNELS.has(msg.channel)) {
      this.problems.push(`unknown channel ${msg.channel}`);
      return;
    }
    const known = new Set(COINBASE_PRODUCTS.map((p) => p.product_id));
    if (msg.channel !== 'heartbeats' && !(ids as string[]).every((id) => known.has(id))) {
      c.ws.send(JSON.stringify({ type: 'error', message: 'failure to subscribe' }));
      return;
    }
    if (msg.channel === 'level2') for (const id of ids as string[]) this.level2Requests.push(`${msg.type} ${id}`);
    const set = c.subs.get(msg.channel) ?? new Set<string>();
    for (const id of ids as string[]) (msg.type === 'subscribe' ? set.add(id) : set.delete(id));
    c.subs.set(msg.channel, set);
    const map = Object.fromEntries(
      [...c.subs].filter(([, s]) => s.size).map(([ch, s]) => [ch, ch === 'heartbeats' ? ['heartbeats'] : [...s]]),
    );
    this.send(c, 'subscriptions', [{ subscriptions: map }]);
    if (msg.type !== 'subscribe') return;
    if (msg.channel === 'market_trades') {
      const snap = this.snapshotTrades.filter((t) => set.has(t.product_id)).map((t) => ({ ...t, time: coinbaseTime(t.time) }));
      this.send(c, 'market_trades', [{ type: 'snapshot', trades: snap }]);
    }
    if (msg.channel === 'level2') {
      for (const id of ids as string[]) {
        const book = this.books.get(id) ?? { bids: [], asks: [] };
        const rows = [...book.bids.map(([p, q]) => l2Row('bid', p, q)), ...book.asks.map(([p, q]) => l2Row('offer', p, q))];
        this.send(c, 'l2_data', [{ type: 'snapshot', product_id: id, updates: rows }]);
      }
    }
    if (msg.channel === 'heartbeats' && !c.hb) {
      let counter = 41_691;
      c.hb = setInterval(() => this.send(c, 'heartbeats', [{ current_time: new Date().toISOString(), heartbeat_counter: counter++ }]), this.heartbeatMs);
    }
  }
}

function l2Row(side: 'bid' | 'offer', price: string, quantity: string) {
  return { side, event_time: coinbaseTime(Date.now()), price_level: price, new_quantity: quantity };
}
