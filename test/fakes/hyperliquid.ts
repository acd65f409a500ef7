/**
 * A fake Hyperliquid public API on 127.0.0.1 (port 0): WebSocket `/ws` and POST `/info` (meta,
 * spotMeta) on the same http.Server, in the documented wire format (test/fixtures/hyperliquid/
 * README.md). It checks what the client sends (one subscription per message, known types, the
 * 2000-messages-a-minute budget as a per-second rate, POST bodies), answers like Hyperliquid
 * (`subscriptionResponse`, the recent-trades SNAPSHOT as the first `trades` message of a coin,
 * `{"channel":"pong"}` to `{"method":"ping"}`, `{"channel":"error"}` for an unknown coin), closes a
 * connection after `silenceLimitMs` without a client message (60 s on the real venue), and lets a
 * test push trades, quotes and asset contexts, drop connections or take REST down.
 */
import type { WebSocket } from 'ws';
import { PerSecond, VenueServer } from './venue-server';

const TYPES = new Set(['trades', 'bbo', 'activeAssetCtx']);
/** 2000 messages a minute per IP is ~33 a second; more than that in one second is abuse. */
const MAX_MESSAGES_PER_SECOND = 33;
/** Recent trades kept per coin for the subscribe snapshot (the venue sends its latest few). */
const SNAPSHOT_TRADES = 10;

export const HYPERLIQUID_META = { universe: [{ name: 'BTC', szDecimals: 5, maxLeverage: 40 }, { name: 'ETH', szDecimals: 4, maxLeverage: 25 }, { name: 'kPEPE', szDecimals: 0, maxLeverage: 10 }] };
export const HYPERLIQUID_SPOT_META = {
  tokens: [{ name: 'USDC', index: 0, szDecimals: 8 }, { name: 'PURR', index: 1, szDecimals: 0 }, { name: 'HYPE', index: 150, szDecimals: 2 }],
  universe: [{ name: 'PURR/USDC', tokens: [1, 0], index: 0, isCanonical: true }, { name: '@107', tokens: [150, 0], index: 107, isCanonical: false }],
};

export interface HyperliquidTrade { coin: string; side: 'A' | 'B'; px: string; sz: string; time: number; tid: number }

interface Client { ws: WebSocket; subs: Set<string>; rate: PerSecond; silence?: NodeJS.Timeout }

export class FakeHyperliquid extends VenueServer<Client> {
  pings = 0;
  /** Connections the fake closed for client silence. */
  silenceCloses = 0;
  /** A connection without any client message for this long is closed (the venue: 60 s). */
  silenceLimitMs = 60_000;
  /** The POST bodies /info received, in order. */
  readonly infoRequests: unknown[] = [];
  private readonly recent = new Map<string, HyperliquidTrade[]>();

  private constructor() {
    super('hyperliquid');
    this.route('/info', (_url, body) => {
      this.infoRequests.push(body);
      const type = (body as { type?: unknown } | undefined)?.type;
      if (type === 'meta') return HYPERLIQUID_META;
      if (type === 'spotMeta') return HYPERLIQUID_SPOT_META;
      if (type === 'candleSnapshot') return this.candleSnapshot((body as { req?: Record<string, unknown> }).req ?? {});
      this.problems.push(`/info without a known type: ${JSON.stringify(body)}`);
      return undefined;
    });
  }

  static async start(): Promise<FakeHyperliquid> {
    return new FakeHyperliquid().listen();
  }

  get url(): string {
    return this.wsUrl('/ws');
  }

  subscribers(type: string, coin: string): number {
    return this.countClients((c) => c.subs.has(`${type}:${coin}`));
  }

  /** Live trades of one coin in one `trades` message; they also join the coin's next snapshot. */
  trades(coin: string, trades: HyperliquidTrade[]): void {
    const kept = [...(this.recent.get(coin) ?? []), ...trades].slice(-SNAPSHOT_TRADES);
    this.recent.set(coin, kept);
    this.send('trades', coin, trades.map((t) => ({ ...t, hash: '0x0', users: ['0xa', '0xb'] })));
  }

