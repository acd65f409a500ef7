/**
 * The headless runner with feeds that are invalid or cannot start: real process, real files.
 * A bad option is refused before anything runs (exit 2, the field named on stderr); a feed that
 * fails to start says so on stderr, and in its status record, every time.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function run(args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const p = spawn('node_modules/.bin/tsx', ['electron/core/headless/cli.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'tickscope-headless-feed-'));
}

async function configFile(obj: unknown): Promise<string> {
  const file = join(await tempDir(), 'feeds.json');
  await writeFile(file, JSON.stringify(obj));
  return file;
}

function records(stdout: string): { type: string; [k: string]: unknown }[] {
  return stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string });
}

describe('headless runner: feeds that are invalid or cannot start', () => {
  it('a simulator rate of -5 is refused before anything runs, naming the field (exit 2)', async () => {
    const cfg = await configFile({ feeds: [{ id: 'sim', exchange: 'simulator', symbols: ['BTC-USDT'], options: { rate: -5 } }] });
    const { code, stderr, stdout } = await run(['--config', cfg, '--duration', '1']);
    expect(code).toBe(2);
    expect(stderr).toContain('feeds[0].options.rate: must be a positive number');
    expect(stdout).toBe('');
  }, 40_000);

  it('a simulator on 0.0.0.0 is refused (loopback only), naming the field (exit 2)', async () => {
    const cfg = await configFile({ feeds: [{ id: 'sim', exchange: 'simulator', symbols: ['BTC-USDT'], options: { host: '0.0.0.0' } }] });
    const { code, stderr } = await run(['--config', cfg, '--duration', '1']);
    expect(code).toBe(2);
    expect(stderr).toContain('feeds[0].options.host: must be 127.0.0.1 or ::1');
  }, 40_000);

  it('a feed that fails while starting shows its error on stderr and as a status record', async () => {
    const missing = join(await tempDir(), 'no-such-recording.ndjson');
    const cfg = await configFile({ feeds: [{ id: 'rp', exchange: 'replay', symbols: ['BTC-USDT'], options: { file: missing } }] });
    const { code, stderr, stdout } = await run(['--config', cfg, '--emit', 'status', '--duration', '1']);
    expect(code).toBe(0);
    expect(stderr).toContain(`headless: feed "rp": recording not found: ${missing}`);
    const status = records(stdout).find((r) => r.type === 'status' && r.feedId === 'rp');
    expect(status).toMatchObject({ state: 'error', cause: `recording not found: ${missing}` });
    expect(records(stdout).at(-1)).toMatchObject({ type: 'summary' });
  }, 40_000);

  it('a replay file named in --config is read where it is (command line is trusted), outside any data dir', async () => {
    const dir = await tempDir();
    const file = join(dir, 'rec.ndjson');
    const header = { type: 'header', version: 1, venue: 'simulator', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], feedId: 'x', startedAt: 1, file: 1 };
    await writeFile(file, JSON.stringify(header) + '\n');
    const cfg = await configFile({ feeds: [{ id: 'rp', exchange: 'replay', symbols: ['BTC-USDT'], options: { file, speed: 'max' } }] });
    const { code, stderr, stdout } = await run(['--config', cfg, '--emit', 'status', '--duration', '1', '--data-dir', await tempDir()]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(records(stdout).filter((r) => r.type === 'status').map((r) => r.state)).toEqual(['live', 'stopped']);
  }, 40_000);
});
