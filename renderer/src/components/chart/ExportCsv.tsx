/**
 * CSV export of the chart's market: bars of its timeframe (from the local store and memory) or
 * trades (from raw recordings) over a chosen range, downloaded by the browser (Blob + <a download>).
 * Errors (e.g. no recording for trades) are shown on the button's title and in an alert line.
 */
import { useState } from 'react';
import type { MarketRef } from '../../../../shared/domain';
import { COMPOSITE } from '../../../../shared/markets';
import { useSession } from '../../stores/session-store';

const RANGES: { label: string; ms: number | null }[] = [
  { label: '1 h', ms: 3_600_000 },
  { label: '24 h', ms: 86_400_000 },
  { label: '7 d', ms: 7 * 86_400_000 },
  { label: 'all', ms: null },
];

export function csvFileName(kind: 'bars' | 'trades', m: MarketRef, tf: string, from: number, to: number): string {
  const day = (t: number) => new Date(t).toISOString().slice(0, 16).replace(/[:T]/g, '');
  const what = kind === 'bars' ? `${tf}-bars` : 'trades';
  return `${m.exchange === COMPOSITE ? 'all' : m.exchange}_${m.market}_${m.symbol}_${what}_${day(from)}-${day(to)}.csv`;
}

export function ExportCsv({ market, tf, index }: { market: MarketRef | null; tf: string; index: number }) {
  const client = useSession((s) => s.client);
  const [kind, setKind] = useState<'bars' | 'trades'>('bars');
  const [range, setRange] = useState('24 h');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
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
      a.download = csvFileName(kind, market, tf, from, to);
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
    <span className="export-csv" role="group" aria-label={`Export chart ${index + 1}`}>
      <select aria-label={`Export kind for chart ${index + 1}`} value={kind} onChange={(e) => setKind(e.target.value as 'bars' | 'trades')}>
        <option value="bars">{tf} bars</option>
        <option value="trades">trades</option>
      </select>
      <select aria-label={`Export range for chart ${index + 1}`} value={range} onChange={(e) => setRange(e.target.value)}>
        {RANGES.map((r) => (
          <option key={r.label} value={r.label}>
            {r.label}
          </option>
        ))}
      </select>
      <button type="button" disabled={busy || !client} aria-label={`Export CSV of chart ${index + 1}`} title={error ?? 'Download as CSV'} onClick={() => void run()}>
        {busy ? '…' : 'CSV'}
      </button>
      {error && (
        <span role="alert" className="field-error">
          {error}
        </span>
      )}
    </span>
  );
}
