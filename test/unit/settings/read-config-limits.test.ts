/**
 * A --config file the user named: any problem is a ConfigError naming the file and the problem
 * (the runners exit 2 with it), found before the file is read whole or parsed.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/config';
import { readConfigFile } from '../../../electron/core/settings/read-config';

async function tempDir() {
  return mkdtemp(join(tmpdir(), 'tickscope-config-'));
}

async function configError(path: string): Promise<ConfigError> {
  const e = await readConfigFile(path).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConfigError);
  return e as ConfigError;
}

describe('readConfigFile limits', () => {
  it('a directory is a clear error', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'feeds.json'));
    expect((await configError(join(dir, 'feeds.json'))).message).toMatch(/feeds\.json: cannot read \(it is a directory\)/);
  });

  it('a file over the size cap is refused from its stat, not read (600 MB sparse)', async () => {
    const dir = await tempDir();
    const file = join(dir, 'feeds.json');
    await writeFile(file, '{"feeds":[]}');
    await truncate(file, 600 * 1024 * 1024);
    const t0 = performance.now();
    const e = await configError(file);
    expect(e.message).toMatch(/feeds\.json: cannot read \(it is 600 MiB, more than the 16 MiB a settings file may be\)/);
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it('a FIFO is refused at once instead of blocking start-up until something writes to it', async () => {
    const dir = await tempDir();
    const fifo = join(dir, 'feeds.json');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // no mkfifo on this system
    }
    expect((await configError(fifo)).message).toMatch(/not a regular file/);
  }, 5_000);

  it('JSON nested past the depth cap is refused before parsing, naming the problem', async () => {
    const dir = await tempDir();
    const file = join(dir, 'feeds.json');
    await writeFile(file, `{"feeds":[{"exchange":"simulator","symbols":["BTC-USDT"],"options":{"x":${'['.repeat(50_000)}${']'.repeat(50_000)}}}]}`);
    expect((await configError(file)).message).toMatch(/feeds\.json: not a settings file \(JSON nested too deeply \(more than 64 levels\)\)/);
  });

  it('brackets inside strings do not count as nesting', async () => {
    const dir = await tempDir();
    const file = join(dir, 'feeds.json');
    await writeFile(file, JSON.stringify({ feeds: [{ exchange: 'simulator', symbols: ['BTC-USDT'], id: 'a', options: { note: '['.repeat(500) + '\\"{' } }] }));
    const s = await readConfigFile(file).catch((e: Error) => e);
    // Whatever the schema says about `note`, it is not refused for depth.
    expect(s instanceof Error ? s.message : '').not.toMatch(/nested/);
  });

  it('a missing file still names the file', async () => {
    const dir = await tempDir();
    expect((await configError(join(dir, 'nope.json'))).message).toMatch(/nope\.json: cannot read \(it does not exist\)/);
  });
});
