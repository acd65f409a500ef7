/**
 * A fake Bitfinex v2 public endpoint on 127.0.0.1 (port 0): WebSocket `/ws/2` plus REST
 * `/v2/conf/pub:list:pair:exchange` on the same http.Server. Like Bitfinex it greets with
 * `{"event":"info","version":2}`, answers each subscribe with `subscribed` + a chanId (the trades
 * channel then sends a snapshot of past trades), rejects unknown symbols (10300), duplicates
 * (10301) and more than 30 channels (10305), answers `{"event":"ping"}` with pong, and sends live
 * trades as `te` followed by `tu` for the same trade. It records what it considers client mistakes.
 */
import type { WebSocket } from 'ws';
import { VenueServer } from './venue-server';

export const BITFINEX_PAIRS = ['BTCUSD', 'ETHUSD', 'BTCUST', 'TESTBTC:TESTUSD'];
const MAX_CHANNELS = 30;

/** [ID, MTS, AMOUNT, PRICE] as Bitfinex sends it. */
export type BitfinexTrade = [number, number, number, number];

interface Channel { chanId: number; channel: string; symbol: string }
interface Client { ws: WebSocket; channels: Channel[] }

export class FakeBitfinex extends VenueServer<Client> {
  pings = 0;
  /** The venue's pair list (REST and what subscribe accepts). */
  readonly pairs: string[] = [...BITFINEX_PAIRS];
  /** Past trades sent as the snapshot after every trades subscription. */
  snapshot: BitfinexTrade[] = [[100, 1_600_000_000_000, 0.5, 10_000], [99, 1_599_999_999_000, -0.25, 9_999]];
  private nextChanId = 1000;
  /** Subscriptions accepted so far, over all connections (a reconnect's shows as one more). */
  subscriptionsAccepted = 0;

  private constructor() {
    super('bitfinex');
    this.route('/v2/conf/pub:list:pair:exchange', () => [this.pairs]);
  }

  static async start(): Promise<FakeBitfinex> {
    return new FakeBitfinex().listen();
  }

  get url(): string {
    return this.wsUrl('/ws/2');
  }

  subscribers(channel: string, symbol: string): number {
    return this.countClients((c) => c.channels.some((ch) => ch.channel === channel && ch.symbol === symbol));
  }

  /** A live trade, the way Bitfinex sends it: `te`, then `tu` with the same data. */
  trade(symbol: string, t: BitfinexTrade): void {
    this.toChannel('trades', symbol, (id) => [JSON.stringify([id, 'te', t]), JSON.stringify([id, 'tu', t])]);
  }

  ticker(symbol: string, bid: number, bidSize: number, ask: number, askSize: number): void {
    this.toChannel('ticker', symbol, (id) => [JSON.stringify([id, [bid, bidSize, ask, askSize, -12, -0.001, ask, 1000, ask + 10, bid - 10]])]);
  }

  heartbeat(): void {
    for (const c of this.clients) for (const ch of c.channels) c.ws.send(JSON.stringify([ch.chanId, 'hb']));
  }

  /** Sends a raw frame on a channel; `%ID%` in the text is replaced by the channel's chanId. */
  raw(channel: string, symbol: string, text: string): void {
    this.toChannel(channel, symbol, (id) => [text.replaceAll('%ID%', String(id))]);
  }

  /** Sends an event to every connection (e.g. info 20051). */
  event(obj: object): void {
    this.broadcast(JSON.stringify(obj));
  }

  private toChannel(channel: string, symbol: string, frames: (chanId: number) => string[]): void {
    for (const c of this.clients) {
      for (const ch of c.channels) {
        if (ch.channel === channel && ch.symbol === symbol) for (const f of frames(ch.chanId)) c.ws.send(f);
      }
    }
  }

  protected override acceptsPath(path: string): boolean {
    return path === '/ws/2';
  }

  protected override openClient(ws: WebSocket): Client {
    ws.send(JSON.stringify({ event: 'info', version: 2, serverId: 'f4k3-5erv3r', platform: { status: 1 } }));
    return { ws, channels: [] };
  }

  protected override onMessage(c: Client, text: string): void {
    let req: Record<string, unknown>;
    try {
      req = JSON.parse(text);
    } catch {
      this.problems.push(`not JSON: ${text}`);
      return;
    }
    const send = (o: unknown) => c.ws.send(JSON.stringify(o));
    if (req.event === 'ping') {
      this.pings++;
      send({ event: 'pong', ts: Date.now(), cid: req.cid });
      return;
    }
    if (req.event === 'conf') {
      // The adapter parses frames without the trailing sequence numbers these flags would add.
      this.problems.push(`unexpected conf: ${text}`);
      send({ event: 'conf', status: 'OK', flags: req.flags });
      return;
    }
    if (req.event !== 'subscribe' || typeof req.channel !== 'string' || typeof req.symbol !== 'string') {
      this.problems.push(`bad request shape: ${text}`);
      send({ event: 'error', msg: 'event: invalid', code: 10001 });
      return;
    }
    const { channel, symbol } = req;
    if ((channel !== 'trades' && channel !== 'ticker') || !symbol.startsWith('t') || !this.pairs.includes(symbol.slice(1))) {
      send({ event: 'error', msg: 'symbol: invalid', code: 10300, channel, symbol });
      return;
    }
    if (c.channels.some((ch) => ch.channel === channel && ch.symbol === symbol)) {
      this.problems.push(`duplicate subscription ${channel} ${symbol}`);
      send({ event: 'error', msg: 'subscribe: dup', code: 10301, channel, symbol });
      return;
    }
    if (c.channels.length >= MAX_CHANNELS) {
      this.problems.push(`more than ${MAX_CHANNELS} channels on one connection`);
      send({ event: 'error', msg: 'subscribe: limit', code: 10305, channel, symbol });
      return;
    }
    const chanId = this.nextChanId++;
    c.channels.push({ chanId, channel, symbol });
    this.subscriptionsAccepted++;
    send({ event: 'subscribed', channel, chanId, symbol, pair: symbol.slice(1) });
    if (channel === 'trades') send([chanId, this.snapshot]);
  }
}
