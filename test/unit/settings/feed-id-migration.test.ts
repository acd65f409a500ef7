import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { SETTINGS_VERSION } from '../../../shared/config';
import { SettingsFile } from '../../../electron/core/settings/settings-file';

// Version-1 settings allowed dots in feed ids; refusing them would set every feed aside.
it('renames version-1 feed ids that are no longer allowed, keeps every feed, and says so', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tickscope-settings-'));
  const feeds = [
    { id: 'my.binance', exchange: 'binance', symbols: ['BTC-USDT'] },
    { id: 'my-binance', exchange: 'binance', symbols: ['ETH-USDT'] },
    { id: '..', exchange: 'okx', symbols: ['BTC-USDT'] },
    { id: 'sim', exchange: 'simulator', symbols: ['BTC-USDT'] },
  ];
  await writeFile(join(dir, 'settings.json'), JSON.stringify({ version: 1, feeds }));
  const store = new SettingsFile(dir);
  const { settings, notices } = await store.load();
  expect(settings.feeds.map((f) => [f.id, f.symbols[0]])).toEqual([
    ['my-binance-2', 'BTC-USDT'],
    ['my-binance', 'ETH-USDT'],
    ['okx-spot', 'BTC-USDT'],
    ['sim', 'BTC-USDT'],
  ]);
  expect(notices).toHaveLength(2);
  expect(notices[0]).toMatch(/"my\.binance" is now "my-binance-2"/);
  expect(notices[1]).toMatch(/"\.\." is not allowed/);
  // Nothing was set aside; the next save writes the current version.
  await store.saveFeeds(settings.feeds, settings);
  const saved = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'));
  expect(saved.version).toBe(SETTINGS_VERSION);
  expect(saved.feeds.map((f: { id: string }) => f.id)).toEqual(['my-binance-2', 'my-binance', 'okx-spot', 'sim']);
});
