/**
 * Atomic file replacement: write a temp file beside the target, fsync it, rename over the target.
 * A crash leaves either the old or the new file, never a torn one. Rename is retried on
 * EPERM/EBUSY/EACCES, which Windows returns while an antivirus or indexer holds the file.
 */
import { open, rename, rm } from 'node:fs/promises';

const RETRYABLE = new Set(['EPERM', 'EBUSY', 'EACCES']);

export async function writeFileAtomic(path: string, data: string, retries = 5): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(tmp, path);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (!RETRYABLE.has(code) || attempt >= retries) {
        await rm(tmp, { force: true });
        throw e;
      }
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
}
