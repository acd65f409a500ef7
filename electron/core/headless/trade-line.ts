/**
 * A trade's NDJSON line written straight into bytes, equal byte for byte to JSON.stringify(trade).
 *
 * Why: the headless runner prints every trade. Measured (npm run bench, CPU profile of the
 * runner), JSON.stringify of the trades was a quarter of the runner's CPU, as much again as the
 * whole pipeline's work per trade: mostly V8 formatting the doubles (size, time, receivedAt) and
 * building, joining and UTF-8 encoding the strings. Here the market's part of the line is encoded
 * once per market, numbers are written as digits from integer arithmetic, and nothing is
 * allocated per trade.
 *
 * Equal to JSON.stringify by construction, or not used: a trade is written here only when its own
 * keys are exactly those adapters create, in that order (JSON.stringify follows key order), with
 * values of the expected types and side one of the three (an id is a string: one of printable
 * ASCII needing no escape is copied, any other escaped by JSON.stringify itself). Anything else
 * returns -1 and the caller falls back to JSON.stringify. A number is
 * written by hand only where its shortest decimal form is provably what JSON.stringify prints
 * (see writeNumber); any other number goes through String(). Differential tests:
 * test/unit/headless/trade-line.test.ts.
 */
import type { Trade } from '../../../shared/domain';
import { ascii } from '../util/ascii';
import { MarketMap } from '../util/market-map';

/** The keys of a Trade in the order every adapter creates them (`id` may be absent). */
const KEYS = ['type', 'exchange', 'market', 'symbol', 'price', 'size', 'side', 'time', 'receivedAt', 'id'] as const;

/**
 * Most bytes a line takes besides its market prefix and id: 4 numbers of at most 24 characters
 * (String() of a double, e.g. "-1.2345678901234567e-308"), the keys, side, quotes, `}` and `\n`.
 */
export const TRADE_LINE_SPARE = 160;

const SIZE = ascii(',"size":');
const SIDE_BUY = ascii(',"side":"buy","time":');
const SIDE_SELL = ascii(',"side":"sell","time":');
const SIDE_UNKNOWN = ascii(',"side":"unknown","time":');
const RECEIVED_AT = ascii(',"receivedAt":');
const ID = ascii(',"id":"');

const ZERO = 48;
const QUOTE = 34;
const BACKSLASH = 92;

/** TypedArray set(): measured ~5x faster than a byte loop for the 80-byte market part. */
function copy(buf: Uint8Array, pos: number, bytes: Uint8Array): number {
  buf.set(bytes, pos);
  return pos + bytes.length;
}

/** "00" to "99": two digits per division. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, i) => ZERO + (i & 1 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)));

/** Exactly `width` digits of an integer 0 <= v < 10^width (< 2^31), zero-padded. */
function writePadded(buf: Uint8Array, pos: number, v: number, width: number): number {
  let i = pos + width - 1;
  for (; i > pos; i -= 2) {
    const q = (v / 100) | 0;
    const r = (v - q * 100) << 1;
    buf[i - 1] = PAIRS[r]!;
    buf[i] = PAIRS[r + 1]!;
    v = q;
  }
  if (i === pos) buf[i] = ZERO + v;
  return pos + width;
}

/** Number of digits of an integer 0 <= v < 2^31. */
function digits(v: number): number {
  return v < 100_000 ? (v < 100 ? (v < 10 ? 1 : 2) : v < 1_000 ? 3 : v < 10_000 ? 4 : 5) : v < 10_000_000 ? (v < 1_000_000 ? 6 : 7) : v < 100_000_000 ? 8 : v < 1_000_000_000 ? 9 : 10;
}

/** Digits of an integer 0 <= v < 2^31. */
function writeSmall(buf: Uint8Array, pos: number, v: number): number {
  return writePadded(buf, pos, v, digits(v));
}

/**
 * Digits of an integer 0 <= v < 1e15 (epoch ms and the like): two int32 halves. Int32 values are
 * kept as such (`| 0`): V8 then divides and takes remainders with integer instructions, where a
 * float64 remainder is a call into C (measured: the larger part of a number's cost here).
 */
function writeUint(buf: Uint8Array, pos: number, v: number): number {
  if (v < 2_147_483_648) return writeSmall(buf, pos, v | 0);
  // hi < 1e7 and lo in [0, 1e8): v / 1e8 is within 2e-9 of its exact value, far from the next
  // integer (1e-8 away at least) unless it is one, so the floor is exact.
  const hi = Math.floor(v / 1e8);
  const lo = (v - hi * 1e8) | 0;
  return writePadded(buf, writeSmall(buf, pos, hi | 0), lo, 8);
}

