/**
 * A venue's instrument list that cannot be used (here: an endless body, cut at the cap) leaves
 * the feed running on the fallback mapping, and the failure is counted in that feed's health with
 * its cause, and shown as a status line.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { VenueAdapter } from '../../../electron/core/adapters/adapter';
import { resolveSymbols } from '../../../electron/core/instruments/resolve';
import { MB } from '../../../electron/core/util/byte-size';
import { createEchoAdapter } from '../../helpers/echo-adapter';
import { echoFeedHarness, tradeFrame } from '../../helpers/feed-harness';

const { startVenue, runEcho, waitFor, tearDown } = echoFeedHarness();
let rest: Server | null = null;
afterEach(async () => {
  await tearDown();
  rest?.closeAllConnections();
  await new Promise((r) => (rest ? rest.close(r) : r(undefined)));
  rest = null;
});

describe('FeedRunner: the instrument list could not be used', () => {
  it('counts the REST failure in the feed health and keeps serving data on the fallback mapping', async () => {
    rest = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      const pump = (): void => {
        while (!res.destroyed) if (!res.write(chunk)) return void res.once('drain', pump);
      };
      pump();
    });
    await new Promise<void>((r) => rest!.listen(0, '127.0.0.1', r));
    const restUrl = `http://127.0.0.1:${(rest.address() as AddressInfo).port}`;
    const adapter: VenueAdapter = {
      ...createEchoAdapter(),
      instruments: { path: () => '/instruments', parse: () => [{ symbol: 'BTC-USDT', native: 'btcusdt' }] },
    };
    const symbols = await resolveSymbols({ adapter, market: 'spot', restUrl, cacheDir: null, maxBodyBytes: 2 * MB });
    const failure = `Echo instrument list unavailable: ${restUrl}/instruments: instruments: body larger than 2 MB`;
    expect(symbols).toMatchObject({ source: 'fallback', restError: { kind: 'protocol', message: failure } });

    const { server, subscribed } = await startVenue();
    const { runner, ...sink } = runEcho({ adapter, resolver: symbols });
    await waitFor(() => subscribed.size === 1, 'subscribed');
    server.broadcast(tradeFrame(1));
    await waitFor(() => sink.trades().length === 1, 'a trade');
    expect(sink.trades()[0]!.symbol).toBe('BTC-USDT');
    const h = runner.health();
    expect(h).toMatchObject({ state: 'live', errors: 1, lastError: { kind: 'protocol', message: failure } });
    expect(sink.statuses.find((s) => s.cause?.startsWith('instrument list:'))?.cause).toBe(`instrument list: ${failure}`);
  });
});
