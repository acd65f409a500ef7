/**
 * `--summary-file FILE` with stdout to /dev/null (a run whose NDJSON nobody keeps, or that goes
 * to another program): the final summary still reaches a file, the same record stdout ends with,
 * and a file that cannot be written is said on stderr without failing the run.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

async function run(dir: string, summaryFile: string): Promise<{ code: number | null; stderr: string }> {
  const cfg = join(dir, 'feeds.json');
  await writeFile(cfg, JSON.stringify({ feeds: [{ id: 'sim', exchange: 'simulator', symbols: ['BTC-USDT'], options: { rate: 200, seed: 3 } }] }));
  const devNull = openSync('/dev/null', 'w');
  const p = spawn(process.execPath, ['--import', 'tsx', 'electron/core/headless/cli.ts', '--config', cfg, '--duration', '1.5', '--summary-file', summaryFile], {
    stdio: ['ignore', devNull, 'pipe'],
  });
  closeSync(devNull);
  let stderr = '';
  p.stderr!.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((r) => p.on('exit', r));
  return { code, stderr };
}

it('writes the summary to the file while stdout goes to /dev/null', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tickscope-summary-'));
  const file = join(dir, 'summary.json');
  const { code, stderr } = await run(dir, file);
  expect(code).toBe(0);
  expect(stderr).toBe('');
  const text = await readFile(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  const s = JSON.parse(text) as { type: string; feeds: { id: string; trades: number; firstReceivedAt: number | null }[]; recordsWritten: number };
  expect(s.type).toBe('summary');
  expect(s.feeds).toHaveLength(1);
  expect(s.feeds[0]!.id).toBe('sim');
  // 200 trades/s for 1.5 s, minus start-up: well over a hundred, every one written to stdout.
  expect(s.feeds[0]!.trades).toBeGreaterThan(100);
  expect(s.recordsWritten).toBeGreaterThan(s.feeds[0]!.trades);
}, 30_000);

it('a summary file that cannot be written is said on stderr; the run still exits 0', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tickscope-summary-'));
  const { code, stderr } = await run(dir, join(dir, 'no-such-dir', 'summary.json'));
  expect(code).toBe(0);
  expect(stderr).toMatch(/^headless: --summary-file: ENOENT/);
}, 30_000);
