/**
 * The bench's replay exchange answers what the app asks a venue for when a feed starts with a
 * data dir: instrument lists and the candles of the REST backfill. If it answered the candles with
 * a 404, the headless runner and the web host would still run, just with less work than a user's
 * (no backfilled bars), and the bench would not say so. Real HTTP on 127.0.0.1, the app's own
 * request paths and parsers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAdapter } from '../../../electron/core/adapters/index';
import { ReplayProcess } from '../../../bench/replay/replay-process';

let replay: ReplayProcess;
beforeAll(async () => {
  replay = await ReplayProcess.start();
}, 30_000);
afterAll(() => replay?.stop());

describe('bench replay REST', () => {
  for (const exchange of ['binance', 'bybit'] as const) {
    it(`${exchange}: the backfill's candle requests come back as final bars, aligned, newest window ended`, async () => {
      const adapter = getAdapter(exchange)!;
      const spec = adapter.candles!;
      const now = Date.now();
      for (const tf of ['1m', '5m', '15m', '1h']) {
        const step = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000 }[tf]!;
        const to = Math.floor(now / step) * step;
        const from = to - 500 * step;
        const url = replay.httpUrl + spec.path({ native: 'BTCUSDT', market: 'spot', tf, from, to, limit: 500 });
        const res = await fetch(url);
        expect(res.status, url).toBe(200);
        const bars = spec.parse(await res.json(), { exchange, market: 'spot', symbol: 'BTC-USDT', tf });
        expect(bars.length, `${exchange} ${tf}`).toBeGreaterThan(400);
        for (const b of bars) {
          expect(b.start % step).toBe(0);
          expect(b.start).toBeGreaterThanOrEqual(from);
          expect(b.start + step).toBeLessThanOrEqual(now);
          expect(b.low).toBeLessThanOrEqual(Math.min(b.open, b.close));
        }
      }
    });
  }
});
