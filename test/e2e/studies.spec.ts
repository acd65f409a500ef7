/**
 * Chart studies (issue 12): the Studies menu turns on a CVD pane under the candles, a session
 * VWAP line and a visible-range volume profile with its POC; the choice is kept per chart across
 * a reload. Against the simulator's BTC-USDT perp (100 trades/s), on 1s bars.
 */
import { expect, test, type Page } from '@playwright/test';
import { startHost, type RunningHost } from './web-host';
import { failOnPageErrors, traderConfig } from './trader-configs';

let host: RunningHost;
test.beforeAll(async () => {
  host = await startHost(traderConfig());
});
test.afterAll(async () => {
  expect(await host.stop(), host.output()).toBe(0);
});

test.use({ viewport: { width: 1280, height: 800 } });

const chart = (page: Page) => page.getByTestId('chart-1');
const attr = async (page: Page, name: string) => (await chart(page).getAttribute(name)) ?? '';
const num = async (page: Page, name: string) => Number(await attr(page, name));

async function toggle(page: Page, label: RegExp): Promise<void> {
  const menu = page.getByRole('button', { name: 'Studies for chart 1' });
  if ((await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
  await page.getByRole('group', { name: 'Studies for chart 1' }).getByRole('checkbox', { name: label }).click();
}

test('CVD pane, VWAP line and volume profile from the toolbar, kept across a reload', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = failOnPageErrors(page);
  await page.goto(host.url);
  await page.getByRole('combobox', { name: 'Market for chart 1' }).selectOption('simulator:perp:BTC-USDT');
  await expect(chart(page)).toHaveAttribute('data-loaded', 'true');
  // Enough 1s bars for a profile worth a screenshot.
  await expect.poll(() => num(page, 'data-bars'), { timeout: 40_000 }).toBeGreaterThan(25);
  await expect(chart(page)).toHaveAttribute('data-studies', '');

  // CVD: a second pane under the candles, one point per bar, following the data.
  const panesBefore = await page.locator('[data-testid="chart-1"] table tr').count();
  await toggle(page, /^CVD/);
  await expect(chart(page)).toHaveAttribute('data-studies', 'cvd');
  await expect.poll(() => page.locator('[data-testid="chart-1"] table tr').count()).toBeGreaterThan(panesBefore);
  await expect.poll(async () => (await num(page, 'data-cvd-points')) === (await num(page, 'data-bars'))).toBe(true);
  const cvdPoints = await num(page, 'data-cvd-points');
  const cvdLast = await attr(page, 'data-cvd-last');
  expect(Number.isFinite(Number(cvdLast))).toBe(true);
  // It grows with the data: more bars, more points, and the running sum moves.
  await expect.poll(() => num(page, 'data-cvd-points'), { timeout: 20_000 }).toBeGreaterThan(cvdPoints);
  await expect.poll(() => attr(page, 'data-cvd-last'), { timeout: 20_000 }).not.toBe(cvdLast);

  // VWAP: drawn within the bars' price range.
  await toggle(page, /^VWAP \(UTC day\)/);
  await toggle(page, /^VWAP 1σ/);
  await expect(chart(page)).toHaveAttribute('data-studies', 'cvd vwap+bands');
  await expect.poll(() => attr(page, 'data-vwap-last')).not.toBe('');
  const vwap = await num(page, 'data-vwap-last');
  const close = await num(page, 'data-last-close');
  expect(Math.abs(vwap - close) / close).toBeLessThan(0.05);

  // Anchored VWAP: the next click on a bar anchors it.
  await toggle(page, /^Anchored VWAP/);
  await page.keyboard.press('Escape');
  await expect(chart(page)).toHaveAttribute('data-studies', 'cvd vwap+bands avwap(pick)');
  const box = (await chart(page).boundingBox())!;
  await page.mouse.click(box.x + 60, box.y + box.height / 3);
  await expect(chart(page)).toHaveAttribute('data-studies', 'cvd vwap+bands avwap');
  await expect.poll(() => attr(page, 'data-anchored-vwap-last')).not.toBe('');

  // Volume profile: POC between VAL and VAH, labelled on the price axis.
  await toggle(page, /^Volume profile$/);
  await page.keyboard.press('Escape');
  await expect.poll(() => attr(page, 'data-profile-poc')).not.toBe('');
  const [poc, vah, val] = [await num(page, 'data-profile-poc'), await num(page, 'data-profile-vah'), await num(page, 'data-profile-val')];
  expect(val).toBeLessThanOrEqual(poc);
  expect(poc).toBeLessThanOrEqual(vah);
  await expect(chart(page)).toHaveAttribute('data-profile-labels', 'POC VAH VAL');
  expect(await num(page, 'data-profile-bars')).toBeGreaterThan(0);
  await page.screenshot({ path: 'docs/screenshots/studies.png' });

  // A reload keeps the chart's studies.
  await page.reload();
  await expect(chart(page)).toHaveAttribute('data-loaded', 'true');
  await expect(chart(page)).toHaveAttribute('data-studies', 'cvd vwap+bands avwap profile');
  await expect.poll(() => num(page, 'data-cvd-points')).toBeGreaterThan(0);
  await expect.poll(() => attr(page, 'data-profile-poc')).not.toBe('');
  await expect(page.getByRole('button', { name: 'Studies for chart 1' })).toHaveText('Studies (4)');

  // Options: CVD from the first bar in view, the profile of the UTC day in view.
  await page.getByRole('button', { name: 'Studies for chart 1' }).click();
  const panel = page.getByRole('group', { name: 'Studies for chart 1' });
  await panel.getByRole('combobox', { name: 'CVD starts' }).selectOption('visible');
  await panel.getByRole('combobox', { name: 'Profile of' }).selectOption('session');
  await expect(chart(page)).toHaveAttribute('data-studies', 'cvd(visible) vwap+bands avwap profile(session)');
  await expect.poll(() => attr(page, 'data-profile-poc')).not.toBe('');

  // Off again: the CVD pane goes away.
  await toggle(page, /^CVD/);
  await expect(chart(page)).toHaveAttribute('data-studies', 'vwap+bands avwap profile(session)');
  await expect(chart(page)).toHaveAttribute('data-cvd-points', '');
  expect(errors).toEqual([]);
});

test('open interest pane on the perp: one point per bar from the funding stream, with its change', async ({ page }) => {
  test.setTimeout(60_000);
  const errors = failOnPageErrors(page);
  await page.goto(host.url);
  await page.getByRole('combobox', { name: 'Market for chart 1' }).selectOption('simulator:perp:BTC-USDT');
  await expect(chart(page)).toHaveAttribute('data-loaded', 'true');
  await toggle(page, /^Open interest/);
  await page.keyboard.press('Escape');
  await expect(chart(page)).toHaveAttribute('data-studies', /(^| )oi( |$)/);
  // The simulator sends open interest once a second (about $50M of BTC: hundreds of coins).
  await expect.poll(() => num(page, 'data-oi-points'), { timeout: 15_000 }).toBeGreaterThan(2);
  const oi = await num(page, 'data-oi-last');
  expect(oi).toBeGreaterThan(100);
  expect(oi).toBeLessThan(10_000);
  // A spot market has none: the pane stays empty.
  await page.getByRole('combobox', { name: 'Market for chart 1' }).selectOption('simulator:spot:BTC-USDT');
  await expect(chart(page)).toHaveAttribute('data-loaded', 'true');
  await expect.poll(() => attr(page, 'data-oi-points')).toBe('0');
  expect(errors).toEqual([]);
});

test('CVD marks the bars a disconnect left incomplete, the same bars the candles mark', async ({ page }) => {
  test.setTimeout(60_000);
  const errors = failOnPageErrors(page);
  await page.goto(host.url);
  await page.getByRole('combobox', { name: 'Market for chart 1' }).selectOption('simulator:spot:BTC-USDT');
  await expect(chart(page)).toHaveAttribute('data-loaded', 'true');
  const studies = (await attr(page, 'data-studies')).split(' ');
  if (!studies.includes('cvd')) await toggle(page, /^CVD/);
  await page.keyboard.press('Escape');
  await expect.poll(() => num(page, 'data-cvd-points')).toBeGreaterThan(0);
  await page.getByRole('combobox', { name: 'Fault mode for simulator-spot' }).selectOption('drop');
  await page.getByRole('button', { name: 'Simulate fault on simulator-spot' }).click();
  await expect.poll(() => num(page, 'data-incomplete-bars'), { timeout: 20_000 }).toBeGreaterThan(0);
  // Exactly the incomplete bars (the candles' count is refreshed about once a second).
  await expect.poll(async () => (await num(page, 'data-cvd-incomplete')) === (await num(page, 'data-incomplete-bars')), { timeout: 5_000 }).toBe(true);
  expect(await num(page, 'data-cvd-incomplete')).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});
