/** Notices from the core (hello.notices, e.g. a corrupt settings file) and a lost connection. */
import { useSession } from '../stores/session-store';

export function NoticeBar() {
  const notices = useSession((s) => s.notices);
  const connected = useSession((s) => s.connected);
  const closeReason = useSession((s) => s.closeReason);
  const dismiss = useSession((s) => s.dismissNotice);
  if (notices.length === 0 && connected) return null;
  return (
    <div className="notices">
      {!connected && (
        <div className="notice error" role="alert">
          Disconnected from the Tickscope core ({closeReason}). Data shown is frozen; reload once the core is back.
        </div>
      )}
      {notices.map((n, i) => (
        <div key={`${i}-${n}`} className="notice" role="alert" aria-label="Notice">
          <span>{n}</span>
          <button type="button" aria-label="Dismiss notice" onClick={() => dismiss(i)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
