/**
 * A desktop takes only the upstream feeds it names (the server filters by subject), and its
 * health row shows the ingest node's venue state, the consumer lag and the NATS connection.
 * Records are published straight through a NatsPublisher (as `headless --publish` does), so the
 * venues and their states are exactly what the test says.
 */
import { expect, it } from 'vitest';
import type { Trade } from '../../../shared/domain';
import { NatsPublisher } from '../../../electron/core/scaleout/nats-publisher';
import { waitFor } from '../../helpers/wait-for';
import { prefixOf, startDesktop, useNatsSuite } from './harness';

const suite = useNatsSuite();

const trade = (exchange: string, symbol: string, id: number): Trade => ({
  type: 'trade', exchange, market: 'spot', symbol, price: 100 + id, size: 1, side: id % 2 ? 'buy' : 'sell', time: 1_700_000_000_000 + id * 10, receivedAt: 1_700_000_000_005 + id * 10, id: String(id),
});

it('a desktop filtering one venue gets only that venue; upstream stale shows on its row', async () => {
  const stream = 'TS_FILTER';
  const nats = suite.nats();
  const pub = new NatsPublisher({ url: nats.url, stream, subjectPrefix: prefixOf(stream) });
  await pub.start();
  for (let i = 1; i <= 50; i++) {
    pub.publish(trade('binance', 'BTC-USDT', i));
    pub.publish(trade('okx', 'BTC-USDT', i));
    pub.publish(trade('binance', 'ETH-USDT', i));
  }
  pub.publish({ type: 'status', feedId: 'bin', exchange: 'binance', market: 'spot', state: 'stale', at: 1_700_000_001_000, cause: 'no data for 30 s' });
  await pub.close();
  expect(pub.stats()).toMatchObject({ publishedRecords: 151, droppedRecords: 0 });

  const d = suite.track(await startDesktop(nats.url, 'filter', { stream, sources: ['binance:spot'], symbols: ['BTC-USDT'] }));
  await waitFor(() => d.trades.length >= 50, 'binance BTC-USDT trades', { explain: () => String(d.trades.length) });
  expect(d.trades.map((t) => `${t.exchange}:${t.symbol}:${t.id}`)).toEqual(Array.from({ length: 50 }, (_, i) => `binance:BTC-USDT:${i + 1}`));
  // The original feed's status, as the ingest node published it.
  await waitFor(() => d.statuses.find((s) => s.feedId === 'bin' && s.state === 'stale'), 'the upstream stale status');
  const row = await waitFor(() => d.pipeline.health().feeds.find((f) => f.feedId === 'desk' && f.nats?.pending === 0), 'the nats row caught up');
  expect(row.state).toBe('stale');
  expect(row.nats).toMatchObject({ connected: true, pending: 0, upstream: [{ source: 'binance:spot', state: 'stale', cause: 'no data for 30 s' }] });
  expect(row.exchange).toBe('nats');
  // Nothing of okx, and nothing after the filtered trades arrived late.
  expect(d.trades.some((t) => t.exchange === 'okx')).toBe(false);
}, 30_000);
