/**
 * HistoryService against the BitMEX and Gate fakes' REST candles in the venues' own formats:
 * BitMEX buckets are stamped with their END (the bar must start one interval earlier, and the
 * request window is shifted the same way), Gate spot candlesticks take seconds; Gate perp charts
 * are not backfilled (futures candles count contracts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryService } from '../../../electron/core/history/backfill';
import { systemClock } from '../../../electron/core/util/clock';
import type { Bar, MarketType } from '../../../shared/domain';
import { FakeBitmex } from '../../fakes/bitmex';
import { FakeGate } from '../../fakes/gate';
import type { FakeCandle, FakeHistoryRest } from '../../fakes/history-rest';

const MIN = 60_000;
let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

/** Three final minutes and the forming one. */
function minutes(now: number): FakeCandle[] {
  const cur = Math.floor(now / MIN) * MIN;
  return [
    { start: cur - 3 * MIN, open: '100.5', high: '102', low: '99.5', close: '101', volume: '4', trades: 12, quoteVolume: '404', vwap: '101' },
    { start: cur - 2 * MIN, open: '101', high: '101.5', low: '98', close: '98.5', volume: '2', trades: 5, quoteVolume: '199', vwap: '99.5' },
    { start: cur - MIN, open: '98.5', high: '99', low: '98', close: '99', volume: '1', trades: 1, quoteVolume: '99', vwap: '99' },
    { start: cur, open: '99', high: '99', low: '99', close: '99', volume: '0.1', trades: 1, confirmed: false },
  ];
}
const ohlcv = (b: Bar) => [b.start, b.open, b.high, b.low, b.close, b.volume, b.vwap];
/** The venue serves minutes(now) for `native`; a 1m backfill of `symbol` with "now" frozen (the forming candle stays forming). */
async function backfill(fake: { historyRest: FakeHistoryRest; restUrl: string }, native: string, m: { exchange: string; market: MarketType; symbol: string }) {
  const now = Date.now();
  const rows = minutes(now);
  fake.historyRest.setCandles(native, MIN, rows);
  const history = new HistoryService({ clock: { ...systemClock, now: () => now } });
  const r = await history.backfill({ exchange: m.exchange, market: m.market, restUrl: fake.restUrl }, m.symbol, '1m', { limit: 10 });
  return { r, rows, history };
}
const expected = (rows: FakeCandle[]) => rows.slice(0, 3).map((c) => [c.start, Number(c.open), Number(c.high), Number(c.low), Number(c.close), Number(c.volume), Number(c.vwap)]);

describe('REST candles: BitMEX and Gate', () => {
  it('BitMEX: end-stamped buckets become bars starting one minute earlier, homeNotional as volume', async () => {
    const fake = await FakeBitmex.start();
    close = () => fake.close();
    const { r, rows } = await backfill(fake, 'XBTUSD', { exchange: 'bitmex', market: 'perp', symbol: 'BTC-USD' });
    expect(r.reason).toBeUndefined();
    expect(r.bars.map(ohlcv)).toEqual(expected(rows));
    expect(r.bars[0]).toMatchObject({ exchange: 'bitmex', market: 'perp', symbol: 'BTC-USD', trades: 12, final: true, source: 'candles' });
    expect(fake.historyRest.requests.map((q) => [q.path.split('?')[0], q.status])).toEqual([['/api/v1/trade/bucketed', 200]]);
    expect(fake.historyRest.requests[0]!.path).toContain('partial=false');
  });

  it('Gate spot: candlesticks in seconds, the forming one dropped; perp has no candles to backfill from', async () => {
    const fake = await FakeGate.start();
    close = () => fake.close();
    const { r, rows, history } = await backfill(fake, 'BTC_USDT', { exchange: 'gate', market: 'spot', symbol: 'BTC-USDT' });
    expect(r.reason).toBeUndefined();
    expect(r.bars.map(ohlcv)).toEqual(expected(rows));
    expect(fake.historyRest.requests.map((q) => q.status)).toEqual([200]);

    const perp = await history.backfill({ exchange: 'gate', market: 'perp', restUrl: fake.restUrl }, 'BTC-USDT', '1m', { limit: 10 });
    expect(perp).toMatchObject({ bars: [], code: 'live-trades-only' });
    expect(fake.historyRest.requests).toHaveLength(1);
  });
});
