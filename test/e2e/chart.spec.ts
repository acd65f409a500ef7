import { expect, test, type Page } from '@playwright/test';
import { startHost, type RunningHost } from './web-host';

let host: RunningHost;
const SHOTS = 'docs/screenshots';

test.beforeAll(async () => {
  host = await startHost();
});

test.afterAll(async () => {
  const code = await host.stop();
  expect(code, host.output()).toBe(0);
});

async function open(page: Page): Promise<void> {
  await page.goto(host.url);
  await expect(page.getByTestId('chart-1')).toHaveAttribute('data-loaded', 'true');
}

async function barCount(page: Page, chart = 'chart-1'): Promise<number> {
  return Number(await page.getByTestId(chart).getAttribute('data-bars'));
}

test('the chart loads the core\'s bars for the first market and its candles move live', async ({ page }) => {
  await open(page);
  const chart = page.getByTestId('chart-1');
  await expect(chart).toHaveAttribute('data-market', 'simulator:spot:BTC-USDT');
  await expect(chart).toHaveAttribute('data-tf', '1s');
  await expect.poll(() => barCount(page)).toBeGreaterThan(2);
  // The newest 1s bar keeps moving: its start advances as new windows open.
  const firstStart = Number(await chart.getAttribute('data-last-start'));
  expect(firstStart % 1000).toBe(0);
  await expect.poll(async () => Number(await chart.getAttribute('data-last-start')), { timeout: 10_000 }).toBeGreaterThan(firstStart);
  // The legend's last price is the newest bar's close, in BTC's price range.
  const last = page.getByTestId('last-price');
  await expect(last).toHaveText(/^\d{4,6}\.\d{2}$/);
  const close = Number(await chart.getAttribute('data-last-close'));
  expect(close).toBeGreaterThan(1000);
  const before = await last.textContent();
  await expect(last).not.toHaveText(before!, { timeout: 15_000 });
  // OHLCV and VWAP are filled in the legend.
  for (const name of ['Open value', 'High value', 'Low value', 'Close value', 'VWAP value']) {
    await expect(page.getByLabel(name).first()).toHaveText(/^\d+\.\d+$/);
  }
  await expect(page.getByLabel('Volume value').first()).toContainText('buy');
  await page.screenshot({ path: `${SHOTS}/main-view.png` });
});

