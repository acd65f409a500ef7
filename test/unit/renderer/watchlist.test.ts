import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import type { FeedConfig } from '../../../shared/config';
import type { FeedHealth, PipelineHealth } from '../../../shared/health';
import type { MarketStats24h } from '../../../shared/market-stats';
import { MarketStatsBook } from '../../../renderer/src/lib/market-stats';
import { buildWatchRows, sortWatchRows, spreadBps, type WatchRow } from '../../../renderer/src/lib/watchlist-rows';
import { FIXED_WIDTH, visibleColumns } from '../../../renderer/src/lib/watch-columns';

function row(key: string, last: number | null, change: number | null = null, turnoverUsd: number | null = null): WatchRow {
  const [exchange, market, symbol] = key.split(':') as [string, 'spot', string];
  return {
    key, exchange, market, symbol, feedId: 'f', enabled: true, last, change, changeSince: null, bid: null, ask: null, spreadBps: null,
    volume: null, turnover: turnoverUsd, turnoverUsd, quote: 'USDT', tradesPerSec: null, fundingRate: null, markPrice: null, openInterest: null, state: 'live',
  };
}

describe('sortWatchRows', () => {
  const rows = [row('a:spot:ETH-USDT', 3400, 0.01, 5e6), row('a:spot:BTC-USDT', 64000, -0.02, 9e6), row('a:spot:NEW-USDT', null), row('a:spot:SOL-USDT', 150, 0.05, 2e6)];

  it('sorts by a numeric column both ways, rows without a value last either way', () => {
    expect(sortWatchRows(rows, { key: 'last', dir: 'desc' }).map((r) => r.symbol)).toEqual(['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'NEW-USDT']);
    expect(sortWatchRows(rows, { key: 'last', dir: 'asc' }).map((r) => r.symbol)).toEqual(['SOL-USDT', 'ETH-USDT', 'BTC-USDT', 'NEW-USDT']);
    expect(sortWatchRows(rows, { key: 'change', dir: 'desc' }).map((r) => r.symbol)).toEqual(['SOL-USDT', 'ETH-USDT', 'BTC-USDT', 'NEW-USDT']);
  });

  it('ranks volume by dollar turnover (BTC above ETH above SOL), not by base units', () => {
    expect(sortWatchRows(rows, { key: 'volume', dir: 'desc' }).map((r) => r.symbol)).toEqual(['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'NEW-USDT']);
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

function day(symbol: string, o: Partial<MarketStats24h>): MarketStats24h {
  return { exchange: 'sim', market: 'perp', symbol, open: 100, last: 100, high: 100, low: 100, volume: 10, quoteVolume: 1_000, since: 0, covered: true, tf: '1m', ...o };
}

describe('MarketStatsBook and watch rows', () => {
  it('keeps last, trades/s, bid/ask and funding live; takes change and volumes from the core\'s 24 h', () => {
    const book = new MarketStatsBook('1s');
    book.onBars([bar(1000, 100, 1, 2)], 10_000);
    book.onBars([bar(1000, 101, 3, 5)], 10_500); // same window, newer state
    book.onBars([bar(2000, 110, 2, 5), { ...bar(2000, 1, 99, 99), tf: '5s' }], 12_000); // new window; other tf ignored
    book.onFunding([{ type: 'funding', exchange: 'sim', market: 'perp', symbol: 'BTC-USDT', rate: 0.0001, markPrice: 109.5, time: 1, receivedAt: 1 }]);
    book.onQuotes([{ type: 'quote', exchange: 'sim', market: 'perp', symbol: 'BTC-USDT', bid: 109.9, bidSize: 1, ask: 110.1, askSize: 1, time: 1, receivedAt: 1 }]);
    const s = book.get('sim:perp:BTC-USDT')!;
    expect(s.last).toBe(110);
    expect(s.volume).toBe(5); // 3 (final state of window 1) + 2
    expect(s.tradesPerSec).toBe(4); // 8 more trades in 2 s

    const feeds: FeedConfig[] = [{ id: 'sim-perp', exchange: 'sim' as never, market: 'perp', symbols: ['BTC-USDT', 'ETH-USDT'], channels: ['trades'], enabled: true }];
    const fh = { feedId: 'sim-perp', state: 'live', markets: [{ symbol: 'ETH-USDT', lastDataAt: null, staleAfterMs: 1, stale: true }] } as unknown as FeedHealth;
    const days = new Map([['sim:perp:BTC-USDT', day('BTC-USDT', { open: 100, since: 5_000, covered: false, volume: 40, quoteVolume: 4_200 })]]);
    const rows = buildWatchRows(feeds, { live: (k) => book.get(k), day: (k) => days.get(k), usdPrice: book.usdPrice }, { feeds: [fh] } as unknown as PipelineHealth);
    const [btc, eth] = rows;
    expect(btc).toMatchObject({ symbol: 'BTC-USDT', state: 'live', last: 110, changeSince: 5_000, bid: 109.9, ask: 110.1, volume: 40, turnover: 4_200, turnoverUsd: 4_200, fundingRate: 0.0001, markPrice: 109.5, tradesPerSec: 4 });
    expect(btc!.change).toBeCloseTo(0.1, 12);
    expect(btc!.spreadBps).toBeCloseTo((0.2 / 110) * 10_000, 9);
    // A market that never traded: every value unknown ("—"), never 0.
    expect(eth).toMatchObject({ symbol: 'ETH-USDT', state: 'stale', last: null, change: null, changeSince: null, bid: null, ask: null, spreadBps: null, volume: null, turnover: null, tradesPerSec: null });
  });

  it('greys a disabled feed\'s markets (state stopped) and learns dollar prices from spot markets quoted in dollars', () => {
    const book = new MarketStatsBook('1s');
    book.onBars([{ ...bar(1000, 64_000, 1, 1), market: 'spot', symbol: 'BTC-USDT' }], 1);
    expect(book.usdPrice('BTC')).toBe(64_000);
    expect(book.usdPrice('ETH')).toBeNull();
    const feeds: FeedConfig[] = [{ id: 'b', exchange: 'binance', market: 'spot', symbols: ['ETH-BTC'], channels: ['trades'], enabled: false }];
    const days = new Map([['binance:spot:ETH-BTC', { ...day('ETH-BTC', { quoteVolume: 2 }), exchange: 'binance', market: 'spot' as const }]]);
    const [r] = buildWatchRows(feeds, { live: (k) => book.get(k), day: (k) => days.get(k), usdPrice: book.usdPrice }, null);
    expect(r).toMatchObject({ state: 'stopped', enabled: false, turnover: 2, turnoverUsd: 128_000, quote: 'BTC' });
  });

  it('computes the spread in basis points only for a sane book', () => {
    expect(spreadBps(99, 101)).toBeCloseTo(200, 9);
    expect(spreadBps(null, 101)).toBeNull();
    expect(spreadBps(101, 99)).toBeNull(); // crossed: not shown as a negative spread
  });
});

describe('watchlist columns by priority', () => {
  const keys = (w: number, perp = false, squeeze = 0) => visibleColumns(w, perp, squeeze).map((c) => c.key);

  it('keeps Last at any width and adds columns as they fit, in display order', () => {
    expect(keys(100)).toEqual(['last']);
    expect(keys(FIXED_WIDTH + 70 + 72 + 72)).toEqual(['last', 'change', 'volume']);
    // At 1280 px the side pane is ~380 px; at 1920 px ~570 px: bid, ask and spread show, with perps too.
    expect(keys(380, true)).toEqual(['last', 'change', 'volume']);
    expect(keys(570)).toEqual(['last', 'change', 'bid', 'ask', 'spread', 'volume']);
    expect(keys(570, true)).toEqual(['last', 'change', 'bid', 'ask', 'spread', 'volume']);
    expect(keys(2000)).toEqual(['last', 'change', 'bid', 'ask', 'spread', 'volume', 'rate']);
    expect(keys(2000, true)).toEqual(['last', 'change', 'bid', 'ask', 'spread', 'volume', 'rate', 'funding', 'mark', 'oi']);
  });

  it('drops the lowest priority first when squeezed (a measured overflow), bid and ask together', () => {
    expect(keys(570, false, 1)).toEqual(['last', 'change', 'spread', 'volume']);
    expect(keys(570, false, 10)).toEqual(['last']);
  });
});
