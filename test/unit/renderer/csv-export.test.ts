import { describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../../shared/config';
import { csvFileName, tradesExportBlocked } from '../../../renderer/src/lib/csv-export';

const at = Date.UTC(2026, 11, 1, 15, 7, 42, 500);
const btc = { exchange: 'binance', market: 'spot' as const, symbol: 'BTC-USDT' };

describe('CSV export', () => {
  it('names files by venue, market, symbol, timeframe and UTC time to the minute', () => {
    expect(csvFileName('bars', btc, '1m', at)).toBe('binance-spot-BTC-USDT-1m-2026-12-01T1507Z.csv');
    expect(csvFileName('trades', btc, '1m', at)).toBe('binance-spot-BTC-USDT-trades-2026-12-01T1507Z.csv');
    expect(csvFileName('bars', { ...btc, exchange: '*', market: 'perp' }, '1h', at)).toBe('all-perp-BTC-USDT-1h-2026-12-01T1507Z.csv');
  });

  it('offers trades only when a feed records the market, and says why not without any path', () => {
    const feed: FeedConfig = { id: 'b', exchange: 'binance', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], enabled: true };
    const why = tradesExportBlocked(btc, [feed]);
    expect(why).toMatch(/Record raw frames/);
    expect(why).not.toMatch(/[/\\]recordings|data dir/);
    expect(tradesExportBlocked(btc, [{ ...feed, record: true }])).toBeNull();
    expect(tradesExportBlocked({ ...btc, symbol: 'ETH-USDT' }, [{ ...feed, record: true }])).not.toBeNull();
    expect(tradesExportBlocked({ ...btc, exchange: '*' }, [{ ...feed, record: true }])).toMatch(/per venue/);
  });
});
