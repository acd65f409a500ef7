/**
 * `--duration 3000000` (~35 days, past setTimeout's 2^31-1 ms) must really run: it used to end
 * about 1 ms after start. The run is watched until it has streamed trades for over two seconds
 * of its own clock, then stopped with SIGTERM: exit 0 and a summary, as for any run.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait-for';

it('a duration longer than a timer can hold keeps the run going', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tickscope-long-'));
  const cfg = join(dir, 'feeds.json');
  await writeFile(cfg, JSON.stringify({ feeds: [{ id: 'sim', exchange: 'simulator', symbols: ['BTC-USDT'], options: { rate: 20, seed: 1 } }] }));
  const p = spawn(process.execPath, ['--import', 'tsx', 'electron/core/headless/cli.ts', '--config', cfg, '--emit', 'trades', '--duration', '3000000'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d) => (stdout += d));
  p.stderr.on('data', (d) => (stderr += d));
  let exited: number | null | undefined;
  const exit = new Promise<number | null>((r) => p.on('exit', (code) => r((exited = code))));

  // Poll until trades span more than 2 s of receive time; a run that ends first fails at once.
  const trades = () => stdout.split('\n').filter((l) => l.includes('"type":"trade"')).map((l) => JSON.parse(l) as { receivedAt: number });
  const span = () => {
    if (exited !== undefined) throw new Error(`the run ended early (exit ${exited}); stderr: ${stderr}`);
    const t = trades();
    return t.length > 1 ? t.at(-1)!.receivedAt - t[0]!.receivedAt : 0;
  };
  await waitFor(() => span() > 2_000, 'trades spanning more than 2 s', { timeoutMs: 20_000, intervalMs: 100 });

  p.kill('SIGTERM');
  expect(await exit).toBe(0);
  const last = JSON.parse(stdout.trim().split('\n').at(-1)!) as { type: string; endedAt: number; startedAt: number };
  expect(last.type).toBe('summary');
  expect(last.endedAt - last.startedAt).toBeGreaterThan(2_000);
}, 30_000);
