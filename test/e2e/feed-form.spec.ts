/**
 * The feed form (issue 16): a dialog whose Create button is always in view; symbols made canonical
 * as typed (BTCUSDT, btc/usdt, BTC_USDT -> BTC-USDT); messages in plain words, never schema text;
 * a perp feed starts with liquidations and funding ticked; offline, instrument search says the
 * list is unavailable and what to type. At 1280x800 and 1920x1080.
 */
import { expect, test, type Page } from '@playwright/test';
import { startHost, type RunningHost } from './web-host';
import { VIEWPORTS } from './ux-helpers';
import { expectInViewport, expectNoSeriousAxeViolations, failOnPageErrors } from './trader-configs';

let host: RunningHost;
test.beforeAll(async () => {
  host = await startHost();
});
test.afterAll(async () => {
  expect(await host.stop(), host.output()).toBe(0);
});

async function openForm(page: Page) {
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Feeds' }).click();
  await page.getByRole('button', { name: 'Add feed' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add feed' });
  await expect(dialog).toBeVisible();
  return { dialog, form: dialog.getByRole('form', { name: 'Add feed' }) };
}

/** No raw schema wording anywhere a user can read. */
const SCHEMA_TEXT = /Too small|expected array|canonical|>=\s*\d|Invalid input|\[\d+\]/;

for (const vp of VIEWPORTS) {
  test.describe(`at ${vp.name}`, () => {
    test.use({ viewport: { width: vp.width, height: vp.height } });

    test('a dialog with Create always in view; symbols made canonical as typed; plain-language messages', async ({ page }) => {
      const errors = failOnPageErrors(page);
      const { dialog, form } = await openForm(page);
      const create = form.getByRole('button', { name: 'Create feed' });
      await expectInViewport(page, create);

      await form.getByRole('combobox', { name: 'Venue' }).selectOption('simulator');
      const symbols = form.getByRole('textbox', { name: 'Symbols' });
      await symbols.fill('btcusdt, eth/usdt SOL_USDT');
      await expect(form.getByTestId('symbols-preview')).toHaveText('Will subscribe: BTC-USDT, ETH-USDT, SOL-USDT');
      await symbols.blur();
      await expect(symbols).toHaveValue('BTC-USDT, ETH-USDT, SOL-USDT');

      // Everything open (overrides, recording): the fields scroll, Create stays in view.
      await form.getByText('Connection overrides (testnets, proxies)').click();
      await form.getByRole('checkbox', { name: 'Record raw frames' }).check();
      await expectInViewport(page, create);

      // Nothing to subscribe to, a symbol it cannot read, a wrong URL: said in plain words, field by field.
      for (const c of ['trades', 'quotes']) await form.getByRole('checkbox', { name: `Channel ${c}` }).uncheck();
      await symbols.fill('BTCUSDT!!, btcxyz');
      await form.getByRole('textbox', { name: 'WebSocket URL override' }).fill('http://nope');
      await create.click();
      await expect(form.locator('[data-error-for="channels"]')).toHaveText('Tick at least one channel.');
      await expect(form.locator('[data-error-for="symbols"]')).toContainText('“BTCUSDT!!” has characters a symbol cannot have');
      await expect(form.locator('[data-error-for="symbols"]')).toContainText('“btcxyz”: no quote currency recognised');
      await expect(form.locator('[data-error-for="url"]')).toHaveText("Use a ws:// or wss:// address, or leave it empty for the venue's own.");
      for (const text of await form.locator('.field-error').allInnerTexts()) expect(text).not.toMatch(SCHEMA_TEXT);
      await expectInViewport(page, create);
      await page.screenshot({ path: `docs/screenshots/feed-form-errors-${vp.name}.png` });
      await expectNoSeriousAxeViolations(page, '.feed-dialog');

      // Escape closes it; nothing was added.
      await page.keyboard.press('Escape');
      await expect(dialog).toHaveCount(0);
      await expect(page.getByRole('table', { name: 'Configured feeds' }).locator('tbody tr')).toHaveCount(1);
      expect(errors).toEqual([]);
    });

    test('a perp feed starts with liquidations and funding; typed symbols are created canonical', async ({ page }) => {
      const { dialog, form } = await openForm(page);
      await form.getByRole('combobox', { name: 'Venue' }).selectOption('simulator');
      await form.getByRole('combobox', { name: 'Market type' }).selectOption('perp');
      for (const c of ['trades', 'quotes', 'liquidations', 'funding']) await expect(form.getByRole('checkbox', { name: `Channel ${c}` })).toBeChecked();
      // Back to spot: the spot channels only.
      await form.getByRole('combobox', { name: 'Market type' }).selectOption('spot');
      await expect(form.getByRole('checkbox', { name: 'Channel liquidations' })).toHaveCount(0);
      await expect(form.getByRole('checkbox', { name: 'Channel trades' })).toBeChecked();
      await form.getByRole('combobox', { name: 'Market type' }).selectOption('perp');

      const id = `sim-perp-${vp.width}`;
      await form.getByRole('textbox', { name: 'Feed id' }).fill(id);
      await form.getByRole('textbox', { name: 'Symbols' }).fill('bnbusdt');
      await page.screenshot({ path: `docs/screenshots/feed-form-${vp.name}.png` });
      await form.getByRole('button', { name: 'Create feed' }).click();
      await expect(dialog).toHaveCount(0);
      const created = page.locator(`tr[data-feed-config="${id}"]`);
      await expect(created).toContainText('BNB-USDT');
      await expect(created).toContainText('liquidations, funding');
      // The new market trades in the watchlist.
      await expect(page.getByRole('table', { name: 'Markets' }).locator('[data-market="simulator:perp:BNB-USDT"] .price')).toHaveText(/^\d+\.\d+$/, { timeout: 20_000 });
      await page.getByRole('button', { name: `Remove ${id}` }).click();
      await page.getByRole('button', { name: `Confirm remove ${id}` }).click();
      await expect(created).toHaveCount(0);
    });

    test('offline, instrument search says the list is unavailable and what to type', async ({ page }) => {
      const { form } = await openForm(page);
      await form.getByRole('combobox', { name: 'Venue' }).selectOption('binance');
      // The venue's REST API at an address where nothing answers: as offline, without the internet.
      await form.getByText('Connection overrides (testnets, proxies)').click();
      await form.getByRole('textbox', { name: 'REST URL override' }).fill('http://127.0.0.1:9');
      await form.getByRole('searchbox', { name: 'Search instruments' }).fill('btc');
      const note = form.getByTestId('instrument-list-unavailable');
      await expect(note).toContainText('The Binance instrument list is unavailable right now');
      await expect(note).toContainText('Type the symbols yourself as BASE-QUOTE, for example BTC-USDT');
      await expect(form.getByText(/^no match$/)).toHaveCount(0);
      await page.screenshot({ path: `docs/screenshots/feed-form-offline-search-${vp.name}.png` });
    });
  });
}
