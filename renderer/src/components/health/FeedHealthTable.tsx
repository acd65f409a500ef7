/** Per feed: state (with backoff countdown), rates, data age, latency, reconnects, last error. */
import type { FeedHealth } from '../../../../shared/health';
import { feedAlert } from '../../lib/feed-alert';
import { formatBytes, formatClock, formatMs, formatRate } from '../../lib/format';
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
          const { alert, shownState, text } = feedAlert(f, now);
          const recovered = f.lastError !== null && shownState === 'live';
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
                {f.nats && (
                  <span
                    className={`badge${f.nats.connected ? '' : ' alert'}`}
                    aria-label={`${f.feedId} nats`}
                    title={`upstream: ${f.nats.upstream.map((u) => `${u.source} ${u.state}${u.cause ? ` (${u.cause})` : ''}`).join(', ') || 'no status yet'}; ${f.nats.duplicateTrades} duplicate trades dropped`}
                  >
                    NATS {f.nats.connected ? 'connected' : 'disconnected'} · lag {f.nats.pending} · redelivered {f.nats.redelivered}
                  </span>
                )}
              </td>
              <td className="feed-state" aria-label={`${f.feedId} state`}>
                <StateDot state={shownState} /> {text}
              </td>
              <td className="num">{formatRate(f.messagesPerSec)}</td>
              <td className="num">{formatRate(f.tradesPerSec)}</td>
              <td className="num">{formatMs(f.lastDataAgeMs)}</td>
              <td className="num">{formatMs(f.latencyP50Ms)}</td>
              <td className="num">{formatMs(f.latencyP99Ms)}</td>
              <td className="num">{f.reconnects}</td>
              <td className="num">{f.errors}</td>
              {/* Timed, and faded once the feed is live again: an old error must not read as a current one. */}
              <td
                className={`last-error${recovered ? ' recovered' : ''}`}
                aria-label={`${f.feedId} last error`}
                title={f.lastError ? `${new Date(f.lastError.at).toLocaleString()}${f.lastError.cause ? ` · ${f.lastError.cause}` : ''}` : undefined}
              >
                {f.lastError && (
                  <>
                    <time dateTime={new Date(f.lastError.at).toISOString()}>{formatClock(f.lastError.at).slice(0, 8)}</time> {f.lastError.kind}:{' '}
                    {f.lastError.message}
                    {recovered && <span className="recovered-note"> (recovered)</span>}
                  </>
                )}
              </td>
              <td>{f.exchange === 'simulator' && <FaultControl feedId={f.feedId} />}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
