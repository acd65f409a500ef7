import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import type { FeedConfig } from '../../../shared/config';
import type { FeedHealth, PipelineHealth } from '../../../shared/health';
import { MarketStatsBook } from '../../../renderer/src/lib/market-stats';
import { buildWatchRows, sortWatchRows, type WatchRow } from '../../../renderer/src/lib/watchlist-rows';

function row(key: string, last: number | null, change: number | null = null): WatchRow {
  const [exchange, market, symbol] = key.split(':') as [string, 'spot', string];
  return { key, exchange, market, symbol, feedId: 'f', enabled: true, last, change, volume: 0, tradesPerSec: 0, fundingRate: null, markPrice: null, state: 'live' };
}

describe('sortWatchRows', () => {
  const rows = [row('a:spot:ETH-USDT', 3400, 0.01), row('a:spot:BTC-USDT', 64000, -0.02), row('a:spot:NEW-USDT', null), row('a:spot:SOL-USDT', 150, 0.05)];

  it('sorts by a numeric column both ways, rows without a value last either way', () => {
    expect(sortWatchRows(rows, { key: 'last', dir: 'desc' }).map((r) => r.symbol)).toEqual(['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'NEW-USDT']);
    expect(sortWatchRows(rows, { key: 'last', dir: 'asc' }).map((r) => r.symbol)).toEqual(['SOL-USDT', 'ETH-USDT', 'BTC-USDT', 'NEW-USDT']);
    expect(sortWatchRows(rows, { key: 'change', dir: 'desc' }).map((r) => r.symbol)).toEqual(['SOL-USDT', 'ETH-USDT', 'BTC-USDT', 'NEW-USDT']);
  });

  it('sorts by market name and does not mutate its input', () => {
    const copy = [...rows];
    expect(sortWatchRows(rows, { key: 'market', dir: 'asc' }).map((r) => r.symbol)).toEqual(['BTC-USDT', 'ETH-USDT', 'NEW-USDT', 'SOL-USDT']);
    expect(rows).toEqual(copy);
  });
});

function bar(start: number, close: number, volume: number, trades: number): Bar {
  return { type: 'bar', exchange: 'sim', market: 'perp', symbol: 'BTC-USDT', tf: '1s', start, open: 100, high: close, low: close, close, volume, buyVolume: 0, sellVolume: volume, trades, vwap: close, final: false, incomplete: false };
}

describe('MarketStatsBook and watch rows', () => {
  it('accumulates session volume across windows, change from the first open, trades/s and funding', () => {
    const book = new MarketStatsBook('1s');
    book.onBars([bar(1000, 100, 1, 2)], 10_000);
    book.onBars([bar(1000, 101, 3, 5)], 10_500); // same window, newer state
    book.onBars([bar(2000, 110, 2, 5), { ...bar(2000, 1, 99, 99), tf: '5s' }], 12_000); // new window; other tf ignored
    book.onFunding([{ type: 'funding', exchange: 'sim', market: 'perp', symbol: 'BTC-USDT', rate: 0.0001, markPrice: 109.5, time: 1, receivedAt: 1 }]);
    const s = book.get('sim:perp:BTC-USDT')!;
    expect(s.last).toBe(110);
    expect(s.volume).toBe(5); // 3 (final state of window 1) + 2
    expect(s.totalTrades).toBe(10);
    expect(s.tradesPerSec).toBe(4); // 8 more trades in 2 s

    const feeds: FeedConfig[] = [{ id: 'sim-perp', exchange: 'sim' as never, market: 'perp', symbols: ['BTC-USDT', 'ETH-USDT'], channels: ['trades'], enabled: true }];
    const fh = { feedId: 'sim-perp', state: 'live', markets: [{ symbol: 'ETH-USDT', lastDataAt: null, staleAfterMs: 1, stale: true }] } as unknown as FeedHealth;
    const rows = buildWatchRows(feeds, (k) => book.get(k), { feeds: [fh] } as unknown as PipelineHealth);
    expect(rows.map((r) => [r.symbol, r.state, r.last, r.change, r.fundingRate, r.markPrice])).toEqual([
      ['BTC-USDT', 'live', 110, 0.10000000000000009, 0.0001, 109.5],
      ['ETH-USDT', 'stale', null, null, null, null],
    ]);
  });
});
