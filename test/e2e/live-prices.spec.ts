import { expect, test } from '@playwright/test';
import { startHost, type RunningHost } from './web-host';

let host: RunningHost;

test.beforeAll(async () => {
  host = await startHost();
});

test.afterAll(async () => {
  expect(await host.stop()).toBe(0);
});

test('the browser UI shows live, changing prices from the built-in simulator', async ({ page }) => {
  await page.goto(host.url);
  const btc = page.locator('[data-market="simulator:spot:BTC-USDT"] .price');
  await expect(btc).toHaveText(/^\d+(\.\d+)?$/);
  const first = await btc.textContent();
  await expect(btc).not.toHaveText(first!, { timeout: 15_000 });
  await expect(page.locator('[data-feed="simulator-spot"]')).toHaveAttribute('data-state', 'live');
});

test('a request without the per-run token is refused', async ({ request }) => {
  const origin = new URL(host.url).origin;
  const res = await request.get(origin + '/');
  expect(res.status()).toBe(403);
});
