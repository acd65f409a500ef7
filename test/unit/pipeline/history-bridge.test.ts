/**
 * The history bridge decides what to tell the user from a backfill's typed reason code, not from
 * the wording of its message: a venue's own error text may say anything ("no candles ...").
 */
import { describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../../shared/config';
import { HistoryService, type BackfillResult } from '../../../electron/core/history/backfill';
import { Aggregator } from '../../../electron/core/pipeline/aggregator';
import { HistoryBridge } from '../../../electron/core/pipeline/history-bridge';

const FEED: FeedConfig = { id: 'krk', exchange: 'kraken', market: 'spot', symbols: ['BTC-USD'], channels: ['trades'], enabled: true };

/** A bridge whose REST backfill answers `answer` for every series, with no network. */
function bridgeAnswering(answer: BackfillResult) {
  const history = new HistoryService();
  history.backfill = () => Promise.resolve(answer);
  const bridge = new HistoryBridge({
    aggregator: new Aggregator({ timeframes: ['1m'] }),
    timeframes: ['1m'],
    feedFor: () => FEED,
    feedsFor: () => [FEED],
    history,
  });
  return bridge;
}

describe('HistoryBridge notes', () => {
  it('reports a failed request whatever its text says, even "no candles"', async () => {
    const bridge = bridgeAnswering({ bars: [], reason: 'Kraken BTC-USD 1m candles: HTTP 503: no candles right now', code: 'request-failed' });
    bridge.chartOpened({ exchange: 'kraken', market: 'spot', symbol: 'BTC-USD', tf: '1m' });
    await bridge.idle();
    expect(bridge.health().lastNote).toBe('krk BTC-USD 1m history: Kraken BTC-USD 1m candles: HTTP 503: no candles right now');
    bridge.stop();
  });

  it('keeps quiet about a timeframe that comes from live trades only', async () => {
    const bridge = bridgeAnswering({ bars: [], reason: 'Kraken has no candles that make 15s bars; they come from live trades only', code: 'live-trades-only' });
    bridge.chartOpened({ exchange: 'kraken', market: 'spot', symbol: 'BTC-USD', tf: '15s' });
    await bridge.idle();
    expect(bridge.health().lastNote).toBeNull();
    bridge.stop();
  });
});
