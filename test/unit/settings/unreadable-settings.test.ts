/**
 * A settings.json that cannot be read, for any reason, never stops start-up: defaults in memory
 * plus a notice. Invalid files are set aside; files that cannot be read or moved stay as they are
 * and later saves say clearly why they cannot happen; a newer app's file is never touched.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, stat, truncate, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFeedConfig, parseSettings } from '../../../shared/config';
import { SettingsFile } from '../../../electron/core/settings/settings-file';

async function tempDir() {
  return mkdtemp(join(tmpdir(), 'tickscope-settings-hard-'));
}

const feed = parseFeedConfig({ exchange: 'kraken', symbols: ['BTC-USD'], id: 'k1' });

/** Read-only for real: chmod is enough for a normal user; root also needs the immutable flag. */
const locked: string[] = [];
async function makeReadOnly(dir: string): Promise<boolean> {
  await chmod(dir, 0o555);
  if (process.getuid?.() === 0) {
    try {
      execFileSync('chattr', ['+i', dir], { stdio: 'ignore' });
      locked.push(dir);
    } catch {
      return false;
    }
  }
  return true;
}
afterEach(async () => {
  for (const dir of locked.splice(0)) execFileSync('chattr', ['-i', dir], { stdio: 'ignore' });
});

describe('SettingsFile.load on files it cannot use', () => {
  it('a settings.json that is a directory: defaults and a notice; saves refused with a clear error, the directory untouched', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'settings.json'));
    await writeFile(join(dir, 'settings.json', 'keep-me'), 'x');
    const store = new SettingsFile(dir);
    const { settings, notices } = await store.load();
    expect(settings.feeds.map((f) => f.exchange)).toEqual(['simulator']);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/settings\.json could not be read \(it is a directory\)/);
    expect(notices[0]).toMatch(/cannot be saved until it is fixed or removed/);
    await expect(store.saveFeeds([feed], settings)).rejects.toThrow(/settings cannot be saved: .*settings\.json could not be read at start \(.*directory\)/);
    expect(await readdir(join(dir, 'settings.json'))).toEqual(['keep-me']);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a settings.json larger than the cap (600 MB, sparse) is set aside without being read', async () => {
    const dir = await tempDir();
    const file = join(dir, 'settings.json');
    await writeFile(file, '{"feeds":[]}');
    await truncate(file, 600 * 1024 * 1024);
    const t0 = performance.now();
    const store = new SettingsFile(dir);
    const { settings, notices } = await store.load();
    const ms = performance.now() - t0;
    expect(settings.feeds[0]!.exchange).toBe('simulator');
    expect(notices[0]).toMatch(/could not be read \(it is 600 MiB, more than the 16 MiB a settings file may be\)/);
    const aside = (await readdir(dir)).find((f) => f.startsWith('settings.corrupt-'));
    expect(aside).toBeDefined();
    expect((await stat(join(dir, aside!))).size).toBe(600 * 1024 * 1024);
    expect(ms).toBeLessThan(2_000); // a stat and a rename, not a 600 MB read
    // The next save writes a fresh file.
    await store.saveFeeds([feed], settings);
    expect((await new SettingsFile(dir).load()).settings.feeds.map((f) => f.id)).toEqual(['k1']);
  });

  it('a corrupt file in a read-only folder: defaults and a notice; the file stays; saves refused clearly', async () => {
    const dir = await tempDir();
    const file = join(dir, 'settings.json');
    await writeFile(file, '{"feeds": [ garbage');
    if (!(await makeReadOnly(dir))) return; // no way to make a folder read-only here
    const store = new SettingsFile(dir);
    const { settings, notices } = await store.load();
    expect(settings.feeds[0]!.exchange).toBe('simulator');
    expect(notices[0]).toMatch(/could not be moved aside \((EACCES|EPERM|EROFS)\)/);
    expect(await readFile(file, 'utf8')).toBe('{"feeds": [ garbage');
    await expect(store.saveFeeds([feed], settings)).rejects.toThrow(/settings cannot be saved/);
    expect(await readFile(file, 'utf8')).toBe('{"feeds": [ garbage');
  });

  it('a data dir that cannot exist (its parent is a file): defaults and a notice, no throw', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'not-a-dir'), 'x');
    const store = new SettingsFile(join(dir, 'not-a-dir', 'data'));
    const { settings, notices } = await store.load();
    expect(settings.feeds[0]!.exchange).toBe('simulator');
    expect(notices[0]).toMatch(/ENOTDIR/);
    await expect(store.saveFeeds([feed], settings)).rejects.toThrow(/settings cannot be saved/);
  });

  it('JSON nested deeper than the cap is set aside before it is parsed or validated', async () => {
    const dir = await tempDir();
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    await writeFile(join(dir, 'settings.json'), `{"version":1,"feeds":[{"exchange":"simulator","symbols":["BTC-USDT"],"options":{"x":${deep}}}]}`);
    const { settings, notices } = await new SettingsFile(dir).load();
    expect(settings.feeds.map((f) => f.exchange)).toEqual(['simulator']);
    expect(notices[0]).toMatch(/JSON nested too deeply \(more than 64 levels\)/);
    // What load returns can always be sent to a UI.
    expect(() => JSON.stringify(settings)).not.toThrow();
    expect((await readdir(dir)).some((f) => f.startsWith('settings.corrupt-'))).toBe(true);
  });

  it('two files set aside in the same millisecond keep both copies', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'settings.json'), 'one');
    await new SettingsFile(dir).load();
    await writeFile(join(dir, 'settings.json'), 'two');
    await new SettingsFile(dir).load();
    const asides = (await readdir(dir)).filter((f) => f.startsWith('settings.corrupt-'));
    const texts = await Promise.all(asides.map((f) => readFile(join(dir, f), 'utf8')));
    expect(texts.sort()).toEqual(['one', 'two']);
  });
});

