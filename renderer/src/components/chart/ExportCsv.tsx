/**
 * CSV export of the chart's market: bars of its timeframe (from the local store and memory) or
 * trades (from raw recordings) over a chosen range, downloaded by the browser (Blob + <a download>).
 * Trades are offered only when a feed records the market (else the option says why); an error
 * opens in a small panel under the button, never in the toolbar's row (it must not break it).
 */
import { useEffect, useState } from 'react';
import type { MarketRef } from '../../../../shared/domain';
import { csvFileName, tradesExportBlocked } from '../../lib/csv-export';
import { useSession } from '../../stores/session-store';
import './export-csv.css';

const RANGES: { label: string; ms: number | null }[] = [
  { label: '1 h', ms: 3_600_000 },
  { label: '24 h', ms: 86_400_000 },
  { label: '7 d', ms: 7 * 86_400_000 },
  { label: 'all', ms: null },
];

export function ExportCsv({ market, tf, index }: { market: MarketRef | null; tf: string; index: number }) {
  const client = useSession((s) => s.client);
  const feeds = useSession((s) => s.feeds);
  const [kind, setKind] = useState<'bars' | 'trades'>('bars');
  const [range, setRange] = useState('24 h');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const blocked = market ? tradesExportBlocked(market, feeds) : null;
  const n = index + 1;
  // Recording turned off (or another market picked) while trades were chosen: back to bars.
  useEffect(() => {
    if (blocked && kind === 'trades') setKind('bars');
  }, [blocked, kind]);
  useEffect(() => setError(null), [market?.exchange, market?.market, market?.symbol, kind]);
  if (!market) return null;

  const run = async () => {
    if (!client) return;
    setBusy(true);
    setError(null);
    const to = Date.now() + 1;
    const span = RANGES.find((r) => r.label === range)?.ms ?? null;
    const from = span === null ? 0 : to - span;
    try {
      const csv = await client.request(
        'exportCsv',
        { kind, exchange: market.exchange, market: market.market, symbol: market.symbol, ...(kind === 'bars' ? { tf } : {}), from, to },
        120_000,
      );
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = csvFileName(kind, market, tf, to);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="export-csv" role="group" aria-label={`Export chart ${n}`}>
      <select
        aria-label={`Export kind for chart ${n}`}
        value={kind}
        title={blocked ?? 'Bars of this timeframe, or recorded trades'}
        onChange={(e) => setKind(e.target.value as 'bars' | 'trades')}
      >
        <option value="bars">{tf} bars</option>
        <option value="trades" disabled={blocked !== null}>
          {blocked ? 'trades (needs recording)' : 'trades'}
        </option>
      </select>
      <select aria-label={`Export range for chart ${n}`} value={range} onChange={(e) => setRange(e.target.value)}>
        {RANGES.map((r) => (
          <option key={r.label} value={r.label}>
            {r.label}
          </option>
        ))}
      </select>
      <button type="button" disabled={busy || !client} aria-label={`Export CSV of chart ${n}`} title="Download as CSV" onClick={() => void run()}>
        {busy ? '…' : 'CSV'}
      </button>
      {error && (
        <span className="export-error" role="alert" data-testid={`export-error-${n}`}>
          <span>{error}</span>
          <button type="button" className="icon-button" aria-label="Dismiss export error" onClick={() => setError(null)}>
            ×
          </button>
        </span>
      )}
    </span>
  );
}
