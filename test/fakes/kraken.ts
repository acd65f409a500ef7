/**
 * A fake Kraken spot WebSocket v2 endpoint (`/v2`) on 127.0.0.1 (port 0), with REST
 * `/0/public/AssetPairs` on the same http.Server. Like Kraken it greets with a `status` frame,
 * checks each request (method, params.channel, params.symbol list, req_id), acks every symbol on
 * its own (success false + "Currency pair not supported" for unknown pairs), sends a 50-trade
 * snapshot when a trade subscription does not say `snapshot:false`, a ticker snapshot, answers
 * `{"method":"ping"}` with a pong, and sends `{"channel":"heartbeat"}` while subscribed.
 * Books: a `book` subscription gets the fake's book as a snapshot (at the subscribed depth, with
 * its CRC32), updates keep it at that depth, and a second subscribe of a live book is refused
 * with "Already subscribed" as Kraken does. Tests push trades/tickers/book updates/raw text, drop
 * connections, refuse upgrades (429), take REST down.
 */
import { crc32 } from 'node:zlib';
import type { WebSocket } from 'ws';
import { PerSecond, VenueServer } from './venue-server';

/** AssetPairs rows as Kraken lists them: legacy XBT/XDG codes in `wsname`. */
export const KRAKEN_ASSET_PAIRS: Record<string, { altname: string; wsname: string; base: string; quote: string; status: string }> = {
  XXBTZUSD: { altname: 'XBTUSD', wsname: 'XBT/USD', base: 'XXBT', quote: 'ZUSD', status: 'online' },
  XETHZUSD: { altname: 'ETHUSD', wsname: 'ETH/USD', base: 'XETH', quote: 'ZUSD', status: 'online' },
  XDGUSD: { altname: 'XDGUSD', wsname: 'XDG/USD', base: 'XXDG', quote: 'ZUSD', status: 'online' },
};
/** What WS v2 accepts: ISO names. */
const V2_SYMBOLS = new Set(Object.values(KRAKEN_ASSET_PAIRS).map((p) => p.wsname.replace('XBT', 'BTC').replace('XDG', 'DOGE')));
const CHANNELS = new Set(['trade', 'ticker', 'book', 'ohlc', 'instrument']);
const MAX_MESSAGES_PER_SECOND = 10;

export interface KrakenTradeRow {
  symbol: string;
  side: 'buy' | 'sell';
  price: number;
  qty: number;
  trade_id: number;
  /** RFC3339 with µs, e.g. `2024-07-27T21:16:00.512060Z`. */
  timestamp: string;
}

/** One book level as Kraken prints it: [price, qty] number text (`66788.0`, `0.01100000`). */
export type KrakenLevelText = [string, string];

/** The fake's book of a symbol, number text as printed, best first. */
export interface FakeKrakenBook {
  bids: KrakenLevelText[];
  asks: KrakenLevelText[];
}

interface Client { ws: WebSocket; subs: Set<string>; messages: PerSecond; hb: NodeJS.Timeout | null; depth: Map<string, number> }

export class FakeKraken extends VenueServer<Client> {
  pings = 0;
  heartbeatMs = 1_000;
  /** The last trades per symbol, sent as snapshot when a client does not opt out. */
  history: KrakenTradeRow[] = [];
  /** The venue's book per symbol: the snapshot a `book` subscribe gets; pushBook changes it. */
  readonly books = new Map<string, FakeKrakenBook>();
  /** Book subscribe and unsubscribe requests received, in order (`subscribe BTC/USD`). */
  readonly bookRequests: string[] = [];

  private constructor() {
    super('kraken');
    this.route('/0/public/AssetPairs', () => ({ error: [], result: KRAKEN_ASSET_PAIRS }));
  }

  static async start(): Promise<FakeKraken> {
    return new FakeKraken().listen();
  }

  get url(): string {
    return this.wsUrl('/v2');
  }

  subscribers(channel: string, symbol: string): number {
    return this.countClients((c) => c.subs.has(`${channel}:${symbol}`));
  }

  /** One `trade` update frame carrying the whole batch (to clients subscribed to its symbols). */
  pushTrades(rows: KrakenTradeRow[]): void {
    for (const c of this.clients) {
      const mine = rows.filter((r) => c.subs.has(`trade:${r.symbol}`));
      if (mine.length) c.ws.send(`{"channel":"trade","type":"update","data":[${mine.map(tradeText).join(',')}]}`);
    }
  }

