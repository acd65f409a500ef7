/**
 * The headless runner end to end against the built-in simulator: real process, real sockets,
 * NDJSON on stdout. Its final bars are checked against bars the test recomputes from its trades.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Bar, Trade } from '../../../shared/domain';
import { timeframeMs, windowStart } from '../../../shared/timeframes';
import { waitFor } from '../../helpers/wait-for';

/**
 * Runs the CLI in node with tsx as a loader, not through the tsx wrapper: the wrapper relays a
 * SIGTERM to its child and, when the child does not confirm within 30 ms (a busy machine), kills
 * it and exits 143 instead of the child's clean 0.
 */
function run(args: string[], opts: { killAfterTrades?: number } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'electron/core/headless/cli.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    if (opts.killAfterTrades) {
      // SIGTERM once that many trades have streamed, so the runner is really mid-stream.
      const enough = opts.killAfterTrades;
      void waitFor(() => stdout.split('\n').filter((l) => l.startsWith('{"type":"trade"')).length >= enough, `${enough} trades`, { timeoutMs: 30_000, intervalMs: 50 })
        .then(() => p.kill('SIGTERM'), () => p.kill('SIGTERM'));
    }
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function configFile(obj: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tickscope-headless-'));
  const file = join(dir, 'feeds.json');
  await writeFile(file, typeof obj === 'string' ? obj : JSON.stringify(obj));
  return file;
}

/** The test's own aggregation, written independently of the Aggregator. */
function recompute(trades: Trade[], bar: Bar): Partial<Bar> {
  const ms = timeframeMs(bar.tf);
  const mine = trades.filter(
    (t) => windowStart(t.time, ms) === bar.start && t.symbol === bar.symbol && (bar.exchange === '*' || t.exchange === bar.exchange),
  );
  const vol = mine.reduce((s, t) => s + t.size, 0);
  return {
    open: mine[0]!.price,
    high: Math.max(...mine.map((t) => t.price)),
    low: Math.min(...mine.map((t) => t.price)),
    close: mine.at(-1)!.price,
    trades: mine.length,
    volume: vol,
    buyVolume: mine.filter((t) => t.side === 'buy').reduce((s, t) => s + t.size, 0),
    sellVolume: mine.filter((t) => t.side === 'sell').reduce((s, t) => s + t.size, 0),
    vwap: mine.reduce((s, t) => s + t.price * t.size, 0) / vol,
  };
}

describe('headless runner', () => {
  it('prints trades, final bars that match its trades, statuses and a summary; exits 0', async () => {
    const cfg = await configFile({
      feeds: [{ id: 'sim', exchange: 'simulator', symbols: ['BTC-USDT', 'ETH-USDT'], options: { rate: 40, seed: 7 } }],
      timeframes: ['1s', '5s'],
    });
    const { code, stdout, stderr } = await run(['--config', cfg, '--emit', 'trades,bars,status', '--duration', '7']);
    expect(stderr).not.toMatch(/Error|failed/);
    expect(code).toBe(0);
    const records = stdout.trim().split('\n').map((l) => JSON.parse(l));
    const trades = records.filter((r) => r.type === 'trade') as Trade[];
    const finals = records.filter((r) => r.type === 'bar' && r.final) as Bar[];
    const summary = records.at(-1);
    expect(records.some((r) => r.type === 'quote')).toBe(false);
    expect(trades.length).toBeGreaterThan(100);
    expect(trades[0]).toMatchObject({ exchange: 'simulator', market: 'spot', side: expect.stringMatching(/^(buy|sell)$/) });
    expect(records.some((r) => r.type === 'status' && r.state === 'live')).toBe(true);
    // Every trade's window is covered by the run, except the first, partial second.
    const checked = finals.filter((b) => b.start >= windowStart(trades[0]!.time, timeframeMs(b.tf)) + timeframeMs(b.tf));
    expect(checked.length).toBeGreaterThan(8);
    expect(checked.some((b) => b.exchange === '*')).toBe(true);
    for (const bar of checked) {
      const want = recompute(trades, bar);
      expect(bar.trades).toBe(want.trades);
      expect([bar.open, bar.high, bar.low, bar.close]).toEqual([want.open, want.high, want.low, want.close]);
      for (const k of ['volume', 'buyVolume', 'sellVolume', 'vwap'] as const) expect(bar[k]).toBeCloseTo(want[k]!, 9);
    }
    expect(summary.type).toBe('summary');
    expect(summary.feeds).toEqual([
      expect.objectContaining({ id: 'sim', exchange: 'simulator', trades: trades.length, errors: 0, reconnects: 0 }),
    ]);
    // First/last receivedAt cover every data record of the feed (quotes too, not emitted here).
    expect(summary.feeds[0].firstReceivedAt).toBeLessThanOrEqual(Math.min(...trades.map((t) => t.receivedAt)));
    expect(summary.feeds[0].lastReceivedAt).toBeGreaterThanOrEqual(Math.max(...trades.map((t) => t.receivedAt)));
    expect(summary.feeds[0].lastReceivedAt - summary.feeds[0].firstReceivedAt).toBeLessThan(8_000);
  }, 40_000);

  it('stops cleanly on SIGTERM with a summary', async () => {
    const { code, stdout } = await run(['--emit', 'trades'], { killAfterTrades: 20 });
    expect(code).toBe(0);
    const last = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(last.type).toBe('summary');
    expect(last.feeds[0].trades).toBeGreaterThanOrEqual(20);
  }, 40_000);

  it('a bad config names the bad field and exits 2', async () => {
    const cfg = await configFile({ feeds: [{ exchange: 'binance', symbols: ['BTC-USDT', 'bogus'] }] });
    const { code, stderr, stdout } = await run(['--config', cfg]);
    expect(code).toBe(2);
    expect(stderr).toContain('feeds[0].symbols[1]');
    expect(stdout).toBe('');
    const broken = await configFile('{"feeds": [');
    const r2 = await run(['--config', broken]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('not valid JSON');
  }, 40_000);
});
