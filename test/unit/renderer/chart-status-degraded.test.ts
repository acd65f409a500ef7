import { describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../../shared/config';
import type { FeedHealth, PipelineHealth } from '../../../shared/health';
import { chartStatus } from '../../../renderer/src/lib/chart-status';

const sim: FeedConfig = { id: 'sim', exchange: 'simulator', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], enabled: true };
const bin: FeedConfig = { id: 'bin', exchange: 'binance', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], enabled: true };
const marketOk = { symbol: 'BTC-USDT', lastDataAt: 9_000, staleAfterMs: 3000, stale: false };
const feedHealth = (feedId: string, f: Partial<FeedHealth> = {}) =>
  ({ feedId, state: 'live', nextRetryAt: null, lastError: null, markets: [marketOk], ...f }) as unknown as FeedHealth;
const composite = { exchange: '*', market: 'spot' as const, symbol: 'BTC-USDT' };
const base = { market: composite, feeds: [sim, bin], connected: true, now: 10_000, lastBatchAt: 9_900 };

describe('chartStatus of a composite ("All venues") chart', () => {
  it('with one of two venues down is degraded (not blocked), naming the venue and the count', () => {
    const health = { feeds: [feedHealth('sim'), feedHealth('bin', { state: 'backoff', nextRetryAt: 13_000 })] } as unknown as PipelineHealth;
    const s = chartStatus({ ...base, health });
    expect(s.level).toBe('degraded');
    expect(s.venues).toEqual({ live: 1, total: 2 });
    expect(s.reason).toBe('degraded 1/2 venues · Feed bin is backoff');
    expect(s.nextRetryAt).toBe(13_000);
  });

  it('counts a live feed whose market went silent as down too', () => {
    const health = { feeds: [feedHealth('sim', { markets: [{ ...marketOk, stale: true, lastDataAt: 4_000 }] }), feedHealth('bin')] } as unknown as PipelineHealth;
    expect(chartStatus({ ...base, health })).toMatchObject({ level: 'degraded', venues: { live: 1, total: 2 } });
  });

  it('with every venue down is blocked (stale), as a single-venue chart is', () => {
    const health = { feeds: [feedHealth('sim', { state: 'stale' }), feedHealth('bin', { state: 'backoff', nextRetryAt: 13_000 })] } as unknown as PipelineHealth;
    expect(chartStatus({ ...base, health }).level).toBe('stale');
  });

  it('a single-venue chart on the down venue is still blocked', () => {
    const health = { feeds: [feedHealth('sim'), feedHealth('bin', { state: 'backoff', nextRetryAt: 13_000 })] } as unknown as PipelineHealth;
    const s = chartStatus({ ...base, market: { ...composite, exchange: 'binance' }, health });
    expect(s).toEqual({ level: 'stale', reason: 'Feed bin is backoff', nextRetryAt: 13_000 });
  });
});