  pushTicker(symbol: string, bid: number, bidQty: number, ask: number, askQty: number, timestamp: string): void {
    const frame = JSON.stringify({ channel: 'ticker', type: 'update', data: [tickerRow(symbol, bid, bidQty, ask, askQty, timestamp)] });
    this.broadcast(frame, (c) => c.subs.has(`ticker:${symbol}`));
  }

  sendRaw(text: string): void {
    this.broadcast(text);
  }

  /**
   * A book update: the levels applied to the fake's book (qty 0 removes), which is cut to each
   * subscriber's depth, then sent with the checksum of the result (or `checksum` to send a wrong one).
   */
  pushBook(symbol: string, update: FakeKrakenBook, checksum?: number): void {
    const book = this.books.get(symbol) ?? { bids: [], asks: [] };
    this.books.set(symbol, { bids: applyLevels(book.bids, update.bids, true), asks: applyLevels(book.asks, update.asks, false) });
    for (const c of this.clients) {
      const depth = c.depth.get(symbol);
      if (depth === undefined) continue;
      const held = this.cut(symbol, depth);
      c.ws.send(bookFrame('update', symbol, update, checksum ?? bookChecksum(held), '2024-05-19T16:45:24.204654Z'));
    }
  }

  private cut(symbol: string, depth: number): FakeKrakenBook {
    const book = this.books.get(symbol) ?? { bids: [], asks: [] };
    return { bids: book.bids.slice(0, depth), asks: book.asks.slice(0, depth) };
  }

  protected override acceptsPath(path: string): boolean {
    return path === '/v2';
  }

  protected override openClient(ws: WebSocket): Client {
    // connection_id is a 64-bit integer printed in full, as Kraken does (above 2^53).
    ws.send('{"channel":"status","data":[{"api_version":"v2","connection_id":15564437896659189083,"system":"online","version":"2.0.7"}],"type":"update"}');
    return { ws, subs: new Set(), messages: new PerSecond(), hb: null, depth: new Map() };
  }

  protected override onClientGone(c: Client): void {
    if (c.hb) clearInterval(c.hb);
  }

  protected override onMessage(c: Client, text: string): void {
    if (c.messages.hit() > MAX_MESSAGES_PER_SECOND) this.problems.push(`more than ${MAX_MESSAGES_PER_SECOND} messages within 1 s`);
    let msg: { method?: unknown; params?: { channel?: unknown; symbol?: unknown; snapshot?: unknown; depth?: unknown }; req_id?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      c.ws.send(reply({ error: 'Malformed request', method: 'error', success: false }));
      this.problems.push(`not JSON: ${text}`);
      return;
    }
    const echo = typeof msg.req_id === 'number' ? { req_id: msg.req_id } : {};
    if (msg.method === 'ping') {
      this.pings++;
      c.ws.send(reply({ method: 'pong', ...echo }));
      return;
    }
    const p = msg.params;
    if ((msg.method !== 'subscribe' && msg.method !== 'unsubscribe') || typeof p?.channel !== 'string' || !CHANNELS.has(p.channel) ||
        !Array.isArray(p.symbol) || p.symbol.length === 0 || !p.symbol.every((s) => typeof s === 'string' && s.includes('/'))) {
      this.problems.push(`bad request shape: ${text}`);
      c.ws.send(reply({ error: 'Unsupported event', method: String(msg.method), success: false, ...echo }));
      return;
    }
    for (const symbol of p.symbol as string[]) {
      if (!V2_SYMBOLS.has(symbol)) {
        c.ws.send(reply({ error: `Currency pair not supported ${symbol}`, method: msg.method, success: false, symbol, ...echo }));
        continue;
      }
      const key = `${p.channel}:${symbol}`;
      if (p.channel === 'book') {
        this.bookRequests.push(`${msg.method} ${symbol}`);
        if (msg.method === 'subscribe' && c.subs.has(key)) {
          c.ws.send(reply({ error: 'Already subscribed', method: 'subscribe', success: false, symbol, ...echo }));
          continue;
        }
        const depth = p.depth ?? 10;
        if (![10, 25, 100, 500, 1000].includes(depth as number)) this.problems.push(`book depth ${String(depth)}`);
        if (msg.method === 'unsubscribe') c.depth.delete(symbol);
        else c.depth.set(symbol, depth as number);
      }
      if (msg.method === 'unsubscribe') c.subs.delete(key);
      else c.subs.add(key);
      const snapshot = p.channel === 'trade' ? p.snapshot !== false : true;
      c.ws.send(reply({ method: msg.method, ...echo, result: { channel: p.channel, snapshot, symbol }, success: true }));
      if (msg.method === 'subscribe' && snapshot && p.channel === 'trade') {
        const rows = this.history.filter((r) => r.symbol === symbol).slice(-50).map((r) => ({ ...r, ord_type: 'limit' }));
        c.ws.send(JSON.stringify({ channel: 'trade', type: 'snapshot', data: rows }));
      }
      if (msg.method === 'subscribe' && p.channel === 'book') {
        const held = this.cut(symbol, c.depth.get(symbol)!);
        c.ws.send(bookFrame('snapshot', symbol, held, bookChecksum(held)));
      }
      if (msg.method === 'subscribe' && p.channel === 'ticker') {
        c.ws.send(JSON.stringify({ channel: 'ticker', type: 'snapshot', data: [tickerRow(symbol, 65972.8, 0.1, 65972.9, 39.67506683, '2024-05-19T16:45:24.204654Z')] }));
      }
    }
    if (!c.hb && c.subs.size > 0) c.hb = setInterval(() => c.ws.send('{"channel":"heartbeat"}'), this.heartbeatMs);
  }
}

