import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost, type RunningHost } from './web-host';

const SHOTS = 'docs/screenshots';

async function stopOk(host: RunningHost): Promise<void> {
  const code = await host.stop();
  expect(code, host.output()).toBe(0);
}

function feedRow(page: Page, id: string) {
  return page.getByRole('table', { name: 'Feed health' }).locator(`tr[data-feed="${id}"]`);
}

test.describe('with one host', () => {
  let host: RunningHost;
  test.beforeAll(async () => {
    host = await startHost();
  });
  test.afterAll(async () => stopOk(host));

  test('a simulator stall shows the feed stale and a banner on the chart, then live again', async ({ page }) => {
    await page.goto(host.url);
    const row = feedRow(page, 'simulator-spot');
    await expect(row).toHaveAttribute('data-state', 'live');
    await expect(page.getByTestId('stale-banner')).toHaveCount(0);
    await page.getByRole('combobox', { name: 'Fault mode for simulator-spot' }).selectOption('stall');
    await page.getByRole('button', { name: 'Simulate fault on simulator-spot' }).click();
    await expect(page.getByRole('status', { name: 'Fault result for simulator-spot' })).toHaveText('stall sent');
    // Within a few seconds: the feed row turns into an alert and the chart says its data is not live.
    await expect(row).toHaveClass(/row-alert/, { timeout: 8_000 });
    await expect(page.getByTestId('stale-banner')).toContainText('DATA NOT LIVE', { timeout: 8_000 });
    await expect(page.locator('[data-market="simulator:spot:BTC-USDT"]').first()).not.toHaveAttribute('data-state', 'live');
    await page.screenshot({ path: `${SHOTS}/stale-feed.png` });
    // The 8 s stall ends: live again, banner gone.
    await expect(row).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
    await expect(row).not.toHaveClass(/row-alert/, { timeout: 10_000 });
    await expect(page.getByTestId('stale-banner')).toHaveCount(0, { timeout: 10_000 });
  });

  test('a dropped connection shows in the state log and the reconnect count', async ({ page }) => {
    await page.goto(host.url);
    const row = feedRow(page, 'simulator-spot');
    await expect(row).toHaveAttribute('data-state', 'live');
    const reconnects = row.locator('td').nth(7);
    const before = Number(await reconnects.textContent());
    await page.getByRole('combobox', { name: 'Fault mode for simulator-spot' }).selectOption('drop');
    await page.getByRole('button', { name: 'Simulate fault on simulator-spot' }).click();
    await expect.poll(async () => Number(await reconnects.textContent()), { timeout: 15_000 }).toBeGreaterThan(before);
    await expect(page.getByRole('list', { name: 'Recent feed state changes' })).toContainText(/simulator-spot → (backoff|connecting)/);
    await expect(row).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
    // The bars around the disconnect are marked incomplete on the chart (drawn hollow grey).
    const chart = page.getByTestId('chart-1');
    await expect
      .poll(async () => Number(await chart.getAttribute('data-incomplete-bars')), { timeout: 10_000 })
      .toBeGreaterThan(0);
  });

  test('a bad symbol gets an inline error next to the field, in plain words, and changes nothing', async ({ page }) => {
    await page.goto(host.url);
    await page.getByRole('tab', { name: 'Feeds' }).click();
    const feeds = page.getByRole('table', { name: 'Configured feeds' });
    await expect(feeds.locator('tbody tr')).toHaveCount(1);
    await page.getByRole('button', { name: 'Add feed' }).click();
    const form = page.getByRole('form', { name: 'Add feed' });
    await form.getByRole('combobox', { name: 'Venue' }).selectOption('simulator');
    await form.getByRole('textbox', { name: 'Symbols' }).fill('BTC-USDT, BTCUSDT!!');
    await form.getByRole('button', { name: 'Create feed' }).click();
    const err = form.locator('[data-error-for="symbols"]');
    await expect(err).toContainText('“BTCUSDT!!” has characters a symbol cannot have');
    await form.getByText('Connection overrides (testnets, proxies)').click();
    await form.getByRole('textbox', { name: 'WebSocket URL override' }).fill('http://nope');
    await form.getByRole('textbox', { name: 'Symbols' }).fill('BTC-USDT');
    await form.getByRole('button', { name: 'Create feed' }).click();
    await expect(form.locator('[data-error-for="url"]')).toContainText('Use a ws:// or wss:// address');
    await page.screenshot({ path: `${SHOTS}/feed-form-error.png` });
    await form.getByRole('button', { name: 'Cancel' }).click();
    await expect(feeds.locator('tbody tr')).toHaveCount(1);
    await page.getByRole('tab', { name: 'Health' }).click();
    await expect(page.getByRole('table', { name: 'Feed health' }).locator('tbody tr')).toHaveCount(1);
  });
});

