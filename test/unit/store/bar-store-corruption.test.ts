/**
 * A damaged bars.sqlite (garbage written over some of its pages, as a failing disk or a copy taken
 * mid-write leaves it) is found by PRAGMA quick_check at open, set aside with its -wal/-shm, and
 * replaced by a fresh store, with a notice naming where the old file went. Nothing is deleted.
 */
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import { BarStore } from '../../../electron/core/store/bar-store';
import { openBarStore, type OpenedStore } from '../../../electron/core/store/open-store';

/** 20,000 one-minute bars end about now: all within the default 90-day retention of 1m. */
const BASE = Math.floor(Date.now() / 60_000) * 60_000 - 20_000 * 60_000;

function bar(start: number, symbol = 'BTC-USDT'): Bar {
  return {
    type: 'bar', exchange: 'binance', market: 'spot', symbol, tf: '1m', start,
    open: 100, high: 101, low: 99, close: 100.5, volume: 2, buyVolume: 1, sellVolume: 1,
    trades: 3, vwap: 100.2, final: true, incomplete: false,
  };
}

/** A real store file with 20,000 bars (~2.3 MB, hundreds of pages), closed cleanly. */
function realStore(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bars-corrupt-'));
  const path = join(dir, 'bars.sqlite');
  const s = new BarStore({ path });
  for (let i = 0; i < 20_000; i++) s.put(bar(BASE + i * 60_000, i % 2 ? 'BTC-USDT' : 'ETH-USDT'));
  s.flush();
  s.close();
  return { dir, path };
}

/** Writes a deterministic garbage pattern over `pages` 4 KiB pages starting at page `first`. */
function garble(path: string, first: number, pages: number): void {
  const garbage = Buffer.alloc(4096 * pages);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) & 0xff;
  const fd = openSync(path, 'r+');
  writeSync(fd, garbage, 0, garbage.length, 4096 * first);
  closeSync(fd);
}

const opened: OpenedStore[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.store?.close();
});
function open(dir: string): OpenedStore {
  const o = openBarStore(dir);
  opened.push(o);
  return o;
}

describe('openBarStore on a damaged file', () => {
  it('garbage over pages in the middle: set aside (bytes kept), a fresh store that works, a notice', () => {
    const { dir, path } = realStore();
    const pages = Math.floor(statSync(path).size / 4096);
    garble(path, Math.floor(pages / 2), 3);
    const damaged = readFileSync(path);
    const o = open(dir);
    expect(o.disabledReason).toBeNull();
    const store = o.store!;
    const notices = store.notices();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/The local bar store was damaged \(.+\); it was set aside as .*bars\.corrupt-.+\.sqlite and a new, empty store was started/);
    // The damaged file is kept byte for byte under the name the notice gives.
    const aside = notices[0]!.match(/set aside as (\S+\.sqlite)/)![1]!;
    expect(readFileSync(aside).equals(damaged)).toBe(true);
    // The fresh store is empty, accepts bars and answers queries.
    const key = 'binance:spot:BTC-USDT';
    expect(store.range({ key, tf: '1m' })).toEqual([]);
    store.put(bar(BASE));
    store.flush();
    expect(store.range({ key, tf: '1m' })).toEqual([bar(BASE)]);
    // The health view shows the notice too.
    expect(store.stats().lastError).toMatch(/was damaged/);
  });

  it('garbage over the header page (not a database any more) is set aside the same way', () => {
    const { dir, path } = realStore();
    garble(path, 0, 1);
    const o = open(dir);
    expect(o.disabledReason).toBeNull();
    expect(o.store!.notices()[0]).toMatch(/was damaged \((file is not a database|database disk image is malformed)\)/);
    expect(readdirSync(dir).some((f) => /^bars\.corrupt-.*\.sqlite$/.test(f))).toBe(true);
  });

  it('the -wal and -shm travel with the damaged file', () => {
    const { dir, path } = realStore();
    // Another connection (a crashed writer, in effect) holds committed pages in the WAL that
    // are not in the main file yet: they belong with the file they were written for.
    const writer = new Database(path);
    writer.pragma('wal_autocheckpoint = 0');
    writer.prepare("UPDATE bars SET close = 1 WHERE market = 'binance:spot:ETH-USDT'").run();
    const walBytes = statSync(`${path}-wal`).size;
    expect(walBytes).toBeGreaterThan(0);
    garble(path, 5, 3);
    try {
      const o = open(dir);
      const aside = o.store!.notices()[0]!.match(/set aside as (\S+\.sqlite)/)![1]!;
      expect(statSync(`${aside}-wal`).size).toBe(walBytes);
      expect(existsSync(`${aside}-shm`)).toBe(true);
      expect(o.store!.range({ key: 'binance:spot:ETH-USDT', tf: '1m' })).toEqual([]);
    } finally {
      writer.close();
    }
  });

  it('a healthy store opens without a notice and keeps its bars', () => {
    const { dir } = realStore();
    const o = open(dir);
    expect(o.store!.notices()).toEqual([]);
    expect(o.store!.range({ key: 'binance:spot:BTC-USDT', tf: '1m', limit: 20_000 })).toHaveLength(10_000);
    expect(readdirSync(dir).filter((f) => f.includes('corrupt'))).toEqual([]);
  });
});
