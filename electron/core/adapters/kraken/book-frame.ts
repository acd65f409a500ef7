/**
 * Kraken WS v2 `book` frames into book records, per connection (book.ts has the rules).
 *
 * Wire (docs.kraken.com websocket-v2/book; shared/fixtures/exchanges/kraken/book.jsonl):
 * `{"channel":"book","type":"snapshot"|"update","data":[{"symbol","bids":[{"price","qty"}],
 * "asks":[...],"checksum","timestamp"?}]}`, prices and quantities as JSON numbers printed with
 * the instrument's precision; qty 0 removes a level.
 *
 * Three things beyond reading the levels:
 * - The text of each price and qty, taken from the frame itself (JSON.parse turns `0.01100000`
 *   into 0.011): the checksum is defined on it (book.ts says why the frame and not metadata).
 * - Depth: Kraken keeps our book at the subscribed depth without saying so ("truncate your book
 *   to the subscribed depth: you will not receive qty 0 for levels that fall out of scope"). A
 *   window of the top `depth` prices per side follows every message, and the levels it pushes
 *   out are added to the record as removals, so the core's book is exactly the venue's.
 * - Arrival numbers: no sequence numbers on the wire, so each symbol's book messages are numbered
 *   here (snapshot n, updates n+1...). A message that cannot be read still takes its number, so
 *   the next one is a gap (resync) instead of an update silently missing from the book, and
 *   updates the old subscription sent before a resync's snapshot are older than it (stale).
 */
import type { BookUpdate } from '../../../../shared/domain';
import { show } from '../../util/show';
import { isoToEpochMs } from '../../util/time';
import type { ParsedEvent, ParserContext } from '../adapter';
import { clip, isObj } from '../json-values';
import { KRAKEN_BOOK_DEPTH } from './book';

type Level = [number, number];
type LevelText = [string, string];

/** Flat objects in the frame: the levels (a data entry holds arrays of objects, so it never matches flat). */
const FLAT_OBJECT = /\{[^{}]*\}/g;
const PRICE_TEXT = /"price"\s*:\s*([-+0-9.eE]+)/;
const QTY_TEXT = /"qty"\s*:\s*([-+0-9.eE]+)/;

/** The [price, qty] text of every level in the frame, in document order. */
function levelTexts(frame: string): LevelText[] {
  const out: LevelText[] = [];
  for (const m of frame.matchAll(FLAT_OBJECT)) {
    const price = PRICE_TEXT.exec(m[0]);
    const qty = QTY_TEXT.exec(m[0]);
    if (price && qty) out.push([price[1]!, qty[1]!]);
  }
  return out;
}

/** The best `depth` prices of one side, best first. */
class SideWindow {
  private prices: number[] = [];
  constructor(private readonly descending: boolean) {}

  clear(): void {
    this.prices = [];
  }

  set(price: number, qty: number): void {
    const p = this.prices;
    let i = 0;
    while (i < p.length && (this.descending ? p[i]! > price : p[i]! < price)) i++;
    const found = p[i] === price;
    if (qty === 0) {
      if (found) p.splice(i, 1);
    } else if (!found) p.splice(i, 0, price);
  }

  /** The prices beyond `depth`, removed from the window. */
  truncate(depth: number): number[] {
    return this.prices.length > depth ? this.prices.splice(depth) : [];
  }
}

interface Window {
  bids: SideWindow;
  asks: SideWindow;
}

/** One data entry's levels with their text, or the reason it cannot be read. */
interface EntryLevels {
  bids: Level[];
  asks: Level[];
  text: { bids: LevelText[]; asks: LevelText[] };
}

