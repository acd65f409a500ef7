/**
 * Headless `--emit book` end to end: a real process against the built-in simulator's book.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHeadless } from '../../helpers/headless-run';

const run = runHeadless;

describe('headless --emit book', () => {
  it('prints book records of --book-depth levels at most once a second per market, and one final record per market at exit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tickscope-headless-book-'));
    const cfg = join(dir, 'feeds.json');
    await writeFile(cfg, JSON.stringify({ feeds: [{ id: 'sim', exchange: 'simulator', symbols: ['BTC-USDT', 'ETH-USDT'], channels: ['book'], options: { rate: 20, seed: 3 } }] }));
    const { code, stdout, stderr } = await run(['--config', cfg, '--emit', 'book', '--book-depth', '5', '--duration', '4']);
    expect(stderr).not.toMatch(/Error|failed/);
    expect(code).toBe(0);
    const records = stdout.trim().split('\n').map((l) => JSON.parse(l));
    const books = records.filter((r) => r.type === 'book');
    const summary = records.at(-1);
    expect(summary.type).toBe('summary');
    // The feed's book updates are counted: far more than the records printed (those are conflated to 1/s).
    expect(summary.feeds[0].books).toBeGreaterThan(books.length);
    expect(records.filter((r) => r.type !== 'book' && r.type !== 'summary')).toEqual([]);
    for (const symbol of ['BTC-USDT', 'ETH-USDT']) {
      const mine = books.filter((b) => b.symbol === symbol);
      // ~3 timed records in 4 s plus the final one; never more than one a second.
      expect(mine.length).toBeGreaterThanOrEqual(3);
      expect(mine.length).toBeLessThanOrEqual(6);
      for (const b of mine) {
        expect(Object.keys(b)).toEqual(['type', 'exchange', 'market', 'symbol', 'bids', 'asks', 'time', 'receivedAt']);
        expect(b).toMatchObject({ exchange: 'simulator', market: 'spot' });
        expect(b.bids).toHaveLength(5);
        expect(b.asks).toHaveLength(5);
        expect(b.bids[0][0]).toBeLessThan(b.asks[0][0]);
        expect(typeof b.bids[0][1]).toBe('number');
      }
    }
    // The final records: the last two book lines, one per market.
    const finals = records.slice(-3, -1);
    expect(finals.map((r) => r.type)).toEqual(['book', 'book']);
    expect(new Set(finals.map((r) => r.symbol))).toEqual(new Set(['BTC-USDT', 'ETH-USDT']));
  }, 40_000);
});
