/**
 * The depth heatmap (issue 11): the simulator's BTC-USDT spot book drawn behind the candles of
 * chart 1. It draws where the book is (canvas pixels in the heatmap's blues, none with it off),
 * stays on the chart's time axis as the chart is panned and zoomed (its first column's pixels
 * move, and stay at the same bar position), and a dropped book diff (the simulator's `drop-diff`
 * fault) hatches the columns taken while the book was broken and labels them. A market without
 * a book says so; a composite chart draws the composite book; the toggle is kept per chart across
 * a reload.
 */
import { expect, test, type Page } from '@playwright/test';
import { startBookHost } from './book-host';
import type { RunningHost } from './web-host';
import { failOnPageErrors } from './trader-configs';
import { num, visible } from './ux-helpers';

const SHOTS = 'docs/screenshots';

let host: RunningHost;
test.beforeAll(async () => {
  // 1000 levels a side (Binance's snapshot depth): the chart's price range holds more than 25 ticks.
  host = await startBookHost({ bookDepth: 1000 });
});
test.afterAll(async () => {
  expect(await host.stop(), host.output()).toBe(0);
});

const toggle = (page: Page) => page.getByRole('button', { name: 'Heatmap for chart 1' });
const chart = (page: Page) => page.getByTestId('chart-1');

async function openHeatmap(page: Page, market: string): Promise<void> {
  await page.goto(host.url);
  await page.getByRole('combobox', { name: 'Market for chart 1' }).selectOption(market);
  if ((await toggle(page).getAttribute('aria-pressed')) !== 'true') await toggle(page).click();
  await expect(toggle(page)).toHaveAttribute('aria-pressed', 'true');
}

interface Snapshot {
  /** Heatmap-coloured pixels per CSS x column of the pane (its whole height: the book follows the price). */
  blues: number[];
  rows: number;
  paneWidth: number;
  firstX: number | null;
  invalidX: [number, number] | null;
  /** Pixel rows with some alert red inside invalidX (the hatching runs the pane's height). */
  invalidRedRows: number;
  from: number;
  to: number;
}

/**
 * The pane's pixels and the heatmap's drawn geometry, read in one go (both come from the chart's
 * last draw). The pane canvas is the largest canvas of the chart; its first one is the one the
 * series (and the heatmap, below them) are drawn on.
 */
async function snapshot(page: Page): Promise<Snapshot> {
  return page.getByTestId('chart-1').evaluate((host) => {
    const canvases = [...host.querySelectorAll('canvas')];
    const area = (c: HTMLCanvasElement) => c.width * c.height;
    const pane = canvases.reduce((a, b) => (area(b) > area(a) ? b : a));
    const ctx = pane.getContext('2d')!;
    const w = pane.width;
    const h = pane.height;
    const ratio = pane.width / pane.clientWidth;
    const px = ctx.getImageData(0, 0, w, h).data;
    const cssW = pane.clientWidth;
    const blues = new Array<number>(cssW).fill(0);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = (y * w + x) * 4;
        const r = px[i]!, g = px[i + 1]!, b = px[i + 2]!;
        const col = Math.min(cssW - 1, Math.floor(x / ratio));
        // The palette's blues and cyans, and its yellow-to-white top. Not the candles and volume
        // bars (teal: green over blue; red) nor their anti-aliased edges on the dark background.
        if ((b > r + 40 && b > g + 10) || (r > 200 && g > 180)) blues[col]!++;
      }
    }
    const inv = host.dataset.heatmapInvalidX ? host.dataset.heatmapInvalidX.split(' ').map(Number) : null;
    let invalidRedRows = 0;
    if (inv) {
      for (let y = 0; y < h; y++) {
        for (let x = Math.ceil(inv[0]! * ratio); x < Math.floor(inv[1]! * ratio); x++) {
          const i = (y * w + x) * 4;
          if (px[i]! > px[i + 1]! + 60 && px[i]! > px[i + 2]! + 60) {
            invalidRedRows++;
            break;
          }
        }
      }
    }
    return {
      blues,
      rows: h,
      paneWidth: cssW,
      firstX: host.dataset.heatmapFirstX ? Number(host.dataset.heatmapFirstX) : null,
      invalidX: inv ? ([inv[0]!, inv[1]!] as [number, number]) : null,
      invalidRedRows,
      // The visible range the heatmap was drawn with (the chart's, at that draw).
      from: Number(host.dataset.heatmapView!.split(' ')[0]),
      to: Number(host.dataset.heatmapView!.split(' ')[1]),
    };
  });
}

/** The leftmost x with heatmap pixels (a column of the book may be a pixel or two tall). */
const leftmostHeat = (s: Snapshot) => s.blues.findIndex((n) => n >= 1);
const totalBlue = (s: Snapshot) => s.blues.reduce((a, b) => a + b, 0);
/**
 * Pixels per bar. lightweight-charts' visible logical range names the bars at the centres of the
 * first and last slots: (to - from + 1) bar slots fill the pane.
 */
