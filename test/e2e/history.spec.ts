/**
 * History survives a restart: bars the chart showed before the web host stopped are on the chart
 * the moment it opens again with the same data dir (from the local bar store), not rebuilt from
 * live trades. Also: the bar store is reported in the health view, and the chart exports CSV.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { startHost } from './web-host';

async function openChart(page: Page, url: string) {
  await page.goto(url);
  const chart = page.getByTestId('chart-1');
  await expect(chart).toHaveAttribute('data-loaded', 'true');
  await expect(chart).toHaveAttribute('data-market', 'simulator:spot:BTC-USDT');
  return chart;
}

test('after a restart with the same data dir the chart shows the earlier bars at once', async ({ page }) => {
  const first = await startHost();
  let earliest = 0;
  let before = 0;
  try {
    const chart = await openChart(page, first.url);
    await expect.poll(async () => Number(await chart.getAttribute('data-bars')), { timeout: 20_000 }).toBeGreaterThanOrEqual(8);
    earliest = Number(await chart.getAttribute('data-first-start'));
    before = Number(await chart.getAttribute('data-bars'));
    expect(earliest % 1000).toBe(0);
  } finally {
    expect(await first.stop(), first.output()).toBe(0);
  }

  const second = await startHost({ dataDir: first.dataDir });
  try {
    const chart = await openChart(page, second.url);
    // Right at load: the bars of the first run are there (live alone would have one or two).
    const atLoad = Number(await chart.getAttribute('data-bars'));
    expect(atLoad).toBeGreaterThanOrEqual(before - 1);
    expect(Number(await chart.getAttribute('data-first-start'))).toBeLessThanOrEqual(earliest);
    await page.getByRole('tab', { name: 'Health' }).click();
    await expect(page.getByRole('group', { name: 'Bar store' })).toContainText('bars saved');

    // CSV export of the chart's bars downloads a file whose first data row is the earliest bar.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV of chart 1' }).click();
    const file = await (await download).path();
    const lines = readFileSync(file, 'utf8').split('\r\n');
    expect(lines[0]).toBe('start,start_ms,open,high,low,close,volume,buy_volume,sell_volume,trades,vwap,incomplete,source');
    expect(Number(lines[1]!.split(',')[1])).toBeLessThanOrEqual(earliest);
  } finally {
    expect(await second.stop(), second.output()).toBe(0);
  }
});
