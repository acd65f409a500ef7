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
  const [rec, setRec] = useState(() => ({
    record: initial?.record ?? false,
    budgetMB: String(initial?.recordBudgetMB ?? ''),
    file: typeof initial?.options?.['file'] === 'string' ? (initial.options['file'] as string) : '',
    speed: String(initial?.options?.['speed'] ?? '1'),
  }));
  const setR = (patch: Partial<typeof rec>) => setRec((old) => ({ ...old, ...patch }));
  const isReplay = v.exchange === 'replay';
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
      const payload = withRecording(feedPayload(v, initial), rec, isReplay);
      // Sent as typed: the core's schema checks it and its error names the field.
      if (initial) await client.requestUnchecked('updateFeed', payload);
      else await client.requestUnchecked('addFeed', payload);
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
      {isReplay ? (
        <>
          <label>
            <span>Recording file or folder</span>
            <input
              aria-label="Recording file"
              value={rec.file}
              placeholder="<data dir>/recordings/binance-spot"
              onChange={(e) => setR({ file: e.target.value })}
            />
          </label>
          <label>
            <span>Replay speed</span>
            <select aria-label="Replay speed" value={rec.speed} onChange={(e) => setR({ speed: e.target.value })}>
              <option value="1">1x</option>
              <option value="10">10x</option>
              <option value="max">as fast as possible</option>
            </select>
          </label>
        </>
      ) : (
        <>
          <label className="check">
            <input type="checkbox" aria-label="Record raw frames" checked={rec.record} onChange={(e) => setR({ record: e.target.checked })} />
            Record raw frames (for replay and trade export)
          </label>
          {rec.record && (
            <label>
              <span>Recording disk budget (MiB)</span>
              <input aria-label="Recording budget" inputMode="numeric" value={rec.budgetMB} placeholder="1024" onChange={(e) => setR({ budgetMB: e.target.value })} />
            </label>
          )}
        </>
      )}
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

/** Adds the recording fields (or, for a replay feed, its file and speed options) to a payload. */
function withRecording(
  payload: Record<string, unknown>,
  rec: { record: boolean; budgetMB: string; file: string; speed: string },
  isReplay: boolean,
): Record<string, unknown> {
  const out = { ...payload };
  delete out.record;
  delete out.recordBudgetMB;
  if (isReplay) {
    const options = { ...((out.options as Record<string, unknown> | undefined) ?? {}) };
    options.file = rec.file.trim();
    options.speed = rec.speed === 'max' ? 'max' : Number(rec.speed);
    out.options = options;
    return out;
  }
  if (rec.record) {
    out.record = true;
    // An unparseable budget goes to the core as typed, so its error names the field.
    if (rec.budgetMB.trim()) out.recordBudgetMB = Number.isFinite(Number(rec.budgetMB)) ? Number(rec.budgetMB) : rec.budgetMB;
  }
  return out;
}
