/**
 * A hand-written scanner for Binance aggTrade frames, the one frame shape that carries nearly all
 * of a Binance feed's volume.
 *
 * Why it exists (measured, issue 5): on the replay bench, JSON.parse was ~43% of the pipeline's
 * self time in BinanceParser.parse, and the pipeline reached 0.66x of the bare ws+JSON.parse
 * ceiling against a 0.8 target. JSON.parse builds a two-level object (11 properties, 5 strings)
 * per trade only for us to read 6 fields out of it; this scanner reads those fields straight out
 * of the text with charCodeAt, and builds the numbers from their digits without substrings.
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
 * Numbers: a decimal with mantissa m < 2^53 and k <= 22 fraction digits is m / 10^k, both exact
 * doubles, so one IEEE division gives the correctly rounded value, the same double Number() and
 * JSON.parse give. Outside that range it falls back to Number(substring), which is exact too.
 */
import type { MarketType, Trade } from '../../../shared/domain';

/** Set TICKSCOPE_NO_FASTPATH=1 to parse every frame with JSON.parse (A/B benchmarks, debugging). */
export function fastPathDisabled(): boolean {
  const v = process.env.TICKSCOPE_NO_FASTPATH;
  return v !== undefined && v !== '' && v !== '0';
}

const WRAP_HEAD = '{"stream":"';
const WRAP_DATA = '","data":';
const PAYLOAD_HEAD = '{"e":"aggTrade","E":';
const K_S = ',"s":"';
const K_A = '","a":';
const K_P = ',"p":"';
const K_Q = '","q":"';
const K_NQ = ',"nq":"';
const K_F = ',"f":';
const K_L = ',"l":';
const K_T = ',"T":';
const K_M = ',"m":';
const K_BIG_M = ',"M":';

const QUOTE = 34;
const BACKSLASH = 92;
const DOT = 46;
const MINUS = 45;
const PLUS = 43;
const ZERO = 48;
const NINE = 57;
const LOWER_E = 101;
const UPPER_E = 69;
const CLOSE_BRACE = 125;
const COMMA = 44;
const LOWER_S = 115;
const LOWER_N = 110;
const LOWER_T = 116;
const LOWER_F = 102;

/** 10^0 .. 10^22: every one is an exact double. */
const POW10: number[] = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

const isDigit = (c: number): boolean => c >= ZERO && c <= NINE;

/**
 * `lit` at `pos` in `frame`. indexOf compares with memcmp and was ~3x faster here than
 * startsWith(lit, pos) or a charCodeAt loop; on a mismatch it scans on (bounded by the frame),
 * which only happens for frames that go to JSON.parse anyway.
 */
const at = (frame: string, lit: string, pos: number): boolean => frame.indexOf(lit, pos) === pos;

/**
 * Per-connection scanner (holds a one-entry symbol cache). `canonical` is the parser's own
 * native -> canonical mapping; `stable(native)` says whether its answer for that native can never
 * change during the connection (then it is cached, saving a substring per trade).
 */
export class AggTradeFastPath {
  // Scratch results of the scanning helpers: module-level state would be shared, fields are not.
  private end = 0;
  private value = 0;
  private plainInt = false;
  private cachedNative = '';
  private cachedSymbol = '';

  constructor(
    private readonly exchange: string,
    private readonly market: MarketType,
    private readonly canonical: (native: string) => string | null,
    private readonly stable: (native: string) => boolean,
  ) {}

