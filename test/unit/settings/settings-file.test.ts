import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFeedConfig, SETTINGS_VERSION } from '../../../shared/config';
import { SettingsFile } from '../../../electron/core/settings/settings-file';

async function tempDir() {
  return mkdtemp(join(tmpdir(), 'tickscope-settings-'));
}

describe('SettingsFile', () => {
  it('gives the simulator defaults when no file exists', async () => {
    const { settings, notices } = await new SettingsFile(await tempDir()).load();
    expect(settings.feeds.map((f) => f.exchange)).toEqual(['simulator']);
    expect(notices).toEqual([]);
  });

  it('round-trips feeds and keeps the previous file as a backup', async () => {
    const dir = await tempDir();
    const store = new SettingsFile(dir);
    const a = parseFeedConfig({ exchange: 'binance', symbols: ['btc/usdt'] });
    const b = parseFeedConfig({ exchange: 'kraken', symbols: ['BTC-USD'], id: 'k1' });
    await store.saveFeeds([a]);
    await store.saveFeeds([a, b]);
    const { settings } = await new SettingsFile(dir).load();
    expect(settings.feeds.map((f) => [f.id, f.symbols])).toEqual([
      ['binance-spot', ['BTC-USDT']],
      ['k1', ['BTC-USD']],
    ]);
    const backup = JSON.parse(await readFile(join(dir, 'settings.json.bak'), 'utf8'));
    expect(backup.feeds).toHaveLength(1);
    // No temp files are left behind by the atomic write.
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('moves a corrupt file aside, uses defaults and says so', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'settings.json'), '{"feeds": [ garbage');
    const { settings, notices } = await new SettingsFile(dir).load();
    expect(settings.feeds[0]!.exchange).toBe('simulator');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/could not be read/);
    const files = await readdir(dir);
    expect(files.some((f) => f.startsWith('settings.corrupt-'))).toBe(true);
    expect(files).not.toContain('settings.json');
  });

  it('treats a schema-invalid file as corrupt and names the bad field', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ version: 1, feeds: [{ exchange: 'nope', symbols: ['BTC-USD'] }] }));
    const { notices } = await new SettingsFile(dir).load();
    expect(notices[0]).toMatch(/feeds\[0\]\.exchange/);
  });

  it('migrates an unversioned file', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ feeds: [{ exchange: 'okx', symbols: ['BTC-USDT'] }] }));
    const { settings, notices } = await new SettingsFile(dir).load();
    expect(notices).toEqual([]);
    expect(settings.version).toBe(SETTINGS_VERSION);
    expect(settings.feeds[0]!.id).toBe('okx-spot');
  });
});
