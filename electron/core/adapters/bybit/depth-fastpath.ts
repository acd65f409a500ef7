/**
 * A hand-written scanner for Bybit `orderbook.<depth>.<SYM>` frames (the `book` channel:
 * orderbook.50 snapshot, then deltas), the frames that carry a Bybit book's volume.
 *
 * Why it exists (measured, issue 11): on the depth bench the pipeline reached 0.32-0.76x of the
 * bare ws+JSON.parse ceiling against a 0.8 target; the general path JSON.parses the frame (an
 * array and two strings per level), then textLevels() builds a [price, size] pair AND a pair of
 * strings per level, and the garbage of all that was most of the pipeline's time. This reads the
 * levels straight out of the text (json-scan.ts levels()): one [price, size] pair per level.
 *
 * Like the publicTrade scanner (fastpath.ts) it reads flat objects key by key, in any order
 * (spot and linear order the keys differently):
 *   {"topic":"orderbook.<n>.<SYM>", "type":"snapshot"|"delta", "ts":<n>, "cts":<n>,
 *    "data":{"b":[levels],"a":[levels],"u":<n>, <scalars: s, seq, ...>}, <other scalars>}
 * with levels ["<price>","<size>"] (plain digits, at most one dot). It takes a frame only when it
 * can give exactly what BybitParser's JSON.parse path gives; anything else (topic not first,
 * orderbook.1 (the spot quote topic), whitespace, escapes, a repeated key it reads, a nested
 * value elsewhere, a level of another shape, a `u` that is not an integer, a ts/cts that is not a
 * number) returns null and the caller uses the general path, which also reports errors.
 * test/unit/adapters/bybit-depth-fastpath.test.ts proves it over recorded and fuzzed frames.
 */
import type { BookUpdate } from '../../../../shared/domain';
import { ascii, at, type Bytes, CLOSE_BRACE, COMMA, DOT, MarketScanner, NUM, OPEN_BRACE, STR } from '../json-scan';
import { TOPIC_START } from './fastpath';

const HEAD = ascii('{"topic":"orderbook.');
const K_DATA = ascii('data');
const K_TOPIC = ascii('topic');
const K_TYPE = ascii('type');
const K_TS = ascii('ts');
const K_CTS = ascii('cts');
const SNAPSHOT = ascii('snapshot');
const DELTA = ascii('delta');
const LOWER_O = 111;
const ONE = 49;
const K_LOWER_B = 98;
const K_LOWER_A = 97;
const K_LOWER_U = 117;

export class OrderbookFastPath extends MarketScanner<string> {
  // What data() read: the two sides and `u` (null / NaN when absent).
  private bids: [number, number][] | null = null;
  private asks: [number, number][] | null = null;
  private seq = NaN;

  /**
   * The book update in the frame `text` (`bytes`: as received, where the runtime has them), or
   * null when it is not a frame this can read exactly (use JSON.parse).
   */
  scan(text: string, receivedAt: number, bytes?: Bytes): BookUpdate | null {
    const frame = this.begin(text, bytes);
    return frame === null ? null : this.read(frame, receivedAt);
  }

  private read(frame: Bytes, receivedAt: number): BookUpdate | null {
    // The topic's first letter first: the cheapest way to turn other topics away.
    if (frame[TOPIC_START]! !== LOWER_O || !at(frame, HEAD, 0) || !this.string(frame, TOPIC_START)) return null;
    const topicEnd = this.end;
    // orderbook.1.<SYM> is spot's quote topic (BybitParser.book), not a book.
    if (frame[HEAD.length]! === ONE && frame[HEAD.length + 1]! === DOT) return null;
    // As the general path: the native symbol is what follows the topic's last dot.
    const nativeStart = frame.lastIndexOf(DOT, topicEnd - 1) + 1;
    let snapshot = -1; // type: 1 snapshot, 0 delta
    let ts = NaN;
    let cts = NaN;
    let hasTs = false;
    let hasCts = false;
    let hasData = false;
    let i = topicEnd + 1;
    for (;;) {
      const c = frame[i]!;
      if (c === CLOSE_BRACE) break;
      if (c !== COMMA || !this.key(frame, i + 1)) return null;
      const valueAt = this.end;
      if (this.keyIs(frame, K_DATA)) {
        if (hasData || frame[valueAt]! !== OPEN_BRACE || !this.data(frame, valueAt + 1)) return null;
        hasData = true;
      } else if (this.keyIs(frame, K_TOPIC)) {
        return null; // a second topic would win in JSON.parse
      } else if (!this.scalar(frame, valueAt)) {
        return null;
      } else if (this.keyIs(frame, K_TYPE)) {
        if (snapshot >= 0 || this.scalarKind !== STR) return null;
        const start = this.scalarStart;
        const n = this.end - 1 - start;
        if (n === 8 && at(frame, SNAPSHOT, start)) snapshot = 1;
        else if (n === 5 && at(frame, DELTA, start)) snapshot = 0;
        else return null;
      } else if (this.keyIs(frame, K_TS)) {
        // A repeated one, or not a number (the general path reads strings too): not worth matching.
        if (hasTs || this.scalarKind !== NUM) return null;
        hasTs = true;
        ts = this.value;
      } else if (this.keyIs(frame, K_CTS)) {
        if (hasCts || this.scalarKind !== NUM) return null;
        hasCts = true;
        cts = this.value;
      }
      i = this.end;
    }
    if (i + 1 !== frame.length || !hasData || snapshot < 0) return null;
    const bids = this.bids;
    const asks = this.asks;
    const u = this.seq;
    // The general path's checks: time from cts, else ts; `u` an integer; both sides present.
    const time = hasCts ? cts : ts;
    if (bids === null || asks === null || !Number.isInteger(u) || !Number.isFinite(time)) return null;
    const symbol = this.symbolAt(frame, nativeStart, topicEnd);
    if (symbol === '') return null;
    // A message with u = 1 is the full book Bybit sends after a service restart (stream.ts).
    const action = snapshot === 1 || u === 1 ? 'snapshot' : 'delta';
    return { type: 'book', exchange: this.exchange, market: this.market, symbol, action, bids, asks, lastSeq: u, time, receivedAt };
  }

  /** The data object's members from `i` (after `{`) into bids, asks and seq; end = after `}`. */
  private data(frame: Bytes, i: number): boolean {
    this.bids = null;
    this.asks = null;
    this.seq = NaN;
    let hasSeq = false;
    if (frame[i]! === CLOSE_BRACE) {
      this.end = i + 1;
      return true; // no sides: scan() declines, the general path reports it
    }
    for (;;) {
      if (!this.key(frame, i)) return false;
      const valueAt = this.end;
      const key = this.keyEnd - this.keyStart === 1 ? frame[this.keyStart]! : 0;
      if (key === K_LOWER_B || key === K_LOWER_A) {
        // A repeated side would win in JSON.parse: decline rather than match it.
        if ((key === K_LOWER_B ? this.bids : this.asks) !== null) return false;
        const levels = this.levels(frame, valueAt);
        if (levels === null) return false;
        if (key === K_LOWER_B) this.bids = levels;
        else this.asks = levels;
      } else {
        if (!this.scalar(frame, valueAt)) return false;
        if (key === K_LOWER_U) {
          if (hasSeq || this.scalarKind !== NUM) return false;
          hasSeq = true;
          this.seq = this.value;
        }
      }
      i = this.end;
      const c = frame[i]!;
      if (c === CLOSE_BRACE) {
        this.end = i + 1;
        return true;
      }
      if (c !== COMMA) return false;
      i++;
    }
  }
}
