/**
 * Final bars reach the store and come back after a restart through getBars (pipeline.bars),
 * merged with the live in-memory bars, and paged to the left with `before`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import { parseFeedConfig } from '../../../shared/config';
import { startPipeline } from '../../../electron/core/pipeline/pipeline';
import { waitFor } from '../../helpers/wait-for';

it('serves bars from before a restart, merged without duplicates, paged with before', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pstore-'));
  const feed = parseFeedConfig({ id: 'sim', exchange: 'simulator', symbols: ['BTC-USDT'], options: { rate: 100, seed: 3 } });
  const first = await startPipeline({ dataDir, timeframes: ['1s'], feeds: [feed], storeOptions: { flushMs: 50 } });
  const finals: Bar[] = [];
  first.onRecord((r) => r.type === 'bar' && r.exchange === 'simulator' && finals.push(r));
  await waitFor(() => finals.length >= 3, 'three final bars', { timeoutMs: 15_000 });
  await first.stop();
  expect(first.health().store).toMatchObject({ enabled: true, errors: 0 });

  // Restarted with no feeds: history comes from the store alone.
  const second = await startPipeline({ dataDir, timeframes: ['1s'], feeds: [] });
  const q = { exchange: 'simulator', market: 'spot' as const, symbol: 'BTC-USDT', tf: '1s' };
  const all = second.bars(q);
  expect(all.slice(0, finals.length)).toEqual(finals.map((b) => ({ ...b })));
  const older = second.bars({ ...q, before: finals[2]!.start, limit: 1 });
  expect(older).toEqual([finals[1]]);
  await second.stop();
}, 30_000);
