/**
 * Host configs of the watchlist, tape, liquidation, feed-form and CSV specs (issue 16), and the
 * checks they share. No feed reaches the internet: real venues point at loopback port 9, where
 * nothing listens, so they stay "no data" for the whole run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

const DEAD = { url: 'ws://127.0.0.1:9/ws', restUrl: 'http://127.0.0.1:9' };

function configWith(feeds: unknown[]): { config: string; dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'tickscope-e2e-'));
  const config = join(dataDir, 'feeds.json');
  writeFileSync(config, JSON.stringify({ feeds }));
  return { config, dataDir };
}

/**
 * The simulator's three spot markets and BTC-USDT perp (liquidations and funding; seed 3 at 100
 * trades/s gives liquidation bursts within seconds), a Binance feed that never connects, and a
 * disabled Coinbase feed. `recordPerp` turns recording on for the perp feed (and for the Coinbase
 * one, which never runs, so it has nothing recorded).
 */
export function traderConfig(opts: { recordPerp?: boolean } = {}): { config: string; dataDir: string } {
  return configWith([
    { id: 'simulator-spot', exchange: 'simulator', market: 'spot', symbols: ['BTC-USDT', 'ETH-USDT', 'SOL-USDT'], channels: ['trades', 'quotes'] },
    {
      id: 'simulator-perp', exchange: 'simulator', market: 'perp', symbols: ['BTC-USDT'], channels: ['trades', 'quotes', 'liquidations', 'funding'],
      options: { seed: 3, rate: 100 }, ...(opts.recordPerp ? { record: true } : {}),
    },
    { id: 'binance-spot', exchange: 'binance', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades', 'quotes'], ...DEAD },
    // Recording on but never started: trades export is offered, and the core says nothing is recorded yet.
    { id: 'coinbase-spot', exchange: 'coinbase', market: 'spot', symbols: ['BTC-USD'], channels: ['trades'], enabled: false, ...DEAD, ...(opts.recordPerp ? { record: true } : {}) },
  ]);
}

/** Fails the test on any uncaught error in the page. */
export function failOnPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`${e.message}\n${e.stack ?? ''}`));
  return errors;
}

/** The element sits wholly inside the viewport (not below the fold, not cut off). */
export async function expectInViewport(page: Page, locator: ReturnType<Page['locator']>): Promise<void> {
  const box = await locator.boundingBox();
  const vp = page.viewportSize()!;
  expect(box, 'element has a box').not.toBeNull();
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height).toBeLessThanOrEqual(vp.height);
  expect(box!.x + box!.width).toBeLessThanOrEqual(vp.width);
}

/** `$12.3k` -> 12300; null for anything else. */
export function dollars(text: string): number | null {
  const m = /^\$(-?[\d.]+)([kMB]?)$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * ({ '': 1, k: 1e3, M: 1e6, B: 1e9 } as Record<string, number>)[m[2]!]!;
}

/**
 * How far a shown number may be from the exact one, relative to it: half a unit of its last
 * digit (`$22` stands for 21.5-22.5, `0.0217` for 0.02165-0.02175, `12.3k` for 12.25k-12.35k).
 */
export function shownPrecision(text: string): number {
  const m = /(-?\d+)(?:\.(\d+))?[kMB]?$/.exec(text.trim().replace(/^\$/, ''));
  if (!m) return NaN;
  const decimals = m[2]?.length ?? 0;
  const value = Math.abs(Number(`${m[1]}.${m[2] ?? '0'}`));
  return value > 0 ? 0.5 * 10 ** -decimals / value : NaN;
}

/** An axe-core scan of what is on screen finds no serious or critical violation. */
export async function expectNoSeriousAxeViolations(page: Page, include?: string): Promise<void> {
  const builder = new AxeBuilder({ page });
  if (include) builder.include(include);
  const results = await builder.analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.length} nodes, e.g. ${v.nodes[0]?.target.join(' ')}: ${v.nodes[0]?.failureSummary?.split('\n')[1] ?? ''}`);
  expect(serious, serious.join('\n')).toEqual([]);
}
