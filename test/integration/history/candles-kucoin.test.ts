/**
 * HistoryService against the fake KuCoin's spot candles in KuCoin's own row format: seconds,
 * rows NEWEST first, and [time, open, CLOSE, HIGH, LOW, volume, turnover] (not OHLC order); and
 * its futures klines: ms, OHLC order, volume in lots converted with the contract multiplier that
 * the feeds' instrument resolver gives history (without it, no guessed volume).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { kucoinAdapter } from '../../../electron/core/adapters/kucoin/venue';
import { HistoryService } from '../../../electron/core/history/backfill';
import { resolveSymbols } from '../../../electron/core/instruments/resolve';
import { systemClock } from '../../../electron/core/util/clock';
import { FakeKucoin } from '../../fakes/kucoin';

const MIN = 60_000;
let fake: FakeKucoin | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('REST candles: KuCoin', () => {
  it('spot: rows newest first with open, close, high, low order become bars oldest first', async () => {
    fake = await FakeKucoin.start('spot');
    const now = Date.now();
    const cur = Math.floor(now / MIN) * MIN;
    fake.candles = [
      { start: cur - 3 * MIN, open: '100.5', close: '101', high: '102', low: '99.5', volume: '4', turnover: '404' },
      { start: cur - 2 * MIN, open: '101', close: '98.5', high: '101.5', low: '98', volume: '2', turnover: '199' },
      { start: cur - MIN, open: '98.5', close: '99', high: '99', low: '98', volume: '1', turnover: '99' },
    ];
    const history = new HistoryService({ clock: { ...systemClock, now: () => now } });
    const r = await history.backfill({ exchange: 'kucoin', market: 'spot', restUrl: fake.restUrl }, 'BTC-USDT', '1m', { limit: 10 });
    expect(r.reason).toBeUndefined();
    expect(r.bars.map((b) => [b.start, b.open, b.high, b.low, b.close, b.volume, b.vwap])).toEqual([
      [cur - 3 * MIN, 100.5, 102, 99.5, 101, 4, 101],
      [cur - 2 * MIN, 101, 101.5, 98, 98.5, 2, 99.5],
      [cur - MIN, 98.5, 99, 98, 99, 1, 99],
    ]);
    expect(r.bars[0]).toMatchObject({ exchange: 'kucoin', market: 'spot', symbol: 'BTC-USDT', final: true, source: 'candles' });
    expect(fake.candleQueries).toHaveLength(1);
    expect(fake.candleQueries[0]).toContain('type=1min&symbol=BTC-USDT');
  });

  it('perp: klines in lots become base volumes with the resolver\'s multiplier; without it, a reason and no bars', async () => {
    fake = await FakeKucoin.start('perp');
    const now = Date.now();
    const cur = Math.floor(now / MIN) * MIN;
    // `volume` is KuCoin's lots: XBTUSDTM contracts of 0.001 BTC (KUCOIN_CONTRACTS).
    fake.candles = [
      { start: cur - 2 * MIN, open: '100.5', close: '101', high: '102', low: '99.5', volume: '4000', turnover: '404' },
      { start: cur - MIN, open: '101', close: '98.5', high: '101.5', low: '98', volume: '500', turnover: '49.75' },
      { start: cur, open: '98.5', close: '99', high: '99', low: '98', volume: '1', turnover: '0.099' },
    ];
    const symbols = await resolveSymbols({ adapter: kucoinAdapter, market: 'perp', restUrl: fake.restUrl, cacheDir: null });
    const feed = { exchange: 'kucoin', market: 'perp' as const, restUrl: fake.restUrl };
    const clock = { ...systemClock, now: () => now };
    const r = await new HistoryService({ clock, symbols: () => Promise.resolve(symbols) }).backfill(feed, 'BTC-USDT', '1m', { limit: 10 });
    expect(r.reason).toBeUndefined();
    expect(r.bars.map((b) => [b.start, b.open, b.high, b.low, b.close, b.volume, b.vwap])).toEqual([
      [cur - 2 * MIN, 100.5, 102, 99.5, 101, 4, 101],
      [cur - MIN, 101, 101.5, 98, 98.5, 0.5, 99.5],
    ]);
    expect(r.bars[0]).toMatchObject({ exchange: 'kucoin', market: 'perp', symbol: 'BTC-USDT', final: true, source: 'candles' });
    expect(fake.candleQueries).toHaveLength(1);
    expect(fake.candleQueries[0]).toContain('symbol=XBTUSDTM&granularity=1&from=');

    const blind = await new HistoryService({ clock }).backfill(feed, 'BTC-USDT', '1m', { limit: 10 });
    expect(blind).toMatchObject({ bars: [], code: 'failed' });
    expect(blind.reason).toMatch(/KuCoin futures candles of BTC-USDT count contracts and its contract size is unknown/);
  });
});