describe('SettingsFile versions', () => {
  it('a file from a newer Tickscope is refused with a notice, never overwritten nor moved', async () => {
    const dir = await tempDir();
    const file = join(dir, 'settings.json');
    const newer = JSON.stringify({ version: 99, feeds: [{ exchange: 'binance', symbols: ['BTC-USDT'], futureField: true }], layout: 'x' });
    await writeFile(file, newer);
    const store = new SettingsFile(dir);
    const { settings, notices } = await store.load();
    expect(settings.feeds[0]!.exchange).toBe('simulator');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(
      "settings were written by a newer Tickscope (version 99); they are left untouched and this session's changes are not saved",
    );
    // The UI adds a feed: the save does not fail, and does not write.
    await store.saveFeeds([feed], settings);
    expect(await readFile(file, 'utf8')).toBe(newer);
    expect(await readdir(dir)).toEqual(['settings.json']);
    // And the next start sees the same file and says the same.
    expect((await new SettingsFile(dir).load()).notices[0]).toMatch(/version 99/);
  });

  it('a version that is not a whole number ("abc", 1.5, -1, null) is invalid: set aside, defaults, a notice naming it', async () => {
    for (const version of ['abc', 1.5, -1, null]) {
      const dir = await tempDir();
      await writeFile(join(dir, 'settings.json'), JSON.stringify({ version, feeds: [{ exchange: 'okx', symbols: ['BTC-USDT'] }] }));
      const { settings, notices } = await new SettingsFile(dir).load();
      expect(settings.feeds[0]!.exchange, String(version)).toBe('simulator');
      expect(notices[0]).toMatch(/could not be read \(version: must be a whole number, got /);
      expect((await readdir(dir)).some((f) => f.startsWith('settings.corrupt-'))).toBe(true);
    }
  });

  it('a missing version is still a pre-versioning file and migrates', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ feeds: [{ exchange: 'okx', symbols: ['BTC-USDT'] }] }));
    const { settings, notices } = await new SettingsFile(dir).load();
    expect(notices).toEqual([]);
    expect(parseSettings(settings).feeds[0]!.id).toBe('okx-spot');
  });
});

describe('SettingsFile saves', () => {
  it('a save that fails names the file and the reason', async () => {
    const dir = await tempDir();
    const store = new SettingsFile(dir);
    const { settings } = await store.load();
    await mkdir(join(dir, 'settings.json')); // appears after start: the rename cannot replace it
    await expect(store.saveFeeds([feed], settings)).rejects.toThrow(/settings could not be saved to .*settings\.json: .*(EISDIR|ENOTEMPTY|EEXIST|directory)/i);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
