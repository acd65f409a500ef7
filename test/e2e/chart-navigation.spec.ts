/**
 * Chart navigation as a TradingView user expects it: a sensible first view, following new bars at
 * the right edge, zoom that keeps the live bar pinned, "Go to live" whenever the latest bar is
 * off-screen, the latest price on the axis while scrolled back, and keyboard control of the
 * focused chart (which is also the chart number keys act on).
 */
import { expect, test, type Page } from '@playwright/test';
import { startHost, type RunningHost } from './web-host';
import { VIEWPORTS, num, openLoaded, visible } from './ux-helpers';

let host: RunningHost;
test.beforeAll(async () => {
  host = await startHost();
});
test.afterAll(async () => {
  const code = await host.stop();
  expect(code, host.output()).toBe(0);
});

const goLive = (page: Page) => page.getByRole('button', { name: 'Go to live' });

for (const vp of VIEWPORTS) {
  test.describe(`at ${vp.name}`, () => {
    test.use({ viewport: { width: vp.width, height: vp.height } });

    test('first load fits the bars across the chart, not into a corner', async ({ page }) => {
      await openLoaded(page, host.url);
      // Let a dozen 1s bars exist, then open a fresh page: the view is placed on load.
      await expect.poll(() => num(page, 'chart-1', 'data-bars'), { timeout: 20_000 }).toBeGreaterThanOrEqual(12);
      await page.reload();
      await expect(page.getByTestId('chart-1')).toHaveAttribute('data-loaded', 'true');
      await expect.poll(() => num(page, 'chart-1', 'data-visible-to'), { timeout: 5_000 }).toBeGreaterThan(0);
      const box = (await page.getByTestId('chart-1').boundingBox())!;
      // The fitted view is placed once the bars are in; lightweight-charts' default view (6 px a
      // bar) can be on the attributes for a frame before it (seen on a busy CI machine).
      const spacingOf = (r: { width: number }) => (box.width - 70) / r.width;
      await expect.poll(async () => spacingOf(await visible(page)), { timeout: 5_000 }).toBeGreaterThan(20);
      const bars = await num(page, 'chart-1', 'data-bars');
      const v = await visible(page);
      // The oldest bar is at the left edge (not a cluster in the right third), the newest one on
      // screen, and the candles are readable: 20-40 px apart on a 65-70 px price scale's left.
      expect(v.from).toBeLessThanOrEqual(0.5);
      expect(v.to).toBeGreaterThan(bars - 1);
      const spacing = spacingOf(v);
      expect(spacing).toBeGreaterThan(20);
      expect(spacing).toBeLessThan(45);
      await expect(goLive(page)).toBeHidden();
      // New bars grow into the free space on the right: the view stays, the oldest bar with it.
      await expect.poll(() => num(page, 'chart-1', 'data-bars'), { timeout: 10_000 }).toBeGreaterThan(bars + 1);
      const later = await visible(page);
      expect(Math.abs(later.from - v.from)).toBeLessThan(0.01);
      await expect(page.getByTestId('chart-1')).toHaveAttribute('data-at-live', 'true');
    });

    test('the view follows new bars at the right edge; zoom (keys and wheel) keeps the live bar pinned', async ({ page }) => {
      await openLoaded(page, host.url);
      const chart = page.getByTestId('chart-1');
      await expect.poll(() => num(page, 'chart-1', 'data-bars'), { timeout: 20_000 }).toBeGreaterThanOrEqual(12);
      // The usual live view: the latest bar a few slots from the right edge.
      await chart.focus();
      await page.keyboard.press('End');
      await expect.poll(async () => (await visible(page)).to - ((await num(page, 'chart-1', 'data-bars')) - 1)).toBeLessThan(5);
      const before = await visible(page);
      const lastStart = await num(page, 'chart-1', 'data-last-start');
      await expect.poll(() => num(page, 'chart-1', 'data-last-start'), { timeout: 10_000 }).toBeGreaterThan(lastStart + 1500);
      // New bars came: the view moved right with them and the chart is still at live.
      await expect.poll(async () => (await visible(page)).to).toBeGreaterThan(before.to + 1);
      await expect(chart).toHaveAttribute('data-at-live', 'true');
      await expect(goLive(page)).toBeHidden();

      // Where the latest bar sits across the view (0 = left edge, 1 = right edge).
      const place = async () => {
        const v = await visible(page);
        return ((await num(page, 'chart-1', 'data-bars')) - 1 - v.from) / v.width;
      };
      const z0 = await visible(page);
      const p0 = await place();
      await page.keyboard.press('+');
      await page.keyboard.press('+');
      await expect.poll(async () => (await visible(page)).width).toBeLessThan(z0.width * 0.8);
      const z1 = await visible(page);
      // Pinned: a new bar may have come in between (one bar of the view), no more.
      expect(Math.abs((await place()) - p0)).toBeLessThan(1.5 / z1.width + 0.01);
      await page.keyboard.press('-');
      await page.keyboard.press('-');
      await page.keyboard.press('-');
      await expect.poll(async () => (await visible(page)).width).toBeGreaterThan(z1.width);
      await expect(chart).toHaveAttribute('data-at-live', 'true');

      // Mouse wheel over the middle of the chart: zooms, the latest bar stays on screen.
      const box = (await chart.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
      for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -120);
      await page.mouse.move(box.x + 5, box.y + 5);
      for (let i = 0; i < 6; i++) await page.mouse.wheel(0, 120);
      await expect(chart).toHaveAttribute('data-at-live', 'true');
      await expect(goLive(page)).toBeHidden();
    });

    test('"Go to live" appears when the latest bar is off-screen, the axis keeps the live price, End and the button return', async ({ page }) => {
      await openLoaded(page, host.url);
      const chart = page.getByTestId('chart-1');
      await expect.poll(() => num(page, 'chart-1', 'data-bars'), { timeout: 20_000 }).toBeGreaterThanOrEqual(10);
      await chart.focus();
      // Zoom in, then pan back with the arrow key until the latest bar is off the right edge.
      for (let i = 0; i < 3; i++) await page.keyboard.press('+');
      const live = await visible(page);
      for (let i = 0; i < 8 && (await chart.getAttribute('data-at-live')) === 'true'; i++) await page.keyboard.press('ArrowLeft');
      await expect(chart).toHaveAttribute('data-at-live', 'false');
      await expect.poll(async () => (await visible(page)).to).toBeLessThan(live.to);
      await expect(goLive(page)).toBeVisible();
      // Scrolled back, the view stays put as bars arrive, and the axis label is the newest close.
      const held = await visible(page);
      const lastStart = await num(page, 'chart-1', 'data-last-start');
      await expect.poll(() => num(page, 'chart-1', 'data-last-start'), { timeout: 10_000 }).toBeGreaterThan(lastStart);
      expect(Math.abs((await visible(page)).to - held.to)).toBeLessThan(0.01);
      await expect.poll(async () => (await chart.getAttribute('data-axis-price')) === (await chart.getAttribute('data-last-close'))).toBe(true);
      await page.screenshot({ path: `docs/screenshots/go-to-live-${vp.name}.png` });

      await goLive(page).click();
      await expect(chart).toHaveAttribute('data-at-live', 'true');
      await expect(goLive(page)).toBeHidden();

      // End does the same from the keyboard; arrows pan both ways.
      await chart.focus();
      for (let i = 0; i < 8 && (await chart.getAttribute('data-at-live')) === 'true'; i++) await page.keyboard.press('ArrowLeft');
      await expect(goLive(page)).toBeVisible();
      const back = await visible(page);
      await page.keyboard.press('ArrowRight');
      await expect.poll(async () => (await visible(page)).to).toBeGreaterThan(back.to);
      await page.keyboard.press('End');
      await expect(chart).toHaveAttribute('data-at-live', 'true');
      await expect(goLive(page)).toBeHidden();
    });

    test('number keys act on the focused chart, not on the one under the mouse', async ({ page }) => {
      await openLoaded(page, host.url);
      await page.getByRole('radiogroup', { name: 'Layout' }).getByRole('radio', { name: '2 side by side' }).click();
      await expect(page.getByTestId('chart-2')).toHaveAttribute('data-loaded', 'true');
      // Chart 2 is the active one after it was added; focus goes into chart 1's toolbar.
      await page.getByRole('toolbar', { name: 'Chart 1 toolbar' }).getByRole('button').first().focus();
      await expect(page.getByRole('region', { name: 'Chart 1' })).toHaveAttribute('data-active', 'true');
      // The mouse rests over chart 2: it does not matter.
      const box2 = (await page.getByTestId('chart-2').boundingBox())!;
      await page.mouse.move(box2.x + box2.width / 2, box2.y + box2.height / 2);
      await page.keyboard.press('4');
      await expect(page.getByTestId('chart-1')).toHaveAttribute('data-tf', '1m');
      await expect(page.getByTestId('chart-2')).toHaveAttribute('data-tf', '1s');
      // Focusing chart 2's canvas (keyboard) makes it the active chart; key 5 goes there.
      await page.getByTestId('chart-2').focus();
      await expect(page.getByRole('region', { name: 'Chart 2' })).toHaveAttribute('data-active', 'true');
      await page.keyboard.press('5');
      await expect(page.getByTestId('chart-2')).toHaveAttribute('data-tf', '5m');
      await expect(page.getByTestId('chart-1')).toHaveAttribute('data-tf', '1m');
    });
  });
}
