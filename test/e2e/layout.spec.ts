/**
 * Several charts that hold: the Layout presets (1, 2 side by side, 2 stacked, 2x2), zoom kept
 * when a chart is added, a one-row toolbar (a More menu when narrow), a one-line legend clear of
 * the price scale, an empty chart without the previous market's scale, the bottom pane folding
 * with the developer metrics behind "Details", and all of it surviving a reload.
 */
import { expect, test, type Page } from '@playwright/test';
import { startHost, type RunningHost } from './web-host';
import { VIEWPORTS, num, openLoaded, simPlusDeadBinanceConfig, visible } from './ux-helpers';

let host: RunningHost;
test.beforeAll(async () => {
  host = await startHost(simPlusDeadBinanceConfig());
});
test.afterAll(async () => {
  const code = await host.stop();
  expect(code, host.output()).toBe(0);
});

/** This host's first market is the dead Binance one: charts are put on the simulator first. */
async function openOnSimulator(page: Page): Promise<void> {
  await openLoaded(page, host.url);
  await page.getByRole('combobox', { name: 'Market for chart 1' }).selectOption('simulator:spot:BTC-USDT');
  await expect(page.getByTestId('chart-1')).toHaveAttribute('data-market', 'simulator:spot:BTC-USDT');
  await expect(page.getByTestId('chart-1')).toHaveAttribute('data-loaded', 'true');
}

const preset = (page: Page, name: string) => page.getByRole('radiogroup', { name: 'Layout' }).getByRole('radio', { name, exact: true });

async function box(page: Page, testId: string) {
  const b = await page.getByTestId(testId).boundingBox();
  if (!b) throw new Error(`${testId} has no box`);
  return b;
}

/** Every chart's toolbar is one row (about one control high) and nothing in it is cut off. */
async function expectOneRowToolbars(page: Page, charts: number): Promise<void> {
  for (let i = 1; i <= charts; i++) {
    const bar = page.getByRole('toolbar', { name: `Chart ${i} toolbar` });
    const b = (await bar.boundingBox())!;
    expect(b.height, `toolbar ${i} height`).toBeLessThan(36);
    const cut = await bar.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
    expect(cut, `toolbar ${i} overflows`).toBe(false);
  }
}

/** Every legend is one line and ends left of its chart's price scale. */
async function expectOneLineLegends(page: Page, charts: number): Promise<void> {
  for (let i = 1; i <= charts; i++) {
    const legend = page.getByRole('region', { name: `Chart ${i}` }).getByRole('group', { name: 'Bar values' });
    // Polled: a chart that just switched market learns its new price scale width on a paint.
    await expect(async () => {
      const lb = (await legend.boundingBox())!;
      expect(lb.height, `legend ${i} height`).toBeLessThan(24);
      const cb = await box(page, `chart-${i}`);
      // The price scale is at least 50 px wide on these prices: the legend stays left of it.
      expect(lb.x + lb.width, `legend ${i} right edge`).toBeLessThan(cb.x + cb.width - 50);
    }).toPass({ timeout: 5_000 });
  }
}

