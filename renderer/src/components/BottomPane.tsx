/** Health and feed configuration share the bottom pane, as tabs. */
import { useLayout } from '../stores/layout-store';
import { FeedsPane } from './feeds/FeedsPane';
import { HealthPane } from './health/HealthPane';

const TABS = [
  { id: 'health', label: 'Health' },
  { id: 'feeds', label: 'Feeds' },
] as const;

export function BottomPane() {
  const tab = useLayout((s) => s.bottomTab);
  const setTab = useLayout((s) => s.setBottomTab);
  return (
    <section className="pane bottom-pane" aria-label="Health and feeds">
      <div className="tabs" role="tablist" aria-label="Bottom pane">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`tabpanel-${t.id}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="pane-scroll" role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'health' ? <HealthPane /> : <FeedsPane />}
      </div>
    </section>
  );
}
