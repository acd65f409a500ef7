/** Shared set-up of the trader-UX specs: the two screen sizes, a host config, chart attributes. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';

/** The sizes a trader's screen has: a laptop and a full-HD monitor. */
export const VIEWPORTS = [
  { name: '1280x800', width: 1280, height: 800 },
  { name: '1920x1080', width: 1920, height: 1080 },
] as const;

/**
 * A config with the simulator and a Binance feed that cannot connect (nothing listens on port 9
 * of the loopback): one venue down, one live, both carrying BTC-USDT spot.
 */
export function simPlusDeadBinanceConfig(): { config: string; dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'tickscope-e2e-'));
  const config = join(dataDir, 'feeds.json');
  writeFileSync(
    config,
    JSON.stringify({
      feeds: [
        { id: 'simulator-spot', exchange: 'simulator', market: 'spot', symbols: ['BTC-USDT', 'ETH-USDT'], channels: ['trades', 'quotes'], enabled: true },
        { id: 'binance-spot', exchange: 'binance', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], enabled: true, url: 'ws://127.0.0.1:9/ws', restUrl: 'http://127.0.0.1:9' },
      ],
    }),
  );
  return { config, dataDir };
}

export async function num(page: Page, testId: string, attr: string): Promise<number> {
  return Number(await page.getByTestId(testId).getAttribute(attr));
}

/** The chart's visible logical range (bar indexes), as the controller publishes it. */
export async function visible(page: Page, testId = 'chart-1'): Promise<{ from: number; to: number; width: number }> {
  const from = await num(page, testId, 'data-visible-from');
  const to = await num(page, testId, 'data-visible-to');
  return { from, to, width: to - from };
}

export async function openLoaded(page: Page, url: string, charts = 1): Promise<void> {
  await page.goto(url);
  for (let i = 1; i <= charts; i++) await expect(page.getByTestId(`chart-${i}`)).toHaveAttribute('data-loaded', 'true');
}
