/**
 * A made-up venue for testing the connection runtime without any real exchange.
 *
 *   subscribe  {"op":"sub","streams":["BTC-USDT@trades", ...]}   (at most `streamsPerMessage` each)
 *   ack        {"op":"ack"}
 *   heartbeat  {"op":"hb"}            ping/pong  {"op":"ping"} / {"op":"pong"}
 *   trades     {"t":[{"s":"BTC-USDT","p":"1.5","q":"2","side":"b","ts":123,"id":"7"}]}
 *   quotes     {"q":[{"s":"BTC-USDT","b":"1","bq":"2","a":"1.1","aq":"3","ts":123}]}
 *   notice     {"op":"notice","msg":"maintenance","reconnect":true}
 *   error      {"op":"error","msg":"unknown symbol","s":"FOO-BAR"}
 *
 * Native names are the canonical ones. A frame containing `"boom"` makes the parser throw, to
 * prove the runtime guards against a parser that breaks its contract.
 */
import type { Channel, MarketType, Side } from '../../shared/domain';
import type { FrameParser, Keepalive, ParsedEvent, ParserContext, Stream, VenueAdapter } from '../../electron/core/adapters/adapter';
import { noOptionsSchema } from '../../shared/venue-options';

export interface EchoAdapterOptions {
  url?: string;
  keepalive?: Keepalive;
  maxStreamsPerConnection?: number;
  subscribeMessagesPerSecond?: number;
  streamsPerMessage?: number;
  rotateAfterMs?: number;
  channels?: Partial<Record<MarketType, readonly Channel[]>>;
}

export function subscribeFrame(streams: readonly Stream[]): string {
  return JSON.stringify({ op: 'sub', streams: streams.map((s) => `${s.native}@${s.channel}`) });
}

export interface EchoTrade {
  s: string;
  p: string;
  q: string;
  side: 'b' | 's';
  ts: number;
  id?: string;
}

export function tradesFrame(trades: EchoTrade[]): string {
  return JSON.stringify({ t: trades });
}

export function createEchoAdapter(opts: EchoAdapterOptions = {}): VenueAdapter {
  const perMessage = opts.streamsPerMessage ?? 50;
  return {
    id: 'simulator',
    displayName: 'Echo',
    marketTypes: ['spot', 'perp'],
    channels: opts.channels ?? { spot: ['trades', 'quotes'], perp: ['trades', 'quotes'] },
    optionsSchema: noOptionsSchema,
    defaultUrl: () => opts.url ?? 'ws://127.0.0.1:9/',
    maxStreamsPerConnection: opts.maxStreamsPerConnection ?? 100,
    subscribeMessagesPerSecond: opts.subscribeMessagesPerSecond ?? 5,
    keepalive: opts.keepalive ?? { kind: 'none' },
    ...(opts.rotateAfterMs !== undefined ? { rotateAfterMs: opts.rotateAfterMs } : {}),
    subscribeMessages(streams) {
      const out: string[] = [];
      for (let i = 0; i < streams.length; i += perMessage) out.push(subscribeFrame(streams.slice(i, i + perMessage)));
      return out;
    },
    createParser: (ctx) => new EchoParser(ctx),
    toNative: (symbol) => symbol,
    toCanonical: (native) => native.toUpperCase(),
  };
}

class EchoParser implements FrameParser {
  constructor(private readonly ctx: ParserContext) {}

  parse(frame: string, receivedAt: number): ParsedEvent[] {
    if (frame.includes('"boom"')) throw new Error('echo parser exploded');
    let msg: Record<string, unknown>;
    try {
      const v: unknown = JSON.parse(frame);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
      msg = v as Record<string, unknown>;
    } catch (err) {
      return [{ type: 'error', kind: 'parse', message: 'malformed frame', cause: frame.slice(0, 100) }];
    }
    switch (msg.op) {
      case 'ack':
        return [{ type: 'control', what: 'ack' }];
      case 'hb':
        return [{ type: 'control', what: 'heartbeat' }];
      case 'pong':
        return [{ type: 'control', what: 'pong' }];
      case 'notice':
        return [{ type: 'notice', message: String(msg.msg), reconnect: msg.reconnect === true }];
      case 'error':
        return [{ type: 'error', kind: 'venue', message: 'venue error', cause: String(msg.msg) }];
    }
    if (Array.isArray(msg.t)) return msg.t.map((t) => this.trade(t, receivedAt));
    if (Array.isArray(msg.q)) return msg.q.map((q) => this.quote(q, receivedAt));
    return [{ type: 'error', kind: 'protocol', message: 'unknown message', cause: frame.slice(0, 100) }];
  }

  private trade(raw: unknown, receivedAt: number): ParsedEvent {
    const t = raw as Partial<EchoTrade>;
    const price = Number(t.p);
    const size = Number(t.q);
    if (typeof t.s !== 'string' || !(price > 0) || !(size > 0) || typeof t.ts !== 'number') {
      return { type: 'error', kind: 'parse', message: 'bad trade', cause: JSON.stringify(raw).slice(0, 100) };
    }
    const side: Side = t.side === 'b' ? 'buy' : t.side === 's' ? 'sell' : 'unknown';
    return {
      type: 'trade',
      exchange: this.ctx.exchange,
      market: this.ctx.market,
      symbol: this.ctx.toCanonical(t.s),
      price,
      size,
      side,
      time: t.ts,
      receivedAt,
      ...(t.id !== undefined ? { id: String(t.id) } : {}),
    };
  }

  private quote(raw: unknown, receivedAt: number): ParsedEvent {
    const q = raw as Record<string, unknown>;
    const [bid, bidSize, ask, askSize] = [q.b, q.bq, q.a, q.aq].map(Number) as [number, number, number, number];
    if (typeof q.s !== 'string' || !(bid > 0) || !(ask > 0) || typeof q.ts !== 'number') {
      return { type: 'error', kind: 'parse', message: 'bad quote', cause: JSON.stringify(raw).slice(0, 100) };
    }
    return {
      type: 'quote',
      exchange: this.ctx.exchange,
      market: this.ctx.market,
      symbol: this.ctx.toCanonical(q.s),
      bid,
      bidSize,
      ask,
      askSize,
      time: q.ts,
      receivedAt,
    };
  }
}
