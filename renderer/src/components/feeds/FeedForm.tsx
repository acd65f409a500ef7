/**
 * Add or edit a feed. The core validates (the same schema as the settings file) and replies with
 * an error naming the field; it is shown next to that field and nothing changes.
 */
import { useState, type FormEvent } from 'react';
import type { FeedConfig } from '../../../../shared/config';
import { CHANNELS } from '../../../../shared/domain';
import { errorsByField, feedPayload, splitSymbols, valuesFromFeed, type FeedFormValues, type FormField } from '../../lib/feed-form';
import { useSession } from '../../stores/session-store';
import { SymbolSearch } from './SymbolSearch';

function FieldError({ field, errors }: { field: FormField; errors: Partial<Record<FormField, string>> }) {
  const text = errors[field];
  if (!text) return null;
  return (
    <span role="alert" className="field-error" data-error-for={field}>
      {text}
    </span>
  );
}

export function FeedForm({ initial, onDone }: { initial: FeedConfig | null; onDone: () => void }) {
  const client = useSession((s) => s.client);
  const venues = useSession((s) => s.venues);
  const refreshFeeds = useSession((s) => s.refreshFeeds);
  const firstVenue = venues[0];
  const [v, setV] = useState<FeedFormValues>(() =>
    valuesFromFeed(initial, {
      exchange: firstVenue?.id ?? 'simulator',
      market: firstVenue?.marketTypes[0] ?? 'spot',
      channels: ['trades', 'quotes'],
    }),
  );
  const [errors, setErrors] = useState<Partial<Record<FormField, string>>>({});
  const [busy, setBusy] = useState(false);
  const venue = venues.find((x) => x.id === v.exchange);
  const marketTypes = venue?.marketTypes ?? ['spot', 'perp'];
  const channels = venue?.channels[v.market] ?? [...CHANNELS];
  const set = (patch: Partial<FeedFormValues>) => setV((old) => ({ ...old, ...patch }));
  const title = initial ? `Edit feed ${initial.id}` : 'Add feed';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!client) return;
    setBusy(true);
    setErrors({});
    try {
      const payload = feedPayload(v, initial);
      // The payload is checked by the core's schema; the client types cannot express "unchecked".
      if (initial) await client.request('updateFeed', payload as never);
      else await client.request('addFeed', payload as never);
      await refreshFeeds();
      onDone();
    } catch (err) {
      setErrors(errorsByField(err instanceof Error ? err.message : String(err)));
    } finally {
      setBusy(false);
    }
  };

  const addSymbol = (s: string) => {
    const list = splitSymbols(v.symbols);
    if (!list.includes(s)) set({ symbols: [...list, s].join(', ') });
  };

  return (
    <form className="feed-form" aria-label={title} onSubmit={submit} noValidate>
      <h3>{title}</h3>
      <label>
        <span>Venue</span>
        <select
          aria-label="Venue"
          value={v.exchange}
          disabled={!!initial}
          onChange={(e) => {
            const nv = venues.find((x) => x.id === e.target.value);
            const market = nv?.marketTypes.includes(v.market) ? v.market : nv?.marketTypes[0] ?? 'spot';
            set({ exchange: e.target.value, market });
          }}
        >
          {venues.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </select>
        <FieldError field="exchange" errors={errors} />
      </label>
      <label>
        <span>Market type</span>
        <select aria-label="Market type" value={v.market} disabled={!!initial} onChange={(e) => set({ market: e.target.value as 'spot' | 'perp' })}>
          {marketTypes.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        <FieldError field="market" errors={errors} />
      </label>
      {!initial && (
        <label>
          <span>Feed id (optional)</span>
          <input aria-label="Feed id" value={v.id} placeholder={`${v.exchange}-${v.market}`} onChange={(e) => set({ id: e.target.value })} />
          <FieldError field="id" errors={errors} />
        </label>
      )}
      <label>
        <span>Symbols</span>
        <input aria-label="Symbols" value={v.symbols} placeholder="BTC-USDT, ETH-USDT" onChange={(e) => set({ symbols: e.target.value })} />
        <FieldError field="symbols" errors={errors} />
      </label>
      <SymbolSearch exchange={v.exchange} market={v.market} onPick={addSymbol} />
      <fieldset>
        <legend>Channels</legend>
        {channels.map((c) => (
          <label key={c} className="check">
            <input
              type="checkbox"
              aria-label={`Channel ${c}`}
              checked={v.channels.includes(c)}
              onChange={(e) => set({ channels: e.target.checked ? [...v.channels, c] : v.channels.filter((x) => x !== c) })}
            />
            {c}
          </label>
        ))}
        <FieldError field="channels" errors={errors} />
      </fieldset>
      <label>
        <span>WebSocket URL override</span>
        <input aria-label="WebSocket URL override" value={v.url} placeholder="default" onChange={(e) => set({ url: e.target.value })} />
        <FieldError field="url" errors={errors} />
      </label>
      <label>
        <span>REST URL override</span>
        <input aria-label="REST URL override" value={v.restUrl} placeholder="default" onChange={(e) => set({ restUrl: e.target.value })} />
        <FieldError field="restUrl" errors={errors} />
      </label>
      <label className="check">
        <input type="checkbox" aria-label="Enabled" checked={v.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
        Enabled
      </label>
      <FieldError field="form" errors={errors} />
      <div className="form-actions">
        <button type="submit" disabled={busy} aria-label={initial ? 'Save feed' : 'Create feed'}>
          {initial ? 'Save' : 'Create'}
        </button>
        <button type="button" onClick={onDone} aria-label="Cancel">
          Cancel
        </button>
      </div>
    </form>
  );
}