  /** The trade in `frame`, or null when the frame is not exactly the known shape (use JSON.parse). */
  scan(frame: string, receivedAt: number): Trade | null {
    let i = 0;
    let wrapped = false;
    if (frame.charCodeAt(2) === LOWER_S && at(frame, WRAP_HEAD, 0)) {
      if (!this.string(frame, WRAP_HEAD.length)) return null;
      // WRAP_DATA starts with the stream name's closing quote.
      if (!at(frame, WRAP_DATA, this.end)) return null;
      i = this.end + WRAP_DATA.length;
      wrapped = true;
    }
    if (!at(frame, PAYLOAD_HEAD, i)) return null;
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
    const id = this.plainInt && idEnd - idStart <= 15 ? frame.slice(idStart, idEnd) : String(this.value);

    if (!at(frame, K_P, idEnd)) return null;
    if (!this.decimalString(frame, idEnd + K_P.length)) return null;
    const price = this.value;
    i = this.end; // closing quote of p
    if (!at(frame, K_Q, i)) return null;
    if (!this.decimalString(frame, i + K_Q.length)) return null;
    const size = this.value;
    i = this.end + 1;
    if (frame.charCodeAt(i + 2) === LOWER_N && at(frame, K_NQ, i)) {
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
    if (frame.charCodeAt(i) === COMMA) {
      if (!at(frame, K_BIG_M, i) || this.bool(frame, i + K_BIG_M.length) < 0) return null;
      i = this.end;
    }
    if (frame.charCodeAt(i) !== CLOSE_BRACE) return null;
    i++;
    if (wrapped) {
      if (frame.charCodeAt(i) !== CLOSE_BRACE) return null;
      i++;
    }
    if (i !== frame.length) return null;

    // The general path's checks; a trade it would reject goes there to be reported.
    if (!(price > 0) || !(size > 0) || !Number.isFinite(time)) return null;
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

  private symbolAt(frame: string, start: number, end: number): string | null {
    const cached = this.cachedNative;
    if (cached.length === end - start && cached.length > 0 && at(frame, cached, start)) return this.cachedSymbol;
    const native = frame.slice(start, end);
    const symbol = this.canonical(native);
    if (symbol !== null && this.stable(native)) {
      this.cachedNative = native;
      this.cachedSymbol = symbol;
    }
    return symbol;
  }

  /** `true` -> 1, `false` -> 0, anything else -1; end = first index after it. */
  private bool(frame: string, i: number): number {
    const c = frame.charCodeAt(i);
    if (c === LOWER_T && at(frame, 'true', i)) {
      this.end = i + 4;
      return 1;
    }
    if (c === LOWER_F && at(frame, 'false', i)) {
      this.end = i + 5;
      return 0;
    }
    return -1;
  }

  /** A JSON string body from `start` without escapes or control characters; end = closing quote. */
  private string(frame: string, start: number): boolean {
    const n = frame.length;
    for (let i = start; i < n; i++) {
      const c = frame.charCodeAt(i);
      if (c === QUOTE) {
        this.end = i;
        return true;
      }
      if (c === BACKSLASH || c < 0x20) return false;
    }
    return false;
  }

  /**
   * A string body of digits with at most one dot and at least one digit (what Number() reads
   * the same way), value in this.value; end = closing quote. Anything else: false.
   */
  private decimalString(frame: string, start: number): boolean {
    let m = 0;
    let digits = 0;
    let fraction = -1;
    let i = start;
    const n = frame.length;
    for (; i < n; i++) {
      const c = frame.charCodeAt(i);
      if (isDigit(c)) {
        m = m * 10 + (c - ZERO);
        digits++;
        if (fraction >= 0) fraction++;
      } else if (c === DOT && fraction < 0) fraction = 0;
      else break;
    }
    if (i >= n || frame.charCodeAt(i) !== QUOTE || digits === 0) return false;
    this.end = i;
    const k = fraction < 0 ? 0 : fraction;
    this.value = m <= Number.MAX_SAFE_INTEGER && k <= 22 ? (k === 0 ? m : m / POW10[k]!) : Number(frame.slice(start, i));
    return true;
  }

  /**
   * A number by JSON's grammar, -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?, value in this.value,
   * this.plainInt when it is digits only; end = first index after it. Not JSON: false.
   */
  private jsonNumber(frame: string, start: number): boolean {
    let i = start;
    const neg = frame.charCodeAt(i) === MINUS;
    if (neg) i++;
    let c = frame.charCodeAt(i);
    if (!isDigit(c)) return false;
    let m = 0;
    if (c === ZERO) i++;
    else {
      for (; isDigit((c = frame.charCodeAt(i))); i++) m = m * 10 + (c - ZERO);
    }
    let k = 0;
    if (frame.charCodeAt(i) === DOT) {
      i++;
      if (!isDigit(frame.charCodeAt(i))) return false;
      for (; isDigit((c = frame.charCodeAt(i))); i++) {
        m = m * 10 + (c - ZERO);
        k++;
      }
    }
    let exponent = false;
    c = frame.charCodeAt(i);
    if (c === LOWER_E || c === UPPER_E) {
      exponent = true;
      i++;
      c = frame.charCodeAt(i);
      if (c === PLUS || c === MINUS) i++;
      if (!isDigit(frame.charCodeAt(i))) return false;
      while (isDigit(frame.charCodeAt(i))) i++;
    }
    this.end = i;
    this.plainInt = !neg && k === 0 && !exponent;
    if (exponent || m > Number.MAX_SAFE_INTEGER || k > 22) this.value = Number(frame.slice(start, i));
    else {
      const v = k === 0 ? m : m / POW10[k]!;
      this.value = neg ? -v : v;
    }
    return true;
  }
}
