import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binanceAdapter } from '../../../electron/core/adapters/binance/venue';
import { bybitAdapter } from '../../../electron/core/adapters/bybit/venue';
import { fallbackResolver, resolveSymbols } from '../../../electron/core/instruments/resolve';
import { instrumentCachePath } from '../../../electron/core/instruments/cache';
import { INSTRUMENTS_MAX_BODY_BYTES } from '../../../electron/core/rest/client';
import { VenueBuckets } from '../../../electron/core/rest/venue-buckets';
import { MB } from '../../../electron/core/util/byte-size';
import { systemClock } from '../../../electron/core/util/clock';
import { ManualClock } from '../../helpers/manual-clock';
import { waitFor } from '../../helpers/wait-for';

const EXCHANGE_INFO = {
  timezone: 'UTC',
  symbols: [
    { symbol: 'BTCUSDT', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT' },
    { symbol: 'ETHBTC', status: 'TRADING', baseAsset: 'ETH', quoteAsset: 'BTC' },
    // A quote asset the metadata-free fallback does not know: only the list can split it.
    { symbol: 'BTCPLN', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'PLN' },
  ],
};

type Handler = (path: string, res: ServerResponse) => void;

let server: Server;
let restUrl: string;
let handler: Handler;
let requests: string[];
let dir: string;

beforeEach(async () => {
  requests = [];
  handler = (_p, res) => res.writeHead(500).end();
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req.url ?? '', res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  restUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'tickscope-instruments-'));
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

const json = (body: unknown) => (_p: string, res: ServerResponse) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));

async function writeCacheFile(fetchedAt: number) {
  const file = instrumentCachePath(dir, 'binance', 'spot');
  await mkdir(join(dir, 'instruments'), { recursive: true });
  await writeFile(file, JSON.stringify({ exchange: 'binance', market: 'spot', fetchedAt, instruments: [{ symbol: 'BTC-PLN', native: 'BTCPLN' }] }));
}

