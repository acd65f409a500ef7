/**
 * A fake Kraken spot WebSocket v2 endpoint (`/v2`) on 127.0.0.1 (port 0), with REST
 * `/0/public/AssetPairs` on the same http.Server. Like Kraken it greets with a `status` frame,
 * checks each request (method, params.channel, params.symbol list, req_id), acks every symbol on
 * its own (success false + "Currency pair not supported" for unknown pairs), sends a 50-trade
 * snapshot when a trade subscription does not say `snapshot:false`, a ticker snapshot, answers
 * `{"method":"ping"}` with a pong, and sends `{"channel":"heartbeat"}` while subscribed.
 * Tests push trades/tickers/raw text, drop connections, refuse upgrades (429), take REST down.
 */
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

interface Client { ws: WebSocket; subs: Set<string>; messages: PerSecond; hb: NodeJS.Timeout | null }

export class FakeKraken extends VenueServer<Client> {
  pings = 0;
  heartbeatMs = 1_000;
  /** The last trades per symbol, sent as snapshot when a client does not opt out. */
  history: KrakenTradeRow[] = [];

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

  protected override acceptsPath(path: string): boolean {
    return path === '/v2';
  }

  protected override openClient(ws: WebSocket): Client {
    // connection_id is a 64-bit integer printed in full, as Kraken does (above 2^53).
    ws.send('{"channel":"status","data":[{"api_version":"v2","connection_id":15564437896659189083,"system":"online","version":"2.0.7"}],"type":"update"}');
    return { ws, subs: new Set(), messages: new PerSecond(), hb: null };
  }

  protected override onClientGone(c: Client): void {
    if (c.hb) clearInterval(c.hb);
  }

  protected override onMessage(c: Client, text: string): void {
    if (c.messages.hit() > MAX_MESSAGES_PER_SECOND) this.problems.push(`more than ${MAX_MESSAGES_PER_SECOND} messages within 1 s`);
    let msg: { method?: unknown; params?: { channel?: unknown; symbol?: unknown; snapshot?: unknown }; req_id?: unknown };
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
      if (msg.method === 'unsubscribe') c.subs.delete(key);
      else c.subs.add(key);
      const snapshot = p.channel === 'trade' ? p.snapshot !== false : true;
      c.ws.send(reply({ method: msg.method, ...echo, result: { channel: p.channel, snapshot, symbol }, success: true }));
      if (msg.method === 'subscribe' && snapshot && p.channel === 'trade') {
        const rows = this.history.filter((r) => r.symbol === symbol).slice(-50).map((r) => ({ ...r, ord_type: 'limit' }));
        c.ws.send(JSON.stringify({ channel: 'trade', type: 'snapshot', data: rows }));
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

/** Kraken prints numbers with engine precision (`68500.0`, `0.01044926`); JSON.stringify would not. */
function tradeText(r: KrakenTradeRow): string {
  const price = Number.isInteger(r.price) ? r.price.toFixed(1) : String(r.price);
  return `{"symbol":"${r.symbol}","side":"${r.side}","price":${price},"qty":${r.qty.toFixed(8)},"ord_type":"market","trade_id":${r.trade_id},"timestamp":"${r.timestamp}"}`;
}
