/**
 * The pipeline's health snapshot (feeds, the ingest queue, trade rates, event loop, memory, the
 * bar store, REST history, periodic tasks) and the per-feed summary the headless runner prints.
 */
import type { FeedSummary, PipelineHealth, StoreHealth } from '../../../shared/health';
import { emptyFeedCounts } from '../runtime/feed-stats';
import type { BarStore } from '../store/bar-store';
import type { Clock } from '../util/clock';
import type { FeedManager } from './feed-manager';
import { HealthCollector } from './health-collector';
import type { HistoryBridge } from './history-bridge';
import type { Ingest } from './ingest';
import type { PeriodicTask } from './periodic-task';

export interface HealthParts {
  clock: Clock;
  feeds: FeedManager;
  ingest: Ingest;
  history: HistoryBridge;
  tasks: readonly PeriodicTask[];
  /** The local bar store; null when there is no data dir or it could not open (storeNotice says why). */
  store: BarStore | null;
  storeNotice: string | null;
}

export class PipelineHealthSampler {
  private readonly collector = new HealthCollector();

  constructor(private readonly p: HealthParts) {}

  /** A snapshot; rates are over the time since the previous one. */
  sample(): PipelineHealth {
    const { feeds, ingest, history, tasks } = this.p;
    const now = this.p.clock.now();
    const trades = ingest.trades();
    const sample = this.collector.sample(now, trades.in, trades.out, feeds.health(now), [ingest.health()]);
    const store = this.storeHealth();
    const extra = { history: history.health(), tasks: tasks.map((t) => t.info()) };
    return store ? { ...sample, store, ...extra } : { ...sample, ...extra };
  }

  close(): void {
    this.collector.close();
  }

  private storeHealth(): StoreHealth | undefined {
    const { store, storeNotice } = this.p;
    if (store) {
      const s = store.stats();
      return { enabled: true, path: s.path, barsWritten: s.written, pending: s.pending, errors: s.errors, notice: s.lastError };
    }
    if (storeNotice) return { enabled: false, path: null, barsWritten: 0, pending: 0, errors: 0, notice: storeNotice };
    return undefined;
  }
}

export function feedSummaries(feeds: FeedManager): FeedSummary[] {
  return [...feeds.counts()].map(([id, { config, counts }]) => ({
    id,
    exchange: config.exchange,
    market: config.market,
    ...(counts ?? emptyFeedCounts()),
  }));
}