export class KrakenBooks {
  /** Book messages seen per native symbol on this connection (the arrival number). */
  private readonly arrivals = new Map<string, number>();
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly ctx: ParserContext,
    private readonly depth = KRAKEN_BOOK_DEPTH,
  ) {}

  parse(kind: unknown, data: unknown[], frame: string, receivedAt: number): ParsedEvent[] {
    if (kind !== 'snapshot' && kind !== 'update') {
      return [{ type: 'error', kind: 'protocol', message: `book message of type ${show(kind)}`, cause: clip(frame, 300) }];
    }
    const texts = levelTexts(frame);
    const cursor = { at: 0 };
    const out: ParsedEvent[] = [];
    for (const entry of data) {
      if (!isObj(entry) || typeof entry.symbol !== 'string' || entry.symbol === '') {
        out.push({ type: 'error', kind: 'parse', message: 'book entry without a symbol', cause: clip(frame, 300) });
        if (isObj(entry)) cursor.at += sideLength(entry.bids) + sideLength(entry.asks);
        continue;
      }
      const native = entry.symbol;
      const seq = (this.arrivals.get(native) ?? 0) + 1;
      this.arrivals.set(native, seq);
      const levels = readLevels(entry, texts, cursor);
      const checksum = entry.checksum;
      if (typeof levels === 'string' || (checksum !== undefined && !isChecksum(checksum))) {
        // Its number is taken: the next message of this book is a gap, and the book resyncs.
        const bad = typeof levels === 'string' ? levels : `checksum ${show(checksum)}`;
        out.push({ type: 'error', kind: 'parse', message: `bad book ${kind} for ${native}: ${bad}`, cause: clip(frame, 300), symbol: this.ctx.toCanonical(native) });
        continue;
      }
      this.keepDepth(native, kind === 'snapshot', levels);
      const stamp = typeof entry.timestamp === 'string' ? isoToEpochMs(entry.timestamp) : NaN;
      const u: BookUpdate = {
        type: 'book', exchange: this.ctx.exchange, market: this.ctx.market, symbol: this.ctx.toCanonical(native),
        action: kind === 'snapshot' ? 'snapshot' : 'delta',
        bids: levels.bids, asks: levels.asks, text: levels.text, lastSeq: seq,
        // Snapshots carry no timestamp: receive time stands in.
        time: Number.isNaN(stamp) ? receivedAt : stamp, receivedAt,
      };
      // Kraken sends one with every message; without one there is nothing to check against.
      if (checksum !== undefined) u.checksum = checksum;
      out.push(u);
    }
    return out;
  }

  /** Follows the venue's depth window and adds the levels it drops as removals. */
  private keepDepth(native: string, snapshot: boolean, levels: EntryLevels): void {
    let w = this.windows.get(native);
    if (!w) this.windows.set(native, (w = { bids: new SideWindow(true), asks: new SideWindow(false) }));
    for (const s of ['bids', 'asks'] as const) {
      const win = w[s];
      if (snapshot) win.clear();
      for (const [price, qty] of levels[s]) win.set(price, qty);
      for (const price of win.truncate(this.depth)) {
        levels[s].push([price, 0]);
        levels.text[s].push([String(price), '0']);
      }
    }
  }
}

/** A CRC32 as Kraken sends it: an unsigned 32-bit integer. */
function isChecksum(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}

function sideLength(v: unknown): number {
  return Array.isArray(v) ? v.length : 0;
}

/**
 * The entry's levels with their text, sides in the frame's key order (the order the text was
 * found in), or what is wrong: a book must not be half applied.
 */
function readLevels(entry: Record<string, unknown>, texts: LevelText[], cursor: { at: number }): EntryLevels | string {
  const out: EntryLevels = { bids: [], asks: [], text: { bids: [], asks: [] } };
  let problem: string | null = null;
  for (const key of Object.keys(entry)) {
    if (key !== 'bids' && key !== 'asks') continue;
    const rows = entry[key];
    if (!Array.isArray(rows)) return `${key} is not an array`;
    for (const row of rows) {
      const text = texts[cursor.at++];
      if (problem) continue; // keep the cursor in step for the entries after this one
      const price = isObj(row) ? row.price : undefined;
      const qty = isObj(row) ? row.qty : undefined;
      if (typeof price !== 'number' || typeof qty !== 'number' || !(price > 0) || !(qty >= 0) || !Number.isFinite(price) || !Number.isFinite(qty)) {
        problem = `level ${show(row)}`;
      } else if (!text || Number(text[0]) !== price || Number(text[1]) !== qty || /[eE]/.test(text[0] + text[1])) {
        problem = `level text of ${price} ${qty} not found as fixed-point digits in the frame`;
      } else {
        out[key].push([price, qty]);
        out.text[key].push(text);
      }
    }
  }
  if (!('bids' in entry) && !('asks' in entry)) return 'no bids or asks';
  return problem ?? out;
}
