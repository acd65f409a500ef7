/**
 * HistoryService against the candles of the venues whose REST is not a plain GET of rows:
 * Hyperliquid (a POST to /info with a candleSnapshot body, which rest/client.ts sends) and Deribit
 * (JSON-RPC over GET, candles as columns). Exact bars; the forming candle dropped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryService } from '../../../electron/core/history/backfill';
import { systemClock } from '../../../electron/core/util/clock';
import type { Bar } from '../../../shared/domain';
import { FakeDeribit } from '../../fakes/deribit';
import type { FakeCandle } from '../../fakes/history-rest';
import { FakeHyperliquid } from '../../fakes/hyperliquid';

const MIN = 60_000;
let fake: FakeHyperliquid | FakeDeribit | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

function minutes(now: number): FakeCandle[] {
  const cur = Math.floor(now / MIN) * MIN;
  return [
    { start: cur - 2 * MIN, open: '100.5', high: '102', low: '99.5', close: '101', volume: '4', trades: 12, quoteVolume: '404' },
    { start: cur - MIN, open: '101', high: '101.5', low: '98', close: '98.5', volume: '2', trades: 5, quoteVolume: '199' },
    { start: cur, open: '98.5', high: '99', low: '98', close: '99', volume: '1', trades: 1 },
  ];
}
const ohlcv = (b: Bar) => [b.start, b.open, b.high, b.low, b.close, b.volume];
const expected = (rows: FakeCandle[]) => rows.slice(0, 2).map((c) => [c.start, Number(c.open), Number(c.high), Number(c.low), Number(c.close), Number(c.volume)]);

describe('REST candles: POST and JSON-RPC venues', () => {
  it('hyperliquid: candleSnapshot by POST /info, trade counts kept, the forming candle dropped', async () => {
    const f = await FakeHyperliquid.start();
    fake = f;
    const now = Date.now();
    const rows = minutes(now);
    f.historyRest.setCandles('BTC', MIN, rows);
    const r = await new HistoryService({ clock: { ...systemClock, now: () => now } }).backfill({ exchange: 'hyperliquid', market: 'perp', restUrl: f.restUrl }, 'BTC-USDC', '1m', { limit: 10 });
    expect(r.reason).toBeUndefined();
    expect(r.bars.map(ohlcv)).toEqual(expected(rows));
    expect(r.bars.map((b) => b.trades)).toEqual([12, 5]);
    expect(f.infoRequests).toEqual([{ type: 'candleSnapshot', req: { coin: 'BTC', interval: '1m', startTime: expect.any(Number), endTime: expect.any(Number) } }]);
  });

  it('deribit: get_tradingview_chart_data columns, VWAP from cost, the forming candle dropped', async () => {
    const f = await FakeDeribit.start();
    fake = f;
    const now = Date.now();
    const rows = minutes(now);
    f.historyRest.setCandles('BTC-PERPETUAL', MIN, rows);
    const r = await new HistoryService({ clock: { ...systemClock, now: () => now } }).backfill({ exchange: 'deribit', market: 'perp', restUrl: f.restUrl }, 'BTC-USD', '1m', { limit: 10 });
    expect(r.reason).toBeUndefined();
    expect(r.bars.map(ohlcv)).toEqual(expected(rows));
    expect(r.bars[0]!.vwap).toBeCloseTo(101, 9);
    expect(f.historyRest.requests[0]!.path).toContain('/api/v2/public/get_tradingview_chart_data?instrument_name=BTC-PERPETUAL&start_timestamp=');
  });
});
