/**
 * The runtime's pre-connect step (VenueStream.connectToken, runtime/connect-token.ts) on the echo
 * venue, apart from any real venue: a token request before every connection, its answer's URL
 * used, one connect deadline covering the request and the upgrade, and a bad answer or a hanging
 * token server failing the connection with that cause (then retried), never the process.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectTokenSpec, VenueAdapter } from '../../../electron/core/adapters/adapter';
import { createEchoAdapter } from '../../helpers/echo-adapter';
import { echoFeedHarness, FAST } from '../../helpers/feed-harness';

/** A token endpoint: `answer` decides each response (undefined: never answer). */
async function tokenServer(answer: (n: number) => unknown): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const body = answer(requests.length);
    if (body !== undefined) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const spec: ConnectTokenSpec = {
  path: () => '/token',
  body: () => ({}),
  parse: (body, q) => {
    const b = body as { endpoint?: unknown };
    if (typeof b.endpoint !== 'string') throw new Error('no endpoint in the token answer');
    return { url: `${b.endpoint}?connectId=${q.connectionId}` };
  },
};
const adapter: VenueAdapter = { ...createEchoAdapter(), connectToken: spec };

const h = echoFeedHarness();
let tokens: Awaited<ReturnType<typeof tokenServer>> | undefined;
afterEach(async () => {
  await h.tearDown();
  await tokens?.close();
  tokens = undefined;
});

function run(restUrl: string, connectTimeoutMs = FAST.connectTimeoutMs!) {
  return h.runCollectedFeed({
    adapter,
    config: { id: 'tok', exchange: 'simulator', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], restUrl },
    tuning: { ...FAST, connectTimeoutMs },
  });
}

describe('connect token before every connection', () => {
  it('connects to the URL of the answer, with a fresh request per connection', async () => {
    const venue = await h.startVenue();
    tokens = await tokenServer(() => ({ endpoint: venue.server.url }));
    const feed = run(tokens.url);
    await h.waitFor(() => venue.subscribed.size === 1, 'subscribed');
    expect(tokens.requests).toEqual(['POST /token']);
    expect(venue.server.attempts.at(-1)?.path).toMatch(/^\/\?connectId=tok-1-\d+$/);
    venue.server.dropAll();
    await h.waitFor(() => venue.subscribed.size === 2, 'resubscribed after the drop');
    expect(tokens.requests).toEqual(['POST /token', 'POST /token']);
    expect(venue.server.attempts.at(-1)?.path).toMatch(/^\/\?connectId=tok-2-\d+$/);
    expect(feed.runner.counts().reconnects).toBe(1);
  });

  it('a bad answer fails the connection with its cause and is retried', async () => {
    const venue = await h.startVenue();
    tokens = await tokenServer((n) => (n === 1 ? { nothing: true } : { endpoint: venue.server.url }));
    const feed = run(tokens.url);
    await h.waitFor(() => venue.subscribed.size === 1, 'subscribed after the retry');
    expect(feed.runner.health().errors).toBe(1);
    expect(feed.statuses.map((s) => s.cause).join('\n')).toContain('no endpoint in the token answer');
  });

  it('a token server that never answers fails within the connect deadline', async () => {
    const venue = await h.startVenue();
    tokens = await tokenServer((n) => (n === 1 ? undefined : { endpoint: venue.server.url }));
    const feed = run(tokens.url, 300);
    await h.waitFor(() => venue.subscribed.size === 1, 'subscribed after the timed-out request');
    expect(feed.statuses.map((s) => s.cause).join('\n')).toContain('no connect token and WebSocket upgrade within 300 ms');
    expect(tokens.requests).toHaveLength(2);
  });
});
