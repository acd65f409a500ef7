/**
 * The trade tape's data: a fixed-size ring of trades and liquidations, read newest first.
 * Liquidations are kept as their own kind so the tape can set them apart from ordinary trades.
 */
import type { Liquidation, Side, Trade } from '../../../shared/domain';

export interface TapeEntry {
  kind: 'trade' | 'liquidation';
  /** Unique per entry, stable while it is in the ring (React keys). */
  n: number;
  exchange: string;
  market: 'spot' | 'perp';
  symbol: string;
  price: number;
  size: number;
  side: Side;
  time: number;
}

/** True when the trade's notional (price * size, in quote currency) reaches `minQuote`. */
export function isLargeTrade(price: number, size: number, minQuote: number): boolean {
  return minQuote > 0 && price * size >= minQuote;
}

/** The row class for an entry: side colour, plus `large` / `liquidation` emphasis. */
export function tapeRowClass(e: TapeEntry, minQuote: number): string {
  const side = e.side === 'buy' ? 'buy' : e.side === 'sell' ? 'sell' : 'unknown';
  if (e.kind === 'liquidation') return `tape-row liquidation ${side}`;
  return isLargeTrade(e.price, e.size, minQuote) ? `tape-row large ${side}` : `tape-row ${side}`;
}

export class TapeBuffer {
  private readonly ring: (TapeEntry | undefined)[];
  private head = 0; // next write position
  private count = 0;
  private nextN = 1;
  /** Trades the core left out of batches (tradesOmitted), shown as a count. */
  omitted = 0;

  constructor(readonly capacity = 5000) {
    this.ring = new Array<TapeEntry | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(kind: TapeEntry['kind'], r: Trade | Liquidation): void {
    this.ring[this.head] = {
      kind,
      n: this.nextN++,
      exchange: r.exchange,
      market: r.market,
      symbol: r.symbol,
      price: r.price,
      size: r.size,
      side: r.side,
      time: r.time,
    };
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** i = 0 is the newest entry. */
  at(i: number): TapeEntry | undefined {
    if (i < 0 || i >= this.count) return undefined;
    return this.ring[(this.head - 1 - i + this.capacity * 2) % this.capacity];
  }

  /** Newest first, optionally only entries matching `keep`. */
  newestFirst(keep?: (e: TapeEntry) => boolean, limit = this.count): TapeEntry[] {
    const out: TapeEntry[] = [];
    for (let i = 0; i < this.count && out.length < limit; i++) {
      const e = this.at(i)!;
      if (!keep || keep(e)) out.push(e);
    }
    return out;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.head = 0;
    this.count = 0;
    this.omitted = 0;
  }
}
