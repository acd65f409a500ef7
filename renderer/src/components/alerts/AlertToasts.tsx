/** In-app toasts of fired alerts, top right; a click shows the alert's market on the chart. Each goes after 8 s. */
import { useEffect } from 'react';
import type { AlertFired } from '../../../../shared/alerts';
import { focusAlertMarket } from '../../lib/alert-delivery';
import { useAlerts } from '../../stores/alerts-store';
import './alerts.css';

const TOAST_MS = 8000;

function Toast({ a }: { a: AlertFired }) {
  const dismiss = useAlerts((s) => s.dismissToast);
  useEffect(() => {
    const t = setTimeout(() => dismiss(a), TOAST_MS);
    return () => clearTimeout(t);
  }, [a, dismiss]);
  return (
    <div className="alert-toast" role="status" data-alert-id={a.id}>
      <button
        type="button"
        className="alert-toast-body"
        onClick={() => {
          focusAlertMarket(a.market, a.time);
          dismiss(a);
        }}
        title="Show this market on the chart"
      >
        <strong>Alert {a.id}</strong>
        <span>{a.message}</span>
      </button>
      <button type="button" className="alert-toast-close" aria-label={`Dismiss alert ${a.id}`} onClick={() => dismiss(a)}>
        ×
      </button>
    </div>
  );
}

export function AlertToasts() {
  const toasts = useAlerts((s) => s.toasts);
  if (toasts.length === 0) return null;
  return (
    <div className="alert-toasts" aria-live="polite" aria-label="Fired alerts">
      {toasts.map((a) => (
        <Toast key={`${a.at}-${a.id}`} a={a} />
      ))}
    </div>
  );
}
