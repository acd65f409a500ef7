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

/** Default highlight levels, in dollars of notional: a trade at or above each is shaded darker. */
export const DEFAULT_TAPE_LEVELS: readonly number[] = [10_000, 50_000, 250_000];
/** Liquidations totalling less than this in one bar get no chart marker (dollars). */
export const DEFAULT_LIQ_MARKER_MIN = 10_000;

/**
 * Which highlight level a notional reaches: 0 = none, 1..levels.length. Levels of 0 (or less) are
 * off; `usd` null (a quote currency with no known dollar price) is never highlighted.
 */
export function highlightLevel(usd: number | null, levels: readonly number[]): number {
  if (usd === null) return 0;
  let level = 0;
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i]!;
    if (l > 0 && usd >= l) level = i + 1;
  }
  return level;
}

/** The side in a letter and an arrow, so it reads without colour. */
export function sideMark(side: Side): { text: string; label: string } {
  if (side === 'buy') return { text: '▲ B', label: 'buy' };
  if (side === 'sell') return { text: '▼ S', label: 'sell' };
  return { text: '·', label: 'side unknown' };
}

/** The row class: side colour, `large lvl-N` for a highlighted trade, `liquidation`. */
export function tapeRowClass(e: TapeEntry, level: number): string {
  const side = e.side === 'buy' ? 'buy' : e.side === 'sell' ? 'sell' : 'unknown';
  if (e.kind === 'liquidation') return `tape-row liquidation ${side}`;
  return level > 0 ? `tape-row large lvl-${level} ${side}` : `tape-row ${side}`;
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

  /** How many entries matching `keep` are newer than entry number `n` (the tape's "N new" while frozen). */
  countNewer(n: number, keep?: (e: TapeEntry) => boolean): number {
    let count = 0;
    for (let i = 0; i < this.count; i++) {
      const e = this.at(i)!;
      if (e.n <= n) break;
      if (!keep || keep(e)) count++;
    }
    return count;
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