test('adding a feed starts it, it survives a restart, and removing it stops it', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tickscope-e2e-feeds-'));
  let host = await startHost({ dataDir });
  try {
    await page.goto(host.url);
    await page.getByRole('tab', { name: 'Feeds' }).click();
    await page.getByRole('button', { name: 'Add feed' }).click();
    const form = page.getByRole('form', { name: 'Add feed' });
    await form.getByRole('combobox', { name: 'Venue' }).selectOption('simulator');
    await form.getByRole('combobox', { name: 'Market type' }).selectOption('perp');
    await form.getByRole('textbox', { name: 'Feed id' }).fill('sim-perp');
    await form.getByRole('searchbox', { name: 'Search instruments' }).fill('BNB');
    await form.getByRole('button', { name: 'Add symbol BNB-USDT' }).click();
    await expect(form.getByRole('textbox', { name: 'Symbols' })).toHaveValue('BNB-USDT');
    await page.screenshot({ path: `${SHOTS}/feed-form.png` });
    await form.getByRole('button', { name: 'Create feed' }).click();
    await expect(form).toHaveCount(0);
    await expect(page.locator('tr[data-feed-config="sim-perp"]')).toContainText('BNB-USDT');
    await page.getByRole('tab', { name: 'Health' }).click();
    await expect(feedRow(page, 'sim-perp')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
    const watch = page.getByRole('table', { name: 'Markets' }).locator('[data-market="simulator:perp:BNB-USDT"]');
    await expect(watch.locator('.price')).toHaveText(/^\d+\.\d+$/);
    await expect(watch).toHaveAttribute('data-state', 'live');
    await page.screenshot({ path: `${SHOTS}/health.png` });
    await stopOk(host);

    // Same data dir: the feed is still configured and starts again.
    host = await startHost({ dataDir });
    await page.goto(host.url);
    await expect(feedRow(page, 'sim-perp')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
    await page.getByRole('tab', { name: 'Feeds' }).click();
    await page.getByRole('button', { name: 'Remove sim-perp' }).click();
    await page.getByRole('button', { name: 'Confirm remove sim-perp' }).click();
    await expect(page.locator('tr[data-feed-config="sim-perp"]')).toHaveCount(0);
    await page.getByRole('tab', { name: 'Health' }).click();
    await expect(feedRow(page, 'sim-perp')).toHaveCount(0, { timeout: 10_000 });
    await expect(page.getByRole('table', { name: 'Markets' }).locator('[data-market="simulator:perp:BNB-USDT"]')).toHaveCount(0);
  } finally {
    await stopOk(host);
  }
});

test('a corrupt settings file gives a visible notice and the default feeds', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tickscope-e2e-corrupt-'));
  writeFileSync(join(dataDir, 'settings.json'), '{"feeds": [garbage');
  const host = await startHost({ dataDir });
  try {
    await page.goto(host.url);
    const notice = page.getByRole('alert', { name: 'Notice' });
    await expect(notice).toContainText('settings file could not be read');
    await expect(notice).toContainText('Defaults are in use');
    await expect(feedRow(page, 'simulator-spot')).toHaveAttribute('data-state', 'live');
    await page.screenshot({ path: `${SHOTS}/corrupt-settings-notice.png` });
    await page.getByRole('button', { name: 'Dismiss notice' }).click();
    await expect(notice).toHaveCount(0);
  } finally {
    await stopOk(host);
  }
});
