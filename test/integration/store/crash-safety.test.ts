/**
 * The store survives a crash mid-write: a child process writes bars continuously and is killed
 * with SIGKILL (no chance to close the database); the reopened file passes integrity_check and
 * holds every bar the child had reported committed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { BarStore } from '../../../electron/core/store/bar-store';

it('keeps every committed bar and a consistent file after kill -9', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'crash-')), 'bars.sqlite');
  // Recent bars (older ones would fall to the 1m retention of 90 days when the store reopens).
  const base = Math.floor(Date.now() / 60_000) * 60_000 - 30 * 86_400_000;
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/integration/store/crash-writer.ts', path, String(base)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let reported = 0;
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`writer made no progress:\n${err}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      const all = [...d.toString().matchAll(/committed (\d+)/g)];
      if (all.length > 0) reported = Number(all.at(-1)![1]);
      // Kill while it is writing: well past the first flushes.
      if (reported >= 20_000) {
        clearTimeout(timer);
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', (code) => code !== null && reject(new Error(`writer exited ${code}:\n${err}`)));
  });
  await new Promise((r) => child.once('close', r));
  expect(child.signalCode).toBe('SIGKILL');

  const store = new BarStore({ path });
  try {
    expect(store.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    const bars = store.range({ key: 'sim:spot:BTC-USDT', tf: '1m', limit: 10_000_000 });
    expect(bars.length).toBeGreaterThanOrEqual(reported);
    // Contiguous from the first bar: nothing reported committed is missing.
    for (let i = 0; i < reported; i++) if (bars[i]!.start !== base + i * 60_000) throw new Error(`bar ${i} missing`);
    expect(bars[reported - 1]!.close).toBe(reported - 1 + 0.5);
  } finally {
    store.close();
  }
}, 30_000);
