/**
 * HistoryService against every fake venue's REST candles, in each venue's real format: exact
 * bars, the forming candle dropped, roll-up for a timeframe the venue lacks, and 429 answers
 * honoured with Retry-After.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryService } from '../../../electron/core/history/backfill';
import { systemClock } from '../../../electron/core/util/clock';
import type { Bar } from '../../../shared/domain';
import { FakeBinance } from '../../fakes/binance';
import { FakeBitfinex } from '../../fakes/bitfinex';
import { FakeBitstamp } from '../../fakes/bitstamp';
import { FakeBybit } from '../../fakes/bybit';
import { FakeCoinbase } from '../../fakes/coinbase';
import type { FakeCandle, FakeHistoryRest } from '../../fakes/history-rest';
import { FakeKraken } from '../../fakes/kraken';
import { FakeOkx } from '../../fakes/okx';

interface AnyFake { historyRest: FakeHistoryRest; restUrl: string; close(): Promise<void> }

const MIN = 60_000;
let fake: AnyFake | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

/** Three final minutes and the forming one (must be dropped). */
function minutes(now: number): FakeCandle[] {
  const cur = Math.floor(now / MIN) * MIN;
  return [
    { start: cur - 3 * MIN, open: '100.5', high: '102', low: '99.5', close: '101', volume: '4', buyVolume: '3', trades: 12, quoteVolume: '404', vwap: '101' },
    { start: cur - 2 * MIN, open: '101', high: '101.5', low: '98', close: '98.5', volume: '2', buyVolume: '0.5', trades: 5, quoteVolume: '199', vwap: '99.5' },
    { start: cur - MIN, open: '98.5', high: '99', low: '98', close: '99', volume: '1', buyVolume: '1', trades: 1, quoteVolume: '99', vwap: '99' },
    { start: cur, open: '99', high: '99', low: '99', close: '99', volume: '0.1', trades: 1, confirmed: false },
  ];
}

const venues: { name: string; start: () => Promise<AnyFake>; symbol: string; native: string; exact: boolean; vwap: 'given' | 'quote' | 'typical' }[] = [
  { name: 'binance', start: () => FakeBinance.start(), symbol: 'BTC-USDT', native: 'BTCUSDT', exact: true, vwap: 'quote' },
  { name: 'bybit', start: () => FakeBybit.start(), symbol: 'BTC-USDT', native: 'BTCUSDT', exact: false, vwap: 'quote' },
  { name: 'okx', start: () => FakeOkx.start(), symbol: 'BTC-USDT', native: 'BTC-USDT', exact: false, vwap: 'quote' },
  { name: 'coinbase', start: () => FakeCoinbase.start(), symbol: 'BTC-USD', native: 'BTC-USD', exact: false, vwap: 'typical' },
  { name: 'kraken', start: () => FakeKraken.start(), symbol: 'BTC-USD', native: 'XBTUSD', exact: false, vwap: 'given' },
  { name: 'bitstamp', start: () => FakeBitstamp.start(), symbol: 'BTC-USD', native: 'btcusd', exact: false, vwap: 'typical' },
  { name: 'bitfinex', start: () => FakeBitfinex.start(), symbol: 'BTC-USD', native: 'tBTCUSD', exact: false, vwap: 'typical' },
];

const ohlcv = (b: Bar) => [b.start, b.open, b.high, b.low, b.close, b.volume];

