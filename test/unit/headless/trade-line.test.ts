/**
 * The headless runner's hand-written trade lines (electron/core/headless/trade-line.ts) must be
 * byte for byte what JSON.stringify prints, for every number and every trade shape; anything the
 * writer does not handle must be refused (-1), so the caller falls back to JSON.stringify.
 */
import { describe, expect, it } from 'vitest';
import { getAdapter } from '../../../electron/core/adapters/index';
import type { ParserContext } from '../../../electron/core/adapters/adapter';
import { TradeLineWriter, writeNumber } from '../../../electron/core/headless/trade-line';
import type { Trade } from '../../../shared/domain';

function numberText(n: number): string {
  const buf = Buffer.alloc(64);
  return buf.toString('latin1', 0, writeNumber(buf, 0, n));
}

/** The line the writer makes, or null when it refuses the trade. */
function line(w: TradeLineWriter, t: Trade): string | null {
  const room = w.room(t);
  if (room < 0) return null;
  const buf = Buffer.alloc(room);
  const end = w.write(buf, 0, t);
  return end < 0 ? null : buf.toString('utf8', 0, end);
}

/** Mulberry32, so a failure names a reproducible case. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cases where the writer's text differs from JSON.stringify's (first few): expect() per case is slow. */
function mismatches(values: Iterable<number>): string[] {
  const bad: string[] = [];
  for (const n of values) {
    const got = numberText(n);
    if (got !== JSON.stringify(n) && bad.length < 5) bad.push(`${JSON.stringify(n)} written as ${got}`);
  }
  return bad;
}

const trade = (over: Partial<Trade> = {}): Trade => ({
  type: 'trade', exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', price: 64000.01, size: 0.00123,
  side: 'buy', time: 1_764_680_000_123, receivedAt: 1_764_680_000_125, id: '15683430', ...over,
});

describe('writeNumber prints what JSON.stringify prints', () => {
  it('edge cases: zero and -0, integer limits, the exponent thresholds, non-finite values', () => {
    const cases = [
      0, -0, 1, -1, 9, 10, 99, 100, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 1e8 - 1, 1e8, 1e8 + 1, 99_999_999_999_999, 1e15 - 1, 1e15, 1e15 + 2,
      2 ** 53, 1e21, 1e21 + 2 ** 20, -1e15 + 1, -(2 ** 31), 1.5, -1.5, 0.1, 0.2, 0.1 + 0.2, 0.3, 1 / 3, 2 / 3, 1e-6, 1.5e-6, 9.99999e-7,
      1e-7, 1e-8, 5e-324, Number.MIN_VALUE, Number.MAX_VALUE, Number.EPSILON, 9_999_999.99999999, 1e7 - 1e-8, 1e7, 1e7 + 0.5,
      1e7 - 0.5, 0.99999999, 0.999999999, 1.00000001, 123456.78901234, 57280.01, 0.058, 3521.5, 1.77, 1_764_680_000_123.456,
      1_764_680_000_123.5, NaN, Infinity, -Infinity, 4.35, 4.345, 1.005, 8.675309, 0.000123, 0.0000012, 65140.5, 0.002705,
    ];
    for (const n of cases) expect(numberText(n), String(n)).toBe(JSON.stringify(n));
  });

  it('prices and sizes with 0 to 8 decimals, in every magnitude the venues use (200,000 random)', () => {
    const r = rng(1);
    const values = Array.from({ length: 200_000 }, () => Number((r() * 10 ** Math.floor(r() * 14 - 7)).toFixed(Math.floor(r() * 9))));
    expect(mismatches(values)).toEqual([]);
  });

  it('arbitrary doubles, from random bits (100,000)', () => {
    const r = rng(2);
    const view = new DataView(new ArrayBuffer(8));
    const values = Array.from({ length: 100_000 }, () => {
      view.setUint32(0, Math.floor(r() * 2 ** 32));
      view.setUint32(4, Math.floor(r() * 2 ** 32));
      return view.getFloat64(0);
    });
    expect(mismatches(values)).toEqual([]);
  });

  it('sums and products that miss their decimal (0.1 + 0.2 style), and epoch times with fractions', () => {
    const r = rng(3);
    const values: number[] = [];
    for (let i = 0; i < 50_000; i++) {
      const a = Number((r() * 1000).toFixed(2));
      const b = Number((r() * 10).toFixed(5));
      values.push(a + b, a * b, a - b, b / 3, 1_764_680_000_000 + r() * 1e6, Math.round(1_764_680_000_000 + r() * 1e9));
    }
    expect(mismatches(values)).toEqual([]);
  });
});

