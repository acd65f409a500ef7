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
 * leading topic, whitespace, escapes, a nested value, a repeated "topic" or "data", a data that is
 * not an array, an entry the general path would reject, a non-string non-number `i`) returns null
 * and the caller uses the general path, which also reports errors. A repeated key inside a trade
 * keeps the last value, as JSON.parse does. test/unit/adapters/bybit-fastpath.test.ts proves it
 * differentially over recorded and fuzzed frames.
 */
import type { Trade } from '../../../../shared/domain';
import { at, CLOSE_BRACE, CLOSE_BRACKET, COMMA, MarketScanner, NUM, OPEN_BRACE, OPEN_BRACKET, STR } from '../json-scan';

const HEAD = '{"topic":"publicTrade.';
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
  // Per entry: kind and either [start, end) of the string body or the number.
  private pKind = ABSENT; private pStart = 0; private pEnd = 0; private pNum = 0;
  private vKind = ABSENT; private vStart = 0; private vEnd = 0; private vNum = 0;
  private tKind = ABSENT; private tStart = 0; private tEnd = 0; private tNum = 0;
  private iKind = ABSENT; private iStart = 0; private iEnd = 0; private iNum = 0;
  private sKind = ABSENT; private sStart = 0; private sEnd = 0;
  private sideKind = ABSENT; private sideStart = 0; private sideEnd = 0;

  /** The trades in `frame`, or null when it is not a frame this can read exactly (use JSON.parse). */
  scan(frame: string, receivedAt: number): Trade[] | null {
    // The topic's first letter first: at() on another topic would search the whole frame.
    if (frame.charCodeAt(TOPIC_START) !== LOWER_P || !at(frame, HEAD, 0) || !this.string(frame, TOPIC_START)) return null;
    const topicEnd = this.end;
    // As the general path: the native symbol is what follows the topic's last dot.
    const nativeStart = frame.lastIndexOf('.', topicEnd - 1) + 1;
    let trades: Trade[] | null = null;
    let i = topicEnd + 1;
    for (;;) {
      const c = frame.charCodeAt(i);
      if (c === CLOSE_BRACE) break;
      if (c !== COMMA || !this.key(frame, i + 1)) return null;
      const valueAt = this.end;
      if (this.keyIs(frame, 'data')) {
        if (trades !== null || frame.charCodeAt(valueAt) !== OPEN_BRACKET) return null;
        trades = this.entries(frame, valueAt + 1, nativeStart, topicEnd, receivedAt);
        if (trades === null) return null;
      } else if (this.keyIs(frame, 'topic')) {
        return null; // a second topic would win in JSON.parse
      } else if (!this.scalar(frame, valueAt)) return null;
      i = this.end;
    }
    if (i + 1 !== frame.length || trades === null) return null;
    return trades;
  }

  /** The entries of the data array from `i` (after `[`); end = after `]`. */
  private entries(frame: string, i: number, nativeStart: number, topicEnd: number, receivedAt: number): Trade[] | null {
    const out: Trade[] = [];
    if (frame.charCodeAt(i) === CLOSE_BRACKET) {
      this.end = i + 1;
      return out;
    }
    for (;;) {
      if (frame.charCodeAt(i) !== OPEN_BRACE || !this.entry(frame, i + 1)) return null;
      i = this.end; // before trade(): its number reads move `end`
      const trade = this.trade(frame, nativeStart, topicEnd, receivedAt);
      if (trade === null) return null;
      out.push(trade);
      const c = frame.charCodeAt(i);
      if (c === CLOSE_BRACKET) {
        this.end = i + 1;
        return out;
      }
      if (c !== COMMA) return null;
      i++;
    }
  }

  /** One flat trade object's members from `i` (after `{`) into the fields; end = after `}`. */
  private entry(frame: string, i: number): boolean {
    this.pKind = this.vKind = this.tKind = this.iKind = this.sKind = this.sideKind = ABSENT;
    if (frame.charCodeAt(i) === CLOSE_BRACE) return false; // {}: the general path reports it
    for (;;) {
      if (!this.key(frame, i)) return false;
      const oneLetter = this.keyEnd - this.keyStart === 1 ? frame.charCodeAt(this.keyStart) : 0;
      if (!this.scalar(frame, this.end)) return false;
      if (oneLetter !== 0) this.keep(oneLetter);
      i = this.end;
      const c = frame.charCodeAt(i);
      if (c === CLOSE_BRACE) {
        this.end = i + 1;
        return true;
      }
      if (c !== COMMA) return false;
      i++;
    }
  }

  /** Keeps the scalar just read if `key` is one of the trade's fields (last one wins). */
  private keep(key: number): void {
    const kind = this.scalarKind;
    const start = this.scalarStart;
    const end = kind === STR ? this.end - 1 : this.end;
    // Plain assignments, no destructuring: this runs for every member of every trade.
    switch (key) {
      case K_P: this.pKind = kind; this.pStart = start; this.pEnd = end; this.pNum = this.value; break;
      case K_V: this.vKind = kind; this.vStart = start; this.vEnd = end; this.vNum = this.value; break;
      case K_T: this.tKind = kind; this.tStart = start; this.tEnd = end; this.tNum = this.value; break;
      case K_I: this.iKind = kind; this.iStart = start; this.iEnd = end; this.iNum = this.value; break;
      case K_SYM: this.sKind = kind; this.sStart = start; this.sEnd = end; break;
      case K_SIDE: this.sideKind = kind; this.sideStart = start; this.sideEnd = end; break;
    }
  }

  /** The general path's Trade from the fields, or null where it would report the entry instead. */
  private trade(frame: string, nativeStart: number, topicEnd: number, receivedAt: number): Trade | null {
    const price = this.number(frame, this.pKind, this.pStart, this.pEnd, this.pNum);
    const size = this.number(frame, this.vKind, this.vStart, this.vEnd, this.vNum);
    const time = this.number(frame, this.tKind, this.tStart, this.tEnd, this.tNum);
    // As the general path: a price or size that reads as Infinity ("1e400", 309+ digits) is bad.
    if (!(price > 0 && price < Infinity) || !(size > 0 && size < Infinity) || !Number.isFinite(time)) return null;
    let id: string;
    if (this.iKind === STR) id = frame.slice(this.iStart, this.iEnd);
    else if (this.iKind === NUM) id = String(this.iNum);
    else return null; // String(undefined | true | null): not worth matching here
    const symbol = this.sKind === STR ? this.symbols.at(frame, this.sStart, this.sEnd) : this.symbols.at(frame, nativeStart, topicEnd);
    if (symbol === '') return null; // the general path reports it
    let side: Trade['side'] = 'unknown';
    if (this.sideKind === STR) {
      const n = this.sideEnd - this.sideStart;
      if (n === 3 && at(frame, 'Buy', this.sideStart)) side = 'buy';
      else if (n === 4 && at(frame, 'Sell', this.sideStart)) side = 'sell';
    }
    return { type: 'trade', exchange: this.exchange, market: this.market, symbol, price, size, side, time, receivedAt, id };
  }

  /** The general path's num(): a non-empty string through Number(), a number as is, else NaN. */
  private number(frame: string, kind: number, start: number, end: number, value: number): number {
    if (kind === NUM) return value;
    if (kind !== STR || end === start) return NaN;
    if (this.decimalString(frame, start) && this.end === end) return this.value;
    return Number(frame.slice(start, end));
  }
}
