import { describe, expect, it } from 'vitest';
import type { FeedHealth } from '../../../shared/health';
import { feedAlert } from '../../../renderer/src/lib/feed-alert';

const market = { symbol: 'BTC-USDT', lastDataAt: 9_000, staleAfterMs: 3000, stale: false };
const feed = (f: Partial<FeedHealth>) =>
  ({ feedId: 'sim', state: 'live', nextRetryAt: null, lastDataAgeMs: 100, lastError: null, markets: [market], ...f }) as unknown as FeedHealth;

describe('feedAlert', () => {
  it('a live feed with fresh markets is no alert', () => {
    expect(feedAlert(feed({}), 10_000)).toEqual({ alert: false, shownState: 'live', text: 'live', staleMarkets: [] });
  });

  it('a feed connecting for the first time (no data yet) is not an alert', () => {
    expect(feedAlert(feed({ state: 'connecting', lastDataAgeMs: null }), 10_000).alert).toBe(false);
    expect(feedAlert(feed({ state: 'subscribing', lastDataAgeMs: null }), 10_000).text).toBe('subscribing');
  });

  it('a feed that had data and is reconnecting is an alert, even between its stale and backoff moments', () => {
    expect(feedAlert(feed({ state: 'subscribing', lastDataAgeMs: 6_000 }), 10_000)).toEqual({
      alert: true, shownState: 'subscribing', text: 'RECONNECTING · subscribing', staleMarkets: [],
    });
    expect(feedAlert(feed({ state: 'connecting', lastDataAgeMs: 6_000 }), 10_000).alert).toBe(true);
  });

  it('alert states read in capitals, backoff with its countdown', () => {
    expect(feedAlert(feed({ state: 'backoff', nextRetryAt: 12_100 }), 10_000)).toMatchObject({ alert: true, text: 'BACKOFF · retry in 3 s' });
    expect(feedAlert(feed({ state: 'stale' }), 10_000)).toMatchObject({ alert: true, text: 'STALE' });
    expect(feedAlert(feed({ state: 'error', lastDataAgeMs: null }), 10_000)).toMatchObject({ alert: true, text: 'ERROR' });
  });

  it('a live feed with one silent market shows one state, stale, naming the market (never "live" beside "stale")', () => {
    const quiet = { ...market, symbol: 'ETH-USDT', stale: true };
    expect(feedAlert(feed({ markets: [market, quiet] }), 10_000)).toEqual({
      alert: true, shownState: 'stale', text: 'STALE · ETH-USDT', staleMarkets: ['ETH-USDT'],
    });
  });
});
