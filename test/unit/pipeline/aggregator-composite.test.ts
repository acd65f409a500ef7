import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import { Aggregator } from '../../../electron/core/pipeline/aggregator';
import { T0, gap, trade } from './trades';

const fields = (b: Bar | undefined) =>
  b && {
    ex: b.exchange, t: b.start - T0, o: b.open, h: b.high, l: b.low, c: b.close, v: b.volume,
    buy: b.buyVolume, sell: b.sellVolume, n: b.trades, vwap: b.vwap, final: b.final, incomplete: b.incomplete,
  };

describe('Aggregator composite (exchange *)', () => {
  it('merges two venues into one tape: OHLC in applied order, volumes summed, VWAP volume-weighted', () => {
    const agg = new Aggregator({ timeframes: ['1s'] });
    agg.onTrade(trade(T0 + 100, 100, 1, 'buy', 'binance'));
    agg.onTrade(trade(T0 + 200, 101, 2, 'sell', 'okx'));
    agg.onTrade(trade(T0 + 300, 99, 1, 'sell', 'binance'));
    // Earlier exchange time than binance's last, same window: applied, and it is the close.
    agg.onTrade(trade(T0 + 250, 104, 1, 'buy', 'okx'));
    // Another market type and another symbol never join this composite.
    agg.onTrade(trade(T0 + 400, 5000, 9, 'buy', 'binance', 'BTC-USDT', 'perp'));
    agg.onTrade(trade(T0 + 400, 3000, 9, 'buy', 'okx', 'ETH-USDT'));

    const comp = agg.history('*', 'spot', 'BTC-USDT', '1s');
    // pv = 100 + 202 + 99 + 104 = 505, v = 5
    expect(comp.map(fields)).toEqual([
      { ex: '*', t: 0, o: 100, h: 104, l: 99, c: 104, v: 5, buy: 2, sell: 3, n: 4, vwap: 101, final: false, incomplete: false },
    ]);
    expect(agg.history('binance', 'spot', 'BTC-USDT', '1s').map(fields)).toEqual([
      { ex: 'binance', t: 0, o: 100, h: 100, l: 99, c: 99, v: 2, buy: 1, sell: 1, n: 2, vwap: 99.5, final: false, incomplete: false },
    ]);
    expect(agg.history('okx', 'spot', 'BTC-USDT', '1s').map(fields)).toEqual([
      // pv = 202 + 104 = 306, v = 3
      { ex: 'okx', t: 0, o: 101, h: 104, l: 101, c: 104, v: 3, buy: 1, sell: 2, n: 2, vwap: 102, final: false, incomplete: false },
    ]);
    expect(agg.history('*', 'perp', 'BTC-USDT', '1s').map((b) => [b.close, b.volume])).toEqual([[5000, 9]]);
    expect(agg.history('*', 'spot', 'ETH-USDT', '1s').map((b) => [b.close, b.volume])).toEqual([[3000, 9]]);
    // binance spot, okx spot, binance perp, okx ETH + 3 composites, one timeframe each
    expect(agg.stats().series).toBe(7);
  });

  it('a slow venue trade for a window the composite already left is late for the composite only', () => {
    const agg = new Aggregator({ timeframes: ['1s'] });
    const finals: string[] = [];
    agg.onFinal = (b) => finals.push(`${b.exchange}@${b.start - T0}`);
    agg.onTrade(trade(T0 + 100, 100, 1, 'buy', 'binance'));
    agg.onTrade(trade(T0 + 200, 101, 1, 'buy', 'okx'));
    agg.onTrade(trade(T0 + 1100, 102, 1, 'buy', 'binance')); // composite moves to +1000
    agg.onTrade(trade(T0 + 950, 103, 1, 'buy', 'okx')); // okx's own window +0 is still open
    expect(agg.stats()).toMatchObject({ trades: 4, lateTrades: 0, compositeLateTrades: 1 });
    expect(finals).toEqual(['binance@0', '*@0']);
    expect(agg.history('okx', 'spot', 'BTC-USDT', '1s').map((b) => [b.close, b.volume])).toEqual([[103, 2]]);
    expect(agg.history('*', 'spot', 'BTC-USDT', '1s').map((b) => [b.start - T0, b.close, b.volume, b.final])).toEqual([
      [0, 101, 2, true],
      [1000, 102, 1, false],
    ]);
  });

  it('composite off: no * series at all', () => {
    const agg = new Aggregator({ timeframes: ['1s', '1m'], composite: false });
    agg.onTrade(trade(T0, 100, 1, 'buy'));
    expect(agg.history('*', 'spot', 'BTC-USDT', '1s')).toEqual([]);
    expect(agg.stats().series).toBe(2);
  });
});