describe('TradeLineWriter', () => {
  it('writes JSON.stringify(trade) and a newline for trades as the adapters make them', () => {
    const ctx = (exchange: string, toCanonical: (n: string) => string): ParserContext => ({
      exchange, market: 'spot', streams: [{ symbol: 'BTC-USDT', native: 'BTCUSDT', channel: 'trades' }], toCanonical,
    });
    const binanceAdapter = getAdapter('binance')!;
    const bybitAdapter = getAdapter('bybit')!;
    const binance = binanceAdapter.createParser(ctx('binance', (n) => binanceAdapter.toCanonical(n, 'spot')));
    const bybit = bybitAdapter.createParser(ctx('bybit', (n) => bybitAdapter.toCanonical(n, 'spot')));
    const trades = [
      ...binance.parse('{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1633998523963,"s":"BTCUSDT","a":15683430,"p":"57280.01000000","q":"0.05800000","f":19862790,"l":19862792,"T":1633998523961,"m":false,"M":true}}', 1_700_000_000_123),
      ...binance.parse('{"e":"aggTrade","E":1633998534486,"s":"BTCUSDT","a":9213679,"p":"3521.50000000","q":"1.77000000","f":12368013,"l":12368013,"T":1633998534485,"m":true,"M":true}', 1_700_000_000_124),
      ...bybit.parse('{"topic":"publicTrade.BTCUSDT","ts":1672304486868,"type":"snapshot","data":[{"i":"2290000000061666327","T":1672304486865,"p":"16578.5","v":"0.002705","S":"Buy","s":"BTCUSDT","BT":false},{"i":"2290000000061666328","T":1672304486866,"p":"16578.49","v":"1.5","S":"Sell","s":"BTCUSDT","BT":false}]}', 1_700_000_000_125),
    ].filter((e): e is Trade => e.type === 'trade');
    expect(trades).toHaveLength(4);
    const w = new TradeLineWriter();
    for (const t of trades) expect(line(w, t)).toBe(`${JSON.stringify(t)}\n`);
  });

  it('covers markets with quotes, backslashes and non-ASCII in their names (encoded once per market)', () => {
    const w = new TradeLineWriter();
    for (const symbol of ['BTC-USDT', 'ÄÖÜ-€', 'A"B', 'C\\D', 'E\u0001F', '\ud83d\ude00-X', 'BTC-USDT']) {
      for (const exchange of ['binance', 'bybit', 'x"y']) {
        const t = trade({ exchange, symbol, market: 'perp' });
        expect(line(w, t)).toBe(`${JSON.stringify(t)}\n`);
      }
    }
  });

  it('writes a trade without an id, and every side, time and size the venues send', () => {
    const w = new TradeLineWriter();
    const { id: _id, ...noId } = trade();
    // Same receive time throughout: the kept receive-time piece must follow the id's presence.
    for (const t of [noId as Trade, trade({ side: 'sell' }), noId as Trade, noId as Trade, trade(), trade({ side: 'unknown', time: 1_764_680_000_123.456 }), trade({ size: 2.5, price: 65140.5 })]) {
      expect(line(w, t)).toBe(`${JSON.stringify(t)}\n`);
    }
  });

  it('refuses what it would not print as JSON.stringify does: the caller then uses JSON.stringify', () => {
    const w = new TradeLineWriter();
    const base = trade();
    const reordered = { exchange: base.exchange, type: base.type, market: base.market, symbol: base.symbol, price: base.price, size: base.size, side: base.side, time: base.time, receivedAt: base.receivedAt, id: base.id } as Trade;
    const refused: unknown[] = [
      reordered,
      { ...base, extra: 1 },
      { ...base, id: undefined },
      trade({ side: 'Buy' as Trade['side'] }),
      { ...base, price: '1' },
      { ...base, time: null },
      { ...base, type: 'quote' },
      Object.assign(Object.create({ inherited: true }) as object, base),
    ];
    for (const t of refused) expect(line(w, t as Trade), JSON.stringify(t)).toBeNull();
  });

  it('writes an id that needs escaping or is not ASCII exactly as JSON.stringify does, in no more than the room it asked for', () => {
    const w = new TradeLineWriter();
    const ids = ['a"b', 'a\\b', 'é', '\n', '\u0001\u001f', 'trade-\u{1F600}', '\ud800 lone', '日本-1', '"'.repeat(40), '\u0000'.repeat(30)];
    for (const id of ids) {
      const t = trade({ id });
      const room = w.room(t);
      const buf = Buffer.alloc(room + 64, 0xee);
      const end = w.write(buf, 0, t);
      expect(buf.toString('utf8', 0, end), JSON.stringify(id)).toBe(JSON.stringify(t) + '\n');
      expect(end, JSON.stringify(id)).toBeLessThanOrEqual(room);
    }
  });

  it('200,000 random trades in several markets: every line equals JSON.stringify', () => {
    const r = rng(4);
    const w = new TradeLineWriter();
    const markets = [['binance', 'spot', 'BTC-USDT'], ['bybit', 'perp', 'ETH-USDT'], ['okx', 'spot', 'SOL-USDC']] as const;
    let recv = 1_764_680_000_000;
    for (let i = 0; i < 200_000; i++) {
      const [exchange, market, symbol] = markets[Math.floor(r() * markets.length)]!;
      if (r() < 0.3) recv += Math.floor(r() * 3);
      const t = trade({
        exchange, market, symbol,
        price: Number((r() * 100_000).toFixed(Math.floor(r() * 9))),
        size: Number((r() * 10).toFixed(Math.floor(r() * 9))),
        side: r() < 0.5 ? 'buy' : 'sell',
        time: recv - Math.floor(r() * 50),
        receivedAt: recv,
        id: String(i + 1_000_000_000),
      });
      const got = line(w, t);
      if (got !== `${JSON.stringify(t)}\n`) expect(got, `case ${i}`).toBe(`${JSON.stringify(t)}\n`);
    }
  });
});
