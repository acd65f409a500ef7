/**
 * Bitfinex `book` channel payloads (precision P0) as book records (stream.ts routes them here):
 * - snapshot `[CHANID,[[PRICE,COUNT,AMOUNT],...],SEQ]`, update `[CHANID,[PRICE,COUNT,AMOUNT],SEQ]`;
 *   AMOUNT > 0 is a bid, < 0 an ask (size |AMOUNT| in base units); COUNT 0 removes the level,
 *   with AMOUNT 1 for a bid and -1 for an ask;
 * - checksum `[CHANID,"cs",CHECKSUM,SEQ]`: an empty delta carrying the checksum, compared with the
 *   book once everything before it is applied (book.ts bitfinexChecksum).
 * Exchange time is not sent (the TIMESTAMP flag is off): a record's time is its receive time.
 */
import type { BookUpdate } from '../../../../shared/domain';

export interface BookChannel {
  exchange: string;
  market: BookUpdate['market'];
  symbol: string;
  /** Sequence number of this channel's last book record on the connection. */
  lastSeq?: number;
}

/**
 * Where a record stands in the connection's numbering: its own number, and whether the channel's
 * previous record is known to be the one before it (no number skipped on the connection since).
 */
export interface SeqPosition {
  seq: number | undefined;
  /** First number after the connection's latest gap (-Infinity: none yet). */
  gapFrom: number;
}

/** One `[PRICE,COUNT,AMOUNT]` into its side; false when malformed (the frame is then refused whole). */
function addLevel(row: unknown, bids: [number, number][], asks: [number, number][]): boolean {
  if (!Array.isArray(row)) return false;
  const [price, count, amount] = row as unknown[];
  if (typeof price !== 'number' || typeof count !== 'number' || typeof amount !== 'number') return false;
  if (!(price > 0 && price < Infinity) || !Number.isInteger(count) || count < 0 || !Number.isFinite(amount) || amount === 0) return false;
  (amount > 0 ? bids : asks).push([price, count === 0 ? 0 : Math.abs(amount)]);
  return true;
}

/** The book record of a payload (levels, or a checksum), or null when malformed. */
export function bookRecord(ch: BookChannel, payload: unknown, checksum: number | undefined, pos: SeqPosition, receivedAt: number): BookUpdate | null {
  const bids: [number, number][] = [];
  const asks: [number, number][] = [];
  let action: BookUpdate['action'] = 'delta';
  if (checksum === undefined) {
    if (!Array.isArray(payload)) return null;
    // An empty array is an empty book's snapshot; an array of arrays a snapshot; else one level.
    if (payload.length === 0 || Array.isArray(payload[0])) {
      action = 'snapshot';
      for (const row of payload) if (!addLevel(row, bids, asks)) return null;
    } else if (!addLevel(payload, bids, asks)) return null;
  }
  const u: BookUpdate = { type: 'book', exchange: ch.exchange, market: ch.market, symbol: ch.symbol, action, bids, asks, time: receivedAt, receivedAt };
  if (checksum !== undefined) u.checksum = checksum;
  if (pos.seq !== undefined) {
    u.lastSeq = pos.seq;
    // A skipped number since the channel's last record may have been this book's: no chain.
    if (action === 'delta' && ch.lastSeq !== undefined && ch.lastSeq >= pos.gapFrom) u.prevSeq = ch.lastSeq;
    ch.lastSeq = pos.seq;
  }
  return u;
}
