/** One configured feed: enable toggle, edit, and a two-step remove (no modal dialogs). */
import { useState } from 'react';
import type { FeedConfig } from '../../../../shared/config';
import { useSession } from '../../stores/session-store';

export function FeedRow({ feed, onEdit }: { feed: FeedConfig; onEdit: () => void }) {
  const client = useSession((s) => s.client);
  const refreshFeeds = useSession((s) => s.refreshFeeds);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
    await refreshFeeds().catch(() => undefined);
  };

  return (
    <tr data-feed-config={feed.id}>
      <td>{feed.id}</td>
      <td>
        {feed.exchange} <span className="muted">{feed.market}</span>
      </td>
      <td className="symbols-cell" title={feed.symbols.join(', ')}>
        {feed.symbols.join(', ')}
      </td>
      <td className="muted">{feed.channels.join(', ')}</td>
      <td>
        <input
          type="checkbox"
          aria-label={`Enable ${feed.id}`}
          checked={feed.enabled}
          onChange={(e) => {
            const enabled = e.target.checked;
            void run(() => client!.request('setFeedEnabled', { id: feed.id, enabled }));
          }}
        />
      </td>
      <td className="actions">
        <button type="button" aria-label={`Edit ${feed.id}`} onClick={onEdit}>
          Edit
        </button>
        {confirming ? (
          <>
            <button
              type="button"
              className="danger"
              aria-label={`Confirm remove ${feed.id}`}
              onClick={() => void run(() => client!.request('removeFeed', { id: feed.id }))}
            >
              Confirm remove
            </button>
            <button type="button" aria-label={`Cancel remove ${feed.id}`} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" aria-label={`Remove ${feed.id}`} onClick={() => setConfirming(true)}>
            Remove
          </button>
        )}
        {error && (
          <span role="alert" className="field-error">
            {error}
          </span>
        )}
      </td>
    </tr>
  );
}
