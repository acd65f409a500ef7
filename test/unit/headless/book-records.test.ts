import { describe, expect, it } from 'vitest';
import type { BookView } from '../../../shared/books';
import { BookRecords } from '../../../electron/core/headless/book-records';
import { parseHeadlessArgs, UsageError } from '../../../electron/core/headless/args';

function view(symbol: string, receivedAt: number, state: BookView['state'] = 'valid'): BookView {
  return { exchange: 'simulator', market: 'spot', symbol, state, bids: state === 'valid' ? [[100, 1]] : [], asks: state === 'valid' ? [[101, 2]] : [], time: receivedAt - 5, receivedAt, resyncs: 0 };
}

describe('BookRecords (headless --emit book)', () => {
  it('writes a changed valid book once per call, in the documented shape, and skips unchanged or invalid books', () => {
    const r = new BookRecords();
    expect(r.due([view('BTC-USDT', 10), view('ETH-USDT', 10, 'resyncing')])).toEqual([
      { type: 'book', exchange: 'simulator', market: 'spot', symbol: 'BTC-USDT', bids: [[100, 1]], asks: [[101, 2]], time: 5, receivedAt: 10 },
    ]);
    expect(r.due([view('BTC-USDT', 10)])).toEqual([]); // unchanged since its last record
    expect(r.due([view('BTC-USDT', 20)]).map((x) => x.receivedAt)).toEqual([20]);
  });

  it('final: one record per market whatever its state', () => {
    const r = new BookRecords();
    const out = r.final([view('BTC-USDT', 10), view('ETH-USDT', 10, 'resyncing')]);
    expect(out.map((x) => [x.symbol, x.bids.length])).toEqual([['BTC-USDT', 1], ['ETH-USDT', 0]]);
    expect(JSON.stringify(out[0])).toBe('{"type":"book","exchange":"simulator","market":"spot","symbol":"BTC-USDT","bids":[[100,1]],"asks":[[101,2]],"time":5,"receivedAt":10}');
  });
});

describe('headless args: book', () => {
  it('--emit book and --book-depth (default 20); a bad depth names the flag', () => {
    expect(parseHeadlessArgs(['--emit', 'book']).emit).toEqual(new Set(['book']));
    expect(parseHeadlessArgs([]).bookDepth).toBe(20);
    expect(parseHeadlessArgs(['--book-depth', '5']).bookDepth).toBe(5);
    expect(parseHeadlessArgs([]).emit.has('book')).toBe(false);
    expect(() => parseHeadlessArgs(['--book-depth', '0'])).toThrow(UsageError);
    expect(() => parseHeadlessArgs(['--book-depth', 'x'])).toThrow(/--book-depth: "x"/);
  });
});
