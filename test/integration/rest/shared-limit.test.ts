/**
 * One REST limit per venue across the pipeline (issue 10): the instrument list a feed fetches at
 * start and the candles history asks for go through the same token bucket, so a 429 with
 * Retry-After on one holds back the other instead of the pipeline going on hitting a venue that
 * asked it to wait. A local HTTP server stands in for Binance's REST API.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFeedConfig } from '../../../shared/config';
import { startPipeline, type Pipeline } from '../../../electron/core/pipeline/pipeline';
import { waitFor } from '../../helpers/wait-for';

let server: Server | null = null;
let pipeline: Pipeline | null = null;
afterEach(async () => {
  await pipeline?.stop();
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  pipeline = null;
  server = null;
});

const RETRY_AFTER_S = 2;

/** exchangeInfo answers 429 + Retry-After; klines answers an empty page. Every request is logged with its time. */
async function rateLimitingRest(): Promise<{ url: string; log: { path: string; at: number }[] }> {
  const log: { path: string; at: number }[] = [];
  server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    log.push({ path: u.pathname, at: Date.now() });
    if (u.pathname === '/api/v3/exchangeInfo') {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(RETRY_AFTER_S) }).end('{"code":-1003,"msg":"Too many requests"}');
    } else if (u.pathname === '/api/v3/klines') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    } else {
      res.writeHead(404).end('{}');
    }
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, log };
}

describe('one REST limit per venue', () => {
  it('a Retry-After on the instrument list holds back the candles request, and the feed names the rate limit', async () => {
    const rest = await rateLimitingRest();
    pipeline = await startPipeline({
      timeframes: ['1m'],
      backfill: false,
      // Nothing listens on port 9: the feed retries its socket; its REST URL is the fake.
      feeds: [parseFeedConfig({ id: 'bin', exchange: 'binance', symbols: ['BTC-USDT'], channels: ['trades'], url: 'ws://127.0.0.1:9/ws', restUrl: rest.url })],
    });
    const p = pipeline;
    // The feed maps without the list and says why, as a counted rate-limit error.
    await waitFor(() => p.health().feeds[0]?.lastError?.kind === 'rate-limit', 'the feed to report the rate-limited instrument list');
    expect(p.health().feeds[0]!.lastError!.message).toMatch(/^Binance instrument list unavailable: HTTP 429 from 127\.0\.0\.1:\d+ \(Retry-After 2 s\)/);
    const refusedAt = rest.log.find((r) => r.path === '/api/v3/exchangeInfo')!.at;

    p.openSeries({ exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', tf: '1m' });
    await waitFor(() => rest.log.some((r) => r.path === '/api/v3/klines'), 'the candles request', { timeoutMs: 10_000 });
    const candlesAt = rest.log.find((r) => r.path === '/api/v3/klines')!.at;
    // Not before the venue said it may be asked again (a little slack for timer granularity).
    expect(candlesAt - refusedAt).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 100);
    expect(rest.log.filter((r) => r.path === '/api/v3/exchangeInfo')).toHaveLength(1);
  });
});
