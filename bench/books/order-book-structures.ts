/**
 * Which structure for a book side (electron/core/books/order-book.ts)? Sorted parallel arrays with
 * binary search vs a Map of levels sorted when the top is read. Updates are drawn near the top
 * (most diffs touch the first levels), ~20 % add or remove a level; the top 20 is read every
 * 1,000 updates (a 10 Hz view at 10k updates/s). Run: npx tsx bench/books/order-book-structures.ts
 */
import { BookSide } from '../../electron/core/books/order-book';

const UPDATES = 1_000_000;

function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

function workload(levels: number): { prices: Float64Array; sizes: Float64Array } {
  const r = rng(levels);
  const prices = new Float64Array(UPDATES);
  const sizes = new Float64Array(UPDATES);
  for (let i = 0; i < UPDATES; i++) {
    // Skewed towards the top: depth ~ levels * u^3.
    const depth = Math.floor(levels * r() ** 3);
    prices[i] = 10_000 - depth * 0.5;
    sizes[i] = r() < 0.1 ? 0 : Math.round(r() * 1000) / 100;
  }
  return { prices, sizes };
}

class MapSide {
  private readonly m = new Map<number, number>();
  set(p: number, s: number): void {
    if (s === 0) this.m.delete(p);
    else this.m.set(p, s);
  }
  top(n: number): [number, number][] {
    return [...this.m.entries()].sort((a, b) => b[0] - a[0]).slice(0, n);
  }
}

function time(name: string, side: { set(p: number, s: number): void; top(n: number): unknown }, w: ReturnType<typeof workload>, levels: number): void {
  for (let i = 0; i < levels; i++) side.set(10_000 - i * 0.5, 1);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < UPDATES; i++) {
    side.set(w.prices[i]!, w.sizes[i]!);
    if (i % 1000 === 0) side.top(20);
  }
  const ns = Number(process.hrtime.bigint() - t0) / UPDATES;
  console.log(`${levels} levels  ${name.padEnd(14)} ${ns.toFixed(0)} ns/update`);
}

for (const levels of [20, 200, 1000, 5000]) {
  const w = workload(levels);
  for (let round = 0; round < 2; round++) {
    time('sorted arrays', new BookSide(true), w, levels);
    time('map + sort', new MapSide(), w, levels);
  }
}