const spacing = (s: Snapshot) => s.paneWidth / (s.to - s.from + 1);
/** Where the first column sits on the time axis, in bars: constant however the chart is moved. */
const firstLogical = (s: Snapshot) => s.from - 0.5 + s.firstX! / spacing(s);
/** Two columns (a tenth of a bar each on a 1 s chart). */
const columnSlack = (s: Snapshot) => Math.max(4, (spacing(s) / 10) * 2);

test('the heatmap draws the book behind the candles, with its scale, and moves with the chart as it is panned and zoomed', async ({ page }) => {
  const errors = failOnPageErrors(page);
  await openHeatmap(page, 'simulator:spot:BTC-USDT');
  await expect(chart(page)).toHaveAttribute('data-heatmap', 'on', { timeout: 20_000 });
  const legend = page.getByTestId('heatmap-legend');
  await expect(legend).toBeVisible({ timeout: 20_000 });
  await expect(legend).toContainText('Resting size, BTC');
  await expect(legend).toHaveAttribute('aria-label', /from 0 to [\d.]+ BTC/);

  // Off: no heatmap colours, no scale. On again (the book valid by now) it starts from the latest book.
  await expect(chart(page)).toHaveAttribute('data-heatmap-book', 'valid', { timeout: 20_000 });
  await toggle(page).click();
  await expect(chart(page)).toHaveAttribute('data-heatmap', 'off');
  await expect.poll(async () => totalBlue(await snapshot(page)), { timeout: 5_000 }).toBeLessThan(20);
  await expect(legend).toBeHidden();
  await toggle(page).click();
  await expect(chart(page)).toHaveAttribute('data-heatmap', 'on', { timeout: 10_000 });
  // Ten columns a second on a 1 s chart: 6 s of book.
  await expect.poll(() => num(page, 'chart-1', 'data-heatmap-columns'), { timeout: 20_000 }).toBeGreaterThanOrEqual(60);
  await expect.poll(async () => (await snapshot(page)).firstX, { timeout: 10_000 }).not.toBeNull();
  await expect(legend).toBeVisible();

  // The heatmap draws the deep grouped view (watchBookDepth: up to 200 price buckets a side over
  // the chart's range), not the ladder's top 20 levels: a band tens of pixels tall in every
  // column it covers, not a ribbon along the price (the median column, so candle bodies drawn
  // over it do not decide). Polled: the columns drawn before the first deep view arrived hold
  // the top levels only, and a snapshot taken that early (CI, once) has a thin median.
  await expect(chart(page)).toHaveAttribute('data-heatmap-deep', /^[\d.]+$/);
  const medianColumn = (s: Snapshot) => {
    const heated = s.blues.filter((n) => n > 0).sort((a, b) => a - b);
    return heated[Math.floor(heated.length / 2)] ?? 0;
  };
  await expect.poll(async () => medianColumn(await snapshot(page)), { timeout: 15_000 }).toBeGreaterThan(40);
  // Pixels in the heatmap's colours from its first column on, none left of it (its first visible
  // pixels may be a few columns in: it is drawn under the candle bodies).
  const s0 = await snapshot(page);
  expect(totalBlue(s0)).toBeGreaterThan(100);
  expect(medianColumn(s0)).toBeGreaterThan(40);
  expect(leftmostHeat(s0)).toBeGreaterThanOrEqual(s0.firstX! - 2);
  await page.screenshot({ path: `${SHOTS}/depth-heatmap.png` });

  // Pan back (arrow keys): the whole picture moves right with the bars, its first column at the
  // same bar.
  const before = await snapshot(page);
  const olderPages = await num(page, 'chart-1', 'data-older-pages');
  await chart(page).focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect.poll(async () => (await visible(page)).from, { timeout: 5_000 }).toBeLessThan(before.from - 1);
  await expect.poll(async () => (await snapshot(page)).firstX! - before.firstX!, { timeout: 5_000 }).toBeGreaterThan(10);
  const panned = await snapshot(page);
  expect(await num(page, 'chart-1', 'data-older-pages')).toBe(olderPages);
  // The pixels moved as the first column did (a pan is a translation: the same pixels are covered).
  expect(leftmostHeat(panned) - leftmostHeat(before)).toBeGreaterThan(10);
  expect(Math.abs(leftmostHeat(panned) - panned.firstX! - (leftmostHeat(before) - before.firstX!))).toBeLessThanOrEqual(2);
  expect(Math.abs(firstLogical(panned) - firstLogical(before)) * spacing(panned)).toBeLessThan(4);

  // Zoom out (-): bars get narrower, the picture is squeezed with them, still from the same bar.
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  await expect.poll(async () => {
    const v = await visible(page);
    return v.to - v.from;
  }, { timeout: 5_000 }).toBeGreaterThan((panned.to - panned.from) * 1.3);
  await expect.poll(async () => Math.abs((await snapshot(page)).firstX! - panned.firstX!), { timeout: 5_000 }).toBeGreaterThan(5);
  const zoomed = await snapshot(page);
  // The pixels were squeezed with the bars: their distance from the first column shrank by the zoom.
  expect(leftmostHeat(zoomed)).toBeGreaterThanOrEqual(zoomed.firstX! - 2);
  const squeezed = ((leftmostHeat(panned) - panned.firstX!) * spacing(zoomed)) / spacing(panned);
  expect(Math.abs(leftmostHeat(zoomed) - zoomed.firstX! - squeezed)).toBeLessThanOrEqual(columnSlack(zoomed));
  expect(Math.abs(firstLogical(zoomed) - firstLogical(before)) * spacing(zoomed)).toBeLessThan(4);
  expect(errors).toEqual([]);
});

