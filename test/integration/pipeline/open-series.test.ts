/**
 * Pipeline.bars() answers from the store and memory only; the REST top-up of a series is the
 * explicit openSeries(), which CoreApi's getBars calls for a first page (not for older pages).
 * A local HTTP server stands in for the venue's REST API and counts the candle requests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFeedConfig } from '../../../shared/config';
import type { ServerMessage } from '../../../shared/protocol';
import { CoreApi } from '../../../electron/core/api/core-api';
import { startPipeline, type Pipeline } from '../../../electron/core/pipeline/pipeline';
import { waitFor } from '../../helpers/wait-for';

let server: Server | null = null;
let pipeline: Pipeline | null = null;
afterEach(async () => {
  await pipeline?.stop();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  pipeline = null;
  server = null;
});

/** The venue's REST API: empty candle pages, interval by interval, in the order asked. */
async function fakeRest(): Promise<{ url: string; intervals: string[] }> {
  const intervals: string[] = [];
  server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/api/v3/klines') {
      intervals.push(u.searchParams.get('interval') ?? '?');
      res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
      return;
    }
    res.writeHead(404).end('{}');
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, intervals };
}

const series = (tf: string) => ({ exchange: 'binance', market: 'spot' as const, symbol: 'BTC-USDT', tf });

describe('opening a series is explicit', () => {
  it('bars() fetches nothing; openSeries() tops up once per series; getBars opens on a first page only', async () => {
    const rest = await fakeRest();
    pipeline = await startPipeline({
      timeframes: ['1m', '5m', '15m', '30m', '1h'],
      backfill: false,
      // Nothing listens on port 9: the feed retries its socket, its REST URL is the fake.
      feeds: [parseFeedConfig({ id: 'bin', exchange: 'binance', symbols: ['BTC-USDT'], channels: ['trades'], url: 'ws://127.0.0.1:9/ws', restUrl: rest.url })],
    });
    const p = pipeline;
    for (let i = 0; i < 3; i++) expect(p.bars(series('5m'))).toEqual([]);
    p.openSeries(series('1m'));
    p.openSeries(series('1m'));
    p.openSeries({ ...series('15m'), exchange: '*' }); // the composite has no REST history
    p.openSeries(series('15m'));
    await waitFor(() => rest.intervals.includes('15m'), 'the 15m candles request');
    // Requests leave in the order asked (one token bucket per venue): a 5m one would be first.
    expect(rest.intervals).toEqual(['1m', '15m']);

    const api = new CoreApi(p, { timeframes: ['1m', '5m', '15m', '30m', '1h'] });
    const replies: ServerMessage[] = [];
    const session = api.connect({ send: (m) => replies.push(m), ready: () => true });
    await session.receive({ type: 'command', id: 1, name: 'getBars', args: { ...series('1h'), before: Date.now() } });
    await session.receive({ type: 'command', id: 2, name: 'getBars', args: series('30m') });
    session.close();
    expect(replies.filter((m) => m.type === 'reply').map((m) => m.type === 'reply' && m.ok)).toEqual([true, true]);
    await waitFor(() => rest.intervals.includes('30m'), 'the 30m candles request');
    expect(rest.intervals).toEqual(['1m', '15m', '30m']);
  });
});
