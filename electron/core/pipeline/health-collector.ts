/**
 * Pipeline-wide health: event-loop delay (perf_hooks), memory, trade rates in and out, plus the
 * per-feed and per-queue snapshots the caller hands in. Sampled at 1-2 Hz, never per trade.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { FeedHealth, PipelineHealth, QueueHealth } from '../../../shared/health';

export class HealthCollector {
  private readonly loop: IntervalHistogram;
  private lastAt = 0;
  private lastIn = 0;
  private lastOut = 0;
  private inRate = 0;
  private outRate = 0;

  constructor() {
    this.loop = monitorEventLoopDelay({ resolution: 10 });
    this.loop.enable();
  }

  /** Counters are running totals; rates are derived from the change since the previous sample. */
  sample(now: number, tradesIn: number, tradesOut: number, feeds: FeedHealth[], queues: QueueHealth[]): PipelineHealth {
    if (this.lastAt > 0 && now > this.lastAt) {
      const secs = (now - this.lastAt) / 1000;
      this.inRate = (tradesIn - this.lastIn) / secs;
      this.outRate = (tradesOut - this.lastOut) / secs;
    }
    this.lastAt = now;
    this.lastIn = tradesIn;
    this.lastOut = tradesOut;
    // p99 of the loop delay since the previous sample, in ms (the histogram counts ns).
    const p99 = this.loop.count > 0 ? this.loop.percentile(99) / 1e6 : 0;
    this.loop.reset();
    const mem = process.memoryUsage();
    return {
      at: now,
      feeds,
      queues,
      tradesInPerSec: Math.round(this.inRate),
      tradesOutPerSec: Math.round(this.outRate),
      eventLoopDelayP99Ms: Math.round(p99 * 10) / 10,
      heapUsedBytes: mem.heapUsed,
      rssBytes: mem.rss,
    };
  }

  close(): void {
    this.loop.disable();
  }
}
