/**
 * Start-up with damaged files in the data dir: a settings.json that is a directory and a
 * bars.sqlite with garbage over some pages. `serve` used to exit 1; now it runs with defaults,
 * a fresh bar store, and notices for both, and a UI's save gets a clear error.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import type { HelloMessage, ReplyMessage, ServerMessage } from '../../../shared/protocol';
import { startCoreApp } from '../../../electron/core/app';
import { BarStore } from '../../../electron/core/store/bar-store';
import { waitFor } from '../../helpers/wait-for';

function damagedDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tickscope-damaged-'));
  mkdirSync(join(dir, 'settings.json'));
  const path = join(dir, 'bars.sqlite');
  const store = new BarStore({ path });
  const base = Math.floor(Date.now() / 60_000) * 60_000 - 10_000 * 60_000;
  for (let i = 0; i < 10_000; i++) {
    const bar: Bar = {
      type: 'bar', exchange: 'simulator', market: 'spot', symbol: 'BTC-USDT', tf: '1m', start: base + i * 60_000,
      open: 1, high: 2, low: 0.5, close: 1.5, volume: 3, buyVolume: 1, sellVolume: 2, trades: 4, vwap: 1.2, final: true, incomplete: false,
    };
    store.put(bar);
  }
  store.close();
  const garbage = Buffer.alloc(4096 * 3, 0xa5);
  const fd = openSync(path, 'r+');
  writeSync(fd, garbage, 0, garbage.length, 4096 * Math.floor(statSync(path).size / 4096 / 2));
  closeSync(fd);
  return dir;
}

it('serve starts (does not exit 1) with a directory for settings.json and a damaged bar store', async () => {
  const dataDir = damagedDataDir();
  const p = spawn(process.execPath, ['--import', 'tsx', 'electron/web-host/cli.ts', '--data-dir', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d) => (stdout += d));
  p.stderr.on('data', (d) => (stderr += d));
  let exited: number | null | undefined;
  const exit = new Promise<number | null>((r) => p.on('exit', (code) => r((exited = code))));
  await waitFor(
    () => {
      if (exited !== undefined) throw new Error(`serve exited (${exited}); stderr: ${stderr}`);
      return stdout.includes('Tickscope is running');
    },
    'serve to say it is running',
    { timeoutMs: 20_000, intervalMs: 100 },
  );
  p.kill('SIGTERM');
  expect(await exit).toBe(0);
  expect(readdirSync(dataDir).some((f) => /^bars\.corrupt-.*\.sqlite$/.test(f))).toBe(true);
}, 30_000);

it('the core app says why in the hello, serves bars, and a save is refused with a clear error', async () => {
  const dataDir = damagedDataDir();
  const app = await startCoreApp({ dataDir });
  try {
    const sent: ServerMessage[] = [];
    const session = app.api.connect({ send: (m) => sent.push(m), ready: () => true });
    const hello = sent.find((m): m is HelloMessage => m.type === 'hello')!;
    expect(hello.feeds.map((f) => f.exchange)).toEqual(['simulator']);
    expect(hello.notices.some((n) => /settings\.json could not be read \(it is a directory\)/.test(n))).toBe(true);
    expect(hello.notices.some((n) => /The local bar store was damaged .* set aside as .*bars\.corrupt-/.test(n))).toBe(true);
    expect(app.pipeline.health().store).toMatchObject({ enabled: true, errors: 0 });
    expect(() => app.pipeline.bars({ exchange: 'simulator', market: 'spot', symbol: 'BTC-USDT', tf: '1m' })).not.toThrow();

    await session.receive({ type: 'command', id: 1, name: 'addFeed', args: { exchange: 'simulator', symbols: ['ETH-USDT'], id: 'sim2' } });
    const reply = await waitFor(() => sent.find((m): m is ReplyMessage => m.type === 'reply' && m.id === 1), 'the reply to addFeed');
    expect(reply).toMatchObject({ ok: false });
    expect(reply.error).toMatch(/settings cannot be saved: .*settings\.json could not be read at start/);
    session.close();
  } finally {
    await app.stop();
  }
}, 30_000);
