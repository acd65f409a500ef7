/**
 * A fake KuCoin (spot or futures, one market per fake) on 127.0.0.1 (port 0): the REST token
 * endpoint POST /api/v1/bullet-public, the instrument list and the WebSocket on the same
 * http.Server. It answers as https://www.kucoin.com/docs/websocket/basic-info/ documents: the
 * token answer names this server as the instance endpoint with `pingInterval`; an upgrade needs an
 * issued, unexpired token and a connectId (else 401); the welcome comes a moment after the upgrade
 * and a subscribe before it is a problem; subscribes are checked (type, topic prefix, at most 100
 * symbols, privateChannel false, response true) and acked, unknown symbols get a 404 error;
 * `{"id","type":"ping"}` gets a pong with the same id. Tests push trades, drop connections,
 * expire tokens, or take REST down.
 */
import type { WebSocket } from 'ws';
import type { MarketType } from '../../shared/domain';
import { VenueServer } from './venue-server';

/** `topics` holds `<prefix>:<native>` per subscribed symbol. */
interface Client { ws: WebSocket; token: string; connectId: string; welcomed: boolean; topics: Set<string>; timer: NodeJS.Timeout | null }

const PREFIXES: Record<MarketType, string[]> = {
  spot: ['/market/match', '/market/ticker'],
  perp: ['/contractMarket/execution', '/contractMarket/tickerV2', '/contract/instrument'],
};

const WELCOME_DELAY_MS = 30;

export const KUCOIN_SPOT_SYMBOLS = [
  { symbol: 'BTC-USDT', name: 'BTC-USDT', baseCurrency: 'BTC', quoteCurrency: 'USDT', enableTrading: true },
  { symbol: 'ETH-USDT', name: 'ETH-USDT', baseCurrency: 'ETH', quoteCurrency: 'USDT', enableTrading: true },
];

const contract = (symbol: string, base: string, quote: string, multiplier: number, isInverse: boolean) =>
  ({ symbol, rootSymbol: quote, type: 'FFWCSX', baseCurrency: base, quoteCurrency: quote, settleCurrency: isInverse ? base : quote, multiplier, isInverse, status: 'Open' });

export const KUCOIN_CONTRACTS = [
  contract('XBTUSDTM', 'XBT', 'USDT', 0.001, false),
  contract('ETHUSDTM', 'ETH', 'USDT', 0.01, false),
  contract('XBTUSDM', 'XBT', 'USD', -1, true),
];

export class FakeKucoin extends VenueServer<Client> {
  /** Tokens handed out, in order. */
  readonly tokens: string[] = [];
  /** The token each accepted connection used, in order. */
  readonly connectTokens: string[] = [];
  /** Receive times of pings (any connection). */
  readonly pingTimes: number[] = [];
  pingIntervalMs = 18_000;
  /**
   * 1m candles: spot ones served by /api/v1/market/candles, futures ones (volume = lots) by
   * /api/v1/kline/query, each in KuCoin's row format; the requests' queries.
   */
  candles: { start: number; open: string; close: string; high: string; low: string; volume: string; turnover: string }[] = [];
  readonly candleQueries: string[] = [];
  private readonly expired = new Set<string>();

  private constructor(readonly market: MarketType) {
    super('okx'); // FakeHistoryRest serves none of KuCoin's paths
    this.route('/api/v1/bullet-public', () => {
      const token = `tok-${this.tokens.length + 1}`;
      this.tokens.push(token);
      return { code: '200000', data: { token, instanceServers: [{ endpoint: this.wsUrl('/'), encrypt: true, protocol: 'websocket', pingInterval: this.pingIntervalMs, pingTimeout: 10_000 }] } };
    });
    if (market === 'spot') this.route('/api/v2/symbols', () => ({ code: '200000', data: KUCOIN_SPOT_SYMBOLS }));
    if (market === 'spot') this.route('/api/v1/market/candles', (url) => this.answerCandles(url));
    else this.route('/api/v1/contracts/active', () => ({ code: '200000', data: KUCOIN_CONTRACTS }));
    if (market === 'perp') this.route('/api/v1/kline/query', (url) => this.answerKlines(url));
  }

  static async start(market: MarketType): Promise<FakeKucoin> {
    return new FakeKucoin(market).listen();
  }

  get topicPrefix(): string {
    return this.market === 'spot' ? '/market/match' : '/contractMarket/execution';
  }

  /** Connections subscribed to `native` on a topic (default: the market's trades topic). */
  subscribers(native: string, prefix = this.topicPrefix): number {
    return this.countClients((c) => c.topics.has(`${prefix}:${native}`));
  }

  /** Sends a `message` on `<prefix>:<native>` to its subscribers. */
  pushTopic(prefix: string, native: string, subject: string, data: unknown): void {
    const topic = `${prefix}:${native}`;
    this.broadcast(JSON.stringify({ type: 'message', topic, subject, data }), (c) => c.topics.has(topic));
  }