describe('Aggregator incomplete bars (gaps)', () => {
  it('a gap marks the open bars of the feed and their composites, and bars that begin before its end', () => {
    const agg = new Aggregator({ timeframes: ['1s', '1m'] });
    agg.onTrade(trade(T0 + 1500, 100, 1, 'buy', 'binance')); // 1s@1000, will be final before the gap
    agg.onTrade(trade(T0 + 2100, 101, 1, 'buy', 'binance')); // 1s@2000 open when the gap starts
    agg.onTrade(trade(T0 + 2200, 102, 1, 'buy', 'okx'));
    agg.takeChanged();

    agg.onGap(gap('start', T0 + 2500, 'binance'));
    // The UI must learn about the flag: the flagged open bars are reported as changed.
    const flagged = agg.takeChanged().map((b) => `${b.exchange}:${b.tf}@${b.start - T0}:${b.incomplete}`);
    expect(flagged).toEqual(['binance:1s@2000:true', 'binance:1m@0:true', '*:1s@2000:true', '*:1m@0:true']);
    expect(agg.history('okx', 'spot', 'BTC-USDT', '1s').at(-1)!.incomplete).toBe(false); // other feed untouched

    // okx trades during binance's gap: the okx bar is complete, the composite bar is not.
    agg.onTrade(trade(T0 + 3200, 103, 1, 'buy', 'okx'));
    expect(agg.history('okx', 'spot', 'BTC-USDT', '1s').at(-1)).toMatchObject({ start: T0 + 3000, incomplete: false });
    expect(agg.history('*', 'spot', 'BTC-USDT', '1s').at(-1)).toMatchObject({ start: T0 + 3000, incomplete: true });

    agg.onGap(gap('end', T0 + 4500, 'binance'));
    // Window +4000 begins before the gap's end: incomplete. Window +5000 begins after: complete.
    agg.onTrade(trade(T0 + 4200, 104, 1, 'buy', 'binance'));
    agg.onTrade(trade(T0 + 5100, 105, 1, 'buy', 'binance'));
    agg.onTrade(trade(T0 + 6000, 106, 1, 'buy', 'binance'));
    const flags = (ex: string) =>
      agg.history(ex, 'spot', 'BTC-USDT', '1s').map((b) => [b.start - T0, b.incomplete]);
    expect(flags('binance')).toEqual([[1000, false], [2000, true], [4000, true], [5000, false], [6000, false]]);
    expect(flags('*')).toEqual([[1000, false], [2000, true], [3000, true], [4000, true], [5000, false], [6000, false]]);
    expect(flags('okx')).toEqual([[2000, false], [3000, false]]);
    // The 1m bar was open during the gap: it stays incomplete.
    expect(agg.history('binance', 'spot', 'BTC-USDT', '1m').map((b) => b.incomplete)).toEqual([true]);
  });

  it('a composite stays incomplete while any member is in a gap; duplicate and unmatched events change nothing', () => {
    const agg = new Aggregator({ timeframes: ['1s'] });
    agg.onGap(gap('end', T0 + 99_000, 'okx')); // unmatched end: ignored
    agg.onGap(gap('start', T0, 'binance'));
    agg.onGap(gap('start', T0, 'binance')); // duplicate start
    agg.onGap(gap('start', T0, 'okx'));
    agg.onGap(gap('end', T0 + 1000, 'binance'));
    agg.onTrade(trade(T0 + 2000, 100, 1, 'buy', 'binance'));
    expect(agg.history('binance', 'spot', 'BTC-USDT', '1s')[0]!.incomplete).toBe(false);
    expect(agg.history('*', 'spot', 'BTC-USDT', '1s')[0]!.incomplete).toBe(true); // okx still in its gap
    agg.onGap(gap('end', T0 + 2500, 'okx'));
    agg.onTrade(trade(T0 + 3000, 100, 1, 'buy', 'binance'));
    expect(agg.history('*', 'spot', 'BTC-USDT', '1s').map((b) => b.incomplete)).toEqual([true, false]);
  });

  it('a gap covering several symbols flags each of them', () => {
    const agg = new Aggregator({ timeframes: ['1m'], composite: false });
    agg.onTrade(trade(T0, 100, 1, 'buy', 'binance', 'BTC-USDT'));
    agg.onTrade(trade(T0, 10, 1, 'buy', 'binance', 'ETH-USDT'));
    agg.onTrade(trade(T0, 1, 1, 'buy', 'binance', 'SOL-USDT'));
    agg.onGap(gap('start', T0 + 10, 'binance', ['BTC-USDT', 'ETH-USDT']));
    expect(agg.openBars().map((b) => `${b.symbol}:${b.incomplete}`)).toEqual([
      'BTC-USDT:true', 'ETH-USDT:true', 'SOL-USDT:false',
    ]);
  });
});