  bbo(coin: string, bid: [string, string] | null, ask: [string, string] | null, time: number): void {
    const level = (l: [string, string] | null) => (l ? { px: l[0], sz: l[1], n: 1 } : null);
    this.send('bbo', coin, { coin, time, bbo: [level(bid), level(ask)] });
  }

  assetCtx(coin: string, ctx: Record<string, unknown>): void {
    this.send('activeAssetCtx', coin, { coin, ctx });
  }

  sendRaw(text: string): void {
    this.broadcast(text);
  }

  private send(type: string, coin: string, data: unknown): void {
    this.broadcast(JSON.stringify({ channel: type, data }), (c) => c.subs.has(`${type}:${coin}`));
  }

  protected override acceptsPath(path: string): boolean {
    return path === '/ws';
  }

  protected override openClient(ws: WebSocket): Client {
    const c: Client = { ws, subs: new Set(), rate: new PerSecond() };
    ws.send('Websocket connection established.');
    this.armSilence(c);
    return c;
  }

  protected override onClientGone(c: Client): void {
    clearTimeout(c.silence);
  }

  private armSilence(c: Client): void {
    clearTimeout(c.silence);
    c.silence = setTimeout(() => {
      this.silenceCloses++;
      c.ws.close(1000, 'no message from the client');
    }, this.silenceLimitMs);
  }

  protected override onMessage(c: Client, text: string): void {
    this.armSilence(c);
    if (c.rate.hit() > MAX_MESSAGES_PER_SECOND) this.problems.push(`more than ${MAX_MESSAGES_PER_SECOND} messages within 1 s`);
    let req: { method?: unknown; subscription?: { type?: unknown; coin?: unknown } };
    try {
      req = JSON.parse(text);
    } catch {
      this.problems.push(`not JSON: ${text}`);
      return;
    }
    if (req.method === 'ping') {
      this.pings++;
      c.ws.send('{"channel":"pong"}');
      return;
    }
    const sub = req.subscription;
    if ((req.method !== 'subscribe' && req.method !== 'unsubscribe') || typeof sub !== 'object' || sub === null || Array.isArray(sub)
      || typeof sub.type !== 'string' || typeof sub.coin !== 'string' || !TYPES.has(sub.type)) {
      this.problems.push(`bad request: ${text}`);
      c.ws.send(JSON.stringify({ channel: 'error', data: `Invalid request: ${text}` }));
      return;
    }
    if (!this.knows(sub.coin)) {
      c.ws.send(JSON.stringify({ channel: 'error', data: `Invalid subscription ${JSON.stringify(sub)}` }));
      return;
    }
    const key = `${sub.type}:${sub.coin}`;
    if (req.method === 'unsubscribe') c.subs.delete(key);
    else c.subs.add(key);
    c.ws.send(JSON.stringify({ channel: 'subscriptionResponse', data: { method: req.method, subscription: sub } }));
    if (req.method === 'subscribe' && sub.type === 'trades') {
      const snapshot = (this.recent.get(sub.coin) ?? []).map((t) => ({ ...t, hash: '0x0', users: ['0xa', '0xb'] }));
      c.ws.send(JSON.stringify({ channel: 'trades', data: snapshot }));
    }
  }

  /** `{"type":"candleSnapshot","req":{coin,interval,startTime,endTime}}` from historyRest's stored candles. */
  private candleSnapshot(req: Record<string, unknown>): unknown {
    const tfMs = ({ '1m': 60_000, '5m': 300_000, '1h': 3_600_000 } as Record<string, number>)[String(req.interval)];
    if (tfMs === undefined || typeof req.coin !== 'string') return undefined;
    return this.historyRest.candlesIn(req.coin, tfMs, Number(req.startTime), Number(req.endTime)).map((c) => ({
      t: c.start, T: c.start + tfMs - 1, s: req.coin, i: req.interval, o: c.open, c: c.close, h: c.high, l: c.low, v: c.volume, n: c.trades ?? 0,
    }));
  }

  private knows(coin: string): boolean {
    return HYPERLIQUID_META.universe.some((a) => a.name === coin) || HYPERLIQUID_SPOT_META.universe.some((p) => p.name === coin);
  }
}
