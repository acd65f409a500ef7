/**
 * Background work whose promise nobody awaits right away (a REST backfill, a replay's run) must
 * turn any failure into a report, whatever was thrown. Their catch handlers read
 * `(e as Error).message`: a rejection with null or undefined threw inside the handler, so the
 * chain rejected with nobody listening (an unhandled rejection, the end of a CLI process), and a
 * rejection with a string lost its text ("replay failed: undefined").
 */
import { describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../../shared/config';
import type { StatusRecord } from '../../../shared/health';
import { HistoryBridge } from '../../../electron/core/pipeline/history-bridge';
import { Aggregator } from '../../../electron/core/pipeline/aggregator';
import { ReplayRunner } from '../../../electron/core/recording/replay-runner';
import type { RecordingHeader } from '../../../electron/core/recording/format';
import { waitFor } from '../../helpers/wait-for';

const FEED: FeedConfig = { id: 'bin', exchange: 'binance', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], enabled: true };

describe('failures of background work are reported, whatever was thrown', () => {
  it('a backfill rejecting with null or a string is a history report, not an unhandled rejection', async () => {
    const reports: string[] = [];
    const bridge = new HistoryBridge({
      aggregator: new Aggregator({ timeframes: ['1m'] }),
      timeframes: ['1m'],
      feedFor: () => FEED,
      feedsFor: () => [FEED],
      report: (m) => reports.push(m),
    });
    let call = 0;
    // No network: the service's answer is a rejection with a value that is not an Error.
    bridge.service.backfill = () => Promise.reject(call++ === 0 ? null : 'REST body cut off');
    bridge.chartOpened({ exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', tf: '1m' });
    bridge.chartOpened({ exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', tf: '5m' });
    await bridge.idle();
    expect(reports).toEqual(['bin BTC-USDT 1m history failed: null', 'bin BTC-USDT 5m history failed: REST body cut off']);
    bridge.stop();
  });

  it('a replay whose run rejects with undefined or a string ends in error, saying what it can', async () => {
    const header: RecordingHeader = { type: 'header', version: 1, venue: 'simulator', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], feedId: 'r', startedAt: 1, file: 1 };
    for (const [thrown, cause] of [[undefined, 'undefined'], ['disk unplugged', 'disk unplugged']] as const) {
      const statuses: StatusRecord[] = [];
      const runner = new ReplayRunner(
        { ...FEED, id: 'r', exchange: 'replay', options: { file: 'x' } },
        header,
        { path: 'x', speed: 'max' },
        { data: () => {}, gap: () => {}, status: (s) => statuses.push(s) },
      );
      (runner as unknown as { run: () => Promise<void> }).run = () => Promise.reject(thrown);
      runner.start();
      const failed = await waitFor(() => statuses.find((s) => s.state === 'error'), 'the error status');
      expect(failed.cause).toBe(`replay failed: ${cause}`);
      expect(runner.health().lastError).toMatchObject({ message: 'replay failed', cause });
      await runner.stop();
    }
  });
});
