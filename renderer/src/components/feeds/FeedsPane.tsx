/** Feed configuration: list, enable/disable, edit, remove, add (in a dialog). The core applies and persists. */
import { useState } from 'react';
import type { FeedConfig } from '../../../../shared/config';
import { useSession } from '../../stores/session-store';
import { FeedDialog } from './FeedDialog';
import { FeedRow } from './FeedRow';

export function FeedsPane() {
  const feeds = useSession((s) => s.feeds);
  const [editing, setEditing] = useState<FeedConfig | 'new' | null>(null);
  return (
    <section className="feeds-pane" aria-label="Feed configuration">
      <div className="feeds-list">
        <div className="pane-header">
          <h2>Feeds</h2>
          <button type="button" onClick={() => setEditing('new')} aria-label="Add feed">
            + Add feed
          </button>
        </div>
        <table className="grid-table" aria-label="Configured feeds">
          <thead>
            <tr>
              <th>Id</th>
              <th>Venue</th>
              <th>Symbols</th>
              <th>Channels</th>
              <th>Enabled</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {feeds.map((f) => (
              <FeedRow key={f.id} feed={f} onEdit={() => setEditing(f)} />
            ))}
          </tbody>
        </table>
        {feeds.length === 0 && <p className="empty">No feeds. Add one to start.</p>}
      </div>
      {editing && (
        <FeedDialog key={editing === 'new' ? 'new' : editing.id} initial={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />
      )}
    </section>
  );
}
