/**
 * Coinbase Advanced Trade `level2` books on one connection: `l2_data` messages into book records,
 * chained by the connection's `sequence_num` (see book.ts for the rule).
 *
 * Wire (docs "Advanced Trade WebSocket channels: level2"; the 2026 recording in
 * shared/fixtures/exchanges/coinbase_advanced): `{"channel":"l2_data","timestamp","sequence_num",
 * "events":[{"type":"snapshot"|"update","product_id","updates":[{"side":"bid"|"offer",
 * "event_time","price_level","new_quantity"}]}]}`. Quantities are base units as decimal strings;
 * "0" removes the level. A snapshot is the whole book (≈5 MB for BTC-USD: stream.ts raises the
 * frame cap).
 *
 * Why a chain per book out of a per-connection number: sequence_num counts every message of the
 * connection (trades, tickers, heartbeats, every product's book), so a book cannot check its own
 * updates for continuity; only the parser, which sees every message, can. It remembers the
 * sequence_num of each book's last message (from its snapshot on) and gives every update
 * `prevSeq` = that number. When the connection skips a number, any lost message may have been an
 * update of any book: at that moment every book with a chain gets an empty update that names no
 * predecessor (`lastSeq` = the last lost number), which the rule reads as a gap, so all of this
 * connection's books turn invalid at once and are resubscribed; their chains restart from the
 * new snapshots. Buffered updates and the marks themselves are older than those snapshots, so
 * they are dropped as stale, never applied on top.
 */
import type { BookUpdate } from '../../../../shared/domain';
import { show } from '../../util/show';
import { isoToEpochMs } from '../../util/time';
import type { ParsedEvent, ParserContext } from '../adapter';
import { clip, isObj } from '../json-values';

type Levels = [number, number][];

/** A price > 0 and a quantity >= 0 as decimal strings, else null (a book must not be half applied). */
function level(u: unknown): { bid: boolean; level: [number, number] } | null {
  if (!isObj(u) || (u.side !== 'bid' && u.side !== 'offer')) return null;
  const price = typeof u.price_level === 'string' && u.price_level !== '' ? Number(u.price_level) : NaN;
  const qty = typeof u.new_quantity === 'string' && u.new_quantity !== '' ? Number(u.new_quantity) : NaN;
  if (!(price > 0 && Number.isFinite(price) && qty >= 0 && Number.isFinite(qty))) return null;
  return { bid: u.side === 'bid', level: [price, qty] };
}

export class Level2Chains {
  /** sequence_num of each product's last l2_data message on this connection, from its snapshot on. */
  private readonly last = new Map<string, number>();

  constructor(private readonly ctx: ParserContext) {}

  /**
   * The connection skipped sequence numbers `from`..`to`: every book with a chain is marked (see
   * the file comment) and its chain ends until its next snapshot.
   */
  lost(to: number, out: ParsedEvent[], receivedAt: number): void {
    for (const product of this.last.keys()) {
      out.push(this.record(product, 'delta', [], [], to, undefined, receivedAt, receivedAt));
    }
    this.last.clear();
  }

  /** One l2_data message: a book record per event. */
  message(seq: number | undefined, stamp: unknown, events: Record<string, unknown>[], out: ParsedEvent[], receivedAt: number, frame: string): void {
    const time = typeof stamp === 'string' ? isoToEpochMs(stamp) : NaN;
    if (seq === undefined || Number.isNaN(time)) {
      out.push({ type: 'error', kind: 'protocol', message: 'l2_data without sequence_num or timestamp: its books cannot be chained', cause: clip(frame, 300) });
      this.breakAll(out, receivedAt);
      return;
    }
    for (const ev of events) {
      const product = ev.product_id;
      if (typeof product !== 'string' || product === '' || (ev.type !== 'snapshot' && ev.type !== 'update')) {
        out.push({ type: 'error', kind: 'parse', message: `bad l2_data event (type ${show(ev.type)}, product_id ${show(product)})`, cause: clip(frame, 300) });
        this.breakAll(out, receivedAt);
        continue;
      }
      const bids: Levels = [];
      const asks: Levels = [];
      const rows = Array.isArray(ev.updates) ? ev.updates : null;
      const bad = rows === null ? 'no updates array' : this.levels(rows, bids, asks);
      if (bad) {
        // The venue's update is lost to us: the book must not go on as if it had been applied.
        out.push({ type: 'error', kind: 'parse', message: `bad l2_data ${ev.type} for ${product}: ${bad}`, cause: clip(frame, 300), symbol: this.ctx.toCanonical(product) });
        if (this.last.delete(product)) out.push(this.record(product, 'delta', [], [], seq, undefined, time, receivedAt));
        continue;
      }
      if (ev.type === 'snapshot') {
        out.push(this.record(product, 'snapshot', bids, asks, seq, undefined, time, receivedAt));
        this.last.set(product, seq);
        continue;
      }
      out.push(this.record(product, 'delta', bids, asks, seq, this.last.get(product), time, receivedAt));
      if (this.last.has(product)) this.last.set(product, seq);
    }
  }

  /** A message we could not read may have held any book's update: every chain ends here. */
  private breakAll(out: ParsedEvent[], receivedAt: number): void {
    const seqs = [...this.last.values()];
    if (seqs.length) this.lost(Math.max(...seqs) + 1, out, receivedAt);
  }

  private levels(rows: unknown[], bids: Levels, asks: Levels): string | null {
    for (const row of rows) {
      const l = level(row);
      if (!l) return `level ${show(row)}`;
      (l.bid ? bids : asks).push(l.level);
    }
    return null;
  }

  private record(product: string, action: BookUpdate['action'], bids: Levels, asks: Levels, lastSeq: number, prevSeq: number | undefined, time: number, receivedAt: number): BookUpdate {
    const u: BookUpdate = { type: 'book', exchange: this.ctx.exchange, market: this.ctx.market, symbol: this.ctx.toCanonical(product), action, bids, asks, lastSeq, time, receivedAt };
    if (prevSeq !== undefined) u.prevSeq = prevSeq;
    return u;
  }
}
