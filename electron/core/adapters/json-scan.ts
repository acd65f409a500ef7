/**
 * Scanning primitives for the hand-written frame fast paths (binance/fastpath.ts,
 * binance/depth-fastpath.ts, bybit/fastpath.ts, bybit/depth-fastpath.ts). They read JSON values
 * straight out of a frame's text with charCodeAt and build numbers from their digits without
 * substrings, so a trade or a book level costs no intermediate objects.
 *
 * Every primitive accepts only what it can read EXACTLY as JSON.parse (and Number()) would, and
 * answers false otherwise, so a fast path built on them can always decline and let the general
 * JSON.parse path handle (and report) the frame.
 *
 * Numbers: a decimal with mantissa m < 2^53 and k <= 22 fraction digits is m / 10^k, both exact
 * doubles, so one IEEE division gives the correctly rounded value, the same double Number() and
 * JSON.parse give. Outside that range it falls back to Number(substring), which is exact too.
 */

import type { MarketType } from '../../../shared/domain';

export const QUOTE = 34;
const BACKSLASH = 92;
const DOT = 46;
const MINUS = 45;
const PLUS = 43;
const ZERO = 48;
const NINE = 57;
const LOWER_E = 101;
const UPPER_E = 69;
export const COMMA = 44;
export const CLOSE_BRACE = 125;
export const LOWER_T = 116;
export const LOWER_F = 102;
export const LOWER_N = 110;
export const COLON = 58;
export const OPEN_BRACKET = 91;
export const CLOSE_BRACKET = 93;
export const OPEN_BRACE = 123;

/** What scalar() read: a string (body kept), a number (value kept), or true/false/null. */
export const STR = 1;
export const NUM = 2;
export const OTHER = 3;

/** 10^0 .. 10^22: every one is an exact double. */
const POW10: number[] = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

const isDigit = (c: number): boolean => c >= ZERO && c <= NINE;

/**
 * `lit` at `pos` in `frame`. indexOf compares with memcmp and was ~3x faster here than
 * startsWith(lit, pos) or a charCodeAt loop; on a mismatch it scans on (bounded by the frame),
 * which only happens for frames that go to JSON.parse anyway.
 */
export const at = (frame: string, lit: string, pos: number): boolean => frame.indexOf(lit, pos) === pos;

/** Set TICKSCOPE_NO_FASTPATH=1 to parse every frame with JSON.parse (A/B benchmarks, debugging). */
export function fastPathDisabled(): boolean {
  const v = process.env.TICKSCOPE_NO_FASTPATH;
  return v !== undefined && v !== '' && v !== '0';
}

/**
 * Results of the last primitive live in fields (`end`, `value`, `plainInt`), not in returned
 * objects: one scanner per connection, no allocation per value.
 */
export class JsonScanner {
  /** First index after what the last primitive read (for strings: the closing quote). */
  protected end = 0;
  /** The number the last numeric primitive read. */
  protected value = 0;
  /** The last jsonNumber() was digits only (no sign, fraction or exponent). */
  protected plainInt = false;
  /** Kind of the last scalar() (STR, NUM, OTHER) and, for strings, its body [scalarStart, end - 1). */
  protected scalarKind = OTHER;
  protected scalarStart = 0;
  /** The text of the last key() is frame[keyStart, keyEnd). */
  protected keyStart = 0;
  protected keyEnd = 0;