describe('REST candles per venue', () => {
  for (const v of venues) {
    it(`${v.name}: final candles as bars (source candles), the forming one dropped`, async () => {
      fake = await v.start();
      const now = Date.now();
      const rows = minutes(now);
      fake.historyRest.setCandles(v.native, MIN, rows);
      // Frozen "now": the forming candle stays forming even if the minute turns mid-test.
      const history = new HistoryService({ clock: { ...systemClock, now: () => now } });
      const r = await history.backfill({ exchange: v.name, market: 'spot', restUrl: fake.restUrl }, v.symbol, '1m', { limit: 10 });
      expect(r.reason).toBeUndefined();
      expect(r.bars.map(ohlcv)).toEqual(rows.slice(0, 3).map((c) => [c.start, Number(c.open), Number(c.high), Number(c.low), Number(c.close), Number(c.volume)]));
      for (const b of r.bars) expect(b).toMatchObject({ type: 'bar', exchange: v.name, market: 'spot', symbol: v.symbol, tf: '1m', final: true, incomplete: false, source: 'candles' });
      const first = r.bars[0]!;
      if (v.exact) expect([first.buyVolume, first.sellVolume, first.trades]).toEqual([3, 1, 12]);
      else expect([first.buyVolume, first.sellVolume]).toEqual([0, 0]);
      if (v.name === 'kraken') expect(first.trades).toBe(12);
      expect(first.vwap).toBeCloseTo(v.vwap === 'typical' ? (102 + 99.5 + 101) / 3 : 101, 9);
      expect(fake.historyRest.requests.map((q) => q.status)).toEqual([200]);
    });
  }

  it('Binance spot: 5s bars rolled up from 1s klines, exact split summed', async () => {
    const f = await FakeBinance.start();
    fake = f;
    const now = Date.now();
    const base = Math.floor(now / 5000) * 5000 - 10_000;
    const rows: FakeCandle[] = [0, 1, 2, 4, 5, 6].map((i) => ({ start: base + i * 1000, open: String(100 + i), high: String(101 + i), low: String(99 + i), close: String(100.5 + i), volume: '2', buyVolume: '0.5', trades: 2, quoteVolume: String(2 * (100 + i)) }));
    f.historyRest.setCandles('BTCUSDT', 1000, rows);
    const r = await new HistoryService({ clock: { ...systemClock, now: () => now } }).backfill({ exchange: 'binance', market: 'spot', restUrl: f.restUrl }, 'BTC-USDT', '5s', { from: base, limit: 10 });
    expect(r.bars.map((b) => [b.start, b.open, b.high, b.low, b.close, b.volume, b.buyVolume, b.sellVolume, b.trades])).toEqual([
      [base, 100, 105, 99, 104.5, 8, 2, 6, 8],
      [base + 5000, 105, 107, 104, 106.5, 4, 1, 3, 4],
    ]);
    expect(r.bars[0]!.vwap).toBeCloseTo((200 + 202 + 204 + 208) / 8, 9);
    expect(f.historyRest.requests[0]!.path).toContain('/api/v3/klines?symbol=BTCUSDT&interval=1s');
  });

  it('says why when a venue has no candles for a timeframe', async () => {
    const r = await new HistoryService().backfill({ exchange: 'kraken', market: 'spot', restUrl: 'http://127.0.0.1:9' }, 'BTC-USD', '15s');
    expect(r).toEqual({ bars: [], reason: 'Kraken has no candles that make 15s bars; they come from live trades only', code: 'live-trades-only' });
  });

  it('honours HTTP 429 + Retry-After, then gets the candles', async () => {
    const f = await FakeBybit.start();
    fake = f;
    f.historyRest.setCandles('BTCUSDT', MIN, minutes(Date.now()));
    f.historyRest.rateLimitNext(1, 1);
    const history = new HistoryService();
    const r = await history.backfill({ exchange: 'bybit', market: 'perp', restUrl: f.restUrl }, 'BTC-USDT', '1m', { limit: 10 });
    expect(r.bars).toHaveLength(3);
    const [refused, ok] = f.historyRest.requests;
    expect([refused!.status, ok!.status]).toEqual([429, 200]);
    expect(ok!.at - refused!.at).toBeGreaterThanOrEqual(950);
    expect(refused!.path).toContain('/v5/market/kline?category=linear&symbol=BTCUSDT&interval=1');
    expect(history.stats()).toMatchObject({ requests: 2, rateLimited: 1, errors: 0 });
  });

  it('gives up with a clear reason when Retry-After is longer than it waits', async () => {
    const f = await FakeBitstamp.start();
    fake = f;
    f.historyRest.rateLimitNext(5, 120);
    const history = new HistoryService({ maxWaitMs: 5_000 });
    const r = await history.backfill({ exchange: 'bitstamp', market: 'spot', restUrl: f.restUrl }, 'BTC-USD', '1m', { limit: 10 });
    expect(r.bars).toEqual([]);
    expect(r.reason).toMatch(/^Bitstamp BTC-USD 1m candles: HTTP 429 from 127\.0\.0\.1:\d+ \(Retry-After 120 s\)$/);
    expect(f.historyRest.requests).toHaveLength(1);
    expect(history.stats()).toMatchObject({ rateLimited: 1, errors: 1 });
  });
});
