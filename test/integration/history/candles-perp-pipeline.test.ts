/**
 * The pipeline gives history the feeds' instrument resolver: a Gate perp chart opened on a running
 * feed is topped up from futures candlesticks whose contract counts become base volumes with the
 * contract list's quanto_multiplier (the same list the feed's live trades are sized with).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseFeedConfig } from '../../../shared/config';
import { startPipeline, type Pipeline } from '../../../electron/core/pipeline/pipeline';
import { FakeGate } from '../../fakes/gate';
import { waitFor } from '../../helpers/wait-for';

const MIN = 60_000;
let pipeline: Pipeline | null = null;
let fake: FakeGate | null = null;
afterEach(async () => {
  await pipeline?.stop();
  await fake?.close();
  pipeline = null;
  fake = null;
});

describe('perp backfill through the pipeline', () => {
  it('Gate perp: an opened 1m series gets candles in base units (contracts x 0.0001)', async () => {
    fake = await FakeGate.start();
    const cur = Math.floor(Date.now() / MIN) * MIN;
    // `volume` is Gate's `v` (contracts of 0.0001 BTC for BTC_USDT in the fake's contract list).
    fake.historyRest.setCandles('BTC_USDT', MIN, [
      { start: cur - 3 * MIN, open: '100', high: '101', low: '99', close: '100.5', volume: '25000', quoteVolume: '250' },
      { start: cur - 2 * MIN, open: '100.5', high: '102', low: '100', close: '101', volume: '7', quoteVolume: '0.0707' },
    ]);
    pipeline = await startPipeline({
      timeframes: ['1m'],
      backfill: false,
      feeds: [parseFeedConfig({ id: 'gp', exchange: 'gate', market: 'perp', symbols: ['BTC-USDT'], channels: ['trades'], url: fake.futuresUrl, restUrl: fake.restUrl })],
    });
    const p = pipeline;
    const series = { exchange: 'gate', market: 'perp' as const, symbol: 'BTC-USDT', tf: '1m' };
    await waitFor(() => fake!.subscribers('futures.trades', 'BTC_USDT') === 1, 'the feed subscribed');
    p.openSeries(series);
    await waitFor(() => p.bars(series).length === 2, 'the two candles as bars');
    expect(p.bars(series).map((b) => [b.start, b.volume, b.source])).toEqual([
      [cur - 3 * MIN, 2.5, 'candles'],
      [cur - 2 * MIN, 0.0007, 'candles'],
    ]);
    expect(fake.historyRest.requests.map((q) => q.path.split('?')[0])).toEqual(['/api/v4/futures/usdt/candlesticks']);
  });
});
