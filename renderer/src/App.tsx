/**
 * Minimal live view (foundation): last price per market and each feed's state, straight from the
 * publisher's batches. The full UI (charts, tape, health, feed editor) replaces this.
 */
import { useEffect, useState } from 'react';
import type { FeedState } from '../../shared/health';
import type { CoreClient } from './transport/client';

interface Row {
  key: string;
  exchange: string;
  symbol: string;
  price: number;
  trades: number;
}

export function App({ client }: { client: CoreClient }) {
  const [rows, setRows] = useState<Map<string, Row>>(new Map());
  const [states, setStates] = useState<Record<string, FeedState>>({});
  const [seq, setSeq] = useState(0);

  useEffect(
    () =>
      client.transport.onMessage((m) => {
        if (m.type !== 'batch') return;
        setSeq(m.seq);
        if (m.trades.length > 0) {
          setRows((prev) => {
            const next = new Map(prev);
            for (const t of m.trades) {
              const key = `${t.exchange}:${t.market}:${t.symbol}`;
              const row = next.get(key);
              next.set(key, { key, exchange: t.exchange, symbol: t.symbol, price: t.price, trades: (row?.trades ?? 0) + 1 });
            }
            return next;
          });
        }
        if (m.health) setStates(Object.fromEntries(m.health.feeds.map((f) => [f.feedId, f.state])));
      }),
    [client],
  );

  return (
    <main style={{ fontFamily: 'system-ui', background: '#111', color: '#ddd', minHeight: '100vh', padding: 16 }}>
      <h1>Tickscope</h1>
      <p aria-label="batch sequence">batch {seq}</p>
      <ul aria-label="feeds">
        {Object.entries(states).map(([id, s]) => (
          <li key={id} data-feed={id} data-state={s}>
            {id}: {s}
          </li>
        ))}
      </ul>
      <table aria-label="markets">
        <thead>
          <tr><th>Market</th><th>Last</th><th>Trades</th></tr>
        </thead>
        <tbody>
          {[...rows.values()].map((r) => (
            <tr key={r.key} data-market={r.key}>
              <td>{r.exchange} {r.symbol}</td>
              <td className="price">{r.price}</td>
              <td>{r.trades}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
