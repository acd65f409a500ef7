/**
 * HistoryService against the BitMEX and Gate fakes' REST candles in the venues' own formats:
 * BitMEX buckets are stamped with their END (the bar must start one interval earlier, and the
 * request window is shifted the same way), Gate spot candlesticks take seconds; Gate futures
 * candlesticks count contracts, converted with the contract list's quanto_multiplier that the
 * feeds' instrument resolver gives history (and without it, no guessed volume).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { gateAdapter } from '../../../electron/core/adapters/gate/venue';
import { HistoryService } from '../../../electron/core/history/backfill';
import { resolveSymbols } from '../../../electron/core/instruments/resolve';
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

  it('Gate spot: candlesticks in seconds, the forming one dropped', async () => {
    const fake = await FakeGate.start();
    close = () => fake.close();
    const { r, rows } = await backfill(fake, 'BTC_USDT', { exchange: 'gate', market: 'spot', symbol: 'BTC-USDT' });
    expect(r.reason).toBeUndefined();
    expect(r.bars.map(ohlcv)).toEqual(expected(rows));
    expect(fake.historyRest.requests.map((q) => q.status)).toEqual([200]);
  });

  it('Gate perp: futures candlesticks in contracts become base volumes with the resolver\'s quanto_multiplier', async () => {
    const fake = await FakeGate.start();
    close = () => fake.close();
    const now = Date.now();
    const cur = Math.floor(now / MIN) * MIN;
    // `volume` here is Gate's `v`: contracts of 0.0001 BTC (GATE_CONTRACTS); `sum` the USDT turnover.
    fake.historyRest.setCandles('BTC_USDT', MIN, [
      { start: cur - 2 * MIN, open: '100.5', high: '102', low: '99.5', close: '101', volume: '40000', quoteVolume: '404' },
      { start: cur - MIN, open: '101', high: '101.5', low: '98', close: '98.5', volume: '5000', quoteVolume: '49.75' },
      { start: cur, open: '98.5', high: '99', low: '98', close: '99', volume: '1', quoteVolume: '0.0099' },
    ]);
    const symbols = await resolveSymbols({ adapter: gateAdapter, market: 'perp', restUrl: fake.restUrl, cacheDir: null });
    const feed = { exchange: 'gate', market: 'perp' as const, restUrl: fake.restUrl };
    const history = new HistoryService({ clock: { ...systemClock, now: () => now }, symbols: () => Promise.resolve(symbols) });
    const r = await history.backfill(feed, 'BTC-USDT', '1m', { limit: 10 });
    expect(r.reason).toBeUndefined();
    expect(r.bars.map((b) => [b.start, b.open, b.high, b.low, b.close, b.volume, b.vwap])).toEqual([
      [cur - 2 * MIN, 100.5, 102, 99.5, 101, 4, 101],
      [cur - MIN, 101, 101.5, 98, 98.5, 0.5, 99.5],
    ]);
    expect(r.bars[0]).toMatchObject({ exchange: 'gate', market: 'perp', symbol: 'BTC-USDT', final: true, source: 'candles' });
    expect(fake.historyRest.requests.map((q) => q.path.split('?')[0])).toEqual(['/api/v4/futures/usdt/candlesticks']);
    expect(fake.historyRest.requests[0]!.path).toContain('contract=BTC_USDT&interval=1m');

    // Without the contract list the volume is not guessed: no bars, and history says why.
    const blind = await new HistoryService({ clock: { ...systemClock, now: () => now } }).backfill(feed, 'BTC-USDT', '1m', { limit: 10 });
    expect(blind).toMatchObject({ bars: [], code: 'failed' });
    expect(blind.reason).toMatch(/Gate futures candles of BTC-USDT count contracts and its contract size is unknown/);
  });
});
