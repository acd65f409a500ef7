/**
 * First run and access: simulated prices are labelled SIMULATED, a first-run hint points to Feeds,
 * the key hint matches the 7 timeframes, the active chart's border has 3:1 contrast, price
 * direction is shown by a glyph as well as colour, the app has an icon and no page load 404s, and
 * an axe-core scan of the main view finds no serious violation.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { startHost, type RunningHost } from './web-host';
import { VIEWPORTS, openLoaded, simPlusDeadBinanceConfig } from './ux-helpers';

let host: RunningHost;
let mixed: RunningHost;
test.beforeAll(async () => {
  host = await startHost();
  mixed = await startHost(simPlusDeadBinanceConfig());
});
test.afterAll(async () => {
  for (const h of [host, mixed]) {
    const code = await h.stop();
    expect(code, h.output()).toBe(0);
  }
});

/** Every HTTP answer of 400 or more while the page loads (a missing favicon would be one). */
function collectFailures(page: Page): string[] {
  const failures: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failures.push(`${r.status()} ${r.url()}`);
  });
  return failures;
}

/** WCAG contrast ratio of two CSS rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = c.match(/[\d.]+/g)!.slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

for (const vp of VIEWPORTS) {
  test.describe(`at ${vp.name}`, () => {
    test.use({ viewport: { width: vp.width, height: vp.height } });

    test('simulated prices say SIMULATED; the first-run hint points to Feeds and stays dismissed', async ({ page }) => {
      const failures = collectFailures(page);
      await openLoaded(page, host.url);
      const chart1 = page.getByRole('region', { name: 'Chart 1' });
      await expect(chart1.getByTestId('simulated-badge')).toHaveText('SIMULATED');
      const hint = page.getByRole('region', { name: 'Getting started' });
      await expect(hint).toContainText('built-in simulator');
      await expect(hint).toContainText('Feeds');
      await expect(page.locator('.key-hint')).toContainText('keys 1-7');
      await page.screenshot({ path: `docs/screenshots/first-run-${vp.name}.png` });
      await page.getByRole('button', { name: 'Collapse bottom pane' }).click();
      await hint.getByRole('button', { name: 'Open Feeds' }).click();
      await expect(page.getByRole('tab', { name: 'Feeds' })).toHaveAttribute('aria-selected', 'true');
      await expect(page.getByRole('table', { name: 'Configured feeds' })).toBeVisible();
      await hint.getByRole('button', { name: 'Dismiss getting started hint' }).click();
      await expect(hint).toHaveCount(0);
      await page.reload();
      await expect(page.getByTestId('chart-1')).toHaveAttribute('data-loaded', 'true');
      await expect(page.getByRole('region', { name: 'Getting started' })).toHaveCount(0);
      // No 404 (favicon or anything else) on either load; the icons are served.
      expect(failures).toEqual([]);
      for (const [path, type] of [['/favicon.svg', 'image/svg+xml'], ['/favicon.ico', 'image/x-icon']] as const) {
        const res = await page.request.get(new URL(path, page.url()).toString());
        expect(res.status(), path).toBe(200);
        expect(res.headers()['content-type']).toBe(type);
      }
      await expect(page.locator('link[rel="icon"]')).toHaveAttribute('href', './favicon.svg');
    });

    test('a real venue chart has no SIMULATED badge, an all-venues one with the simulator does; no hint with a real feed', async ({ page }) => {
      await openLoaded(page, mixed.url);
      const picker = page.getByRole('combobox', { name: 'Market for chart 1' });
      const chart1 = page.getByRole('region', { name: 'Chart 1' });
      await picker.selectOption('binance:spot:BTC-USDT');
      await expect(page.getByTestId('chart-1')).toHaveAttribute('data-market', 'binance:spot:BTC-USDT');
      await expect(chart1.getByTestId('simulated-badge')).toHaveCount(0);
      await picker.selectOption('*:spot:BTC-USDT');
      await expect(chart1.getByTestId('simulated-badge')).toBeVisible();
      await picker.selectOption('simulator:spot:ETH-USDT');
      await expect(chart1.getByTestId('simulated-badge')).toBeVisible();
      await expect(page.getByRole('region', { name: 'Getting started' })).toHaveCount(0);
    });

    test('the active chart border has 3:1 contrast, price direction has a glyph, and axe finds no serious violation', async ({ page }) => {
      await openLoaded(page, host.url);
      await page.getByRole('radiogroup', { name: 'Layout' }).getByRole('radio', { name: '2 side by side' }).click();
      await expect(page.getByTestId('chart-2')).toHaveAttribute('data-loaded', 'true');
      const active = page.locator('.chart-pane.active');
      await expect(active).toHaveCount(1);
      const [border, background] = await active.evaluate((el) => [getComputedStyle(el).borderTopColor, getComputedStyle(el).backgroundColor]);
      expect(contrast(border!, background!)).toBeGreaterThanOrEqual(3);

      const last = page.getByRole('region', { name: 'Chart 1' }).getByTestId('last-price');
      await expect(last).toHaveAttribute('data-direction', /up|down/);
      const glyph = await last.evaluate((el) => getComputedStyle(el, '::before').content);
      expect(glyph).toMatch(/[▲▼]/);

      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.length} nodes, e.g. ${v.nodes[0]?.target.join(' ')} — ${v.nodes[0]?.failureSummary?.split('\n')[1] ?? ''}`);
      expect(serious, serious.join('\n')).toEqual([]);
    });
  });
}