  /** Rows in [startAt, endAt] (seconds, both inclusive), NEWEST first, [time, open, close, high, low, volume, turnover]. */
  private answerCandles(url: URL): unknown {
    this.candleQueries.push(url.search);
    const q = url.searchParams;
    if (q.get('type') !== '1min' || !q.get('symbol')) return { code: '400100', msg: 'bad request' };
    const from = Number(q.get('startAt')) * 1000, to = Number(q.get('endAt')) * 1000;
    const rows = this.candles.filter((c) => c.start >= from && c.start <= to).sort((a, b) => b.start - a.start);
    return { code: '200000', data: rows.map((c) => [String(c.start / 1000), c.open, c.close, c.high, c.low, c.volume, c.turnover]) };
  }

  /** Futures rows in [from, to] (ms, both inclusive), oldest first, at most 500, [time ms, open, high, low, close, lots, turnover] as numbers. */
  private answerKlines(url: URL): unknown {
    this.candleQueries.push(url.search);
    const q = url.searchParams;
    if (q.get('granularity') !== '1' || !q.get('symbol')) return { code: '400100', msg: 'bad request' };
    const from = Number(q.get('from')), to = Number(q.get('to'));
    const rows = this.candles.filter((c) => c.start >= from && c.start <= to).sort((a, b) => a.start - b.start).slice(0, 500);
    return { code: '200000', data: rows.map((c) => [c.start, Number(c.open), Number(c.high), Number(c.low), Number(c.close), Number(c.volume), Number(c.turnover)]) };
  }

  /** A token's 24 h are over: its connections are closed and it opens no new one. */
  expireToken(token: string): void {
    this.expired.add(token);
    for (const c of this.clients) if (c.token === token) c.ws.close(1000, 'token expired');
  }

  /** Sends one trade in the market's wire format to the symbol's subscribers. */
  pushTrade(native: string, t: { tradeId: string; side: 'buy' | 'sell'; price: number; size: number; ns: string }): void {
    const data = this.market === 'spot'
      ? { makerOrderId: 'm', price: String(t.price), sequence: '1', side: t.side, size: String(t.size), symbol: native, takerOrderId: 't', time: t.ns, tradeId: t.tradeId, type: 'match' }
      : { symbol: native, sequence: 1, side: t.side, size: t.size, price: t.price, takerOrderId: 't', makerOrderId: 'm', tradeId: t.tradeId, ts: Number(t.ns) };
    const subject = this.market === 'spot' ? 'trade.l3match' : 'match';
    this.pushTopic(this.topicPrefix, native, subject, data);
  }

  sendRaw(native: string, text: string): void {
    this.broadcast(text, (c) => c.topics.has(`${this.topicPrefix}:${native}`));
  }

  protected override acceptsPath(path: string): boolean {
    const q = new URL(path, 'http://x').searchParams;
    const token = q.get('token') ?? '';
    const ok = this.tokens.includes(token) && !this.expired.has(token) && (q.get('connectId') ?? '') !== '';
    if (!ok) this.problems.push(`upgrade without a valid token and connectId: ${path}`);
    return ok;
  }

  protected override openClient(ws: WebSocket, path: string): Client {
    const q = new URL(path, 'http://x').searchParams;
    const c: Client = { ws, token: q.get('token')!, connectId: q.get('connectId')!, welcomed: false, topics: new Set(), timer: null };
    this.connectTokens.push(c.token);
    c.timer = setTimeout(() => {
      c.welcomed = true;
      ws.send(JSON.stringify({ id: c.connectId, type: 'welcome' }));
    }, WELCOME_DELAY_MS);
    return c;
  }

  protected override onClientGone(c: Client): void {
    if (c.timer) clearTimeout(c.timer);
  }

  protected override onMessage(c: Client, text: string): void {
    let req: { id?: unknown; type?: unknown; topic?: unknown; privateChannel?: unknown; response?: unknown };
    try {
      req = JSON.parse(text);
    } catch {
      this.problems.push(`not JSON: ${text}`);
      return;
    }
    if (typeof req.id !== 'string' || req.id === '') this.problems.push(`message without an id: ${text}`);
    if (req.type === 'ping') {
      this.pingTimes.push(Date.now());
      c.ws.send(JSON.stringify({ id: req.id, type: 'pong' }));
      return;
    }
    if (!c.welcomed) this.problems.push(`sent before the welcome: ${text}`);
    if ((req.type !== 'subscribe' && req.type !== 'unsubscribe') || typeof req.topic !== 'string' || req.privateChannel !== false || req.response !== true) {
      this.problems.push(`bad request shape: ${text}`);
      return;
    }
    const [prefix, list = ''] = req.topic.split(':');
    const natives = list.split(',');
    if (prefix === undefined || !PREFIXES[this.market].includes(prefix) || natives.length > 100) {
      this.problems.push(`bad topic: ${req.topic}`);
      return;
    }
    const known = (n: string) => (this.market === 'spot' ? KUCOIN_SPOT_SYMBOLS : KUCOIN_CONTRACTS).some((s) => s.symbol === n);
    const unknown = natives.find((n) => !known(n));
    if (unknown) {
      c.ws.send(JSON.stringify({ id: req.id, type: 'error', code: 404, data: `topic ${prefix}:${unknown} is not found` }));
      return;
    }
    for (const n of natives) {
      if (req.type === 'subscribe') c.topics.add(`${prefix}:${n}`);
      else c.topics.delete(`${prefix}:${n}`);
    }
    c.ws.send(JSON.stringify({ id: req.id, type: 'ack' }));
  }
}
