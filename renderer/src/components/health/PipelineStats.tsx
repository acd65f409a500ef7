/**
 * One line of numbers. Always: the connection, how long since the last batch, trades in/s and the
 * bar store. With `details` (developer metrics): batches/s, seq and its gaps, conflation, fps,
 * trades out/s, event-loop p99, heap and RSS. Alerts (seq gaps, a slow loop) show whatever the toggle.
 */
import type { PipelineHealth } from '../../../../shared/health';
import { formatBytes, formatMs, formatRate } from '../../lib/format';
import { currentFps } from '../../stores/perf';
import { batchMeter, streamStore } from '../../stores/stream-store';
import { useSession } from '../../stores/session-store';

function Stat({ label, value, alert }: { label: string; value: string; alert?: boolean }) {
  return (
    <div className={`stat${alert ? ' alert' : ''}`} role="group" aria-label={label}>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
    </div>
  );
}

export function PipelineStats({ health, now, details }: { health: PipelineHealth | null; now: number; details: boolean }) {
  const connected = useSession((s) => s.connected);
  const { lastBatchAt, seqGaps, seq, conflated } = streamStore.getState();
  const silent = lastBatchAt === null ? null : Math.max(0, now - lastBatchAt);
  const slowLoop = health !== null && health.eventLoopDelayP99Ms > 100;
  return (
    <div className="stats-row">
      <Stat label="Connection" value={connected ? 'connected' : 'DISCONNECTED'} alert={!connected} />
      <Stat label="Last batch" value={silent === null ? '—' : `${formatMs(silent)} ago`} alert={silent !== null && silent > 2500} />
      {health && <Stat label="Trades in/s" value={formatRate(health.tradesInPerSec)} />}
      {health?.store && (
        <span title={health.store.notice ?? health.store.path ?? undefined}>
          <Stat
            label="Bar store"
            value={health.store.enabled ? `${health.store.barsWritten} bars saved${health.store.errors > 0 ? ` · ${health.store.errors} errors` : ''}` : 'DISABLED'}
            alert={!health.store.enabled || health.store.errors > 0}
          />
        </span>
      )}
      {(details || seqGaps > 0) && <Stat label="Seq gaps" value={String(seqGaps)} alert={seqGaps > 0} />}
      {health && (details || slowLoop) && <Stat label="Event loop p99" value={formatMs(health.eventLoopDelayP99Ms)} alert={slowLoop} />}
      {details && (
        <>
          <Stat label="IPC batches/s" value={formatRate(batchMeter.rate(now))} alert={silent !== null && silent > 2500} />
          <Stat label="Seq" value={String(seq)} />
          <Stat label="Conflated" value={String(conflated)} />
          <Stat label="Renderer fps" value={formatRate(currentFps())} />
          {health && (
            <>
              <Stat label="Trades out/s" value={formatRate(health.tradesOutPerSec)} />
              <Stat label="Heap" value={formatBytes(health.heapUsedBytes)} />
              <Stat label="RSS" value={formatBytes(health.rssBytes)} />
            </>
          )}
        </>
      )}
    </div>
  );
}
