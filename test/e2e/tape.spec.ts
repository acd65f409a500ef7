/**
 * The tape in money (issue 16): side readable without colour, a dollar value column, market labels
 * that tell spot from perp and the venue, three dollar highlight levels shaded by size with
 * defaults that trigger, and a tape that holds still while scrolled, with an "N new" pill.
 * At 1280x800 and 1920x1080.
 */
import { expect, test, type Page } from '@playwright/test';
import { startHost, type RunningHost } from './web-host';
import { VIEWPORTS } from './ux-helpers';
import { dollars, expectNoSeriousAxeViolations, failOnPageErrors, shownPrecision, traderConfig } from './trader-configs';

let host: RunningHost;
test.beforeAll(async () => {
  host = await startHost(traderConfig());
});
test.afterAll(async () => {
  expect(await host.stop(), host.output()).toBe(0);
});

const list = (page: Page) => page.getByRole('list', { name: 'Trades, newest first' });

async function openAllMarkets(page: Page): Promise<void> {
  await page.goto(host.url);
  await page.getByRole('combobox', { name: 'Tape markets' }).selectOption('all');
  await expect.poll(async () => Number(await list(page).getAttribute('data-rows'))).toBeGreaterThan(20);
}

interface Row {
  kind: string;
  side: string;
  sideText: string;
  market: string;
  price: number;
  size: number;
  priceText: string;
  sizeText: string;
  value: string;
  level: number;
  background: string;
}

/** The rendered rows (virtualised: those in and near view), top to bottom. */
async function rows(page: Page): Promise<Row[]> {
  return list(page)
    .locator('[role=listitem]')
    .evaluateAll((els) =>
      els
        .map((el) => {
          const q = (c: string) => el.querySelector(c)?.textContent?.trim() ?? '';
          return {
            top: new DOMMatrix(getComputedStyle(el).transform).m42,
            kind: el.getAttribute('data-kind') ?? '',
            side: el.getAttribute('data-side') ?? '',
            sideText: q('.t-side'),
            market: q('.t-market'),
            price: Number(q('.t-price')),
            size: Number(q('.t-size').replace(/k$/, 'e3')),
            priceText: q('.t-price'),
            sizeText: q('.t-size'),
            value: q('.t-usd'),
            level: Number(el.getAttribute('data-level')),
            background: getComputedStyle(el).backgroundColor,
          };
        })
        .sort((a, b) => a.top - b.top),
    );
}

const alpha = (rgba: string) => Number(/rgba\([^)]*,\s*([\d.]+)\)/.exec(rgba)?.[1] ?? (rgba.startsWith('rgb(') ? 1 : 0));

