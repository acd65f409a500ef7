/**
 * CSV export (issue 16): trades are offered only when a feed records the market (else the option
 * says why, with no file system path); numbers come at the instrument's precision, never float
 * noise; files are named like binance-spot-BTC-USDT-1m-2026-12-01T1507Z.csv; an error opens under
 * the button without breaking the toolbar's row. At 1280x800 and 1920x1080.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { startHost, type RunningHost } from './web-host';
import { VIEWPORTS } from './ux-helpers';
import { failOnPageErrors, traderConfig } from './trader-configs';

let host: RunningHost;
test.beforeAll(async () => {
  host = await startHost(traderConfig({ recordPerp: true }));
});
test.afterAll(async () => {
  expect(await host.stop(), host.output()).toBe(0);
});

const NAME = /^(simulator|coinbase)-(spot|perp)-[A-Z]+-[A-Z]+-(1s|5s|1m|trades)-\d{4}-\d\d-\d\dT\d{4}Z\.csv$/;

async function showMarket(page: Page, market: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Market for chart 1' }).selectOption(market);
  await expect(page.getByTestId('chart-1')).toHaveAttribute('data-market', market);
}

async function download(page: Page): Promise<{ name: string; lines: string[] }> {
  const pending = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV of chart 1' }).click();
  const d = await pending;
  return { name: d.suggestedFilename(), lines: readFileSync((await d.path())!, 'utf8').split('\r\n').filter((l) => l) };
}

/** Every value of a numeric column has the same decimals, and no more than a venue uses (no 0.038689999999999995). */
function expectColumnPrecision(lines: string[], column: string): number {
  const i = lines[0]!.split(',').indexOf(column);
  const decimals = lines.slice(1).map((l) => {
    const v = l.split(',')[i]!;
    expect(v, `${column} "${v}"`).toMatch(/^-?\d+(\.\d+)?$/);
    return v.split('.')[1]?.length ?? 0;
  });
  expect(new Set(decimals).size, `${column} decimals`).toBe(1);
  expect(decimals[0]!).toBeLessThanOrEqual(8);
  return decimals[0]!;
}

for (const vp of VIEWPORTS) {
  test.describe(`at ${vp.name}`, () => {
    test.use({ viewport: { width: vp.width, height: vp.height } });

    test('bars at the instrument precision, named by market and time; trades only where recorded', async ({ page }) => {
      const errors = failOnPageErrors(page);
      await page.goto(host.url);
      await showMarket(page, 'simulator:spot:BTC-USDT');
      const kind = page.getByRole('combobox', { name: 'Export kind for chart 1' });
      // Nothing records simulator spot: trades cannot be picked, and the hint says what to do.
      await expect(kind.locator('option[value="trades"]')).toBeDisabled();
      await expect(kind.locator('option[value="trades"]')).toHaveText('trades (needs recording)');
      const hint = (await kind.getAttribute('title')) ?? '';
      expect(hint).toContain('Record raw frames');
      expect(hint).not.toMatch(/\/|\\/);

      await expect.poll(async () => Number(await page.getByTestId('chart-1').getAttribute('data-bars'))).toBeGreaterThan(4);
      const bars = await download(page);
      expect(bars.name).toMatch(NAME);
      expect(bars.name).toMatch(/^simulator-spot-BTC-USDT-1s-/);
      expect(bars.lines[0]).toBe('start,start_ms,open,high,low,close,volume,buy_volume,sell_volume,trades,vwap,incomplete,source');
      expect(bars.lines.length).toBeGreaterThan(2);
      // BTC-USDT spot on the simulator: tick 0.01, lot 0.00001.
      for (const c of ['open', 'high', 'low', 'close']) expect(expectColumnPrecision(bars.lines, c)).toBe(2);
      for (const c of ['volume', 'buy_volume', 'sell_volume']) expect(expectColumnPrecision(bars.lines, c)).toBe(5);
      expectColumnPrecision(bars.lines, 'vwap');

      // The perp feed records: its trades can be exported, at its tick (0.1) and lot (0.001).
      await showMarket(page, 'simulator:perp:BTC-USDT');
      await expect(kind.locator('option[value="trades"]')).toBeEnabled();
      await kind.selectOption('trades');
      await expect.poll(async () => (await download(page)).lines.length, { timeout: 20_000 }).toBeGreaterThan(3);
      const trades = await download(page);
      expect(trades.name).toMatch(/^simulator-perp-BTC-USDT-trades-\d{4}-\d\d-\d\dT\d{4}Z\.csv$/);
      expect(trades.lines[0]).toBe('time,time_ms,price,size,side,id');
      expect(expectColumnPrecision(trades.lines, 'price')).toBe(1);
      expect(expectColumnPrecision(trades.lines, 'size')).toBe(3);
      expect(errors).toEqual([]);
    });

    test('an export error opens under the button, in plain words, and the toolbar keeps its one row', async ({ page }) => {
      await page.goto(host.url);
      // Recording is on for the Coinbase feed, but it never ran: nothing is recorded yet.
      await showMarket(page, 'coinbase:spot:BTC-USD');
      const toolbar = page.getByRole('toolbar', { name: 'Chart 1 toolbar' });
      const before = (await toolbar.boundingBox())!;
      const exportGroup = page.getByRole('group', { name: 'Export chart 1' });
      let kind = exportGroup.getByRole('combobox', { name: 'Export kind for chart 1' });
      if (!(await kind.isVisible())) {
        // The narrow toolbar keeps export in its More menu.
        await page.getByRole('button', { name: 'More for chart 1' }).click();
        kind = exportGroup.getByRole('combobox', { name: 'Export kind for chart 1' });
      }
      await kind.selectOption('trades');
      await page.getByRole('button', { name: 'Export CSV of chart 1' }).click();
      const error = page.getByTestId('export-error-1');
      await expect(error).toContainText('No recorded trades of coinbase spot BTC-USD');
      await expect(error).toContainText('Record raw frames');
      expect(await error.innerText()).not.toMatch(/\/tmp|tickscope-e2e|recordings[/\\]/);
      const after = (await toolbar.boundingBox())!;
      expect(after.height).toBe(before.height);
      await page.screenshot({ path: `docs/screenshots/csv-export-error-${vp.name}.png` });
      await error.getByRole('button', { name: 'Dismiss export error' }).click();
      await expect(error).toHaveCount(0);
    });
  });
}
