/** Searches the venue's instruments (command searchMarkets) and adds a result to the symbol list. */
import { useEffect, useState } from 'react';
import { useSession } from '../../stores/session-store';

export function SymbolSearch(props: { exchange: string; market: 'spot' | 'perp'; onPick: (symbol: string) => void }) {
  const client = useSession((s) => s.client);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!client || query.trim().length === 0) {
      setResults([]);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      client
        .request('searchMarkets', { exchange: props.exchange, market: props.market, query: query.trim().slice(0, 40) })
        .then((r) => {
          if (!live) return;
          setResults(r);
          setError(null);
        })
        .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    }, 200);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [client, query, props.exchange, props.market]);

  return (
    <div className="symbol-search">
      <input
        type="search"
        aria-label="Search instruments"
        placeholder={`Search ${props.exchange} ${props.market} instruments`}
        value={query}
        maxLength={40}
        onChange={(e) => setQuery(e.target.value)}
      />
      {error && <span className="field-error">{error}</span>}
      {results.length > 0 && (
        <ul className="search-results" aria-label="Instrument search results">
          {results.map((s) => (
            <li key={s}>
              <button type="button" aria-label={`Add symbol ${s}`} onClick={() => props.onPick(s)}>
                {s}
              </button>
            </li>
          ))}
        </ul>
      )}
      {query.trim() && results.length === 0 && !error && <span className="muted">no match</span>}
    </div>
  );
}
