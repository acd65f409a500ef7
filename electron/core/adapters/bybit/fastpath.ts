/**
 * A hand-written scanner for Bybit `publicTrade` frames, the frames that carry a Bybit feed's
 * volume (up to ~50 trades each).
 *
 * Why it exists (measured, issue 5): on the replay bench (20 trades a frame) the pipeline reached
 * 0.47x of the bare ws+JSON.parse ceiling against a 0.8 target; `BybitParser.parse`, mostly
 * JSON.parse, was ~44% of the pipeline's self time and the garbage collector another 18%, largely
 * the per-trade objects (10 properties, 6 strings) JSON.parse builds only for us to read 6 fields.
 *
 * Unlike Binance, Bybit's key order differs between spot and linear and fields come and go (`L`,
 * `BT`, `RPI`, `seq`), so this reads each flat object key by key, in any order:
 *   {"topic":"publicTrade.<SYM>", <scalar members in any order>, "data":[{<scalars>}, ...], ...}
 * where a scalar is a string without escapes, a JSON number, true, false or null. It takes a frame
 * only when it can give exactly what BybitParser's JSON.parse path gives; anything else (no
 * leading topic, a frame that is not ASCII (json-scan.ts), whitespace, escapes, a nested value, a
 * repeated "topic" or "data", a data that is not an array, an entry the general path would reject,
 * a non-string non-number `i`) returns null and the caller uses the general path, which also
 * reports errors. A repeated key inside a trade
 * keeps the last value, as JSON.parse does. test/unit/adapters/bybit-fastpath.test.ts proves it
 * differentially over recorded and fuzzed frames.
 */
import type { Trade } from '../../../../shared/domain';
import { ascii, at, BACKSLASH, type Bytes, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, DOT, MarketScanner, NUM, OPEN_BRACE, OPEN_BRACKET, QUOTE, STR } from '../json-scan';

const HEAD = ascii('{"topic":"publicTrade.');
const BUY = ascii('Buy');
const SELL = ascii('Sell');
const K_DATA = ascii('data');
const K_TOPIC = ascii('topic');
/** Where the topic's text begins: after `{"topic":"`. */
export const TOPIC_START = 10;
const LOWER_P = 112;

// One-letter keys of a trade entry, by char code.
const K_P = 112; // p: price
const K_V = 118; // v: size
const K_T = 84; // T: trade time
const K_SIDE = 83; // S: taker side
const K_I = 105; // i: trade id
const K_SYM = 115; // s: symbol

/** A field not seen in the entry (STR, NUM, OTHER from json-scan.ts say how it was written). */
const ABSENT = 0;

export class PublicTradeFastPath extends MarketScanner<string> {
  // Per entry. Price, size and time as the general path's num() reads them (NaN when absent or
  // not a number); the id and the two strings as kind plus [start, end) of the body (or the number).
  private price = NaN;
  private size = NaN;
  private time = NaN;
  private iKind = ABSENT; private iStart = 0; private iEnd = 0; private iNum = 0;
  private sKind = ABSENT; private sStart = 0; private sEnd = 0;
  private sideKind = ABSENT; private sideStart = 0; private sideEnd = 0;

  /**
   * The trades in the frame `text` (`bytes`: as received, where the runtime has them), or null
   * when it is not a frame this can read exactly (use JSON.parse).
   */
  scan(text: string, receivedAt: number, bytes?: Bytes): Trade[] | null {
    const frame = this.begin(text, bytes);
    return frame === null ? null : this.read(frame, receivedAt);
  }

  private read(frame: Bytes, receivedAt: number): Trade[] | null {
    // The topic's first letter first: the cheapest way to turn other topics away.
    if (frame[TOPIC_START]! !== LOWER_P || !at(frame, HEAD, 0) || !this.string(frame, TOPIC_START)) return null;
    const topicEnd = this.end;
    // As the general path: the native symbol is what follows the topic's last dot.
    const nativeStart = frame.lastIndexOf(DOT, topicEnd - 1) + 1;
    let trades: Trade[] | null = null;
    let i = topicEnd + 1;
    for (;;) {
      const c = frame[i]!;
      if (c === CLOSE_BRACE) break;
      if (c !== COMMA || !this.key(frame, i + 1)) return null;
      const valueAt = this.end;
      if (this.keyIs(frame, K_DATA)) {
        if (trades !== null || frame[valueAt]! !== OPEN_BRACKET) return null;
        trades = this.entries(frame, valueAt + 1, nativeStart, topicEnd, receivedAt);
        if (trades === null) return null;
      } else if (this.keyIs(frame, K_TOPIC)) {
        return null; // a second topic would win in JSON.parse
      } else if (!this.scalar(frame, valueAt)) return null;
      i = this.end;
    }
    if (i + 1 !== frame.length || trades === null) return null;
    return trades;
  }

