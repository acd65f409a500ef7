/**
 * Book traffic for the depth bench, in the venues' recorded formats (../shared/fixtures/exchanges):
 *
 * - Binance `depth@100ms`: a REST snapshot of 1000 levels a side (`/api/v3/depth?limit=1000`:
 *   every level 1 BTC, lastUpdateId 0) and diff frames of 20 levels each (10 bids, 10 asks) in the
 *   combined-stream format (`depthUpdate`), update ids chained (`U` = previous `u` + 1).
 * - Bybit v5 `orderbook.50`: the first frame is the 50-level snapshot (as on subscribe), then
 *   deltas of 20 levels, `u` consecutive; prices on 0.1 ticks, numbers without trailing zeros.
 *
 * Prices sit on 0.01 ticks below (bids) and above (asks) a fixed mid of 64,000, so no diff can
 * cross the book; the level a change touches is drawn towards the top (depth ~ 1000 x r^3, as in
 * bench/books/order-book-structures.ts), and 10 % of changes remove the level (size 0).
 */
import { rng } from './frames';

export const DEPTH_SNAPSHOT_LEVELS = 1000;
const MID_TICKS = 6_400_000;

function price(ticks: number): string {
  const s = String(ticks);
  return `${s.slice(0, -2)}.${s.slice(-2)}000000`;
}

/** The REST snapshot the diffs start from (lastUpdateId 0: the first diff, U = 1, straddles it). */
export function depthSnapshotBody(): { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] } {
  const side = (sign: number) => Array.from({ length: DEPTH_SNAPSHOT_LEVELS }, (_, i) => [price(MID_TICKS + sign * (i + 1)), '1.00000000'] as [string, string]);
  return { lastUpdateId: 0, bids: side(-1), asks: side(1) };
}

export class DepthSource {
  /** `U` of the next diff. */
  private nextId = 1;
  private readonly random: () => number;

  constructor(seed = 7) {
    this.random = rng(seed);
  }

  private level(sign: number): string {
    const depth = Math.floor(DEPTH_SNAPSHOT_LEVELS * this.random() ** 3);
    const size = this.random() < 0.1 ? '0.00000000' : `${Math.floor(this.random() * 5)}.${String(Math.floor(this.random() * 1e8)).padStart(8, '0')}`;
    return `["${price(MID_TICKS + sign * (depth + 1))}","${size}"]`;
  }

  /** The next frame (Binance: every frame is a diff). */
  frame(native: string, time: number, levels: number): string {
    return this.diff(native, time, levels);
  }

  /** One diff frame of `levels` changes (half bids, half asks), at exchange time `time`. */
  diff(native: string, time: number, levels: number): string {
    const U = this.nextId;
    const u = U + levels - 1;
    this.nextId = u + 1;
    const half = levels >> 1;
    const b: string[] = [];
    const a: string[] = [];
    for (let i = 0; i < half; i++) b.push(this.level(-1));
    for (let i = half; i < levels; i++) a.push(this.level(1));
    return `{"stream":"${native.toLowerCase()}@depth@100ms","data":{"e":"depthUpdate","E":${time},"s":"${native}","U":${U},"u":${u},"b":[${b.join(',')}],"a":[${a.join(',')}]}}`;
  }
}

export const BYBIT_BOOK_LEVELS = 50;
/** 64,000.0 in Bybit's 0.1 ticks. */
const BYBIT_MID_TICKS = 640_000;

function bybitPrice(ticks: number): string {
  return ticks % 10 === 0 ? String(ticks / 10) : `${Math.floor(ticks / 10)}.${ticks % 10}`;
}

export class BybitDepthSource {
  /** `u` of the next message; the snapshot takes the first. */
  private nextU = 100;
  private readonly random: () => number;

  constructor(seed = 7) {
    this.random = rng(seed);
  }

  private levelAt(sign: number, depth: number, size: string): string {
    return `["${bybitPrice(BYBIT_MID_TICKS + sign * (depth + 1))}","${size}"]`;
  }

  private change(sign: number): string {
    const depth = Math.floor(BYBIT_BOOK_LEVELS * this.random() ** 3);
    const size = this.random() < 0.1 ? '0' : `${Math.floor(this.random() * 5)}.${String(1 + Math.floor(this.random() * 999_999)).padStart(6, '0').replace(/0+$/, '')}`;
    return this.levelAt(sign, depth, size);
  }

  /** The snapshot first (every level 1 BTC), then deltas of `levels` changes. */
  frame(native: string, time: number, levels: number): string {
    const u = this.nextU++;
    const first = u === 100;
    const b: string[] = [];
    const a: string[] = [];
    if (first) {
      for (let i = 0; i < BYBIT_BOOK_LEVELS; i++) b.push(this.levelAt(-1, i, '1'));
      for (let i = 0; i < BYBIT_BOOK_LEVELS; i++) a.push(this.levelAt(1, i, '1'));
    } else {
      const half = levels >> 1;
      for (let i = 0; i < half; i++) b.push(this.change(-1));
      for (let i = half; i < levels; i++) a.push(this.change(1));
    }
    return `{"topic":"orderbook.${BYBIT_BOOK_LEVELS}.${native}","ts":${time},"type":"${first ? 'snapshot' : 'delta'}","data":{"s":"${native}","b":[${b.join(',')}],"a":[${a.join(',')}],"u":${u},"seq":${50_000_000_000 + u}},"cts":${time}}`;
  }
}
