/**
 * A venue chart has history the moment it opens: the web host runs a Binance feed against a
 * local fake Binance (its real WebSocket and REST klines formats), the chart shows two hours of
 * 1m bars from the venue's candles at once, marks them as candle bars, then takes live trades.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { FakeBinance } from '../fakes/binance';
import type { FakeCandle } from '../fakes/history-rest';
import { startHost } from './web-host';

const MIN = 60_000;

test('a Binance chart opens with two hours of REST history, marked as candles, then goes live', async ({ page }) => {
  const venue = await FakeBinance.start();
  const thisMinute = Math.floor(Date.now() / MIN) * MIN;
  const candles: FakeCandle[] = Array.from({ length: 120 }, (_, i) => {
    const p = 64_000 + i;
    return { start: thisMinute - (120 - i) * MIN, open: String(p), high: String(p + 5), low: String(p - 5), close: String(p + 1), volume: '2.5' };
  });
  venue.historyRest.setCandles('BTCUSDT', MIN, candles);
  const dir = mkdtempSync(join(tmpdir(), 'tickscope-e2e-'));
  const config = join(dir, 'feeds.json');
  writeFileSync(config, JSON.stringify({
    feeds: [{ id: 'binance-spot', exchange: 'binance', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], url: venue.url('spot'), restUrl: venue.restUrl }],
  }));
  const host = await startHost({ config, dataDir: dir });
  try {
    await page.goto(host.url);
    const chart = page.getByTestId('chart-1');
    await expect(chart).toHaveAttribute('data-market', 'binance:spot:BTC-USDT');
    await page.getByRole('group', { name: 'Timeframe for chart 1' }).getByRole('button', { name: '1m', exact: true }).click();
    await expect(chart).toHaveAttribute('data-tf', '1m');
    await expect(chart).toHaveAttribute('data-loaded', 'true');
    // History at once, not a chart that fills as trades arrive: every candle, each marked.
    await expect.poll(async () => Number(await chart.getAttribute('data-bars')), { timeout: 10_000 }).toBeGreaterThanOrEqual(120);
    await expect(chart).toHaveAttribute('data-first-start', String(candles[0]!.start));
    await expect.poll(async () => Number(await chart.getAttribute('data-candle-bars')), { timeout: 5_000 }).toBe(120);

    // Then live: a trade on the stream becomes the open bar's close, after the candles.
    await expect.poll(() => venue.subscribers('btcusdt@aggTrade'), { timeout: 10_000 }).toBeGreaterThan(0);
    const now = Date.now();
    venue.push('btcusdt@aggTrade', { e: 'aggTrade', E: now, s: 'BTCUSDT', a: 1, p: '65123.45', q: '0.5', f: 1, l: 1, T: now, m: false, M: true });
    await expect(chart).toHaveAttribute('data-last-close', '65123.45', { timeout: 10_000 });
    expect(Number(await chart.getAttribute('data-last-start'))).toBe(Math.floor(now / MIN) * MIN);

    // Hovering a history bar, the legend says where its numbers come from.
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await expect(page.getByRole('region', { name: 'Chart 1' }).locator('[data-field="flag"]')).toHaveText('from venue candles');
    await page.screenshot({ path: 'docs/screenshots/history-from-candles.png' });
  } finally {
    expect(await host.stop(), host.output()).toBe(0);
    await venue.close();
  }
});
