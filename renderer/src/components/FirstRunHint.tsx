/**
 * First run: while only simulator feeds are configured, say so plainly and point to Feeds, where
 * a real exchange is added. Dismissed once, for good (persisted with the layout).
 */
import { onlySimulatedFeeds } from '../lib/simulated';
import { useLayout } from '../stores/layout-store';
import { useSession } from '../stores/session-store';
import { SimulatedBadge } from './SimulatedBadge';

export function FirstRunHint({ onOpenFeeds }: { onOpenFeeds: () => void }) {
  const show = useSession((s) => s.helloReceived && onlySimulatedFeeds(s.feeds));
  const dismissed = useLayout((s) => s.firstRunHintDismissed);
  const dismiss = useLayout((s) => s.dismissFirstRunHint);
  const setTab = useLayout((s) => s.setBottomTab);
  if (!show || dismissed) return null;
  return (
    <div className="first-run-hint" role="region" aria-label="Getting started">
      <SimulatedBadge />
      <span>
        These prices come from the built-in simulator. To watch a real exchange, add a feed in <strong>Feeds</strong> (bottom pane).
      </span>
      <button
        type="button"
        onClick={() => {
          setTab('feeds');
          onOpenFeeds();
        }}
      >
        Open Feeds
      </button>
      <button type="button" aria-label="Dismiss getting started hint" onClick={dismiss}>
        ×
      </button>
    </div>
  );
}