/**
 * JSON.stringify(n), into bytes. Three cases:
 * - an integer below 1e15 in magnitude: its digits (JSON.stringify prints integers below 1e21 in
 *   full; -0 prints as 0);
 * - 1e-6 <= n < 1e7 with at most 8 decimals (prices, sizes): if m = round(n * 1e8) gives back n
 *   exactly as m / 1e8 (one correctly rounded division, the same double that parsing the decimal
 *   m * 10^-8 gives), that decimal, trailing zeros dropped, is n's shortest round-trip form: it has
 *   at most 15 significant digits, and two different decimals of at most 15 digits never parse to
 *   the same double, so no shorter one exists; at 1e-6 and above JavaScript prints it without an
 *   exponent;
 * - anything else: String(n) (null for NaN and the infinities, as JSON.stringify).
 */
export function writeNumber(buf: Uint8Array, pos: number, n: number): number {
  if (Number.isInteger(n)) {
    if (n === 0) {
      buf[pos] = ZERO;
      return pos + 1;
    }
    if (n > 0 && n < 1e15) return writeUint(buf, pos, n);
    if (n < 0 && n > -1e15) {
      buf[pos] = 45; // '-'
      return writeUint(buf, pos + 1, -n);
    }
  } else if (n >= 1e-6 && n < 1e7) {
    const m = Math.round(n * 1e8);
    if (m / 1e8 === n) {
      const int = n | 0; // n < 1e7: truncation is the floor
      let frac = (m - int * 1e8) | 0;
      pos = writeSmall(buf, pos, int);
      buf[pos++] = 46; // '.'
      let width = 8;
      while (frac % 100 === 0) {
        frac = (frac / 100) | 0;
        width -= 2;
      }
      if (frac % 10 === 0) {
        frac = (frac / 10) | 0;
        width--;
      }
      return writePadded(buf, pos, frac, width);
    }
  }
  const s = Number.isFinite(n) ? String(n) : 'null';
  for (let i = 0; i < s.length; i++) buf[pos + i] = s.charCodeAt(i);
  return pos + s.length;
}

/** side as a small code in packed trades (ndjson-chunk.ts): 0 buy, 1 sell, 2 unknown. */
export const SIDE_BUY_CODE = 0;
export const SIDE_SELL_CODE = 1;
export const SIDE_UNKNOWN_CODE = 2;
const SIDE_BYTES = [SIDE_BUY, SIDE_SELL, SIDE_UNKNOWN];

/** A market's place in the formatter's table and its encoded part of the line. */
export interface MarketSlot {
  index: number;
  /** `{"type":"trade","exchange":...,"symbol":...,"price":` as UTF-8. */
  prefix: Uint8Array;
}

/**
 * Decides which trades may be written by hand (the ingest side): a trade qualifies when its own
 * keys are exactly those adapters create, in that order, and its market fields are strings; it
 * then gets its market's slot (encoded once per market, looked up without building a key).
 */
export class TradeVetter {
  private readonly slots = new MarketMap<MarketSlot>();
  /** Every slot's prefix by index (what a formatter in this same thread reads). */
  readonly prefixes: Uint8Array[] = [];
  private lastExchange = '';
  private lastMarket = '';
  private lastSymbol = '';
  private last: MarketSlot | null = null;

  slot(t: Trade): MarketSlot | null {
    // Own enumerable keys in creation order, as JSON.stringify sees them (for-in would also list
    // inherited enumerable ones: then the names do not match and JSON.stringify is used).
    let i = 0;
    for (const k in t) {
      if (k !== KEYS[i]) return null;
      i++;
    }
    if (i < KEYS.length - 1) return null;
    if (i === KEYS.length && typeof t.id !== 'string') return null; // an `id: undefined` is left out by JSON.stringify
    if (t.type !== 'trade') return null;
    const { exchange, market, symbol } = t;
    if (exchange === this.lastExchange && market === this.lastMarket && symbol === this.lastSymbol && this.last !== null) return this.last;
    if (typeof exchange !== 'string' || typeof market !== 'string' || typeof symbol !== 'string') return null;
    let slot = this.slots.get(exchange, market, symbol);
    if (slot === undefined) {
      const text = `{"type":"trade","exchange":${JSON.stringify(exchange)},"market":${JSON.stringify(market)},"symbol":${JSON.stringify(symbol)},"price":`;
      slot = { index: this.prefixes.length, prefix: new Uint8Array(Buffer.from(text, 'utf8')) };
      this.prefixes.push(slot.prefix);
      this.slots.set(exchange, market, symbol, slot);
    }
    this.lastExchange = exchange;
    this.lastMarket = market;
    this.lastSymbol = symbol;
    this.last = slot;
    return slot;
  }
}

/** The code of a trade's side, or -1 for a side JSON.stringify must write. */
export function sideCode(side: unknown): number {
  return side === 'buy' ? SIDE_BUY_CODE : side === 'sell' ? SIDE_SELL_CODE : side === 'unknown' ? SIDE_UNKNOWN_CODE : -1;
}

/**
 * Bytes an id of `length` UTF-16 units may take in a line at most: JSON.stringify escapes a
 * control character or a lone surrogate as 6 characters (\\u001f), and no unit takes more.
 */
