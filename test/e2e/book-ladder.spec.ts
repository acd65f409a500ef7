/**
 * The order-book ladder (issue 11): the simulator's BTC-USDT spot book with its book channel on.
 * The ladder renders asks above bids with the spread between them, updates as the book moves,
 * and a dropped book diff (the simulator's `drop-diff` fault) is shown: BOOK RESYNCING (n) over the
 * ladder while the core reports the book resyncing, or BOOK RESYNCED (n) when the rebuild finished
 * between two of the core's views; the resync is counted in the header after.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startHost, type RunningHost } from './web-host';
import { expectNoSeriousAxeViolations, failOnPageErrors } from './trader-configs';

const SHOTS = 'docs/screenshots';

let host: RunningHost;
test.beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tickscope-e2e-'));
  const config = join(dataDir, 'feeds.json');
  const feeds = [
    { id: 'simulator-spot', exchange: 'simulator', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades', 'quotes', 'book'] },
    // No book channel: its ladder must say so rather than look empty.
    { id: 'simulator-perp', exchange: 'simulator', market: 'perp', symbols: ['BTC-USDT'], channels: ['trades', 'quotes'] },
  ];
  writeFileSync(config, JSON.stringify({ feeds }));
  host = await startHost({ dataDir, config });
});
test.afterAll(async () => {
  expect(await host.stop(), host.output()).toBe(0);
});

const ladder = (page: Page) => page.getByRole('region', { name: 'Order book' });
const body = (page: Page) => ladder(page).locator('.book-body');

async function openBook(page: Page, market: string): Promise<void> {
  await page.goto(host.url);
  await page.getByRole('combobox', { name: 'Market for chart 1' }).selectOption(market);
  const toggle = page.getByRole('button', { name: 'Order book' });
  if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
}

interface Level {
  side: string;
  price: number;
  size: number;
  cum: number;
}

async function levels(page: Page): Promise<Level[]> {
  return ladder(page)
    .locator('.book-row')
    .evaluateAll((els) =>
      els.map((el) => ({
        side: el.classList.contains('ask') ? 'ask' : 'bid',
        price: Number(el.getAttribute('data-price')),
        size: Number(el.getAttribute('data-size')),
        cum: Number(el.getAttribute('data-cum')),
      })),
    );
}

test('the ladder shows the book: asks above bids, cumulative sizes, the spread, and it updates', async ({ page }) => {
  const errors = failOnPageErrors(page);
  await openBook(page, 'simulator:spot:BTC-USDT');
  await expect(body(page)).toHaveAttribute('data-state', 'valid', { timeout: 20_000 });
  await expect.poll(async () => (await levels(page)).length, { timeout: 10_000 }).toBeGreaterThan(4);

  const rows = await levels(page);
  const asks = rows.filter((r) => r.side === 'ask');
  const bids = rows.filter((r) => r.side === 'bid');
  expect(asks.length).toBeGreaterThan(0);
  expect(bids.length).toBeGreaterThan(0);
  // Top to bottom, prices fall; every ask is above every bid (never a crossed ladder).
  for (let i = 1; i < rows.length; i++) expect(rows[i]!.price).toBeLessThan(rows[i - 1]!.price);
  expect(Math.min(...asks.map((r) => r.price))).toBeGreaterThan(Math.max(...bids.map((r) => r.price)));
  // Cumulative sizes grow away from the spread on both sides.
  const best = bids[0]!;
  expect(best.cum).toBeCloseTo(best.size, 9);
  for (let i = 1; i < bids.length; i++) expect(bids[i]!.cum).toBeCloseTo(bids[i - 1]!.cum + bids[i]!.size, 6);
  const spread = ladder(page).locator('.book-spread');
  await expect(spread).toContainText(/Spread \d.* bp/);
  expect(Number(await spread.getAttribute('data-spread'))).toBeGreaterThan(0);

  // It moves: the view's version advances and the levels change.
  const v0 = Number(await body(page).getAttribute('data-version'));
  await expect.poll(async () => Number(await body(page).getAttribute('data-version')), { timeout: 10_000 }).toBeGreaterThan(v0);

  // Frame budget: the ladder repaints from the shared paint scheduler, at most ~10 times a second
  // although batches arrive at 30 Hz (the simulator's book and trades change all the time).
  const p0 = Number(await body(page).getAttribute('data-paints'));
  const t0 = Date.now();
  await page.waitForTimeout(2_000); // a measurement window, not a wait for a condition
  const rate = (Number(await body(page).getAttribute('data-paints')) - p0) / ((Date.now() - t0) / 1000);
  expect(rate).toBeGreaterThan(2);
  expect(rate).toBeLessThanOrEqual(11);
  await page.screenshot({ path: `${SHOTS}/book-ladder.png` });
  // Grouping by 10: prices are multiples of 10, sizes summed into fewer rows.
  await ladder(page).getByRole('combobox', { name: 'Price grouping' }).selectOption('10');
  await expect.poll(async () => (await levels(page)).every((r) => Math.abs(r.price / 10 - Math.round(r.price / 10)) < 1e-9)).toBe(true);
  // The value of a level in dollars on hover.
  await expect(ladder(page).locator('.book-row .b-size').first()).toHaveAttribute('title', /BTC ≈ \$/);
  await expectNoSeriousAxeViolations(page, '.book-ladder');
  expect(errors).toEqual([]);
});

test('a dropped book diff is shown (BOOK RESYNCING, or BOOK RESYNCED when it was rebuilt between views), and counted', async ({ page }) => {
  const errors = failOnPageErrors(page);
  await openBook(page, 'simulator:spot:BTC-USDT');
  await expect(body(page)).toHaveAttribute('data-state', 'valid', { timeout: 20_000 });
  const before = Number(await body(page).getAttribute('data-resyncs'));
  // A resync may take less than a batch: record every overlay the page shows from now on.
  await page.evaluate(() => {
    const w = window as unknown as { bookOverlays: string[] };
    w.bookOverlays = [];
    new MutationObserver(() => {
      const t = document.querySelector('[data-testid="book-invalid"] strong, [data-testid="book-resynced"] strong')?.textContent;
      if (t && w.bookOverlays[w.bookOverlays.length - 1] !== t) w.bookOverlays.push(t);
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  await page.getByRole('combobox', { name: 'Fault mode for simulator-spot' }).selectOption('drop-diff');
  await page.getByRole('button', { name: 'Simulate fault on simulator-spot' }).click();
  await expect(page.getByRole('status', { name: 'Fault result for simulator-spot' })).toHaveText('drop-diff sent');

  await expect.poll(async () => Number(await body(page).getAttribute('data-resyncs')), { timeout: 15_000 }).toBeGreaterThan(before);
  const seen = await page.evaluate(() => (window as unknown as { bookOverlays: string[] }).bookOverlays);
  // RESYNCING while the core still reports it; if the core rebuilt the book between two views
  // (its views are 10 Hz at most, a local resubscribe takes milliseconds), RESYNCED with the count.
  expect(seen.some((t) => /^BOOK RESYNC(ING|ED) \(\d+\)$/.test(t)), `overlays seen: ${seen.join(', ')}`).toBe(true);
  // Then valid again, the overlay gone, and the resync counted in the header.
  await expect(body(page)).toHaveAttribute('data-state', 'valid', { timeout: 15_000 });
  await expect(page.getByTestId('book-invalid')).toHaveCount(0);
  await expect(ladder(page).locator('.book-resyncs')).toHaveText(/^\d+ resyncs?$/);
  expect(errors).toEqual([]);
});

test('a stalled feed: its frozen book says how long it has not changed, until the feed is back', async ({ page }) => {
  await openBook(page, 'simulator:spot:BTC-USDT');
  await expect(body(page)).toHaveAttribute('data-state', 'valid', { timeout: 20_000 });
  const age = ladder(page).getByRole('status').filter({ hasText: /^book unchanged for \d+ s$/ });
  await expect(age).toHaveCount(0);
  await page.getByRole('combobox', { name: 'Fault mode for simulator-spot' }).selectOption('stall');
  await page.getByRole('button', { name: 'Simulate fault on simulator-spot' }).click();
  // Before the feed's watchdog (5 s here) cuts and reconnects the silent connection, the last
  // book is frozen, not quiet: the ladder says so after 3 s.
  await expect(age).toBeVisible({ timeout: 6_000 });
  // The watchdog reconnects; the book comes back (valid) and the notice goes.
  await expect(age).toHaveCount(0, { timeout: 20_000 });
  await expect(body(page)).toHaveAttribute('data-state', 'valid', { timeout: 20_000 });
});

test('a market without a book channel says so; the panel toggle is remembered', async ({ page }) => {
  await openBook(page, 'simulator:perp:BTC-USDT');
  await expect(ladder(page)).toContainText('No order book for this market (enable the book channel on its feed)');
  // The toggle is remembered across a reload, and turns the panel off again.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Order book' })).toHaveAttribute('aria-pressed', 'true');
  await expect(ladder(page)).toBeVisible();
  await page.getByRole('button', { name: 'Order book' }).click();
  await expect(ladder(page)).toHaveCount(0);
});

test('the composite (all venues) ladder: the venue books summed per bucket, its members named; without books it names the feeds', async ({ page }) => {
  const errors = failOnPageErrors(page);
  await openBook(page, '*:spot:BTC-USDT');
  // The ladder asks the core for the composite (watchCompositeBook); its view lists its members.
  const members = ladder(page).getByTestId('composite-members');
  await expect(members).toHaveText(/^Composite of SIM$/, { timeout: 20_000 });
  await expect(members.locator('[data-state="valid"]')).toHaveCount(1);
  await expect(body(page)).toHaveAttribute('data-state', 'valid');
  await expect.poll(async () => (await levels(page)).length, { timeout: 10_000 }).toBeGreaterThan(4);
  await page.screenshot({ path: `${SHOTS}/book-ladder-composite.png` });
  // Grouping by 10 reaches the core: the composite comes back in buckets of 10.
  await ladder(page).getByRole('combobox', { name: 'Price grouping' }).selectOption('10');
  await expect(members).toHaveAttribute('title', /per 10 price bucket/);
  // The simulator holds 25 levels a cent apart: grouped by 10, one bucket a side.
  await expect.poll(async () => {
    const rows = await levels(page);
    return rows.length > 0 && rows.some((r) => r.side === 'bid') && rows.some((r) => r.side === 'ask') && rows.every((r) => Math.abs(r.price / 10 - Math.round(r.price / 10)) < 1e-9);
  }).toBe(true);
  // The perp composite has no book: the feed without the book channel is named.
  await page.getByRole('combobox', { name: 'Market for chart 1' }).selectOption('*:perp:BTC-USDT');
  await expect(ladder(page)).toContainText('No order book for all venues of this market (enable the book channel on their feeds: simulator-perp)');
  expect(errors).toEqual([]);
});
