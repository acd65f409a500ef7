/**
 * Add or edit a feed, in a dialog whose Create/Save button is always in view (the fields scroll,
 * the actions do not). Symbols are made canonical as they are typed (BTCUSDT, btc/usdt, BTC_USDT
 * -> BTC-USDT), a perp feed starts with liquidations and funding ticked, and every message is in
 * plain words: the form checks what it can before sending, and the core's refusals (the same
 * schema as the settings file) are reworded next to the field they name. Nothing changes on error.
 */
import { useRef, useState, type FormEvent } from 'react';
import type { FeedConfig } from '../../../../shared/config';
import { CHANNELS } from '../../../../shared/domain';
import {
  checkForm,
  defaultChannels,
  errorsByField,
  feedPayload,
  splitSymbols,
  tidySymbols,
  valuesFromFeed,
  type FeedFormValues,
  type FormField,
} from '../../lib/feed-form';
import { parseSymbolList } from '../../lib/symbol-input';
import { useSession } from '../../stores/session-store';
import { RecordingFields, recordingValues, withRecording, type RecordingValues } from './RecordingFields';
import { SymbolSearch } from './SymbolSearch';

type Errors = Partial<Record<FormField, string>>;

function FieldError({ field, errors }: { field: FormField; errors: Errors }) {
  const text = errors[field];
  if (!text) return null;
  return (
    <span role="alert" className="field-error" data-error-for={field}>
      {text}
    </span>
  );
}

