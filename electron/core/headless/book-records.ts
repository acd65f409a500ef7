/**
 * Headless `--emit book`: a book record per market at most once per interval (1 s), only when
 * the book changed and is valid (a book is never printed as valid while it is resyncing), and
 * one final record per market at exit with the book as it stands then (issue 11).
 */
import type { BookView } from '../../../shared/books';
import { marketKey } from '../../../shared/markets';

export interface BookRecord {
  type: 'book';
  exchange: string;
  market: 'spot' | 'perp';
  symbol: string;
  bids: [number, number][];
  asks: [number, number][];
  time: number;
  receivedAt: number;
}

export const BOOK_RECORD_INTERVAL_MS = 1000;
export const DEFAULT_BOOK_DEPTH = 20;

export function bookRecord(v: BookView): BookRecord {
  return { type: 'book', exchange: v.exchange, market: v.market, symbol: v.symbol, bids: v.bids, asks: v.asks, time: v.time, receivedAt: v.receivedAt };
}

export class BookRecords {
  /** receivedAt of the last record written per market. */
  private readonly written = new Map<string, number>();

  /** The records due now: valid books updated since their last record. Call once per interval. */
  due(views: BookView[]): BookRecord[] {
    const out: BookRecord[] = [];
    for (const v of views) {
      if (v.state !== 'valid') continue;
      const key = marketKey(v);
      if (this.written.get(key) === v.receivedAt) continue;
      this.written.set(key, v.receivedAt);
      out.push(bookRecord(v));
    }
    return out;
  }

  /** At exit: one record per market, whatever its state (an invalid book has no levels). */
  final(views: BookView[]): BookRecord[] {
    return views.map(bookRecord);
  }
}
