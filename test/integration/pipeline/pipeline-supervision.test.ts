import { describe, expect, it } from 'vitest';
import { startPipeline } from '../../../electron/core/pipeline/pipeline';
import { waitFor } from '../../helpers/wait-for';

describe('pipeline background tasks are supervised', () => {
  it('a bar clock that throws is restarted and its error shows in health', async () => {
    const p = await startPipeline({ feeds: [], barTickMs: 20, healthIntervalMs: 50, backfill: false });
    // Fault injection from inside: the aggregator is not part of the pipeline's surface.
    const aggregator = p['aggregator'];
    const real = aggregator.advance.bind(aggregator);
    let calls = 0;
    aggregator.advance = (now: number) => {
      calls++;
      if (calls === 2) throw new Error('bad bar');
      real(now);
    };
    // It kept ticking after the failure.
    await waitFor(() => calls > 4, 'the bar clock ticking again after the failure');
    const clock = p.health().tasks!.find((t) => t.name === 'bar-clock')!;
    expect(clock).toMatchObject({ state: 'running', restarts: 1, lastError: 'bad bar' });
    await p.stop();
    expect(p.health().tasks!.map((t) => `${t.name}: ${t.state}`)).toEqual(['bar-clock: cancelled', 'health: cancelled', 'alerts: cancelled']);
  });
});
