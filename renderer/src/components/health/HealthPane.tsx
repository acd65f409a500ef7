/** Pipeline health: stream and renderer rates, each feed, each queue, recent state changes. */
import { useHealth } from '../../stores/health-store';
import { useTicker } from '../../hooks/use-ticker';
import { FeedHealthTable } from './FeedHealthTable';
import { PipelineStats } from './PipelineStats';
import { QueueTable } from './QueueTable';
import { StatusLog } from './StatusLog';

export function HealthPane() {
  const now = useTicker(500);
  // Read on the tick (2 Hz), not subscribed: see Watchlist.
  const health = useHealth.getState().health;
  return (
    <section className="health" aria-label="Pipeline health">
      <PipelineStats health={health} now={now} />
      {health ? (
        <>
          <FeedHealthTable feeds={health.feeds} now={now} />
          <div className="health-bottom">
            <QueueTable queues={health.queues} />
            <StatusLog />
          </div>
        </>
      ) : (
        <p className="empty">Waiting for the first health snapshot…</p>
      )}
    </section>
  );
}
