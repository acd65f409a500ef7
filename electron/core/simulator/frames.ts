/**
 * Server -> client frame text (the shapes are documented in PROTOCOL.md). Market data frames are
 * built by string concatenation from pre-built per-market prefixes: at 50k trades/s this is
 * several times cheaper than JSON.stringify of row arrays, and every string is valid JSON.
 */
import type { MarketModel, SimLiquidation, SimQuote, SimTrade } from './market-model';

export const PROTOCOL_VERSION = 1;

/** Per-market frame builder; remembers the last price text because consecutive trades repeat it. */
export class MarketFrames {
  readonly model: MarketModel;
  private readonly tradesPrefix: string;
  private readonly head: string;
  private lastTicks = -1;
  private lastText = '';

  constructor(model: MarketModel) {
    this.model = model;
    this.head = `"market":"${model.market}","symbol":"${model.symbol}"`;
    this.tradesPrefix = `{"type":"trades",${this.head},"data":[`;
  }

  private priceText(ticks: number): string {
    if (ticks !== this.lastTicks) {
      this.lastTicks = ticks;
      this.lastText = this.model.priceText(ticks);
    }
    return this.lastText;
  }

  /** One frame for a batch of trades; `anchor` maps simulated ms to epoch ms. */
  trades(batch: readonly SimTrade[], anchor: number): string {
    let s = this.tradesPrefix;
    for (let i = 0; i < batch.length; i++) {
      const tr = batch[i]!;
      s += `${i === 0 ? '' : ','}[${tr.id},"${this.priceText(tr.priceTicks)}","${this.model.sizeText(tr.sizeLots)}","${tr.side}",${Math.floor(anchor + tr.t)}]`;
    }
    return `${s}]}`;
  }

  quote(q: SimQuote, time: number): string {
    const m = this.model;
    return (
      `{"type":"quote",${this.head},"bid":"${m.priceText(q.bidTicks)}","bidSize":"${m.sizeText(q.bidLots)}",` +
      `"ask":"${m.priceText(q.askTicks)}","askSize":"${m.sizeText(q.askLots)}","time":${time}}`
    );
  }

  liquidation(l: SimLiquidation, anchor: number): string {
    const m = this.model;
    return (
      `{"type":"liquidation",${this.head},"side":"${l.side}","price":"${m.priceText(l.priceTicks)}",` +
      `"size":"${m.sizeText(l.sizeLots)}","time":${Math.floor(anchor + l.t)}}`
    );
  }

  /** Funding rate, mark (the perp's mid) and index (fair value) at simulated time t. */
  funding(t: number, time: number): string {
    const m = this.model;
    const basis = m.basisAt(t);
    // Funding follows the premium, clamped like the big venues (+-0.75 % per 8 h).
    const rate = Math.max(-0.0075, Math.min(0.0075, 0.0001 + (basis - 0.0002) * 0.5));
    const mark = m.priceText(Math.round(m.midAt(t) / m.spec.tick));
    const index = m.priceText(Math.round(m.fairAt(t) / m.spec.tick));
    // Open interest: about $50M of contracts, breathing over minutes (deterministic in t).
    const oi = (5e7 / m.fairAt(t)) * (1 + 0.02 * Math.sin(t / 600_000) + 0.01 * Math.sin(t / 47_000));
    return (
      `{"type":"funding",${this.head},"rate":"${rate.toFixed(8)}","markPrice":"${mark}",` +
      `"indexPrice":"${index}","openInterest":"${oi.toFixed(m.sizeDecimals)}","nextFundingTime":${nextFundingTime(time)},"time":${time}}`
    );
  }
}

const EIGHT_HOURS = 8 * 3600_000;

/** Funding settles at 00:00, 08:00 and 16:00 UTC. */
export function nextFundingTime(time: number): number {
  return (Math.floor(time / EIGHT_HOURS) + 1) * EIGHT_HOURS;
}

export function heartbeatFrame(time: number): string {
  return `{"type":"heartbeat","time":${time}}`;
}

export function pongFrame(id: number | string | null, time: number): string {
  return JSON.stringify(id === null ? { type: 'pong', time } : { type: 'pong', id, time });
}

export function ackFrame(
  id: number | string | null,
  op: 'subscribe' | 'unsubscribe',
  market: string,
  channels: readonly string[],
  symbols: readonly string[],
): string {
  return JSON.stringify({ type: 'ack', id, op, market, channels, symbols });
}

export type ErrorCode = 'unknown_symbol' | 'unknown_channel' | 'bad_request';

export function errorFrame(id: number | string | null, code: ErrorCode, message: string, symbol?: string): string {
  return JSON.stringify(symbol === undefined ? { type: 'error', id, code, message } : { type: 'error', id, code, symbol, message });
}

export function infoFrame(markets: { spot: string[]; perp: string[] }, time: number): string {
  return JSON.stringify({
    type: 'info',
    server: 'tickscope-simulator',
    protocol: PROTOCOL_VERSION,
    markets,
    channels: { spot: ['trades', 'quotes', 'book'], perp: ['trades', 'quotes', 'liquidations', 'funding', 'book'] },
    time,
  });
}

/**
 * Deliberately broken frames for the `malformed` fault, in rotation: the kinds of garbage real
 * feeds deliver (a frame cut mid-way, a proxy's HTML error page, a row of the wrong shape, a bare
 * word). None of them is a valid message of this protocol.
 */
export function malformedFrame(n: number, sample: string): string {
  switch (n % 4) {
    case 0:
      return sample.slice(0, Math.max(1, Math.floor(sample.length / 2)));
    case 1:
      return '<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>';
    case 2:
      return '{"type":"trades","market":"spot","symbol":"BTC-USDT","data":[[1,"not-a-price",null,"buy"]]}';
    default:
      return 'undefined';
  }
}
