/**
 * Pipeline health: the connection and each feed for the trader; behind "Details", the developer
 * metrics (stream seq and gaps, fps, loop delay, heap, RSS, queues). The state log is always there.
 */
import { useHealth } from '../../stores/health-store';
import { useLayout } from '../../stores/layout-store';
import { useTicker } from '../../hooks/use-ticker';
import { FeedHealthTable } from './FeedHealthTable';
import { PipelineStats } from './PipelineStats';
import { QueueTable } from './QueueTable';
import { StatusLog } from './StatusLog';

export function HealthPane() {
  const now = useTicker(500);
  const details = useLayout((s) => s.healthDetails);
  const setDetails = useLayout((s) => s.setHealthDetails);
  // Read on the tick (2 Hz), not subscribed: see Watchlist.
  const health = useHealth.getState().health;
  return (
    <section className="health" aria-label="Pipeline health">
      <div className="health-head">
        <PipelineStats health={health} now={now} details={details} />
        <button type="button" className="details-toggle" aria-expanded={details} aria-controls="health-details" onClick={() => setDetails(!details)}>
          Details
        </button>
      </div>
      {health ? (
        <>
          <FeedHealthTable feeds={health.feeds} now={now} />
          <div className={`health-bottom${details ? '' : ' single'}`}>
            {details && (
              <div id="health-details">
                <QueueTable queues={health.queues} />
              </div>
            )}
            <StatusLog />
          </div>
        </>
      ) : (
        <p className="empty">Waiting for the first health snapshot…</p>
      )}
    </section>
  );
}