test('a dropped book diff hatches the heatmap columns of the broken book and says BOOK RESYNCING (or RESYNCED)', async ({ page }) => {
  const errors = failOnPageErrors(page);
  await openHeatmap(page, 'simulator:spot:BTC-USDT');
  await expect(chart(page)).toHaveAttribute('data-heatmap-book', 'valid', { timeout: 20_000 });
  await expect.poll(() => num(page, 'chart-1', 'data-heatmap-columns'), { timeout: 20_000 }).toBeGreaterThanOrEqual(20);
  expect(await num(page, 'chart-1', 'data-heatmap-invalid-runs')).toBe(0);
  expect((await snapshot(page)).invalidX).toBeNull();
  // The resync may last less than a batch: record every notice the page shows from now on.
  await page.evaluate(() => {
    const w = window as unknown as { heatNotices: string[] };
    w.heatNotices = [];
    new MutationObserver(() => {
      const n = document.querySelector<HTMLElement>('[data-testid="heatmap-book-invalid"]');
      const t = n && !n.hidden ? n.textContent : null;
      if (t && w.heatNotices[w.heatNotices.length - 1] !== t) w.heatNotices.push(t);
    }).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
  });
  await page.getByRole('combobox', { name: 'Fault mode for simulator-spot' }).selectOption('drop-diff');
  await page.getByRole('button', { name: 'Simulate fault on simulator-spot' }).click();
  await expect(page.getByRole('status', { name: 'Fault result for simulator-spot' })).toHaveText('drop-diff sent');

  // One run of invalid columns, drawn: hatched in the stale overlay's red over the pane's height.
  await expect.poll(() => num(page, 'chart-1', 'data-heatmap-invalid-runs'), { timeout: 15_000 }).toBe(1);
  await expect.poll(async () => (await snapshot(page)).invalidX, { timeout: 5_000 }).not.toBeNull();
  const s = await snapshot(page);
  const [x0, x1] = s.invalidX!;
  expect(x1 - x0).toBeGreaterThanOrEqual(7.5);
  // Stripes over the pane's height, not a candle: red in most pixel rows of the run.
  expect(s.invalidRedRows / s.rows).toBeGreaterThan(0.6);

  const seen = await page.evaluate(() => (window as unknown as { heatNotices: string[] }).heatNotices);
  expect(seen.some((t) => /^BOOK RESYNC(ING|ED)/.test(t)), `notices seen: ${seen.join(' | ')}`).toBe(true);
  await expect(chart(page)).toHaveAttribute('data-heatmap-book', 'valid', { timeout: 15_000 });
  await page.screenshot({ path: `${SHOTS}/depth-heatmap-resync.png` });
  // The notice goes a few seconds after the book is valid again; the hatching stays in the history.
  await expect(page.getByTestId('heatmap-book-invalid')).toBeHidden({ timeout: 10_000 });
  expect((await snapshot(page)).invalidX).not.toBeNull();
  expect(errors).toEqual([]);
});

test('a market without a book shows no heatmap and says why; a composite chart draws the composite book; the toggle is kept per chart across a reload', async ({ page }) => {
  await openHeatmap(page, 'simulator:perp:BTC-USDT');
  await expect(chart(page)).toHaveAttribute('data-heatmap', 'no-book');
  await expect(page.getByTestId('heatmap-hint')).toHaveText('Heatmap: no order book for this market (enable the book channel on its feed)');
  await expect(page.getByTestId('heatmap-legend')).toBeHidden();
  expect(totalBlue(await snapshot(page))).toBeLessThan(20);
  // The composite (all venues) chart: its heatmap asks the core for the composite book and draws it;
  // the perp composite has no venue with a book.
  await page.getByRole('combobox', { name: 'Market for chart 1' }).selectOption('*:spot:BTC-USDT');
  await expect(chart(page)).toHaveAttribute('data-heatmap', 'on', { timeout: 20_000 });
  await expect.poll(() => num(page, 'chart-1', 'data-heatmap-columns'), { timeout: 10_000 }).toBeGreaterThan(5);
  await page.getByRole('combobox', { name: 'Market for chart 1' }).selectOption('*:perp:BTC-USDT');
  await expect(page.getByTestId('heatmap-hint')).toHaveText(/^Heatmap: no order book for all venues of this market yet/);
  await page.reload();
  await expect(toggle(page)).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('heatmap-hint')).toBeVisible();
  await toggle(page).click();
  await expect(page.getByTestId('heatmap-hint')).toBeHidden();
  await expect(chart(page)).toHaveAttribute('data-heatmap', 'off');
});