export const idRoom = (length: number): number => 6 * length;

const utf8 = new TextEncoder();

/** A character JSON.stringify writes in a string as it is, one byte: printable ASCII but `"` and `\\`. */
const writtenAsIs = (c: number): boolean => c >= 0x20 && c <= 0x7e && c !== QUOTE && c !== BACKSLASH;

/**
 * Writes trade lines from their fields (the formatting side: the NDJSON worker thread, or the
 * ingest thread when there is none). Keeps the receive-time piece of the last line.
 */
export class TradeLineFormatter {
  private lastReceivedAt = NaN;
  private lastWithId = false;
  private receivedAtBytes: Uint8Array = new Uint8Array(0);

  /**
   * Writes the line and its newline at `pos` (room: prefix + TRADE_LINE_SPARE + idRoom(idLen));
   * the id is src.slice(idStart, idStart + idLen), or none when idLen < 0. `srcBytes`, when given,
   * holds the ids as ASCII bytes, at the same offsets (src is then unused): the id is copied from
   * there. Returns the end.
   */
  line(buf: Uint8Array, pos: number, prefix: Uint8Array, price: number, size: number, side: number, time: number, receivedAt: number, src: string, idStart: number, idLen: number, srcBytes: Uint8Array | null = null): number {
    pos = copy(buf, pos, prefix);
    pos = writeNumber(buf, pos, price);
    pos = copy(buf, pos, SIZE);
    pos = writeNumber(buf, pos, size);
    pos = copy(buf, pos, SIDE_BYTES[side]!);
    pos = writeNumber(buf, pos, time);
    // Every trade of a socket read has the same receive time (ms): `,"receivedAt":<digits>` and
    // the `,"id":"` after it are kept as one piece.
    const withId = idLen >= 0;
    if (receivedAt === this.lastReceivedAt && withId === this.lastWithId) pos = copy(buf, pos, this.receivedAtBytes);
    else {
      const start = pos;
      pos = writeNumber(buf, copy(buf, pos, RECEIVED_AT), receivedAt);
      if (withId) pos = copy(buf, pos, ID);
      this.lastReceivedAt = receivedAt;
      this.lastWithId = withId;
      this.receivedAtBytes = new Uint8Array(buf.subarray(start, pos)); // a copy: buf is reused
    }
    if (withId) {
      // Printable ASCII but `"` and `\\` (every venue's ids) is written as it is; any other id
      // as JSON.stringify escapes it, UTF-8 encoded (rare: not worth a fast path).
      let i = 0;
      if (srcBytes !== null) {
        // From bytes: ~2x faster a character than charCodeAt (adapters/json-scan.ts says why).
        for (; i < idLen; i++) {
          const c = srcBytes[idStart + i]!;
          if (!writtenAsIs(c)) break;
          buf[pos + i] = c;
        }
      } else {
        for (; i < idLen; i++) {
          const c = src.charCodeAt(idStart + i);
          if (!writtenAsIs(c)) break;
          buf[pos + i] = c;
        }
      }
      if (i === idLen) pos += idLen;
      else {
        const id = srcBytes !== null ? Buffer.from(srcBytes.buffer, srcBytes.byteOffset + idStart, idLen).toString('latin1') : src.slice(idStart, idStart + idLen);
        pos += utf8.encodeInto(JSON.stringify(id).slice(1, -1), buf.subarray(pos)).written;
      }
      buf[pos++] = QUOTE;
    }
    buf[pos++] = 125; // '}'
    buf[pos++] = 10; // '\n'
    return pos;
  }
}

/**
 * One trade at a time, in this thread: vetter and formatter together (what the differential
 * tests drive; the runner packs trades for its worker instead, ndjson-chunk.ts).
 */
export class TradeLineWriter {
  private readonly vetter = new TradeVetter();
  private readonly formatter = new TradeLineFormatter();
  private slot: MarketSlot | null = null;

  /** Bytes this trade's line may take at most, or -1 when JSON.stringify must write it. */
  room(t: Trade): number {
    this.slot = this.vetter.slot(t);
    if (this.slot === null) return -1;
    return this.slot.prefix.length + TRADE_LINE_SPARE + (typeof t.id === 'string' ? idRoom(t.id.length) : 0);
  }

  /** Writes `t`'s line (room(t) just before), or -1 when a value needs JSON.stringify after all. */
  write(buf: Uint8Array, pos: number, t: Trade): number {
    const { price, size, time, receivedAt, id } = t;
    if (typeof price !== 'number' || typeof size !== 'number' || typeof time !== 'number' || typeof receivedAt !== 'number') return -1;
    const side = sideCode(t.side);
    if (side < 0) return -1;
    return this.formatter.line(buf, pos, this.slot!.prefix, price, size, side, time, receivedAt, id ?? '', 0, id === undefined ? -1 : id.length);
  }
}
