/**
 * A fake Bitfinex v2 public endpoint on 127.0.0.1 (port 0): WebSocket `/ws/2` plus REST
 * `/v2/conf/pub:list:pair:exchange` on the same http.Server. Like Bitfinex it greets with
 * `{"event":"info","version":2}`, answers each subscribe with `subscribed` + a chanId (the trades
 * channel then sends a snapshot of past trades), rejects unknown symbols (10300), duplicates
 * (10301) and more than 30 channels (10305), answers `{"event":"ping"}` with pong, and sends live
 * trades as `te` followed by `tu` for the same trade. It records what it considers client mistakes.
 *
 * Books (`book` channel, P0): it keeps a book per symbol, sends it as the snapshot on subscribe,
 * applies and forwards level updates, and sends `cs` checksums computed on its own book (Bitfinex's
 * documented rule, written out here independently of the adapter). `conf` flags are honoured per
 * connection: SEQ_ALL appends the connection's sequence number to every array frame, OB_CHECKSUM
 * allows `cs` frames. `unsubscribe` by chanId is answered with `unsubscribed`.
 */
import { crc32 } from 'node:zlib';
import type { WebSocket } from 'ws';
import { VenueServer } from './venue-server';

export const BITFINEX_PAIRS = ['BTCUSD', 'ETHUSD', 'BTCUST', 'TESTBTC:TESTUSD'];
const MAX_CHANNELS = 30;

/** [ID, MTS, AMOUNT, PRICE] as Bitfinex sends it. */
export type BitfinexTrade = [number, number, number, number];

/** [PRICE, COUNT, AMOUNT] as Bitfinex sends a P0 book level (AMOUNT < 0: an ask). */
export type BitfinexLevel = [number, number, number];

const SEQ_ALL = 65536;
const OB_CHECKSUM = 131072;

interface Channel { chanId: number; channel: string; symbol: string }
interface Client { ws: WebSocket; channels: Channel[]; flags: number; seq: number }

