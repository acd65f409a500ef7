/**
 * Liquidations on the chart (issue 16): one marker per bar, not a column of one per liquidation,
 * sized by the bar's dollar notional and shown from a threshold (set with the tape's levels); a
 * marked bar under the mouse details what was liquidated. The simulator's BTC-USDT perp (seed 3,
 * 100 trades/s) liquidates in bursts. At 1280x800 and 1920x1080.
 */
import { expect, test, type Page } from '@playwright/test';
import { startHost, type RunningHost } from './web-host';
import { VIEWPORTS } from './ux-helpers';
import { failOnPageErrors, traderConfig } from './trader-configs';

let host: RunningHost;
test.beforeAll(async () => {
  host = await startHost(traderConfig());
});
test.afterAll(async () => {
  expect(await host.stop(), host.output()).toBe(0);
});

const chart = (page: Page) => page.getByTestId('chart-1');
const count = async (page: Page, attr: string) => Number(await chart(page).getAttribute(attr));

async function setMarkerThreshold(page: Page, dollars: string): Promise<void> {
  await page.getByRole('button', { name: /^Highlight levels:/ }).click();
  await page.getByRole('group', { name: 'Highlight levels' }).getByRole('spinbutton', { name: 'Liquidation markers from' }).fill(dollars);
  await page.keyboard.press('Escape');
}

for (const vp of VIEWPORTS) {
  test.describe(`at ${vp.name}`, () => {
    test.use({ viewport: { width: vp.width, height: vp.height } });

    test('one marker per bar, by dollar notional from a threshold, details on hover', async ({ page }) => {
      test.setTimeout(120_000);
      const errors = failOnPageErrors(page);
      await page.goto(host.url);
      await page.getByRole('combobox', { name: 'Market for chart 1' }).selectOption('simulator:perp:BTC-USDT');
      await page.getByRole('group', { name: 'Timeframe for chart 1' }).getByRole('button', { name: '1m', exact: true }).click();
      await expect(chart(page)).toHaveAttribute('data-tf', '1m');
      // Threshold 0: every bar with a liquidation gets exactly one marker.
      await setMarkerThreshold(page, '0');
      await expect.poll(() => count(page, 'data-liquidations'), { timeout: 90_000 }).toBeGreaterThan(3);
      await expect.poll(() => count(page, 'data-liquidation-markers')).toBeGreaterThan(0);
      const liquidations = await count(page, 'data-liquidations');
      const markers = await count(page, 'data-liquidation-markers');
      // A burst liquidates many positions inside one 1m bar: far fewer markers than liquidations.
      expect(markers).toBeLessThan(liquidations);
      expect(markers).toBeLessThanOrEqual(await count(page, 'data-bars'));

      // Above any bar's total: no marker at all; back down: they return.
      await setMarkerThreshold(page, '1000000000');
      await expect.poll(() => count(page, 'data-liquidation-markers')).toBe(0);
      await setMarkerThreshold(page, '0');
      await expect.poll(() => count(page, 'data-liquidation-markers')).toBeGreaterThan(0);

      // Sweep the mouse across the chart: over a marked bar, its liquidations are detailed.
      const tooltip = page.getByTestId('liquidation-tooltip');
      const box = (await chart(page).boundingBox())!;
      let found = false;
      for (let x = box.x + 5; x < box.x + box.width - 70 && !found; x += 6) {
        await page.mouse.move(x, box.y + box.height / 2);
        found = await tooltip.isVisible();
      }
      expect(found, 'a marked bar shows its liquidations under the mouse').toBe(true);
      await expect(tooltip).toContainText('Liquidations, 1m bar at');
      await expect(tooltip).toContainText(/Longs liquidated: (none|\$[\d.]+[kM]? \(\d+\))/);
      await expect(tooltip).toContainText(/Shorts liquidated: (none|\$[\d.]+[kM]? \(\d+\))/);
      await expect(tooltip).toContainText(/Largest: (long|short) \$[\d.]+[kM]? at \d+\.\d+/);
      await page.screenshot({ path: `docs/screenshots/liquidations-${vp.name}.png` });
      await page.mouse.move(box.x + box.width / 2, box.y - 40);
      await expect(tooltip).toBeHidden();
      expect(errors).toEqual([]);
    });
  });
}
