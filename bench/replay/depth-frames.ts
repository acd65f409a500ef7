/**
 * Binance `depth@100ms`-shaped book traffic for the depth bench: a REST snapshot of 1000 levels a
 * side (`/api/v3/depth?limit=1000`: every level 1 BTC, lastUpdateId 0) and diff frames of 20
 * levels each (10 bids, 10 asks) in the venue's combined-stream format
 * (../shared/fixtures/exchanges/binance, `depthUpdate`), update ids chained (`U` = previous `u` + 1).
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