  /** `true` -> 1, `false` -> 0, anything else -1; end = first index after it. */
  protected bool(frame: string, i: number): number {
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

  /** `null` at i; end = first index after it. */
  protected nullAt(frame: string, i: number): boolean {
    if (frame.charCodeAt(i) !== LOWER_N || !at(frame, 'null', i)) return false;
    this.end = i + 4;
    return true;
  }

  /** A JSON string body from `start` without escapes or control characters; end = closing quote. */
  protected string(frame: string, start: number): boolean {
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
  protected decimalString(frame: string, start: number): boolean {
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
  protected jsonNumber(frame: string, start: number): boolean {
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

  /** A member's `"<key>":` at `i` (its quote), key text without escapes; end = where the value starts. */
  protected key(frame: string, i: number): boolean {
    if (frame.charCodeAt(i) !== QUOTE || !this.string(frame, i + 1)) return false;
    this.keyStart = i + 1;
    this.keyEnd = this.end;
    if (frame.charCodeAt(this.end + 1) !== COLON) return false;
    this.end += 2;
    return true;
  }

  /** The last key() is `name` (compared in place: no substring per key). */
  protected keyIs(frame: string, name: string): boolean {
    const start = this.keyStart;
    if (this.keyEnd - start !== name.length) return false;
    for (let k = 0; k < name.length; k++) if (frame.charCodeAt(start + k) !== name.charCodeAt(k)) return false;
    return true;
  }

  /**
   * A string without escapes, a JSON number, true, false or null at `i`; end = first index after
   * it; scalarKind says which (strings keep their body's start in scalarStart).
   */
  protected scalar(frame: string, i: number): boolean {
    const c = frame.charCodeAt(i);
    if (c === QUOTE) {
      if (!this.string(frame, i + 1)) return false;
      this.scalarKind = STR;
      this.scalarStart = i + 1;
      this.end++;
      return true;
    }
    this.scalarKind = OTHER;
    this.scalarStart = i;
    if (c === LOWER_T || c === LOWER_F) return this.bool(frame, i) >= 0;
    if (c === LOWER_N) return this.nullAt(frame, i);
    if (!this.jsonNumber(frame, i)) return false;
    this.scalarKind = NUM;
    return true;
  }

  /**
   * Book levels as Binance and Bybit write them, `[["<price>","<size>"],...]` at `i` (the `[`),
   * each level exactly two decimalString()s, as [price, size] numbers; end = after the `]`.
   * Null for any other shape (a third element, a number instead of a string, whitespace) and for
   * a level the venues' general paths reject (price not > 0, either one Infinity), so the caller
   * declines and the general path reports the frame. Sizes cannot be negative here (no sign is
   * read); "0" gives +0, a removal.
   */
  protected levels(frame: string, i: number): [number, number][] | null {
    if (frame.charCodeAt(i) !== OPEN_BRACKET) return null;
    const out: [number, number][] = [];
    i++;
    if (frame.charCodeAt(i) === CLOSE_BRACKET) {
      this.end = i + 1;
      return out;
    }
    for (;;) {
      if (frame.charCodeAt(i) !== OPEN_BRACKET || frame.charCodeAt(i + 1) !== QUOTE || !this.decimalString(frame, i + 2)) return null;
      const price = this.value;
      i = this.end; // the price's closing quote
      if (frame.charCodeAt(i + 1) !== COMMA || frame.charCodeAt(i + 2) !== QUOTE || !this.decimalString(frame, i + 3)) return null;
      const size = this.value;
      i = this.end; // the size's closing quote
      if (frame.charCodeAt(i + 1) !== CLOSE_BRACKET) return null;
      if (!(price > 0 && price < Infinity) || size === Infinity) return null;
      out.push([price, size]);
      const c = frame.charCodeAt(i + 2);
      i += 3;
      if (c === CLOSE_BRACKET) {
        this.end = i;
        return out;
      }
      if (c !== COMMA) return null;
    }
  }
}

/**
 * A one-entry cache of the last native symbol's canonical name, compared in place in the frame,
 * so a run of trades of one market costs no substring per trade. `canonical` is the parser's own
 * native -> canonical mapping; `stable(native)` says whether its answer for that native can never
 * change during the connection (only then is it cached).
 */
export class SymbolCache<S extends string | null> {
  private native = '';
  private symbol = '';

  constructor(
    private readonly canonical: (native: string) => S,
    private readonly stable: (native: string) => boolean,
  ) {}

  /** The canonical symbol of the native name at frame[start, end). */
  at(frame: string, start: number, end: number): S {
    const cached = this.native;
    if (cached.length === end - start && cached.length > 0 && at(frame, cached, start)) return this.symbol as S;
    const native = frame.slice(start, end);
    const symbol = this.canonical(native);
    if (symbol !== null && this.stable(native)) {
      this.native = native;
      this.symbol = symbol;
    }
    return symbol;
  }
}

/** A venue scanner's context: the records' exchange and market, and its SymbolCache. */
export class MarketScanner<S extends string | null> extends JsonScanner {
  protected readonly symbols: SymbolCache<S>;

  constructor(
    protected readonly exchange: string,
    protected readonly market: MarketType,
    canonical: (native: string) => S,
    stable: (native: string) => boolean,
  ) {
    super();
    this.symbols = new SymbolCache(canonical, stable);
  }
}
