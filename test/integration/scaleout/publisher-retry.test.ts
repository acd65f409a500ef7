/**
 * The publisher's retry path: a server restarted without its store has no stream, every publish
 * fails (no responders); the publisher creates the stream again and sends what it holds, in order.
 */
import { expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import type { Trade } from '../../../shared/domain';
import { NatsPublisher } from '../../../electron/core/scaleout/nats-publisher';
import { waitFor } from '../../helpers/wait-for';
import { prefixOf, startDesktop, useNatsSuite } from './harness';

const suite = useNatsSuite();

const trade = (id: number): Trade => ({
  type: 'trade', exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', price: 100, size: id, side: 'buy', time: 1_700_000_000_000 + id * 50, receivedAt: 1_700_000_000_000 + id * 50, id: String(id),
});

it('a stream that vanished is created again and the held batches are sent in order', async () => {
  const stream = 'TS_RETRY';
  const nats = suite.nats();
  const pub = new NatsPublisher({ url: nats.url, stream, subjectPrefix: prefixOf(stream) });
  await pub.start();
  const nc = await connect({ servers: nats.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.delete(stream);
  for (let i = 1; i <= 40; i++) pub.publish(trade(i));
  await waitFor(() => pub.stats().retries > 0, 'a failed publish', { explain: () => JSON.stringify(pub.stats()) });
  await pub.close();
  expect(pub.stats()).toMatchObject({ publishedRecords: 40, droppedRecords: 0, bufferedRecords: 0 });
  expect((await jsm.streams.info(stream)).state.messages).toBe(21); // one message per 100 ms window: trade 1 alone, then 2 a window
  await nc.close();
  const d = suite.track(await startDesktop(nats.url, 'retry', { stream, sources: ['binance:spot'], symbols: ['BTC-USDT'] }));
  await waitFor(() => d.trades.length >= 40, 'the 40 trades');
  expect(d.trades.map((t) => Number(t.id))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
}, 30_000);
