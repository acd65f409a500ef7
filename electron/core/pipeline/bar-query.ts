/**
 * Bars of one series for a chart or an export: the store's (older, committed) merged with the
 * aggregator's in-memory history and open bar; the in-memory bar wins at the seam.
 */
import type { Bar, MarketType } from '../../../shared/domain';
import { marketKey } from '../../../shared/markets';
import { mergeBars } from '../bars/merge-bars';
import type { BarStore } from '../store/bar-store';
import type { Aggregator } from './aggregator';

export interface BarQuery {
  exchange: string;
  market: MarketType;
  symbol: string;
  tf: string;
  /** Most bars returned (the newest). Default 5000. */
  limit?: number;
  /** Bars starting before this (exclusive): pages left. */
  before?: number;
  /** Bars starting at or after this. */
  from?: number;
}

export function queryBars(aggregator: Aggregator, store: BarStore | null, q: BarQuery): Bar[] {
  const limit = q.limit ?? 5000;
  const from = q.from ?? 0;
  const before = q.before ?? Infinity;
  let memory = aggregator.history(q.exchange, q.market, q.symbol, q.tf, limit);
  if (q.before !== undefined || q.from !== undefined) memory = memory.filter((b) => b.start >= from && b.start < before);
  let stored: Bar[] = [];
  if (store) {
    try {
      stored = store.range({ key: marketKey(q), tf: q.tf, limit, from, ...(q.before !== undefined ? { before: q.before } : {}) });
    } catch (e) {
      // A damaged page found mid-session: the chart still gets what memory holds, and the store
      // counts the failure (health) and says so once (notices).
      store.noteReadFailure(e);
    }
  }
  return mergeBars(stored, memory, limit);
}
