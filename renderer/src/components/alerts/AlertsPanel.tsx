/**
 * Alerts: the list (enable, edit, delete), the form, delivery settings (desktop notifications,
 * sound) and the log of fired alerts with their time and value. The core evaluates and stores.
 */
import { useState } from 'react';
import type { AlertDef } from '../../../../shared/alerts';
import { marketKey } from '../../../../shared/markets';
import { conditionText, defToDraft, freeAlertId, type AlertDraft } from '../../lib/alert-form';
import { askNotificationPermission, focusAlertMarket, notificationPermission } from '../../lib/alert-delivery';
import { useAlerts } from '../../stores/alerts-store';
import { activeChart, useLayout } from '../../stores/layout-store';
import { useSession } from '../../stores/session-store';
import { AlertForm } from './AlertForm';
import './alerts.css';

function timeText(ms: number): string {
  const d = new Date(ms);
  return `${d.toLocaleTimeString(undefined, { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

function valueText(a: { kind: AlertDef['kind']; value: number }): string {
  if (a.kind === 'feed-stale' || a.kind === 'book-invalid') return `${a.value} s`;
  return a.value.toLocaleString('en-US', { maximumFractionDigits: 8 });
}

export function AlertsPanel() {
  const alerts = useAlerts((s) => s.alerts);
  const log = useAlerts((s) => s.log);
  const sound = useAlerts((s) => s.sound);
  const setSound = useAlerts((s) => s.setSound);
  const client = useSession((s) => s.client);
  const [form, setForm] = useState<{ draft: AlertDraft; editing: AlertDef | null } | null>(null);
  const [perm, setPerm] = useState(notificationPermission());
  const [error, setError] = useState<string | null>(null);

  const newDraft = (): AlertDraft => {
    const chart = activeChart(useLayout.getState());
    return {
      id: freeAlertId(alerts),
      market: chart?.market ? marketKey(chart.market) : '',
      kind: 'price-cross',
      value: '',
      window: '',
      percent: '',
      feedId: '',
      repeat: false,
      cooldown: '',
      note: '',
    };
  };
  const run = (p: Promise<unknown> | undefined) => {
    setError(null);
    p?.catch((e: unknown) => setError((e as Error).message));
  };

  return (
    <section className="alerts-pane" aria-label="Alerts">
      <div className="alerts-main">
        <div className="pane-header">
          <h2>Alerts</h2>
          <button type="button" onClick={() => setForm({ draft: newDraft(), editing: null })}>
            + New alert
          </button>
          <label className="check">
            <input type="checkbox" checked={sound} onChange={(e) => setSound(e.target.checked)} /> Sound
          </label>
          {perm === 'default' && (
            <button type="button" onClick={() => void askNotificationPermission().then(setPerm)}>
              Enable desktop notifications
            </button>
          )}
          {perm === 'denied' && <span className="muted">Desktop notifications are blocked in this browser</span>}
        </div>
        {form && <AlertForm key={form.draft.id} initial={form.draft} editing={form.editing} onDone={() => setForm(null)} />}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <table className="grid-table" aria-label="Alert list">
          <thead>
            <tr>
              <th>Id</th>
              <th>Market</th>
              <th>Condition</th>
              <th>Mode</th>
              <th>Enabled</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => (
              <tr key={a.id} data-alert-id={a.id}>
                <td>{a.id}</td>
                <td>{a.market}</td>
                <td>
                  {conditionText(a)}
                  {a.note ? <span className="muted"> · {a.note}</span> : null}
                </td>
                <td>{a.repeat ? `re-arm ${a.cooldownSeconds ?? 60} s` : 'once'}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Alert ${a.id} enabled`}
                    checked={a.enabled !== false}
                    onChange={(e) => run(client?.request('saveAlert', { ...a, enabled: e.target.checked }))}
                  />
                </td>
                <td>
                  <button type="button" onClick={() => setForm({ draft: defToDraft(a), editing: a })}>
                    Edit
                  </button>
                  <button type="button" aria-label={`Delete alert ${a.id}`} onClick={() => run(client?.request('removeAlert', { id: a.id }))}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {alerts.length === 0 && <p className="empty">No alerts. Create one here, or Alt+click a price on a chart.</p>}
      </div>
      <div className="alerts-log">
        <h3>Fired</h3>
        <table className="grid-table" aria-label="Fired alerts">
          <thead>
            <tr>
              <th>Time</th>
              <th>Alert</th>
              <th>Value</th>
              <th>Message</th>
            </tr>
          </thead>
          <tbody>
            {log.map((f, i) => (
              <tr key={`${f.at}-${f.id}-${i}`} className="clickable" onClick={() => focusAlertMarket(f.market, f.time)} title="Show this market on the chart">
                <td title={`exchange time ${new Date(f.time).toISOString()}`}>{timeText(f.at)}</td>
                <td>{f.id}</td>
                <td className="num">{valueText(f)}</td>
                <td>{f.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {log.length === 0 && <p className="empty">Nothing fired yet.</p>}
      </div>
    </section>
  );
}
