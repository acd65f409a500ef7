/** Per feed: state (with backoff countdown), rates, data age, latency, reconnects, last error. */
import type { FeedHealth } from '../../../../shared/health';
import { feedAlert } from '../../lib/feed-alert';
import { formatBytes, formatMs, formatRate } from '../../lib/format';
import { StateDot } from '../StateDot';
import { FaultControl } from './FaultControl';

export function FeedHealthTable({ feeds, now }: { feeds: FeedHealth[]; now: number }) {
  return (
    <table className="grid-table health-feeds" aria-label="Feed health">
      <thead>
        <tr>
          <th>Feed</th>
          <th>State</th>
          <th className="num">Msgs/s</th>
          <th className="num">Trades/s</th>
          <th className="num">Last data</th>
          <th className="num">Latency p50</th>
          <th className="num">p99</th>
          <th className="num">Reconnects</th>
          <th className="num">Errors</th>
          <th>Last error</th>
          <th>Fault</th>
        </tr>
      </thead>
      <tbody>
        {feeds.map((f) => {
          const { alert, text, staleMarkets } = feedAlert(f, now);
          return (
            <tr key={f.feedId} data-feed={f.feedId} data-state={f.state} className={alert ? 'row-alert' : undefined}>
              <td>
                {f.feedId} <span className="muted">{f.exchange} {f.market}</span>
                {f.recording && (
                  <span
                    className={`badge${f.recording.droppedFrames > 0 || f.recording.lastError ? ' alert' : ''}`}
                    aria-label={`${f.feedId} recording`}
                    title={`${f.recording.dir}: ${f.recording.files} files, ${f.recording.frames} frames, ${f.recording.droppedFrames} dropped, ${f.recording.deletedFiles} deleted for the budget${f.recording.lastError ? `; ${f.recording.lastError}` : ''}`}
                  >
                    rec {formatBytes(f.recording.usedBytes)} / {formatBytes(f.recording.budgetBytes)}
                  </span>
                )}
                {f.replay && (
                  <span className="badge" aria-label={`${f.feedId} replay`} title={f.replay.path}>
                    replay {f.replay.speed === 'max' ? 'max' : `${f.replay.speed}x`} · {f.replay.framesPlayed} frames{f.replay.done ? ' · done' : ''}
                  </span>
                )}
              </td>
              <td className="feed-state" aria-label={`${f.feedId} state`}>
                <StateDot state={f.state} /> {text}
                {staleMarkets.length > 0 && <span className="badge">stale: {staleMarkets.join(', ')}</span>}
              </td>
              <td className="num">{formatRate(f.messagesPerSec)}</td>
              <td className="num">{formatRate(f.tradesPerSec)}</td>
              <td className="num">{formatMs(f.lastDataAgeMs)}</td>
              <td className="num">{formatMs(f.latencyP50Ms)}</td>
              <td className="num">{formatMs(f.latencyP99Ms)}</td>
              <td className="num">{f.reconnects}</td>
              <td className="num">{f.errors}</td>
              <td className="last-error" title={f.lastError?.cause ?? undefined}>
                {f.lastError ? `${f.lastError.kind}: ${f.lastError.message}` : ''}
              </td>
              <td>{f.exchange === 'simulator' && <FaultControl feedId={f.feedId} />}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
