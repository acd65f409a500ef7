/**
 * Searches the venue's instruments (command searchMarkets) and adds a result to the symbol list.
 * When the venue's instrument list cannot be had (offline, REST down, nothing cached) it says so,
 * and what to type instead, rather than a bare "no match".
 */
import { useEffect, useState } from 'react';
import type { InstrumentSearchResult } from '../../../../shared/market-stats';
import { useSession } from '../../stores/session-store';

export function SymbolSearch(props: { exchange: string; market: 'spot' | 'perp'; venueName: string; restUrl: string; onPick: (symbol: string) => void }) {
  // The form's REST URL override (a testnet, a proxy) is where that venue's list lives.
  const restUrl = /^https?:\/\/\S+$/.test(props.restUrl.trim()) ? props.restUrl.trim() : undefined;
  const client = useSession((s) => s.client);
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<InstrumentSearchResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!client || query.trim().length === 0) {
      setResult(null);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      client
        .request('searchMarkets', { exchange: props.exchange, market: props.market, query: query.trim().slice(0, 40), ...(restUrl ? { restUrl } : {}) })
        .then((r) => {
          if (!live) return;
          // An older core answers with a bare list.
          setResult(r);
          setError(null);
        })
        .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    }, 200);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [client, query, props.exchange, props.market, restUrl]);

  const symbols = result?.symbols ?? [];
  const unavailable = result?.listUnavailable;
  return (
    <div className="symbol-search">
      <label>
        <span>Search {props.venueName} instruments</span>
        <input type="search" aria-label="Search instruments" value={query} maxLength={40} onChange={(e) => setQuery(e.target.value)} />
      </label>
      {error && <span className="field-error">{error}</span>}
      {unavailable && query.trim() && (
        <p className="search-note" role="status" data-testid="instrument-list-unavailable" title={unavailable}>
          The {props.venueName} instrument list is unavailable right now (offline, or the venue did not answer), so search only knows
          {symbols.length > 0 ? ' a few common markets' : ' nothing'}. Type the symbols yourself as BASE-QUOTE, for example BTC-USDT (BTCUSDT and btc/usdt work too).
        </p>
      )}
      {symbols.length > 0 && (
        <ul className="search-results" aria-label="Instrument search results">
          {symbols.map((s) => (
            <li key={s}>
              <button type="button" aria-label={`Add symbol ${s}`} onClick={() => props.onPick(s)}>
                {s}
              </button>
            </li>
          ))}
        </ul>
      )}
      {query.trim() && result && symbols.length === 0 && !unavailable && !error && <span className="muted">No {props.venueName} instrument matches “{query.trim()}”.</span>}
    </div>
  );
}
