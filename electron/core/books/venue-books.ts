/**
 * A venue's book rules as the core applies them, read from its adapter's declarative `book`
 * (adapters/adapter.ts VenueBook): the sync rule (consecutive numbers unless the venue says
 * otherwise), whether its books start from a REST snapshot, and its checksum.
 */
import type { MarketType } from '../../../shared/domain';
import { getAdapter } from '../adapters/index';
import type { OrderBook } from './order-book';
import { consecutiveRule, type SyncRule } from '../adapters/book-spec';

export function syncRuleFor(exchange: string, market: MarketType): SyncRule {
  return getAdapter(exchange)?.book?.syncRule?.(market) ?? consecutiveRule;
}

/** Venues whose books start from a REST snapshot (the rest send one on subscribe). */
export function snapshotsByRest(exchange: string): boolean {
  return getAdapter(exchange)?.book?.restSnapshot !== undefined;
}

export function checksumFor(exchange: string, market: MarketType): ((book: OrderBook) => number) | undefined {
  const checksum = getAdapter(exchange)?.book?.checksum;
  return checksum ? (book) => checksum(book, market) : undefined;
}