function reply(fields: Record<string, unknown>): string {
  return JSON.stringify({ ...fields, time_in: '2024-07-27T21:15:57.923475Z', time_out: '2024-07-27T21:15:57.923542Z' });
}

function tickerRow(symbol: string, bid: number, bidQty: number, ask: number, askQty: number, timestamp: string) {
  return { symbol, bid, bid_qty: bidQty, ask, ask_qty: askQty, last: bid, volume: 4216.6182937, vwap: 64275.2, low: 61325.4, high: 66450.0, change: 4412.1, change_pct: 7.17, timestamp };
}

/** Levels applied to a side kept best first (qty 0 removes), as the venue's book. */
function applyLevels(side: KrakenLevelText[], levels: KrakenLevelText[], descending: boolean): KrakenLevelText[] {
  const byPrice = new Map(side.map((l) => [Number(l[0]), l]));
  for (const l of levels) {
    if (Number(l[1]) === 0) byPrice.delete(Number(l[0]));
    else byPrice.set(Number(l[0]), l);
  }
  return [...byPrice.entries()].sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0])).map(([, l]) => l);
}

/** Kraken's documented checksum: top 10 asks then bids, '.' and leading zeros removed, CRC32 unsigned. */
export function bookChecksum(book: FakeKrakenBook): number {
  const digits = (t: string) => t.replace('.', '').replace(/^0+/, '');
  const side = (levels: KrakenLevelText[]) => levels.slice(0, 10).map(([p, q]) => digits(p) + digits(q)).join('');
  return crc32(side(book.asks) + side(book.bids)) >>> 0;
}

function bookFrame(type: 'snapshot' | 'update', symbol: string, levels: FakeKrakenBook, checksum: number, timestamp?: string): string {
  const side = (l: KrakenLevelText[]) => l.map(([p, q]) => `{"price":${p},"qty":${q}}`).join(',');
  const stamp = timestamp ? `,"timestamp":"${timestamp}"` : '';
  return `{"channel":"book","type":"${type}","data":[{"symbol":"${symbol}","bids":[${side(levels.bids)}],"asks":[${side(levels.asks)}],"checksum":${checksum}${stamp}}]}`;
}

/** Kraken prints numbers with engine precision (`68500.0`, `0.01044926`); JSON.stringify would not. */
function tradeText(r: KrakenTradeRow): string {
  const price = Number.isInteger(r.price) ? r.price.toFixed(1) : String(r.price);
  return `{"symbol":"${r.symbol}","side":"${r.side}","price":${price},"qty":${r.qty.toFixed(8)},"ord_type":"market","trade_id":${r.trade_id},"timestamp":"${r.timestamp}"}`;
}