describe('resolveSymbols', () => {
  it('REST ok: maps from the list, source rest, and writes the cache atomically', async () => {
    handler = json(EXCHANGE_INFO);
    const clock = new ManualClock(1_000_000);
    const r = await resolveSymbols({ adapter: binanceAdapter, market: 'spot', restUrl, cacheDir: dir, clock });
    expect(requests).toEqual(['/api/v3/exchangeInfo?showPermissionSets=false']);
    expect(r).toMatchObject({ source: 'rest', ageMs: 0 });
    expect(r.reason).toBeUndefined();
    expect(binanceAdapter.toCanonical('BTCPLN', 'spot')).toBe('BTCPLN');
    expect(r.toCanonical('BTCPLN')).toBe('BTC-PLN');
    expect(r.toNative('BTC-PLN')).toBe('BTCPLN');
    expect(r.toCanonical('ETHBTC')).toBe('ETH-BTC');
    // Unknown to the list: the adapter's fallback.
    expect(r.toNative('SOL-USDT')).toBe('SOLUSDT');
    expect(r.toCanonical('SOLFDUSD')).toBe('SOL-FDUSD');
    expect(r.symbols()).toEqual(['BTC-USDT', 'ETH-BTC', 'BTC-PLN']);
    const cached = JSON.parse(await readFile(instrumentCachePath(dir, 'binance', 'spot'), 'utf8'));
    expect(cached).toEqual({
      exchange: 'binance', market: 'spot', fetchedAt: 1_000_000,
      instruments: [{ symbol: 'BTC-USDT', native: 'BTCUSDT' }, { symbol: 'ETH-BTC', native: 'ETHBTC' }, { symbol: 'BTC-PLN', native: 'BTCPLN' }],
    });
    // No temp file left behind.
    expect(await readdir(join(dir, 'instruments'))).toEqual(['binance-spot.json']);
  });

  it('a fresh cache is used without asking REST', async () => {
    await writeCacheFile(1_000_000);
    const clock = new ManualClock(1_000_000 + 3_600_000);
    const r = await resolveSymbols({ adapter: binanceAdapter, market: 'spot', restUrl, cacheDir: dir, clock });
    expect(requests).toEqual([]);
    expect(r).toMatchObject({ source: 'cache', ageMs: 3_600_000 });
    expect(r.toCanonical('BTCPLN')).toBe('BTC-PLN');
  });

  it('REST down with an old cache: source cache with its age, and the reason says it is stale', async () => {
    await writeCacheFile(1_000_000);
    const clock = new ManualClock(1_000_000 + 30 * 3_600_000);
    const r = await resolveSymbols({ adapter: binanceAdapter, market: 'spot', restUrl, cacheDir: dir, clock });
    expect(requests).toEqual(['/api/v3/exchangeInfo?showPermissionSets=false']);
    expect(r).toMatchObject({ source: 'cache', ageMs: 30 * 3_600_000 });
    expect(r.reason).toBe('Binance instrument list unavailable: ' + `${restUrl}/api/v3/exchangeInfo?showPermissionSets=false: HTTP 500 Internal Server Error; using the cached list from 30.0 h ago (stale: older than 24.0 h)`);
    // One attempt: a feed is starting, and the cache serves at once (no retry of a 5xx).
    expect(requests).toHaveLength(1);
    expect(r.toCanonical('BTCPLN')).toBe('BTC-PLN');
  });

  it('REST refused and no cache: fallback mapping with the cause', async () => {
    const deadUrl = restUrl;
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const r = await resolveSymbols({ adapter: bybitAdapter, market: 'perp', restUrl: deadUrl, cacheDir: dir });
    expect(r).toMatchObject({ source: 'fallback', ageMs: null });
    expect(r.reason).toContain('ECONNREFUSED');
    expect(r.reason).toMatch(/mapping symbols without metadata$/);
    expect(r.toNative('BTC-USDT')).toBe('BTCUSDT');
    expect(r.symbols()).toBeNull();
  });

  it('a stalled REST server times out within timeoutMs', async () => {
    handler = () => {
      // Never answers.
    };
    const t0 = Date.now();
    const r = await resolveSymbols({ adapter: binanceAdapter, market: 'perp', restUrl, cacheDir: null, timeoutMs: 300 });
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(3000);
    expect(r.source).toBe('fallback');
    expect(r.reason).toBe(`Binance instrument list unavailable: ${restUrl}/fapi/v1/exchangeInfo: timed out after 300 ms; mapping symbols without metadata`);
  });

  it('a malformed body falls back with the reason and writes no cache', async () => {
    handler = (_p, res) => res.writeHead(200).end('<html>maintenance</html>');
    const r1 = await resolveSymbols({ adapter: binanceAdapter, market: 'spot', restUrl, cacheDir: dir });
    expect(r1.source).toBe('fallback');
    expect(r1.reason).toBe(`malformed Binance instrument list: ${restUrl}/api/v3/exchangeInfo?showPermissionSets=false: body is not JSON: <html>maintenance</html>; mapping symbols without metadata`);

    handler = json({ code: -1003, msg: 'Too many requests' });
    const r2 = await resolveSymbols({ adapter: binanceAdapter, market: 'spot', restUrl, cacheDir: null });
    expect(r2.reason).toBe('malformed Binance instrument list: exchangeInfo without a symbols array; mapping symbols without metadata');

    handler = json({ retCode: 0, result: { list: [] } });
    const r3 = await resolveSymbols({ adapter: bybitAdapter, market: 'spot', restUrl, cacheDir: null });
    expect(r3.reason).toBe('malformed Bybit instrument list: no instruments in the list; mapping symbols without metadata');
    await expect(readdir(dir)).resolves.toEqual([]);
  });

  describe('body cap', () => {
    /** Streams JSON whitespace for as long as the client reads; says how much went out and whether the client hung up. */
    function endlessBody(): { sent: () => number; closed: () => boolean } {
      let sent = 0;
      let closed = false;
      handler = (_p, res) => {
        const chunk = Buffer.alloc(256 * 1024, 0x20);
        res.on('close', () => (closed = true));
        res.writeHead(200, { 'content-type': 'application/json' });
        const pump = (): void => {
          while (!closed) {
            sent += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
        };
        pump();
      };
      return { sent: () => sent, closed: () => closed };
    }

    it('an endless instrument list is cut at 16 MB: the request is aborted and the mapping falls back with the cause', async () => {
      const body = endlessBody();
      const t0 = Date.now();
      const r = await resolveSymbols({ adapter: binanceAdapter, market: 'spot', restUrl, cacheDir: dir, timeoutMs: 15_000 });
      expect(INSTRUMENTS_MAX_BODY_BYTES).toBe(16 * MB);
      expect(r).toMatchObject({ source: 'fallback', ageMs: null });
      const failure = `Binance instrument list unavailable: ${restUrl}/api/v3/exchangeInfo?showPermissionSets=false: instruments: body larger than 16 MB`;
      expect(r.reason).toBe(`${failure}; mapping symbols without metadata`);
      expect(r.restError).toEqual({ kind: 'protocol', message: failure });
      // Not the 15 s deadline: the cap ended it, and the server saw the client hang up.
      expect(Date.now() - t0).toBeLessThan(10_000);
      await waitFor(() => body.closed(), 'the server to see the client hang up');
      // What was downloaded stayed near the cap (plus what sat in socket buffers).
      expect(body.sent()).toBeLessThan(INSTRUMENTS_MAX_BODY_BYTES + 8 * MB);
      await expect(readdir(dir)).resolves.toEqual([]);
    });

    it('a declared Content-Length over the cap is refused before reading, and a stale cache is used instead', async () => {
      await writeCacheFile(1_000);
      handler = (_p, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(64 * MB) });
        res.write('{"symbols":[');
      };
      const r = await resolveSymbols({ adapter: binanceAdapter, market: 'spot', restUrl, cacheDir: dir, maxAgeMs: 1, maxBodyBytes: 4 * MB });
      expect(r.source).toBe('cache');
      expect(r.reason).toMatch(/^Binance instrument list unavailable: .*: instruments: body larger than 4 MB; using the cached list from /);
      expect(r.restError?.kind).toBe('protocol');
      expect(r.toCanonical('BTCPLN')).toBe('BTC-PLN');
    });

    it('a deeply nested list is refused unparsed', async () => {
      handler = (_p, res) => res.writeHead(200).end('['.repeat(4 * MB) + ']'.repeat(4 * MB));
      const t0 = Date.now();
      const r = await resolveSymbols({ adapter: binanceAdapter, market: 'spot', restUrl, cacheDir: null });
      expect(r.reason).toBe(`malformed Binance instrument list: ${restUrl}/api/v3/exchangeInfo?showPermissionSets=false: instruments: body nested deeper than 64 levels (at character 64); mapping symbols without metadata`);
      expect(r.restError).toMatchObject({ kind: 'parse' });
      expect(Date.now() - t0).toBeLessThan(1_500);
    });
  });

  describe('through the one REST client (rate limits)', () => {
    it('a 429 is a rate-limit error quoting Retry-After, and it holds back every request to the venue', async () => {
      handler = (_p, res) => res.writeHead(429, { 'retry-after': '30' }).end();
      const buckets = new VenueBuckets(systemClock);
      const r = await resolveSymbols({ adapter: binanceAdapter, market: 'spot', restUrl, cacheDir: null, buckets });
      expect(r.source).toBe('fallback');
      const failure = `Binance instrument list unavailable: HTTP 429 from 127.0.0.1:${new URL(restUrl).port} (Retry-After 30 s)`;
      expect(r.restError).toEqual({ kind: 'rate-limit', message: failure });
      expect(requests).toHaveLength(1);
      // The venue's bucket (shared with history's candles and trades) now waits out the 30 s.
      expect(buckets.of(binanceAdapter).waitMs()).toBeGreaterThan(25_000);
    });

    it('waits for a venue that said Retry-After no longer than its deadline, and names the wait', async () => {
      handler = json(EXCHANGE_INFO);
      const buckets = new VenueBuckets(systemClock);
      buckets.of(binanceAdapter).blockFor(60_000);
      const t0 = Date.now();
      const r = await resolveSymbols({ adapter: binanceAdapter, market: 'spot', restUrl, cacheDir: null, buckets, timeoutMs: 300 });
      expect(Date.now() - t0).toBeLessThan(3_000);
      expect(requests).toEqual([]);
      expect(r.source).toBe('fallback');
      expect(r.restError?.kind).toBe('timeout');
      expect(r.reason).toMatch(/^Binance instrument list unavailable: cancelled while waiting for the rate limit: /);
    });
  });

  it('a corrupt cache file is ignored', async () => {
    await mkdir(join(dir, 'instruments'), { recursive: true });
    await writeFile(instrumentCachePath(dir, 'binance', 'spot'), '{"fetchedAt":');
    handler = json(EXCHANGE_INFO);
    const r = await resolveSymbols({ adapter: binanceAdapter, market: 'spot', restUrl, cacheDir: dir });
    expect(r.source).toBe('rest');
  });

  it('fallbackResolver uses the adapter mapping only', () => {
    const r = fallbackResolver(bybitAdapter, 'perp');
    expect(r).toMatchObject({ source: 'fallback', ageMs: null });
    expect(r.toNative('ETH-USDC')).toBe('ETHPERP');
    expect(r.toCanonical('DOGEUSDT')).toBe('DOGE-USDT');
  });
});
