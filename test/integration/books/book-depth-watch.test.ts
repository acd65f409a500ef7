/**
 * The heatmap's deep grouped view end to end (command watchBookDepth -> Pipeline.watchBookDepth):
 * the simulator's book 300 ticks of 0.01 a side (bookDepth option) through the real runtime; the
 * watched market gets views grouped by 0.05 (every price a multiple of it, 300 levels in 60 or
 * 61 buckets a side) beside its unchanged top-20 views, both conflated to 10 Hz.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BookView } from '../../../shared/books';
import type { StreamBatch } from '../../../shared/protocol';
import { startPipeline, type Pipeline } from '../../../electron/core/pipeline/pipeline';
import { waitFor } from '../../helpers/wait-for';

let pipeline: Pipeline | undefined;
afterEach(async () => {
  await pipeline?.stop();
  pipeline = undefined;
});

const REF = { exchange: 'simulator', market: 'spot', symbol: 'BTC-USDT' } as const;

describe('deep grouped book views through the pipeline', () => {
  it('sends the watched market grouped beside its top-20 view', async () => {
    pipeline = await startPipeline({
      feeds: [{ id: 'sim', exchange: 'simulator', market: 'spot', symbols: ['BTC-USDT'], channels: ['book'], enabled: true, options: { seed: 5, rate: 50, bookDepth: 300 } }],
      backfill: false,
    });
    const batches: StreamBatch[] = [];
    pipeline.subscribe({ send: (b) => void batches.push(b) });
    const views = () => batches.flatMap((b) => b.books);
    await waitFor(() => views().some((v) => v.state === 'valid'), 'a valid book');
    expect(views().some((v) => v.deep)).toBe(false);
    pipeline.watchBookDepth(REF, 0.05, 200);
    await waitFor(() => views().filter((v) => v.deep && v.state === 'valid').length >= 3, '3 deep views');
    const deep = views().filter((v): v is BookView & { deep: object } => v.deep !== undefined && v.state === 'valid');
    for (const v of deep) {
      expect(v).toMatchObject({ ...REF, deep: { group: 0.05, levels: 200 } });
      for (const side of [v.bids, v.asks]) {
        expect(side.length).toBeGreaterThanOrEqual(60);
        expect(side.length).toBeLessThanOrEqual(61);
        for (const [price] of side) expect(Math.abs(price / 0.05 - Math.round(price / 0.05))).toBeLessThan(1e-6);
      }
      expect(v.bids[0]![0]).toBeLessThan(v.asks[0]![0]);
    }
    // The ladder's view is unchanged: 20 levels a side, one tick apart.
    const top = views().filter((v) => !v.deep && v.state === 'valid').at(-1)!;
    expect(top.bids).toHaveLength(20);
    // Conflated: deep views at most every 100 ms (1 ms slack for the publisher's grid).
    const at = batches.filter((b) => b.books.some((v) => v.deep)).map((b) => b.at);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(99);
  });
});