export class FakeBitfinex extends VenueServer<Client> {
  pings = 0;
  /** The venue's pair list (REST and what subscribe accepts). */
  readonly pairs: string[] = [...BITFINEX_PAIRS];
  /** Past trades sent as the snapshot after every trades subscription. */
  snapshot: BitfinexTrade[] = [[100, 1_600_000_000_000, 0.5, 10_000], [99, 1_599_999_999_000, -0.25, 9_999]];
  private nextChanId = 1000;
  /** Subscriptions accepted so far, over all connections (a reconnect's shows as one more). */
  subscriptionsAccepted = 0;
  /** Books by symbol: price -> [count, amount]. */
  private readonly books = new Map<string, Map<number, [number, number]>>();
  /** `conf` flags received, in order, over all connections. */
  readonly confs: number[] = [];
  /** Unsubscribes received (chanIds), in order. */
  readonly unsubscribes: number[] = [];

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
    this.toChannel('trades', symbol, (id) => [[id, 'te', t], [id, 'tu', t]]);
  }

  ticker(symbol: string, bid: number, bidSize: number, ask: number, askSize: number): void {
    this.toChannel('ticker', symbol, (id) => [[id, [bid, bidSize, ask, askSize, -12, -0.001, ask, 1000, ask + 10, bid - 10]]]);
  }

  heartbeat(): void {
    for (const c of this.clients) for (const ch of c.channels) this.emit(c, [ch.chanId, 'hb']);
  }

  /** Replaces a symbol's book (sent as the snapshot of every later subscription). */
  setBook(symbol: string, levels: BitfinexLevel[]): void {
    this.books.set(symbol, new Map(levels.map(([p, n, a]) => [p, [n, a]])));
  }

  /**
   * Applies one level change to the book (count 0 removes) and sends it to the book's subscribers.
   * `applied: false` sends it without changing the venue's book (a corrupt update: what a resync
   * must repair).
   */
  bookUpdate(symbol: string, level: BitfinexLevel, applied = true): void {
    const [price, count, amount] = level;
    const book = this.books.get(symbol) ?? new Map<number, [number, number]>();
    this.books.set(symbol, book);
    if (applied && count === 0) book.delete(price);
    else if (applied) book.set(price, [count, amount]);
    this.toChannel('book', symbol, (id) => [[id, level]]);
  }

  /** The checksum message for a book: its true checksum, or `value` to send a wrong one. */
  bookChecksum(symbol: string, value = this.checksumOf(symbol)): void {
    for (const c of this.clients) {
      if (!(c.flags & OB_CHECKSUM)) continue;
      for (const ch of c.channels) if (ch.channel === 'book' && ch.symbol === symbol) this.emit(c, [ch.chanId, 'cs', value]);
    }
  }

  /** Bitfinex's checksum of the top 25 a side: bid price:amount, ask price:amount (negative), interleaved. */
  checksumOf(symbol: string): number {
    const { bids, asks } = this.sides(symbol);
    const parts: number[] = [];
    for (let i = 0; i < 25; i++) {
      if (bids[i]) parts.push(bids[i]![0], bids[i]![2]);
      if (asks[i]) parts.push(asks[i]![0], asks[i]![2]);
    }
    return crc32(parts.join(':')) | 0;
  }

  /** Loses one message on every connection (its sequence number is skipped, as after a drop). */
  skipSequence(): void {
    for (const c of this.clients) c.seq++;
  }

  private sides(symbol: string): { bids: BitfinexLevel[]; asks: BitfinexLevel[] } {
    const levels = [...(this.books.get(symbol) ?? new Map<number, [number, number]>())].map(([p, [n, a]]): BitfinexLevel => [p, n, a]);
    return {
      bids: levels.filter((l) => l[2] > 0).sort((x, y) => y[0] - x[0]),
      asks: levels.filter((l) => l[2] < 0).sort((x, y) => x[0] - y[0]),
    };
  }

  /** Sends an array frame, with the connection's next sequence number when it asked for SEQ_ALL. */
  private emit(c: Client, frame: unknown[]): void {
    c.ws.send(JSON.stringify(c.flags & SEQ_ALL ? [...frame, ++c.seq] : frame));
  }

  /** Sends a raw frame on a channel (never numbered); `%ID%` in the text is replaced by the channel's chanId. */
  raw(channel: string, symbol: string, text: string): void {
    for (const c of this.clients) {
      for (const ch of c.channels) if (ch.channel === channel && ch.symbol === symbol) c.ws.send(text.replaceAll('%ID%', String(ch.chanId)));
    }
  }

  /** Sends an event to every connection (e.g. info 20051). */
  event(obj: object): void {
    this.broadcast(JSON.stringify(obj));
  }

  private toChannel(channel: string, symbol: string, frames: (chanId: number) => unknown[][]): void {
    for (const c of this.clients) {
      for (const ch of c.channels) {
        if (ch.channel === channel && ch.symbol === symbol) for (const f of frames(ch.chanId)) this.emit(c, f);
      }
    }
  }

  protected override acceptsPath(path: string): boolean {
    return path === '/ws/2';
  }

  protected override openClient(ws: WebSocket): Client {
    ws.send(JSON.stringify({ event: 'info', version: 2, serverId: 'f4k3-5erv3r', platform: { status: 1 } }));
    return { ws, channels: [], flags: 0, seq: 0 };
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
      const flags = typeof req.flags === 'number' ? req.flags : 0;
      if ((flags & ~(SEQ_ALL | OB_CHECKSUM)) !== 0) this.problems.push(`unexpected conf flags: ${text}`);
      if (c.channels.length > 0) this.problems.push(`conf after subscribing: ${text}`);
      this.confs.push(flags);
      c.flags = flags;
      send({ event: 'conf', status: 'OK', flags });
      return;
    }
    if (req.event === 'unsubscribe') {
      const i = c.channels.findIndex((ch) => ch.chanId === req.chanId);
      if (i < 0) {
        this.problems.push(`unsubscribe of an unknown chanId: ${text}`);
        send({ event: 'error', msg: 'unsubscribe: invalid', code: 10400 });
        return;
      }
      c.channels.splice(i, 1);
      this.unsubscribes.push(req.chanId as number);
      send({ event: 'unsubscribed', status: 'OK', chanId: req.chanId });
      return;
    }
    if (req.event !== 'subscribe' || typeof req.channel !== 'string' || typeof req.symbol !== 'string') {
      this.problems.push(`bad request shape: ${text}`);
      send({ event: 'error', msg: 'event: invalid', code: 10001 });
      return;
    }
    const { channel, symbol } = req;
    if ((channel !== 'trades' && channel !== 'ticker' && channel !== 'book') || !symbol.startsWith('t') || !this.pairs.includes(symbol.slice(1))) {
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
    if (channel === 'book') {
      if (req.prec !== 'P0' || req.freq !== 'F0' || req.len !== '25') this.problems.push(`unexpected book parameters: ${text}`);
      send({ event: 'subscribed', channel, chanId, symbol, prec: req.prec, freq: req.freq, len: req.len, pair: symbol.slice(1) });
      const { bids, asks } = this.sides(symbol);
      this.emit(c, [chanId, [...bids, ...asks]]);
      return;
    }
    send({ event: 'subscribed', channel, chanId, symbol, pair: symbol.slice(1) });
    if (channel === 'trades') this.emit(c, [chanId, this.snapshot]);
  }
}
