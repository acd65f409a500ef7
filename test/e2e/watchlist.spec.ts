/**
 * The watchlist in money and in full (issue 16): Bid, Ask, Spread from the quotes; Vol $ (24 h
 * turnover) and Chg 24h from the core, so a reload keeps them ("since hh:mm" while it holds less
 * than a day); columns dropped by priority when narrow, never cut off; "—" for a market with no
 * data; a disabled feed's rows greyed; SIM on simulator rows. At 1280x800 and 1920x1080.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startHost, type RunningHost } from './web-host';
import { VIEWPORTS } from './ux-helpers';
import { dollars, failOnPageErrors, traderConfig } from './trader-configs';

let host: RunningHost;
test.beforeAll(async () => {
  host = await startHost(traderConfig());
});
test.afterAll(async () => {
  expect(await host.stop(), host.output()).toBe(0);
});

const table = (page: Page) => page.getByRole('table', { name: 'Markets' });
const row = (page: Page, key: string) => table(page).locator(`tr[data-market="${key}"]`);
const columns = async (page: Page) => ((await table(page).getAttribute('data-columns')) ?? '').split(' ');
const firstLine = async (cell: Locator) => ((await cell.innerText()).split('\n')[0] ?? '').trim();

/** The scroll area holds the table without a horizontal scrollbar: nothing is cut off. */
async function expectNoOverflow(page: Page): Promise<void> {
  const [scrollWidth, clientWidth] = await table(page).evaluate((t) => [t.scrollWidth, t.parentElement!.clientWidth]);
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth + 1);
}

for (const vp of VIEWPORTS) {
  test.describe(`at ${vp.name}`, () => {
    test.use({ viewport: { width: vp.width, height: vp.height } });

    test('shows money, quotes and 24 h numbers, "—" without data, greyed disabled feeds, SIM rows', async ({ page }) => {
      const errors = failOnPageErrors(page);
      await page.goto(host.url);
      const btc = row(page, 'simulator:spot:BTC-USDT');
      await expect(btc.locator('.price')).toHaveText(/^\d+\.\d+$/);
      // Vol $: dollars of turnover, base volume under it; Chg 24h from the core, since when the feed began.
      await expect.poll(async () => dollars(await firstLine(btc.locator('.turnover'))), { timeout: 20_000 }).toBeGreaterThan(0);
      await expect(btc.locator('.turnover .cell-sub')).toHaveText(/^[\d.]+k? BTC$/);
      await expect(btc.locator('.change .pct')).toHaveText(/^[+-]?\d+\.\d\d%$/);
      await expect(btc.locator('.change .cell-sub')).toHaveText(/^since \d\d:\d\d$/);
      await expect(btc.getByTestId('simulated-badge')).toHaveText('SIM');

      // A feed that never connected: no value anywhere, and no zero passed off as one.
      const dead = row(page, 'binance:spot:BTC-USDT');
      for (const cell of ['.price', '.change .pct', '.turnover']) await expect(dead.locator(cell)).toHaveText('—');
      expect(await dead.locator('td.num').allInnerTexts()).not.toContainEqual(expect.stringMatching(/^0\.0/));
      await expect(dead.getByTestId('simulated-badge')).toHaveCount(0);

      // A disabled feed: greyed, and "off" in words (not colour alone).
      const off = row(page, 'coinbase:spot:BTC-USD');
      await expect(off).toHaveAttribute('data-enabled', 'false');
      await expect(off.locator('.state-cell')).toContainText('off');
      const [offColour, liveColour] = await Promise.all([off.locator('.sym').evaluate((e) => getComputedStyle(e).color), btc.locator('.sym').evaluate((e) => getComputedStyle(e).color)]);
      expect(offColour).not.toBe(liveColour);

      const shown = await columns(page);
      if (vp.width >= 1920) {
        // Wide enough: bid, ask and spread from the quotes channel.
        expect(shown).toEqual(expect.arrayContaining(['last', 'change', 'bid', 'ask', 'spread', 'volume']));
        await expect(btc.locator('.bid')).toHaveText(/^\d+\.\d+$/);
        const bid = Number(await btc.locator('.bid').innerText());
        const ask = Number(await btc.locator('.ask').innerText());
        expect(ask).toBeGreaterThan(bid);
        await expect(btc.locator('.spread')).toContainText(' bp');
      } else {
        // Narrow: lower-priority columns give way; the ones shown fit.
        expect(shown.slice(0, 2)).toEqual(['last', 'change']);
        expect(shown).not.toContain('bid');
      }
      // A perp's funding: in its column, or under its price when the column does not fit.
      const perp = row(page, 'simulator:perp:BTC-USDT');
      await expect(perp.locator(shown.includes('funding') ? '.funding' : '.last .cell-sub')).toHaveText(/[+-]?\d+\.\d{4}%$/, { timeout: 10_000 });
      await expectNoOverflow(page);
      await page.getByRole('button', { name: 'Chart BTC-USDT perp on simulator' }).click();
      await expect(page.getByTestId('chart-1')).toHaveAttribute('data-market', 'simulator:perp:BTC-USDT');
      await page.screenshot({ path: `docs/screenshots/watchlist-${vp.name}.png` });

      // Vol $ sorts by dollars, largest first, markets without data last.
      await page.getByRole('button', { name: 'Sort by Vol $' }).click();
      const values = await table(page).locator('tbody .turnover').evaluateAll((cells) => cells.map((c) => (c as HTMLElement).innerText.split('\n')[0]!.trim()));
      const amounts = values.map(dollars);
      const known = amounts.filter((v): v is number => v !== null);
      expect(known).toEqual([...known].sort((a, b) => b - a));
      expect(amounts.slice(known.length).every((v) => v === null)).toBe(true);
      expect(errors).toEqual([]);
    });

    test('columns come back as the pane widens; 24 h numbers survive a reload', async ({ page }) => {
      await page.goto(host.url);
      const btc = row(page, 'simulator:spot:BTC-USDT');
      await expect(btc.locator('.change .cell-sub')).toHaveText(/^since \d\d:\d\d$/, { timeout: 20_000 });
      const since = await btc.locator('.change .cell-sub').innerText();
      const before = await columns(page);

      // Drag the charts/side separator left: the side pane widens and more columns fit.
      const sep = page.getByRole('separator', { name: 'Resize charts and side panes' });
      const box = (await sep.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x - 320, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
      await expect.poll(async () => (await columns(page)).length).toBeGreaterThan(before.length);
      expect(await columns(page)).toEqual(expect.arrayContaining(['bid', 'ask', 'spread']));
      await expectNoOverflow(page);

      // Reload: the change still counts from the same moment (the core's bars), not from page load.
      await page.reload();
      await expect(row(page, 'simulator:spot:BTC-USDT').locator('.change .cell-sub')).toHaveText(since, { timeout: 10_000 });
      await expect(row(page, 'simulator:spot:BTC-USDT').locator('.change .pct')).toHaveText(/^[+-]?\d+\.\d\d%$/);
    });
  });
}
