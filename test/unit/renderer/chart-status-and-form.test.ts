import { describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../../shared/config';
import type { FeedHealth, PipelineHealth } from '../../../shared/health';
import { chartStatus } from '../../../renderer/src/lib/chart-status';
import { errorsByField, feedPayload, valuesFromFeed } from '../../../renderer/src/lib/feed-form';

const feed: FeedConfig = { id: 'sim', exchange: 'simulator', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], enabled: true, options: { rate: 5 } };
const live = { feedId: 'sim', state: 'live', nextRetryAt: null, lastError: null, markets: [{ symbol: 'BTC-USDT', lastDataAt: 9_000, staleAfterMs: 3000, stale: false }] } as unknown as FeedHealth;
const health = (f: Partial<FeedHealth>) => ({ feeds: [{ ...live, ...f }] }) as unknown as PipelineHealth;
const market = { exchange: 'simulator', market: 'spot' as const, symbol: 'BTC-USDT' };
const base = { market, feeds: [feed], connected: true, now: 10_000, lastBatchAt: 9_900 };

describe('chartStatus', () => {
  it('is ok while the stream flows and the feed is live', () => {
    expect(chartStatus({ ...base, health: health({}) }).level).toBe('ok');
    expect(chartStatus({ ...base, market: { ...market, exchange: '*' }, health: health({}) }).level).toBe('ok');
  });

  it('flags a silent stream after 2.5 s, a non-live feed (with retry time), a stale market, no feed', () => {
    expect(chartStatus({ ...base, lastBatchAt: 7_000, health: health({}) }).reason).toBe('No data from the core for 3 s: chart is frozen');
    expect(chartStatus({ ...base, health: health({ state: 'backoff', nextRetryAt: 12_000 }) })).toEqual({
      level: 'stale', reason: 'Feed sim is backoff', nextRetryAt: 12_000,
    });
    const staleMarkets = [{ symbol: 'BTC-USDT', lastDataAt: 4_000, staleAfterMs: 3000, stale: true }];
    expect(chartStatus({ ...base, health: health({ markets: staleMarkets }) }).reason).toBe('Feed sim: BTC-USDT is stale (no data for 6 s)');
    expect(chartStatus({ ...base, feeds: [{ ...feed, enabled: false }], health: health({}) }).reason).toBe('No enabled feed carries this market');
    expect(chartStatus({ ...base, connected: false, health: health({}) }).level).toBe('stale');
  });
});

describe('feed form helpers', () => {
  it('builds an update payload that keeps options, makes symbols canonical and drops cleared URL overrides', () => {
    const v = { ...valuesFromFeed({ ...feed, url: 'ws://x' }, { exchange: 'simulator', market: 'spot', channels: [] }), symbols: 'btc-usdt ethusdt,SOL/USDT, BTCUSDT', url: '' };
    expect(feedPayload(v, { ...feed, url: 'ws://x' })).toEqual({
      id: 'sim', exchange: 'simulator', market: 'spot', symbols: ['BTC-USDT', 'ETH-USDT', 'SOL-USDT'], channels: ['trades'], enabled: true, options: { rate: 5 },
    });
  });

  it('places each core error line next to the field it names, in plain words', () => {
    expect(errorsByField('symbols[1]: "X" is not a canonical symbol\nurl: must be a ws:// or wss:// URL\nchannels: Too small: expected array to have >=1 items\nsomething else')).toEqual({
      symbols: '“X” is not a symbol the app can read: write it as BASE-QUOTE, for example BTC-USDT.',
      url: "Use a ws:// or wss:// address, or leave it empty for the venue's own.",
      channels: 'Tick at least one channel.',
      form: 'something else',
    });
  });
});
