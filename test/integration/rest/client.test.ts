/**
 * REST bodies are read as streams with a per-endpoint cap (rest/client.ts): a venue (or whatever
 * answers on its URL) sending a page far larger than any real one gets the request aborted and a
 * clear, counted error, instead of the whole body in memory.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CANDLES_ENDPOINT, CANDLES_PAGE_MAX_BYTES, restGetJson, TRADES_ENDPOINT, type RestClientOptions, type RestCounters } from '../../../electron/core/rest/client';
import { TokenBucket } from '../../../electron/core/rest/token-bucket';
import { MB } from '../../../electron/core/util/byte-size';
import { systemClock } from '../../../electron/core/util/clock';
import { waitFor } from '../../helpers/wait-for';

let server: Server;
let base: string;
let handler: (res: ServerResponse) => void;
let hungUp: boolean;

beforeEach(async () => {
  hungUp = false;
  server = createServer((_req, res) => {
    res.on('close', () => (hungUp = !res.writableFinished));
    handler(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const options: RestClientOptions = { fetchImpl: fetch, clock: systemClock, timeoutMs: 15_000, maxRetries: 2, maxWaitMs: 5_000 };
const bucket = () => new TokenBucket({ requestsPerSecond: 100, burst: 10 }, systemClock);
const counters = (): RestCounters => ({ requests: 0, rateLimited: 0, errors: 0 });

/** A valid JSON array of `bytes` streamed in 64 KB chunks, without Content-Length. */
function chunkedArray(bytes: number): (res: ServerResponse) => void {
  return (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const row = Buffer.from('[1718000000000,"1","2","0.5","1.5","10"],'.padEnd(64 * 1024, ' '));
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes && !res.destroyed) {
        sent += row.length;
        if (!res.write(row)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end('0]');
    };
    res.write('[');
    pump();
  };
}

describe('restGetJson body caps', () => {
  it('aborts a candles page larger than 4 MB with a clear error, counted once and not retried', async () => {
    handler = chunkedArray(64 * MB);
    const c = counters();
    const t0 = Date.now();
    const r = await restGetJson(`${base}/klines`, bucket(), options, c, undefined, CANDLES_ENDPOINT);
    expect(CANDLES_PAGE_MAX_BYTES).toBe(4 * MB);
    expect(r).toEqual({ ok: false, kind: 'protocol', reason: `${base}/klines: candles: body larger than 4 MB` });
    expect(c).toEqual({ requests: 1, rateLimited: 0, errors: 1 });
    expect(Date.now() - t0).toBeLessThan(10_000);
    await waitFor(() => hungUp, 'the server to see the client hang up');
  });

  it('refuses a trades page whose Content-Length is over the cap before reading it', async () => {
    handler = (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(100 * MB) });
      res.write('[');
    };
    const c = counters();
    const r = await restGetJson(`${base}/aggTrades`, bucket(), options, c, undefined, TRADES_ENDPOINT);
    expect(r).toEqual({ ok: false, kind: 'protocol', reason: `${base}/aggTrades: trades: body larger than 4 MB` });
    expect(c.errors).toBe(1);
  });

  it('refuses a deeply nested page unparsed', async () => {
    handler = (res) => res.writeHead(200).end('['.repeat(MB) + ']'.repeat(MB));
    const c = counters();
    const r = await restGetJson(`${base}/klines`, bucket(), options, c, undefined, CANDLES_ENDPOINT);
    expect(r).toEqual({ ok: false, kind: 'parse', reason: `${base}/klines: candles: body nested deeper than 64 levels (at character 64)` });
    expect(c.errors).toBe(1);
  });

  it('still reads a real-sized page (1000 candles) and quotes an error body', async () => {
    handler = chunkedArray(160 * 1024);
    const ok = await restGetJson(`${base}/klines`, bucket(), options, counters(), undefined, CANDLES_ENDPOINT);
    expect(ok.ok && Array.isArray(ok.body)).toBe(true);

    handler = (res) => res.writeHead(400).end('{"code":-1121,"msg":"Invalid symbol."}');
    const bad = await restGetJson(`${base}/klines`, bucket(), options, counters(), undefined, CANDLES_ENDPOINT);
    expect(bad).toEqual({ ok: false, kind: 'venue', reason: `${base}/klines: HTTP 400 Bad Request: {"code":-1121,"msg":"Invalid symbol."}` });
  });
});