for (const vp of VIEWPORTS) {
  test.describe(`at ${vp.name}`, () => {
    test.use({ viewport: { width: vp.width, height: vp.height } });

    test('rows tell the side without colour, the value in dollars, spot from perp and the venue', async ({ page }) => {
      const errors = failOnPageErrors(page);
      await openAllMarkets(page);
      // Both BTC-USDT markets of the simulator trade ~$300 apart: their rows must read apart.
      await expect.poll(async () => (await rows(page)).some((r) => r.market === 'BTC-USDT · PERP · SIM'), { timeout: 15_000 }).toBe(true);
      await expect.poll(async () => (await rows(page)).some((r) => r.market === 'BTC-USDT · SPOT · SIM')).toBe(true);
      for (const r of (await rows(page)).filter((x) => x.kind === 'trade')) {
        expect(r.sideText).toBe(r.side === 'buy' ? '▲ B' : r.side === 'sell' ? '▼ S' : '·');
        expect(r.market).toMatch(/^[A-Z]+-USDT · (SPOT|PERP) · SIM$/);
        // The value is price x size in dollars, as close as the three numbers are shown ($22 is
        // 21.5-22.5; a size of 0.0217 is 0.02165-0.02175): their rounding adds up, nothing more.
        const v = dollars(r.value);
        expect(v).not.toBeNull();
        const rounding = shownPrecision(r.value) + shownPrecision(r.priceText) + shownPrecision(r.sizeText);
        expect(rounding, `${r.value} for ${r.priceText} x ${r.sizeText}`).toBeLessThan(0.06);
        expect(Math.abs(v! - r.price * r.size) / (r.price * r.size), `${r.value} for ${r.priceText} x ${r.sizeText}`).toBeLessThanOrEqual(rounding * 1.01);
      }
      // The tape of the active chart (one market) leaves the market out of the rows and names it once.
      await page.getByRole('combobox', { name: 'Tape markets' }).selectOption('chart');
      await expect(page.getByRole('region', { name: 'Trade tape' }).locator('.tape-market')).toHaveText(/^[A-Z]+-[A-Z]+ · (SPOT|PERP) · [A-Z]+$/);
      expect(errors).toEqual([]);
    });

    test('three dollar levels shade larger trades darker, and the defaults trigger', async ({ page }) => {
      await openAllMarkets(page);
      const levels = page.getByRole('button', { name: /^Highlight levels:/ });
      await expect(levels).toHaveText('≥ $10k · $50k · $250k');
      // The defaults catch the simulator's large prints within seconds ($10k and up).
      await expect
        .poll(async () => ((await list(page).getAttribute('data-levels')) ?? '0').split(',').reduce((a, b) => a + Number(b), 0), { timeout: 30_000 })
        .toBeGreaterThan(0);

      await levels.click();
      const panel = page.getByRole('group', { name: 'Highlight levels' });
      await panel.getByRole('spinbutton', { name: 'Level 1' }).fill('150');
      await panel.getByRole('spinbutton', { name: 'Level 2' }).fill('500');
      await panel.getByRole('spinbutton', { name: 'Level 3' }).fill('1500');
      await page.keyboard.press('Escape');
      await expect(levels).toHaveText('≥ $150 · $500 · $1.5k');
      await expect.poll(async () => new Set((await rows(page)).map((r) => r.level)).size, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
      const seen = await rows(page);
      const shade = (level: number) => seen.filter((r) => r.kind === 'trade' && r.level === level).map((r) => alpha(r.background))[0];
      for (const r of seen.filter((x) => x.kind === 'trade')) {
        const v = dollars(r.value)!;
        const expected = v >= 1500 ? 3 : v >= 500 ? 2 : v >= 150 ? 1 : 0;
        // Rounded display values may sit a hair across a level: only clear cases are checked.
        if (Math.abs(v - 150) > 5 && Math.abs(v - 500) > 10 && Math.abs(v - 1500) > 20) expect(r.level).toBe(expected);
      }
      const shades = [1, 2, 3].map(shade).filter((a): a is number => a !== undefined);
      expect(shades).toEqual([...shades].sort((a, b) => a - b));
      expect(new Set(shades).size).toBe(shades.length);
      // Every cell fits its column at this width, highlighted (bold) rows too: no ellipsis.
      const clipped = await list(page)
        .locator('[role=listitem] > span')
        .evaluateAll((els) => els.filter((e) => getComputedStyle(e).display !== 'none' && e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent));
      expect(clipped).toEqual([]);
      await page.getByRole('combobox', { name: 'Market for chart 1' }).selectOption('simulator:perp:BTC-USDT');
      await page.screenshot({ path: `docs/screenshots/tape-levels-${vp.name}.png` });
      // Shaded rows, the dollar column and the labels keep readable contrast (axe), watchlist included.
      await expectNoSeriousAxeViolations(page, '[aria-label="Trade tape"], [aria-label="Watchlist"]');
    });

    test('scrolled down the tape holds still; an "N new" pill counts what came in and takes it back', async ({ page }) => {
      await openAllMarkets(page);
      await expect.poll(async () => Number(await list(page).getAttribute('data-rows'))).toBeGreaterThan(150);
      await list(page).evaluate((el) => (el.scrollTop = 400));
      await expect(list(page)).toHaveAttribute('data-frozen', 'true');
      const held = (await rows(page)).map((r) => `${r.price} ${r.size} ${r.value}`);
      const pill = page.getByRole('button', { name: /new trades: back to the newest$/ });
      await expect(pill).toHaveText(/^\d+\+? new ↑$/);
      // New trades keep coming (the count grows) while the rows on screen stay the same.
      const count = async () => Number(/^(\d+)/.exec(await pill.innerText())?.[1]);
      await expect.poll(count).toBeGreaterThan(20);
      expect((await rows(page)).map((r) => `${r.price} ${r.size} ${r.value}`)).toEqual(held);
      await pill.click();
      await expect(list(page)).toHaveAttribute('data-frozen', 'false');
      await expect(pill).toHaveCount(0);
      expect(await list(page).evaluate((el) => el.scrollTop)).toBe(0);
      await expect.poll(async () => (await rows(page)).map((r) => `${r.price} ${r.size} ${r.value}`)).not.toEqual(held);
    });
  });
}
