/**
 * writeFileAtomic removes its temp file on every failure path: the write itself (a full disk,
 * a file-size limit), and the rename (a directory in the way). The target keeps its old content.
 */
import { spawnSync } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, type AtomicWriteFs } from '../../../electron/core/settings/atomic-write';

async function tempDir() {
  return mkdtemp(join(tmpdir(), 'tickscope-atomic-'));
}

/** Real files, but the handle's write stops half-way with ENOSPC, as on a full disk. */
const fullDiskFs: AtomicWriteFs = {
  ...fsp,
  open: (async (path: string, flags: string) => {
    const fh = await fsp.open(path, flags);
    return Object.assign(Object.create(fh) as fsp.FileHandle, {
      writeFile: async (data: string) => {
        await fh.write(data.slice(0, Math.floor(data.length / 2)));
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
      close: () => fh.close(),
      sync: () => fh.sync(),
    });
  }) as typeof fsp.open,
};

describe('writeFileAtomic', () => {
  it('a write that fails (full disk) leaves no temp file and the old content in place', async () => {
    const dir = await tempDir();
    const target = join(dir, 'settings.json');
    await writeFile(target, 'old');
    await expect(writeFileAtomic(target, 'x'.repeat(10_000), { fs: fullDiskFs })).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(await readdir(dir)).toEqual(['settings.json']);
    expect(await readFile(target, 'utf8')).toBe('old');
  });

  it('a write over the process file-size limit (a real EFBIG) leaves no temp file', async () => {
    if (process.platform === 'win32') return;
    const dir = await tempDir();
    const target = join(dir, 'settings.json');
    await writeFile(target, 'old');
    const mod = resolve('electron/core/settings/atomic-write.ts');
    // `ulimit -f 1`: this child may write at most 1 KiB per file; Node ignores SIGXFSZ, so the
    // write fails with EFBIG after the temp file exists, like a disk filling up mid-write.
    const script = `import { writeFileAtomic } from ${JSON.stringify(mod)};
      writeFileAtomic(${JSON.stringify(target)}, 'x'.repeat(100000)).then(() => console.log('ok'), (e) => console.log('failed', e.code));`;
    const r = spawnSync('bash', ['-c', `ulimit -f 1; exec node_modules/.bin/tsx --eval "$0"`, script], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('failed EFBIG');
    expect(await readdir(dir)).toEqual(['settings.json']);
    expect(await readFile(target, 'utf8')).toBe('old');
  }, 15_000);

  it('a rename that fails (a directory in the way) leaves no temp file', async () => {
    const dir = await tempDir();
    const target = join(dir, 'settings.json');
    await mkdir(target);
    await writeFile(join(target, 'inside'), 'x');
    await expect(writeFileAtomic(target, 'new')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['settings.json']);
  });

  it('two writes in the same millisecond use different temp files and both complete', async () => {
    const dir = await tempDir();
    const target = join(dir, 'a.json');
    await Promise.all([writeFileAtomic(target, 'one'), writeFileAtomic(target, 'two')]);
    expect(['one', 'two']).toContain(await readFile(target, 'utf8'));
    expect(await readdir(dir)).toEqual(['a.json']);
  });
});
