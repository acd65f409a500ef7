/**
 * The feed form's instrument search says when the venue's instrument list is unavailable (offline,
 * REST refusing, nothing cached) instead of a bare empty result, so the UI can tell the user what
 * to type; with a list it searches it. A real pipeline; the venue REST API is a local HTTP server,
 * and "offline" is a loopback port nothing listens on.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InstrumentSearchResult } from '../../../shared/market-stats';
import type { ReplyMessage, ServerMessage } from '../../../shared/protocol';
import { CoreApi } from '../../../electron/core/api/core-api';
import { startPipeline } from '../../../electron/core/pipeline/pipeline';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function core(): Promise<CoreApi> {
  const p = await startPipeline({ feeds: [], dataDir: mkdtempSync(join(tmpdir(), 'tickscope-search-')), backfill: false, store: false });
  cleanups.push(() => p.stop());
  return new CoreApi(p, { timeframes: ['1m'] });
}

async function search(c: CoreApi, args: unknown): Promise<ReplyMessage> {
  const got: ServerMessage[] = [];
  const session = c.connect({ send: (m) => void got.push(JSON.parse(JSON.stringify(m)) as ServerMessage), ready: () => true });
  await session.receive({ type: 'command', id: 1, name: 'searchMarkets', args });
  session.close();
  return got.find((m): m is ReplyMessage => m.type === 'reply')!;
}

async function fakeBinance(): Promise<string> {
  const body = JSON.stringify({
    symbols: [
      { symbol: 'BTCUSDT', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT' },
      { symbol: 'BTCPLN', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'PLN' },
      { symbol: 'ETHUSDT', status: 'TRADING', baseAsset: 'ETH', quoteAsset: 'USDT' },
    ],
  });
  const server: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('searchMarkets', () => {
  it('says the instrument list is unavailable when the venue cannot be reached and nothing is cached', async () => {
    const reply = await search(await core(), { exchange: 'binance', market: 'spot', query: 'btc', restUrl: 'http://127.0.0.1:9' });
    expect(reply.ok).toBe(true);
    const r = reply.result as InstrumentSearchResult;
    expect(r.listUnavailable).toMatch(/Binance instrument list unavailable/);
    expect(Array.isArray(r.symbols)).toBe(true);
  });

  it('searches the venue list (at the form\'s REST URL override) when it is there: no note', async () => {
    const reply = await search(await core(), { exchange: 'binance', market: 'spot', query: 'btc', restUrl: await fakeBinance() });
    expect(reply.result).toEqual({ symbols: ['BTC-PLN', 'BTC-USDT'] });
  });

  it('searches the simulator\'s own markets (it has no REST list, and that is not "unavailable")', async () => {
    const reply = await search(await core(), { exchange: 'simulator', market: 'perp', query: 'bnb' });
    expect(reply.result).toEqual({ symbols: ['BNB-USDT'] });
  });

  it('refuses a REST URL that is not http(s), naming the field', async () => {
    const reply = await search(await core(), { exchange: 'binance', market: 'spot', query: 'btc', restUrl: 'file:///etc/passwd' });
    expect(reply.ok).toBe(false);
    expect(reply.error).toBe('restUrl: must be an http:// or https:// URL');
  });
});
