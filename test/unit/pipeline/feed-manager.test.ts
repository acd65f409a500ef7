/**
 * FeedManager runs every kind of feed through one FeedSource interface (pipeline/sources/) and
 * stamps what it reports itself with the pipeline's injected clock, not the wall clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFeedConfig } from '../../../shared/config';
import type { Gap, MarketData } from '../../../shared/domain';
import type { StatusRecord } from '../../../shared/health';
import { FeedManager } from '../../../electron/core/pipeline/feed-manager';
import { ManualClock } from '../../helpers/manual-clock';
import { waitFor } from '../../helpers/wait-for';

/** Far from the wall clock, so a Date.now() stamp cannot pass for it. */
const T = Date.UTC(2001, 0, 1);

function manager(dataDir: string | null = null) {
  const statuses: StatusRecord[] = [];
  const data: (MarketData | Gap)[] = [];
  const clock = new ManualClock(T);
  const feeds = new FeedManager({
    dataDir,
    clock,
    sink: { data: (e) => data.push(e), gap: (g) => data.push(g), status: (s) => statuses.push(s) },
  });
  return { feeds, statuses, data, clock };
}

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('FeedManager', () => {
  it('a replay that cannot start is an error stamped with the injected clock, in its status and health', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fm-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const { feeds, statuses } = manager(dir);
    await feeds.add(parseFeedConfig({ id: 'r', exchange: 'replay', symbols: ['BTC-USDT'], options: { file: 'missing.ndjson' } }));
    expect(statuses).toEqual([expect.objectContaining({ feedId: 'r', state: 'error', at: T, cause: expect.stringContaining('options.file') })]);
    const [h] = feeds.health(T + 5);
    expect(h).toMatchObject({ feedId: 'r', state: 'error', errors: 1, lastError: { kind: 'config', at: T + 5 } });
  });

  it('a recording notice of a simulator feed is stamped with the injected clock; the feed runs and stops with its simulator', async () => {
    const { feeds, statuses, data } = manager(null);
    cleanup.push(() => feeds.stopAll());
    await feeds.add(parseFeedConfig({ id: 's', exchange: 'simulator', symbols: ['BTC-USDT'], channels: ['trades'], record: true, options: { rate: 200 } }));
    const notice = statuses.find((s) => s.cause?.includes('recording is on'));
    expect(notice).toMatchObject({ feedId: 's', at: T });
    const sim = feeds.simulatorFor('s');
    expect(sim).not.toBeNull();
    await waitFor(() => data.some((d) => d.type === 'trade'), 'a trade from the embedded simulator');
    await feeds.remove('s');
    expect(feeds.simulatorFor('s')).toBeNull();
    expect(sim!.clients()).toBe(0);
    expect(feeds.counts().size).toBe(0);
  });

  it('a feed removed while its source opens never starts, and its embedded simulator is closed', async () => {
    const { feeds, statuses } = manager(null);
    cleanup.push(() => feeds.stopAll());
    const adding = feeds.add(parseFeedConfig({ id: 'gone', exchange: 'simulator', symbols: ['BTC-USDT'], channels: ['trades'] }));
    await feeds.remove('gone');
    await adding;
    expect(feeds.configs()).toEqual([]);
    expect(feeds.simulatorFor('gone')).toBeNull();
    expect(statuses.filter((s) => s.feedId === 'gone')).toEqual([]);
  });
});