for (const vp of VIEWPORTS) {
  test.describe(`at ${vp.name}`, () => {
    test.use({ viewport: { width: vp.width, height: vp.height } });

    test('the Layout presets arrange 1, 2 side by side, 2 stacked and 2x2 charts, and persist', async ({ page }) => {
      await openOnSimulator(page);
      await expect(preset(page, '1 chart')).toHaveAttribute('aria-checked', 'true');
      await expectOneRowToolbars(page, 1);
      await expectOneLineLegends(page, 1);

      await preset(page, '2 side by side').click();
      await expect(page.getByTestId('chart-2')).toHaveAttribute('data-loaded', 'true');
      let [a, b] = [await box(page, 'chart-1'), await box(page, 'chart-2')];
      expect(b.x).toBeGreaterThan(a.x + a.width - 5);
      expect(Math.abs(b.y - a.y)).toBeLessThan(2);
      await expectOneRowToolbars(page, 2);
      await expectOneLineLegends(page, 2);

      await preset(page, '2 stacked').click();
      await expect(page.getByTestId('chart-2')).toHaveAttribute('data-loaded', 'true');
      [a, b] = [await box(page, 'chart-1'), await box(page, 'chart-2')];
      expect(b.y).toBeGreaterThan(a.y + a.height - 5);
      expect(Math.abs(b.x - a.x)).toBeLessThan(2);
      await expectOneRowToolbars(page, 2);

      await preset(page, '2x2').click();
      await expect(page.getByTestId('chart-4')).toHaveAttribute('data-loaded', 'true');
      const boxes = await Promise.all([1, 2, 3, 4].map((i) => box(page, `chart-${i}`)));
      expect(boxes[1]!.x).toBeGreaterThan(boxes[0]!.x + 50); // 2 right of 1
      expect(boxes[2]!.y).toBeGreaterThan(boxes[0]!.y + 50); // 3 below 1
      expect(boxes[3]!.x).toBeGreaterThan(boxes[2]!.x + 50); // 4 right of 3
      await expect(page.getByRole('button', { name: 'Add chart' })).toBeDisabled();
      await expectOneRowToolbars(page, 4);
      await expectOneLineLegends(page, 4);
      await page.screenshot({ path: `docs/screenshots/layout-2x2-${vp.name}.png` });

      await page.reload();
      await expect(page.getByTestId('chart-4')).toHaveAttribute('data-loaded', 'true');
      await expect(preset(page, '2x2')).toHaveAttribute('aria-checked', 'true');

      await preset(page, '1 chart').click();
      await expect(page.getByTestId('chart-2')).toHaveCount(0);
      await expect(page.getByTestId('chart-1')).toHaveAttribute('data-loaded', 'true');
    });

    test('a narrow chart folds its export and close controls into a More menu', async ({ page }) => {
      await openOnSimulator(page);
      await preset(page, '2x2').click();
      await expect(page.getByTestId('chart-4')).toHaveAttribute('data-loaded', 'true');
      const bar = page.getByRole('toolbar', { name: 'Chart 2 toolbar' });
      // At this size a 2x2 chart may be as wide as the toolbar's compact threshold (800 px,
      // COMPACT_WIDTH in ChartToolbar.tsx): the window is then narrowed, as a trader's would be
      // beside another app, until the charts are narrower than that.
      const viewport = page.viewportSize()!;
      if ((await bar.boundingBox())!.width >= 800) await page.setViewportSize({ width: 1280, height: viewport.height });
      await expect.poll(async () => (await bar.boundingBox())!.width).toBeLessThan(800);
      await expect(bar.getByRole('combobox', { name: 'Timeframe for chart 2' })).toBeVisible();
      await bar.getByRole('button', { name: 'More for chart 2' }).click();
      const more = page.getByRole('group', { name: 'More for chart 2' });
      await expect(more.getByRole('button', { name: 'Export CSV of chart 2' })).toBeVisible();
      await more.getByRole('button', { name: 'Close chart 2' }).click();
      await expect(page.getByTestId('chart-4')).toHaveCount(0);
      await bar.getByRole('combobox', { name: 'Timeframe for chart 2' }).selectOption('5s');
      await expect(page.getByTestId('chart-2')).toHaveAttribute('data-tf', '5s');
    });

    test('each chart keeps its zoom when another chart is added', async ({ page }) => {
      await openOnSimulator(page);
      await expect.poll(() => num(page, 'chart-1', 'data-bars'), { timeout: 20_000 }).toBeGreaterThanOrEqual(10);
      // The first view is placed once the bars are in: zoom from it, not from before it.
      await expect.poll(async () => (await visible(page)).width, { timeout: 10_000 }).toBeGreaterThan(5);
      await page.getByTestId('chart-1').focus();
      const before = (await visible(page)).width;
      for (let i = 0; i < 3; i++) await page.keyboard.press('+');
      // The zoom reaches data-visible-* on a later paint: wait until the range has narrowed and
      // then holds still for a poll, so the width kept below is the zoom's, not a step of it.
      let zoomed = await visible(page);
      await expect
        .poll(async () => {
          const now = await visible(page);
          const settled = now.width < before - 1 && Math.abs(now.width - zoomed.width) < 0.2;
          zoomed = now;
          return settled;
        })
        .toBe(true);
      await page.getByRole('button', { name: 'Add chart' }).click();
      await expect(page.getByTestId('chart-2')).toHaveAttribute('data-loaded', 'true');
      await expect(page.getByTestId('chart-1')).toHaveAttribute('data-loaded', 'true');
      // Chart 1 was re-mounted in the new arrangement and shows as many bars as before (bars
      // may have arrived meanwhile: it is still following them at the same zoom).
      await expect.poll(async () => Math.abs((await visible(page)).width - zoomed.width)).toBeLessThan(0.6);
      await expect(page.getByTestId('chart-1')).toHaveAttribute('data-at-live', 'true');
    });

    test('an empty chart shows no price scale from the market it showed before', async ({ page }) => {
      await openOnSimulator(page);
      const chart = page.getByTestId('chart-1');
      await expect(chart).toHaveAttribute('data-price-scale', 'visible');
      // Binance cannot connect here: its market has no bars.
      await page.getByRole('combobox', { name: 'Market for chart 1' }).selectOption('binance:spot:BTC-USDT');
      await expect(chart).toHaveAttribute('data-loaded', 'true');
      await expect(chart).toHaveAttribute('data-bars', '0');
      await expect(chart).toHaveAttribute('data-price-scale', 'hidden');
      await expect(page.getByText('Waiting for the first trade of this market…')).toBeVisible();
      await page.getByRole('combobox', { name: 'Market for chart 1' }).selectOption('simulator:spot:ETH-USDT');
      await expect(chart).toHaveAttribute('data-price-scale', 'visible');
      await expect(page.getByText('Waiting for the first trade of this market…')).toBeHidden();
    });

    test('the bottom pane folds to its tab bar, developer metrics hide behind Details, both persist', async ({ page }) => {
      await openOnSimulator(page);
      const pane = page.getByRole('region', { name: 'Health and feeds' });
      const stats = page.getByRole('region', { name: 'Pipeline health' });
      await expect(stats.getByRole('group', { name: 'Connection' })).toBeVisible();
      for (const dev of ['Seq', 'Heap', 'RSS', 'Event loop p99']) await expect(stats.getByRole('group', { name: dev, exact: true })).toHaveCount(0);
      await expect(page.getByRole('table', { name: 'Queues' })).toHaveCount(0);
      await page.getByRole('button', { name: 'Details' }).click();
      for (const dev of ['Seq', 'Heap', 'RSS', 'Event loop p99']) await expect(stats.getByRole('group', { name: dev, exact: true })).toBeVisible();
      await expect(page.getByRole('table', { name: 'Queues' })).toBeVisible();

      const open = (await pane.boundingBox())!.height;
      await page.getByRole('button', { name: 'Collapse bottom pane' }).click();
      await expect.poll(async () => (await pane.boundingBox())!.height).toBeLessThan(40);
      await expect(page.getByRole('tab', { name: 'Feeds' })).toBeVisible();
      // The charts took the room.
      expect((await box(page, 'chart-1')).height).toBeGreaterThan(open * 0.5);
      await page.reload();
      await expect(page.getByTestId('chart-1')).toHaveAttribute('data-loaded', 'true');
      await expect.poll(async () => (await pane.boundingBox())!.height).toBeLessThan(40);
      await page.getByRole('button', { name: 'Expand bottom pane' }).click();
      await expect.poll(async () => (await pane.boundingBox())!.height).toBeGreaterThan(100);
      await expect(stats.getByRole('group', { name: 'Heap', exact: true })).toBeVisible();
    });
  });
}
