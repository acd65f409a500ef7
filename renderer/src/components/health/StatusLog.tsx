/** The last feed state changes with their causes, newest first. */
import { useHealth } from '../../stores/health-store';
import { formatClock } from '../../lib/format';

export function StatusLog() {
  const statuses = useHealth((s) => s.statuses);
  const recent = statuses.slice(-8).reverse();
  return (
    <div className="status-log">
      <h3>Recent state changes</h3>
      <ul aria-label="Recent feed state changes">
        {recent.map((s, i) => (
          <li key={`${s.at}-${s.feedId}-${i}`} className={`status-${s.state}`}>
            <span className="muted">{formatClock(s.at)}</span> {s.feedId} → <strong>{s.state}</strong>
            {s.cause ? <span className="muted"> ({s.cause})</span> : null}
          </li>
        ))}
        {recent.length === 0 && <li className="muted">none yet</li>}
      </ul>
    </div>
  );
}
