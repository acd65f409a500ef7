/**
 * A hand-written scanner for Binance aggTrade frames, the one frame shape that carries nearly all
 * of a Binance feed's volume.
 *
 * Why it exists (measured, issue 5): on the replay bench, JSON.parse was ~43% of the pipeline's
 * self time in BinanceParser.parse, and the pipeline reached 0.66x of the bare ws+JSON.parse
 * ceiling against a 0.8 target. JSON.parse builds a two-level object (11 properties, 5 strings)
 * per trade only for us to read 6 fields out of it; this scanner reads those fields straight out
 * of the frame's bytes, and builds the numbers from their digits without substrings.
 *
 * It recognises EXACTLY the shapes Binance sends, byte for byte (no whitespace, this key order):
 *   combined stream: {"stream":"<name>","data":<payload>}
 *   raw stream:      <payload>
 *   payload: {"e":"aggTrade","E":<n>,"s":"<sym>","a":<n>,"p":"<dec>","q":"<dec>"[,"nq":"<str>"],
 *            "f":<n>,"l":<n>,"T":<n>,"m":<bool>[,"M":<bool>]}
 * (spot always has "M"; USD-M has no "M" and may carry "nq"). Anything else (other key order,
 * extra or missing keys, whitespace, escapes in strings, a number JSON would reject, a price or
 * quantity that is not plain digits with one dot, a trade the general path would reject) returns
 * null and the caller uses the general JSON.parse path, which also reports errors. So for every
 * frame, scan() is either null or exactly what the general path returns (test/unit/adapters/
 * binance-fastpath.test.ts proves it differentially over recorded and fuzzed frames).
 *
 * The scanning primitives (and why their numbers are exact) are in json-scan.ts.
 */
import type { Trade } from '../../../../shared/domain';
import { ascii, at, type Bytes, CLOSE_BRACE, COMMA, LOWER_N, MarketScanner } from '../json-scan';

const WRAP_HEAD = ascii('{"stream":"');
const WRAP_DATA = ascii('","data":');
const PAYLOAD_HEAD = ascii('{"e":"aggTrade","E":');
const K_S = ascii(',"s":"');
const K_A = ascii('","a":');
const K_P = ascii(',"p":"');
const K_Q = ascii('","q":"');
const K_NQ = ascii(',"nq":"');
const K_F = ascii(',"f":');
const K_L = ascii(',"l":');
const K_T = ascii(',"T":');
const K_M = ascii(',"m":');
const K_BIG_M = ascii(',"M":');

const LOWER_S = 115;
const LOWER_A = 97;
/** Where the event type's text begins in a payload: after `{"e":"`. */
export const EVENT_TYPE_AT = 6;

/** What Binance's scanners share: the combined-stream wrapper around a payload. */
export class BinanceScanner extends MarketScanner<string | null> {
  /** The last payloadAt() found the {"stream","data"} wrapper. */
  private wrapped = false;

  /** Where the payload object starts: 0 for a raw stream, after `"data":` when wrapped; -1 if neither. */
  protected payloadAt(frame: Bytes): number {
    this.wrapped = false;
    if (frame[2]! !== LOWER_S || !at(frame, WRAP_HEAD, 0)) return 0;
    if (!this.string(frame, WRAP_HEAD.length)) return -1;
    // WRAP_DATA starts with the stream name's closing quote.
    if (!at(frame, WRAP_DATA, this.end)) return -1;
    this.wrapped = true;
    return this.end + WRAP_DATA.length;
  }

  /** The payload's `}` at `i`, the wrapper's after it if there was one, then the frame's end. */
  protected closesAt(frame: Bytes, i: number): boolean {
    if (frame[i]! !== CLOSE_BRACE) return false;
    i++;
    if (this.wrapped) {
      if (frame[i]! !== CLOSE_BRACE) return false;
      i++;
    }
    return i === frame.length;
  }
}

export class AggTradeFastPath extends BinanceScanner {
  /**
   * The trade in the frame `text` (`bytes`: as received, where the runtime has them), or null
   * when the frame is not exactly the known shape (use JSON.parse).
   */
  scan(text: string, receivedAt: number, bytes?: Bytes): Trade | null {
    const frame = this.begin(text, bytes);
    return frame === null ? null : this.read(frame, receivedAt);
  }

  private read(frame: Bytes, receivedAt: number): Trade | null {
    let i = this.payloadAt(frame);
    // The event type's first letter first: the cheapest way to turn other events away.
    if (i < 0 || frame[i + EVENT_TYPE_AT]! !== LOWER_A || !at(frame, PAYLOAD_HEAD, i)) return null;
    if (!this.jsonNumber(frame, i + PAYLOAD_HEAD.length)) return null; // E
    i = this.end;

    if (!at(frame, K_S, i)) return null;
    const symStart = i + K_S.length;
    if (!this.string(frame, symStart)) return null;
    const symEnd = this.end;

    if (!at(frame, K_A, symEnd)) return null;
    if (!this.jsonNumber(frame, symEnd + K_A.length)) return null;
    const idStart = symEnd + K_A.length;
    const idEnd = this.end;
    // JSON forbids leading zeros, so up to 15 plain digits print back as themselves.
    const id = this.plainInt && idEnd - idStart <= 15 ? this.text.slice(idStart, idEnd) : String(this.value);

    if (!at(frame, K_P, idEnd)) return null;
    if (!this.decimalString(frame, idEnd + K_P.length)) return null;
    const price = this.value;
    i = this.end; // closing quote of p
    if (!at(frame, K_Q, i)) return null;
    if (!this.decimalString(frame, i + K_Q.length)) return null;
    const size = this.value;
    i = this.end + 1;
    if (frame[i + 2]! === LOWER_N && at(frame, K_NQ, i)) {
      if (!this.string(frame, i + K_NQ.length)) return null;
      i = this.end + 1;
    }

    if (!at(frame, K_F, i) || !this.jsonNumber(frame, i + K_F.length)) return null;
    i = this.end;
    if (!at(frame, K_L, i) || !this.jsonNumber(frame, i + K_L.length)) return null;
    i = this.end;
    if (!at(frame, K_T, i) || !this.jsonNumber(frame, i + K_T.length)) return null;
    const time = this.value;
    i = this.end;
    if (!at(frame, K_M, i)) return null;
    const m = this.bool(frame, i + K_M.length);
    if (m < 0) return null;
    const buyerIsMaker = m === 1;
    i = this.end;
    if (frame[i]! === COMMA) {
      if (!at(frame, K_BIG_M, i) || this.bool(frame, i + K_BIG_M.length) < 0) return null;
      i = this.end;
    }
    if (!this.closesAt(frame, i)) return null;

    // The general path's checks; a trade it would reject goes there to be reported. A price or
    // quantity of 309+ digits reads as Infinity, which the general path rejects too.
    if (!(price > 0 && price < Infinity) || !(size > 0 && size < Infinity) || !Number.isFinite(time)) return null;
    const symbol = this.symbolAt(frame, symStart, symEnd);
    if (symbol === null) return null;
    return {
      type: 'trade',
      exchange: this.exchange,
      market: this.market,
      symbol,
      price,
      size,
      side: buyerIsMaker ? 'sell' : 'buy',
      time,
      receivedAt,
      id,
    };
  }
}
