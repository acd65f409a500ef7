/**
 * Conflation of stream batches for a slow subscriber (docs/architecture.md, Backpressure: the UI path conflates,
 * latest state wins). Two batches merge into one that a receiver can apply as if it had received
 * both, with memory bounded however long the subscriber stays busy:
 * - bars: one per series+window, latest wins (at most `maxBars`; the oldest entries go first);
 * - quotes, funding, books: one per market, latest wins;
 * - trades: concatenated, only the newest `maxTrades` kept, the rest added to tradesOmitted;
 * - liquidations, statuses: appended, only the newest `maxList` kept (excess counted);
 * - health: the newer snapshot; seq and at: the newer batch's; conflated: a + b + 1.
 */
import type { Bar, MarketRef } from '../../../shared/domain';
import { marketKey } from '../../../shared/markets';
import type { StreamBatch } from '../../../shared/protocol';

export interface MergeLimits {
  maxTrades: number;
  maxList: number;
  maxBars: number;
}

/** Running totals of what merging had to leave out (shown in the publisher's stats). */
export interface MergeCounters {
  liquidationsOmitted: number;
  statusesOmitted: number;
  barsDropped: number;
}

export function barKey(b: Bar): string {
  return `${b.exchange}:${b.market}:${b.symbol}:${b.tf}:${b.start}`;
}

function latestByKey<T>(a: T[], b: T[], keyOf: (x: T) => string): Map<string, T> {
  const m = new Map<string, T>();
  // Map.set on an existing key keeps its position and replaces the value: latest wins.
  for (const x of a) m.set(keyOf(x), x);
  for (const x of b) m.set(keyOf(x), x);
  return m;
}

/** The newest `max` items of a followed by b, and how many older ones did not fit. */
export function newestOf<T>(a: T[], b: T[], max: number): { items: T[]; excess: number } {
  const total = a.length + b.length;
  if (total <= max) return { items: a.concat(b), excess: 0 };
  const excess = total - max;
  const items = excess >= a.length ? b.slice(excess - a.length) : a.slice(excess).concat(b);
  return { items, excess };
}

export function mergeBatches(a: StreamBatch, b: StreamBatch, limits: MergeLimits, counters: MergeCounters): StreamBatch {
  const barMap = latestByKey(a.bars, b.bars, barKey);
  let bars = [...barMap.values()];
  if (bars.length > limits.maxBars) {
    counters.barsDropped += bars.length - limits.maxBars;
    bars = bars.slice(bars.length - limits.maxBars);
  }
  const trades = newestOf(a.trades, b.trades, limits.maxTrades);
  const liquidations = newestOf(a.liquidations, b.liquidations, limits.maxList);
  counters.liquidationsOmitted += liquidations.excess;
  const statuses = newestOf(a.statuses, b.statuses, limits.maxList);
  counters.statusesOmitted += statuses.excess;
  const byMarket = (x: MarketRef): string => marketKey(x);
  const merged: StreamBatch = {
    type: 'batch',
    seq: b.seq,
    at: b.at,
    bars,
    trades: trades.items,
    tradesOmitted: a.tradesOmitted + b.tradesOmitted + trades.excess,
    quotes: [...latestByKey(a.quotes, b.quotes, byMarket).values()],
    liquidations: liquidations.items,
    funding: [...latestByKey(a.funding, b.funding, byMarket).values()],
    statuses: statuses.items,
    // A deep grouped view (watchBookDepth) is its own entry beside the market's top-N view.
    books: [...latestByKey(a.books, b.books, (v) => (v.deep ? `${marketKey(v)}|${v.deep.group}|${v.deep.levels}` : marketKey(v))).values()],
    conflated: a.conflated + b.conflated + 1,
  };
  const health = b.health ?? a.health;
  if (health) merged.health = health;
  return merged;
}
