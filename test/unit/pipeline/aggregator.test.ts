import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import { Aggregator } from '../../../electron/core/pipeline/aggregator';
import { T0, trade } from './trades';

/** The fields a trader reads off a bar, for compact exact comparisons. */
function ohlcv(b: Bar | undefined) {
  if (!b) return undefined;
  const { tf, start, open, high, low, close, volume, buyVolume, sellVolume, trades, vwap, final, incomplete } = b;
  return { tf, t: start - T0, o: open, h: high, l: low, c: close, v: volume, buy: buyVolume, sell: sellVolume, n: trades, vwap, final, incomplete };
}

/**
 * Six trades, hand-computed:
 *  #  time      price size side
 *  1  +0        100   1    buy      (exactly at the 1s/5s/1m window start)
 *  2  +400      102   3    sell
 *  3  +999.5     99   4    unknown  (fractional ms: still the first 1s window)
 *  4  +1000     101   0.5  buy      (exactly at the next 1s window start)
 *  5  +4999     105   1.5  sell
 *  6  +5000      98   5    buy      (exactly at the second 5s window start)
 */
const SIX = [
  trade(T0, 100, 1, 'buy'),
  trade(T0 + 400, 102, 3, 'sell'),
  trade(T0 + 999.5, 99, 4, 'unknown'),
  trade(T0 + 1000, 101, 0.5, 'buy'),
  trade(T0 + 4999, 105, 1.5, 'sell'),
  trade(T0 + 5000, 98, 5, 'buy'),
];

function fed(opts: Partial<ConstructorParameters<typeof Aggregator>[0]> = {}) {
  const agg = new Aggregator({ timeframes: ['1s', '5s', '1m'], composite: false, ...opts });
  const finals: Bar[] = [];
  agg.onFinal = (b) => finals.push(b);
  for (const t of SIX) agg.onTrade(t);
  return { agg, finals };
}