test('timeframe buttons and number keys switch the timeframe; bars align to it', async ({ page }) => {
  await open(page);
  const chart = page.getByTestId('chart-1');
  const tfGroup = page.getByRole('group', { name: 'Timeframe for chart 1' });
  await tfGroup.getByRole('button', { name: '5s', exact: true }).click();
  await expect(chart).toHaveAttribute('data-tf', '5s');
  await expect(tfGroup.getByRole('button', { name: '5s', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(chart).toHaveAttribute('data-loaded', 'true');
  await expect.poll(() => barCount(page)).toBeGreaterThan(0);
  expect(Number(await chart.getAttribute('data-last-start')) % 5000).toBe(0);
  // Key 4 = the fourth timeframe (1m).
  await page.locator('body').press('4');
  await expect(chart).toHaveAttribute('data-tf', '1m');
  await expect(tfGroup.getByRole('button', { name: '1m', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => barCount(page)).toBeGreaterThan(0);
  expect(Number(await chart.getAttribute('data-last-start')) % 60_000).toBe(0);
});

test('the market picker switches venue markets and the all-venues composite', async ({ page }) => {
  await open(page);
  const chart = page.getByTestId('chart-1');
  const picker = page.getByRole('combobox', { name: 'Market for chart 1' });
  await picker.selectOption('simulator:spot:ETH-USDT');
  await expect(chart).toHaveAttribute('data-market', 'simulator:spot:ETH-USDT');
  await expect.poll(() => barCount(page)).toBeGreaterThan(0);
  // ETH trades around 3 400 in the simulator, BTC around 64 000: the chart shows ETH's bars.
  await expect.poll(async () => Number(await chart.getAttribute('data-last-close'))).toBeLessThan(20_000);
  await picker.selectOption('*:spot:BTC-USDT');
  await expect(chart).toHaveAttribute('data-market', '*:spot:BTC-USDT');
  await expect.poll(() => barCount(page)).toBeGreaterThan(0);
  await expect.poll(async () => Number(await chart.getAttribute('data-last-close'))).toBeGreaterThan(20_000);
  await expect(page.getByRole('group', { name: 'Bar values' }).first()).toContainText('All venues');
});

test('the watchlist lists every market live, sorts, and charts the clicked market', async ({ page }) => {
  await open(page);
  const table = page.getByRole('table', { name: 'Markets' });
  for (const s of ['BTC-USDT', 'ETH-USDT', 'SOL-USDT']) {
    await expect(table.locator(`[data-market="simulator:spot:${s}"] .price`)).toHaveText(/^\d+\.\d+$/);
    await expect(table.locator(`[data-market="simulator:spot:${s}"]`)).toHaveAttribute('data-state', 'live');
  }
  // 24 h turnover in dollars (from the core) once the first bars are in.
  await expect(table.locator('[data-market="simulator:spot:BTC-USDT"] .turnover')).toContainText(/^\$[\d.]+[kM]?/, { timeout: 20_000 });
  // Sort by last price, descending (first click on a numeric column): BTC, ETH, SOL.
  await page.getByRole('button', { name: 'Sort by Last' }).click();
  await expect(table.locator('tbody tr').first()).toHaveAttribute('data-market', 'simulator:spot:BTC-USDT');
  await expect(table.locator('tbody tr').last()).toHaveAttribute('data-market', 'simulator:spot:SOL-USDT');
  await page.getByRole('button', { name: 'Sort by Last' }).click();
  await expect(table.locator('tbody tr').first()).toHaveAttribute('data-market', 'simulator:spot:SOL-USDT');
  await page.getByRole('button', { name: 'Chart SOL-USDT spot on simulator' }).click();
  await expect(page.getByTestId('chart-1')).toHaveAttribute('data-market', 'simulator:spot:SOL-USDT');
  await expect(page.getByRole('combobox', { name: 'Market for chart 1' })).toHaveValue('simulator:spot:SOL-USDT');
});

test('charts can be added (up to 4, three and four in the 2x2 grid) and the layout survives a reload', async ({ page }) => {
  await open(page);
  const add = page.getByRole('button', { name: 'Add chart' });
  await add.click();
  await add.click();
  await expect(page.getByTestId('chart-3')).toHaveAttribute('data-loaded', 'true');
  await page.getByRole('combobox', { name: 'Market for chart 2' }).selectOption('simulator:spot:ETH-USDT');
  await page.getByRole('group', { name: 'Timeframe for chart 3' }).getByRole('button', { name: '15s', exact: true }).click();
  await add.click();
  await expect(page.getByTestId('chart-4')).toBeVisible();
  await expect(add).toBeDisabled();
  // In the grid the charts are narrow: close sits in each chart's More menu.
  await page.getByRole('button', { name: 'More for chart 4' }).click();
  await page.getByRole('button', { name: 'Close chart 4' }).click();
  await expect(page.getByTestId('chart-4')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/three-charts.png` });
  await page.reload();
  await expect(page.getByTestId('chart-3')).toHaveAttribute('data-tf', '15s');
  await expect(page.getByTestId('chart-2')).toHaveAttribute('data-market', 'simulator:spot:ETH-USDT');
  await expect(page.getByTestId('chart-4')).toHaveCount(0);
  await expect.poll(() => barCount(page, 'chart-2')).toBeGreaterThan(0);
});

test('the tape shows trades newest first, coloured by side, with large trades highlighted', async ({ page }) => {
  await open(page);
  const list = page.getByRole('list', { name: 'Trades, newest first' });
  await expect.poll(async () => Number(await list.getAttribute('data-rows'))).toBeGreaterThan(5);
  // Highlight everything (first level $1), then nothing (every level huge).
  await page.getByRole('button', { name: /^Highlight levels:/ }).click();
  const levels = page.getByRole('group', { name: 'Highlight levels' });
  await levels.getByRole('spinbutton', { name: 'Level 1' }).fill('1');
  await expect(list.locator('.tape-row.large').first()).toBeVisible();
  await expect(list.locator('.tape-row:not(.large)')).toHaveCount(0);
  for (const l of ['Level 1', 'Level 2', 'Level 3']) await levels.getByRole('spinbutton', { name: l }).fill('1000000000');
  await expect(list.locator('.tape-row.large')).toHaveCount(0);
  await page.keyboard.press('Escape');
  const sides = await list.locator('[role=listitem]').evaluateAll((els) => els.map((e) => e.getAttribute('data-side')));
  expect(sides.every((s) => s === 'buy' || s === 'sell' || s === 'unknown')).toBe(true);
  // Virtualised: far fewer DOM rows than trades held.
  await expect.poll(async () => Number(await list.getAttribute('data-rows'))).toBeGreaterThan(200);
  expect(await list.locator('[role=listitem]').count()).toBeLessThan(100);
});
