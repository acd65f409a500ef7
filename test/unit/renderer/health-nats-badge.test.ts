/**
 * A `nats` feed's health row names the NATS connection, the consumer lag and redeliveries, and
 * (on hover) the ingest node's own feeds' states (issue 13).
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { FeedHealth } from '../../../shared/health';
import { FeedHealthTable } from '../../../renderer/src/components/health/FeedHealthTable';

const row = (nats: FeedHealth['nats']): FeedHealth => ({
  feedId: 'desk', exchange: 'nats', market: 'spot', state: 'stale', nextRetryAt: null, connections: 1, messagesPerSec: 0, bytesPerSec: 0,
  tradesPerSec: 0, lastDataAgeMs: null, latencyP50Ms: null, latencyP99Ms: null, reconnects: 0, errors: 0, notices: 0, lastError: null, markets: [],
  ...(nats ? { nats } : {}),
});

const table = (feeds: FeedHealth[]): string => renderToStaticMarkup(createElement(FeedHealthTable, { feeds, now: 0 }));

describe('health row of a nats feed', () => {
  it('shows connection, lag and redeliveries; the upstream states in its title', () => {
    const html = table([row({ connected: true, pending: 1234, redelivered: 2, duplicateTrades: 5, upstream: [{ source: 'binance:spot', state: 'stale', cause: 'no data for 30 s' }] })]);
    expect(html).toContain('NATS connected · lag 1234 · redelivered 2');
    expect(html).toContain('title="upstream: binance:spot stale (no data for 30 s); 5 duplicate trades dropped"');
  });

  it('marks a lost connection, and has no badge on other feeds', () => {
    expect(table([row({ connected: false, pending: 0, redelivered: 0, duplicateTrades: 0, upstream: [] })])).toContain('class="badge alert" aria-label="desk nats"');
    expect(table([row(undefined)])).not.toContain('NATS');
  });
});
