/** Health and feed configuration share the bottom pane, as tabs; the pane folds to its tab bar. */
import { useLayout } from '../stores/layout-store';
import { AlertsPanel } from './alerts/AlertsPanel';
import { FeedsPane } from './feeds/FeedsPane';
import { HealthPane } from './health/HealthPane';

const TABS = [
  { id: 'health', label: 'Health' },
  { id: 'feeds', label: 'Feeds' },
  { id: 'alerts', label: 'Alerts' },
] as const;

export function BottomPane({ collapsed, onToggle, onOpen }: { collapsed: boolean; onToggle: () => void; onOpen: () => void }) {
  const tab = useLayout((s) => s.bottomTab);
  const setTab = useLayout((s) => s.setBottomTab);
  return (
    <section className="pane bottom-pane" aria-label="Health and feeds" data-collapsed={collapsed ? 'true' : 'false'}>
      <div className="tabs">
        <div className="tab-list" role="tablist" aria-label="Bottom pane">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={collapsed ? undefined : `tabpanel-${t.id}`}
              onClick={() => {
                setTab(t.id);
                if (collapsed) onOpen();
              }}
            >
              {t.label}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="collapse-toggle"
          aria-expanded={!collapsed}
          aria-label={collapsed ? 'Expand bottom pane' : 'Collapse bottom pane'}
          title={collapsed ? 'Show health and feeds' : 'Fold health and feeds down to this bar'}
          onClick={onToggle}
        >
          {collapsed ? '▴' : '▾'}
        </button>
      </div>
      {!collapsed && (
        <div className="pane-scroll" role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`}>
          {tab === 'health' ? <HealthPane /> : tab === 'alerts' ? <AlertsPanel /> : <FeedsPane />}
        </div>
      )}
    </section>
  );
}