export function FeedForm({ initial, onDone, titleId }: { initial: FeedConfig | null; onDone: () => void; titleId?: string }) {
  const client = useSession((s) => s.client);
  const venues = useSession((s) => s.venues);
  const refreshFeeds = useSession((s) => s.refreshFeeds);
  const available = (exchange: string, market: 'spot' | 'perp'): string[] => venues.find((x) => x.id === exchange)?.channels[market] ?? [...CHANNELS];
  const [v, setV] = useState<FeedFormValues>(() => {
    const exchange = venues[0]?.id ?? 'simulator';
    const market = venues[0]?.marketTypes[0] ?? 'spot';
    return valuesFromFeed(initial, { exchange, market, channels: defaultChannels(available(exchange, market), market) });
  });
  // Channels follow the venue and market type until the user ticks one themselves.
  const channelsTouched = useRef(initial !== null);
  const [rec, setRec] = useState<RecordingValues>(() => recordingValues(initial));
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const isReplay = v.exchange === 'replay';
  const venue = venues.find((x) => x.id === v.exchange);
  const marketTypes = venue?.marketTypes ?? ['spot', 'perp'];
  const channels = available(v.exchange, v.market);
  const set = (patch: Partial<FeedFormValues>) => setV((old) => ({ ...old, ...patch }));
  const title = initial ? `Edit feed ${initial.id}` : 'Add feed';
  const typed = parseSymbolList(v.symbols);

  /** Another venue or market type: default channels (or the ticked ones it still offers). */
  const retarget = (exchange: string, market: 'spot' | 'perp') => {
    const offered = available(exchange, market);
    set({ exchange, market, channels: channelsTouched.current ? v.channels.filter((c) => offered.includes(c)) : defaultChannels(offered, market) });
  };

  const showErrors = (errs: Errors) => {
    setErrors(errs);
    // Bring the first message into view (the fields scroll inside the dialog).
    requestAnimationFrame(() => formRef.current?.querySelector('.field-error')?.scrollIntoView({ block: 'nearest' }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!client) return;
    const local = checkForm(v, isReplay);
    if (Object.keys(local).length > 0) return showErrors(local);
    setBusy(true);
    setErrors({});
    try {
      const payload = withRecording(feedPayload(v, initial), rec, isReplay);
      // The core's schema checks it again; its refusal names the field.
      if (initial) await client.requestUnchecked('updateFeed', payload);
      else await client.requestUnchecked('addFeed', payload);
      await refreshFeeds();
      onDone();
    } catch (err) {
      showErrors(errorsByField(err instanceof Error ? err.message : String(err)));
    } finally {
      setBusy(false);
    }
  };

  const addSymbol = (s: string) => {
    const list = splitSymbols(tidySymbols(v.symbols));
    if (!list.includes(s)) set({ symbols: [...list, s].join(', ') });
  };

  return (
    <form ref={formRef} className="feed-form" aria-label={title} onSubmit={submit} noValidate>
      <header className="feed-form-head">
        <h3 id={titleId}>{title}</h3>
        <button type="button" className="icon-button" aria-label="Close" title="Close without saving" onClick={onDone}>
          ×
        </button>
      </header>
      <div className="feed-form-body">
        <div className="feed-form-row">
          <label>
            <span>Venue</span>
            <select aria-label="Venue" value={v.exchange} disabled={!!initial} onChange={(e) => {
              const nv = venues.find((x) => x.id === e.target.value);
              retarget(e.target.value, nv?.marketTypes.includes(v.market) ? v.market : nv?.marketTypes[0] ?? 'spot');
            }}>
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
            <select aria-label="Market type" value={v.market} disabled={!!initial} onChange={(e) => retarget(v.exchange, e.target.value as 'spot' | 'perp')}>
              {marketTypes.map((m) => (
                <option key={m} value={m}>
                  {m === 'perp' ? 'perp (perpetual futures)' : 'spot'}
                </option>
              ))}
            </select>
            <FieldError field="market" errors={errors} />
          </label>
          {!initial && (
            <label>
              <span>Feed id (optional)</span>
              <input aria-label="Feed id" value={v.id} onChange={(e) => set({ id: e.target.value })} />
              <span className="field-hint">Empty: {v.exchange}-{v.market} (numbered if taken)</span>
              <FieldError field="id" errors={errors} />
            </label>
          )}
        </div>
        <label>
          <span>Symbols</span>
          <input
            aria-label="Symbols"
            aria-describedby="feed-symbols-hint"
            value={v.symbols}
            onChange={(e) => set({ symbols: e.target.value })}
            onBlur={() => set({ symbols: tidySymbols(v.symbols) })}
          />
          <span className="field-hint" id="feed-symbols-hint">
            Separate with commas. BTCUSDT, btc/usdt and BTC_USDT all mean BTC-USDT.
          </span>
          {typed.symbols.length > 0 && (
            <span className="symbol-preview" role="status" data-testid="symbols-preview">
              Will subscribe: {typed.symbols.join(', ')}
            </span>
          )}
          <FieldError field="symbols" errors={errors} />
        </label>
        {!isReplay && <SymbolSearch exchange={v.exchange} market={v.market} venueName={venue?.name ?? v.exchange} restUrl={v.restUrl} onPick={addSymbol} />}
        <fieldset>
          <legend>Channels</legend>
          {channels.map((c) => (
            <label key={c} className="check">
              <input
                type="checkbox"
                aria-label={`Channel ${c}`}
                checked={v.channels.includes(c)}
                onChange={(e) => {
                  channelsTouched.current = true;
                  set({ channels: e.target.checked ? [...v.channels, c] : v.channels.filter((x) => x !== c) });
                }}
              />
              {c}
            </label>
          ))}
          <FieldError field="channels" errors={errors} />
        </fieldset>
        <details className="feed-form-advanced" open={!!(v.url || v.restUrl || errors.url || errors.restUrl)}>
          <summary>Connection overrides (testnets, proxies)</summary>
          <label>
            <span>WebSocket URL override</span>
            <input aria-label="WebSocket URL override" value={v.url} onChange={(e) => set({ url: e.target.value })} />
            <span className="field-hint">Empty: the venue's own</span>
            <FieldError field="url" errors={errors} />
          </label>
          <label>
            <span>REST URL override</span>
            <input aria-label="REST URL override" value={v.restUrl} onChange={(e) => set({ restUrl: e.target.value })} />
            <span className="field-hint">Empty: the venue's own</span>
            <FieldError field="restUrl" errors={errors} />
          </label>
        </details>
        <RecordingFields rec={rec} isReplay={isReplay} set={(patch) => setRec((old) => ({ ...old, ...patch }))} />
        <label className="check">
          <input type="checkbox" aria-label="Enabled" checked={v.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          Enabled
        </label>
      </div>
      <footer className="form-actions">
        <FieldError field="form" errors={errors} />
        <span className="toolbar-spacer" />
        <button type="button" onClick={onDone} aria-label="Cancel">
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy} aria-label={initial ? 'Save feed' : 'Create feed'}>
          {initial ? 'Save' : 'Create'}
        </button>
      </footer>
    </form>
  );
}
