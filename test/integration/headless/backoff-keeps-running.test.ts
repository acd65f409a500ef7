/**
 * A run whose only feed cannot connect (its venue refuses: every attempt ends in backoff) must go
 * on retrying until it is told to stop (here SIGTERM; no --duration, whose timer would hold it). The pipeline's retry timers do not hold the process, so
 * it used to end within a second of the first refusal: exit 0, no summary, nothing on stderr.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

/** A port nobody listens on (taken from the OS, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

it('keeps retrying a venue that refuses until SIGTERM stops it, then exits 0 with a summary', async () => {
  const port = await closedPort();
  const dir = await mkdtemp(join(tmpdir(), 'tickscope-backoff-'));
  const cfg = join(dir, 'feeds.json');
  const url = `ws://127.0.0.1:${port}/ws`;
  await writeFile(cfg, JSON.stringify({ feeds: [{ id: 'down', exchange: 'binance', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], url, restUrl: `http://127.0.0.1:${port}` }] }));
  const started = Date.now();
  const p = spawn(process.execPath, ['--import', 'tsx', 'electron/core/headless/cli.ts', '--config', cfg, '--emit', 'status'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  p.stdout!.on('data', (d) => (stdout += d));
  p.stderr!.resume();
  let exitedAt: number | null = null;
  const exit = new Promise<number | null>((r) => p.on('exit', (c) => ((exitedAt = Date.now()), r(c))));
  await new Promise((r) => setTimeout(r, 4_000));
  expect(exitedAt, 'the run ended by itself').toBeNull();
  p.kill('SIGTERM');
  expect(await exit).toBe(0);
  expect(exitedAt! - started).toBeGreaterThanOrEqual(4_000);
  const records = stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; state?: string; feeds?: { id: string; trades: number }[] });
  // Retried, not given up: more than one backoff over the 4 s.
  expect(records.filter((r) => r.type === 'status' && r.state === 'backoff').length).toBeGreaterThan(1);
  const summary = records.at(-1)!;
  expect(summary.type).toBe('summary');
  expect(summary.feeds).toMatchObject([{ id: 'down', trades: 0 }]);
}, 30_000);
