/**
 * Atomic file replacement: write a temp file beside the target, fsync it, rename over the target.
 * A crash leaves either the old or the new file, never a torn one. Rename is retried on
 * EPERM/EBUSY/EACCES, which Windows returns while an antivirus or indexer holds the file.
 * Any failure (the write itself on a full disk, the fsync, the close, the rename) removes the
 * temp file before the error goes up: a failing save never leaves litter beside the settings.
 */
import * as fsp from 'node:fs/promises';

const RETRYABLE = new Set(['EPERM', 'EBUSY', 'EACCES']);

/** The file operations used; tests replace one to make it fail like a full disk would. */
export interface AtomicWriteFs {
  open: typeof fsp.open;
  rename: typeof fsp.rename;
  rm: typeof fsp.rm;
}

export interface AtomicWriteOptions {
  /** Rename attempts after the first on a retryable error. Default 5. */
  retries?: number;
  fs?: AtomicWriteFs;
}

let seq = 0;

export async function writeFileAtomic(path: string, data: string, opts: AtomicWriteOptions = {}): Promise<void> {
  const fs = opts.fs ?? fsp;
  const retries = opts.retries ?? 5;
  // pid + time + a counter: two saves in one millisecond never share a temp file.
  const tmp = `${path}.${process.pid}.${Date.now()}.${seq++}.tmp`;
  // 'wx': never open (and later remove) something that already exists under the temp name.
  const fh = await fs.open(tmp, 'wx');
  try {
    try {
      await fh.writeFile(data, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rename(tmp, path);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (!RETRYABLE.has(code) || attempt >= retries) {
        await fs.rm(tmp, { force: true }).catch(() => undefined);
        throw e;
      }
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
}
