/**
 * One connected client of the simulator: its subscriptions and its requests (subscribe,
 * unsubscribe, ping). Market data is pushed to it by the server's fan-out, which keeps per market
 * and channel the set of subscribed sessions; a session remembers which sets it joined so that
 * closing it removes it everywhere.
 */
import type { RawData, WebSocket } from 'ws';
import type { Channel, MarketType } from '../../../shared/domain';
import { ackFrame, errorFrame, pongFrame, type MarketFrames } from './frames';
import { show } from '../util/show';
import type { SimBook } from './sim-book';

/**
 * A client's value in an error message. JSON.stringify of a deeply nested value overflows the
 * stack, and here that was an uncaught exception in the socket's data event: any local process
 * could end the app with one 10 KB request. Strings are quoted as before; anything else is shown
 * in bounded work.
 */
const quoted = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : show(v));

export const CHANNELS_BY_MARKET: Record<MarketType, readonly Channel[]> = {
  spot: ['trades', 'quotes', 'book'],
  perp: ['trades', 'quotes', 'liquidations', 'funding', 'book'],
};

/** One simulated market as the server fans it out. */
export interface MarketSlot {
  frames: MarketFrames;
  subs: Record<Channel, Set<ClientSession>>;
  lastBid: number;
  lastAsk: number;
  lastQuoteAt: number;
  lastFundingAt: number;
  book: SimBook;
  lastBookAt: number;
}

export interface SessionHost {
  slot(market: MarketType, symbol: string): MarketSlot | undefined;
  symbols(market: MarketType): string[];
  /** Sends the current quote of a market to a client that just subscribed to quotes. */
  sendQuoteSnapshot(slot: MarketSlot, session: ClientSession): void;
  /** Sends a market's book snapshot (with its seq) to a client that (re)subscribed to it. */
  sendBookSnapshot(slot: MarketSlot, session: ClientSession): void;
  counters: { framesSent: number };
}

const MAX_SYMBOLS_PER_REQUEST = 1000;

type RequestId = number | string | null;

export class ClientSession {
  readonly ws: WebSocket;
  /** Broken frames still to send (the `malformed` fault). */
  pendingMalformed = 0;
  private readonly host: SessionHost;
  private readonly joined = new Set<Set<ClientSession>>();

  constructor(ws: WebSocket, host: SessionHost) {
    this.ws = ws;
    this.host = host;
  }

  /** Sends a text frame if the socket is open; false otherwise. */
  send(data: string | Buffer): boolean {
    if (this.ws.readyState !== 1) return false;
    this.ws.send(data, { binary: false });
    this.host.counters.framesSent++;
    return true;
  }

  /** Leaves every subscriber set (on close). */
  detach(): void {
    for (const set of this.joined) set.delete(this);
    this.joined.clear();
  }

  handle(data: RawData, isBinary: boolean): void {
    if (isBinary) return this.fail(null, 'bad_request', 'binary frames are not accepted; send JSON text');
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString('utf8');
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return this.fail(null, 'bad_request', `invalid JSON: ${text.slice(0, 80)}`);
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      return this.fail(null, 'bad_request', 'a request must be a JSON object with an "op"');
    }
    const req = msg as Record<string, unknown>;
    const id: RequestId = typeof req.id === 'number' || typeof req.id === 'string' ? req.id : null;
    switch (req.op) {
      case 'ping':
        this.send(pongFrame(id, Date.now()));
        return;
      case 'subscribe':
      case 'unsubscribe':
        return this.changeSubscriptions(id, req.op, req);
      default:
        return this.fail(id, 'bad_request', `unknown op ${quoted(req.op ?? null)} (subscribe, unsubscribe or ping)`);
    }
  }

  private changeSubscriptions(id: RequestId, op: 'subscribe' | 'unsubscribe', req: Record<string, unknown>): void {
    const market = req.market ?? 'spot';
    if (market !== 'spot' && market !== 'perp') {
      return this.fail(id, 'bad_request', `market must be "spot" or "perp", got ${quoted(market)}`);
    }
    const { channels, symbols } = req;
    if (!isStringList(channels)) return this.fail(id, 'bad_request', '"channels" must be a non-empty array of strings');
    if (!isStringList(symbols) || symbols.length > MAX_SYMBOLS_PER_REQUEST) {
      return this.fail(id, 'bad_request', `"symbols" must be an array of 1 to ${MAX_SYMBOLS_PER_REQUEST} strings`);
    }
    const allowed = CHANNELS_BY_MARKET[market];
    const okChannels: Channel[] = [];
    for (const ch of channels) {
      if ((allowed as readonly string[]).includes(ch)) okChannels.push(ch as Channel);
      else this.fail(id, 'unknown_channel', `unknown channel "${ch}" for ${market} (${allowed.join(', ')})`);
    }
    const okSymbols: string[] = [];
    const slots: MarketSlot[] = [];
    for (const symbol of symbols) {
      const slot = this.host.slot(market, symbol);
      if (slot) {
        okSymbols.push(symbol);
        slots.push(slot);
      } else {
        const available = this.host.symbols(market).join(', ') || 'none';
        this.fail(id, 'unknown_symbol', `unknown symbol "${symbol}" on the simulator's ${market} market (available: ${available})`, symbol);
      }
    }
    if (okChannels.length === 0 || okSymbols.length === 0) return;
    for (const slot of slots) {
      for (const ch of okChannels) {
        const set = slot.subs[ch];
        if (op === 'subscribe') {
          set.add(this);
          this.joined.add(set);
        } else {
          set.delete(this);
          this.joined.delete(set);
        }
      }
    }
    this.send(ackFrame(id, op, market, okChannels, okSymbols));
    if (op === 'subscribe' && okChannels.includes('quotes')) {
      for (const slot of slots) this.host.sendQuoteSnapshot(slot, this);
    }
    // Subscribing to a book again is how a client resyncs: every subscribe sends a snapshot.
    if (op === 'subscribe' && okChannels.includes('book')) {
      for (const slot of slots) this.host.sendBookSnapshot(slot, this);
    }
  }

  private fail(id: RequestId, code: Parameters<typeof errorFrame>[1], message: string, symbol?: string): void {
    this.send(errorFrame(id, code, message, symbol));
  }
}

function isStringList(x: unknown): x is string[] {
  return Array.isArray(x) && x.length > 0 && x.every((s) => typeof s === 'string');
}