  /** The entries of the data array from `i` (after `[`); end = after `]`. */
  private entries(frame: Bytes, i: number, nativeStart: number, topicEnd: number, receivedAt: number): Trade[] | null {
    const out: Trade[] = [];
    if (frame[i]! === CLOSE_BRACKET) {
      this.end = i + 1;
      return out;
    }
    for (;;) {
      if (frame[i]! !== OPEN_BRACE || !this.entry(frame, i + 1)) return null;
      i = this.end; // before trade(): its number reads move `end`
      const trade = this.trade(frame, nativeStart, topicEnd, receivedAt);
      if (trade === null) return null;
      out.push(trade);
      const c = frame[i]!;
      if (c === CLOSE_BRACKET) {
        this.end = i + 1;
        return out;
      }
      if (c !== COMMA) return null;
      i++;
    }
  }

  /**
   * One flat trade object's members from `i` (after `{`) into the fields; end = after `}`.
   * Measured on this machine, walking the frame costs ~2 ns a byte, so each byte is read once: a
   * one-letter key is recognised from its four bytes without the string loop, and price, size and
   * time are read as numbers where they stand (not found first, then read again).
   */
  private entry(frame: Bytes, i: number): boolean {
    this.iKind = this.sKind = this.sideKind = ABSENT;
    this.price = this.size = this.time = NaN;
    if (frame[i]! === CLOSE_BRACE) return false; // {}: the general path reports it
    for (;;) {
      const letter = frame[i + 1]!;
      let valueAt: number;
      let key = 0;
      // `"x":` with x a character a JSON string may hold as is: a one-letter key.
      if (frame[i]! === QUOTE && frame[i + 2]! === QUOTE && frame[i + 3]! === COLON && letter >= 0x20 && letter !== QUOTE && letter !== BACKSLASH) {
        key = letter;
        valueAt = i + 4;
      } else {
        if (!this.key(frame, i)) return false;
        valueAt = this.end;
      }
      if (key === K_P || key === K_V || key === K_T) {
        if (!this.numberField(frame, valueAt)) return false;
        if (key === K_P) this.price = this.value;
        else if (key === K_V) this.size = this.value;
        else this.time = this.value;
      } else {
        if (!this.scalar(frame, valueAt)) return false;
        if (key !== 0) this.keep(key);
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

  /**
   * The scalar at `i` as the general path's num() reads it, in `value`: a decimal string read in
   * place, any other non-empty string through Number(), a number as is, anything else NaN; end =
   * after it. False when it is not a scalar this reads.
   */
  private numberField(frame: Bytes, i: number): boolean {
    if (frame[i]! === QUOTE && this.decimalString(frame, i + 1)) {
      this.end++;
      return true;
    }
    if (!this.scalar(frame, i)) return false;
    if (this.scalarKind === STR) {
      const bodyEnd = this.end - 1;
      this.value = bodyEnd === this.scalarStart ? NaN : Number(this.text.slice(this.scalarStart, bodyEnd));
    } else if (this.scalarKind !== NUM) this.value = NaN;
    return true;
  }

  /** Keeps the string or number just read if `key` is the id, symbol or side (last one wins). */
  private keep(key: number): void {
    const kind = this.scalarKind;
    const start = this.scalarStart;
    const end = kind === STR ? this.end - 1 : this.end;
    // Plain assignments, no destructuring: this runs for every member of every trade.
    switch (key) {
      case K_I: this.iKind = kind; this.iStart = start; this.iEnd = end; this.iNum = this.value; break;
      case K_SYM: this.sKind = kind; this.sStart = start; this.sEnd = end; break;
      case K_SIDE: this.sideKind = kind; this.sideStart = start; this.sideEnd = end; break;
    }
  }

  /** The general path's Trade from the fields, or null where it would report the entry instead. */
  private trade(frame: Bytes, nativeStart: number, topicEnd: number, receivedAt: number): Trade | null {
    const { price, size, time } = this;
    // As the general path: a price or size that reads as Infinity ("1e400", 309+ digits) is bad.
    if (!(price > 0 && price < Infinity) || !(size > 0 && size < Infinity) || !Number.isFinite(time)) return null;
    let id: string;
    if (this.iKind === STR) id = this.text.slice(this.iStart, this.iEnd);
    else if (this.iKind === NUM) id = String(this.iNum);
    else return null; // String(undefined | true | null): not worth matching here
    const symbol = this.sKind === STR ? this.symbolAt(frame, this.sStart, this.sEnd) : this.symbolAt(frame, nativeStart, topicEnd);
    if (symbol === '') return null; // the general path reports it
    let side: Trade['side'] = 'unknown';
    if (this.sideKind === STR) {
      const n = this.sideEnd - this.sideStart;
      if (n === 3 && at(frame, BUY, this.sideStart)) side = 'buy';
      else if (n === 4 && at(frame, SELL, this.sideStart)) side = 'sell';
    }
    return { type: 'trade', exchange: this.exchange, market: this.market, symbol, price, size, side, time, receivedAt, id };
  }
}
