/** The new/edit alert form: problems show under their field as the user types; the core's own refusal shows at the bottom. */
import { useState } from 'react';
import { ALERT_KINDS, type AlertDef } from '../../../../shared/alerts';
import { marketKey } from '../../../../shared/markets';
import { draftProblems, draftToInput, hasWindow, KIND_LABEL, VALUE_FIELD, type AlertDraft } from '../../lib/alert-form';
import { chartableMarkets, marketLabel } from '../../lib/markets';
import { statsBook } from '../../stores/live-books';
import { useSession } from '../../stores/session-store';

export function AlertForm({ initial, editing, onDone }: { initial: AlertDraft; editing: AlertDef | null; onDone: () => void }) {
  const client = useSession((s) => s.client);
  const feeds = useSession((s) => s.feeds);
  const [d, setD] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const problems = draftProblems(d);
  const valid = Object.keys(problems).length === 0;
  const markets = chartableMarkets(feeds).map(marketKey);
  if (d.market && !markets.includes(d.market)) markets.unshift(d.market);
  const set = (patch: Partial<AlertDraft>) => setD({ ...d, ...patch });
  // Read when clicked, not when drawn: the form does not re-render as the market trades.
  const lastPrice = () => statsBook().get(d.market)?.last ?? null;

  const save = async () => {
    if (!client || !valid) return;
    setSaving(true);
    setError(null);
    try {
      await client.requestUnchecked('saveAlert', draftToInput(d, editing ? editing.enabled !== false : true));
      onDone();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  const field = (name: string) => (problems[name] ? { 'aria-invalid': true as const, 'aria-describedby': `alert-${name}-problem` } : {});
  const problem = (name: string) =>
    problems[name] ? (
      <span className="field-problem" id={`alert-${name}-problem`} role="alert">
        {problems[name]}
      </span>
    ) : null;

  return (
    <form
      className="alert-form"
      aria-label={editing ? `Edit alert ${editing.id}` : 'New alert'}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label>
        Market
        <select value={d.market} onChange={(e) => set({ market: e.target.value })} {...field('market')}>
          {markets.map((k) => {
            const [exchange = '', market = 'spot', symbol = ''] = k.split(':');
            return (
              <option key={k} value={k}>
                {marketLabel({ exchange, market: market === 'perp' ? 'perp' : 'spot', symbol })}
              </option>
            );
          })}
        </select>
        {problem('market')}
      </label>
      <label>
        Condition
        <select value={d.kind} onChange={(e) => set({ kind: e.target.value as AlertDraft['kind'], value: '', percent: '' })}>
          {ALERT_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {VALUE_FIELD[d.kind].label}
        <input inputMode="decimal" value={d.value} onChange={(e) => set({ value: e.target.value })} {...field('value')} />
        {problem('value')}
      </label>
      {d.kind === 'oi-change' && (
        <label>
          or min %
          <input inputMode="decimal" value={d.percent} onChange={(e) => set({ percent: e.target.value })} {...field('percent')} />
          {problem('percent')}
        </label>
      )}
      {hasWindow(d.kind) && (
        <label>
          Window s
          <input inputMode="decimal" value={d.window} onChange={(e) => set({ window: e.target.value })} {...field('window')} />
          {problem('window')}
        </label>
      )}
      {d.kind === 'price-cross' && (
        <button
          type="button"
          className="link"
          onClick={() => {
            const last = lastPrice();
            if (last !== null) set({ value: String(last) });
          }}
          title="Use the market's last price (as of this click)"
        >
          at last price
        </button>
      )}
      {d.kind === 'feed-stale' && (
        <label>
          Feed
          <select value={d.feedId} onChange={(e) => set({ feedId: e.target.value })} {...field('feedId')}>
            <option value="">every feed of the market</option>
            {feeds.map((f) => (
              <option key={f.id} value={f.id}>
                {f.id}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="check">
        <input type="checkbox" checked={d.repeat} onChange={(e) => set({ repeat: e.target.checked })} />
        Re-arm
      </label>
      {d.repeat && (
        <label>
          Cool-down s
          <input inputMode="decimal" placeholder="60" value={d.cooldown} onChange={(e) => set({ cooldown: e.target.value })} {...field('cooldown')} />
          {problem('cooldown')}
        </label>
      )}
      <label>
        Note
        <input value={d.note} maxLength={200} onChange={(e) => set({ note: e.target.value })} />
      </label>
      <div className="alert-form-actions">
        <button type="submit" disabled={!valid || saving || !client}>
          {editing ? 'Save alert' : 'Create alert'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
