/**
 * A hand-written scanner for Binance `depthUpdate` frames (`<symbol>@depth@100ms`), the frames
 * that carry a Binance book's volume: 10 a second per market, tens of levels each.
 *
 * Why it exists (measured, issue 11): on the depth bench the pipeline reached 0.35-0.64x of the
 * bare ws+JSON.parse ceiling against a 0.8 target, and a CPU profile put ~70 % of its time in
 * the general path: JSON.parse builds an array and two strings per level only for depthLevels()
 * to turn them into a [price, size] pair, and the garbage of both. This reads the levels straight
 * out of the text (json-scan.ts levels()): one [price, size] pair per level, nothing else.
 *
 * It recognises EXACTLY the shapes Binance sends, byte for byte (no whitespace, this key order):
 *   combined stream: {"stream":"<name>","data":<payload>}
 *   raw stream:      <payload>
 *   spot payload:    {"e":"depthUpdate","E":<n>,"s":"<sym>","U":<n>,"u":<n>,"b":[levels],"a":[levels]}
 *   USD-M payload:   {"e":"depthUpdate","E":<n>,"T":<n>,"s":"<sym>","U":<n>,"u":<n>,"pu":<n>,"b":[...],"a":[...]}
 *   levels:          ["<price>","<qty>"], prices and quantities plain digits with at most one dot
 * Anything else (another key order, extra or missing keys, whitespace, escapes, a level of another
 * shape, an update id that is not an integer, a level or time the general path would reject)
 * returns null and the caller uses the general JSON.parse path, which also reports errors. So for
 * every frame, scan() is either null or exactly what the general path returns (test/unit/adapters/
 * binance-depth-fastpath.test.ts proves it over recorded, hand-written and fuzzed frames).
 */
import type { BookUpdate } from '../../../../shared/domain';
import { ascii, at, type Bytes } from '../json-scan';
import { BinanceScanner, EVENT_TYPE_AT } from './fastpath';

const PAYLOAD_HEAD = ascii('{"e":"depthUpdate","E":');
const K_T = ascii(',"T":');
const K_S = ascii(',"s":"');
const K_U_FIRST = ascii('","U":');
const K_U_LAST = ascii(',"u":');
const K_PU = ascii(',"pu":');
const K_B = ascii(',"b":');
const K_A = ascii(',"a":');

const LOWER_D = 100;
const UPPER_T = 84;
const LOWER_P = 112;

export class DepthUpdateFastPath extends BinanceScanner {
  /**
   * The book diff in the frame `text` (`bytes`: as received, where the runtime has them), or null
   * when the frame is not exactly the known shape (use JSON.parse).
   */
  scan(text: string, receivedAt: number, bytes?: Bytes): BookUpdate | null {
    const frame = this.begin(text, bytes);
    return frame === null ? null : this.read(frame, receivedAt);
  }

  private read(frame: Bytes, receivedAt: number): BookUpdate | null {
    let i = this.payloadAt(frame);
    // The event type's first letter first: the cheapest way to turn other events away.
    if (i < 0 || frame[i + EVENT_TYPE_AT]! !== LOWER_D || !at(frame, PAYLOAD_HEAD, i)) return null;
    if (!this.jsonNumber(frame, i + PAYLOAD_HEAD.length)) return null; // E
    // As the general path: the transaction time T where there is one (USD-M), else E.
    let time = this.value;
    i = this.end;
    if (frame[i + 2]! === UPPER_T && at(frame, K_T, i)) {
      if (!this.jsonNumber(frame, i + K_T.length)) return null;
      time = this.value;
      i = this.end;
    }

    if (!at(frame, K_S, i)) return null;
    const symStart = i + K_S.length;
    if (!this.string(frame, symStart)) return null;
    const symEnd = this.end;
    if (!at(frame, K_U_FIRST, symEnd) || !this.jsonNumber(frame, symEnd + K_U_FIRST.length)) return null;
    const first = this.value;
    i = this.end;
    if (!at(frame, K_U_LAST, i) || !this.jsonNumber(frame, i + K_U_LAST.length)) return null;
    const last = this.value;
    i = this.end;
    let prev = NaN;
    if (frame[i + 2]! === LOWER_P && at(frame, K_PU, i)) {
      if (!this.jsonNumber(frame, i + K_PU.length)) return null;
      prev = this.value;
      i = this.end;
    }

    if (!at(frame, K_B, i)) return null;
    const bids = this.levels(frame, i + K_B.length);
    if (bids === null) return null;
    i = this.end;
    if (!at(frame, K_A, i)) return null;
    const asks = this.levels(frame, i + K_A.length);
    if (asks === null || !this.closesAt(frame, this.end)) return null;

    // The general path's checks; a diff it would reject goes there to be reported.
    if (!Number.isInteger(first) || !Number.isInteger(last) || !Number.isFinite(time)) return null;
    const symbol = this.symbolAt(frame, symStart, symEnd);
    if (symbol === null) return null;
    const u: BookUpdate = {
      type: 'book', exchange: this.exchange, market: this.market, symbol, action: 'delta',
      bids, asks, firstSeq: first, lastSeq: last, time, receivedAt,
    };
    if (Number.isInteger(prev)) u.prevSeq = prev;
    return u;
  }
}