describe('Aggregator bars', () => {
  it('computes OHLCV, buy/sell split and VWAP per timeframe (hand-computed)', () => {
    const { agg } = fed();
    const h = (tf: string) => agg.history('binance', 'spot', 'BTC-USDT', tf).map(ohlcv);
    expect(h('1s')).toEqual([
      // pv = 100 + 306 + 396 = 802, v = 8; the 4 'unknown' count in volume only
      { tf: '1s', t: 0, o: 100, h: 102, l: 99, c: 99, v: 8, buy: 1, sell: 3, n: 3, vwap: 100.25, final: true, incomplete: false },
      { tf: '1s', t: 1000, o: 101, h: 101, l: 101, c: 101, v: 0.5, buy: 0.5, sell: 0, n: 1, vwap: 101, final: true, incomplete: false },
      // no bar for the empty windows +2000 and +3000
      { tf: '1s', t: 4000, o: 105, h: 105, l: 105, c: 105, v: 1.5, buy: 0, sell: 1.5, n: 1, vwap: 105, final: true, incomplete: false },
      { tf: '1s', t: 5000, o: 98, h: 98, l: 98, c: 98, v: 5, buy: 5, sell: 0, n: 1, vwap: 98, final: false, incomplete: false },
    ]);
    expect(h('5s')).toEqual([
      // pv = 802 + 50.5 + 157.5 = 1010, v = 10
      { tf: '5s', t: 0, o: 100, h: 105, l: 99, c: 105, v: 10, buy: 1.5, sell: 4.5, n: 5, vwap: 101, final: true, incomplete: false },
      { tf: '5s', t: 5000, o: 98, h: 98, l: 98, c: 98, v: 5, buy: 5, sell: 0, n: 1, vwap: 98, final: false, incomplete: false },
    ]);
    expect(h('1m')).toEqual([
      // pv = 1010 + 490 = 1500, v = 15
      { tf: '1m', t: 0, o: 100, h: 105, l: 98, c: 98, v: 15, buy: 6.5, sell: 4.5, n: 6, vwap: 100, final: false, incomplete: false },
    ]);
    const first = agg.history('binance', 'spot', 'BTC-USDT', '1s')[0]!;
    expect(first).toMatchObject({ type: 'bar', exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', start: T0 });
    expect(agg.stats()).toMatchObject({ trades: 6, lateTrades: 0, series: 3 });
  });

  it('reports each bar through onFinal exactly once, in closing order, frozen', () => {
    const { agg, finals } = fed({ graceMs: 2000 });
    expect(finals.map((b) => `${b.tf}@${b.start - T0}`)).toEqual(['1s@0', '1s@1000', '1s@4000', '5s@0']);
    expect(finals.every((b) => b.final && Object.isFrozen(b))).toBe(true);
    agg.advance(T0 + 7999); // 1s@5000 ends at 6000; + grace 2000 = 8000
    expect(finals).toHaveLength(4);
    agg.advance(T0 + 8000);
    agg.advance(T0 + 8000);
    agg.advance(T0 + 9000);
    expect(finals.map((b) => `${b.tf}@${b.start - T0}`).slice(4)).toEqual(['1s@5000']);
    agg.advance(T0 + 12_000); // 5s@5000 ends at 10000
    agg.advance(T0 + 62_000); // 1m@0 ends at 60000
    agg.advance(T0 + 100_000);
    expect(finals.map((b) => `${b.tf}@${b.start - T0}`).slice(5)).toEqual(['5s@5000', '1m@0']);
    expect(agg.openBars()).toEqual([]);
    expect(finals.at(-1)).toMatchObject({ tf: '1m', volume: 15, vwap: 100, final: true });
  });

  it('late trades are counted and never change a final bar, but still reach windows that are open', () => {
    const { agg, finals } = fed();
    // +4500: the 1s window +4000 and the 5s window +0 are final; the 1m window is open.
    agg.onTrade(trade(T0 + 4500, 200, 2, 'buy'));
    // +3000: an empty 1s window before the open one (+5000): windows only move forward.
    agg.onTrade(trade(T0 + 3000, 90, 1, 'sell'));
    expect(agg.stats()).toMatchObject({ trades: 8, lateTrades: 2 });
    const s1 = agg.history('binance', 'spot', 'BTC-USDT', '1s');
    expect(s1.map((b) => [b.start - T0, b.volume, b.high])).toEqual([[0, 8, 102], [1000, 0.5, 101], [4000, 1.5, 105], [5000, 5, 98]]);
    expect(agg.history('binance', 'spot', 'BTC-USDT', '5s').map((b) => b.volume)).toEqual([10, 5]);
    expect(ohlcv(agg.history('binance', 'spot', 'BTC-USDT', '1m')[0])).toMatchObject({ h: 200, l: 90, c: 90, v: 18, n: 8 });
    expect(finals).toHaveLength(4);

    // After advance() closed the 1s window +5000 (grace), a trade for it is late too.
    agg.advance(T0 + 8000);
    agg.onTrade(trade(T0 + 5999, 97, 1, 'buy'));
    expect(agg.stats().lateTrades).toBe(3);
    expect(agg.history('binance', 'spot', 'BTC-USDT', '1s').at(-1)).toMatchObject({ start: T0 + 5000, volume: 5, final: true });
    expect(agg.history('binance', 'spot', 'BTC-USDT', '5s').at(-1)).toMatchObject({ start: T0 + 5000, volume: 6, final: false });
  });

  it('takeChanged gives one entry per series+window that changed, then nothing', () => {
    const { agg } = fed();
    const changed = agg.takeChanged();
    expect(changed.map((b) => `${b.tf}@${b.start - T0}${b.final ? ' final' : ''}`)).toEqual([
      '1s@0 final', '1s@1000 final', '1s@4000 final', '1s@5000',
      '5s@0 final', '5s@5000',
      '1m@0',
    ]);
    expect(agg.takeChanged()).toEqual([]);
    agg.onTrade(trade(T0 + 5100, 99, 1, 'sell'));
    agg.onTrade(trade(T0 + 5200, 99.5, 1, 'sell'));
    const again = agg.takeChanged();
    expect(again.map((b) => [b.tf, b.start - T0, b.trades, b.close])).toEqual([
      ['1s', 5000, 3, 99.5],
      ['5s', 5000, 3, 99.5],
      ['1m', 0, 8, 99.5],
    ]);
    // Open bars are copies: later trades do not change what was already handed out.
    agg.onTrade(trade(T0 + 5300, 1000, 1, 'buy'));
    expect(again[0]!.close).toBe(99.5);
    expect(again[0]!.final).toBe(false);
  });

  it('history keeps at most historyLimit final bars (oldest dropped) plus the open bar', () => {
    const agg = new Aggregator({ timeframes: ['1s'], composite: false, historyLimit: 3 });
    for (let i = 0; i < 300; i++) agg.onTrade(trade(T0 + i * 1000, 100 + i, 1, 'buy'));
    const h = agg.history('binance', 'spot', 'BTC-USDT', '1s');
    expect(h.map((b) => [b.close, b.final])).toEqual([[396, true], [397, true], [398, true], [399, false]]);
    expect(agg.history('binance', 'spot', 'BTC-USDT', '1s', 1).map((b) => b.close)).toEqual([398, 399]);
    expect(agg.history('binance', 'spot', 'BTC-USDT', '1s', 0).map((b) => b.close)).toEqual([399]);
    expect(agg.history('binance', 'spot', 'BTC-USDT', '5m')).toEqual([]);
    expect(agg.history('okx', 'spot', 'BTC-USDT', '1s')).toEqual([]);
    expect(agg.history('binance', 'perp', 'BTC-USDT', '1s')).toEqual([]);
  });

  it('counts and ignores absurd trades', () => {
    const agg = new Aggregator({ timeframes: ['1s'], composite: false });
    agg.onTrade(trade(T0, Number.NaN, 1, 'buy'));
    agg.onTrade(trade(T0, 100, 0, 'buy'));
    agg.onTrade(trade(T0, 100, -1, 'buy'));
    agg.onTrade(trade(Number.NaN, 100, 1, 'buy'));
    agg.onTrade(trade(T0, Number.POSITIVE_INFINITY, 1, 'buy'));
    expect(agg.stats()).toMatchObject({ trades: 0, invalidTrades: 5 });
    expect(agg.openBars()).toEqual([]);
  });

  it('rejects an invalid timeframe with a clear message', () => {
    expect(() => new Aggregator({ timeframes: ['1s', '7x'] })).toThrow('invalid timeframe "7x"');
  });

  it('a throwing onFinal listener is counted and does not stop aggregation', () => {
    const agg = new Aggregator({ timeframes: ['1s'], composite: false });
    agg.onFinal = () => {
      throw new Error('listener bug');
    };
    agg.onTrade(trade(T0, 1, 1, 'buy'));
    agg.onTrade(trade(T0 + 1000, 2, 1, 'buy'));
    agg.onTrade(trade(T0 + 2000, 3, 1, 'buy'));
    expect(agg.stats()).toMatchObject({ trades: 3, listenerErrors: 2 });
    expect(agg.history('binance', 'spot', 'BTC-USDT', '1s').map((b) => b.close)).toEqual([1, 2, 3]);
  });
});
